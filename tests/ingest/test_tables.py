"""Table readers: multi-unit CSV and .xlsx, and every kind of damage people really send, each an issue."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.steps import collect_files, read_file
from ingest.errors import UnreadableInput
from ingest.extract import extract_figures, extract_report, merge_issues
from ingest.numbers import format_vi
from schemas.checks import check_figures
from tests.conftest import SAMPLES
from tests.libreoffice import convert, needs_libreoffice, recalculate

HEAD = ["reporting_unit", "province", "period", "cases_detected", "Số vụ khởi tố"]


def xlsx(rows: list[list[object]], title: str = "Đơn vị", edit=None) -> bytes:
    """A one-sheet workbook of ``rows`` from A1; ``edit(sheet)`` adds merges, hidden rows, formulas."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes, name: str = "units.xlsx") -> tuple[pd.DataFrame, pd.DataFrame]:
    return extract_report(data, name)


def cells(found: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(locator, metric) -> value, NaN as None: what was read from where."""
    return {
        (r.locator, r.metric): (None if pd.isna(r.value) else r.value) for r in found.itertuples(index=False)
    }


def issues_of(issues: pd.DataFrame, check: str) -> list[tuple[str, str]]:
    rows = issues[issues["check"] == check]
    return list(zip(rows["locator"], rows["severity"], strict=True))


@pytest.mark.parametrize("name", ["units-2019-q2.csv", "huu-nghi-2019-q2-template.xlsx"])
def test_samples_give_each_figure_from_its_cell(name: str):
    path = SAMPLES / name
    expected = [
        json.loads(line) for line in path.with_name(path.stem + ".expected.jsonl").read_text().splitlines()
    ]
    found = extract_figures(path.read_bytes(), name)
    assert cells(found) == {(e["locator"], e["metric"]): e["value"] for e in expected}
    assert found.index.is_unique


def test_multi_unit_sheet_matches_headers_by_key_or_label_and_names_each_cell():
    data = xlsx(
        [
            ["Đơn vị", "TINH", "ky bao cao", "cases_detected", "so vu   KHOI TO"],
            ["Đồn Hữu Nghị", "Lạng Sơn", "2024-Q3", 12, 3],
            ["Đồn Tân Thanh", "lạng sơn", "2024-H1", 7, 1],
        ]
    )
    found, issues = read(data)
    assert cells(found) == {
        ("Đơn vị!D2", "cases_detected"): 12,
        ("Đơn vị!E2", "cases_prosecuted"): 3,
        ("Đơn vị!D3", "cases_detected"): 7,
        ("Đơn vị!E3", "cases_prosecuted"): 1,
    }
    first = found.iloc[0]
    assert (first.reporting_unit, first.province, first.period_start, first.period_end) == (
        "Đồn Hữu Nghị",
        "Lạng Sơn",
        "2024-07-01",
        "2024-09-30",
    )
    assert found.iloc[2].period_start == "2024-01-01"
    assert issues.empty


def test_period_as_start_and_end_dates_and_a_category():
    data = xlsx(
        [
            ["reporting_unit", "province", "period_start", "period_end", "category", "cases_detected"],
            ["Đồn A", "Quảng Ninh", dt.datetime(2024, 6, 1), dt.datetime(2024, 6, 30), "Drugs", 4],
            ["Đồn B", "Quảng Ninh", "01/06/2024", "30/06/2024", "smuggling", 2],
        ]
    )
    found, issues = read(data)
    assert list(found.period_start) == ["2024-06-01", "2024-06-01"]
    assert list(found.period_end) == ["2024-06-30", "2024-06-30"]
    assert list(found.category) == ["drugs", "smuggling"]
    assert issues.empty


def test_a_period_that_cannot_be_read_is_an_issue_on_its_cell():
    data = xlsx([HEAD, ["Đồn A", "Lạng Sơn", "quý 5/2024", 1, 0]])
    found, issues = read(data)
    assert issues_of(issues, "period-unreadable") == [("Đơn vị!C2", "error")]
    assert len(found) == 2


def test_every_sheet_that_is_a_table_is_read_and_others_are_named():
    book = openpyxl.Workbook()
    book.active.title = "Lạng Sơn"
    for row in [HEAD, ["Đồn A", "Lạng Sơn", "2019-Q2", 5, 1]]:
        book.active.append(row)
    quang_ninh = book.create_sheet("Quảng Ninh")
    for row in [HEAD, ["Đồn B", "Quảng Ninh", "2019-Q2", 8, 2]]:
        quang_ninh.append(row)
    book.create_sheet("Ghi chú").append(["Báo cáo gửi kèm công văn số 12"])
    out = io.BytesIO()
    book.save(out)
    found, issues = read(out.getvalue())
    assert set(cells(found)) == {
        ("Lạng Sơn!D2", "cases_detected"),
        ("Lạng Sơn!E2", "cases_prosecuted"),
        ("Quảng Ninh!D2", "cases_detected"),
        ("Quảng Ninh!E2", "cases_prosecuted"),
    }
    skipped = issues[issues["check"] == "sheet-skipped"]
    assert list(skipped["message_en"].str.contains("Ghi chú")) == [True]


def test_number_stored_as_text_is_read_with_a_warning_naming_the_cell():
    found, issues = read(xlsx([HEAD, ["Đồn A", "Lạng Sơn", "2024", "430", 2]]))
    assert cells(found)[("Đơn vị!D2", "cases_detected")] == 430
    assert issues_of(issues, "cell-text-number") == [("Đơn vị!D2", "warning")]


def test_vietnamese_separators_in_text_cells_group_thousands_and_mark_decimals():
    found, issues = read(xlsx([HEAD, ["Đồn A", "Lạng Sơn", "2024", "1.234", "1,5"]]))
    assert cells(found) == {("Đơn vị!D2", "cases_detected"): 1234, ("Đơn vị!E2", "cases_prosecuted"): 1.5}
    assert issues_of(issues, "cell-text-number") == [("Đơn vị!D2", "warning"), ("Đơn vị!E2", "warning")]
    assert "count-not-whole" in set(check_figures(found)["check"])  # 1,5 cases is still wrong, and said so


def test_csv_warns_only_where_the_reading_depends_on_the_convention():
    data = "\n".join(
        [",".join(HEAD), 'Đồn A,Lạng Sơn,2024,"1.234",12', 'Đồn B,Lạng Sơn,2024,"1.234.567","2,5"']
    )
    found, issues = read(data.encode(), "units.csv")
    assert cells(found) == {
        ("row 2", "cases_detected"): 1234,
        ("row 2", "cases_prosecuted"): 12,
        ("row 3", "cases_detected"): 1234567,
        ("row 3", "cases_prosecuted"): 2.5,
    }
    assert issues_of(issues, "cell-text-number") == [("row 2", "warning")]


@pytest.mark.parametrize("written", ["n/a", "N/A", "-", "x", "Không có"])
def test_not_available_is_no_value_with_a_warning_and_not_also_missing(written: str):
    found, issues = read(xlsx([HEAD, ["Đồn A", "Lạng Sơn", "2024", written, 3]]))
    assert cells(found)[("Đơn vị!D2", "cases_detected")] is None
    assert issues_of(issues, "cell-not-available") == [("Đơn vị!D2", "warning")]
    merged = merge_issues(issues, check_figures(found))
    assert "value-missing" not in set(merged["check"])


def test_text_that_is_not_a_number_is_an_error_on_its_cell_and_the_row_is_still_read():
    found, issues = read(
        xlsx([HEAD, ["Đồn A", "Lạng Sơn", "2024", "mười hai", 3], ["Đồn B", "Lạng Sơn", "2024", 4, 1]])
    )
    assert cells(found)[("Đơn vị!D2", "cases_detected")] is None
    assert cells(found)[("Đơn vị!E2", "cases_prosecuted")] == 3
    assert cells(found)[("Đơn vị!D3", "cases_detected")] == 4
    assert issues_of(issues, "cell-not-number") == [("Đơn vị!D2", "error")]


def test_empty_cells_are_no_figure_not_zero_and_are_listed():
    found, issues = read(
        xlsx([HEAD, ["Đồn A", "Lạng Sơn", "2024", 5, None], ["Đồn B", "Lạng Sơn", "2024", 6, None]])
    )
    assert set(cells(found)) == {("Đơn vị!D2", "cases_detected"), ("Đơn vị!D3", "cases_detected")}
    empty = issues[issues["check"] == "cells-empty"]
    assert len(empty) == 1
    assert "Đơn vị!E2, Đơn vị!E3" in empty.iloc[0]["message_vi"]
    assert empty.iloc[0]["severity"] == "warning"


def test_merged_header_cells_and_a_province_merged_down_its_units():
    def merge(sheet):
        sheet.merge_cells("A1:A2")
        sheet.merge_cells("B1:B2")
        sheet.merge_cells("C1:D1")
        sheet.merge_cells("B3:B4")

    rows = [
        ["Đơn vị", "Tỉnh", "Xử lý vụ việc", None, "period"],
        [None, None, "Số vụ phát hiện, bắt giữ", "Số vụ khởi tố", None],
        ["Đồn A", "Lạng Sơn", 10, 2, "2024-Q1"],
        ["Đồn B", None, 6, 1, "2024-Q1"],
    ]
    found, issues = read(xlsx(rows, edit=merge))
    assert cells(found) == {
        ("Đơn vị!C3", "cases_detected"): 10,
        ("Đơn vị!D3", "cases_prosecuted"): 2,
        ("Đơn vị!C4", "cases_detected"): 6,
        ("Đơn vị!D4", "cases_prosecuted"): 1,
    }
    assert list(found.province) == ["Lạng Sơn"] * 4
    assert list(found.reporting_unit) == ["Đồn A", "Đồn A", "Đồn B", "Đồn B"]
    assert sorted(issues_of(issues, "header-merged")) == [("Đơn vị!A1", "warning"), ("Đơn vị!B1", "warning")]


def test_a_total_row_that_agrees_becomes_figures_of_the_province():
    rows = [
        HEAD,
        ["Đồn A", "Lạng Sơn", "2024", 10, 2],
        ["Đồn B", "Lạng Sơn", "2024", 5, 1],
        ["Tổng cộng", None, None, 15, 3],
    ]
    found, issues = read(xlsx(rows))
    total = found[found.locator.str.endswith("4")]
    assert len(total) == 2 and total.reporting_unit.isna().all()
    assert list(total.province) == ["Lạng Sơn", "Lạng Sơn"]
    assert list(total.period_start) == ["2024-01-01", "2024-01-01"]
    assert list(total.value) == [15, 3]
    assert issues.empty


def test_a_total_row_that_disagrees_is_an_error_on_the_cell_and_not_a_figure():
    rows = [
        HEAD,
        ["Đồn A", "Lạng Sơn", "2024", 10, 2],
        ["Đồn B", "Lạng Sơn", "2024", 5, 1],
        ["TOTAL", "Lạng Sơn", "2024", 16, 3],
    ]
    found, issues = read(xlsx(rows))
    assert ("Đơn vị!D4", "cases_detected") not in cells(found)
    assert cells(found)[("Đơn vị!E4", "cases_prosecuted")] == 3
    mismatch = issues[issues["check"] == "total-mismatch"].iloc[0]
    assert (mismatch.locator, mismatch.value, mismatch.expected) == ("Đơn vị!D4", 16, 15)
    assert "Tổng" not in set(found.reporting_unit.dropna())


def test_hidden_rows_are_read_with_a_warning():
    def hide(sheet):
        sheet.row_dimensions[3].hidden = True

    rows = [HEAD, ["Đồn A", "Lạng Sơn", "2024", 10, 2], ["Đồn B", "Lạng Sơn", "2024", 5, 1]]
    found, issues = read(xlsx(rows, edit=hide))
    assert cells(found)[("Đơn vị!D3", "cases_detected")] == 5
    assert issues_of(issues, "row-hidden") == [("Đơn vị!A3", "warning")]


def with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    """The workbook as Excel saves it: the formula in ``cell`` with its calculated value stored."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = body.index(f'<c r="{cell}"'.encode())
                empty = body.index(b"<v></v>", start)
                body = body[:empty] + f"<v>{value}</v>".encode() + body[empty + len(b"<v></v>") :]
            target.writestr(item, body)
    return out.getvalue()


def test_formulas_give_their_calculated_value_and_one_without_is_an_error_saying_to_recalculate():
    rows = [HEAD, ["Đồn A", "Lạng Sơn", "2024", 10, "=2+1"], ["Đồn B", "Lạng Sơn", "2024", "=D2*2", 1]]
    found, issues = read(with_cached_value(xlsx(rows), "E2", "3"))
    assert cells(found)[("Đơn vị!E2", "cases_prosecuted")] == 3
    assert cells(found)[("Đơn vị!D3", "cases_detected")] is None
    [issue] = issues[issues["check"] == "formula-not-calculated"].to_dict("records")
    assert (issue["locator"], issue["severity"]) == ("Đơn vị!D3", "error")
    assert "=D2*2" in issue["message_en"] and "recalculate" in issue["message_en"]


def test_extra_columns_are_kept_as_notes_in_the_quote():
    rows = [[*HEAD, "Ghi chú"], ["Đồn A", "Lạng Sơn", "2024", 10, 2, "số liệu sơ bộ"]]
    found, issues = read(xlsx(rows))
    assert all("Ghi chú = số liệu sơ bộ" in quote for quote in found.quote)
    assert issues_of(issues, "column-unknown") == [("Đơn vị!F1", "warning")]


def test_lock_files_are_ignored_and_unreadable_bytes_are_a_one_line_reason(tmp_path: Path):
    (tmp_path / "units.xlsx").write_bytes(xlsx([HEAD, ["Đồn A", "Lạng Sơn", "2024", 1, 0]]))
    (tmp_path / "~$units.xlsx").write_bytes(b"\x0bOwner name" + b"\x00" * 100)
    assert [p.name for p in collect_files([tmp_path])] == ["units.xlsx"]
    with pytest.raises(UnreadableInput) as err:
        extract_figures((tmp_path / "~$units.xlsx").read_bytes(), "~$units.xlsx")
    assert str(err.value).startswith("~$units.xlsx: ") and "\n" not in str(err.value)


def test_a_workbook_with_no_table_is_unreadable():
    with pytest.raises(UnreadableInput, match="no sheet"):
        extract_figures(xlsx([["Kính gửi: Ban Chỉ đạo 389 tỉnh"]]), "letter.xlsx")


def test_the_pipeline_step_reports_the_readers_issues_once(tmp_path: Path):
    path = tmp_path / "units.csv"
    path.write_text(
        "\n".join([",".join(HEAD), "Đồn A,Lạng Sơn,2024,n/a,2", "Đồn B,Lạng Sơn,2024,abc,1"]),
        encoding="utf-8",
    )
    result = read_file(path)
    checks = list(result.issues["check"])
    assert "cell-not-available" in checks and "cell-not-number" in checks
    assert "value-missing" not in checks  # the reader already said why the value is missing
    assert result.status == "ingested" and len(result.figures) == 4


@given(
    st.lists(
        st.tuples(st.integers(0, 10**12), st.integers(0, 999)).map(lambda p: p[0] + p[1] / 1000),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=60, deadline=None)
def test_numbers_written_the_vietnamese_way_in_csv_read_back_as_themselves(values: list[float]):
    lines = ["reporting_unit,province,period,Ma túy đá (gam)"]
    lines += [f'Đồn {i},Lạng Sơn,2024,"{format_vi(v)}"' for i, v in enumerate(values)]
    found, _ = read("\n".join(lines).encode(), "units.csv")
    assert [round(v, 3) for v in found["value"]] == [round(v, 3) for v in values]


@pytest.mark.e2e
@needs_libreoffice
def test_a_sum_formula_total_row_recalculated_by_libreoffice_is_read_and_checked(tmp_path: Path):
    rows = [
        HEAD,
        ["Đồn A", "Lạng Sơn", "2024-Q2", 10, 2],
        ["Đồn B", "Lạng Sơn", "2024-Q2", 5, 1],
        ["Tổng cộng", "Lạng Sơn", "2024-Q2", "=SUM(D2:D3)", "=SUM(E2:E3)+1"],
    ]
    source = tmp_path / "units.xlsx"
    source.write_bytes(xlsx(rows))
    _, before = read(source.read_bytes())
    assert issues_of(before, "formula-not-calculated") == [("Đơn vị!D4", "error"), ("Đơn vị!E4", "error")]
    found, issues = read(recalculate(source, tmp_path / "out").read_bytes())
    assert cells(found)[("Đơn vị!D4", "cases_detected")] == 15
    assert ("Đơn vị!E4", "cases_prosecuted") not in cells(found)
    assert issues_of(issues, "total-mismatch") == [("Đơn vị!E4", "error")]
    assert "formula-not-calculated" not in set(issues["check"])


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ";"), ("windows-1258", ";"), ("utf-16", "\t"), ("utf-8", ",")]
)
def test_csv_as_excel_saves_it_on_a_vietnamese_windows(encoding: str, delimiter: str):
    lines = [HEAD, ["Đồn Hữu Nghị", "Lạng Sơn", "2024-Q3", "1.234", "2"]]
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row) for row in lines)
    found, _ = read(to_cp1258(text) if encoding == "windows-1258" else text.encode(encoding), "units.csv")
    assert cells(found) == {("row 2", "cases_detected"): 1234, ("row 2", "cases_prosecuted"): 2}
    assert set(found.reporting_unit) == {"Đồn Hữu Nghị"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: base letters precomposed (ô, ư), tone marks combining."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            out.append((unicodedata.normalize("NFC", parts[:-1]) + parts[-1]).encode("cp1258"))
    return b"".join(out)


@pytest.mark.e2e
@needs_libreoffice
@pytest.mark.parametrize(("suffix", "target"), [(".xls", "xls:MS Excel 97"), (".ods", "ods:calc8")])
def test_old_xls_and_libreoffice_ods_workbooks_are_read(tmp_path: Path, suffix: str, target: str):
    source = tmp_path / "units.xlsx"
    source.write_bytes(xlsx([HEAD, ["Đồn A", "Lạng Sơn", "2024-Q3", 12, "n/a"]]))
    converted = convert(source, tmp_path / "out", target, suffix)
    found, issues = read(converted.read_bytes(), converted.name)
    assert cells(found) == {("Đơn vị!D2", "cases_detected"): 12, ("Đơn vị!E2", "cases_prosecuted"): None}
    assert issues_of(issues, "cell-not-available") == [("Đơn vị!E2", "warning")]


def test_a_month_code_that_excel_turned_into_a_date_is_that_month():
    found, issues = read(xlsx([HEAD, ["Đồn A", "Lạng Sơn", dt.datetime(2024, 6, 1), 3, 1]]))
    assert set(zip(found.period_start, found.period_end, strict=True)) == {("2024-06-01", "2024-06-30")}
    assert issues.empty


@pytest.mark.parametrize("written", ["Tổng cộng", "TỔNG", "Cộng:", "Tổng cộng toàn tỉnh", "Total"])
def test_total_rows_are_recognised_in_the_ways_people_write_them(written: str):
    rows = [
        HEAD,
        ["Đồn A", "Lạng Sơn", "2024", 10, 2],
        ["Công an tỉnh", "Lạng Sơn", "2024", 5, 1],
        [written, None, None, 15, 3],
    ]
    found, issues = read(xlsx(rows))
    assert found.reporting_unit.isna().sum() == 2 and "Công an tỉnh" in set(found.reporting_unit)
    assert issues.empty


def test_a_workbook_with_xml_entities_in_a_sheet_is_never_expanded():
    """An entity (the start of an XML bomb) in a sheet is never expanded: the file is refused or the cell reported."""
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["reporting_unit", "province", "period", "cases_detected"])
    book.active.append(["Đồn Biên phòng Hữu Nghị", "Lạng Sơn", "2019-Q2", 5])
    plain = io.BytesIO()
    book.save(plain)
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    bomb = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.decode().split("?>", 1)[-1].replace("<v>5</v>", "<v>&b;</v>")
                data = (laughs + body).encode()
            target.writestr(item, data)
    try:
        figures, issues = extract_report(bomb.getvalue(), "bomb.xlsx")
    except UnreadableInput as refused:
        assert str(refused).startswith("bomb.xlsx: ")
        return
    assert "aaaa" not in " ".join(map(str, figures.to_numpy().ravel()))
    assert figures.empty and len(issues) >= 1  # the cell is reported, never read as a number
