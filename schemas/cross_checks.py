"""Checks across reports: a registry of small functions, one rule each, thresholds from ``CheckSettings``.

Each check takes the comparable period totals of every report (``comparable_totals``) and returns issue rows.
A figure's reporting unit is compared by name, loosely (``fold_name``). A figure speaks for its whole province
when its reporting unit is blank (a table's province row) or names a provincial body listed in
``CheckSettings.province_bodies`` (a prose report by "Ban Chỉ đạo 389 tỉnh …", "Ban Nội chính Tỉnh ủy …").

Agreeing duplicates (the same unit, period, metric, category and scope from two sources whose values can
agree) are not issues: ``duplicate_of`` names, for each later copy, the figure that is shown and counted, so
a summary counts the figure once and keeps every source (the first source by name is the one shown).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from schemas.checks import FIGURE_FIELDS, value_bounds
from schemas.issues import issues_frame, make_issue
from schemas.settings import CheckSettings, fold_name

CrossCheck = Callable[[pd.DataFrame, CheckSettings], list[dict]]
CROSS_CHECKS: dict[str, CrossCheck] = {}
SAME_FIGURE = ["province_key", "unit_key", "start", "end", "metric", "category", "scope"]
SAME_SERIES = ["province_key", "unit_key", "metric", "category"]


def cross_check(kind: str) -> Callable[[CrossCheck], CrossCheck]:
    """Register a check under the issue kind it reports."""

    def register(check: CrossCheck) -> CrossCheck:
        CROSS_CHECKS[kind] = check
        return check

    return register


def check_across(figures: pd.DataFrame, settings: CheckSettings | None = None) -> pd.DataFrame:
    """Every registered check over the figures of all reports; one issues table."""
    settings = settings or CheckSettings()
    totals = comparable_totals(figures, settings)
    return issues_frame(row for check in CROSS_CHECKS.values() for row in check(totals, settings))


def comparable_totals(figures: pd.DataFrame, settings: CheckSettings) -> pd.DataFrame:
    """Period totals with a value and a known period, with the keys and value ranges the checks compare.

    ``first_copy`` marks one figure of each set of copies (same unit, period, metric, category and scope), so
    that checks of sums and series count a figure reported by two sources once.
    """
    totals = figures[(figures["scope"] == "period_total") & figures["value"].notna()]
    start = pd.to_datetime(totals["period_start"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(totals["period_end"], format="%Y-%m-%d", errors="coerce")
    low, high = value_bounds(totals["value"], totals["qualifier"], settings.approx_tolerance)
    units, provinces = totals["reporting_unit"], totals["province"]
    names = {name: fold_name(name) for name in units.dropna().unique()}
    speaks = {name: settings.folded_speaks_for_province(folded) for name, folded in names.items()}
    province_keys = {name: fold_name(name) for name in provinces.dropna().unique()}
    return (
        totals.assign(
            start=start,
            end=end,
            low=low,
            high=high,
            unit_key=units.map(names).fillna(""),
            province_key=provinces.map(province_keys).fillna(""),
            for_province=units.map(speaks).fillna(True).astype(bool),
        )
        .dropna(subset=["start", "end"])
        .reset_index(drop=True)
        .pipe(lambda frame: frame.assign(first_copy=~frame.duplicated(subset=SAME_FIGURE)))
    )


def duplicate_of(figures: pd.DataFrame, settings: CheckSettings | None = None) -> pd.Series:
    """For each period total repeated across sources, the figure_id of the copy shown (None for that one)."""
    totals = comparable_totals(figures, settings or CheckSettings()).sort_values(["source", "figure_id"])
    first = totals.groupby(SAME_FIGURE, sort=False)["figure_id"].transform("first")
    shown = first.where(first != totals["figure_id"], None)
    return pd.Series(shown.to_numpy(), index=totals["figure_id"].to_numpy(), name="duplicate_of")


def _fields(figure: pd.Series | dict) -> dict[str, object]:
    return {key: figure[key] for key in FIGURE_FIELDS}


@cross_check("figures-conflict")
def find_conflicts(totals: pd.DataFrame, settings: CheckSettings) -> list[dict]:
    """The same unit, period, metric, category and scope from two sources must have values that can agree."""
    groups = totals.groupby(SAME_FIGURE, sort=False)
    spread = pd.DataFrame(
        {
            "sources": groups["source"].nunique(),
            "top": groups["low"].idxmax(),
            "bottom": groups["high"].idxmin(),
        }
    )
    spread = spread[spread["sources"] > 1]
    rows = []
    for top, bottom in zip(spread["top"], spread["bottom"], strict=True):
        high_one, low_one = totals.loc[top], totals.loc[bottom]
        if high_one["low"] <= low_one["high"] or high_one["source"] == low_one["source"]:
            continue
        rows.append(_pair_issue("figures-conflict", high_one, low_one))
    return rows


def _pair_issue(kind: str, figure: pd.Series, other: pd.Series, **extra: object) -> dict[str, object]:
    return make_issue(
        kind,
        **_fields(figure),
        expected=other["value"],
        other_source=other["source"],
        other_locator=other["locator"],
        other_period=other["period_label"],
        figure_ids=[figure["figure_id"], other["figure_id"]],
        **extra,
    )


@cross_check("province-total-mismatch")
def compare_province_totals(totals: pd.DataFrame, settings: CheckSettings) -> list[dict]:
    """A province's own total equals the sum of its units for the same period, metric and category."""
    keys = ["province_key", "start", "end", "metric", "category"]
    once = totals[totals["first_copy"]]
    units = once[~once["for_province"]]
    sums = units.groupby(keys, sort=False).agg(
        sum_low=("low", "sum"), sum_high=("high", "sum"), sum_value=("value", "sum")
    )
    merged = once[once["for_province"]].join(sums, on=keys, how="inner")
    registered = {fold_name(p): {fold_name(u) for u in us} for p, us in settings.registry.items() if us}
    over = merged["sum_low"] > merged["high"]
    short = (merged["sum_high"] < merged["low"]) & merged["province_key"].isin(list(registered))
    rows = []
    for total in merged.assign(over=over)[over | short].to_dict("records"):
        parts = units[(units[keys] == pd.Series({k: total[k] for k in keys})).all(axis=1)]
        if total["over"] or registered[total["province_key"]] <= set(parts["unit_key"]):
            rows.append(_total_issue(total, parts))
    return rows


def _total_issue(total: dict, parts: pd.DataFrame) -> dict[str, object]:
    return make_issue(
        "province-total-mismatch",
        **_fields(total),
        expected=total["sum_value"],
        difference=total["value"] - total["sum_value"],
        units=", ".join(sorted(set(parts["reporting_unit"].dropna()))),
        figure_ids=[total["figure_id"], *parts["figure_id"]],
    )


@cross_check("year-to-date-decreasing")
def find_ytd_decreases(totals: pd.DataFrame, settings: CheckSettings) -> list[dict]:
    """Figures of one unit counted from 1 January never decrease between reports of the same year."""
    ytd = totals[
        (totals["start"].dt.month == 1)
        & (totals["start"].dt.day == 1)
        & (totals["end"].dt.year == totals["start"].dt.year)
    ]
    ytd = ytd[ytd["first_copy"]].sort_values([*SAME_SERIES, "start", "end"])
    earlier = ytd.groupby([*SAME_SERIES, ytd["start"].dt.year], sort=False).shift(1)
    falls = (ytd["high"] < earlier["low"]) & (ytd["end"] > earlier["end"])
    return [_pair_issue("year-to-date-decreasing", ytd.loc[i], earlier.loc[i]) for i in ytd.index[falls]]


@cross_check("change-beyond-threshold")
def find_sharp_changes(totals: pd.DataFrame, settings: CheckSettings) -> list[dict]:
    """A figure beyond change_factor times (or below 1/change_factor of) the previous period of the same length."""
    current = _month_periods(totals[totals["first_copy"]])
    previous = current.drop(columns=["prev_start", "prev_end"])
    previous = previous.rename(columns={"start": "prev_start", "end": "prev_end"})
    pairs = current.merge(previous, on=[*SAME_SERIES, "prev_start", "prev_end"], suffixes=("", "_prev"))
    a, b, factor = pairs["value"], pairs["value_prev"], settings.change_factor
    big = np.maximum(a, b) >= settings.change_min_value
    sharp = big & ((a > factor * b) | (b > factor * a))
    return [_change_issue(row, factor) for row in pairs[sharp].to_dict("records")]


def _month_periods(totals: pd.DataFrame) -> pd.DataFrame:
    """Periods of whole calendar months, each with the period of the same length just before it."""
    start, end = totals["start"], totals["end"]
    whole = (start.dt.day == 1) & ((end + pd.Timedelta(days=1)).dt.day == 1)
    months = (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1
    first = start.dt.year * 12 + start.dt.month - 1 - months
    prev_start = pd.to_datetime({"year": first // 12, "month": first % 12 + 1, "day": 1}, errors="coerce")
    return totals.assign(prev_start=prev_start, prev_end=start - pd.Timedelta(days=1))[whole]


def _change_issue(row: dict, factor: float) -> dict[str, object]:
    return make_issue(
        "change-beyond-threshold",
        **_fields(row),
        expected=row["value_prev"],
        other_source=row["source_prev"],
        other_locator=row["locator_prev"],
        other_period=row["period_label_prev"],
        factor=f"{factor:g}",
        figure_ids=[row["figure_id"], row["figure_id_prev"]],
    )


@cross_check("unit-not-reported")
def find_missing_units(totals: pd.DataFrame, settings: CheckSettings) -> list[dict]:
    """Every unit the registry expects for a province reports for each period that province has figures for."""
    rows = []
    for province, expected in settings.registry.items():
        figures = totals[totals["province_key"] == fold_name(province)]
        for (start, end), period in figures.groupby(["start", "end"], sort=True):
            reported = set(period["unit_key"])
            label = period["period_label"].dropna().iloc[0] if period["period_label"].notna().any() else None
            rows.extend(
                make_issue(
                    "unit-not-reported",
                    reporting_unit=unit,
                    province=province,
                    period_label=label,
                    period_start=f"{start:%Y-%m-%d}",
                    period_end=f"{end:%Y-%m-%d}",
                )
                for unit in expected
                if fold_name(unit) not in reported
            )
    return rows
