"""Scheduled summaries: which period a run on the first of a month summarises, and the workbook it writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flows import steps
from flows.store import Store
from flows.summaries import SCHEDULES, period_just_ended, write_period_workbook
from ingest.periods import parse_period_code

HA_GIANG_Q1 = Path(__file__).resolve().parents[1] / "data" / "prose" / "03-ha-giang-quy-i-2019.txt"


@pytest.mark.parametrize(
    ("cadence", "today", "expected"),
    [
        ("monthly", dt.date(2019, 11, 1), "2019-10"),
        ("monthly", dt.date(2019, 1, 1), "2018-12"),
        ("quarterly", dt.date(2019, 4, 1), "2019-Q1"),
        ("quarterly", dt.date(2019, 1, 1), "2018-Q4"),
        ("quarterly", dt.date(2019, 8, 15), "2019-Q2"),
        ("yearly", dt.date(2019, 1, 1), "2018"),
    ],
)
def test_a_scheduled_run_summarises_the_period_just_ended(cadence, today, expected):
    assert period_just_ended(cadence, today) == expected


def test_every_cadence_has_a_schedule_and_an_unknown_one_is_refused():
    assert set(SCHEDULES) == {"monthly", "quarterly", "yearly"}
    with pytest.raises(ValueError, match="monthly, quarterly, yearly"):
        period_just_ended("weekly", dt.date(2019, 1, 1))


def test_the_period_workbook_holds_that_periods_figures(workspace):
    store = Store(workspace.store_url)
    steps.store_results(store, [steps.read_file(HA_GIANG_Q1)])
    path = write_period_workbook.fn(workspace, parse_period_code("2019-Q1"), "vi")
    assert path == workspace.summaries / "tong-hop-2019-Q1.xlsx"
    values = [row for sheet in load_workbook(path) for row in sheet.iter_rows(values_only=True)]
    assert any(37 in row for row in values)  # cases detected in Hà Giang, quarter I of 2019
    empty = write_period_workbook.fn(workspace, parse_period_code("2019-Q2"), "vi")
    assert not any(37 in row for sheet in load_workbook(empty) for row in sheet.iter_rows(values_only=True))
