"""Tables inside a prose document: a .docx or .html table arrives as lines of cells joined by " | " (see
``ingest.decode``). A header row says what each column counts ("Số vụ", "Khởi tố (vụ)", "Xử phạt (triệu
đồng)"), the rows below name a unit or a domain, and a "Tổng cộng" row may close the table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.cells import is_total
from ingest.cues import DEFAULT_ACTION, Cues, grams_in_unit, mass_in_grams
from ingest.numbers import SCALES, parse_number
from schemas.catalog import metrics

CELL_SEPARATOR = " | "
_CELL_SPLIT = re.compile(r" \| |\t+")
_CELL_NUMBER = re.compile(r"\d[\d.,]*")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_HEADER_SCALE = re.compile(r"(?<!\w)(nghìn|ngàn|triệu|tỷ|tỉ|tr\.?\s?đ)")
_SCALE_OF = {**SCALES, "tr đ": 1e6, "tr. đ": 1e6}


@dataclass(frozen=True)
class Column:
    metric: str
    scale: float  # "Xử phạt (triệu đồng)": each cell counts millions


@dataclass(frozen=True)
class TableFigure:
    start: int  # the cell, in the text
    end: int
    row_start: int
    row_end: int
    metric: str
    value: float
    category: str
    scope: str  # a total row states the period total; the rows above break it down
    # The years a row covers: one where it is labelled with a year ("2016 | 45 | 70"), all of the table's for
    # its total row.
    years: tuple[int, int] | None = None


# The rule under a Markdown table's header ("|---|---:|"): part of the table, no row of it.
_MARKDOWN_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*")


def is_table_row(line: str) -> bool:
    """A row of cells: joined by " | " (how .docx and .html tables are read), by tabs (a table typed into a
    text), or the rule under a Markdown header."""
    return (
        CELL_SEPARATOR in line
        or "\t" in line.strip()
        or ("---" in line and _MARKDOWN_RULE.fullmatch(line) is not None)
    )


_WORDS_AND_NUMBER = re.compile(r"\d.*[^\W\d]|[^\W\d].*\d")


def prose_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a table row that hold words around a number ("3.850 bao thuốc lá điếu"): prose, where the
    columns read by ``read_text_tables`` hold bare numbers."""
    return [
        (cell_start, cell_end)
        for cell_start, cell_end, cell in _cells(text, start, end)
        if _WORDS_AND_NUMBER.search(cell) and not _CELL_NUMBER.fullmatch(cell)
    ]


def read_text_tables(lowered: str, cue: Cues, lang: str) -> Iterator[TableFigure]:
    """The figures of every table in a lower-cased text whose header names at least one metric."""
    for block in _blocks(lowered):
        header, *rows = block
        columns = _columns(lowered, header, cue)
        if not columns and len(rows) > 1:  # "Kết quả" merged over a second header row "Số vụ | Số đối tượng"
            header, *rows = rows
            columns = _columns(lowered, header, cue)
        if not columns:
            continue
        cells_of = [_cells(lowered, *row) for row in rows]
        totalled = any(is_total(_label(cells)) for cells in cells_of)  # a "Tổng cộng" row anywhere below
        domain = _caption_domain(lowered, header[0], cue)
        labelled = [year for cells in cells_of if (year := _year(cells[: min(columns)]))]
        span = (min(labelled), max(labelled)) if labelled else None
        for row, cells in zip(rows, cells_of, strict=True):
            yield from _row_figures(lowered, row, cells, columns, cue, lang, totalled, domain, span)


def _columns(text: str, header: tuple[int, int], cue: Cues) -> dict[int, Column]:
    return {i: c for i, (_, _, cell) in enumerate(_cells(text, *header)) if (c := column_of(cell, cue))}


def _caption_domain(text: str, table_start: int, cue: Cues) -> str:
    """The one domain the line before a table names ("… 586 vụ vi phạm về buôn lậu … Kết quả như sau:"): its
    rows count that domain unless they name their own."""
    caption = text[text.rfind("\n", 0, max(0, table_start - 1)) + 1 : table_start]
    named = {m.lastgroup for m in cue.categories.finditer(caption)}
    return str(named.pop()) if len(named) == 1 else "all"


def column_of(header: str, cue: Cues) -> Column | None:
    """What a header cell counts: the noun it names, with its action ("khởi tố") or, if none, the detection."""
    noun = _first_noun(header, cue)
    if noun is None:
        return _labelled_column(header, cue)
    action = cue.actions.search(header)
    metric = cue.rules.get((action.lastgroup, noun)) if action else cue.rules.get((DEFAULT_ACTION, noun))
    metric = metric or cue.rules.get(("*", noun))
    if metric is None or metric.startswith("@"):
        return _labelled_column(header, cue)
    scale = _HEADER_SCALE.search(header)
    return Column(metric, _SCALE_OF.get(scale.group(1), 1.0) if scale else 1.0)


def _labelled_column(header: str, cue: Cues) -> Column | None:
    """A column headed by what it counts, its unit in brackets: "Thuốc lá điếu (bao)", "Heroin (kg)"; a mass
    is read only with its unit."""
    labelled = cue.column_labels.fullmatch(header.strip())
    if labelled is None:
        return None
    noun = next(name for name, text in labelled.groupdict().items() if text is not None and name != "unit")
    metric = cue.rules.get(("*", noun))
    if metric is None:
        return None
    if "mass" not in noun:
        return Column(metric, 1.0)
    unit = labelled["unit"]
    if not unit or not cue.mass.fullmatch(unit):
        return None
    grams = mass_in_grams(unit.strip(), cue)
    return Column(metric, grams_in_unit(grams, metrics()[metric].unit))


def _first_noun(header: str, cue: Cues) -> str | None:
    """The noun named first in a header, the longest one where several start at the same word."""
    for word in re.finditer(r"(?<!\w)\w", header):
        found = [(m.end(), name) for name, p in cue.nouns.items() if (m := p.match(header, word.start()))]
        if found:
            return max(found)[1]
    return None


def _blocks(text: str) -> Iterator[list[tuple[int, int]]]:
    """Runs of two or more consecutive table rows, as (start, end) of each line."""
    block: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if is_table_row(line):
            if not _MARKDOWN_RULE.fullmatch(line):  # the rule under a Markdown header is no row
                block.append((start, end))
        else:
            if len(block) > 1:
                yield block
            block = []
        start = end + 1
    if len(block) > 1:
        yield block


def _cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Each cell of a row with where it lies; Markdown rows open and end with "|"."""
    cells, at = [], start
    for separator in [*_CELL_SPLIT.finditer(text, start, end), None]:
        cell_end = separator.start() if separator else end
        cells.append((at, cell_end, text[at:cell_end].strip().strip("|").strip()))
        at = separator.end() if separator else end
    return cells


def _label(cells: list[tuple[int, int, str]]) -> str:
    """The first cell that names something (not the row number), before the figures."""
    return next((cell for _, _, cell in cells if re.search(r"[^\W\d]", cell)), "")


def _year(cells: list[tuple[int, int, str]]) -> int | None:
    return next((int(cell) for _, _, cell in cells if _YEAR.fullmatch(cell)), None)


def _row_figures(
    text: str,
    row: tuple[int, int],
    cells: list[tuple[int, int, str]],
    columns: dict[int, Column],
    cue: Cues,
    lang: str,
    totalled: bool,
    table_domain: str,
    table_years: tuple[int, int] | None,
) -> Iterator[TableFigure]:
    leading = cells[: min(columns)]  # what names the row: the cells before its first figure
    label, year = _label(leading), _year(leading)
    total = is_total(label)
    years = (year, year) if year else table_years if total else None
    domain = cue.categories.match(label)  # "Ma túy", not the unit "Đội Đặc nhiệm phòng, chống ma túy"
    named = (domain.lastgroup or "all") if domain else table_domain
    for index, column in columns.items():
        if index >= len(cells) or not _CELL_NUMBER.fullmatch(cells[index][2]):
            continue
        cell_start, cell_end, cell = cells[index]
        offset = text.index(cell, cell_start, cell_end)
        value = parse_number(cell, lang) * column.scale
        metric = metrics()[column.metric]
        if metric.default_scope == "stock":
            category, scope = metric.default_category, "stock"
        else:
            category = named if metric.default_category == "all" else metric.default_category
            scope = "period_total" if total or year or not totalled else "subset"  # a year's row is its total
        yield TableFigure(offset, offset + len(cell), *row, column.metric, value, category, scope, years)
