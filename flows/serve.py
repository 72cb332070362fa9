"""``border-reports serve``: a Prefect server on loopback, the deployments, and the inbox watcher.

Prefect reads its settings when it is first imported, so this module imports Prefect only inside functions
called after ``PREFECT_API_URL`` points at the server it started (or the one the user named).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flows import inbox
from flows.workspace import Workspace

EVENT = "border-reports.inbox.file-landed"
SWEEP = timedelta(minutes=15)  # for anything an event missed: events sent while the server is down are lost
EVENT_GAP = 10.0  # at most one inbox event per this many seconds
RUN_LIMIT = 2  # flow runs at once on this machine (an ingestion and a summary)


@dataclass
class LocalServer:
    process: subprocess.Popen
    url: str  # the API URL, ending in /api

    def stop(self) -> None:
        """SIGTERM to the server's process group, then SIGKILL after 30 s."""
        with _suppress_gone():
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with _suppress_gone():
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def start_server(workspace: Workspace, timeout: float = 180) -> LocalServer:
    """``prefect server start`` on 127.0.0.1 and a free port, its database and log in the workspace."""
    workspace.prefect_home.mkdir(exist_ok=True)
    port, log = _free_port(), (workspace.prefect_home / "server.log").open("ab")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = LocalServer(process, f"http://127.0.0.1:{port}/api")
    deadline = time.monotonic() + timeout
    try:
        while not _healthy(server.url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server did not start; see {log.name}")
            time.sleep(0.5)
    except BaseException:  # Ctrl-C or SIGTERM while waiting too: never leave the server behind
        server.stop()
        raise
    return server


def inbox_resource(workspace: Workspace) -> str:
    """The Prefect resource id of one workspace's inbox: events and the trigger agree on it."""
    return f"border-reports.inbox.{hashlib.sha256(str(workspace.root).encode()).hexdigest()[:12]}"


class EventGate:
    """At most one event per ``gap`` seconds; names seen in between wait for the next one, never dropped.

    A large copy into the inbox changes files for a while; one ingestion run per burst is enough, and every
    run costs a process start.
    """

    def __init__(self, gap: float = EVENT_GAP) -> None:
        self.gap, self.pending, self.last = gap, set[str](), -float("inf")

    def offer(self, names: set[str], now: float) -> list[str]:
        """The names to announce now (empty when nothing is due)."""
        self.pending |= names
        if not self.pending or now - self.last < self.gap:
            return []
        due, self.pending, self.last = sorted(self.pending), set(), now
        return due


def watch_inbox(workspace: Workspace, stop: threading.Event, ready: threading.Event) -> None:
    """Send an event when report files land in the inbox; once watching, announce what is already waiting."""
    import watchfiles
    from prefect.events import emit_event

    resource = {
        "prefect.resource.id": inbox_resource(workspace),
        "prefect.resource.name": str(workspace.inbox),
    }
    changes, gate = (watchfiles.Change.added, watchfiles.Change.modified), EventGate()
    batches = watchfiles.watch(
        workspace.inbox, stop_event=stop, recursive=True, yield_on_timeout=True, rust_timeout=1000
    )
    for batch in batches:  # an empty batch every second when nothing changes, so pending names go out
        if not ready.is_set():  # the first batch comes once the watch is in place: nothing dropped is missed
            ready.set()
            batch = {(watchfiles.Change.added, str(p)) for p in inbox.list_inbox(workspace)} | batch
        names = {Path(p).name for change, p in batch if change in changes and _wanted(workspace, Path(p))}
        if due := gate.offer(names, time.monotonic()):
            emit_event(EVENT, resource=resource, payload={"files": due[:50]})


def build_deployments(workspace: Workspace) -> list:
    """The inbox ingestion (on events and every 15 minutes) and the three summaries on cron."""
    from prefect.events import DeploymentEventTrigger
    from prefect.schedules import Cron, Interval

    from flows.pipeline import ingest_reports
    from flows.summaries import SCHEDULES, TIMEZONE, summarise_period

    root = str(workspace.root)
    trigger = DeploymentEventTrigger(
        name="a file landed in the inbox",
        expect={EVENT},
        match={"prefect.resource.id": inbox_resource(workspace)},
    )
    ingest = ingest_reports.to_deployment(
        name="inbox",
        description="Take every settled file in the inbox: read, check, store, summarise, archive.",
        schedules=[Interval(SWEEP, timezone=TIMEZONE)],
        triggers=[trigger],
        parameters={"workspace": root, "summarise_when_empty": False},
        tags=["border-reports"],
    )
    summaries = [
        summarise_period.to_deployment(
            name=cadence,
            description=f"The {cadence} summary of the period just ended.",
            schedules=[Cron(cron, timezone=TIMEZONE)],
            parameters={"cadence": cadence, "workspace": root},
            tags=["border-reports"],
        )
        for cadence, cron in SCHEDULES.items()
    ]
    return [ingest, *summaries]


def serve_workspace(workspace: Workspace, echo=print, watch_only: bool = False) -> None:
    """Run until Ctrl-C or SIGTERM; then stop the watcher, flush Prefect's queues and stop our server.

    ``.prefect/serve.json`` (the API URL) appears once the deployments are registered and the watcher is in
    place, so a file dropped from then on is seen. ``watch_only`` runs just the watcher, for a work-pool
    set-up whose deployments came from prefect.yaml.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    server, stop, ready, watcher = None, threading.Event(), threading.Event(), None
    try:
        if not os.environ.get("PREFECT_API_URL"):
            echo(f"Starting a Prefect server (log: {workspace.prefect_home / 'server.log'}) ...")
            server = start_server(workspace)
            os.environ["PREFECT_API_URL"] = server.url
        runner = None if watch_only else register_deployments(workspace)
        watcher = threading.Thread(
            target=watch_inbox, args=(workspace, stop, ready), name="inbox-watcher", daemon=True
        )
        watcher.start()
        ready.wait(timeout=30)
        api = os.environ["PREFECT_API_URL"]
        _write_state(workspace, api)
        echo(f"Watching {workspace.inbox}; Prefect UI {api.removesuffix('/api')}. Stop with Ctrl-C.")
        run_until_stopped(runner, watcher)
    except KeyboardInterrupt:
        pass
    finally:
        _shut_down(workspace, server, stop, watcher)
        echo("Stopped.")


def register_deployments(workspace: Workspace):
    """A Prefect runner holding the deployments, registered with the server (schedules and trigger)."""
    from prefect.runner import Runner

    runner = Runner(name="border-reports", limit=RUN_LIMIT)
    for deployment in build_deployments(workspace):
        runner.add_deployment(deployment)
    return runner


def run_until_stopped(runner, watcher: threading.Thread) -> None:
    from prefect.exceptions import TerminationSignal

    if runner is None:
        while watcher.is_alive():
            watcher.join(timeout=1)
        return
    with contextlib.suppress(TerminationSignal):  # the runner's own SIGTERM handler raises it
        asyncio.run(runner.start())


def _shut_down(workspace: Workspace, server: LocalServer | None, stop: threading.Event, watcher) -> None:
    stop.set()
    if watcher is not None:
        watcher.join(timeout=10)
    if "prefect" in sys.modules:  # a server we are about to stop would leave these waiting about 70 s
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        EventsWorker.drain_all(timeout=5)
        APILogWorker.drain_all(timeout=5)
    if server is not None:
        server.stop()
    (workspace.prefect_home / "serve.json").unlink(missing_ok=True)


def running_api(workspace: Workspace) -> str | None:
    """The API URL of a ``serve`` running on this workspace, if it answers; ``run`` then uses its server."""
    try:
        url = json.loads((workspace.prefect_home / "serve.json").read_text(encoding="utf-8"))["api_url"]
    except (OSError, ValueError, KeyError):
        return None
    return url if _healthy(url) else None


def _write_state(workspace: Workspace, api: str) -> None:
    """Where the API is, for a person or a test: ``.prefect/serve.json``."""
    state = {"api_url": api, "pid": os.getpid(), "inbox": str(workspace.inbox)}
    (workspace.prefect_home / "serve.json").write_text(json.dumps(state), encoding="utf-8")


def _wanted(workspace: Workspace, path: Path) -> bool:
    relative = path.relative_to(workspace.inbox).parts if path.is_relative_to(workspace.inbox) else (".",)
    return not any(part.startswith(".") for part in relative) and not inbox.is_ignored(path.name)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _suppress_gone() -> contextlib.suppress:
    return contextlib.suppress(ProcessLookupError)
