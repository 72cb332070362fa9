"""`validate` runs the checks across all FILES given, with thresholds and registry from config.toml."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flows.cli import main

REPORT = (
    "Bộ đội Biên phòng tỉnh Quảng Ninh: kết quả quý II/2019\n\n"
    "Trong quý II/2019, Bộ đội Biên phòng tỉnh Quảng Ninh đã phát hiện, bắt giữ {cases} vụ, {subjects} đối tượng.\n"
)


def write(folder: Path, name: str, cases: int, subjects: int = 80) -> Path:
    path = folder / name
    path.write_text(REPORT.format(cases=cases, subjects=subjects), encoding="utf-8")
    return path


def validate(*args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["validate", "--format", "jsonl", *args])
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


def test_two_files_that_disagree_are_a_conflict_naming_both(tmp_path: Path):
    one, other = write(tmp_path, "a.txt", 45), write(tmp_path, "b.txt", 50)
    code, rows = validate("--workspace", str(tmp_path / "none"), str(one), str(other))
    conflicts = [r for r in rows if r["check"] == "figures-conflict"]
    assert code == 1 and len(conflicts) == 1
    assert "a.txt" in conflicts[0]["message_en"] and "b.txt" in conflicts[0]["message_en"]
    assert {
        "check",
        "severity",
        "message_vi",
        "message_en",
        "source",
        "locator",
        "metric",
        "value",
        "expected",
    } <= set(conflicts[0])


def test_agreeing_files_validate_clean(tmp_path: Path):
    code, rows = validate(
        "--workspace",
        str(tmp_path / "none"),
        str(write(tmp_path, "a.txt", 45)),
        str(write(tmp_path, "b.txt", 45)),
    )
    assert code == 0 and rows == []


def test_the_registry_in_config_toml_lists_units_that_did_not_report(tmp_path: Path):
    space = tmp_path / "space"
    space.mkdir()
    (space / "config.toml").write_text(
        '[registry]\n"Quảng Ninh" = ["Bộ đội Biên phòng tỉnh Quảng Ninh", "Công an tỉnh Quảng Ninh"]\n',
        encoding="utf-8",
    )
    code, rows = validate("--workspace", str(space), str(write(tmp_path, "a.txt", 45)))
    missing = [r for r in rows if r["check"] == "unit-not-reported"]
    assert code == 0 and [r["reporting_unit"] for r in missing] == ["Công an tỉnh Quảng Ninh"]
