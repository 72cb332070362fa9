"""The Issues sheet: an Excel table with filters, severity colours, and links to the figure's cell and row."""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from reports.labels import label, label_or_code
from reports.styles import (
    COUNT_FORMAT,
    SEVERITY_FILL,
    SEVERITY_RANK,
    fit_columns,
    number_format,
    put_header,
    put_link,
    put_number,
    put_text,
    set_print,
)
from schemas.catalog import metrics

TEXT_COLUMNS = ["check", "message", "source", "locator", "reporting_unit", "period"]
COLUMNS = ["severity", *TEXT_COLUMNS, "metric", "value", "expected", "summary", "figures"]
TABLE_NAME = "tblIssues"


def write_issues(
    sheet: Worksheet,
    issues: pd.DataFrame,
    lang: str,
    summary_cells: dict[str, str],
    figure_rows: dict[str, int],
) -> None:
    """One row per issue, errors first; empty table (with its header) when there are none."""
    sheet.title = label("issues", lang)
    put_header(sheet, 1, [label(c, lang) for c in COLUMNS])
    summary_sheet, figures_sheet = label("summary", lang), label("figures", lang)
    for row, issue in enumerate(ordered(issues).to_dict("records"), start=2):
        ids = figure_ids(issue)
        _write_issue(sheet, row, issue, lang)
        cell = next((summary_cells[i] for i in ids if i in summary_cells), None)
        put_link(sheet.cell(row=row, column=len(COLUMNS) - 1), summary_sheet, cell)
        figure_row = next((figure_rows[i] for i in ids if i in figure_rows), None)
        put_link(
            sheet.cell(row=row, column=len(COLUMNS)), figures_sheet, f"A{figure_row}" if figure_row else None
        )
    if issues.empty:
        put_text(sheet.cell(row=2, column=2), label("no_issues", lang))
    last = f"{get_column_letter(len(COLUMNS))}{max(2, len(issues) + 1)}"
    table = Table(displayName=TABLE_NAME, ref=f"A1:{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    sheet.add_table(table)
    sheet.freeze_panes = "B2"
    fit_columns(sheet, minimum=10, maximum=70)
    set_print(sheet, "1:1")


def ordered(issues: pd.DataFrame) -> pd.DataFrame:
    """Errors before warnings, otherwise in the order the checks found them."""
    rank = issues["severity"].map(SEVERITY_RANK).fillna(0)
    return issues.assign(_rank=-rank).sort_values("_rank", kind="stable").drop(columns="_rank")


def figure_ids(issue: dict) -> list[str]:
    """The figures an issue is about (``figure_ids`` space-separated, or the single ``figure_id``)."""
    ids = str(issue.get("figure_ids") or "").split()
    single = issue.get("figure_id")
    return ids or ([str(single)] if isinstance(single, str) and single else [])


def metric_words(key: object, lang: str) -> object:
    """A metric key in words; a relation's side may be a sum of keys (``admin_cases+cases_prosecuted``)."""
    parts = [metrics().get(part) for part in str(key).split("+")]
    return " + ".join(part.label(lang) for part in parts) if all(parts) else key


def _write_issue(sheet: Worksheet, row: int, issue: dict, lang: str) -> None:
    severity = str(issue["severity"])
    put_text(sheet.cell(row=row, column=1), label_or_code(severity, lang, severity))
    sheet.cell(row=row, column=1).fill = SEVERITY_FILL.get(severity, SEVERITY_FILL["warning"])
    message = issue.get("message_vi" if lang == "vi" else "message_en")
    texts = [issue["check"], message, issue.get("source"), issue.get("locator")]
    texts += [issue.get("reporting_unit"), issue.get("period_label")]
    for column, text in enumerate(texts, start=2):
        put_text(sheet.cell(row=row, column=column), text)
    put_text(sheet.cell(row=row, column=8), metric_words(issue.get("metric"), lang))
    known = metrics().get(str(issue.get("metric")))
    for column, key in ((9, "value"), (10, "expected")):
        value = pd.to_numeric(pd.Series([issue.get(key)], dtype=object), errors="coerce").iloc[0]
        if pd.notna(value):
            fmt = number_format(known.unit, value=float(value)) if known else COUNT_FORMAT
            put_number(sheet.cell(row=row, column=column), value, fmt)
        else:
            put_text(sheet.cell(row=row, column=column), issue.get(key))
