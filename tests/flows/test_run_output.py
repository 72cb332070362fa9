"""What `run` prints: every file of a small run; for a long run the files that need a look first, then a count."""

from __future__ import annotations

import dataclasses

from flows import cli, inbox, steps
from tests.conftest import SAMPLES, SEED


def report_of(clean: int) -> steps.RunReport:
    seed = steps.read_file(SEED)
    bad = steps.read_file(SAMPLES / "quang-ninh-2019-q2-bad.txt")  # prosecuted > detected: an error
    broken = inbox.failed_result(SAMPLES / "units-2019-q2.csv", "units-2019-q2.csv: the reader failed")
    copies = [dataclasses.replace(seed, name=f"clean-{i:03}.txt") for i in range(clean)]
    return steps.RunReport(results=[*copies, bad, broken])


def test_a_small_run_lists_every_file_in_order(capsys):
    cli._print_run(report_of(3), 1.0, 2.0)
    out = capsys.readouterr().out
    names = [
        "clean-000.txt",
        "clean-001.txt",
        "clean-002.txt",
        "quang-ninh-2019-q2-bad.txt",
        "units-2019-q2.csv",
    ]
    assert [out.index(name) for name in names] == sorted(out.index(name) for name in names)
    assert "more files" not in out


def test_a_long_run_lists_the_files_that_need_a_look_first_and_counts_the_rest(capsys):
    cli._print_run(report_of(60), 1.0, 2.0)
    out = capsys.readouterr().out
    assert out.index("units-2019-q2.csv") < out.index("quang-ninh-2019-q2-bad.txt") < out.index("clean-")
    assert sum(f"clean-{i:03}.txt" in out for i in range(60)) == cli.FILES_SHOWN - 2
    assert f"… and {62 - cli.FILES_SHOWN} more files" in out
    assert "62 files: 61 ingested, 0 duplicates, 1 quarantined" in out
