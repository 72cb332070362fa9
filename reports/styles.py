"""How cells look and how sheets print: fonts, fills, number formats, safe text, widths, page setup.

Fonts are always named (LibreOffice falls back to a serif font otherwise) and header rows get an explicit fill
(LibreOffice 7.4 does not draw table styles).
"""

from __future__ import annotations

import math

import pandas as pd
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

FONT = "Calibri"
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
GROUP_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
BODY_FONT = Font(name=FONT)
BOLD = Font(name=FONT, bold=True)
ITALIC = Font(name=FONT, italic=True)
TITLE_FONT = Font(name=FONT, bold=True, size=14)
LINK_FONT = Font(name=FONT, color="0563C1", underline="single")
TOP_RULE = Border(top=Side(style="thin", color="808080"))
SEVERITY_FILL = {
    "error": PatternFill("solid", fgColor="F8CBAD"),
    "warning": PatternFill("solid", fgColor="FFE699"),
}
SEVERITY_RANK = {"error": 2, "warning": 1}
COUNT_FORMAT = "#,##0"
# Whole numbers in every unit show no decimals; masses and lengths with a fraction show up to three.
WHOLE_FORMATS = {"count": COUNT_FORMAT, "VND": "#,##0 [$₫-42A]"}
FRACTION_FORMAT = "#,##0.0##"
QUALIFIER_MARK = {"exact": "", "approx": '"~"', "over": '">"', "under": '"<"'}


def number_format(unit: str, qualifier: str = "exact", value: float | None = None) -> str:
    """The format for a figure: the unit's format, prefixed with ~ > < for qualified values (still a number).

    Counts and money are whole; a mass or length shows decimals when it has them (or when unknown: totals).
    """
    whole = value is not None and float(value).is_integer()
    base = WHOLE_FORMATS.get(unit, COUNT_FORMAT if whole else FRACTION_FORMAT)
    return QUALIFIER_MARK.get(qualifier, "") + base


def total_qualifier(qualifiers: set[str]) -> str:
    """A sum of exact and 'over' values is still 'over'; of mixed kinds, approximate."""
    inexact = qualifiers - {"exact"}
    return "exact" if not inexact else next(iter(inexact)) if len(inexact) == 1 else "approx"


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def put_text(cell: Cell, text: object, font: Font = BODY_FONT) -> Cell:
    """Write report text as text, even when it starts with = + - @ (no formula injection)."""
    cell.value = None if is_missing(text) else str(text)
    if cell.value is not None:
        cell.data_type = "s"
    cell.font = font
    return cell


def put_number(cell: Cell, value: object, number_format: str = COUNT_FORMAT, font: Font = BODY_FONT) -> Cell:
    """Write a number as a number (never text); missing values leave the cell empty."""
    cell.value = None if is_missing(value) else float(value)
    cell.number_format, cell.font = number_format, font
    return cell


def put_header(sheet: Worksheet, row: int, names: list[str], first_column: int = 1) -> None:
    for column, name in enumerate(names, start=first_column):
        cell = put_text(sheet.cell(row=row, column=column), name, HEADER_FONT)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def put_link(cell: Cell, sheet_name: str, target: str | None) -> None:
    """A link to a cell of another sheet of this workbook (the location form, not "#Sheet!A1")."""
    if target is None:
        return
    put_text(cell, f"{sheet_name}!{target}", LINK_FONT)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet_name}'!{target}")


def fit_columns(sheet: Worksheet, minimum: int, maximum: int, skip_rows: int = 0) -> None:
    """Widths from the longest text of each column, within bounds; formulas do not count."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is None or str(cell.value).startswith("="):
                continue
            text = f"{cell.value:,.0f}" if isinstance(cell.value, float | int) else str(cell.value)
            longest = max(len(line) for line in text.splitlines()) if text else 0
            widths[cell.column] = max(widths.get(cell.column, 0), longest + 3)
    set_widths(sheet, {c: max(minimum, min(maximum, w)) for c, w in widths.items()})


def set_widths(sheet: Worksheet, widths: dict[int, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def set_print(sheet: Worksheet, title_rows: str | None) -> None:
    """A4 landscape, one page wide, the header rows repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if title_rows:
        sheet.print_title_rows = title_rows
