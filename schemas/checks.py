"""Checks that turn figures into issues: each figure on its own, then the figures of one report together."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa

from schemas.catalog import metrics
from schemas.figure_rules import FigureRules, figure_facts
from schemas.figures import FigureModel
from schemas.issues import issue_kinds, issues_frame, make_issue
from schemas.settings import CheckSettings

REPORT_KEYS = ["source", "reporting_unit", "period_label", "period_start", "period_end", "category"]
FIGURE_FIELDS = [
    "figure_id",
    "source",
    "locator",
    "metric",
    "value",
    "unit",
    "reporting_unit",
    "province",
    "period_label",
    "period_start",
    "period_end",
]


def check_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Validate each figure (FigureModel, then FigureRules); one issue per failing figure and check."""
    failures = pd.concat([_failures(FigureModel, figures), _failures(FigureRules, figure_facts(figures))])
    return figure_issues(failures, figures)


def _failures(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return err.failure_cases[["check", "column", "index", "failure_case"]]
    return pd.DataFrame(columns=["check", "column", "index", "failure_case"])


def figure_issues(failures: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Issues from failure rows (``check``, ``index`` and optionally ``column``); ``index`` is a figure's index."""
    whole_table = failures[failures["index"].isna()]  # a missing column or a wrong type: no figure to name
    failures = failures.dropna(subset=["index"]).drop_duplicates(subset=["check", "index"])
    if failures.empty:
        return issues_frame(_table_issues(whole_table, figures))
    unique = figures[~figures.index.duplicated()]
    found = unique.reindex(failures["index"])[FIGURE_FIELDS]
    units = {key: m.unit for key, m in metrics().items()}
    rows = []
    columns = failures["column"] if "column" in failures else [None] * len(failures)
    for check, column, figure in zip(failures["check"], columns, found.to_dict("records"), strict=True):
        kind = _check_kind(str(check), column)
        expected = units.get(figure["metric"]) if kind == "unit-mismatch" else None
        rows.append(make_issue(kind, detail=str(check), expected=expected, **figure))
    return issues_frame([*_table_issues(whole_table, figures), *rows])


def _table_issues(failures: pd.DataFrame, figures: pd.DataFrame) -> list[dict[str, object]]:
    sources = ", ".join(sorted(figures["source"].dropna().unique())) if len(figures) else None
    return [
        make_issue("invalid-figure", source=sources, detail=f"{column} {check} {case}")
        for check, column, case in failures.reindex(columns=["check", "column", "failure_case"]).itertuples(
            index=False
        )
    ]


def _check_kind(check: str, column: object) -> str:
    if check in issue_kinds():
        return check
    return "metric-unknown" if column == "metric" and check.startswith("isin") else "invalid-figure"


@dataclass(frozen=True)
class Relation:
    """Within one report: ``at_most`` means sum(left) <= right; ``requires`` means right >= 1 when left > 0."""

    check: str
    shape: Literal["at_most", "requires"]
    left: tuple[str, ...]
    right: str

    def failing(self, low: pd.DataFrame, high: pd.DataFrame) -> pd.Series:
        """Reports (rows of the wide bounds) where no values in the figures' ranges satisfy the relation."""
        if not {*self.left, self.right} <= set(low.columns):
            return pd.Series(False, index=low.index)
        left_low = low[list(self.left)].sum(axis=1, min_count=len(self.left))
        if self.shape == "requires":
            return (left_low > 0) & (high[self.right] < 1)
        return left_low > high[self.right]

    @property
    def rule(self) -> str:
        left = " + ".join(self.left)
        return f"{left} <= {self.right}" if self.shape == "at_most" else f"{self.right} >= 1 when {left} > 0"


@cache
def relations() -> list[Relation]:
    """The relations table (relations.csv): a maintainer adds a row to add a relation."""
    text = resources.files("schemas").joinpath("relations.csv").read_text(encoding="utf-8")
    return [
        Relation(r["check"], r["shape"], tuple(r["left"].split("+")), r["right"])  # type: ignore[arg-type]
        for r in csv.DictReader(text.splitlines())
    ]


def value_bounds(
    value: pd.Series, qualifier: pd.Series, tolerance: float = 0.10
) -> tuple[pd.Series, pd.Series]:
    """The values qualified figures allow: approx is within ``tolerance``, over is above, under is below."""
    approx = qualifier == "approx"
    low = (value * np.where(approx, 1 - tolerance, 1.0)).where(qualifier != "under", 0.0)
    high = (value * np.where(approx, 1 + tolerance, 1.0)).where(qualifier != "over", np.inf)
    return low, high


def value_range(value: float, qualifier: str, tolerance: float = 0.10) -> tuple[float, float]:
    """The values one qualified figure allows (``value_bounds`` for a single figure)."""
    low, high = value_bounds(pd.Series([float(value)]), pd.Series([qualifier]), tolerance)
    return float(low.iloc[0]), float(high.iloc[0])


def check_reports(figures: pd.DataFrame, settings: CheckSettings | None = None) -> pd.DataFrame:
    """Apply every relation to the period totals of each report (one source, unit, period, category)."""
    settings = settings or CheckSettings()
    totals = figures[figures["scope"] == "period_total"].reset_index(drop=True)
    if totals.empty:
        return issues_frame()
    low, high = value_bounds(totals["value"], totals["qualifier"], settings.approx_tolerance)
    keyed = pd.DataFrame(
        {
            "report": totals.groupby(REPORT_KEYS, dropna=False, sort=False).ngroup(),
            "metric": totals["metric"],
            "low": low,
            "high": high,
            "row": np.arange(len(totals)),
        }
    ).drop_duplicates(subset=["report", "metric"])
    wide = keyed.pivot(index="report", columns="metric", values=["low", "high", "row"])
    fields = totals[FIGURE_FIELDS]
    rows = []
    for relation in relations():
        failing = relation.failing(wide["low"], wide["high"])
        places = (
            wide["row"].loc[failing.to_numpy(), [*relation.left, relation.right]] if failing.any() else []
        )
        rows.extend(_relation_issues(relation, fields, places))
    return issues_frame(rows)


def _relation_issues(
    relation: Relation, fields: pd.DataFrame, places: pd.DataFrame
) -> list[dict[str, object]]:
    """Issues for the failing reports, ``places`` giving each report's row in ``fields`` per metric."""
    if len(places) == 0:
        return []
    by_metric = {m: fields.iloc[places[m].astype(int).to_numpy()].to_dict("records") for m in places.columns}
    issues = []
    for n in range(len(places)):
        left = [by_metric[m][n] for m in relation.left]
        right = by_metric[relation.right][n]
        issue = {
            **left[0],
            "value": sum(f["value"] for f in left),
            "metric": "+".join(relation.left),
            "other_metric": relation.right,
            "expected": right["value"],
            "figure_ids": [f["figure_id"] for f in left] + [right["figure_id"]],
        }
        issues.append(make_issue(relation.check, **issue))
    return issues
