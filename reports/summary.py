"""The Summary sheet: for each period, reporting units as rows and metrics as columns grouped like the catalog.

Only period totals are shown (breakdowns and incidents are never added in); a metric restricted to a category
other than its default one (cases detected *for drugs*) is a column of its own, so every column adds up.
The totals row is live SUM formulas, so a person who corrects a cell sees the total follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.labels import label, label_or_code
from reports.styles import (
    BOLD,
    GROUP_FILL,
    ITALIC,
    TITLE_FONT,
    TOP_RULE,
    TOTAL_FILL,
    number_format,
    put_header,
    put_number,
    put_text,
    set_print,
    set_widths,
    total_qualifier,
)
from schemas.catalog import GROUP_LABELS, metrics
from schemas.settings import CheckSettings

UNIT_COLUMNS = ["reporting_unit", "province"]
FIRST_METRIC_COLUMN = len(UNIT_COLUMNS) + 1
FIRST_BLOCK_ROW = 4


@dataclass(frozen=True)
class Column:
    metric: str
    category: str

    def title(self, lang: str) -> str:
        known = metrics()[self.metric]
        if self.category == known.default_category:
            return known.label(lang)
        return f"{known.label(lang)} ({label_or_code(f'category_{self.category}', lang, self.category)})"


def write_summary(sheet: Worksheet, figures: pd.DataFrame, lang: str, period_title: str) -> dict[str, str]:
    """Fill the Summary sheet; returns the cell (``D7``) where each shown figure id landed."""
    sheet.title = label("summary", lang)
    put_text(sheet.cell(row=1, column=1), label("summary_title", lang), TITLE_FONT)
    put_text(sheet.cell(row=2, column=1), f"{label('period_asked', lang)}: {period_title}", BOLD)
    totals = period_totals(figures)
    places: dict[str, str] = {}
    row = FIRST_BLOCK_ROW
    blocks = list(totals.groupby(["period_start", "period_end"], dropna=False, sort=True))
    for _, block in blocks:
        row = _write_block(sheet, block, lang, row, places) + 2
    if not blocks:
        put_text(sheet.cell(row=row, column=1), label("no_figures", lang))
    header_end = FIRST_BLOCK_ROW + 2
    sheet.freeze_panes = f"C{header_end + 1}" if len(blocks) == 1 else "C3"
    set_print(sheet, f"1:{header_end}" if len(blocks) == 1 else "1:2")
    set_widths(sheet, _widths(sheet, totals, lang))
    return places


def period_totals(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures the Summary adds up: period totals of catalog metrics, in a stable order."""
    shown = figures[(figures["scope"] == "period_total") & figures["metric"].isin(list(metrics()))]
    return shown.assign(
        period_start=shown["period_start"].fillna(""),
        period_end=shown["period_end"].fillna(""),
        reporting_unit=shown["reporting_unit"].fillna(shown["province"]).fillna(""),
        province=shown["province"].fillna(""),
        category=shown["category"].fillna("all"),
    )


def _write_block(sheet: Worksheet, block: pd.DataFrame, lang: str, row: int, places: dict[str, str]) -> int:
    """One period: title, group row, header row, a row per unit, totals; returns the totals row."""
    put_text(sheet.cell(row=row, column=1), f"{label('period', lang)}: {_period_title(block, lang)}", BOLD)
    columns = _columns(block)
    _write_group_row(sheet, row + 1, columns, lang)
    put_header(sheet, row + 2, [label(c, lang) for c in UNIT_COLUMNS] + [c.title(lang) for c in columns])
    sheet.row_dimensions[row + 2].height = 45
    first = row + 3
    summed = summed_in_total(block)
    units = sorted(set(zip(summed["reporting_unit"], summed["province"], strict=True)))
    provincial = sorted(set(zip(block["reporting_unit"], block["province"], strict=True)) - set(units))
    last = first + len(units)
    # Rows a province body reported for the whole province are shown below the total, never added to it:
    # their units' figures are already in the rows above.
    unit_row = {unit: first + offset for offset, unit in enumerate(units)}
    unit_row |= {unit: last + 2 + offset for offset, unit in enumerate(provincial)}
    if provincial:
        put_text(sheet.cell(row=last + 1, column=1), label("province_rows", lang), ITALIC)
    for (unit, province), number in unit_row.items():
        put_text(sheet.cell(row=number, column=1), unit)
        put_text(sheet.cell(row=number, column=2), province)
    column_of = {column: FIRST_METRIC_COLUMN + offset for offset, column in enumerate(columns)}
    for figure in block.itertuples(index=False):
        number = unit_row[(figure.reporting_unit, figure.province)]
        column = column_of[Column(figure.metric, figure.category)]
        cell = sheet.cell(row=number, column=column)
        if cell.value is None:  # a second figure for the same cell (a conflict) links here but is not shown
            put_number(cell, figure.value, number_format(figure.unit, figure.qualifier, float(figure.value)))
        places[figure.figure_id] = cell.coordinate
    _write_totals(sheet, last, first, summed, columns, lang)
    return last + (len(provincial) + 1 if provincial else 0)


def summed_in_total(block: pd.DataFrame, settings: CheckSettings | None = None) -> pd.DataFrame:
    """The figures of one period that its totals row adds up: the units' own figures.

    A figure that speaks for the whole province (a blank unit, or a provincial body such as "Ban Chỉ đạo 389
    tỉnh") would count its units' cases twice, so it is left out where units of its province reported too.
    """
    settings = settings or CheckSettings()
    blank = block["reporting_unit"] == block["province"]  # period_totals fills a blank unit with the province
    provincial = blank | block["reporting_unit"].map(settings.speaks_for_province)
    units_reported = set(block.loc[~provincial, "province"])
    return block[~(provincial & block["province"].isin(units_reported))]


def _period_title(block: pd.DataFrame, lang: str) -> str:
    labels = block["period_label"].dropna()
    title = labels.iloc[0] if len(labels) else label("unknown_period", lang)
    start, end = block["period_start"].iloc[0], block["period_end"].iloc[0]
    return f"{title} ({start} – {end})" if start else title


def _columns(block: pd.DataFrame) -> list[Column]:
    """Metric columns in catalog order; the default category first within a metric."""
    order = {key: index for index, key in enumerate(metrics())}
    pairs = set(zip(block["metric"], block["category"], strict=True))
    ranked = sorted(pairs, key=lambda p: (order[p[0]], p[1] != metrics()[p[0]].default_category, p[1]))
    return [Column(metric, category) for metric, category in ranked]


def _write_group_row(sheet: Worksheet, row: int, columns: list[Column], lang: str) -> None:
    for column in range(1, FIRST_METRIC_COLUMN + len(columns)):
        sheet.cell(row=row, column=column).fill = GROUP_FILL
    start = 0
    while start < len(columns):
        group = metrics()[columns[start].metric].group
        end = start
        while end + 1 < len(columns) and metrics()[columns[end + 1].metric].group == group:
            end += 1
        vi, en = GROUP_LABELS.get(group, (group, group))
        first, last = FIRST_METRIC_COLUMN + start, FIRST_METRIC_COLUMN + end
        cell = put_text(sheet.cell(row=row, column=first), vi if lang == "vi" else en, BOLD)
        cell.alignment = Alignment(horizontal="center")
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        start = end + 1


def _write_totals(
    sheet: Worksheet, row: int, first: int, block: pd.DataFrame, columns: list[Column], lang: str
) -> None:
    put_text(sheet.cell(row=row, column=1), label("total", lang), BOLD)
    for column in range(1, FIRST_METRIC_COLUMN + len(columns)):
        sheet.cell(row=row, column=column).fill = TOTAL_FILL
        sheet.cell(row=row, column=column).border = TOP_RULE
    for offset, column in enumerate(columns):
        index = FIRST_METRIC_COLUMN + offset
        letter = get_column_letter(index)
        shown = block[(block["metric"] == column.metric) & (block["category"] == column.category)]
        if shown.empty:  # only a province body gave this one: a total of nothing would read as zero
            continue
        fmt = number_format(metrics()[column.metric].unit, total_qualifier(set(shown["qualifier"])))
        cell = sheet.cell(row=row, column=index, value=f"=SUM({letter}{first}:{letter}{row - 1})")
        cell.number_format, cell.font = fmt, BOLD


def _widths(sheet: Worksheet, totals: pd.DataFrame, lang: str) -> dict[int, float]:
    names = [len(v) for v in totals["reporting_unit"]] + [len(label("total", lang)), 14]
    provinces = [len(v) for v in totals["province"]] + [len(label("province", lang))]
    widths = {1: min(45, max(names) + 2), 2: min(24, max(provinces) + 2)}
    for column in sheet.iter_cols(min_col=FIRST_METRIC_COLUMN, min_row=FIRST_BLOCK_ROW):
        numbers = [len(f"{c.value:,.0f}") for c in column if isinstance(c.value, float)]
        widths[column[0].column] = min(24, max([12, *numbers]) + 5)
    return widths
