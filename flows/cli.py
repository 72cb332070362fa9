"""The ``border-reports`` command. Commands that need no orchestration never import Prefect."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
import time
from pathlib import Path

import click

from flows import local_api

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
ACROSS_SHOWN = 5  # issues across reports printed after a run; the workbook has them all
FILES_SHOWN = 40  # files listed after a run, those with problems first; the workbook's Nguồn sheet lists all

workspace_option = click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Workspace folder (default: $BORDER_REPORTS_HOME or ./workspace).",
)
lang_option = click.option("--lang", type=click.Choice(["vi", "en"]), default=None, help="Workbook language.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="border-reports")
def main() -> None:
    """Turn border-security reports into checked, traceable Excel summaries.

    Example: border-reports extract sample_inputs/cao-bang-2018-10-12.txt
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def extract(files: tuple[Path, ...], fmt: str) -> None:
    """Print every figure in FILES with where it came from (no Prefect, no store).

    Example: border-reports extract --format jsonl sample_inputs/cao-bang-2018-10-12.txt
    """
    from ingest.errors import UnreadableInput
    from ingest.extract import extract_figures

    status = EXIT_OK
    for path in files:
        try:
            found = extract_figures(_read(path), path.name)
        except UnreadableInput as err:
            click.echo(f"error: {err}", err=True)
            status = EXIT_UNUSABLE
            continue
        if fmt == "jsonl":
            for row in found.to_dict("records"):
                click.echo(json.dumps(_figure_json(row), ensure_ascii=False))
        else:
            _print_figures(path.name, found)
    sys.exit(status)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.option(
    "--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Message language."
)
@click.option("--limit", default=20, show_default=True, help="Issues shown per file in text format.")
@workspace_option
def validate(files: tuple[Path, ...], fmt: str, lang: str, limit: int, workspace: Path | None) -> None:
    """Extract and check FILES, each and across them all; print the issues; exit 1 on an error, 2 on a bad file.

    Thresholds and the registry of reporting units come from the workspace's config.toml when it has one.
    Example: border-reports validate sample_inputs/quang-ninh-2019-q2-bad.txt
    """
    import pandas as pd

    from ingest.errors import UnreadableInput
    from ingest.extract import extract_report, merge_issues
    from schemas.checks import check_figures, check_reports
    from schemas.cross_checks import check_across
    from schemas.issues import has_errors

    settings = _check_settings(workspace)
    status, everything = EXIT_OK, []
    for path in files:
        try:
            found, noted = extract_report(_read(path), path.name)
        except UnreadableInput as err:
            click.echo(f"error: {err}", err=True)
            status = EXIT_UNUSABLE
            continue
        everything.append(found)
        checked = pd.concat([check_figures(found), check_reports(found, settings)], ignore_index=True)
        problems = merge_issues(noted, checked)
        _print_issues(path.name, len(found), problems, fmt, lang, limit)
        if has_errors(problems) and status == EXIT_OK:
            status = EXIT_ERRORS
    if everything:
        across = check_across(pd.concat(everything), settings)
        if fmt == "jsonl" or len(across):
            _print_issues(f"{len(everything)} files together", None, across, fmt, lang, limit)
        if has_errors(across) and status == EXIT_OK:
            status = EXIT_ERRORS
    sys.exit(status)


def _check_settings(workspace: Path | None):
    """Check settings from the workspace's config.toml when there is one (validate creates no workspace)."""
    import tomllib

    from schemas.settings import CheckSettings

    root = workspace or os.environ.get("BORDER_REPORTS_HOME") or "workspace"
    config = Path(root) / "config.toml"
    if not config.exists():
        return CheckSettings()
    try:
        return CheckSettings.from_config(tomllib.loads(config.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, TypeError, ValueError) as err:
        raise click.UsageError(f"{config}: {err}") from None


@main.command()
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Workbook to write."
)
@click.option("--unit", default=None, help="Reporting unit, written into the header cell.")
@click.option("--province", default=None, help="Province, written into the header cell.")
@click.option("--period", default=None, help="Period code: 2024, 2024-Q3, 2024-H1 or 2024-06.")
def template(out: Path, unit: str | None, province: str | None, period: str | None) -> None:
    """Write a blank submission workbook for a unit to fill in (no Prefect, no store).

    Example: border-reports template --out mau-bao-cao.xlsx --unit "Đồn Biên phòng Hữu Nghị" --period 2024-Q3
    """
    from ingest.periods import parse_period_code
    from reports.template import build_template, save_template

    if period:
        try:
            parse_period_code(period)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--period") from None
    try:
        save_template(build_template(unit, province, period), out)
    except OSError as err:
        click.echo(f"error: {out}: {err.strerror}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(str(out))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@workspace_option
@lang_option
@click.option(
    "--task-runner",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: read file by file in this process; dask: fan batches of files out over a Dask cluster.",
)
@click.option(
    "--dask-address",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Scheduler of an existing Dask cluster (default: a temporary cluster on this machine).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Files per task, the tasks run side by side (default: one file a task up to 100 files, past that "
    "100 tasks; 25 on Dask).",
)
def run(
    paths: tuple[Path, ...],
    workspace: Path | None,
    lang: str | None,
    task_runner: str,
    dask_address: str | None,
    batch_size: int | None,
) -> None:
    """Run the whole pipeline as a Prefect flow on PATHS (files or folders; default: the inbox).

    Files outside the inbox are only read, never moved. Example: border-reports run sample_inputs/
    Past one machine: border-reports run --task-runner dask --dask-address tcp://10.0.0.5:8786 reports/
    """
    started = time.perf_counter()
    space = _workspace(workspace)
    local_api_ready = local_api.configure_prefect(space, temporary_api=True)
    from flows.pipeline import ingest_reports

    flow, batches = ingest_reports, batch_size
    if task_runner == "dask" or dask_address:
        from prefect_dask import DaskTaskRunner

        flow = ingest_reports.with_options(task_runner=DaskTaskRunner(address=dask_address))
        batches = batch_size or 25
    imported = time.perf_counter()
    try:
        local_api_ready()
    except local_api.LocalApiError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    report = flow(list(paths) or None, str(space.root), lang, batch_size=batches)
    _print_run(report, imported - started, time.perf_counter() - started)
    sys.exit(EXIT_ERRORS if report.errors else EXIT_OK)


@main.command()
@click.option("--period", default=None, help="Period code: 2024, 2024-Q3, 2024-H1 or 2024-06 (default: all).")
@workspace_option
@lang_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Workbook to write."
)
@click.option(
    "--stamp",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
    default=None,
    help="Fixed time written into the workbook, for repeatable bytes (default: now).",
)
def summary(
    period: str | None, workspace: Path | None, lang: str | None, out: Path | None, stamp: dt.datetime | None
) -> None:
    """Rebuild the summary workbook from the store, for one period (no Prefect).

    A figure belongs to the period when its start and end dates lie within it.
    Example: border-reports summary --period 2018-Q3 --lang en --out summary-2018-q3.xlsx
    """
    from ingest.periods import parse_period_code

    try:
        chosen = parse_period_code(period) if period else None
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--period") from None
    from flows.steps import write_summary
    from flows.store import Store

    space = _workspace(workspace)
    try:
        path = write_summary(
            space, Store(space.store_url), lang or space.config()["workbook"]["lang"], stamp, chosen, out
        )
    except OSError as err:
        click.echo(f"error: {err.filename or out}: {err.strerror}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(str(path))


@main.command()
@workspace_option
@click.option(
    "--watch-only",
    is_flag=True,
    help="Only watch the inbox and send events (deployments from prefect.yaml on a work pool; needs PREFECT_API_URL).",
)
def serve(workspace: Path | None, watch_only: bool) -> None:
    """Run for an office: a Prefect server on 127.0.0.1 (unless PREFECT_API_URL is set), the inbox
    ingestion (on every file dropped, and a sweep every 15 minutes) and the monthly, quarterly and yearly
    summaries on schedule (Asia/Ho_Chi_Minh). Stop with Ctrl-C.

    Example: border-reports serve --workspace ./workspace
    """
    if watch_only and not os.environ.get("PREFECT_API_URL"):
        click.echo(
            "error: --watch-only sends events to the server PREFECT_API_URL names; it is not set", err=True
        )
        sys.exit(EXIT_UNUSABLE)
    space = _workspace(workspace)
    local_api.configure_prefect(space)
    os.environ["PREFECT_LOGGING_LEVEL"] = os.environ.get("BORDER_REPORTS_LOG_LEVEL", "INFO")
    from flows.serve import serve_workspace

    serve_workspace(space, echo=click.echo, watch_only=watch_only)


def _workspace(path: Path | None):
    from flows.workspace import Workspace

    return Workspace.resolve(path)


def _read(path: Path) -> bytes:
    from ingest.errors import UnreadableInput

    try:
        return path.read_bytes()
    except OSError as err:
        raise UnreadableInput(f"{path}: {err.strerror}") from None


def _figure_json(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if key == "span_start":
            out["span"] = [_plain(row["span_start"]), _plain(row["span_end"])]
        elif key != "span_end":
            out[key] = _plain(value)
    return out


def _plain(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else (int(value) if value.is_integer() else value)
    if hasattr(value, "item"):
        return _plain(value.item())
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _print_figures(name: str, found) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{name}: {len(found)} figures", title_justify="left")
    for column in ("locator", "metric", "value", "unit", "qualifier", "category", "scope", "period", "quote"):
        table.add_column(column, overflow="fold", justify="right" if column == "value" else "left")
    for row in found.to_dict("records"):
        value = _plain(row["value"])
        table.add_row(
            row["locator"],
            row["metric"],
            f"{value:,}" if value is not None else "",
            row["unit"],
            row["qualifier"],
            row["category"],
            row["scope"],
            _plain(row["period_label"]) or "",
            (_plain(row["quote"]) or "")[:70],
        )
    Console(width=200).print(table)


def _print_issues(name: str, figure_count: int | None, problems, fmt: str, lang: str, limit: int) -> None:
    if fmt == "jsonl":
        keys = [
            "check",
            "severity",
            "message_vi",
            "message_en",
            "source",
            "locator",
            "metric",
            "value",
            "expected",
            "figure_ids",
            "reporting_unit",
            "period_label",
        ]
        for row in problems.to_dict("records"):
            click.echo(json.dumps({k: _plain(row[k]) for k in keys}, ensure_ascii=False))
        return
    errors = int((problems["severity"] == "error").sum())
    counted = f"{figure_count} figures, " if figure_count is not None else ""
    click.echo(f"{name}: {counted}{errors} errors, {len(problems) - errors} warnings")
    message = "message_vi" if lang == "vi" else "message_en"
    for row in problems.head(limit).to_dict("records"):
        click.echo(f"  {row['severity']:<7} {row['check']}: {row[message]}")
    if len(problems) > limit:
        click.echo(f"  … and {len(problems) - limit} more")


def _print_run(report, start_seconds: float, total_seconds: float) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="border-reports run", title_justify="left")
    for column in ("file", "status", "figures", "errors", "warnings"):
        table.add_column(column, justify="left" if column in {"file", "status"} else "right")
    rows = []
    for result in report.results:
        errors = int((result.issues["severity"] == "error").sum())
        rows.append((result.name, result.status, len(result.figures), errors, len(result.issues) - errors))
    if len(rows) > FILES_SHOWN:  # a long run: what needs a look first
        rows.sort(key=lambda row: (row[1] != "quarantined", -row[3], -row[4]))
    for name, status, figures, errors, warnings in rows[:FILES_SHOWN]:
        table.add_row(name, status, str(figures), str(errors), str(warnings))
    console = Console(width=120)
    console.print(table)
    if len(rows) > FILES_SHOWN:
        console.print(
            f"… and {len(rows) - FILES_SHOWN} more files, listed with the others on the Nguồn sheet of the workbook",
            highlight=False,
        )
    across = report.across
    if len(across):
        errors = int((across["severity"] == "error").sum())
        console.print(f"across reports: {errors} errors, {len(across) - errors} warnings", highlight=False)
        for row in across.head(ACROSS_SHOWN).to_dict("records"):
            console.print(
                f"  {row['severity']:<7} {row['check']}: {row['message_vi']}", highlight=False, soft_wrap=True
            )
        if len(across) > ACROSS_SHOWN:
            console.print(
                f"  … and {len(across) - ACROSS_SHOWN} more (sheet Kiểm tra of the workbook)", highlight=False
            )
    console.print(
        f"{len(report.results)} files: {report.count('ingested')} ingested, {report.count('duplicate')} duplicates, "
        f"{report.count('quarantined')} quarantined; {report.errors} errors, {report.warnings} warnings"
    )
    flow_seconds = report.timings.get("flow", 0.0)
    console.print(
        f"time: {total_seconds:.1f} s = start-up and Prefect import {start_seconds:.1f} s + Prefect API start and "
        f"shutdown {total_seconds - start_seconds - flow_seconds:.1f} s + flow {flow_seconds:.1f} s "
        f"(reading and checking {report.timings.get('extract_and_check', 0):.1f} s)"
    )
    console.print(f"Workbook: {report.workbook}", soft_wrap=True)
