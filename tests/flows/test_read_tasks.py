"""How `run` cuts the reading into tasks: one file a task for small runs, batches past that, and a file that
takes too long is quarantined with its reason whether it was read alone or in a batch."""

from __future__ import annotations

import pytest

from flows import pipeline
from tests.conftest import SEED


@pytest.mark.parametrize(
    ("files", "asked", "per_task"),
    [(6, None, 0), (100, None, 0), (101, None, 2), (2000, None, 20), (2000, 25, 25), (2000, 0, 0)],
)
def test_small_runs_read_one_file_a_task_and_large_ones_in_at_most_100_tasks(files, asked, per_task):
    assert pipeline.files_per_task(files, asked) == per_task


def test_a_file_read_in_a_batch_keeps_its_own_time_limit(tmp_path, monkeypatch):
    slow = tmp_path / "slow.txt"
    slow.write_bytes(SEED.read_bytes() * 2000)  # about 12 MB: seconds to read
    monkeypatch.setattr(pipeline, "READ_TIMEOUT", 0.2)
    [late, on_time] = pipeline.read_and_check_batch.fn([slow, SEED], frozenset(), frozenset())
    assert (late.status, late.reason) == ("quarantined", "slow.txt: not read within 0.2 s")
    assert on_time.status == "ingested" and len(on_time.figures) == 9
