"""The watcher's gate: one event per burst of changes, and no name ever dropped."""

from __future__ import annotations

from flows.serve import EventGate


def test_the_first_change_goes_out_at_once_and_a_burst_waits_for_the_gap():
    gate = EventGate(gap=10)
    assert gate.offer({"a.txt"}, now=0) == ["a.txt"]
    assert gate.offer({"b.txt"}, now=1) == []
    assert gate.offer({"c.txt"}, now=5) == []
    assert gate.offer(set(), now=9.9) == []
    assert gate.offer(set(), now=10) == ["b.txt", "c.txt"]
    assert gate.offer(set(), now=30) == []


def test_quiet_periods_send_nothing():
    gate = EventGate(gap=10)
    assert [gate.offer(set(), now=t) for t in range(0, 40, 5)] == [[]] * 8
    assert gate.offer({"d.txt"}, now=40) == ["d.txt"]


def test_watch_only_needs_a_server_to_send_to(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from flows.cli import main

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    done = CliRunner().invoke(main, ["serve", "--watch-only", "--workspace", str(tmp_path / "w")])
    assert done.exit_code == 2
    assert "PREFECT_API_URL" in done.output
