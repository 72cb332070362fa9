"""Figures in tables: one row per unit and period, one column per metric (CSV exports and filled sheets)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from ingest.errors import UnreadableInput
from ingest.numbers import parse_number
from ingest.periods import parse_period_code
from ingest.places import normalise_province
from schemas.catalog import metrics

ID_COLUMNS = {"reporting_unit", "province", "period", "period_start", "period_end", "category"}


def column_key(header: str) -> str:
    """Compare headers regardless of case, diacritics and spacing (``Số vụ khởi tố`` ~ ``so vu khoi to``)."""
    decomposed = unicodedata.normalize("NFD", header.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", " ", plain).strip().lower()


def metric_columns(headers: list[str]) -> dict[int, str]:
    """Column index -> metric key, for headers that name a metric by key or by its Vietnamese label."""
    names = {}
    for key, metric in metrics().items():
        names[column_key(key)] = key
        names[column_key(metric.label_vi)] = key
        names[column_key(metric.label_en)] = key
    return {i: names[column_key(h)] for i, h in enumerate(headers) if column_key(h) in names}


def read_csv(data: bytes, name: str) -> list[dict[str, object]]:
    """Figures of a CSV export; a cell that is not a number gives a figure with no value (an issue later)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UnreadableInput(f"{name}: CSV is not UTF-8 ({err.reason} at byte {err.start})") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise UnreadableInput(f"{name}: empty file")
    headers = [h.strip() for h in rows[0]]
    return table_figures(headers, rows[1:], lambda r, c: f"row {r}", first_row=2)


def table_figures(
    headers: list[str], rows: list[list[str]], locate, first_row: int
) -> list[dict[str, object]]:
    """Figures of a header row and data rows; ``locate(row_number, column_index)`` names each cell."""
    index = {column_key(h): i for i, h in enumerate(headers)}
    by_metric = metric_columns(headers)
    if not by_metric:
        raise UnreadableInput(f"no column names a metric; headers were: {', '.join(headers)}")
    figures = []
    for number, row in enumerate(rows, start=first_row):
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in index.items()}
        if not any(cells.values()):
            continue
        context = _row_context(cells)
        for column, metric in by_metric.items():
            raw = row[column].strip() if column < len(row) else ""
            if raw == "":
                continue  # missing is not zero
            figures.append(
                {
                    **context,
                    "locator": locate(number, column),
                    "quote": f"{headers[column]} = {raw}",
                    "metric": metric,
                    "value": _cell_value(raw),
                    "unit": metrics()[metric].unit,
                    "scope": metrics()[metric].default_scope,
                    "category": context["category"] or metrics()[metric].default_category,
                }
            )
    return figures


def _row_context(cells: dict[str, str]) -> dict[str, object]:
    period_code = cells.get("period", "")
    start, end, label = cells.get("period start") or None, cells.get("period end") or None, None
    if period_code:
        try:
            period = parse_period_code(period_code)
            start, end, label = period.start.isoformat(), period.end.isoformat(), period.label
        except ValueError:
            label = period_code
    province = cells.get("province", "")
    return {
        "reporting_unit": cells.get("reporting unit") or None,
        "province": normalise_province(province) or province or None,
        "period_start": start,
        "period_end": end,
        "period_label": label or (f"{start} – {end}" if start else None),
        "period_inferred": False,
        "published": None,
        "category": cells.get("category") or None,
        "qualifier": "exact",
        "lang": "vi",
    }


def _cell_value(raw: str) -> float | None:
    try:
        return parse_number(raw.replace(" ", ""), "vi")
    except ValueError:
        return None
