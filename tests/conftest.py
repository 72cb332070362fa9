"""Shared fixtures: the sample gallery and a throw-away workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_inputs"
SEED = SAMPLES / "cao-bang-2018-10-12.txt"


def expected_figures(path: Path) -> list[dict]:
    """The figures written beside a sample as ``NAME.expected.jsonl``."""
    expected = path.with_name(path.stem + ".expected.jsonl")
    return [json.loads(line) for line in expected.read_text(encoding="utf-8").splitlines() if line.strip()]


def without_provincial_copies(totals, period_keys: list[str]):
    """Leave out a province body's figures for a period where units of its province reported too.

    The rule the Summary's totals row follows, stated apart from its code: a blank unit or a provincial body
    (CheckSettings.province_bodies) speaks for the whole province, and adding it to its units counts twice.
    """
    import pandas as pd

    from schemas.settings import CheckSettings

    blank = totals["reporting_unit"].isna() | (totals["reporting_unit"] == totals["province"])
    provincial = blank | totals["reporting_unit"].map(CheckSettings().speaks_for_province)
    keys = [*period_keys, "province"]
    units = set(map(tuple, totals.loc[~provincial, keys].to_numpy()))
    shadowed = pd.Series([tuple(key) in units for key in totals[keys].to_numpy()], index=totals.index)
    return totals[~(provincial & shadowed)]


@pytest.fixture
def workspace(tmp_path: Path):
    from flows.workspace import Workspace

    return Workspace.resolve(tmp_path / "workspace")
