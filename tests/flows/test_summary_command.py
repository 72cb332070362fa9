"""`border-reports summary --period`: a workbook of one period rebuilt from a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from flows.cli import main
from flows.store import SourceRecord, Store
from tests.reports.conftest import FILES, SHA, make_figures, make_issues


@pytest.fixture
def stored(workspace):
    """The workbook fixture's three files in the workspace's store, plus one quarantined file."""
    store = Store(workspace.store_url)
    figures, issues = make_figures(), make_issues(make_figures())
    for key, name in FILES.items():
        own = figures[figures["source"] == name]
        store.record(SourceRecord(SHA[key], name, "ingested"), own, issues[issues["source"] == name])
    store.record(
        SourceRecord("f" * 64, "hong.xlsx", "quarantined", "hong.xlsx: not a zip file"), own[0:0], issues[0:0]
    )
    return workspace


def summarise(workspace, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["summary", "--workspace", str(workspace.root), *args])
    return done.exit_code, done.output


def test_summary_keeps_the_figures_that_lie_within_the_period(stored, tmp_path):
    code, output = summarise(stored, "--period", "2024-Q3", "--out", str(tmp_path / "q3.xlsx"))
    assert code == 0, output
    book = load_workbook(Path(output.strip()))
    listed = pd.DataFrame(book["Số liệu"].iter_rows(min_row=2, values_only=True))
    expected = make_figures()
    assert sorted(listed[0]) == sorted(expected.loc[expected["period_start"] == "2024-07-01", "figure_id"])
    sources = [row[0] for row in book["Nguồn"].iter_rows(min_row=2, values_only=True)]
    assert sorted(sources) == sorted(
        ["cao-bang-q3.txt", "@lang-son-q3.csv", "bien-phong-q2.txt", "bien-phong-q3.xlsx", "hong.xlsx"]
    )
    assert book["Tổng hợp"]["A2"].value.endswith("2024-Q3")
    checks = [row[1] for row in book["Kiểm tra"].iter_rows(min_row=2, values_only=True)]
    assert "change-beyond-threshold" in checks  # about a Q3 figure
    assert "prosecuted-exceeds-detected" not in checks  # about Q2 figures only


def test_a_month_outside_every_report_gives_an_empty_summary(stored):
    code, output = summarise(stored, "--period", "2024-06", "--lang", "en")
    assert code == 0, output
    path = Path(output.strip())
    assert path.parent == stored.summaries and "2024-06" in path.name
    book = load_workbook(path)
    assert book.sheetnames[0] == "Summary" and book["Figures"].max_row == 1


def test_a_year_takes_both_quarters_and_a_fixed_stamp_repeats_the_bytes(stored, tmp_path):
    paths = []
    for name in ("a.xlsx", "b.xlsx"):
        code, output = summarise(
            stored, "--period", "2024", "--stamp", "2024-10-05T08:30:00", "--out", str(tmp_path / name)
        )
        assert code == 0, output
        paths.append(Path(output.strip()))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert load_workbook(paths[0])["Số liệu"].max_row == len(make_figures()) + 1


def test_a_malformed_period_is_a_usage_error_naming_the_forms(stored):
    code, output = summarise(stored, "--period", "2024-Q5")
    assert code == 2 and "2024-Q3" in output and "Traceback" not in output
