"""Scheduled summaries: on the first day of a month, quarter or year, a workbook of the period just ended."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from prefect import flow, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact

from flows import steps
from flows.store import Store
from flows.workspace import Workspace

TIMEZONE = "Asia/Ho_Chi_Minh"
# Cadence -> cron (06:00 local on the first day of the next period); the period summarised is the one just ended.
SCHEDULES = {
    "monthly": "0 6 1 * *",
    "quarterly": "0 6 1 1,4,7,10 *",
    "yearly": "0 6 1 1 *",
}


@dataclass(frozen=True)
class Period:
    label: str  # 2018-10, 2018-Q4, 2018
    start: dt.date
    end: dt.date


def parse_period(label: str) -> Period:
    """``2018-10`` (a month), ``2018-Q4`` (a quarter) or ``2018`` (a year)."""
    if match := re.fullmatch(r"([0-9]{4})-Q([1-4])", label):
        year, quarter = int(match[1]), int(match[2])
        return Period(label, dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    if match := re.fullmatch(r"([0-9]{4})-([0-9]{2})", label):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(label, dt.date(year, month, 1), _month_end(year, month))
    if re.fullmatch(r"[0-9]{4}", label):
        return Period(label, dt.date(int(label), 1, 1), dt.date(int(label), 12, 31))
    raise ValueError(f"{label!r}: a period is 2018-10 (month), 2018-Q4 (quarter) or 2018 (year)")


def period_just_ended(cadence: str, today: dt.date) -> Period:
    """The month, quarter or year that ended before ``today``."""
    month_before = today.replace(day=1) - dt.timedelta(days=1)
    quarter_before = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
    labels = {
        "monthly": f"{month_before:%Y-%m}",
        "quarterly": f"{quarter_before.year}-Q{(quarter_before.month - 1) // 3 + 1}",
        "yearly": f"{today.year - 1}",
    }
    if cadence not in labels:
        raise ValueError(f"{cadence!r}: the cadence is one of {', '.join(labels)}")
    return parse_period(labels[cadence])


class PeriodView:
    """The store seen through one period: figures that fall inside it, their sources and issues."""

    def __init__(self, store: Store, period: Period) -> None:
        self.store, self.period = store, period

    def figures(self) -> pd.DataFrame:
        found = self.store.figures()
        inside = (found["period_start"] >= self.period.start.isoformat()) & (
            found["period_end"] <= self.period.end.isoformat()
        )
        return found[inside.fillna(False).astype(bool)].reset_index(drop=True)

    def sources(self) -> pd.DataFrame:
        ledger = self.store.sources()
        return ledger[ledger["sha256"].isin(self.figures()["source_sha256"])].reset_index(drop=True)

    def issues(self) -> pd.DataFrame:
        found = self.store.issues()
        return found[found["source"].isin(self.sources()["source"])].reset_index(drop=True)


@task(name="write-period-workbook", retries=3, retry_delay_seconds=[2, 4, 8])
def write_period_workbook(workspace: Workspace, period: Period, lang: str) -> tuple[Path, int]:
    view = PeriodView(Store(workspace.store_url), period)
    written = steps.write_summary(workspace, view, lang)
    target = written.with_name(f"tong-hop-{period.label}.xlsx")
    os.replace(written, target)  # one workbook per period: a rerun replaces it
    return target, len(view.figures())


@flow(name="summarise-period", flow_run_name="{cadence} summary", log_prints=True)
def summarise_period(
    cadence: str = "monthly", period: str | None = None, workspace: str | None = None, lang: str | None = None
) -> Path:
    """A workbook of PERIOD (default: the month, quarter or year just ended, in Asia/Ho_Chi_Minh)."""
    space = Workspace.resolve(workspace)
    chosen = (
        parse_period(period)
        if period
        else period_just_ended(cadence, dt.datetime.now(ZoneInfo(TIMEZONE)).date())
    )
    path, figures = write_period_workbook(space, chosen, lang or space.config()["workbook"]["lang"])
    create_markdown_artifact(
        f"# Summary {chosen.label}\n- period: {chosen.start} to {chosen.end}\n- figures: {figures}\n- workbook: {path}",
        key=f"{cadence}-summary",
        description=f"The {cadence} summary",
    )
    create_link_artifact(path.as_uri(), link_text=path.name, key=f"{cadence}-summary-workbook")
    return path


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
