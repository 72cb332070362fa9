"""The figures table's columns and dtypes, apart from its pandera model, so readers need not import pandera."""

from __future__ import annotations

import pandas as pd

FIGURE_COLUMNS = [
    "figure_id",
    "source",
    "source_sha256",
    "locator",
    "span_start",
    "span_end",
    "line",
    "quote",
    "reporting_unit",
    "province",
    "period_start",
    "period_end",
    "period_label",
    "period_inferred",
    "published",
    "metric",
    "category",
    "scope",
    "value",
    "unit",
    "qualifier",
    "lang",
]
_INT_COLUMNS = ["span_start", "span_end", "line"]
_TEXT_COLUMNS = [c for c in FIGURE_COLUMNS if c not in {*_INT_COLUMNS, "value", "period_inferred"}]


def empty_figures() -> pd.DataFrame:
    """A figures table with no rows and the contract's columns and dtypes."""
    return coerce_figures(pd.DataFrame(columns=FIGURE_COLUMNS))


def coerce_figures(rows: pd.DataFrame | list[dict]) -> pd.DataFrame:
    """Give a frame of figure rows the contract's column order and dtypes (no checks), indexed by figure_id."""
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    for column in _INT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame["period_inferred"] = frame["period_inferred"].astype("object").fillna(False).astype(bool)
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
        frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    frame.index = pd.Index(frame["figure_id"], name="figure_index")
    return frame
