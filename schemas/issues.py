"""Issue records: every kind of issue is a catalogued row with a severity and message templates."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

import pandas as pd

from schemas.catalog import metrics

ISSUE_COLUMNS = [
    "severity",
    "check",
    "message_vi",
    "message_en",
    "figure_id",
    "figure_ids",
    "source",
    "locator",
    "metric",
    "value",
    "expected",
    "reporting_unit",
    "period_label",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class IssueKind:
    check: str
    severity: Severity
    scope: str
    message_vi: str
    message_en: str
    rule: str = (
        ""  # the rule in words (last column, may be blank: relations and cross checks state their own)
    )


@cache
def issue_kinds() -> dict[str, IssueKind]:
    text = resources.files("schemas").joinpath("issue_kinds.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        row["check"]: IssueKind(
            **{**row, "severity": Severity(row["severity"]), "rule": row.get("rule") or ""}
        )
        for row in rows
    }


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "?"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _vietnamese(shown: str, value: object) -> str:
    """A number as Vietnamese writes it: ``.`` groups thousands, ``,`` is the decimal mark."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return shown
    return shown.translate(str.maketrans({",": ".", ".": ","}))


def make_issue(check: str, **fields: object) -> dict[str, object]:
    """One issue row of kind ``check``, its messages rendered from the catalogued templates."""
    kind = issue_kinds()[check]
    catalog = metrics()
    names = _Blank({key: _shown(value) for key, value in fields.items()})
    for prefix, key in (("metric", fields.get("metric")), ("other", fields.get("other_metric"))):
        parts = [catalog.get(part) for part in str(key).split("+")]  # a relation's left side may be a sum
        known = all(parts)
        names[f"{prefix}_vi"] = " + ".join(p.label_vi for p in parts) if known else _shown(key)
        names[f"{prefix}_en"] = " + ".join(p.label_en for p in parts) if known else _shown(key)
    row = {column: fields.get(column) for column in ISSUE_COLUMNS}
    names_vi = _Blank({**names, **{k: _vietnamese(names[k], v) for k, v in fields.items()}})
    row.update(
        severity=str(kind.severity),
        check=check,
        message_vi=kind.message_vi.format_map(names_vi),
        message_en=kind.message_en.format_map(names),
    )
    row["figure_ids"] = " ".join(
        fields.get("figure_ids") or ([fields["figure_id"]] if fields.get("figure_id") else [])
    )
    return row


def issues_frame(rows: Iterable[Mapping[str, object]] = ()) -> pd.DataFrame:
    """A table of issues with the contract's columns, errors first."""
    frame = pd.DataFrame(list(rows), columns=ISSUE_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["expected"] = frame["expected"].astype("object")
    order = frame["severity"].map({"error": 0, "warning": 1})
    return (
        frame.assign(_order=order)
        .sort_values("_order", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def has_errors(issues: pd.DataFrame) -> bool:
    return bool((issues["severity"] == Severity.ERROR).any())
