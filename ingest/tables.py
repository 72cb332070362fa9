"""Figures in tables: one row per unit and period, one column per metric (CSV exports and filled sheets).

A table is read a block of rows at a time (``TableReader.read_rows``), so a large CSV streams in flat memory;
how one cell is read lives in ``ingest.cells``. Damage people really send (numbers typed as text, "n/a",
empty cells, a total row, hidden rows, formulas with no value, unknown columns) becomes an issue naming the
cell, and the rest of the table is still read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, zip_longest

import numpy as np
import pandas as pd

from ingest.cells import (
    LISTED_CELLS,
    CellValue,
    cell_text,
    column_key,
    id_column,
    is_total,
    iso_date,
    listed_cells,
    metric_columns,
    period_dates,
    read_cell,
)
from ingest.decode import decode_document
from ingest.errors import UnreadableInput
from ingest.places import normalise_province
from schemas.catalog import metrics
from schemas.issues import make_issue

CONTEXTS_KEPT = 10_000
DELIMITERS = (",", ";", "\t")
CHUNK_ROWS = 2_000  # rows per figures frame when streaming: about 18 MB at 10 metrics a row


_CONTEXT_KEY = ("province", "period_start", "period_end", "period_label", "category")
_NUMBERS = (float, int)


@dataclass
class _Sums:
    """Running sums of the unit rows since the last total row, per context, so memory stays flat."""

    values: dict[tuple, dict[str, float]] = field(default_factory=dict)
    missing: dict[tuple, set[str]] = field(default_factory=dict)

    def add(self, key: tuple, metric: str, values: np.ndarray) -> None:
        sums = self.values.setdefault(key, {})
        sums[metric] = sums.get(metric, 0.0) + float(np.nansum(values))
        if np.isnan(values).any():
            self.missing.setdefault(key, set()).add(metric)

    def matching(self, key: tuple) -> list[tuple]:
        """Contexts above that agree with ``key`` on every field ``key`` states."""
        known = set(self.values) | set(self.missing)
        return [k for k in known if all(a is None or a == b for a, b in zip(key, k, strict=True))]


@dataclass
class _Block:
    """Rows read together: each metric column parsed at once, damaged cells apart (they are rare)."""

    numbers: list[int]
    contexts: list[dict[str, object] | None]  # None: an empty row
    values: dict[int, np.ndarray]  # column -> value per row, NaN when none
    damaged: dict[tuple[int, int], CellValue]  # (row index, column) -> the cell
    totals: list[int] = field(default_factory=list)


class TableReader:
    """Reads the data rows under one header row, a block of rows at a time, into a figures frame.

    Work is done per column where it can be (one pass per metric column), so a large table reads at tens
    of thousands of rows per second; reading in blocks keeps memory flat however long the file is. A cell is
    named ``prefix(column) + row number``: ``Sheet!C`` + ``7``, or ``row `` + ``12`` in a CSV.
    """

    def __init__(
        self, name: str, headers: list[object], prefix: Callable[[int], str], header_row: int, typed: bool
    ) -> None:
        self.name, self.typed, self.header_row = name, typed, header_row
        self._prefixes = [prefix(c) for c in range(len(headers))]
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
        self._check_headers()
        self._catalog = {column: metrics()[key] for column, key in self.metrics.items()}
        self._contexts: dict[tuple[str, ...], tuple[dict[str, object], list[tuple[str, str]]]] = {}

    def locate(self, row: int, column: int) -> str:
        """The name of a cell; row 0 is the header row."""
        return self._prefixes[column] + str(row or self.header_row)

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

    def read_rows(
        self, numbers: list[int], rows: list[list[object]], hidden: set[int] | frozenset[int] = frozenset()
    ) -> pd.DataFrame:
        """The figures of data rows ``rows`` (row ``numbers`` as the user sees them), in row order.

        A total row (``Tổng cộng``, ``Total`` in the unit column) is checked against the unit rows above it.
        """
        block = self._parse(numbers, rows)
        for index, context in enumerate(block.contexts):
            if context is not None and numbers[index] in hidden:
                unit = context["reporting_unit"]
                self._issue("row-hidden", locator=self.locate(numbers[index], 0), reporting_unit=unit)
        self._check_totals(block)
        return self._frame(block, rows)

    def _parse(self, numbers: list[int], rows: list[list[object]]) -> _Block:
        columns = list(zip_longest(*rows, fillvalue=None))
        blank = (None,) * len(rows)
        values, damaged = {}, {}
        for column in self.metrics:
            raw = columns[column] if column < len(columns) else blank
            parsed = [v if v.__class__ is float else np.nan for v in raw]
            for index, v in enumerate(raw):
                if v.__class__ is not float and v is not None and v != "":
                    cell = read_cell(v, self.typed)
                    parsed[index] = np.nan if cell.value is None else cell.value
                    if cell.damage:
                        damaged[(index, column)] = cell
            values[column] = np.asarray(parsed, dtype=float)
        texts = {
            name: [v.strip() if v.__class__ is str else _id_text(name, v) for v in columns[i]]
            if i < len(columns)
            else None
            for i, name in self.ids.items()
        }
        contexts = []
        for index, number in enumerate(numbers):
            ids = {name: column[index] if column else "" for name, column in texts.items()}
            contexts.append(self._row_context(number, ids, values, damaged, index))
        return _Block(numbers, contexts, values, damaged)

    def _row_context(
        self, number: int, ids: dict[str, str], values: dict[int, np.ndarray], damaged: dict, index: int
    ) -> dict[str, object] | None:
        if not any(ids.values()) and all(
            np.isnan(values[c][index]) and (index, c) not in damaged for c in self.metrics
        ):
            return None  # an empty row
        return self._context(number, ids)

    def _check_totals(self, block: _Block) -> None:
        """Add unit rows to the running sums; check each total row against them, then start again."""
        start = 0
        for index, context in enumerate(block.contexts):
            unit = context and context["reporting_unit"]
            if unit and unit[0] in "TtCcGg" and is_total(unit):
                self._add_sums(block, start, index)
                self._check_total(block, index)
                start = index + 1
        self._add_sums(block, start, len(block.contexts))

    def _add_sums(self, block: _Block, start: int, stop: int) -> None:
        groups: dict[tuple, list[int]] = {}
        for index in range(start, stop):
            context = block.contexts[index]
            if context is not None:
                groups.setdefault(tuple(context[k] for k in _CONTEXT_KEY), []).append(index)
        for key, indexes in groups.items():
            for column, metric in self.metrics.items():
                self._sums.add(key, metric, block.values[column][indexes])

    def _check_total(self, block: _Block, index: int) -> None:
        """A total row gives figures of the province for the cells that equal the sum of the units above."""
        number, context = block.numbers[index], block.contexts[index]
        key = tuple(context[k] for k in _CONTEXT_KEY)
        matches = self._sums.matching(key)
        filled = dict(zip(_CONTEXT_KEY, key, strict=True))
        for position, name in enumerate(_CONTEXT_KEY):
            found = {k[position] for k in matches}
            if filled[name] is None and len(found) == 1:
                filled[name] = found.pop()
        block.contexts[index] = {**context, **filled, "reporting_unit": None}
        for column, metric in self.metrics.items():
            value = block.values[column][index]
            if np.isnan(value):
                continue
            above = sum(self._sums.values.get(k, {}).get(metric, 0.0) for k in matches)
            some_missing = any(metric in self._sums.missing.get(k, set()) for k in matches)
            if not (math.isclose(value, above) or (some_missing and value >= above)):
                self._issue(
                    "total-mismatch",
                    locator=self.locate(number, column),
                    metric=metric,
                    value=float(value),
                    expected=above,
                    period_label=filled["period_label"],
                )
                block.values[column][index] = np.nan
                block.damaged[(index, column)] = CellValue(None, "total-mismatch")
        self._sums = _Sums()

    def _context(self, number: int, ids: dict[str, str]) -> dict[str, object]:
        """The row's unit, province, period and category; rows that share all but the unit share the work."""
        key = tuple(
            ids.get(name, "") for name in ("province", "period", "period start", "period end", "category")
        )
        if key not in self._contexts:
            if len(self._contexts) > CONTEXTS_KEPT:
                self._contexts.clear()  # many distinct dates: keep memory flat
            self._contexts[key] = _new_context(ids)
        template, unreadable = self._contexts[key]
        for column, written in unreadable:
            self._issue("period-unreadable", locator=self._id_locator(number, column), detail=written)
        context = template.copy()
        context["reporting_unit"] = ids.get("reporting unit") or None
        return context

    def _id_locator(self, number: int, name: str) -> str:
        column = next((i for i, n in self.ids.items() if n == name), 0)
        return self.locate(number, column)

    def _frame(self, block: _Block, rows: list[list[object]]) -> pd.DataFrame:
        """The figures of a block, one per cell with a value or with damage, in row order."""
        present = [i for i, c in enumerate(block.contexts) if c is not None]
        if not present:
            return pd.DataFrame()
        is_present = np.zeros(len(rows), dtype=bool)
        is_present[present] = True
        suffixes = [self._notes(row) for row in rows] if self.notes else None
        parts = []
        for position, column in enumerate(self._catalog):
            values = block.values[column]
            damaged = [i for (i, c) in block.damaged if c == column and is_present[i]]
            found = is_present & ~np.isnan(values)
            found[damaged] = True
            self._note_empties(block, column, is_present & ~found)
            mismatched = [i for i in damaged if block.damaged[(i, column)].damage == "total-mismatch"]
            found[mismatched] = False
            indexes = np.flatnonzero(found)
            quotes = self._quotes(block, column, indexes, suffixes)
            parts.append((indexes, np.full(len(indexes), position), values[indexes], quotes))
        return self._assemble(block, present, parts)

    def _quotes(
        self, block: _Block, column: int, indexes: np.ndarray, suffixes: list[str] | None
    ) -> list[str]:
        """Each figure's quote, header and cell as written; a damaged cell also gets its issue here."""
        prefix = f"{self.headers[column]} = "
        values = block.values[column][indexes].tolist()
        if suffixes:
            quotes = [
                prefix + format(v, ".15g") + suffixes[i]
                for i, v in zip(indexes.tolist(), values, strict=True)
            ]
        else:
            quotes = [prefix + format(v, ".15g") for v in values]
        for (index, where), cell in block.damaged.items():
            if where != column or cell.damage == "total-mismatch" or block.contexts[index] is None:
                continue
            locator = self.locate(block.numbers[index], column)
            who = _who(block.contexts[index])
            metric = self.metrics[column]
            self._issue(cell.damage, locator=locator, metric=metric, value=cell.value, detail=cell.raw, **who)
            at = int(np.searchsorted(indexes, index))
            quotes[at] = prefix + cell.raw + (suffixes[index] if suffixes else "")
        return quotes

    def _note_empties(self, block: _Block, column: int, empty: np.ndarray) -> None:
        indexes = np.flatnonzero(empty)
        if not len(indexes):
            return
        self._empty_count[column] = self._empty_count.get(column, 0) + len(indexes)
        listed = self._empty.setdefault(column, [])
        for index in indexes[: max(0, LISTED_CELLS - len(listed))].tolist():
            listed.append(self.locate(block.numbers[index], column))

    def _assemble(self, block: _Block, present: list[int], parts: list[tuple]) -> pd.DataFrame:
        rows = np.concatenate([p[0] for p in parts])
        positions = np.concatenate([p[1] for p in parts])
        values = np.concatenate([p[2] for p in parts])
        quotes = [q for p in parts for q in p[3]]
        order = np.lexsort((positions, rows))
        rows, positions, values = rows[order], positions[order], values[order]
        where = np.full(len(block.contexts), -1)
        where[present] = np.arange(len(present))
        frame = pd.DataFrame([block.contexts[i] for i in present]).take(where[rows]).reset_index(drop=True)
        catalog = list(self._catalog.values())
        prefixes = [self._prefixes[c] for c in self._catalog]
        numbers = np.asarray(block.numbers)[rows].tolist()
        frame["locator"] = [prefixes[p] + str(n) for p, n in zip(positions.tolist(), numbers, strict=True)]
        frame["quote"] = [quotes[i] for i in order.tolist()]
        frame["metric"] = np.array([m.key for m in catalog], dtype=object)[positions]
        frame["value"] = values
        frame["unit"] = np.array([m.unit for m in catalog], dtype=object)[positions]
        frame["scope"] = np.array([m.default_scope for m in catalog], dtype=object)[positions]
        defaults = pd.Series(np.array([m.default_category for m in catalog], dtype=object)[positions])
        frame["category"] = frame["category"].astype(object).where(frame["category"].notna(), defaults)
        return frame

    def _notes(self, row: list[object]) -> str:
        """Extra columns of a row, kept in the quote of its figures."""
        width = len(row)
        notes = [f"{h} = {text}" for i, h in self.notes.items() if i < width and (text := cell_text(row[i]))]
        return f" | ghi chú: {'; '.join(notes)}" if notes else ""

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


def _id_text(column: str, raw: object) -> str:
    """An identifying cell as text; Excel turns a typed ``2024-06`` into the date 1 June 2024, so in the
    period column a first-of-the-month date is that month again."""
    if column == "period" and isinstance(raw, dt.date) and raw.day == 1:
        return f"{raw.year}-{raw.month:02d}"
    return cell_text(raw)


def _new_context(ids: dict[str, str]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """A row's context without its unit, and the period cells that could not be read."""
    unreadable = []
    start, end = iso_date(ids.get("period start", "")), iso_date(ids.get("period end", ""))
    label = None
    code = ids.get("period", "")
    if code:
        known_start, known_end, label = period_dates(code)
        if known_start is None:
            unreadable.append(("period", code))
        else:
            start, end = known_start, known_end
    for column in ("period start", "period end"):
        if ids.get(column) and not iso_date(ids[column]):
            unreadable.append((column, ids[column]))
    province = ids.get("province", "")
    category = column_key(ids["category"]).replace(" ", "_") if ids.get("category") else None
    context = {
        "reporting_unit": None,
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
    return context, unreadable


def _who(context: dict[str, object]) -> dict[str, object]:
    return {"reporting_unit": context["reporting_unit"], "period_label": context["period_label"]}


@dataclass
class TableReading:
    """What a table reader returns: the figures (a frame, or one dict per figure), and the issues it found."""

    figures: pd.DataFrame | list[dict[str, object]]
    issues: list[dict[str, object]]


def stream_csv(
    lines: Iterable[str], name: str, issues: list[dict[str, object]], chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Figures of a CSV given as lines of text, a frame per ``chunk_rows`` rows, so memory stays flat in the
    file's size; the issues are appended to ``issues`` when the file is done."""
    lines = iter(lines)
    first = next(lines, "")
    # Excel on a Vietnamese Windows separates with ";" (the comma is the decimal mark); "Unicode text" with tabs.
    delimiter = max(DELIMITERS, key=first.count)
    rows = csv.reader(chain([first], lines), delimiter=delimiter)
    headers = next(rows, None)
    if not headers or not any(h.strip() for h in headers):
        raise UnreadableInput(f"{name}: empty file")
    reader = TableReader(name, [h.strip() for h in headers], lambda c: "row ", 1, typed=False)
    if not reader.metrics:
        raise UnreadableInput(f"{name}: no column names a metric; headers were: {', '.join(headers)}")
    try:
        numbers: list[int] = []
        block: list[list[str]] = []
        for number, row in enumerate(rows, start=2):
            numbers.append(number)
            block.append(row)
            if len(block) == chunk_rows:
                yield reader.read_rows(numbers, block)
                numbers, block = [], []
        yield reader.read_rows(numbers, block)
    finally:
        issues.extend(reader.finish())


def read_csv(data: bytes, name: str) -> TableReading:
    """Figures of a CSV export; a cell that is not a number gives a figure with no value and an issue."""
    try:
        text = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Vietnamese Windows is Windows-1258; "Unicode text" is UTF-16.
        text = decode_document(data, name).text
    issues: list[dict[str, object]] = []
    chunks = [c for c in stream_csv(io.StringIO(text, newline=""), name, issues) if len(c)]
    return TableReading(pd.concat(chunks, ignore_index=True) if chunks else [], issues)
