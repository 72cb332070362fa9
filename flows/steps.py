"""The pipeline's steps as plain functions: the flow wraps each in a task, benchmarks call them directly."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd

from flows.store import SourceRecord, Store
from flows.workspace import Workspace
from ingest.errors import UnreadableInput
from ingest.extract import extract_report, merge_issues
from ingest.periods import Period
from reports.workbook import build_workbook, save_workbook
from schemas.checks import check_figures, check_reports
from schemas.cross_checks import check_across
from schemas.figures import empty_figures
from schemas.issues import issues_frame, make_issue
from schemas.settings import CheckSettings

IGNORED = ["~$*", ".*", "*.part", "*.tmp", "*.expected.*", "README*"]


@dataclass
class FileResult:
    path: Path
    name: str
    sha256: str
    figures: pd.DataFrame
    issues: pd.DataFrame
    status: str = "ingested"  # ingested | quarantined | duplicate
    reason: str | None = None


@dataclass
class RunReport:
    """What a run did; only the CLI turns it into an exit code."""

    results: list[FileResult] = field(default_factory=list)
    across: pd.DataFrame = field(default_factory=issues_frame)  # checks across all reports in the store
    workbook: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def issues(self) -> pd.DataFrame:
        frames = [r.issues for r in self.results if len(r.issues)] + (
            [self.across] if len(self.across) else []
        )
        return pd.concat(frames, ignore_index=True) if frames else issues_frame()

    @property
    def errors(self) -> int:
        return int((self.issues["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.issues["severity"] == "warning").sum())


def collect_files(paths: list[Path]) -> list[Path]:
    """Report files under ``paths`` (files or folders), sorted; lock files, dot files and partial files skipped."""
    found = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        found.extend(p for p in candidates if not any(fnmatch(p.name, pattern) for pattern in IGNORED))
    return found


def read_file(path: Path, known: frozenset[str] = frozenset(), check: bool = True) -> FileResult:
    """Extract and check one file; an unreadable file becomes an issue naming it, never an exception.

    A file whose content hash is in ``known`` is a duplicate and is not read again. With ``check=False`` the
    figures are left for ``check_results`` to check together with other files' figures.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        return _unreadable(
            path, hashlib.sha256(str(path).encode()).hexdigest(), f"{path.name}: {err.strerror}"
        )
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 in known:
        return FileResult(path, path.name, sha256, empty_figures(), issues_frame(), "duplicate")
    try:
        found, noted = extract_report(data, path.name)
    except UnreadableInput as err:
        return _unreadable(path, sha256, str(err))
    problems = merge_issues(noted, check_found(found) if check else issues_frame())
    if found.empty:
        problems = merge_issues(noted, issues_frame([make_issue("no-figures", source=path.name)]))
    return FileResult(path, path.name, sha256, found, problems)


def check_found(found: pd.DataFrame) -> pd.DataFrame:
    """The issues of each figure and of each report (one source, unit and period) in ``found``."""
    return issues_frame([*check_figures(found).to_dict("records"), *check_reports(found).to_dict("records")])


def check_results(results: list[FileResult]) -> list[FileResult]:
    """Check the figures of many files in one pass, each file getting its own issues: a pandera validation
    costs about 40 ms whatever its size, so 2,000 files checked one by one spend 80 s there, together 1 s."""
    read = [r for r in results if len(r.figures)]
    if not read:
        return results
    checked = check_found(pd.concat([r.figures for r in read]))
    by_name = checked["source"].map({r.name: r.sha256[:12] for r in read})
    owner = checked["figure_id"].str[:12].fillna(by_name)  # a figure id starts with its source's hash
    issues = dict(tuple(checked.groupby(owner, sort=False)))
    empty = issues_frame()
    return [
        replace(r, issues=merge_issues(r.issues, issues.get(r.sha256[:12], empty))) if len(r.figures) else r
        for r in results
    ]


def _unreadable(path: Path, sha256: str, reason: str) -> FileResult:
    issue = make_issue("unreadable-file", source=path.name, detail=reason.removeprefix(f"{path.name}: "))
    return FileResult(path, path.name, sha256, empty_figures(), issues_frame([issue]), "quarantined", reason)


def store_results(store: Store, results: list[FileResult]) -> list[FileResult]:
    """Record each new file once per content hash; a file already in the store is marked a duplicate."""
    for result in results:
        if result.status == "duplicate":
            continue
        record = SourceRecord(result.sha256, result.name, result.status, result.reason)
        if not store.record(record, result.figures, result.issues):
            result.status = "duplicate"
    return results


def write_summary(
    workspace: Workspace,
    store: Store,
    lang: str = "vi",
    stamp: dt.datetime | None = None,
    period: Period | None = None,
    out: Path | None = None,
) -> Path:
    """A workbook of the store, or of one period of it, in ``summaries/`` (or at ``out``)."""
    return summarise(workspace, store, lang, stamp, period, out)[0]


def summarise(
    workspace: Workspace,
    store: Store,
    lang: str = "vi",
    stamp: dt.datetime | None = None,
    period: Period | None = None,
    out: Path | None = None,
) -> tuple[Path, pd.DataFrame]:
    """``write_summary``, also returning the issues found across all reports (run on the whole store, so a
    period is compared with the ones before it): the store is read once for both."""
    stamp = stamp or dt.datetime.now().replace(microsecond=0)
    figures = store.figures()
    across = check_across(figures, CheckSettings.from_config(workspace.config()))
    issues = issues_frame([*store.issues().to_dict("records"), *across.to_dict("records")])
    figures, issues, sources = select_period(figures, issues, store.sources(), period)
    sources = sources.assign(received=lambda f: f["received"].astype(str))
    title = period.label if period else None
    book = build_workbook(figures, issues, sources, lang=lang, generated=stamp, period_title=title)
    name = f"tong-hop-{period.label + '-' if period else ''}{stamp:%Y%m%d-%H%M%S}.xlsx"
    return save_workbook(book, out or workspace.summaries / name), across


def select_period(
    figures: pd.DataFrame, issues: pd.DataFrame, sources: pd.DataFrame, period: Period | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The figures whose period lies within ``period``, the issues about them, their sources, and the
    quarantined files (so nothing unreadable goes unseen); everything when ``period`` is None."""
    if period is None:
        return figures, issues, sources
    start, end = period.start.isoformat(), period.end.isoformat()
    dated = figures["period_start"].notna() & figures["period_end"].notna()
    inside = figures["period_start"].fillna("").ge(start) & figures["period_end"].fillna("9999").le(end)
    kept = figures[dated & inside]
    ids, names = set(kept["figure_id"]), set(kept["source"])
    about_kept = issues["figure_ids"].fillna("").map(lambda text: bool(ids & set(text.split())))
    file_level = issues["figure_ids"].fillna("").eq("") & issues["source"].isin(names)
    shown = sources["source"].isin(names) | sources["status"].eq("quarantined")
    return kept, issues[about_kept | file_level], sources[shown]


def file_away(workspace: Workspace, store: Store, results: list[FileResult]) -> None:
    """Move originals that came through the inbox to archive/ or quarantine/; files elsewhere stay put."""
    for result in results:
        if not workspace.in_inbox(result.path) or not result.path.exists():
            continue
        folder = workspace.quarantine if result.status == "quarantined" else workspace.archive
        target = folder / dt.date.today().isoformat() / f"{result.sha256[:12]}-{result.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(result.path, target)
        if result.status == "quarantined":
            target.with_name(target.name + ".why.txt").write_text(f"{result.reason}\n", encoding="utf-8")
        store.set_stored_as(result.sha256, str(target.relative_to(workspace.root)))
