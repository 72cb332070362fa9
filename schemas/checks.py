"""Checks that turn figures into issues: each figure on its own, then the figures of one report together."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd
import pandera.pandas as pa

from schemas.catalog import metrics
from schemas.figures import FigureModel
from schemas.issues import issue_kinds, issues_frame, make_issue

APPROX_TOLERANCE = 0.10
REPORT_KEYS = ["source", "reporting_unit", "period_label", "period_start", "period_end", "category"]


def check_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Validate each figure against FigureModel; one issue per failing figure and check."""
    try:
        FigureModel.validate(figures, lazy=True)
    except pa.errors.SchemaErrors as err:
        return issues_frame(_failure_issues(err.failure_cases, figures))
    return issues_frame()


def _failure_issues(failures: pd.DataFrame, figures: pd.DataFrame) -> list[dict]:
    failures = failures.dropna(subset=["index"]).drop_duplicates(subset=["check", "index"])
    rows = []
    for check, index in failures[["check", "index"]].itertuples(index=False):
        figure = figures.loc[index]
        kind = _check_kind(str(check))
        rows.append(
            make_issue(
                kind,
                detail=str(check),
                expected=metrics()[figure["metric"]].unit if kind == "unit-mismatch" else None,
                **_figure_fields(figure),
            )
        )
    return rows


def _check_kind(check: str) -> str:
    if check in issue_kinds():
        return check
    return "metric-unknown" if check.startswith("isin") else "invalid-figure"


def _figure_fields(figure: pd.Series) -> dict[str, object]:
    keys = ["figure_id", "source", "locator", "metric", "value", "reporting_unit", "period_label"]
    return {key: figure.get(key) for key in keys}


@dataclass(frozen=True)
class Relation:
    """``left`` must not exceed ``right`` within one report; ``left`` may be a sum written ``a+b``."""

    check: str
    left: tuple[str, ...]
    right: str


@cache
def relations() -> list[Relation]:
    text = resources.files("schemas").joinpath("relations.csv").read_text(encoding="utf-8")
    return [
        Relation(r["check"], tuple(r["left"].split("+")), r["right"])
        for r in csv.DictReader(text.splitlines())
    ]


def value_range(value: float, qualifier: str) -> tuple[float, float]:
    """The values a qualified figure allows: approx is within 10%, over above, under below."""
    if qualifier == "approx":
        return value * (1 - APPROX_TOLERANCE), value * (1 + APPROX_TOLERANCE)
    if qualifier == "over":
        return value, math.inf
    if qualifier == "under":
        return 0.0, value
    return value, value


def check_reports(figures: pd.DataFrame) -> pd.DataFrame:
    """Apply every relation to the period totals of each report (one source, unit, period, category)."""
    totals = figures[figures["scope"] == "period_total"]
    rows = []
    for _, report in totals.groupby(REPORT_KEYS, dropna=False, sort=False):
        by_metric = {metric: group for metric, group in report.groupby("metric")}
        for relation in relations():
            rows.extend(_relation_issues(relation, by_metric))
    return issues_frame(rows)


def _relation_issues(relation: Relation, by_metric: dict[str, pd.DataFrame]) -> list[dict]:
    if relation.right not in by_metric or not all(m in by_metric for m in relation.left):
        return []
    left = [by_metric[m].iloc[0] for m in relation.left]
    right = by_metric[relation.right].iloc[0]
    left_low = sum(value_range(f["value"], f["qualifier"])[0] for f in left)
    right_high = value_range(right["value"], right["qualifier"])[1]
    if left_low <= right_high:
        return []
    first = left[0]
    return [
        make_issue(
            relation.check,
            **{
                **_figure_fields(first),
                "value": sum(f["value"] for f in left),
                "metric": "+".join(relation.left) if len(left) > 1 else first["metric"],
                "other_metric": relation.right,
                "expected": right["value"],
                "figure_ids": [f["figure_id"] for f in left] + [right["figure_id"]],
            },
        )
    ]
