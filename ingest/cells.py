"""Cells of a table read as people fill them in: headers matched loosely, numbers typed as text, "n/a".

Pure functions on one value each; ``tables`` and ``workbooks`` apply them to whole columns.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import NamedTuple

from ingest.numbers import parse_number
from ingest.periods import parse_period_code
from schemas.catalog import metrics

LISTED_CELLS = 5  # cells named in an issue about many cells, before "…"

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
# What people write for "no figure", compared by ``column_key`` (so ``Không có`` matches too).
NOT_AVAILABLE = {"n/a", "na", "-", "–", "—", "x", "k", "kco", "khong co", "khong", "none", "null", "..."}
_NUMERIC_TEXT = re.compile(r"-?[0-9][0-9., \u00a0]*")
_AMBIGUOUS = re.compile(r"-?[0-9]{1,3}[.,][0-9]{3}")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


class Uncalculated(str):
    """A formula cell saved with no calculated value (the text is the formula)."""


def is_total(unit: str) -> bool:
    """A unit cell that names a total row: ``Tổng cộng``, ``Cộng:``, ``Tổng cộng toàn tỉnh``, ``Total``.

    Only these forms: ``Công an tỉnh`` and ``Tổng cục Hải quan`` are units.
    """
    key = column_key(unit).rstrip(":. ")
    return key in TOTAL_WORDS or key.startswith(("tong cong ", "total "))


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


class CellValue(NamedTuple):
    """A cell read as a number: its value (None when there is none) and what was wrong with it, if anything."""

    value: float | None
    damage: str | None = None
    raw: str = ""


EMPTY = CellValue(None)


def read_cell(raw: object, typed: bool) -> CellValue:
    """The number in a cell; ``typed`` cells come from a spreadsheet, where a number should not be text."""
    kind = type(raw)
    if kind is float or kind is int:  # the common case first: this runs once per cell
        return CellValue(float(raw)) if raw == raw else EMPTY
    if raw is None or raw == "":
        return EMPTY
    if isinstance(raw, Uncalculated):
        return CellValue(None, "formula-not-calculated", str(raw))
    if isinstance(raw, bool | dt.date | dt.time):
        return CellValue(None, "cell-not-number", str(raw))
    if isinstance(raw, int | float):
        return CellValue(None if math.isnan(raw) else float(raw))
    text = str(raw).replace("\u00a0", " ").strip()
    if not text:
        return CellValue(None)
    if column_key(text) in NOT_AVAILABLE:
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


def period_dates(code: str) -> tuple[str | None, str | None, str]:
    """Start, end and label of a period code; no dates when it cannot be read (the label is then the code)."""
    try:
        period = parse_period_code(code)
    except ValueError:
        return None, None, code
    return period.start.isoformat(), period.end.isoformat(), period.label


def iso_date(text: str) -> str | None:
    """``2024-04-01`` or ``01/04/2024`` as an ISO date; None when it is neither."""
    if not text:
        return None
    match = _DMY.fullmatch(text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def listed_cells(locators: list[str], count: int) -> str:
    """The first few cells of a list, with an ellipsis when there were more."""
    return ", ".join(locators[:LISTED_CELLS]) + (" …" if count > LISTED_CELLS else "")


def shown_number(value: float | None) -> str:
    """A value as a person typed it: ``1234``, ``2.5``; empty for none."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)
