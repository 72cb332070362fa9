"""The Figures sheet: the long table, one row per figure with its quote and locator, streamed (see package.py)."""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.labels import label, label_or_code
from reports.package import SummaryWorkbook, number_cells, style_id, text_cells, xml_rows
from reports.styles import BODY_FONT, number_format, put_header, set_print, set_widths
from schemas.catalog import metrics

# (figure column, header label key); "value" is the one number, the rest is text.
COLUMNS = [
    ("figure_id", "figure_id"),
    ("source", "source"),
    ("locator", "locator"),
    ("reporting_unit", "reporting_unit"),
    ("province", "province"),
    ("period_label", "period"),
    ("period_start", "period_start"),
    ("period_end", "period_end"),
    ("metric", "metric"),
    ("category", "category"),
    ("scope", "scope"),
    ("value", "value"),
    ("unit", "unit"),
    ("qualifier", "qualifier"),
    ("quote", "quote"),
]
VALUE_COLUMN = [name for name, _ in COLUMNS].index("value")
WIDTH_BOUNDS = (8, 60)
SLICE_ROWS = 5_000


def write_figures(
    book: SummaryWorkbook, sheet: Worksheet, figures: pd.DataFrame, lang: str
) -> dict[str, int]:
    """Fill the Figures sheet; returns the row of each figure id, for links from other sheets."""
    sheet.title = label("figures", lang)
    put_header(sheet, 1, [label(key, lang) for _, key in COLUMNS])
    texts = shown_texts(figures, lang)
    last = f"{get_column_letter(len(COLUMNS))}{len(figures) + 1}"
    book.stream_rows(sheet.title, lambda: _rows(book, texts, figures), f"A1:{last}")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{last}"
    set_widths(sheet, _widths(texts, lang))
    set_print(sheet, "1:1")
    return dict(zip(figures["figure_id"], range(2, len(figures) + 2), strict=True))


def shown_texts(figures: pd.DataFrame, lang: str) -> dict[str, list[str | None]]:
    """Each text column as shown: codes turned into words in ``lang``, missing values as None."""
    words = {
        "metric": lambda key: metrics()[key].label(lang) if key in metrics() else key,
        "category": lambda code: label_or_code(f"category_{code}", lang, code),
        "scope": lambda code: label_or_code(f"scope_{code}", lang, code),
        "qualifier": lambda code: label_or_code(f"qualifier_{code}", lang, code),
    }
    shown = {}
    for name, _ in COLUMNS:
        if name == "value":
            continue
        if name not in figures:
            shown[name] = [None] * len(figures)
            continue
        column = figures[name].astype(object)
        values = column.where(column.notna(), None).tolist()
        translate = words.get(name, str)
        shown_once = {
            v: translate(str(v)) for v in set(values) if v is not None
        }  # each distinct value converted once
        shown[name] = [None if v is None else shown_once[v] for v in values]
    return shown


def _rows(book: SummaryWorkbook, texts: dict[str, list[str | None]], figures: pd.DataFrame):
    """The rows' XML, made a slice of rows at a time so memory stays flat however long the table."""
    letters = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]
    text_style = style_id(book, BODY_FONT)
    values = [None if pd.isna(v) else float(v) for v in figures["value"].tolist()]
    formats = [
        number_format(unit, qualifier, value)
        for unit, qualifier, value in zip(figures["unit"], figures["qualifier"], values, strict=True)
    ]
    style_of = {fmt: style_id(book, BODY_FONT, fmt) for fmt in set(formats)}
    styles = [style_of[fmt] for fmt in formats]
    names = [name for name, _ in COLUMNS]
    for start in range(0, len(values), SLICE_ROWS):
        stop, first = start + SLICE_ROWS, start + 2
        columns = [
            number_cells(letter, values[start:stop], styles[start:stop], first)
            if name == "value"
            else text_cells(letter, texts[name][start:stop], text_style, first)
            for letter, name in zip(letters, names, strict=True)
        ]
        yield from xml_rows(columns, first)


def _widths(texts: dict[str, list[str | None]], lang: str) -> dict[int, float]:
    low, high = WIDTH_BOUNDS
    widths = {}
    for index, (name, key) in enumerate(COLUMNS, start=1):
        lengths = [len(label(key, lang))] + [len(v) for v in texts.get(name, []) if v is not None]
        widths[index] = max(low, min(high, max(lengths) + 3)) if name != "value" else 16
    return widths
