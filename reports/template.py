"""The submission template: a workbook a unit fills in, one row per catalog metric, read back by ingest.

The hidden sheet ``_template`` records the template version and where every input cell is, so the reader
finds the figures without sharing code with this writer (ingest and reports do not import each other).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from schemas.catalog import GROUP_LABELS, Metric, metrics

TEMPLATE_VERSION = "1"
SHEET = "Báo cáo"
LAYOUT_SHEET = "_template"
FONT = "Calibri"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
GROUP_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
# Where things go: header inputs in column C, the metric table from TABLE_ROW down.
HEADER_CELLS = {"unit": "C4", "province": "C5", "period": "C6"}
TABLE_ROW = 14
COLUMNS = {
    "key": "A",
    "label": "B",
    "label_en": "C",
    "unit": "D",
    "value": "E",
    "qualifier": "F",
    "note": "G",
}
QUALIFIER_CHOICES = ("chính xác", "khoảng", "hơn", "dưới")
UNIT_NAMES = {"count": "vụ/người/cái", "VND": "đồng", "g": "gam", "kg": "kg", "km": "km"}
UNIT_FORMATS = {"count": "#,##0", "VND": "#,##0", "g": "#,##0.###", "kg": "#,##0.###", "km": "#,##0.#"}
INSTRUCTIONS = (
    "Hướng dẫn: chỉ nhập vào các ô màu vàng; các ô khác đã được khóa.",
    "Ghi số liệu bằng số, không kèm chữ hay đơn vị; tiền ghi bằng đồng, số nguyên (ví dụ 700000000).",
    "Không có số liệu thì để trống: ô trống là không có số liệu, khác với số 0.",
    "Kỳ báo cáo ghi theo mẫu: 2024 (năm), 2024-Q3 (quý), 2024-H1 (6 tháng), 2024-06 (tháng).",
    "Cột “Mức chính xác”: chọn khoảng, hơn hoặc dưới khi số liệu không chính xác; để trống khi chính xác.",
)
HEADERS = ("Mã", "Chỉ tiêu", "Indicator", "Đơn vị tính", "Số liệu", "Mức chính xác", "Ghi chú")


def build_template(
    unit: str | None = None, province: str | None = None, period: str | None = None
) -> Workbook:
    """A blank submission workbook, its header cells filled with what is already known."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _write_heading(sheet, {"unit": unit, "province": province, "period": period})
    last_row = _write_metrics(sheet)
    _protect(sheet)
    _write_layout(book.create_sheet(LAYOUT_SHEET), last_row)
    book.properties.creator = "border-reports"
    book.properties.title = "Mẫu báo cáo số liệu"
    return book


def save_template(book: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _write_heading(sheet: Worksheet, known: dict[str, str | None]) -> None:
    sheet["B1"] = "BÁO CÁO SỐ LIỆU ĐẤU TRANH PHÒNG, CHỐNG TỘI PHẠM KHU VỰC BIÊN GIỚI"
    sheet["B1"].font = Font(name=FONT, bold=True, size=14)
    sheet["B2"] = "Border-area figures report (Vietnamese labels, English beside them)"
    sheet["B2"].font = Font(name=FONT, italic=True, color="595959")
    labels = {
        "unit": "Đơn vị báo cáo (Reporting unit)",
        "province": "Tỉnh (Province)",
        "period": "Kỳ báo cáo (Period), ví dụ 2024-Q3",
    }
    for key, ref in HEADER_CELLS.items():
        row = sheet[ref].row
        sheet.cell(row=row, column=2, value=labels[key]).font = Font(name=FONT, bold=True)
        _input(sheet[ref]).value = known.get(key)
        sheet[ref].number_format = "@"
    for offset, line in enumerate(INSTRUCTIONS):
        sheet.cell(row=8 + offset, column=2, value=line).font = Font(name=FONT, italic=offset > 0)


def _write_metrics(sheet: Worksheet) -> int:
    """One row per metric under a row per group, as in metrics.md; returns the last row written."""
    for column, name in zip(COLUMNS.values(), HEADERS, strict=True):
        cell = sheet[f"{column}{TABLE_ROW}"]
        cell.value, cell.font, cell.fill = name, Font(name=FONT, bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment, cell.border = Alignment(wrap_text=True, vertical="center"), BOX
    validations = _validations(sheet)
    row = TABLE_ROW
    for number, (group, (group_vi, group_en)) in enumerate(GROUP_LABELS.items(), start=1):
        row += 1
        sheet[f"B{row}"] = f"{_roman(number)}. {group_vi}"
        sheet[f"C{row}"] = group_en
        for column in COLUMNS.values():
            sheet[f"{column}{row}"].fill, sheet[f"{column}{row}"].font = (
                GROUP_FILL,
                Font(name=FONT, bold=True),
            )
        for metric in (m for m in metrics().values() if m.group == group):
            row += 1
            _write_metric_row(sheet, row, metric, validations)
    sheet.column_dimensions["A"].hidden = True
    for column, width in zip("BCDEFG", (44, 34, 13, 18, 15, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{TABLE_ROW + 1}"
    return row


def _write_metric_row(
    sheet: Worksheet, row: int, metric: Metric, validations: dict[str, DataValidation]
) -> None:
    texts = {
        "key": metric.key,
        "label": metric.label_vi,
        "label_en": metric.label_en,
        "unit": UNIT_NAMES[metric.unit],
    }
    for name, column in COLUMNS.items():
        cell = sheet[f"{column}{row}"]
        cell.value, cell.font, cell.border = texts.get(name), Font(name=FONT), BOX
    value = _input(sheet[f"{COLUMNS['value']}{row}"])
    value.number_format = UNIT_FORMATS[metric.unit]
    _input(sheet[f"{COLUMNS['qualifier']}{row}"])
    _input(sheet[f"{COLUMNS['note']}{row}"]).alignment = Alignment(wrap_text=True)
    if metric.unit == "VND":
        validations["VND"] = _money_validation(sheet, value.coordinate)
    validations[metric.unit].add(value.coordinate)
    validations["qualifier"].add(f"{COLUMNS['qualifier']}{row}")


def _validations(sheet: Worksheet) -> dict[str, DataValidation]:
    """Whole numbers >= 0 for counts and đồng, decimals >= 0 for masses and lengths, a list for qualifiers."""
    whole = {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"}
    decimal = {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"}
    rules = {
        "count": (whole, "Ghi số nguyên không âm (ví dụ 12)."),
        "g": (decimal, "Ghi số không âm, đơn vị gam (ví dụ 2,5)."),
        "kg": (decimal, "Ghi số không âm, đơn vị kg (ví dụ 2,5)."),
        "km": (decimal, "Ghi số không âm, đơn vị km."),
        "qualifier": (
            {"type": "list", "formula1": '"' + ",".join(QUALIFIER_CHOICES) + '"'},
            "Chọn trong danh sách: " + ", ".join(QUALIFIER_CHOICES) + ".",
        ),
    }
    made = {}
    for key, (rule, message) in rules.items():
        validation = DataValidation(**rule, allow_blank=True, showErrorMessage=True, showInputMessage=True)
        validation.error, validation.errorTitle, validation.prompt = message, "Số liệu không hợp lệ", message
        sheet.add_data_validation(validation)
        made[key] = validation
    return made


def _money_validation(sheet: Worksheet, ref: str) -> DataValidation:
    """Whole đồng >= 0, as a formula: Excel's whole-number rule stops at 2^31, about 2 tỷ đồng."""
    validation = DataValidation(
        type="custom", formula1=f"AND(ISNUMBER({ref}),{ref}>=0,{ref}=INT({ref}))", allow_blank=True
    )
    message = "Ghi số tiền bằng đồng, số nguyên không âm (ví dụ 700000000)."
    validation.showErrorMessage = validation.showInputMessage = True
    validation.error, validation.errorTitle, validation.prompt = message, "Số liệu không hợp lệ", message
    sheet.add_data_validation(validation)
    return validation


def _input(cell):
    cell.protection, cell.fill, cell.border, cell.font = UNLOCKED, INPUT_FILL, BOX, Font(name=FONT)
    return cell


def _protect(sheet: Worksheet) -> None:
    """Lock everything but the input cells; no password, so a unit that must can still unprotect."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # False means allowed: units may widen a column
    sheet.protection.formatRows = False


def _write_layout(sheet: Worksheet, last_row: int) -> None:
    rows = {
        "template_version": TEMPLATE_VERSION,
        "sheet": SHEET,
        "unit_cell": HEADER_CELLS["unit"],
        "province_cell": HEADER_CELLS["province"],
        "period_cell": HEADER_CELLS["period"],
        "first_row": TABLE_ROW + 1,
        "last_row": last_row,
        **{f"{name}_column": column for name, column in COLUMNS.items()},
    }
    for row, (key, value) in enumerate(rows.items(), start=1):
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=value)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _roman(number: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI")[number - 1]
