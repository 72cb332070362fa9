"""The command line as a user meets it: output formats, exit codes, one-line reasons."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from flows.cli import main
from tests.conftest import ROOT, SEED

INCONSISTENT = (
    "Báo cáo quý II/2019 của Bộ Chỉ huy BĐBP tỉnh Quảng Ninh\nNgày 05/07/2019\n"
    "Trong quý II/2019, các đơn vị đã phát hiện, bắt giữ 45 vụ, 60 đối tượng; khởi tố 52 vụ, 58 đối tượng.\n"
)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_extract_jsonl_prints_one_clean_object_per_figure():
    result = invoke("extract", "--format", "jsonl", str(SEED))
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 9
    for row in rows:
        assert isinstance(row["span"], list) and len(row["span"]) == 2
        assert row["province"] == "Cao Bằng" and row["published"] == "2018-10-12"
        assert {"figure_id", "locator", "line", "quote", "metric", "value", "unit", "qualifier"} <= set(row)


def test_extract_does_not_import_prefect():
    code = (
        "import sys; from click.testing import CliRunner; from flows.cli import main; "
        f"r = CliRunner().invoke(main, ['extract', {str(SEED)!r}]); "
        "print(r.exit_code, 'prefect' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["0", "False"]


def test_validate_exits_1_on_an_inconsistent_report(tmp_path: Path):
    report = tmp_path / "quang-ninh.txt"
    report.write_text(INCONSISTENT, encoding="utf-8")
    result = invoke("validate", str(report))
    assert result.exit_code == 1
    assert "prosecuted-exceeds-detected" in result.stdout


def test_validate_jsonl_names_check_source_and_place(tmp_path: Path):
    report = tmp_path / "quang-ninh.txt"
    report.write_text(INCONSISTENT, encoding="utf-8")
    rows = [
        json.loads(line) for line in invoke("validate", "--format", "jsonl", str(report)).stdout.splitlines()
    ]
    assert (
        rows and rows[0]["check"] == "prosecuted-exceeds-detected" and rows[0]["source"] == "quang-ninh.txt"
    )
    assert rows[0]["locator"].startswith("L3:")


def test_a_clean_report_validates_with_exit_0():
    assert invoke("validate", str(SEED)).exit_code == 0


def test_unreadable_input_exits_2_with_one_line_naming_the_file(tmp_path: Path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    for command in ("extract", "validate"):
        result = invoke(command, str(binary), str(SEED))
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "photo.txt" in lines[0]


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"border-reports {name}" in readme, name
