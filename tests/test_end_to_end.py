"""End to end: the CLI runs the Prefect flow on the samples, and LibreOffice opens the workbook it wrote."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from flows.store import Store
from flows.workspace import Workspace
from reports.labels import label
from reports.summary import Column
from schemas.catalog import metrics
from tests.conftest import ROOT, SAMPLES, without_provincial_copies
from tests.libreoffice import FORMULA_ERRORS, needs_libreoffice, pdf_text, recalculate, to_pdf

pytestmark = [pytest.mark.e2e, needs_libreoffice]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    inputs = shutil.copytree(SAMPLES, base / "inputs")
    before = sorted(p.name for p in inputs.iterdir())
    done = run_cli("run", str(inputs), "--workspace", str(base / "workspace"))
    return base, inputs, before, done


def run_cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from flows.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)


def workbook_path(stdout: str) -> Path:
    return Path(re.search(r"Workbook: (\S+\.xlsx)", stdout).group(1))


def test_run_reads_every_sample_and_leaves_the_inputs_in_place(first_run):
    base, inputs, before, done = first_run
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert sorted(p.name for p in inputs.iterdir()) == before
    assert "ingested" in done.stdout
    store = Store(Workspace.resolve(base / "workspace").store_url)
    assert store.counts()["figures"] >= 9


def test_a_second_run_adds_nothing(first_run):
    base, inputs, _, _ = first_run
    store = Store(Workspace.resolve(base / "workspace").store_url)
    counts = store.counts()
    again = run_cli("run", str(inputs), "--workspace", str(base / "workspace"))
    assert "duplicate" in again.stdout and "ingested " not in again.stdout.split("files:")[0]
    assert store.counts() == counts


def summary_totals(sheet) -> list[dict[str, float]]:
    """Each period block's totals row, as {column header: value}, found by the labels the workbook writes."""
    rows = list(sheet.iter_rows(values_only=True))
    blocks = []
    for index, row in enumerate(rows):
        if row[0] != label("total", "vi"):
            continue
        header = next(r for r in reversed(rows[:index]) if r[0] == label("reporting_unit", "vi"))
        blocks.append({h: float(v) for h, v in zip(header[2:], row[2:], strict=False) if h and v is not None})
    return blocks


def test_libreoffice_recalculates_totals_equal_to_pandas_sums(first_run, tmp_path):
    base, _, _, done = first_run
    fresh = recalculate(workbook_path(done.stdout), tmp_path)
    totals = summary_totals(load_workbook(fresh, data_only=True)[label("summary", "vi")])
    figures = Store(Workspace.resolve(base / "workspace").store_url).figures()
    period_totals = figures[figures["scope"] == "period_total"].fillna({"period_start": "", "period_end": ""})
    # A unit that sends the same figure in two files is counted once.
    once = without_provincial_copies(
        period_totals.drop_duplicates(
            ["period_start", "period_end", "reporting_unit", "province", "metric", "category"]
        ),
        ["period_start", "period_end"],
    )
    sums = once.groupby(["period_start", "period_end", "metric", "category"])["value"].sum()
    expected = [
        {
            Column(metric, category).title("vi"): float(value)
            for (_, _, metric, category), value in block.items()
        }
        for _, block in sums.groupby(level=[0, 1])
    ]
    key = lambda block: sorted(block.items())  # noqa: E731
    assert sorted(map(key, totals)) == sorted(map(key, expected))
    assert len(totals) >= 3


def test_no_cell_shows_an_error_and_the_labels_are_vietnamese(first_run, tmp_path):
    _, _, _, done = first_run
    workbook = workbook_path(done.stdout)
    text = pdf_text(to_pdf(workbook, tmp_path))
    for error in FORMULA_ERRORS:
        assert error not in text
    for word in (label("reporting_unit", "vi"), label("total", "vi"), metrics()["cases_detected"].label_vi):
        assert word in text
    fresh = load_workbook(recalculate(workbook, tmp_path), data_only=True)
    for sheet in fresh.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith(FORMULA_ERRORS) for v in row)
    assert pd.notna(fresh.properties.creator)
