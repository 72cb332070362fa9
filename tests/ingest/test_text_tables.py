"""Tables inside prose documents: a .docx table read with the report's period, province and total row."""

from __future__ import annotations

import io

import docx

from ingest.extract import extract_figures


def report_with_table(rows: list[list[str]]) -> bytes:
    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả công tác năm 2023 của Bộ đội Biên phòng tỉnh Lai Châu")
    document.add_paragraph("Lai Châu, ngày 20 tháng 12 năm 2023")
    document.add_paragraph("Năm 2023, kết quả của các đơn vị được tổng hợp tại bảng sau:")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells, row in zip(table.rows, rows, strict=True):
        for cell, text in zip(cells.cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_results_table_gives_each_unit_as_a_breakdown_of_the_total_row():
    data = report_with_table(
        [
            ["TT", "Đơn vị", "Số vụ", "Số đối tượng", "Xử phạt (triệu đồng)"],
            ["1", "Đồn Biên phòng Ka Lăng", "11", "14", "38,5"],
            ["2", "Đội Đặc nhiệm phòng, chống ma túy", "12", "16", "41"],
            ["", "Tổng cộng", "23", "30", "79,5"],
        ]
    )
    found = extract_figures(data, "bao-cao.docx")
    rows = list(found[["metric", "value", "scope", "category"]].itertuples(index=False, name=None))
    assert rows == [
        ("cases_detected", 11, "subset", "all"),
        ("subjects_detected", 14, "subset", "all"),
        ("fines_vnd", 38_500_000, "subset", "all"),
        ("cases_detected", 12, "subset", "all"),
        ("subjects_detected", 16, "subset", "all"),
        ("fines_vnd", 41_000_000, "subset", "all"),
        ("cases_detected", 23, "period_total", "all"),
        ("subjects_detected", 30, "period_total", "all"),
        ("fines_vnd", 79_500_000, "period_total", "all"),
    ]
    assert set(zip(found.period_start, found.period_end, found.province, strict=True)) == {
        ("2023-01-01", "2023-12-31", "Lai Châu")
    }
    assert found.locator.iloc[0] == "L5:C30"  # the cell, in the document as read (a row a line)


def test_rows_that_name_a_domain_take_it_and_unknown_columns_are_left_alone():
    data = report_with_table(
        [
            ["Lĩnh vực", "Số vụ khởi tố", "Ghi chú"],
            ["Buôn lậu", "7", "12"],
            ["Ma túy", "5", "3"],
        ]
    )
    found = extract_figures(data, "bao-cao.docx")
    rows = list(found[["metric", "value", "scope", "category"]].itertuples(index=False, name=None))
    assert rows == [
        ("cases_prosecuted", 7, "period_total", "smuggling"),
        ("cases_prosecuted", 5, "period_total", "drugs"),
    ]


def test_a_row_labelled_with_a_year_covers_that_year():
    data = report_with_table(
        [["Năm", "Số vụ", "Lĩnh vực chủ yếu"], ["2016", "45", "ma túy"], ["2017", "52", "buôn lậu"]]
    )
    found = extract_figures(data, "bao-cao.docx")
    rows = list(found[["value", "period_start", "period_end", "category"]].itertuples(index=False, name=None))
    assert rows == [(45, "2016-01-01", "2016-12-31", "all"), (52, "2017-01-01", "2017-12-31", "all")]


def test_a_markdown_table_is_read_and_a_cell_that_holds_prose_gives_its_figure():
    text = (
        "# Đồn Biên phòng Tịnh Biên: kết quả tháng 11/2024\n\n"
        "| Lĩnh vực | Số vụ | Số đối tượng | Tang vật |\n"
        "|---|---:|---:|---|\n"
        "| Ma túy | 3 | 5 | 18,6 gam ma túy đá |\n"
        "| Buôn lậu | 14 | 16 | - |\n"
        "| Cộng | 17 | 21 | |\n"
    )
    found = extract_figures(text.encode(), "x.md")
    rows = list(found[["metric", "value", "category", "scope"]].itertuples(index=False, name=None))
    assert rows == [
        ("cases_detected", 3, "drugs", "subset"),
        ("subjects_detected", 5, "drugs", "subset"),
        ("meth_grams", 18.6, "drugs", "period_total"),
        ("cases_detected", 14, "smuggling", "subset"),
        ("subjects_detected", 16, "smuggling", "subset"),
        ("cases_detected", 17, "all", "period_total"),
        ("subjects_detected", 21, "all", "period_total"),
    ]


def test_a_year_table_headed_by_what_it_counts_takes_the_domain_its_caption_names():
    text = (
        "Báo cáo tổng kết giai đoạn 2020 - 2024\nTây Ninh, ngày 10 tháng 12 năm 2024\n"
        "Trong 5 năm, bắt giữ 699 vụ buôn lậu. Kết quả qua từng năm như sau:\n"
        "Năm | Số vụ | Thuốc lá điếu (bao) | Heroin (kg) | Ghi chú\n"
        "2023 | 431 | 121.400 | 1,5 | \n"
        "2024 | 268 | 135.900 | 2 | \n"
        "Cộng | 699 | 257.300 | 3,5 | \n"
    )
    found = extract_figures(text.encode(), "x.txt")
    table = found[found["locator"].str.contains("L4|L5|L6|L7")]
    rows = list(
        table[["metric", "value", "category", "scope", "period_start"]].itertuples(index=False, name=None)
    )
    assert rows == [
        ("cases_detected", 431, "smuggling", "period_total", "2023-01-01"),
        ("cigarettes_packs", 121_400, "smuggling", "period_total", "2023-01-01"),
        ("heroin_grams", 1500, "drugs", "period_total", "2023-01-01"),
        ("cases_detected", 268, "smuggling", "period_total", "2024-01-01"),
        ("cigarettes_packs", 135_900, "smuggling", "period_total", "2024-01-01"),
        ("heroin_grams", 2000, "drugs", "period_total", "2024-01-01"),
        ("cases_detected", 699, "smuggling", "period_total", "2023-01-01"),
        ("cigarettes_packs", 257_300, "smuggling", "period_total", "2023-01-01"),
        ("heroin_grams", 3500, "drugs", "period_total", "2023-01-01"),
    ]
    assert set(table["period_end"][-3:]) == {"2024-12-31"}  # the total row covers the table's years


def test_a_header_merged_over_a_second_header_row_names_its_columns_in_that_row():
    data = report_with_table(
        [
            ["TT", "Đơn vị", "Kết quả", "Kết quả", "Ghi chú"],
            ["TT", "Đơn vị", "Số vụ", "Số đối tượng", "Ghi chú"],
            ["1", "Đồn Biên phòng Thanh Thủy", "12", "19", ""],
            ["", "Cộng", "12", "19", ""],
        ]
    )
    found = extract_figures(data, "bao-cao.docx")
    rows = list(found[["metric", "value", "scope"]].itertuples(index=False, name=None))
    assert rows[-4:] == [
        ("cases_detected", 12, "subset"),
        ("subjects_detected", 19, "subset"),
        ("cases_detected", 12, "period_total"),
        ("subjects_detected", 19, "period_total"),
    ]


def test_a_table_typed_with_tabs_is_read():
    text = (
        "Báo cáo 6 tháng đầu năm 2021\nMóng Cái, ngày 30 tháng 6 năm 2021\n"
        "Kết quả phát hiện, bắt giữ 6 tháng đầu năm 2021:\n"
        "Đơn vị\tSố vụ\tSố đối tượng\tTrị giá (triệu đồng)\n"
        "Đội Kiểm soát hải quan\t21\t22\t2.710,3\n"
        "Tổng cộng\t21\t22\t2.710,3\n"
    )
    found = extract_figures(text.encode(), "x.txt")
    rows = list(found[["metric", "value", "scope"]].itertuples(index=False, name=None))
    assert rows == [
        ("cases_detected", 21, "subset"),
        ("subjects_detected", 22, "subset"),
        ("goods_value_vnd", 2_710_300_000, "subset"),
        ("cases_detected", 21, "period_total"),
        ("subjects_detected", 22, "period_total"),
        ("goods_value_vnd", 2_710_300_000, "period_total"),
    ]
