"""The figures table: one row per figure mention, the same for every reader (DESIGN.md, "The data")."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.catalog import CATEGORIES, QUALIFIERS, SCOPES, metrics

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


class FigureModel(pa.DataFrameModel):
    """Each figure's shape: columns, types, closed vocabularies, a value present and not negative.

    Rules that read several columns (unit, whole counts and money, period, provenance) are in
    ``schemas.figure_rules``, checked on derived columns so that a failure is reported once per figure.
    """

    figure_id: Series[str] = pa.Field(unique=True)
    source: Series[str] = pa.Field(nullable=True)
    source_sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    locator: Series[str] = pa.Field(nullable=True)
    span_start: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    span_end: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    quote: Series[str] = pa.Field(nullable=True)
    reporting_unit: Series[str] = pa.Field(nullable=True)
    province: Series[str] = pa.Field(nullable=True)
    period_start: Series[str] = pa.Field(nullable=True)
    period_end: Series[str] = pa.Field(nullable=True)
    period_label: Series[str] = pa.Field(nullable=True)
    period_inferred: Series[bool]
    published: Series[str] = pa.Field(nullable=True)
    metric: Series[str] = pa.Field(isin=list(metrics()))
    category: Series[str] = pa.Field(isin=list(CATEGORIES))
    scope: Series[str] = pa.Field(isin=list(SCOPES))
    value: Series[float] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(isin=["count", "VND", "g", "kg", "km"])
    qualifier: Series[str] = pa.Field(isin=list(QUALIFIERS))
    lang: Series[str] = pa.Field(isin=["vi", "en"])

    @pa.check("value", name="value-negative")
    def value_not_negative(cls, value: Series[float]) -> Series[bool]:
        return value.isna() | (value >= 0)

    @pa.check("value", name="value-missing", ignore_na=False)
    def value_present(cls, value: Series[float]) -> Series[bool]:
        return value.notna()

    class Config:
        strict = True
        coerce = True


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
