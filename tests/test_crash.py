"""Crash safety: ``border-reports run`` killed with SIGKILL at several points, then run again.

The kill points are states seen on disk (files claimed, the first file committed, the first original
archived), not delays, so each kill lands inside the step it aims at.

After the kill every original is in the inbox (or a claim folder) or the archive, byte for byte, none lost
and none copied; after the rerun every original is archived and the store holds each figure exactly once.
"""

from __future__ import annotations

import collections
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import steps
from tests.conftest import SEED

pytestmark = pytest.mark.e2e

VARIANTS = 8  # distinct files (the seed with a different number of trailing newlines), plus one duplicate


def claimed(root: Path) -> bool:
    return any(p.is_file() for p in (root / "inbox" / ".claimed").rglob("*"))


def stored(root: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{root / 'store.db'}?mode=ro", uri=True, timeout=0.1) as db:
            return db.execute("select count(*) from sources").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def archived(root: Path) -> bool:
    return any(p.is_file() for p in (root / "archive").rglob("*"))


KILL_POINTS = {"claimed": claimed, "stored": stored, "archived": archived}


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory) -> Path:
    """One Prefect database for the whole module, so each run skips the migrations."""
    return tmp_path_factory.mktemp("prefect-home")


def drop_reports(inbox: Path) -> collections.Counter:
    inbox.mkdir(parents=True, exist_ok=True)
    for n in range(VARIANTS):
        (inbox / f"bao-cao-{n}.txt").write_bytes(SEED.read_bytes() + b"\n" * n)
    (inbox / "bao-cao-0-gui-lai.txt").write_bytes(SEED.read_bytes())
    return originals(inbox)


def originals(*folders: Path) -> collections.Counter:
    """Content hashes of the report files under ``folders`` (notes beside archived files left out)."""
    found = collections.Counter()
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.name.endswith((".duplicate.txt", ".why.txt", ".lock")):
                found[hashlib.sha256(path.read_bytes()).hexdigest()] += 1
    return found


def start_run(root: Path, prefect_home: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(root / ".results"))
    command = [sys.executable, "-c", "from flows.cli import main; main()", "run", "--workspace", str(root)]
    log = (root.parent / f"{root.name}.log").open("ab")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill_when(process: subprocess.Popen, root: Path, reached) -> None:
    """SIGKILL the run's whole process group (its local Prefect API too) once ``reached(root)`` holds."""
    while process.poll() is None:
        if reached(root):
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    process.wait()


def store_counts(root: Path) -> tuple[int, int, int]:
    with sqlite3.connect(root / "store.db") as db:
        sources = db.execute("select count(*) from sources").fetchone()[0]
        figures = db.execute("select count(*) from figures").fetchone()[0]
        distinct = db.execute("select count(distinct source_sha256 || locator) from figures").fetchone()[0]
    return sources, figures, distinct


def test_runs_killed_at_each_point_are_finished_by_the_next(tmp_path, prefect_home):
    """One inbox, three runs killed one after the other (each adopting the last one's claim), then a fourth."""
    root = tmp_path / "workspace"
    dropped = drop_reports(root / "inbox")
    for point, reached in KILL_POINTS.items():
        run = start_run(root, prefect_home)
        kill_when(run, root, reached)
        assert run.returncode == -signal.SIGKILL, f"the run ended before it reached {point!r}"
        assert originals(root / "inbox", root / "archive") == dropped, point  # nothing lost, nothing copied

    rerun = start_run(root, prefect_home)
    assert rerun.wait(timeout=300) == 0, (tmp_path / "workspace.log").read_text(errors="replace")
    assert originals(root / "archive") == dropped
    assert originals(root / "inbox") == collections.Counter()
    per_file = len(steps.read_file(SEED).figures)
    assert store_counts(root) == (VARIANTS, VARIANTS * per_file, VARIANTS * per_file)
