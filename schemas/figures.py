"""The figures table: one row per figure mention, the same for every reader (DESIGN.md, "The data")."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.catalog import CATEGORIES, QUALIFIERS, SCOPES, metrics
from schemas.columns import FIGURE_COLUMNS, coerce_figures, empty_figures

__all__ = ["FIGURE_COLUMNS", "FigureModel", "coerce_figures", "empty_figures"]


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
