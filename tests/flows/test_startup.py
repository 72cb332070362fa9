"""`run` with the temporary local API started early and quick on a migrated database: still records its runs.

Real Prefect and a real SQLite database: a brand-new workspace (full start, migrations, marker written), a
warm one (quick start), and one whose database was emptied behind a matching marker (it must migrate).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from importlib.metadata import version
from pathlib import Path

import pytest

from flows import local_api
from flows.workspace import Workspace
from tests.conftest import ROOT, SEED

QUICK = list(local_api.QUICK_START)


def run_cli(root: Path, *extra: str) -> subprocess.CompletedProcess:
    """`border-reports run SEED` on ROOT, with no Prefect settings but ours (as on a user's machine)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BORDER_REPORTS_"))}
    command = [
        sys.executable,
        "-c",
        "from flows.cli import main; main()",
        "run",
        str(SEED),
        "--workspace",
        str(root),
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def flow_run_states(root: Path) -> list[str]:
    with closing(sqlite3.connect(root / ".prefect" / "prefect.db")) as db:
        return [state for (state,) in db.execute("SELECT state_type FROM flow_run ORDER BY created")]


@pytest.fixture
def clean_env():
    """No Prefect or border-reports variables, and whatever local_api.configure_prefect sets is undone after."""
    saved = dict(os.environ)
    for name in [name for name in os.environ if name.startswith(("PREFECT_", "BORDER_REPORTS_"))]:
        del os.environ[name]
    yield os.environ
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """A workspace after two runs: the first on a brand-new workspace, the second on the warm database."""
    root = tmp_path_factory.mktemp("startup") / "workspace"
    first = run_cli(root)
    marker = json.loads((root / ".prefect" / local_api.MIGRATED).read_text(encoding="utf-8"))
    second = run_cli(root)
    return root, first, marker, second


def test_the_first_run_on_a_new_workspace_migrates_and_records_its_flow_run(warmed):
    root, first, marker, _ = warmed
    assert first.returncode == 0, first.stderr[-2000:]
    assert "1 files: 1 ingested" in first.stdout
    assert marker["prefect"] == version("prefect") and marker["revision"]


def test_a_run_on_the_warm_workspace_records_its_flow_run_too(warmed):
    root, _, _, second = warmed
    assert second.returncode == 0, second.stderr[-2000:]
    assert "1 duplicates" in second.stdout
    assert flow_run_states(root) == ["COMPLETED", "COMPLETED"]


def test_an_emptied_database_behind_a_matching_marker_is_migrated_again(warmed, tmp_path):
    root = tmp_path / "workspace"
    (root / ".prefect").mkdir(parents=True)
    (root / ".prefect" / "prefect.db").write_bytes(b"")
    (root / ".prefect" / local_api.MIGRATED).write_text(
        (warmed[0] / ".prefect" / local_api.MIGRATED).read_text(encoding="utf-8"), encoding="utf-8"
    )
    done = run_cli(root)
    assert done.returncode == 0, done.stderr[-2000:]
    assert flow_run_states(root) == ["COMPLETED"]


def test_quick_start_only_on_a_database_this_prefect_migrated(warmed, tmp_path, clean_env):
    clean_env["BORDER_REPORTS_EARLY_API"] = "0"  # the settings only: Prefect would start the API
    local_api.configure_prefect(Workspace.resolve(warmed[0]), temporary_api=True)
    assert all(clean_env[name] == "false" for name in QUICK)

    upgraded = Workspace.resolve(tmp_path / "upgraded")
    upgraded.prefect_home.mkdir()
    (upgraded.prefect_home / "prefect.db").write_bytes((warmed[0] / ".prefect" / "prefect.db").read_bytes())
    stale = {**json.loads((warmed[0] / ".prefect" / local_api.MIGRATED).read_text()), "prefect": "3.8.0"}
    (upgraded.prefect_home / local_api.MIGRATED).write_text(json.dumps(stale), encoding="utf-8")
    for name in [*QUICK, "PREFECT_HOME"]:
        del clean_env[name]
    local_api.configure_prefect(upgraded, temporary_api=True)
    assert not any(name in clean_env for name in QUICK)


def test_a_server_named_by_the_user_is_used_as_it_is(tmp_path, clean_env):
    clean_env["PREFECT_API_URL"] = "http://127.0.0.1:1/api"
    ready = local_api.configure_prefect(Workspace.resolve(tmp_path / "w"), temporary_api=True)
    ready()
    assert clean_env["PREFECT_API_URL"] == "http://127.0.0.1:1/api"
    assert not any(name in clean_env for name in QUICK)


def test_a_run_killed_outright_takes_its_temporary_api_with_it(warmed, tmp_path):
    """kill -9 leaves no exit handler to stop the server: the kernel ends it with the run that started it."""
    psutil = pytest.importorskip("psutil")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BORDER_REPORTS_"))}
    command = [sys.executable, "-c", "from flows.cli import main; main()", "run", str(SEED)]
    run = subprocess.Popen(
        [*command, "--workspace", str(warmed[0])], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    parent = psutil.Process(run.pid)
    servers = []
    for _ in range(200):
        servers = [p for p in parent.children() if "uvicorn" in " ".join(p.cmdline())]
        if servers:
            break
        psutil.wait_procs([], timeout=0.05)
    assert servers, "the run started no temporary API"
    run.kill()
    run.wait()
    gone, alive = psutil.wait_procs(servers, timeout=10)
    assert not alive
