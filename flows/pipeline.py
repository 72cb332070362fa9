"""The ingestion flow: claim files, extract and check, store, summarise, file away, publish."""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import time
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.timeout import timeout

from flows import inbox, progress, steps
from flows.store import Store
from flows.workspace import Workspace

ISSUE_TABLE_LIMIT = 500  # rows in the issues artifact; the workbook has all of them
READ_TIMEOUT = 120  # seconds to read and check one file; past it the file is quarantined
# Up to this many files, one task a file (each visible in the UI); past it, this many tasks of several files:
# a task costs about 8 ms of orchestration, a third of what reading and checking a file costs.
MAX_READ_TASKS = 100


def retry_on_file_system_error(task, task_run, state) -> bool:
    """Retry only what a retry can help: a file busy, a disk or share briefly away, the store locked."""
    try:
        state.result()
    except OSError:
        return True
    except Exception as err:  # the store's "database is locked" comes wrapped by SQLAlchemy
        return "locked" in str(err)
    return False


# Nothing here is cached or persisted, so no task hashes its inputs for a cache key: with the default policy
# every read task hashed the store's known hashes (79 ms a task at 100,000 sources instead of 4 ms).
no_cache = {"cache_policy": NO_CACHE}
on_disk = {
    **no_cache,
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(2),
    "retry_condition_fn": retry_on_file_system_error,
}


@task(name="claim-inbox-files", **on_disk)
def claim_inbox(workspace: Workspace, settle_seconds: float) -> inbox.Claim:
    return inbox.claim_inbox(workspace, settle_seconds)


@task(name="read-and-check-file", task_run_name="read {path.name}", timeout_seconds=READ_TIMEOUT, **no_cache)
def read_and_check(path: Path, known: frozenset[str], claimed: bool) -> steps.FileResult:
    why = inbox.refusal(path) if claimed else None
    if why:
        return inbox.refused_result(path, why)
    try:
        return steps.read_file(path, known, check=False)  # checked with the other files in check_figures
    except Exception as err:  # a reader's bug must not block the inbox: the file is quarantined, named
        log = run_logger()
        log.warning("%s: the reader failed (%s); the file goes to quarantine", path.name, type(err).__name__)
        log.debug("the reader's traceback", exc_info=True)
        return inbox.failed_result(path, f"{path.name}: the reader failed ({type(err).__name__}: {err})")


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    """The Prefect run's logger (its lines reach the UI), or this module's outside a run."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def read_or_quarantine(path: Path, known: frozenset[str], claimed: bool) -> steps.FileResult:
    """One file in its own task; a file whose task fails or times out is quarantined, the run goes on."""
    state = read_and_check(path, known, claimed, return_state=True)
    if state.is_completed():
        return state.result()
    return inbox.failed_result(path, f"{path.name}: {state.message or state.name}")


@task(name="read-and-check-batch", task_run_name="read {paths[0].name} and the next files", **no_cache)
def read_and_check_batch(
    paths: list[Path], known: frozenset[str], claimed: frozenset[Path]
) -> list[steps.FileResult]:
    """Several files in one task, so that a run pays the cost of a task once a batch; each file keeps its own
    time limit."""
    return [read_within_limit(p, known, p in claimed) for p in paths]


def read_within_limit(path: Path, known: frozenset[str], claimed: bool) -> steps.FileResult:
    try:
        with timeout(READ_TIMEOUT):
            return read_and_check.fn(path, known, claimed)
    except TimeoutError:
        run_logger().warning("%s: not read within %s s; the file goes to quarantine", path.name, READ_TIMEOUT)
        return inbox.failed_result(path, f"{path.name}: not read within {READ_TIMEOUT} s")


def files_per_task(files: int, asked: int | None) -> int:
    """As asked; else one file a task (0) up to MAX_READ_TASKS files, and MAX_READ_TASKS batches past it."""
    if asked is not None:
        return asked
    return 0 if files <= MAX_READ_TASKS else math.ceil(files / MAX_READ_TASKS)


def read_all(
    paths: list[Path], known: frozenset[str], claimed: frozenset[Path], batch_size: int
) -> list[steps.FileResult]:
    """File by file in this process; with ``batch_size``, batches submitted to the flow's task runner."""
    if not batch_size:
        return [read_or_quarantine(p, known, p in claimed) for p in progress.track_items(paths, "reading")]
    batches = [paths[i : i + batch_size] for i in range(0, len(paths), batch_size)]
    futures = [read_and_check_batch.submit(batch, known, claimed) for batch in batches]
    results: list[steps.FileResult] = []
    with progress.progress_bar(len(paths), "reading") as advance:
        for future, batch in zip(futures, batches, strict=True):
            results.extend(future.result())
            advance(len(batch))
    return results


@task(name="check-figures", **no_cache)
def check_figures(results: list[steps.FileResult]) -> list[steps.FileResult]:
    return steps.check_results(results)


@task(name="store-results", **on_disk)
def store_results(store_url: str, results: list[steps.FileResult]) -> list[steps.FileResult]:
    return steps.store_results(Store(store_url), results)


@task(name="check-across-and-write-summary", **on_disk)
def summarise(workspace: Workspace, lang: str) -> tuple[Path, pd.DataFrame]:
    return steps.summarise(workspace, Store(workspace.store_url), lang)


@task(name="file-away-originals", **on_disk)
def file_away(workspace: Workspace, claim: inbox.Claim, results: list[steps.FileResult]) -> None:
    store = Store(workspace.store_url)
    for result in results:
        if result.path.is_relative_to(claim.folder) and os.path.lexists(result.path):
            inbox.file_original(workspace, store, result.path, result.sha256, result.status, result.reason)


def name_run() -> str:
    return f"ingest {dt.datetime.now():%Y-%m-%d %H:%M}"


# Reading is CPU-bound under the GIL: a second reading thread gains nothing and takes the core that Prefect's
# API and the store need (2,000 files on 2 cores: 48 s with one thread, 50-52 s with two). More cores are for
# Dask workers (run --task-runner dask).
@flow(
    name="ingest-reports",
    flow_run_name=name_run,
    log_prints=True,
    task_runner=ThreadPoolTaskRunner(max_workers=1),
)
def ingest_reports(
    paths: list[Path] | None = None,
    workspace: str | None = None,
    lang: str | None = None,
    settle_seconds: float = inbox.SETTLE_SECONDS,
    summarise_when_empty: bool = True,
    batch_size: int | None = None,
) -> steps.RunReport:
    """Ingest PATHS (default: the inbox). Inbox files are claimed and filed away; other paths are only read.

    ``batch_size``: files per read task (0: one file a task; None: one a task up to MAX_READ_TASKS files).
    """
    space, report, clock = Workspace.resolve(workspace), steps.RunReport(), time.perf_counter()
    paths = paths or [space.inbox]
    claim = (
        claim_inbox(space, settle_seconds) if any(map(space.in_inbox, paths)) else inbox.Claim(space.inbox)
    )
    outside = steps.collect_files([p for p in paths if not space.in_inbox(p)])
    known = Store(space.store_url).known_hashes()
    files = [*claim.files, *outside]
    results = read_all(files, known, frozenset(claim.files), files_per_task(len(files), batch_size))
    results = check_figures(results)
    report.timings["extract_and_check"] = time.perf_counter() - clock
    report.results = store_results(space.store_url, results)
    if results or summarise_when_empty:
        report.workbook, report.across = summarise(space, lang or space.config()["workbook"]["lang"])
    file_away(space, claim, report.results)
    claim.release()
    report.timings["flow"] = time.perf_counter() - clock
    publish_artifacts(report)
    return report


def publish_artifacts(report: steps.RunReport) -> None:
    """What the run did, for the Prefect UI: a summary, the issues as a table, a link to the workbook."""
    create_markdown_artifact(summary_markdown(report), key="ingest-summary", description="What the run did")
    issues = report.issues.head(ISSUE_TABLE_LIMIT)
    columns = ["severity", "check", "message_en", "source", "locator", "metric", "value", "expected"]
    rows = [{k: _cell(row[k]) for k in columns} for row in issues.to_dict("records")]
    create_table_artifact(
        rows, key="ingest-issues", description=f"Issues found ({len(report.issues)} in all)"
    )
    if report.workbook:
        create_link_artifact(report.workbook.as_uri(), link_text=report.workbook.name, key="ingest-workbook")


def summary_markdown(report: steps.RunReport) -> str:
    figures = sum(len(r.figures) for r in report.results if r.status == "ingested")
    lines = [
        "# border-reports run",
        f"- files: {len(report.results)} (ingested {report.count('ingested')}, duplicates "
        f"{report.count('duplicate')}, quarantined {report.count('quarantined')})",
        f"- figures: {figures}",
        f"- errors: {report.errors}, warnings: {report.warnings}",
        f"- workbook: {report.workbook or 'not written (nothing new)'}",
        "",
        "| file | status | figures | note |",
        "| --- | --- | --- | --- |",
        *[f"| {r.name} | {r.status} | {len(r.figures)} | {r.reason or ''} |" for r in report.results],
    ]
    return "\n".join(lines)


def _cell(value: object) -> object:
    if value is None or isinstance(value, str | int | bool):
        return value
    try:
        return None if value != value else float(value)  # NaN is the one value not equal to itself
    except (TypeError, ValueError):
        return str(value)
