"""Scheduled summaries: on the first day of a month, quarter or year, a workbook of the period just ended."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact

from flows import steps
from flows.store import Store
from flows.workspace import Workspace
from ingest.periods import Period, parse_period_code

TIMEZONE = "Asia/Ho_Chi_Minh"
# Cadence -> cron (06:00 local on the first day of the next period); the period summarised is the one just ended.
SCHEDULES = {
    "monthly": "0 6 1 * *",
    "quarterly": "0 6 1 1,4,7,10 *",
    "yearly": "0 6 1 1 *",
}


def period_just_ended(cadence: str, today: dt.date) -> str:
    """The code (``2018-10``, ``2018-Q4``, ``2018``) of the month, quarter or year that ended before ``today``."""
    month_before = today.replace(day=1) - dt.timedelta(days=1)
    quarter_before = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
    labels = {
        "monthly": f"{month_before:%Y-%m}",
        "quarterly": f"{quarter_before.year}-Q{(quarter_before.month - 1) // 3 + 1}",
        "yearly": f"{today.year - 1}",
    }
    if cadence not in labels:
        raise ValueError(f"{cadence!r}: the cadence is one of {', '.join(labels)}")
    return labels[cadence]


@task(name="write-period-workbook", retries=3, retry_delay_seconds=[2, 4, 8])
def write_period_workbook(workspace: Workspace, period: Period, lang: str) -> Path:
    """One workbook per period, ``summaries/tong-hop-<period>.xlsx``: a rerun replaces it."""
    target = workspace.summaries / f"tong-hop-{period.label}.xlsx"
    return steps.write_summary(workspace, Store(workspace.store_url), lang, period=period, out=target)


@flow(name="summarise-period", flow_run_name="{cadence} summary", log_prints=True)
def summarise_period(
    cadence: str = "monthly", period: str | None = None, workspace: str | None = None, lang: str | None = None
) -> Path:
    """A workbook of PERIOD (default: the month, quarter or year just ended, in Asia/Ho_Chi_Minh)."""
    space = Workspace.resolve(workspace)
    today = dt.datetime.now(ZoneInfo(TIMEZONE)).date()
    chosen = parse_period_code(period or period_just_ended(cadence, today))
    path = write_period_workbook(space, chosen, lang or space.config()["workbook"]["lang"])
    create_markdown_artifact(
        f"# Summary {chosen.label}\n- period: {chosen.start} to {chosen.end}\n- workbook: {path}",
        key=f"{cadence}-summary",
        description=f"The {cadence} summary",
    )
    create_link_artifact(path.as_uri(), link_text=path.name, key=f"{cadence}-summary-workbook")
    return path
