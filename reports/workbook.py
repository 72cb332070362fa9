"""The summary workbook: summary by period, issues linked to their cells, the figures, the sources, about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from reports.labels import label
from schemas.catalog import metrics

FONT = "Calibri"
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
BODY_FONT = Font(name=FONT)
BOLD = Font(name=FONT, bold=True)
TITLE_FONT = Font(name=FONT, bold=True, size=14)
SEVERITY_FILL = {
    "error": PatternFill("solid", fgColor="F8CBAD"),
    "warning": PatternFill("solid", fgColor="FFE699"),
}
UNIT_FORMATS = {
    "count": "#,##0",
    "VND": "#,##0 [$₫-42A]",
    "g": "#,##0.###",
    "kg": "#,##0.###",
    "km": "#,##0.#",
}
QUALIFIER_MARK = {"exact": "", "approx": '"~"', "over": '">"', "under": '"<"'}


@dataclass
class _Places:
    """Where each figure landed, so issues can link to it and colour it."""

    summary: dict[str, str] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)


def number_format(unit: str, qualifier: str = "exact") -> str:
    return QUALIFIER_MARK.get(qualifier, "") + UNIT_FORMATS.get(unit, "#,##0")


def build_workbook(
    figures: pd.DataFrame,
    issues: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str = "vi",
    generated: dt.datetime | None = None,
) -> Workbook:
    """The whole summary workbook for these figures; ``generated`` fixed makes the output repeatable."""
    generated = generated or dt.datetime.now().replace(microsecond=0)
    book = Workbook()
    places = _Places()
    _write_summary(book.active, figures, lang, places)
    _write_figures(book.create_sheet(), figures, lang, places)
    _write_issues(book.create_sheet(), issues, lang, places)
    _mark_doubtful_cells(book[label("summary", lang)], issues, places, lang)
    _write_sources(book.create_sheet(), sources, lang)
    _write_about(book.create_sheet(), lang, generated)
    book.properties.creator = "border-reports"
    book.properties.title = label("summary_title", lang)
    book.properties.created = book.properties.modified = generated
    return book


def save_workbook(book: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def put_text(cell: Cell, text: object) -> Cell:
    """Write report text as text, even when it starts with = + - @ (no formula injection)."""
    cell.value = None if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    if cell.value is not None:
        cell.data_type = "s"
    cell.font = BODY_FONT
    return cell


def _header(sheet: Worksheet, row: int, names: list[str]) -> None:
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _period_key(row: pd.Series) -> tuple[str, str]:
    return (row["period_start"] or "", row["period_end"] or "")


def _write_summary(sheet: Worksheet, figures: pd.DataFrame, lang: str, places: _Places) -> None:
    sheet.title = label("summary", lang)
    sheet.cell(row=1, column=1, value=label("summary_title", lang)).font = TITLE_FONT
    totals = figures[figures["scope"] == "period_total"]
    row = 3
    catalog = list(metrics())
    keys = totals.apply(_period_key, axis=1) if len(totals) else pd.Series(dtype=object)
    for key in sorted(set(keys)):
        block = totals[keys == key]
        period_label = block["period_label"].dropna().iloc[0] if block["period_label"].notna().any() else None
        title = period_label or label("unknown_period", lang)
        if key[0]:
            title = f"{title} ({key[0]} – {key[1]})"
        sheet.cell(row=row, column=1, value=f"{label('period', lang)}: {title}").font = BOLD
        row += 1
        shown = [m for m in catalog if m in set(block["metric"])]
        _header(
            sheet,
            row,
            [label("reporting_unit", lang), label("province", lang)]
            + [metrics()[m].label(lang) for m in shown],
        )
        first = row + 1
        units = block.groupby(["reporting_unit", "province"], dropna=False, sort=True)
        for (unit, province), unit_rows in units:
            row += 1
            put_text(sheet.cell(row=row, column=1), unit if isinstance(unit, str) else province)
            put_text(sheet.cell(row=row, column=2), province)
            for column, metric in enumerate(shown, start=3):
                found = unit_rows[unit_rows["metric"] == metric]
                if found.empty:
                    continue
                figure = found.iloc[0]
                cell = sheet.cell(row=row, column=column, value=float(figure["value"]))
                cell.number_format = number_format(figure["unit"], figure["qualifier"])
                cell.font = BODY_FONT
                for figure_id in found["figure_id"]:
                    places.summary[figure_id] = f"{get_column_letter(column)}{row}"
        row += 1
        sheet.cell(row=row, column=1, value=label("total", lang)).font = BOLD
        for column, metric in enumerate(shown, start=3):
            letter = get_column_letter(column)
            cell = sheet.cell(row=row, column=column, value=f"=SUM({letter}{first}:{letter}{row - 1})")
            cell.number_format, cell.font = number_format(metrics()[metric].unit), BOLD
        row += 2
    sheet.freeze_panes = "C3"
    _fit_columns(sheet, minimum=12, maximum=28)
    _print_setup(sheet, "3:3")


def _write_figures(sheet: Worksheet, figures: pd.DataFrame, lang: str, places: _Places) -> None:
    sheet.title = label("figures", lang)
    columns = [
        "figure_id",
        "source",
        "locator",
        "reporting_unit",
        "province",
        "period",
        "period_start",
        "period_end",
        "metric",
        "category",
        "scope",
        "value",
        "unit",
        "qualifier",
        "quote",
    ]
    _header(sheet, 1, [label(c, lang) for c in columns])
    for row, figure in enumerate(figures.itertuples(index=False), start=2):
        places.figures[figure.figure_id] = row
        texts = [
            figure.figure_id,
            figure.source,
            figure.locator,
            figure.reporting_unit,
            figure.province,
            figure.period_label,
            figure.period_start,
            figure.period_end,
            metrics()[figure.metric].label(lang),
            figure.category,
            figure.scope,
        ]
        for column, text in enumerate(texts, start=1):
            put_text(sheet.cell(row=row, column=column), text)
        value = sheet.cell(row=row, column=12, value=None if pd.isna(figure.value) else float(figure.value))
        value.number_format = number_format(figure.unit, figure.qualifier)
        for column, text in enumerate([figure.unit, figure.qualifier, figure.quote], start=13):
            put_text(sheet.cell(row=row, column=column), text)
    sheet.freeze_panes = "B2"
    _fit_columns(sheet, minimum=8, maximum=60)
    _print_setup(sheet, "1:1")


def _write_issues(sheet: Worksheet, issues: pd.DataFrame, lang: str, places: _Places) -> None:
    sheet.title = label("issues", lang)
    columns = [
        "severity",
        "check",
        "message",
        "source",
        "locator",
        "metric",
        "value",
        "expected",
        "summary",
        "figures",
    ]
    _header(sheet, 1, [label(c, lang) for c in columns])
    message_column = "message_vi" if lang == "vi" else "message_en"
    summary_sheet, figures_sheet = label("summary", lang), label("figures", lang)
    for row, issue in enumerate(issues.to_dict("records"), start=2):
        put_text(sheet.cell(row=row, column=1), label(issue["severity"], lang)).fill = SEVERITY_FILL[
            issue["severity"]
        ]
        for column, key in enumerate(["check", message_column, "source", "locator"], start=2):
            put_text(sheet.cell(row=row, column=column), issue[key])
        known = metrics().get(str(issue["metric"]))
        put_text(sheet.cell(row=row, column=6), known.label(lang) if known else issue["metric"])
        for column, key in ((7, "value"), (8, "expected")):
            value = pd.to_numeric(issue[key], errors="coerce")
            if pd.notna(value):
                sheet.cell(row=row, column=column, value=float(value)).number_format = "#,##0"
            else:
                put_text(sheet.cell(row=row, column=column), issue[key])
        ids = str(issue.get("figure_ids") or "").split()
        _link(sheet.cell(row=row, column=9), summary_sheet, places.summary.get(ids[0]) if ids else None)
        figure_row = places.figures.get(ids[0]) if ids else None
        _link(sheet.cell(row=row, column=10), figures_sheet, f"A{figure_row}" if figure_row else None)
    last = max(2, len(issues) + 1)
    table = Table(displayName="tblIssues", ref=f"A1:{get_column_letter(len(columns))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    _fit_columns(sheet, minimum=10, maximum=70)
    _print_setup(sheet, "1:1")


def _link(cell: Cell, sheet_name: str, target: str | None) -> None:
    if target is None:
        return
    cell.value = f"{sheet_name}!{target}"
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet_name}'!{target}")
    cell.font = Font(name=FONT, color="0563C1", underline="single")


def _mark_doubtful_cells(sheet: Worksheet, issues: pd.DataFrame, places: _Places, lang: str) -> None:
    message_column = "message_vi" if lang == "vi" else "message_en"
    for issue in issues.to_dict("records"):
        for figure_id in str(issue.get("figure_ids") or "").split():
            coordinate = places.summary.get(figure_id)
            if coordinate is None:
                continue
            cell = sheet[coordinate]
            if cell.fill != SEVERITY_FILL["error"]:
                cell.fill = SEVERITY_FILL[issue["severity"]]
            note = issue[message_column]
            cell.comment = Comment(f"{cell.comment.text}\n{note}" if cell.comment else note, "border-reports")


def _write_sources(sheet: Worksheet, sources: pd.DataFrame, lang: str) -> None:
    sheet.title = label("sources", lang)
    columns = ["source", "sha256", "received", "status", "reason", "figure_count", "issue_count"]
    _header(sheet, 1, [label(c, lang) for c in columns])
    for row, source in enumerate(sources.to_dict("records"), start=2):
        values = [
            source["source"],
            source["sha256"],
            source["received"],
            label(source["status"], lang),
            source.get("reason"),
        ]
        for column, value in enumerate(values, start=1):
            put_text(sheet.cell(row=row, column=column), value)
        for column, key in ((6, "figure_count"), (7, "issue_count")):
            sheet.cell(row=row, column=column, value=int(source.get(key) or 0)).number_format = "#,##0"
    sheet.freeze_panes = "A2"
    _fit_columns(sheet, minimum=10, maximum=66)
    _print_setup(sheet, "1:1")


def _write_about(sheet: Worksheet, lang: str, generated: dt.datetime) -> None:
    sheet.title = label("about", lang)
    try:
        package = version("border-reports")
    except PackageNotFoundError:
        package = "dev"
    rows = [
        (label("about", lang), label("about_text", lang)),
        (label("generated", lang), generated.isoformat(sep=" ")),
        (label("made_by", lang), f"border-reports {package}"),
        (label("legend", lang), label("legend_error", lang)),
        ("", label("legend_warning", lang)),
        ("", label("legend_approx", lang)),
    ]
    for row, (key, text) in enumerate(rows, start=1):
        put_text(sheet.cell(row=row, column=1), key).font = BOLD
        put_text(sheet.cell(row=row, column=2), text)
    sheet["B4"].fill, sheet["B5"].fill = SEVERITY_FILL["error"], SEVERITY_FILL["warning"]
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 100


def _fit_columns(sheet: Worksheet, minimum: int, maximum: int) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None and not str(cell.value).startswith("="):
                widths[cell.column] = max(widths.get(cell.column, 0), len(str(cell.value)) + 2)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(minimum, min(maximum, width))


def _print_setup(sheet: Worksheet, title_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
