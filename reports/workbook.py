"""The summary workbook: Summary, Trend, Issues, Figures, Sources and About, Vietnamese or English.

``build_workbook`` returns the workbook; ``save_workbook`` writes it. With ``generated`` fixed, two saves of
the same inputs are byte-identical (document dates and zip entry dates both come from it).
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
from openpyxl.cell import Cell

from reports.charts import write_trend
from reports.figures_sheet import write_figures
from reports.issues_sheet import figure_ids, write_issues
from reports.labels import label, label_or_code
from reports.package import SummaryWorkbook, save_package
from reports.styles import (
    BOLD,
    COUNT_FORMAT,
    SEVERITY_FILL,
    SEVERITY_RANK,
    TITLE_FONT,
    fit_columns,
    number_format,
    put_header,
    put_number,
    put_text,
    set_print,
    set_widths,
)
from reports.summary import write_summary

__all__ = ["build_workbook", "number_format", "put_text", "save_workbook"]
SOURCE_COLUMNS = [
    "source",
    "sha256",
    "received",
    "status",
    "reason",
    "figure_count",
    "issue_count",
    "stored_as",
]


def build_workbook(
    figures: pd.DataFrame,
    issues: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str = "vi",
    generated: dt.datetime | None = None,
    period_title: str | None = None,
) -> SummaryWorkbook:
    """The whole summary workbook for these figures; ``generated`` fixed makes the output repeatable."""
    generated = generated or dt.datetime.now().replace(microsecond=0)
    book = SummaryWorkbook(generated)
    summary, trend, issues_sheet = book.active, book.create_sheet(), book.create_sheet()
    summary_cells = write_summary(summary, figures, lang, period_title or label("all_periods", lang))
    write_trend(trend, figures, lang)
    figure_rows = write_figures(book, book.create_sheet(), figures, lang)
    write_issues(issues_sheet, issues, lang, summary_cells, figure_rows)
    mark_doubtful_cells(summary, issues, summary_cells, lang)
    write_sources(book.create_sheet(), sources, figures, issues, lang)
    write_about(book.create_sheet(), lang, generated, period_title, (len(figures), len(issues), len(sources)))
    _set_properties(book, lang, generated)
    return book


def save_workbook(book: SummaryWorkbook, path: Path) -> Path:
    return save_package(book, path)


def mark_doubtful_cells(sheet, issues: pd.DataFrame, summary_cells: dict[str, str], lang: str) -> None:
    """Fill each Summary cell with an issue (red for errors over amber) and note every message on it."""
    message_column = "message_vi" if lang == "vi" else "message_en"
    worst: dict[str, str] = {}
    for issue in issues.to_dict("records"):
        for coordinate in dict.fromkeys(summary_cells[i] for i in figure_ids(issue) if i in summary_cells):
            cell: Cell = sheet[coordinate]
            severity = str(issue["severity"])
            if SEVERITY_RANK.get(severity, 1) >= SEVERITY_RANK.get(worst.get(coordinate, ""), 0):
                worst[coordinate] = severity
                cell.fill = SEVERITY_FILL.get(severity, SEVERITY_FILL["warning"])
            note = f"{label_or_code(severity, lang, severity)}: {issue[message_column]}"
            cell.comment = _comment(f"{cell.comment.text}\n{note}" if cell.comment else note)


def _comment(text: str):
    from openpyxl.comments import Comment

    comment = Comment(text, "border-reports")
    comment.width, comment.height = 320, 120
    return comment


def write_sources(
    sheet, sources: pd.DataFrame, figures: pd.DataFrame, issues: pd.DataFrame, lang: str
) -> None:
    """Each file: hash, when received, status (with the reason when quarantined), its figures and issues."""
    sheet.title = label("sources", lang)
    put_header(sheet, 1, [label(c, lang) for c in SOURCE_COLUMNS])
    counts = {
        "figure_count": figures.groupby("source").size().to_dict() if len(figures) else {},
        "issue_count": issues.groupby("source").size().to_dict() if len(issues) else {},
    }
    for row, source in enumerate(sources.to_dict("records"), start=2):
        status = str(source.get("status") or "ingested")
        texts = [
            source["source"],
            source.get("sha256"),
            source.get("received"),
            label_or_code(status, lang, status),
        ]
        for column, text in enumerate([*texts, source.get("reason")], start=1):
            put_text(sheet.cell(row=row, column=column), text)
        for column, key in ((6, "figure_count"), (7, "issue_count")):
            count = source.get(key)
            count = counts[key].get(source["source"], 0) if count is None or pd.isna(count) else count
            put_number(sheet.cell(row=row, column=column), count, COUNT_FORMAT)
        put_text(sheet.cell(row=row, column=8), source.get("stored_as"))
        if status == "quarantined":
            sheet.cell(row=row, column=4).fill = SEVERITY_FILL["error"]
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:H{max(2, len(sources) + 1)}"
    fit_columns(sheet, minimum=10, maximum=70)
    set_print(sheet, "1:1")


def write_about(
    sheet, lang: str, generated: dt.datetime, period_title: str | None, sizes: tuple[int, int, int]
) -> None:
    """When and how the workbook was made, the legend of colours and qualifiers, the package version."""
    sheet.title = label("about", lang)
    put_text(sheet.cell(row=1, column=1), label("summary_title", lang), TITLE_FONT)
    figures, issues, sources = sizes
    rows = [
        ("generated", generated.isoformat(sep=" ")),
        ("period_asked", period_title or label("all_periods", lang)),
        ("inputs", label("inputs_text", lang).format(figures=figures, issues=issues, sources=sources)),
        ("how_made", label("how_made_text", lang)),
        ("made_by", f"border-reports {package_version()}"),
        ("version", package_version()),
    ]
    for row, (key, text) in enumerate(rows, start=3):
        put_text(sheet.cell(row=row, column=1), label(key, lang), BOLD)
        put_text(sheet.cell(row=row, column=2), text)
    _write_legend(sheet, len(rows) + 4, lang)
    set_widths(sheet, {1: 22, 2: 100, 3: 16})
    set_print(sheet, None)


def _write_legend(sheet, row: int, lang: str) -> None:
    """Each colour and each qualifier mark, shown on a sample cell exactly as the Summary shows it."""
    put_text(sheet.cell(row=row, column=1), label("legend", lang), BOLD)
    put_text(sheet.cell(row=row, column=2), label("legend_error", lang)).fill = SEVERITY_FILL["error"]
    put_text(sheet.cell(row=row + 1, column=2), label("legend_warning", lang)).fill = SEVERITY_FILL["warning"]
    put_text(sheet.cell(row=row + 2, column=2), label("legend_approx", lang))
    for offset, qualifier in enumerate(["exact", "approx", "over", "under"], start=3):
        put_text(sheet.cell(row=row + offset, column=2), label(f"qualifier_{qualifier}", lang))
        put_number(sheet.cell(row=row + offset, column=3), 1234, number_format("count", qualifier))


def package_version() -> str:
    try:
        return version("border-reports")
    except PackageNotFoundError:
        return "dev"


def _set_properties(book: SummaryWorkbook, lang: str, generated: dt.datetime) -> None:
    properties = book.properties
    properties.creator = properties.lastModifiedBy = "border-reports"
    properties.title = label("summary_title", lang)
    properties.subject = label("period_asked", lang)
    properties.keywords = "border-reports; " + label("summary", lang)
    properties.description = label("about_text", lang)
    properties.language = "vi-VN" if lang == "vi" else "en"
    properties.version = package_version()
    properties.created = properties.modified = generated
