"""The Figures sheet: the long table, one row per figure with its quote and locator, streamed (see package.py)."""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.labels import label, label_or_code
from reports.package import SummaryWorkbook, number_cell, style_id, text_cell
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
        column = figures[name].astype(object) if name in figures else pd.Series([None] * len(figures))
        values = [None if pd.isna(v) else str(v) for v in column.tolist()]
        translate = words.get(name)
        shown[name] = [translate(v) if translate and v is not None else v for v in values]
    return shown


def _rows(book: SummaryWorkbook, texts: dict[str, list[str | None]], figures: pd.DataFrame):
    letters = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]
    text_style = style_id(book, BODY_FONT)
    values = [None if pd.isna(v) else float(v) for v in figures["value"].tolist()]
    formats = [
        number_format(unit, qualifier, value)
        for unit, qualifier, value in zip(figures["unit"], figures["qualifier"], values, strict=True)
    ]
    value_styles = {fmt: style_id(book, BODY_FONT, fmt) for fmt in set(formats)}
    columns = [texts[name] for name, _ in COLUMNS if name != "value"]
    columns.insert(VALUE_COLUMN, values)
    for offset, row in enumerate(zip(*columns, strict=True)):
        number = offset + 2
        cells = []
        for index, value in enumerate(row):
            if value is None:
                continue
            reference = f"{letters[index]}{number}"
            if index == VALUE_COLUMN:
                cells.append(number_cell(reference, value, value_styles[formats[offset]]))
            else:
                cells.append(text_cell(reference, value, text_style))
        yield f'<row r="{number}">{"".join(cells)}</row>'


def _widths(texts: dict[str, list[str | None]], lang: str) -> dict[int, float]:
    low, high = WIDTH_BOUNDS
    widths = {}
    for index, (name, key) in enumerate(COLUMNS, start=1):
        lengths = [len(label(key, lang))] + [len(v) for v in texts.get(name, []) if v is not None]
        widths[index] = max(low, min(high, max(lengths) + 3)) if name != "value" else 16
    return widths
