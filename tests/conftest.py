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


@pytest.fixture
def workspace(tmp_path: Path):
    from flows.workspace import Workspace

    return Workspace.resolve(tmp_path / "workspace")
