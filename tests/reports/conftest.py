"""A small but complete set of figures, issues and sources for the workbook tests.

Two quarters, two provinces, three reporting units (one sending the same figure in two files); a subset and
an incident that the Summary must not add;
qualified values; a fractional mass; a metric restricted to a category; text that looks like a formula.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from schemas.figures import coerce_figures
from schemas.issues import issues_frame

GENERATED = dt.datetime(2024, 10, 5, 8, 30)
SHA = {"cb": "c" * 64, "ls": "d" * 64, "bg": "e" * 64, "hn": "a" * 64}
FILES = {
    "cb": "cao-bang-q3.txt",
    "ls": "@lang-son-q3.csv",
    "bg": "bien-phong-q2.txt",
    "hn": "bien-phong-q3.xlsx",
}
Q2, Q3 = ("2024-04-01", "2024-06-30", "quý II/2024"), ("2024-07-01", "2024-09-30", "quý III/2024")
UNITS = {
    "cb": ("Ban Nội chính Tỉnh ủy Cao Bằng", "Cao Bằng"),
    "ls": ("=Ban Chỉ đạo 389 Lạng Sơn", "Lạng Sơn"),  # looks like a formula: must stay text
    "bg": ("Bộ đội Biên phòng Cao Bằng", "Cao Bằng"),
    "hn": ("Bộ đội Biên phòng Cao Bằng", "Cao Bằng"),  # the same unit again, in a second file
}
# (file, period, metric, value, unit, qualifier, category, scope)
ROWS = [
    ("cb", Q3, "cases_detected", 347, "count", "exact", "all", "period_total"),
    ("cb", Q3, "subjects_detected", 430, "count", "exact", "all", "period_total"),
    ("cb", Q3, "cases_prosecuted", 60, "count", "exact", "all", "period_total"),
    ("cb", Q3, "budget_collected_vnd", 700_000_000, "VND", "approx", "all", "period_total"),
    ("cb", Q3, "cases_detected", 12, "count", "exact", "drugs", "period_total"),
    ("cb", Q3, "cases_detected", 40, "count", "exact", "smuggling", "subset"),
    ("cb", Q3, "heroin_grams", 12.5, "g", "exact", "drugs", "period_total"),
    ("ls", Q3, "cases_detected", 512, "count", "over", "all", "period_total"),
    ("ls", Q3, "subjects_detected", 600, "count", "exact", "all", "period_total"),
    ("ls", Q3, "cases_prosecuted", 75, "count", "exact", "all", "period_total"),
    ("ls", Q3, "budget_collected_vnd", 1_250_000_000, "VND", "exact", "all", "period_total"),
    ("ls", Q3, "heroin_grams", 3000, "g", "exact", "drugs", "incident"),
    ("bg", Q2, "cases_detected", 290, "count", "exact", "all", "period_total"),
    ("bg", Q2, "subjects_detected", 350, "count", "exact", "all", "period_total"),
    ("bg", Q2, "cases_prosecuted", 81, "count", "under", "all", "period_total"),
    ("bg", Q3, "cases_detected", 300, "count", "exact", "all", "period_total"),
    ("hn", Q3, "cases_detected", 300, "count", "exact", "all", "period_total"),  # the same figure, sent twice
]


def _figure(index: int, row: tuple) -> dict:
    key, (start, end, period), metric, value, unit, qualifier, category, scope = row
    unit_name, province = UNITS[key]
    locator = f"L{index + 1}:C{10 * index}"
    return {
        "figure_id": f"{SHA[key][:12]}:{locator}",
        "source": FILES[key],
        "source_sha256": SHA[key],
        "locator": locator,
        "line": index + 1,
        "quote": f"phát hiện {value} ({metric})" if index != 3 else '=HYPERLINK("http://x","bấm")',
        "reporting_unit": unit_name,
        "province": province,
        "period_start": start,
        "period_end": end,
        "period_label": period,
        "metric": metric,
        "category": category,
        "scope": scope,
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "lang": "vi",
    }


def make_figures() -> pd.DataFrame:
    return coerce_figures([_figure(index, row) for index, row in enumerate(ROWS)])


def make_issues(figures: pd.DataFrame) -> pd.DataFrame:
    ids = figures["figure_id"].tolist()
    rows = [
        {
            "severity": "warning",
            "check": "change-beyond-threshold",
            "message_vi": "Số vụ tăng mạnh so với kỳ trước",
            "message_en": "Cases rose sharply from the previous period",
            "figure_ids": ids[0],
            "source": FILES["cb"],
            "locator": "L1:C0",
            "metric": "cases_detected",
            "value": 347,
            "expected": "290",
        },
        {
            "severity": "error",
            "check": "prosecuted-exceeds-detected",
            "message_vi": "+Số vụ khởi tố lớn hơn số vụ phát hiện",
            "message_en": "-Cases prosecuted exceed cases detected",
            "figure_ids": f"{ids[14]} {ids[12]}",
            "source": FILES["bg"],
            "locator": "L15:C140",
            "metric": "cases_prosecuted",
            "value": 81,
            "expected": "<= 290",
        },
        {
            "severity": "warning",
            "check": "cross-source-conflict",
            "message_vi": "Cùng kỳ, cùng chỉ tiêu, hai nguồn khác nhau",
            "message_en": "Same period and metric, two sources disagree",
            "figure_ids": f"{ids[0]} {ids[15]}",
            "source": FILES["cb"],
            "locator": "L1:C0",
            "metric": "cases_detected",
            "value": 347,
            "expected": "300",
        },
    ]
    return issues_frame(rows)


def make_sources() -> pd.DataFrame:
    rows = [
        {
            "source": FILES[key],
            "sha256": SHA[key],
            "received": f"2024-10-0{n}T09:00:00+07:00",
            "status": "ingested",
            "reason": None,
        }
        for n, key in enumerate(FILES, start=1)
    ]
    rows.append(
        {
            "source": "hong.xlsx",
            "sha256": "f" * 64,
            "received": "2024-10-04T09:00:00+07:00",
            "status": "quarantined",
            "reason": "hong.xlsx: not a zip file",
        }
    )
    return pd.DataFrame(rows)


@pytest.fixture
def figures() -> pd.DataFrame:
    return make_figures()


@pytest.fixture
def issues(figures: pd.DataFrame) -> pd.DataFrame:
    return make_issues(figures)


@pytest.fixture
def sources() -> pd.DataFrame:
    return make_sources()
