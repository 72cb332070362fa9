"""Scale: the generated corpus reads back exactly with its planted inconsistencies reported, the store works
the same on PostgreSQL, and `run --task-runner dask` fans batches out over a two-worker Dask cluster."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.make_corpus import make_corpus
from flows.steps import check_results, collect_files, read_file, store_results, write_summary
from flows.store import Store
from flows.workspace import Workspace
from ingest.periods import parse_period_code
from schemas.cross_checks import check_across

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("BORDER_REPORTS_TEST_PG_URL")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("corpus") / "reports"
    return folder, make_corpus(folder, 40, seed=3)


@pytest.fixture(scope="module")
def read_back(corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    results = [read_file(path) for path in collect_files([corpus[0]])]
    figures = pd.concat([r.figures for r in results], ignore_index=True)
    issues = pd.concat([*(r.issues for r in results), check_across(figures)], ignore_index=True)
    return figures, issues


def figures_of(figures: pd.DataFrame, report: dict) -> dict[str, float]:
    period = parse_period_code(report["period"])
    mine = figures[
        (figures["source"] == report["file"])
        & (figures["reporting_unit"] == report["reporting_unit"])
        & (figures["province"] == report["province"])
        & (figures["period_start"] == period.start.isoformat())
        & (figures["period_end"] == period.end.isoformat())
        & figures["value"].notna()  # a cell that is not a number is a figure with no value
    ]
    return dict(zip(mine["metric"], mine["value"], strict=True))


def test_every_generated_report_reads_back_with_its_values(corpus, read_back):
    folder, manifest = corpus
    assert len(collect_files([folder])) == manifest["files"] == 40
    assert {"txt", "docx", "csv", "xlsx"} <= {k for k, n in manifest["kinds"].items() if n}
    for report in manifest["reports"]:
        assert figures_of(read_back[0], report) == pytest.approx(report["values"]), report["file"]


def test_every_planted_inconsistency_is_reported_and_nothing_else_is_an_error(corpus, read_back):
    manifest, issues = corpus[1], read_back[1]
    assert len(manifest["planted"]) == 7
    for plant in manifest["planted"]:
        named = issues[(issues["check"] == plant["check"]) & issues["source"].isin(plant["sources"])]
        assert len(named), plant
    planted_sources = {s for p in manifest["planted"] for s in p["sources"]}
    errors = issues[issues["severity"] == "error"]
    assert errors["source"].isin(planted_sources).all()


def issue_keys(result) -> list[tuple]:
    return sorted(zip(result.issues["check"], result.issues["figure_id"].fillna(""), strict=True))


def test_checking_files_together_gives_each_file_the_issues_it_gets_alone(corpus):
    paths = collect_files([corpus[0]])
    alone = [read_file(path) for path in paths]
    together = check_results([read_file(path, check=False) for path in paths])
    assert [issue_keys(r) for r in together] == [issue_keys(r) for r in alone]
    assert {"prosecuted-exceeds-detected", "total-mismatch"} <= {k for r in alone for k, _ in issue_keys(r)}


STORE_URLS = [
    "sqlite",
    pytest.param(PG_URL, marks=pytest.mark.skipif(not PG_URL, reason="no PostgreSQL URL")),
]


@pytest.fixture(params=STORE_URLS, ids=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    import sqlalchemy as sa

    from flows.store import metadata

    metadata.drop_all(sa.create_engine(request.param))  # one database, a clean schema for each test
    return request.param


def test_the_store_keeps_the_corpus_the_same_on_sqlite_and_postgresql(
    corpus, store_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("BORDER_REPORTS_STORE_URL", store_url)
    space = Workspace.resolve(tmp_path / "workspace")
    store = Store(space.store_url)
    results = store_results(store, [read_file(p) for p in collect_files([corpus[0]])])
    again = store_results(store, [read_file(p, store.known_hashes()) for p in collect_files([corpus[0]])])
    stored = [r for r in results if r.status == "ingested"]
    assert {r.status for r in again} == {"duplicate"}
    assert store.counts() == {
        "sources": len(results),
        "figures": sum(len(r.figures) for r in stored),
        "issues": sum(len(r.issues) for r in results),
    }
    back = store.figures().sort_values("figure_id", ignore_index=True)
    sent = pd.concat([r.figures for r in stored]).sort_values("figure_id", ignore_index=True)
    assert back["value"].fillna(-1).tolist() == sent["value"].fillna(-1).tolist()
    assert back["period_start"].tolist() == sent["period_start"].tolist()
    assert write_summary(space, store).exists()


@pytest.mark.e2e
def test_run_over_a_dask_cluster_of_two_workers(corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        command = [
            *[sys.executable, "-c", "from flows.cli import main; main()", "run"],
            *["--workspace", str(tmp_path / "workspace"), "--dask-address", cluster.scheduler_address],
            *["--batch-size", "8", str(corpus[0])],
        ]
        env = {k: v for k, v in os.environ.items() if k not in {"PREFECT_API_URL", "PREFECT_HOME"}}
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
        ran = cluster.scheduler.task_prefixes
        batches = ran["read_and_check_batch"].state_counts["memory"]  # tasks that finished there
    assert done.returncode == 1, done.stderr[-2000:]  # the planted errors
    assert "40 files: 39 ingested, 0 duplicates, 1 quarantined" in done.stdout
    assert batches == 5  # 40 files in batches of 8, each one task on the cluster
    assert "40/40" in done.stderr and "40/40" not in done.stdout  # the progress bar, on stderr only
    store = Store(Workspace.resolve(tmp_path / "workspace").store_url)
    assert store.counts()["sources"] == 40
