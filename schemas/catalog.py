"""The metric catalog, read from ``metrics.csv``: one row per metric, and everything derives from it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Unit = Literal["count", "VND", "g", "kg", "km"]
CATEGORIES = (
    "all",
    "drugs",
    "smuggling",
    "trade_fraud",
    "illegal_entry_exit",
    "human_trafficking",
    "weapons_firecrackers",
    "other",
)
SCOPES = ("period_total", "subset", "incident", "stock", "headline")
QUALIFIERS = ("exact", "approx", "over", "under")
GROUP_LABELS = {
    "cases": ("Xử lý vụ việc", "Case handling"),
    "money": ("Tiền", "Money"),
    "seizures": ("Thu giữ", "Seizures"),
    "border": ("Khu vực biên giới", "Border area"),
}


@dataclass(frozen=True)
class Metric:
    key: str
    group: str
    unit: Unit
    kind: Literal["flow", "stock"]
    default_category: str
    default_scope: str
    label_vi: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_vi if lang == "vi" else self.label_en


class UnknownMetric(KeyError):
    """A metric key that is not in the catalog; the message lists the known keys."""


@cache
def metrics() -> dict[str, Metric]:
    """The catalog in file order, keyed by metric key."""
    text = resources.files("schemas").joinpath("metrics.csv").read_text(encoding="utf-8")
    return {row["key"]: Metric(**row) for row in csv.DictReader(text.splitlines())}


def metric(key: str) -> Metric:
    try:
        return metrics()[key]
    except KeyError:
        raise UnknownMetric(f"unknown metric {key!r}; known: {', '.join(metrics())}") from None


def metric_keys() -> list[str]:
    return list(metrics())
