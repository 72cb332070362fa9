"""Figures in tables: one row per unit and period, one column per metric (CSV exports and filled sheets).

A table is read one row at a time (``TableReader.read_row``), so a large CSV streams in flat memory. Damage
people really send (numbers typed as text, "n/a", empty cells, a total row, hidden rows, formulas with no
value, unknown columns) becomes an issue naming the cell, and the rest of the table is still read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ingest.errors import UnreadableInput
from ingest.numbers import parse_number
from ingest.periods import parse_period_code
from ingest.places import normalise_province
from schemas.catalog import metrics
from schemas.issues import make_issue

ID_COLUMNS = {"reporting unit", "province", "period", "period start", "period end", "category"}
# Vietnamese and English names people give the identifying columns, compared by ``column_key``.
ID_ALIASES = {
    "don vi": "reporting unit",
    "don vi bao cao": "reporting unit",
    "unit": "reporting unit",
    "tinh": "province",
    "tinh, thanh pho": "province",
    "ky": "period",
    "ky bao cao": "period",
    "tu ngay": "period start",
    "den ngay": "period end",
    "linh vuc": "category",
}
TOTAL_WORDS = {"tong", "tong cong", "cong", "tong so", "toan tinh", "total", "grand total"}
NOT_AVAILABLE = {"n/a", "na", "-", "–", "—", "x", "k", "kco", "khong co", "none", "null", "..."}
_NUMERIC_TEXT = re.compile(r"-?[0-9][0-9., \u00a0]*")
_AMBIGUOUS = re.compile(r"-?[0-9]{1,3}[.,][0-9]{3}")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
EMPTY_CELLS_LISTED = 5

Locate = Callable[[int, int], str]


class Uncalculated(str):
    """A formula cell saved with no calculated value (the text is the formula)."""


def column_key(header: object) -> str:
    """Compare headers regardless of case, diacritics and spacing (``Số vụ khởi tố`` ~ ``so vu khoi to``)."""
    text = "" if header is None else str(header)
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", " ", plain).strip().lower()


def _metric_names() -> dict[str, str]:
    names = {}
    for key, metric in metrics().items():
        names[column_key(key)] = key
        names[column_key(metric.label_vi)] = key
        names[column_key(metric.label_en)] = key
    return names


def metric_columns(headers: list[str]) -> dict[int, str]:
    """Column index -> metric key, for headers that name a metric by key or by its Vietnamese label."""
    names = _metric_names()
    return {i: names[column_key(h)] for i, h in enumerate(headers) if column_key(h) in names}


def id_column(header: object) -> str | None:
    """The identifying column a header names (``reporting unit``, ``province``, ...), if any."""
    key = column_key(header)
    return key if key in ID_COLUMNS else ID_ALIASES.get(key)


def recognised_columns(headers: list[object]) -> int:
    """How many headers name a metric or an identifying column: picks the header row of a sheet."""
    names = _metric_names()
    return sum(1 for h in headers if column_key(h) in names or id_column(h))


@dataclass(frozen=True)
class CellValue:
    """A cell read as a number: its value (None when there is none) and what was wrong with it, if anything."""

    value: float | None
    damage: str | None = None
    raw: str = ""


def read_cell(raw: object, typed: bool) -> CellValue:
    """The number in a cell; ``typed`` cells come from a spreadsheet, where a number should not be text."""
    if raw is None or isinstance(raw, Uncalculated):
        return CellValue(None, "formula-not-calculated" if raw else None, str(raw or ""))
    if isinstance(raw, bool | dt.date | dt.time):
        return CellValue(None, "cell-not-number", str(raw))
    if isinstance(raw, int | float):
        return CellValue(None if math.isnan(raw) else float(raw))
    text = str(raw).replace("\u00a0", " ").strip()
    if not text:
        return CellValue(None)
    if text.lower() in NOT_AVAILABLE:
        return CellValue(None, "cell-not-available", text)
    if not _NUMERIC_TEXT.fullmatch(text):
        return CellValue(None, "cell-not-number", text)
    try:
        value = parse_number(text.replace(" ", "").replace("\u00a0", ""), "vi")
    except ValueError:
        return CellValue(None, "cell-not-number", text)
    # In a spreadsheet a number typed as text is damage; in CSV everything is text, and only a number whose
    # reading depends on the convention (``1.234``: 1234 here, 1.234 in English) deserves a word.
    doubtful = typed or bool(_AMBIGUOUS.fullmatch(text))
    return CellValue(value, "cell-text-number" if doubtful else None, text)


def cell_text(raw: object) -> str:
    """An identifying cell as text: dates as ISO dates, whole numbers without ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).replace("\u00a0", " ").strip()


def iso_date(text: str) -> str | None:
    """``2024-04-01`` or ``01/04/2024`` as an ISO date; None when it is neither."""
    match = _DMY.fullmatch(text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


@dataclass
class _Sums:
    """Running sums of one block of unit rows, per context, so a total row can be checked in flat memory."""

    values: dict[tuple, dict[str, float]] = field(default_factory=dict)
    missing: dict[tuple, set[str]] = field(default_factory=dict)

    def add(self, key: tuple, metric: str, value: float | None) -> None:
        if value is None:
            self.missing.setdefault(key, set()).add(metric)
        else:
            sums = self.values.setdefault(key, {})
            sums[metric] = sums.get(metric, 0.0) + value

    def matching(self, key: tuple) -> list[tuple]:
        """Block contexts that agree with ``key`` on every field ``key`` states."""
        known = set(self.values) | set(self.missing)
        return [k for k in known if all(a is None or a == b for a, b in zip(key, k, strict=True))]


_CONTEXT_KEY = ("province", "period_start", "period_end", "period_label", "category")


class TableReader:
    """Reads the data rows under one header row; ``figures`` come back per row, ``issues`` accumulate."""

    def __init__(self, name: str, headers: list[object], locate: Locate, typed: bool) -> None:
        self.name, self.locate, self.typed = name, locate, typed
        self.headers = [cell_text(h) for h in headers]
        self.metrics = metric_columns(self.headers)
        self.ids = {i: c for i, h in enumerate(self.headers) if (c := id_column(h)) and i not in self.metrics}
        self.notes = {
            i: h for i, h in enumerate(self.headers) if h and i not in self.metrics and i not in self.ids
        }
        self.issues: list[dict[str, object]] = []
        self._empty: dict[int, list[str]] = {}
        self._empty_count: dict[int, int] = {}
        self._sums = _Sums()
        self._catalog = metrics()
        self._check_headers()

    def _issue(self, check: str, **fields: object) -> None:
        self.issues.append(make_issue(check, source=self.name, **fields))

    def _check_headers(self) -> None:
        seen: dict[str, int] = {}
        for column, metric in list(self.metrics.items()):
            if metric in seen:
                self._issue("column-duplicate", locator=self.locate(0, column), metric=metric)
                del self.metrics[column]
            seen.setdefault(metric, column)
        for column, header in self.notes.items():
            self._issue("column-unknown", locator=self.locate(0, column), detail=header)

    def read_row(self, number: int, row: list[object], hidden: bool = False) -> list[dict[str, object]]:
        """The figures of data row ``number``; a total row is checked against the rows above it instead."""
        ids = {name: cell_text(row[i]) if i < len(row) else "" for i, name in self.ids.items()}
        cells = {i: read_cell(row[i] if i < len(row) else None, self.typed) for i in self.metrics}
        if not any(ids.values()) and all(c.value is None and not c.damage for c in cells.values()):
            return []
        context = self._context(number, ids)
        unit_key = column_key(context["reporting_unit"])
        if hidden:
            self._issue(
                "row-hidden", locator=self.locate(number, 0), reporting_unit=context["reporting_unit"]
            )
        if unit_key in TOTAL_WORDS:
            return self._total_row(number, context, cells)
        key = tuple(context[k] for k in _CONTEXT_KEY)
        for column, cell in cells.items():
            self._sums.add(key, self.metrics[column], cell.value)
        return self._figures(number, row, context, cells)

    def _context(self, number: int, ids: dict[str, str]) -> dict[str, object]:
        start, end = iso_date(ids.get("period start", "")), iso_date(ids.get("period end", ""))
        label = None
        code = ids.get("period", "")
        if code:
            try:
                period = parse_period_code(code)
                start, end, label = period.start.isoformat(), period.end.isoformat(), period.label
            except ValueError:
                label = code
                self._issue("period-unreadable", locator=self._id_locator(number, "period"), detail=code)
        for column in ("period start", "period end"):
            if ids.get(column) and not iso_date(ids[column]):
                self._issue("period-unreadable", locator=self._id_locator(number, column), detail=ids[column])
        province = ids.get("province", "")
        category = column_key(ids.get("category", "")).replace(" ", "_") or None
        return {
            "reporting_unit": ids.get("reporting unit") or None,
            "province": normalise_province(province) or province or None,
            "period_start": start,
            "period_end": end,
            "period_label": label or (f"{start} – {end}" if start or end else None),
            "period_inferred": False,
            "published": None,
            "category": category,
            "qualifier": "exact",
            "lang": "vi",
        }

    def _id_locator(self, number: int, name: str) -> str:
        column = next((i for i, n in self.ids.items() if n == name), 0)
        return self.locate(number, column)

    def _figures(
        self, number: int, row: list[object], context: dict[str, object], cells: dict[int, CellValue]
    ) -> list[dict[str, object]]:
        notes = [
            f"{h} = {cell_text(row[i])}" for i, h in self.notes.items() if i < len(row) and cell_text(row[i])
        ]
        suffix = f" | ghi chú: {'; '.join(notes)}" if notes else ""
        figures = []
        for column, cell in cells.items():
            locator = self.locate(number, column)
            if cell.value is None and not cell.damage:
                self._note_empty(column, locator)
                continue
            metric = self._catalog[self.metrics[column]]
            if cell.damage:
                self._issue(
                    cell.damage,
                    locator=locator,
                    metric=metric.key,
                    value=cell.value,
                    detail=cell.raw,
                    **_who(context),
                )
            figures.append(
                {
                    **context,
                    "locator": locator,
                    "quote": f"{self.headers[column]} = {cell.raw or shown_number(cell.value)}{suffix}",
                    "metric": metric.key,
                    "value": cell.value,
                    "unit": metric.unit,
                    "scope": metric.default_scope,
                    "category": context["category"] or metric.default_category,
                }
            )
        return figures

    def _note_empty(self, column: int, locator: str) -> None:
        self._empty_count[column] = self._empty_count.get(column, 0) + 1
        listed = self._empty.setdefault(column, [])
        if len(listed) < EMPTY_CELLS_LISTED:
            listed.append(locator)

    def _total_row(
        self, number: int, context: dict[str, object], cells: dict[int, CellValue]
    ) -> list[dict[str, object]]:
        """A row named ``Tổng cộng``/``Total``: figures of the province when it equals the units above."""
        key = tuple(context[k] for k in _CONTEXT_KEY)
        matches = self._sums.matching(key)
        filled = dict(zip(_CONTEXT_KEY, key, strict=True))
        for position, name in enumerate(_CONTEXT_KEY):
            found = {k[position] for k in matches}
            if filled[name] is None and len(found) == 1:
                filled[name] = found.pop()
        context = {**context, **filled, "reporting_unit": None}
        agreeing = {}
        for column, cell in cells.items():
            metric = self.metrics[column]
            if cell.value is None:
                continue
            above = sum(self._sums.values.get(k, {}).get(metric, 0.0) for k in matches)
            some_missing = any(metric in self._sums.missing.get(k, set()) for k in matches)
            if math.isclose(cell.value, above) or (some_missing and cell.value >= above):
                agreeing[column] = cell
            else:
                self._issue(
                    "total-mismatch",
                    locator=self.locate(number, column),
                    metric=metric,
                    value=cell.value,
                    expected=above,
                    period_label=context["period_label"],
                )
        self._sums = _Sums()
        return self._figures(number, [], context, agreeing)

    def finish(self) -> list[dict[str, object]]:
        """The issues of the whole table, including one per column that had empty cells."""
        for column, count in self._empty_count.items():
            self._issue(
                "cells-empty",
                locator=self._empty[column][0],
                metric=self.metrics[column],
                value=count,
                detail=f"{self.headers[column]} ({listed_cells(self._empty[column], count)})",
            )
        self._empty_count.clear()
        return self.issues


def _who(context: dict[str, object]) -> dict[str, object]:
    return {"reporting_unit": context["reporting_unit"], "period_label": context["period_label"]}


def listed_cells(locators: list[str], count: int) -> str:
    """The first few cells of a list, with an ellipsis when there were more."""
    return ", ".join(locators[:EMPTY_CELLS_LISTED]) + (" …" if count > EMPTY_CELLS_LISTED else "")


def shown_number(value: float | None) -> str:
    """A value as a person typed it: ``1234``, ``2.5``; empty for none."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


@dataclass
class TableReading:
    """What a table reader returns: the figures, and the issues it found in the cells."""

    figures: list[dict[str, object]]
    issues: list[dict[str, object]]


def stream_csv(
    lines: Iterable[str], name: str, issues: list[dict[str, object]]
) -> Iterator[dict[str, object]]:
    """Figures of a CSV given as lines of text, one row at a time; the issues are appended to ``issues``."""
    rows = csv.reader(lines)
    headers = next(rows, None)
    if not headers or not any(h.strip() for h in headers):
        raise UnreadableInput(f"{name}: empty file")
    reader = TableReader(
        name, [h.strip() for h in headers], lambda r, c: f"row {r}" if r else "row 1", typed=False
    )
    if not reader.metrics:
        raise UnreadableInput(f"{name}: no column names a metric; headers were: {', '.join(headers)}")
    try:
        for number, row in enumerate(rows, start=2):
            yield from reader.read_row(number, row)
    finally:
        issues.extend(reader.finish())


def read_csv(data: bytes, name: str) -> TableReading:
    """Figures of a CSV export; a cell that is not a number gives a figure with no value and an issue."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UnreadableInput(f"{name}: CSV is not UTF-8 ({err.reason} at byte {err.start})") from None
    issues: list[dict[str, object]] = []
    figures = list(stream_csv(io.StringIO(text, newline=""), name, issues))
    return TableReading(figures, issues)
