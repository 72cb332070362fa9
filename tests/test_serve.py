"""``border-reports serve`` for real: its own ``prefect server`` on loopback, the deployments, the watcher.

One served workspace for the module: a dropped report is archived and summarised within 90 seconds, the
schedules read back from the server are the ones promised, and SIGTERM stops everything.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SEED

pytestmark = pytest.mark.e2e


def wait_for(condition, timeout: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        if process is not None and process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode} while waiting for {what}")
        time.sleep(0.5)
    pytest.fail(f"no {what} within {timeout:.0f} s")


def api(url: str, path: str) -> list[dict]:
    request = urllib.request.Request(
        f"{url}{path}", data=b"{}", headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def start_serve(root: Path) -> tuple[str, subprocess.Popen]:
    """``border-reports serve`` on ``root``; returns once ``.prefect/serve.json`` names its API."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(root / ".prefect"), PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(root / ".results"))
    log = (root.parent / "serve.log").open("ab")
    command = [sys.executable, "-c", "from flows.cli import main; main()", "serve", "--workspace", str(root)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    state = root / ".prefect" / "serve.json"
    wait_for(state.exists, 240, "Prefect server", process)
    return json.loads(state.read_text(encoding="utf-8"))["api_url"], process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``border-reports serve`` on a new workspace, its API URL read from ``.prefect/serve.json``."""
    root = tmp_path_factory.mktemp("served") / "workspace"
    url, process = start_serve(root)
    try:
        yield root, url, process
    finally:
        stop(process)


def test_a_dropped_report_is_archived_and_summarised_within_90_seconds(served):
    root, _, process = served
    shutil.copy(SEED, root / "inbox" / ".cao-bang.txt.part")  # how a careful copier writes it
    os.replace(root / "inbox" / ".cao-bang.txt.part", root / "inbox" / SEED.name)
    archived = wait_for(
        lambda: list((root / "archive").rglob(f"*-{SEED.name}")), 90, "archived original", process
    )
    assert archived[0].read_bytes() == SEED.read_bytes()
    assert wait_for(lambda: list((root / "summaries").glob("tong-hop-*.xlsx")), 30, "workbook", process)
    assert not (root / "inbox" / SEED.name).exists()


def test_the_ingestion_run_published_its_artifacts(served):
    _, url, process = served
    wanted = {"ingest-summary": "markdown", "ingest-issues": "table", "ingest-workbook": "markdown"}

    def published() -> dict[str, dict]:
        return {a["key"]: a for a in api(url, "/artifacts/filter") if a["key"] in wanted}

    found = wait_for(lambda: len(published()) == len(wanted) and published(), 60, "artifacts", process)
    assert {key: a["type"] for key, a in found.items()} == wanted
    assert "ingested 1" in found["ingest-summary"]["data"]
    assert found["ingest-workbook"]["data"].endswith(
        ".xlsx)"
    )  # a link is stored as markdown: [name](file://…)


def test_the_served_deployments_carry_their_schedules_and_trigger(served):
    _, url, _ = served
    deployments = {d["name"]: d for d in api(url, "/deployments/filter")}
    schedules = {name: [s["schedule"] for s in d["schedules"]] for name, d in deployments.items()}
    assert schedules["monthly"] == [{"cron": "0 6 1 * *", "timezone": "Asia/Ho_Chi_Minh", "day_or": True}]
    assert schedules["quarterly"][0]["cron"] == "0 6 1 1,4,7,10 *"
    assert schedules["yearly"][0]["cron"] == "0 6 1 1 *"
    assert {s["timezone"] for d in schedules.values() for s in d} == {"Asia/Ho_Chi_Minh"}
    assert schedules["inbox"][0]["interval"] == 15 * 60
    [automation] = api(url, "/automations/filter")
    assert automation["trigger"]["expect"] == ["border-reports.inbox.file-landed"]
    assert automation["actions"][0]["deployment_id"] == deployments["inbox"]["id"]


def test_a_summary_deployment_run_writes_its_periods_workbook(served):
    """What the monthly schedule will do on the 1st, asked for now (for October 2018) through the API."""
    root, url, process = served
    [monthly] = [d for d in api(url, "/deployments/filter") if d["name"] == "monthly"]
    request = urllib.request.Request(
        f"{url}/deployments/{monthly['id']}/create_flow_run",
        data=json.dumps({"parameters": {"cadence": "monthly", "period": "2018-10"}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    workbook = root / "summaries" / "tong-hop-2018-10.xlsx"
    assert wait_for(workbook.exists, 90, "monthly workbook", process)


def test_sigterm_stops_serve_and_its_server(served):
    root, url, process = served
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=90) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/health", timeout=5)
    assert not (root / ".prefect" / "serve.json").exists()


def test_a_restarted_serve_resumes_its_schedules(served):
    """Stopping pauses the schedules (so no late runs pile up); starting again must resume them."""
    root, _, first = served
    stop(first)
    url, process = start_serve(root)
    try:
        deployments = api(url, "/deployments/filter")
        assert {d["name"]: d["paused"] for d in deployments} == dict.fromkeys(
            ["inbox", "monthly", "quarterly", "yearly"], False
        )
        assert all(s["active"] for d in deployments for s in d["schedules"])
    finally:
        stop(process)
