"""Prefect for a local run: its home in the workspace, and its temporary API started by us.

With no server to use, a flow run needs Prefect's temporary local API. `run` starts it here, before it
imports Prefect, so that the API's start (mostly imports) overlaps ours and the run itself never imports
Prefect's server; on a database this Prefect version already migrated it also skips migrations and block
registration. No Prefect import at module level: this runs before Prefect is loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flows.workspace import Workspace


class LocalApiError(RuntimeError):
    """Prefect's temporary API did not answer."""


def configure_prefect(space: Workspace, temporary_api: bool = False) -> Callable[[], None]:
    """Local runs keep Prefect's database in the workspace, so later runs start faster; logs stay on stderr.

    ``temporary_api`` (``run``): with no server to use (no PREFECT_API_URL, no serve running here) the run
    needs Prefect's temporary local API. We start it ourselves, before Prefect is imported, so that its
    3-4 s start (mostly imports) overlaps ours and this process never imports Prefect's server; the
    function returned waits until it answers. BORDER_REPORTS_EARLY_API=0 leaves the start to Prefect.
    Every setting here is a default: the user's own environment wins.
    """
    if not os.environ.get("PREFECT_API_URL") and (space.prefect_home / "serve.json").exists():
        from flows.serve import running_api

        if api := running_api(space):  # a serve is running here: share its server, skip the local API
            os.environ["PREFECT_API_URL"] = api
    os.environ.setdefault("PREFECT_HOME", str(space.prefect_home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(space.prefect_home / "storage"))
    if not temporary_api or os.environ.get("PREFECT_API_URL"):
        return _ready
    space.prefect_home.mkdir(parents=True, exist_ok=True)
    marker = _migrated_marker(space)
    for name, value in (QUICK_START if _is_migrated(space, marker) else {}).items():
        os.environ.setdefault(name, value)
    if os.environ.get("BORDER_REPORTS_EARLY_API", "1") == "0":
        return _ready
    return _start_local_api(space, marker)


# What the temporary API may skip on a database this Prefect (and its collections) already migrated and
# filled: migrating checks every revision, and the block registration hashes every block type, importing
# prefect-dask and dask in the server (its memo check runs even with registration off). See _is_migrated.
QUICK_START = {
    "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
    "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}
MIGRATED = "migrated.json"  # in PREFECT_HOME, written after a full start: the versions that migrated it


def _ready() -> None:
    """Nothing to wait for: a server named by PREFECT_API_URL, or Prefect starts its own."""


def _migrated_marker(space) -> str | None:
    """Prefect's and its collections' versions; None when the database is not the workspace's own file."""
    from importlib.metadata import entry_points, version

    chosen = ("PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL")
    home = Path(os.environ["PREFECT_HOME"]).resolve()
    if any(os.environ.get(name) for name in chosen) or home != space.prefect_home.resolve():
        return None
    collections = sorted(f"{p.dist.name} {p.dist.version}" for p in entry_points(group="prefect.collections"))
    return json.dumps({"prefect": version("prefect"), "collections": collections})


def _is_migrated(space, marker: str | None) -> bool:
    """A full start with these versions succeeded on this database, and it is still at the revision that
    start left: a new, emptied or restored database, an upgrade of Prefect or of a collection, or a
    database the user chose gets the full start again."""
    written = space.prefect_home / MIGRATED
    if not marker or not written.exists():
        return False
    revision = _database_revision(space)
    return revision is not None and written.read_text("utf-8") == _with_revision(marker, revision)


def _with_revision(marker: str, revision: str) -> str:
    return json.dumps({**json.loads(marker), "revision": revision})


def _database_revision(space) -> str | None:
    """The Alembic revision Prefect's SQLite database is at (a few ms), None when there is none."""
    import sqlite3

    database = space.prefect_home / "prefect.db"
    if not database.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=5)) as db:
            found = db.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    return found[0][0] if len(found) == 1 else None


def _write_migrated(space, marker: str) -> None:
    if revision := _database_revision(space):
        (space.prefect_home / MIGRATED).write_text(_with_revision(marker, revision), encoding="utf-8")


def _start_local_api(space, marker: str | None):
    """Prefect's temporary API (the same uvicorn app and services) on a free loopback port; the function
    returned waits for it, retrying once with the full start if a quick start failed."""
    quick = all(os.environ.get(name) == value for name, value in QUICK_START.items()) and marker
    server, url = _spawn_local_api({})
    os.environ["PREFECT_API_URL"] = url
    timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])

    def wait_until_ready() -> None:
        nonlocal server
        if _wait_healthy(url, server, timeout):
            if marker and not any(name in os.environ for name in QUICK_START):  # a full start
                _write_migrated(space, marker)
            return
        if quick:  # the marker lied (a database copied or restored from elsewhere): migrate after all
            (space.prefect_home / MIGRATED).unlink(missing_ok=True)
            _stop_local_api(server)
            server, _ = _spawn_local_api(dict.fromkeys(QUICK_START, "true"), url)
            if _wait_healthy(url, server, timeout):
                _write_migrated(space, marker)
                return
        raise LocalApiError(
            f"Prefect's temporary API did not start (exit {server.poll()}); "
            "BORDER_REPORTS_EARLY_API=0 lets Prefect start it"
        )

    return wait_until_ready


def _spawn_local_api(settings: dict[str, str], url: str | None = None):
    """The server process and its API URL; stopped at exit after Prefect's own exit handlers (registered
    later, so run first) have sent the run's last logs and events."""
    import atexit
    import socket
    import subprocess

    if url is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{probe.getsockname()[1]}/api"
    port = url.rsplit(":", 1)[1].removesuffix("/api")
    # The variables Prefect's own SubprocessASGIServer sets: no UI, only the services of a temporary server.
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | settings
    env |= {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    command = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
    command += ["--host", "127.0.0.1", "--port", port, "--log-level", "error", "--lifespan", "on"]
    server = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    atexit.register(_stop_local_api, server)
    return server, url


def _die_with_parent() -> None:
    """In the server's process before it starts: on Linux, end it when the run that started it dies, even by
    kill -9 (a stopped run must not leave its API behind)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _wait_healthy(url: str, server, timeout: float) -> bool:
    import urllib.request

    deadline = time.monotonic() + timeout
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def _stop_local_api(server) -> None:
    import subprocess

    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
