"""The Trend sheet: the main metrics across periods, a column per province, each with a native chart.

A province may be reported by several units (the provincial committee, the border guard, customs), and a
province's own report usually includes its units; so each cell is the largest period total reported for the
province, never a sum that would count the same cases twice.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from reports.labels import label
from reports.styles import BOLD, TITLE_FONT, number_format, put_header, put_number, put_text, set_print
from reports.summary import period_totals
from schemas.catalog import metrics

TREND_METRICS = ["cases_detected", "subjects_detected", "cases_prosecuted", "budget_collected_vnd"]
CHART_ROWS = 16  # rows a chart covers at the default row height
CHART_SIZE_CM = (16, 7.5)


def write_trend(sheet: Worksheet, figures: pd.DataFrame, lang: str) -> None:
    sheet.title = label("trend", lang)
    put_text(sheet.cell(row=1, column=1), label("trend_title", lang), TITLE_FONT)
    put_text(sheet.cell(row=2, column=1), label("trend_note", lang))
    table = trend_table(figures)
    row = 4
    for metric in [m for m in TREND_METRICS if m in set(table["metric"])]:
        row = _write_metric(sheet, table[table["metric"] == metric], metric, lang, row)
    if row == 4:
        put_text(sheet.cell(row=row, column=1), label("no_trend", lang))
    sheet.column_dimensions["A"].width = 24
    set_print(sheet, None)


def trend_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Main metrics' period totals (default category, known period and province): the largest per cell."""
    totals = period_totals(figures)
    default = totals["metric"].map(lambda m: metrics()[m].default_category)
    kept = totals[
        totals["metric"].isin(TREND_METRICS)
        & (totals["category"] == default)
        & (totals["period_start"] != "")
        & (totals["period_end"] != "")
        & (totals["province"] != "")
    ]
    keys = ["metric", "period_start", "period_end", "province"]
    return kept.groupby(keys, as_index=False)["value"].max()


def period_code(start: str, end: str) -> str:
    """``2024-06``, ``2024-Q3``, ``2024-H1`` or ``2024`` when the dates are exactly that; else the two dates."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    following = last + dt.timedelta(days=1)
    months = (following.year - first.year) * 12 + following.month - first.month
    if first.day != 1 or following.day != 1 or first.year != last.year:
        return f"{start} – {end}"
    codes = {
        1: f"{first:%Y-%m}",
        3: f"{first.year}-Q{(first.month + 2) // 3}",
        6: f"{first.year}-H{(first.month + 5) // 6}",
    }
    if months == 12:
        return str(first.year)
    if months in codes and (first.month - 1) % months == 0:
        return codes[months]
    return f"{start} – {end}"


def _write_metric(sheet: Worksheet, rows: pd.DataFrame, metric: str, lang: str, top: int) -> int:
    """A small table (periods x provinces) and its chart beside it; returns the next free row."""
    known = metrics()[metric]
    put_text(sheet.cell(row=top, column=1), known.label(lang), BOLD)
    wide = rows.pivot(index=["period_start", "period_end"], columns="province", values="value").sort_index()
    provinces = list(wide.columns)
    header = top + 1
    put_header(sheet, header, [label("period", lang), *provinces])
    for offset, ((start, end), values) in enumerate(wide.iterrows(), start=1):
        put_text(sheet.cell(row=header + offset, column=1), period_code(start, end))
        for column, value in enumerate(values.tolist(), start=2):
            put_number(sheet.cell(row=header + offset, column=column), value, number_format(known.unit))
    last = header + len(wide)
    for column in range(2, len(provinces) + 2):
        sheet.column_dimensions[sheet.cell(row=header, column=column).column_letter].width = 16
    chart = _chart(sheet, header, last, len(provinces), known.label(lang), number_format(known.unit))
    sheet.add_chart(chart, sheet.cell(row=top, column=len(provinces) + 3).coordinate)
    end = max(last, top + CHART_ROWS) + 1
    sheet.row_breaks.append(Break(id=end))  # one metric a page: a printed chart is never cut in two
    return end + 1


def _chart(sheet: Worksheet, header: int, last: int, series: int, title: str, fmt: str):
    """A line chart across periods; a bar chart when there is one period (a line needs two points)."""
    chart = LineChart() if last - header >= 2 else BarChart()
    chart.title, chart.style = title, 10
    chart.width, chart.height = CHART_SIZE_CM
    data = Reference(sheet, min_col=2, max_col=series + 1, min_row=header, max_row=last)
    chart.add_data(data, titles_from_data=True)
    periods = Reference(sheet, min_col=1, min_row=header + 1, max_row=last)
    for each in chart.series:  # period codes are text: a string reference, not openpyxl's numeric default
        each.cat = AxDataSource(strRef=StrRef(f=str(periods)))
    chart.y_axis.number_format = fmt
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 otherwise hides the axes in Excel
    if isinstance(chart, LineChart):
        for line in chart.series:
            line.smooth = False  # LibreOffice and Excel would otherwise draw curves through the points
            line.marker.symbol = "circle"  # a province with one period still shows its point
    chart.legend.position = "b"
    return chart
