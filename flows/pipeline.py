"""The ingestion flow: claim files, extract and check, store, summarise, file away, publish."""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from flows import steps
from flows.store import Store
from flows.workspace import Workspace


@task(name="read-and-check-file", task_run_name="read {path.name}", timeout_seconds=300)
def read_and_check(path: Path, known: frozenset[str]) -> steps.FileResult:
    return steps.read_file(path, known)


@task(name="store-results", retries=2, retry_delay_seconds=[1, 5])
def store_results(store_url: str, results: list[steps.FileResult]) -> list[steps.FileResult]:
    return steps.store_results(Store(store_url), results)


@task(name="write-summary", retries=2, retry_delay_seconds=[1, 5])
def write_summary(workspace: Workspace, lang: str) -> Path:
    return steps.write_summary(workspace, Store(workspace.store_url), lang)


@task(name="file-away-originals", retries=2, retry_delay_seconds=[1, 5])
def file_away(workspace: Workspace, results: list[steps.FileResult]) -> None:
    steps.file_away(workspace, Store(workspace.store_url), results)


@flow(name="ingest-reports", flow_run_name="ingest {workspace.root.name}", log_prints=True)
def ingest_reports(paths: list[Path], workspace: Workspace, lang: str = "vi") -> steps.RunReport:
    report, clock = steps.RunReport(), time.perf_counter()
    files = steps.collect_files(paths)
    known = Store(workspace.store_url).known_hashes()
    results = [read_and_check(path, known) for path in files]
    report.timings["extract_and_check"] = time.perf_counter() - clock
    report.results = store_results(workspace.store_url, results)
    report.workbook = write_summary(workspace, lang)
    file_away(workspace, report.results)
    report.timings["flow"] = time.perf_counter() - clock
    publish_summary(report)
    return report


def publish_summary(report: steps.RunReport) -> None:
    lines = [
        "# border-reports run",
        f"- files: {len(report.results)} (ingested {report.count('ingested')}, duplicates "
        f"{report.count('duplicate')}, quarantined {report.count('quarantined')})",
        f"- figures: {sum(len(r.figures) for r in report.results if r.status == 'ingested')}",
        f"- errors: {report.errors}, warnings: {report.warnings}",
        f"- workbook: {report.workbook}",
    ]
    create_markdown_artifact("\n".join(lines), key="ingest-summary", description="What the last run did")
