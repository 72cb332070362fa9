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
    """Give a frame of figure rows the contract's column order and dtypes (no checks), indexed by figure_id.

    Built column by column into a new frame: a report's few figures pass through here once per file, and
    converting a frame's columns in place costs 3-4 times as much.
    """
    frame = rows.reindex(columns=FIGURE_COLUMNS) if isinstance(rows, pd.DataFrame) else None
    if frame is None:
        frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    data = {}
    for column in FIGURE_COLUMNS:
        values = frame[column]
        if column in _INT_COLUMNS:
            data[column] = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif column == "value":
            data[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif column == "period_inferred":
            data[column] = values.astype("object").fillna(False).astype(bool)
        else:  # text; None and NaN become the string dtype's missing value
            data[column] = pd.Series(pd.array(values.to_numpy(dtype=object), dtype="str"), index=frame.index)
    coerced = pd.DataFrame(data, index=frame.index)
    coerced.index = pd.Index(coerced["figure_id"], name="figure_index")
    return coerced
