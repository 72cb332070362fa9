"""The gallery: every sample report gives exactly the figures written beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import extract_figures
from tests.conftest import SAMPLES, expected_figures

IGNORED_KEYS = {"quote", "locator"}
CASES = sorted(p for p in SAMPLES.iterdir() if p.with_name(p.stem + ".expected.jsonl").exists())


def as_tuples(rows: list[dict], keys: list[str]) -> list[tuple]:
    def plain(value):
        return (
            round(float(value), 3)
            if isinstance(value, int | float) and not isinstance(value, bool)
            else value
        )

    return sorted(tuple(str(plain(row.get(k))) for k in keys) for row in rows)


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_sample_gives_its_expected_figures(path: Path):
    expected = expected_figures(path)
    keys = sorted({k for row in expected for k in row} - IGNORED_KEYS)
    found = extract_figures(path.read_bytes(), path.name)
    rows = [{k: (None if v != v else v) for k, v in row.items()} for row in found.to_dict("records")]
    assert as_tuples(rows, keys) == as_tuples(expected, keys)


def test_the_gallery_is_not_empty():
    assert len(CASES) >= 1
