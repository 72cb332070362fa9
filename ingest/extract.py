"""The one entry point of the readers: the bytes of a file in, the figures table out."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import PurePath

import pandas as pd

from ingest.decode import decode_document
from ingest.errors import UnreadableInput
from ingest.prose import read_prose
from ingest.tables import TableReading, read_csv
from ingest.workbooks import read_xlsx
from schemas.figures import coerce_figures
from schemas.issues import issues_frame

TABLE_READERS = {".csv": read_csv, ".xlsx": read_xlsx, ".xlsm": read_xlsx}


def extract_figures(data: bytes, name: str) -> pd.DataFrame:
    """Every figure in a report file, with its place in the source; raises UnreadableInput with a one-line reason."""
    return extract_report(data, name)[0]


def extract_report(data: bytes, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures of a report file and the issues its reader found in it (a cell that is not a number, ...)."""
    if not data:
        raise UnreadableInput(f"{name}: empty file")
    digest = hashlib.sha256(data).hexdigest()
    reader = TABLE_READERS.get(PurePath(name).suffix.lower())
    try:
        reading = reader(data, name) if reader else TableReading(_prose_rows(data, name), [])
    except UnreadableInput as err:
        message = str(err)
        raise UnreadableInput(message if message.startswith(name) else f"{name}: {message}") from None
    shared = Counter(row["locator"] for row in reading.figures)
    for row in reading.figures:
        row.update(source=name, source_sha256=digest, figure_id=_figure_id(digest, row, shared))
    placed = {(row["locator"], row["metric"]) for row in reading.figures}
    for issue in reading.issues:
        if (issue.get("locator"), issue.get("metric")) in placed:
            issue["figure_id"] = issue["figure_ids"] = _figure_id(digest, issue, shared)
    return coerce_figures(reading.figures), issues_frame(reading.issues)


def _figure_id(digest: str, row: dict, shared: Counter) -> str:
    """Source hash and locator; a CSV ``row 12`` holds several figures, so there the metric is added."""
    base = f"{digest[:12]}:{row['locator']}"
    return base if shared[row["locator"]] == 1 else f"{base}:{row['metric']}"


def merge_issues(reader_issues: pd.DataFrame, check_issues: pd.DataFrame) -> pd.DataFrame:
    """Reader and check issues together; a figure the reader already explained (``n/a``) is not also "missing"."""
    explained = set(reader_issues["figure_id"].dropna())
    repeated = (check_issues["check"] == "value-missing") & check_issues["figure_id"].isin(explained)
    frames = [f for f in (reader_issues, check_issues[~repeated]) if len(f)]
    return issues_frame(pd.concat(frames, ignore_index=True).to_dict("records")) if frames else issues_frame()


def _prose_rows(data: bytes, name: str) -> list[dict[str, object]]:
    document = decode_document(data, name)
    return read_prose(document.text, document.lang)
