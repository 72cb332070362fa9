"""The workbook read back with openpyxl and calamine: sheets, labels, numbers, links, safety, repeatability."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from openpyxl import load_workbook

from reports.workbook import build_workbook, save_workbook
from tests.reports.conftest import GENERATED, make_figures, make_issues, make_sources

CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
SHEETS = {
    "vi": ["Tổng hợp", "Xu hướng", "Kiểm tra", "Số liệu", "Nguồn", "Thông tin"],
    "en": ["Summary", "Trend", "Issues", "Figures", "Sources", "About"],
}


def saved(tmp_path: Path, lang: str = "vi", figures: pd.DataFrame | None = None, name: str = "book") -> Path:
    figures = make_figures() if figures is None else figures
    book = build_workbook(
        figures, make_issues(make_figures()), make_sources(), lang=lang, generated=GENERATED
    )
    return save_workbook(book, tmp_path / f"{name}-{lang}.xlsx")


@pytest.fixture(scope="module")
def book_vi(tmp_path_factory):
    return load_workbook(saved(tmp_path_factory.mktemp("vi")))


def cells_with(sheet, text: str) -> list:
    return [cell for row in sheet.iter_rows() for cell in row if cell.value == text]


def row_of(sheet, first_column_text: str, nth: int = 0) -> int:
    return [c for c in cells_with(sheet, first_column_text) if c.column == 1][nth].row


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sheet_names_and_labels_follow_the_language(tmp_path, lang):
    book = load_workbook(saved(tmp_path, lang))
    assert book.sheetnames == SHEETS[lang]
    summary = book[SHEETS[lang][0]]
    words = {
        "vi": [
            "Đơn vị báo cáo",
            "Xử lý vụ việc",
            "Tiền",
            "Thu giữ",
            "Tổng cộng",
            "Số vụ phát hiện, bắt giữ (ma túy)",
        ],
        "en": ["Reporting unit", "Case handling", "Money", "Seizures", "Total", "Cases detected (drugs)"],
    }[lang]
    for word in words:
        assert cells_with(summary, word), word
    about = book[SHEETS[lang][5]]
    assert cells_with(about, "Chú giải" if lang == "vi" else "Legend")


def test_summary_adds_period_totals_only_and_keeps_numbers_numeric(book_vi):
    summary = book_vi["Tổng hợp"]
    total_row = row_of(summary, "Tổng cộng", nth=1)  # the second period, 2024-Q3
    detected = [summary.cell(row=r, column=3).value for r in range(total_row - 2, total_row)]
    assert detected == [512, 300]  # the subset (40) and the drugs-only figure are not in this column
    assert all(isinstance(v, int | float) for v in detected)
    assert summary.cell(row=total_row, column=3).value == f"=SUM(C{total_row - 2}:C{total_row - 1})"
    # Cao Bằng's provincial committee speaks for the province whose border guard reported too: shown below
    # the total, never added to it (Lạng Sơn's committee is its only source, so it is added).
    assert summary.cell(row=total_row + 1, column=1).value.startswith("Số liệu cấp tỉnh")
    assert summary.cell(row=total_row + 2, column=1).value == "Ban Nội chính Tỉnh ủy Cao Bằng"
    assert summary.cell(row=total_row + 2, column=3).value == 347
    assert summary.cell(row=total_row + 2, column=4).value == 12  # cases detected (drugs): its own column
    assert 3000 not in [c.value for row in summary.iter_rows() for c in row]  # an incident is never summed


def test_qualified_values_stay_numbers_and_show_their_mark(book_vi):
    summary = book_vi["Tổng hợp"]
    over = [c for row in summary.iter_rows() for c in row if c.value == 512][0]
    approx = [c for row in summary.iter_rows() for c in row if c.value == 700_000_000][0]
    assert over.number_format == '">"#,##0'
    assert approx.number_format == '"~"#,##0 [$₫-42A]'
    total_row = row_of(summary, "Tổng cộng", nth=1)
    assert summary.cell(row=total_row, column=3).number_format.startswith('">"')


def test_doubtful_cells_are_filled_and_carry_the_messages(book_vi):
    summary = book_vi["Tổng hợp"]
    prosecuted = summary.cell(row=row_of(summary, "Bộ đội Biên phòng Cao Bằng"), column=5)
    assert prosecuted.value == 81
    assert prosecuted.fill.fgColor.rgb.endswith("F8CBAD")  # error: red
    assert "Số vụ khởi tố lớn hơn số vụ phát hiện" in prosecuted.comment.text
    detected = [c for row in summary.iter_rows() for c in row if c.value == 347][0]
    assert detected.fill.fgColor.rgb.endswith("FFE699")  # two warnings: amber, both notes kept
    assert "tăng mạnh" in detected.comment.text and "hai nguồn" in detected.comment.text


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = saved(tmp_path)
    book = load_workbook(path)
    expected = {
        "Tổng hợp": "=Ban Chỉ đạo 389 Lạng Sơn",
        "Số liệu": '=HYPERLINK("http://x","bấm")',
        "Nguồn": "@lang-son-q3.csv",
        "Kiểm tra": "+Số vụ khởi tố lớn hơn số vụ phát hiện",
    }
    for sheet, text in expected.items():
        found = cells_with(book[sheet], text)
        assert found and all(cell.data_type == "s" for cell in found), sheet
    with zipfile.ZipFile(path) as archive:
        figures_xml = archive.read("xl/worksheets/sheet4.xml").decode()
    assert "<f>" not in figures_xml and "HYPERLINK" in figures_xml


def test_figures_sheet_holds_every_figure_as_numbers_read_by_calamine(tmp_path):
    figures = make_figures()
    sheet = pd.read_excel(saved(tmp_path), sheet_name="Số liệu", engine="calamine")
    assert sheet["Mã số liệu"].tolist() == figures["figure_id"].tolist()
    assert sheet["Giá trị"].tolist() == figures["value"].tolist()
    assert sheet["Giá trị"].dtype.kind == "f"
    assert sheet["Trích dẫn"].iloc[3] == '=HYPERLINK("http://x","bấm")'


def test_issues_are_a_table_linked_to_their_summary_cell_and_figure_row(book_vi):
    issues, summary, figures = book_vi["Kiểm tra"], book_vi["Tổng hợp"], book_vi["Số liệu"]
    assert list(issues.tables) == ["tblIssues"]
    assert issues.tables["tblIssues"].ref == "A1:L4"
    assert issues["A2"].value == "Lỗi" and issues["A2"].fill.fgColor.rgb.endswith("F8CBAD")
    to_summary, to_figure = issues["K2"].hyperlink.location, issues["L2"].hyperlink.location
    sheet_name, cell = to_summary.split("!")
    assert sheet_name == "'Tổng hợp'" and summary[cell].value == 81
    sheet_name, cell = to_figure.split("!")
    assert sheet_name == "'Số liệu'" and figures[cell].value == make_figures()["figure_id"].iloc[14]


def test_trend_has_native_line_charts_with_straight_lines(tmp_path):
    with zipfile.ZipFile(saved(tmp_path)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        charts = [ElementTree.fromstring(archive.read(name)) for name in names]
    assert len(charts) == 4  # cases, persons, prosecuted (two quarters: lines), money (one quarter: bars)
    lines = [chart for chart in charts if chart.find(f".//{CHART}lineChart") is not None]
    assert len(lines) == 3 and len([c for c in charts if c.find(f".//{CHART}barChart") is not None]) == 1
    for chart in lines:
        smooth = [element.get("val") for element in chart.iter(f"{CHART}smooth")]
        assert smooth and set(smooth) == {"0"}
        categories = chart.find(f".//{CHART}cat/{CHART}strRef/{CHART}f")
        assert categories is not None and categories.text.startswith("'Xu hướng'!")


def test_trend_keeps_one_value_per_province_and_period(book_vi):
    trend = book_vi["Xu hướng"]
    header = [c for c in cells_with(trend, "Kỳ báo cáo")][0].row
    rows = {trend.cell(row=r, column=1).value: r for r in (header + 1, header + 2)}
    assert trend.cell(row=rows["2024-Q3"], column=2).value == 347  # the larger of two Cao Bằng reports
    assert trend.cell(row=rows["2024-Q3"], column=3).value == 512


def test_sources_show_status_reason_and_counts(book_vi):
    sources = book_vi["Nguồn"]
    header = [c.value for c in sources[1]]
    assert header[:7] == [
        "Nguồn",
        "Mã băm SHA-256",
        "Thời điểm nhận",
        "Trạng thái",
        "Lý do",
        "Số số liệu",
        "Số vấn đề",
    ]
    quarantined = row_of(sources, "hong.xlsx")
    assert sources.cell(row=quarantined, column=4).value == "Cách ly"
    assert sources.cell(row=quarantined, column=5).value == "hong.xlsx: not a zip file"
    cao_bang = row_of(sources, "cao-bang-q3.txt")
    assert [sources.cell(row=cao_bang, column=c).value for c in (6, 7)] == [7, 2]


def test_print_setup_freeze_panes_and_properties(book_vi):
    for sheet in book_vi.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.fitToWidth == 1, sheet.title
    assert book_vi["Số liệu"].freeze_panes == "B2" and book_vi["Số liệu"].print_title_rows == "$1:$1"
    assert book_vi["Kiểm tra"]["A1"].fill.fgColor.rgb.endswith("1F4E78")  # drawn even where tables are not
    assert book_vi.properties.creator == "border-reports"
    assert book_vi.properties.created == GENERATED and book_vi.properties.modified == GENERATED
    assert book_vi.properties.title == "Tổng hợp số liệu theo kỳ báo cáo"


def test_fonts_are_always_named(book_vi):
    for sheet in book_vi.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Calibri", (sheet.title, cell.coordinate)


def test_two_saves_with_a_fixed_time_are_byte_identical(tmp_path):
    first, second = saved(tmp_path, name="a"), saved(tmp_path, name="b")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {GENERATED.timetuple()[:6]}


def test_an_empty_store_still_makes_a_workbook(tmp_path):
    empty = make_figures().iloc[0:0]
    book = build_workbook(empty, make_issues(make_figures()).iloc[0:0], make_sources().iloc[0:0])
    reread = load_workbook(save_workbook(book, tmp_path / "empty.xlsx"))
    assert reread.sheetnames == SHEETS["vi"]
    assert cells_with(reread["Tổng hợp"], "Chưa có số liệu cả kỳ")
    assert cells_with(reread["Kiểm tra"], "Không có vấn đề nào")


def test_figures_text_keeps_xml_special_characters_and_drops_control_characters(tmp_path):
    figures = make_figures()
    figures.loc[figures.index[0], "quote"] = "<b>vụ & việc</b>\x07 \"trích\" 'dẫn'"
    sheet = load_workbook(saved(tmp_path, figures=figures))["Số liệu"]
    assert sheet["O2"].value == "<b>vụ & việc</b> \"trích\" 'dẫn'"


def test_one_period_freezes_and_repeats_its_header_rows(tmp_path):
    figures = make_figures()
    one = figures[figures["period_start"] == "2024-07-01"]
    summary = load_workbook(saved(tmp_path, figures=one))["Tổng hợp"]
    assert summary.freeze_panes == "C7"
    assert summary.print_title_rows == "$1:$6"
    assert [summary.cell(row=6, column=c).value for c in (1, 2)] == ["Đơn vị báo cáo", "Tỉnh"]
