"""Rules on each figure that span several columns, checked as column checks on a precomputed facts frame.

pandera reports a failing wide check (``@dataframe_check``) once per column of the frame, and building that
fanned-out failure table dominates validation time (../shared/NOTES.md). So each rule reads one derived
column here: ``figure_facts`` computes the quantity the rule is about (whether the unit is the catalog's, a count, a sum
of money, the period's length), and ``FigureRules`` states the rule on that column, named after its issue kind.
A fact that does not apply to a figure is missing, and pandera skips missing values of a nullable column.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.catalog import metrics

PROSE_LOCATOR = r"^L[0-9]+:C[0-9]+$"


def catalog_units() -> dict[str, str]:
    """The unit the catalog gives each metric."""
    return {key: metric.unit for key, metric in metrics().items()}


def figure_facts(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per figure (same index): the derived quantities ``FigureRules`` checks."""
    unit, value = figures["unit"], figures["value"]
    known = figures["metric"].isin(list(metrics()))
    start = pd.to_datetime(figures["period_start"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(figures["period_end"], format="%Y-%m-%d", errors="coerce")
    return pd.DataFrame(
        {
            "unit_as_catalog": (unit == figures["metric"].map(catalog_units()))
            .astype("boolean")
            .where(known),
            "count_value": value.where(unit == "count"),
            "money_value": value.where(unit == "VND"),
            "period_days": (end - start).dt.days.astype("float64"),
            "period_start": start,
            "provenance": _has_provenance(figures),
        },
        index=figures.index,
    )


def _has_provenance(figures: pd.DataFrame) -> pd.Series:
    """A source and a locator, and the quoted words unless the locator is a table cell."""
    source = figures["source"].fillna("").str.strip() != ""
    locator = figures["locator"].fillna("")
    quote = figures["quote"].fillna("").str.strip() != ""
    prose = locator.str.match(PROSE_LOCATOR)
    return source & (locator.str.strip() != "") & (quote | ~prose)


class FigureRules(pa.DataFrameModel):
    """Each figure's multi-column rules, one named column check per issue kind."""

    unit_as_catalog: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    count_value: Series[float] = pa.Field(nullable=True)
    money_value: Series[float] = pa.Field(nullable=True)
    period_days: Series[float] = pa.Field(nullable=True)
    period_start: Series[pd.Timestamp] = pa.Field(nullable=True)
    provenance: Series[bool]

    @pa.check("unit_as_catalog", name="unit-mismatch")
    def unit_matches_metric(cls, same: Series[bool]) -> Series[bool]:
        return same.astype(bool)

    @pa.check("count_value", name="count-not-whole")
    def count_whole(cls, value: Series[float]) -> Series[bool]:
        return value % 1 == 0

    @pa.check("money_value", name="money-not-whole")
    def money_whole(cls, value: Series[float]) -> Series[bool]:
        return value % 1 == 0

    @pa.check("period_days", name="period-reversed")
    def period_in_order(cls, days: Series[float]) -> Series[bool]:
        return days >= 0

    @pa.check("period_start", name="period-in-future")
    def period_not_in_future(cls, start: Series[pd.Timestamp]) -> Series[bool]:
        return start <= pd.Timestamp(dt.date.today())

    @pa.check("provenance", name="provenance-missing")
    def provenance_present(cls, present: Series[bool]) -> Series[bool]:
        return present

    class Config:
        strict = True
