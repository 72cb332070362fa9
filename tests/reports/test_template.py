"""The submission template: made, filled with openpyxl as a unit would, and read back cell by cell."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from ingest.errors import UnreadableInput
from ingest.extract import extract_report
from reports.template import LAYOUT_SHEET, SHEET, build_template, save_template
from schemas.catalog import GROUP_LABELS, metrics
from tests.libreoffice import FORMULA_ERRORS, needs_libreoffice, pdf_text, recalculate, to_pdf


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def metric_rows(sheet) -> dict[str, int]:
    return {
        sheet.cell(row, 1).value: row
        for row in range(1, sheet.max_row + 1)
        if sheet.cell(row, 1).value in metrics()
    }


def sample_value(index: int, unit: str) -> float:
    """A distinct value per metric, shaped like its unit (big whole đồng, fractional grams)."""
    return {"VND": 1_000_000 * (index + 1), "g": index + 0.25, "kg": index + 0.5, "km": index + 0.1}.get(
        unit, index + 1
    )


def test_round_trip_every_value_comes_back_from_its_cell():
    book = openpyxl.load_workbook(
        io.BytesIO(saved(build_template("Đồn Biên phòng Hữu Nghị", "Lạng Sơn", "2024-Q3")))
    )
    sheet = book[SHEET]
    rows = metric_rows(sheet)
    written = {}
    for index, (key, metric) in enumerate(metrics().items()):
        sheet[f"E{rows[key]}"] = written[key] = sample_value(index, metric.unit)
    sheet[f"F{rows['goods_value_vnd']}"] = "khoảng"
    sheet[f"G{rows['heroin_cakes']}"] = "chuyên án HN-05"
    found, issues = extract_report(saved(book), "don-huu-nghi.xlsx")
    assert {(r.locator, r.metric): r.value for r in found.itertuples()} == {
        (f"{SHEET}!E{rows[key]}", key): value for key, value in written.items()
    }
    assert set(found.reporting_unit) == {"Đồn Biên phòng Hữu Nghị"}
    assert set(found.province) == {"Lạng Sơn"}
    assert set(zip(found.period_start, found.period_end, strict=True)) == {("2024-07-01", "2024-09-30")}
    assert found.set_index("metric").loc["goods_value_vnd", "qualifier"] == "approx"
    assert set(found.set_index("metric").drop("goods_value_vnd").qualifier) == {"exact"}
    assert "chuyên án HN-05" in found.set_index("metric").loc["heroin_cakes", "quote"]
    assert issues.empty


def test_a_blank_template_reads_as_no_figures_and_lists_the_empty_cells():
    found, issues = extract_report(saved(build_template()), "blank.xlsx")
    assert found.empty
    assert list(issues["check"]) == ["cells-empty"]
    assert issues.iloc[0]["value"] == len(metrics())


def test_damage_in_the_template_is_named_by_cell():
    book = openpyxl.load_workbook(io.BytesIO(saved(build_template("Đồn A", "Lạng Sơn", "2024-Q9"))))
    sheet = book[SHEET]
    rows = metric_rows(sheet)
    sheet[f"E{rows['cases_detected']}"] = "12"
    sheet[f"E{rows['cases_prosecuted']}"] = "n/a"
    sheet[f"F{rows['cases_detected']}"] = "ước chừng"
    found, issues = extract_report(saved(book), "a.xlsx")
    by_check = {c: loc for c, loc in zip(issues["check"], issues["locator"], strict=True)}
    assert by_check["cell-text-number"] == f"{SHEET}!E{rows['cases_detected']}"
    assert by_check["cell-not-available"] == f"{SHEET}!E{rows['cases_prosecuted']}"
    assert by_check["qualifier-unknown"] == f"{SHEET}!F{rows['cases_detected']}"
    assert by_check["period-unreadable"] == f"{SHEET}!C6"
    assert found.set_index("metric").loc["cases_detected", "value"] == 12


def test_rows_follow_the_catalog_groups_with_vietnamese_and_english_labels():
    sheet = build_template()[SHEET]
    rows = metric_rows(sheet)
    assert list(rows) == sorted(
        metrics(), key=lambda k: (list(GROUP_LABELS).index(metrics()[k].group), rows[k])
    )
    assert list(rows) == [k for g in GROUP_LABELS for k, m in metrics().items() if m.group == g]
    for key, row in rows.items():
        assert (sheet[f"B{row}"].value, sheet[f"C{row}"].value) == (
            metrics()[key].label_vi,
            metrics()[key].label_en,
        )
    group_titles = [sheet[f"C{r}"].value for r in range(1, sheet.max_row + 1) if sheet[f"A{r}"].value is None]
    assert all(en in group_titles for _, en in GROUP_LABELS.values())


def test_only_the_inputs_are_unlocked_and_the_sheet_is_protected():
    sheet = build_template()[SHEET]
    rows = metric_rows(sheet)
    assert sheet.protection.sheet
    row = rows["cases_detected"]
    assert not sheet[f"E{row}"].protection.locked
    assert not sheet[f"F{row}"].protection.locked
    assert not sheet["C4"].protection.locked and not sheet["C6"].protection.locked
    assert sheet[f"B{row}"].protection.locked and sheet[f"A{row}"].protection.locked
    assert sheet.column_dimensions["A"].hidden


def validation_of(sheet, ref: str):
    found = [v for v in sheet.data_validations.dataValidation if ref in v.sqref]
    assert len(found) == 1, ref
    return found[0]


def test_inputs_are_validated_by_unit_and_the_qualifier_is_a_drop_down():
    sheet = build_template()[SHEET]
    rows = metric_rows(sheet)
    count = validation_of(sheet, f"E{rows['cases_detected']}")
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    money = validation_of(sheet, f"E{rows['fines_vnd']}")
    ref = f"E{rows['fines_vnd']}"
    assert money.type == "custom" and f"{ref}=INT({ref})" in money.formula1 and f"{ref}>=0" in money.formula1
    grams = validation_of(sheet, f"E{rows['heroin_grams']}")
    assert (grams.type, grams.formula1) == ("decimal", "0")
    qualifier = validation_of(sheet, f"F{rows['cases_detected']}")
    assert qualifier.type == "list" and "khoảng" in qualifier.formula1


def test_the_layout_sheet_is_hidden_and_carries_the_version_the_reader_checks():
    book = build_template()
    layout = book[LAYOUT_SHEET]
    assert layout.sheet_state == "hidden"
    assert (layout["A1"].value, layout["B1"].value) == ("template_version", "1")
    layout["B1"] = "99"
    with pytest.raises(UnreadableInput, match="template version 99"):
        extract_report(saved(book), "old.xlsx")


def test_instructions_are_in_vietnamese():
    sheet = build_template()[SHEET]
    text = " ".join(str(c.value) for row in sheet.iter_rows(max_row=13) for c in row if c.value)
    assert "ô màu vàng" in text and "để trống" in text and "2024-Q3" in text


def test_cli_writes_the_template_without_importing_prefect(tmp_path: Path):
    out = tmp_path / "mau.xlsx"
    script = (
        "import sys; from click.testing import CliRunner; from flows.cli import main; "
        f"r = CliRunner().invoke(main, ['template', '--out', {str(out)!r}, '--unit', 'Đồn A', '--period', '2024-Q3']); "
        "print(r.exit_code, 'prefect' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]
    sheet = openpyxl.load_workbook(out)[SHEET]
    assert (sheet["C4"].value, sheet["C6"].value) == ("Đồn A", "2024-Q3")


def test_cli_rejects_a_period_it_cannot_read(tmp_path: Path):
    from click.testing import CliRunner

    from flows.cli import main

    result = CliRunner().invoke(main, ["template", "--out", str(tmp_path / "x.xlsx"), "--period", "Q3-2024"])
    assert result.exit_code == 2 and "2024-Q3" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_save_template_creates_the_folder(tmp_path: Path):
    path = save_template(build_template(), tmp_path / "new" / "mau.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == [SHEET, LAYOUT_SHEET]


@pytest.mark.e2e
@needs_libreoffice
def test_libreoffice_opens_the_template_and_its_saved_copy_reads_back_with_calculated_formulas(
    tmp_path: Path,
):
    book = build_template("Đồn A", "Lạng Sơn", "2024-Q3")
    rows = metric_rows(book[SHEET])
    book[SHEET][f"E{rows['cases_detected']}"] = "=10+4"  # a unit that adds up in the cell
    book[SHEET][f"E{rows['cases_prosecuted']}"] = 3
    source = save_template(book, tmp_path / "filled.xlsx")
    _, before = extract_report(source.read_bytes(), "filled.xlsx")
    assert "formula-not-calculated" in set(before["check"])  # openpyxl stores no value for it
    fresh = recalculate(source, tmp_path / "out")
    found, issues = extract_report(fresh.read_bytes(), "filled.xlsx")
    values = found.set_index("metric")["value"]
    assert (values["cases_detected"], values["cases_prosecuted"]) == (14, 3)
    assert "formula-not-calculated" not in set(issues["check"])
    text = pdf_text(to_pdf(source, tmp_path / "pdf"))
    assert "Số vụ khởi tố" in text and "ô màu vàng" in text
    assert not any(error in text for error in FORMULA_ERRORS)
