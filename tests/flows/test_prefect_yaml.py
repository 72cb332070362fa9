"""prefect.yaml describes the deployments `serve` runs: same flows, schedules, time zone and trigger."""

from __future__ import annotations

from pathlib import Path

import yaml

from flows.serve import EVENT, SWEEP
from flows.summaries import SCHEDULES, TIMEZONE

ROOT = Path(__file__).resolve().parents[2]


def deployments() -> dict[str, dict]:
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    return {d["name"]: d for d in spec["deployments"]}


def test_every_entrypoint_names_a_flow_that_exists():
    import importlib

    for deployment in deployments().values():
        path, name = deployment["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert hasattr(getattr(module, name), "to_deployment"), deployment["entrypoint"]


def test_the_summaries_run_on_the_same_cron_in_the_same_time_zone():
    found = {name: d["schedules"] for name, d in deployments().items() if name != "inbox"}
    assert found == {cadence: [{"cron": cron, "timezone": TIMEZONE}] for cadence, cron in SCHEDULES.items()}
    assert {name: d["parameters"]["cadence"] for name, d in deployments().items() if name != "inbox"} == {
        cadence: cadence for cadence in SCHEDULES
    }


def test_the_inbox_runs_on_the_watchers_event_and_on_the_sweep():
    inbox = deployments()["inbox"]
    assert inbox["schedules"] == [{"interval": SWEEP.total_seconds(), "timezone": TIMEZONE}]
    assert inbox["triggers"][0]["expect"] == [EVENT]
    assert inbox["triggers"][0]["match"]["prefect.resource.id"] == "border-reports.inbox.*"
