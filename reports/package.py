"""Saving the workbook: repeatable bytes, and long sheets streamed as XML instead of built cell by cell.

openpyxl holds every cell as an object (about 330 bytes each) and writes 5-8 thousand rows a second. The
Figures sheet can hold hundreds of thousands of rows, so openpyxl writes that sheet with its header, widths,
filters and print setup only, and its rows are written here as ready-made XML into the same zip entry, one
row at a time (inline strings: text stays text whatever it begins with). Zip entry dates are set to the
workbook's own timestamp, so two saves of the same workbook are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from itertools import count
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font

RowStream = Callable[[], Iterable[str]]
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot hold these
STREAM_COMPRESSION = 1  # zlib level for streamed sheets: 3x faster than the default 6, files ~25% larger
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


class SummaryWorkbook(Workbook):
    """A Workbook that knows its timestamp and the rows streamed into some of its sheets at save time."""

    def __init__(self, generated: dt.datetime) -> None:
        super().__init__()
        self.generated = generated
        self.streams: dict[str, tuple[RowStream, str]] = {}

    def stream_rows(self, title: str, rows: RowStream, dimension: str) -> None:
        """Append ``rows()`` (``<row>`` XML strings) after the sheet's own rows when it is saved."""
        self.streams[title] = (rows, dimension)

    def save(self, filename: str | Path) -> None:
        save_package(self, Path(filename))


def save_package(book: SummaryWorkbook, path: Path) -> Path:
    """Write ``book`` to ``path`` (via a temporary file, so a reader never sees half a workbook)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    entries = {
        f"xl/worksheets/sheet{index}.xml": book.streams[sheet.title]
        for index, sheet in enumerate(book.worksheets, start=1)
        if sheet.title in book.streams
    }
    from openpyxl.writer.excel import ExcelWriter

    stamp = book.generated.timetuple()[:6]
    with _RepeatableZip(partial, stamp, entries) as archive:
        ExcelWriter(book, archive).write_data()
    shutil.move(partial, path)
    return path


def style_id(book: Workbook, font: Font, number_format: str = "General") -> int:
    """The index of a cell style in the workbook's style table (registered if new), for hand-written XML."""
    cell = Cell(book.active)
    cell.font, cell.number_format = font, number_format
    return cell.style_id


def text_cells(letter: str, texts: list[str | None], style: int, first_row: int) -> list[str]:
    """One column of text cells as XML, inline strings (so text stays text); "" where a value is missing."""
    head, tail = f'<c r="{letter}', f'" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
    if _CONTROL.search("".join(t for t in texts if t is not None)):  # rare: one scan decides for the column
        texts = [None if t is None else _CONTROL.sub("", t) for t in texts]
    return [
        ""
        if text is None
        else f"{head}{row}{tail}{text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</t></is></c>"
        for row, text in enumerate(texts, start=first_row)
    ]


def number_cells(letter: str, values: list[float | None], styles: list[int], first_row: int) -> list[str]:
    """One column of numbers as XML, each with its own style (number format); "" where a value is missing."""
    return [
        "" if value is None else f'<c r="{letter}{row}" s="{style}"><v>{_shown(value)}</v></c>'
        for row, value, style in zip(count(first_row), values, styles, strict=False)
    ]


def xml_rows(columns: list[list[str]], first_row: int) -> Iterator[str]:
    """Rows of cells made by ``text_cells`` and ``number_cells``, column lists side by side."""
    for row, cells in enumerate(zip(*columns, strict=True), start=first_row):
        yield f'<row r="{row}">{"".join(cells)}</row>'


def _shown(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class _RepeatableZip(zipfile.ZipFile):
    """A zip whose entries all carry one date; named worksheets get streamed rows spliced into them."""

    def __init__(self, path: Path, stamp: tuple, streams: dict[str, tuple[RowStream, str]]) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp, self._streams = max(stamp, (1980, 1, 1, 0, 0, 0)), streams

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None) -> None:
        name = zinfo_or_arcname if isinstance(zinfo_or_arcname, str) else zinfo_or_arcname.filename
        super().writestr(self._info(name), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None) -> None:
        xml = Path(filename).read_bytes()
        name = arcname or Path(filename).name
        if name not in self._streams:
            return self.writestr(name, xml)
        rows, dimension = self._streams[name]
        head, tail = xml.replace(b"<sheetData/>", b"<sheetData></sheetData>").split(b"</sheetData>", 1)
        head = _DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), head, count=1)
        info = self._info(name)
        info._compresslevel = STREAM_COMPRESSION  # zipfile's own knob for one entry (compress_level in 3.13)
        with self.open(info, "w", force_zip64=True) as entry:
            entry.write(head)
            _write_chunked(entry, rows())
            entry.write(b"</sheetData>" + tail)


def _write_chunked(entry, rows: Iterable[str], chunk: int = 2000) -> None:
    batch: list[str] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            entry.write("".join(batch).encode("utf-8"))
            batch.clear()
    entry.write("".join(batch).encode("utf-8"))
