"""Figures in .xlsx workbooks: the filled submission template, and sheets of one row per unit and period.

Values come from python-calamine (about 5x faster than openpyxl; formulas give their cached value). What
calamine does not tell, hidden rows and formulas saved with no value, comes from a scan of the sheet XML.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd
from defusedxml import ElementTree
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from ingest.cells import (
    Uncalculated,
    cell_text,
    column_key,
    listed_cells,
    metric_columns,
    read_cell,
    recognised_columns,
    shown_number,
)
from ingest.errors import UnreadableInput
from ingest.periods import parse_period_code
from ingest.places import normalise_province
from ingest.tables import TableReader, TableReading
from schemas.catalog import QUALIFIERS, metrics
from schemas.issues import make_issue

TEMPLATE_SHEET = "_template"
OOXML = {".xlsx", ".xlsm"}
TEMPLATE_VERSIONS = {"1"}
HEADER_SEARCH_ROWS = 10
QUALIFIER_WORDS = {
    "chinh xac": "exact",
    "khoang": "approx",
    "gan": "approx",
    "uoc": "approx",
    "hon": "over",
    "tren": "over",
    "duoi": "under",
    **{q: q for q in QUALIFIERS},
}
_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]+)"')
_CELL_START = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)([0-9]+)"')
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
_CACHED = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>")


@dataclass
class SheetShape:
    """What values alone do not say about a sheet: hidden rows and formula cells saved with no value."""

    hidden_rows: set[int] = field(default_factory=set)
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) 1-based -> formula


def read_xlsx(data: bytes, name: str) -> TableReading:
    """Figures of a workbook: the submission template when it is one, else every sheet that is a table.

    Also reads old .xls and LibreOffice .ods files, whose hidden rows and uncalculated formulas go unseen
    (the sheet XML scan knows only the .xlsx layout).
    """
    kind = PurePosixPath(name.lower()).suffix or ".xlsx"
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        shapes = scan_shapes(data) if kind in OOXML else {}
    except (CalamineError, zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as err:
        raise UnreadableInput(f"{name}: not a readable {kind} workbook ({err})") from None
    if TEMPLATE_SHEET in book.sheet_names:
        return read_template(book, shapes, name)
    reading = TableReading([], [])  # a frame per sheet, joined below
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
        except CalamineError as err:  # e.g. an XML entity in a cell: refuse it, never expand it
            raise UnreadableInput(f"{name}: sheet {meta.name!r} cannot be read ({err})") from None
        grid = _grid(rows, shapes.get(meta.name, SheetShape()))
        _read_sheet(
            meta.name,
            grid,
            sheet.merged_cell_ranges or [],
            shapes.get(meta.name, SheetShape()),
            name,
            reading,
        )
    frames = [f for f in reading.figures if len(f)]
    if not frames and not any(i["check"] != "sheet-skipped" for i in reading.issues):
        raise UnreadableInput(f"{name}: no sheet has a column that names a metric")
    return TableReading(pd.concat(frames, ignore_index=True) if frames else [], reading.issues)


def scan_shapes(data: bytes) -> dict[str, SheetShape]:
    """Hidden rows and uncalculated formulas of each sheet, found in the sheet XML without parsing it all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
        shapes = {}
        for sheet in workbook.iterfind("main:sheets/main:sheet", _NS):
            target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            if path in archive.namelist():
                shapes[sheet.get("name")] = _shape(archive.read(path))
        return shapes


def _shape(xml: bytes) -> SheetShape:
    shape = SheetShape()
    for at in _find_all(xml, b'hidden="'):
        if xml[at + 8 : at + 9] not in (b"1", b"t"):
            continue
        tag = xml[xml.rfind(b"<", 0, at) : xml.find(b">", at) + 1]
        number = _ROW_NUMBER.match(tag)  # hidden columns (<col hidden="1">) do not match
        if number:
            shape.hidden_rows.add(int(number[1]))
    for at in sorted({*_find_all(xml, b"<f"), *_find_all(xml, b":f")}):
        if xml[at + 2 : at + 3] in (b">", b" ", b"/"):
            _note_formula(xml, at, shape)
    return shape


def _find_all(xml: bytes, needle: bytes) -> list[int]:
    """Every offset of ``needle``: bytes.find is several times faster than a regex over a large sheet."""
    found, at = [], xml.find(needle)
    while at != -1:
        found.append(at)
        at = xml.find(needle, at + 1)
    return found


def _note_formula(xml: bytes, at: int, shape: SheetShape) -> None:
    """Record the formula starting at ``at`` when its cell holds no calculated value."""
    starts = list(_CELL_START.finditer(xml, max(0, at - 400), at))
    end = _CELL_END.search(xml, at)
    if not starts or not end:
        return
    body = xml[at : end.start()]
    if _CACHED.search(body):
        return
    column, row = starts[-1][1].decode(), int(starts[-1][2])
    text = _FORMULA_TEXT.search(body)
    formula = "=" + html.unescape(text[1].decode("utf-8", "replace")) if text else "="
    shape.uncalculated[(row, _column_index(column))] = formula


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _grid(rows: list[list[object]], shape: SheetShape) -> list[list[object]]:
    """The sheet's values from A1, with formula cells that have no value marked ``Uncalculated``."""
    for (row, column), formula in shape.uncalculated.items():
        while len(rows) < row:
            rows.append([])
        cells = rows[row - 1]
        cells.extend([""] * (column - len(cells)))
        cells[column - 1] = Uncalculated(formula)
    return rows


def _read_sheet(
    sheet: str, grid: list[list[object]], merged: list, shape: SheetShape, name: str, reading: TableReading
) -> None:
    header = _header_row(grid, merged)
    if header is None:
        reading.issues.append(make_issue("sheet-skipped", source=name, detail=sheet))
        return
    headers = _filled_header(grid, merged, header)
    reader = TableReader(
        name, headers, lambda c: f"{sheet}!{get_column_letter(c + 1)}", header + 1, typed=True
    )
    locate = reader.locate
    _report_merged_headers(merged, header, locate, name, headers, reading)
    _fill_merged_ids(grid, merged, header, set(reader.ids))
    numbers = list(range(header + 2, len(grid) + 1))
    reading.figures.append(reader.read_rows(numbers, grid[header + 1 :], shape.hidden_rows))
    reading.issues.extend(reader.finish())


def _header_row(grid: list[list[object]], merged: list) -> int | None:
    """The 0-based row, among the first few, that names the most metrics and identifying columns."""
    best, best_count = None, 0
    for index in range(min(HEADER_SEARCH_ROWS, len(grid))):
        headers = _filled_header(grid, merged, index)
        count = recognised_columns(headers)
        if count > best_count and metric_columns([cell_text(h) for h in headers]):
            best, best_count = index, count
    return best


def _filled_header(grid: list[list[object]], merged: list, index: int) -> list[object]:
    """Row ``index`` with each merged range's value repeated into every cell it covers."""
    headers = list(grid[index])
    for (top, left), (bottom, right) in merged:
        if top <= index <= bottom:
            value = grid[top][left] if left < len(grid[top]) else ""
            headers.extend([""] * (right + 1 - len(headers)))
            for column in range(left, right + 1):
                headers[column] = value
    return headers


def _report_merged_headers(
    merged, header: int, locate, name: str, headers: list, reading: TableReading
) -> None:
    for (top, left), (bottom, right) in merged:
        if top <= header <= bottom:
            ref = f"{get_column_letter(left + 1)}{top + 1}:{get_column_letter(right + 1)}{bottom + 1}"
            detail = f"{ref} '{cell_text(headers[left])}'"
            reading.issues.append(
                make_issue("header-merged", source=name, locator=locate(top + 1, left), detail=detail)
            )


def _fill_merged_ids(grid: list[list[object]], merged: list, header: int, id_columns: set[int]) -> None:
    """A province or unit merged down several rows belongs to each of them; merged numbers are not copied."""
    for (top, left), (bottom, right) in merged:
        if top <= header or not set(range(left, right + 1)) <= id_columns:
            continue
        value = grid[top][left]
        for row in range(top, min(bottom + 1, len(grid))):
            cells = grid[row]
            cells.extend([""] * (right + 1 - len(cells)))
            for column in range(left, right + 1):
                cells[column] = value


def read_template(book: CalamineWorkbook, shapes: dict[str, SheetShape], name: str) -> TableReading:
    """Figures of a filled submission template: its hidden sheet says where everything is."""
    layout = {
        column_key(k): cell_text(v) for k, v, *_ in book.get_sheet_by_name(TEMPLATE_SHEET).to_python() if k
    }
    version = layout.get("template version", "")
    if version not in TEMPLATE_VERSIONS:
        raise UnreadableInput(
            f"{name}: template version {version or '?'} is not one this reader knows ({', '.join(sorted(TEMPLATE_VERSIONS))});"
            " make a new one with `border-reports template`"
        )
    sheet = layout["sheet"]
    shape = shapes.get(sheet, SheetShape())
    grid = _grid(book.get_sheet_by_name(sheet).to_python(skip_empty_area=False), shape)
    template = _Template(sheet, grid, layout, name)
    return template.read(shape)


@dataclass
class _Template:
    sheet: str
    grid: list[list[object]]
    layout: dict[str, str]
    name: str
    issues: list[dict[str, object]] = field(default_factory=list)

    def cell(self, ref: str) -> object:
        letters, digits = re.fullmatch(r"([A-Z]+)([0-9]+)", ref).groups()
        row, column = int(digits) - 1, _column_index(letters) - 1
        return self.grid[row][column] if row < len(self.grid) and column < len(self.grid[row]) else None

    def locate(self, column: str, row: int) -> str:
        return f"{self.sheet}!{column}{row}"

    def context(self) -> dict[str, object]:
        province = cell_text(self.cell(self.layout["province cell"]))
        code = cell_text(self.cell(self.layout["period cell"]))
        start = end = label = None
        if code:
            try:
                period = parse_period_code(code)
                start, end, label = period.start.isoformat(), period.end.isoformat(), period.label
            except ValueError:
                label = code
                where = f"{self.sheet}!{self.layout['period cell']}"
                self.issues.append(
                    make_issue("period-unreadable", source=self.name, locator=where, detail=code)
                )
        return {
            "reporting_unit": cell_text(self.cell(self.layout["unit cell"])) or None,
            "province": normalise_province(province) or province or None,
            "period_start": start,
            "period_end": end,
            "period_label": label,
            "period_inferred": False,
            "published": None,
            "lang": "vi",
        }

    def read(self, shape: SheetShape) -> TableReading:
        context = self.context()
        columns = {k: self.layout[f"{k} column"] for k in ("key", "label", "value", "qualifier", "note")}
        figures, empty = [], []
        for number in range(int(self.layout["first row"]), int(self.layout["last row"]) + 1):
            key = cell_text(self.cell(f"{columns['key']}{number}"))
            if key not in metrics():
                continue
            locator = self.locate(columns["value"], number)
            raw = self.cell(f"{columns['value']}{number}")
            parsed = read_cell(raw if raw != "" else None, typed=True)
            if parsed.value is None and not parsed.damage:
                empty.append(locator)
                continue
            if number in shape.hidden_rows:
                self.issue("row-hidden", locator, key, context)
            if parsed.damage:
                self.issue(parsed.damage, locator, key, context, value=parsed.value, detail=parsed.raw)
            figures.append(self.figure(number, key, parsed, context, columns))
        if empty:
            detail = listed_cells(empty, len(empty))
            self.issues.append(
                make_issue("cells-empty", source=self.name, locator=empty[0], value=len(empty), detail=detail)
            )
        return TableReading(figures, self.issues)

    def issue(self, check: str, locator: str, key: str, context: dict, **fields: object) -> None:
        who = {"reporting_unit": context["reporting_unit"], "period_label": context["period_label"]}
        self.issues.append(make_issue(check, source=self.name, locator=locator, metric=key, **who, **fields))

    def figure(
        self, number: int, key: str, parsed, context: dict, columns: dict[str, str]
    ) -> dict[str, object]:
        metric = metrics()[key]
        qualifier_text = cell_text(self.cell(f"{columns['qualifier']}{number}"))
        qualifier = QUALIFIER_WORDS.get(column_key(qualifier_text), "exact") if qualifier_text else "exact"
        if qualifier_text and column_key(qualifier_text) not in QUALIFIER_WORDS:
            locator = self.locate(columns["qualifier"], number)
            self.issue("qualifier-unknown", locator, key, context, detail=qualifier_text)
        note = cell_text(self.cell(f"{columns['note']}{number}"))
        label = cell_text(self.cell(f"{columns['label']}{number}")) or metric.label_vi
        shown = parsed.raw or shown_number(parsed.value)
        return {
            **context,
            "locator": self.locate(columns["value"], number),
            "quote": f"{label} = {shown}" + (f" | ghi chú: {note}" if note else ""),
            "metric": key,
            "category": metric.default_category,
            "scope": metric.default_scope,
            "value": parsed.value,
            "unit": metric.unit,
            "qualifier": qualifier,
        }
