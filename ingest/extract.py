"""The one entry point of the readers: the bytes of a file in, the figures table out."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

import pandas as pd

from ingest.decode import decode_document
from ingest.errors import UnreadableInput
from ingest.prose import read_prose
from ingest.tables import TableReading, read_csv
from schemas.columns import coerce_figures
from schemas.issues import issues_frame


def read_workbook(data: bytes, name: str) -> TableReading:
    """The workbook reader, imported on first use: prose and CSV runs need not load it."""
    from ingest.workbooks import read_xlsx

    return read_xlsx(data, name)


TABLE_READERS = {
    ".csv": read_csv,
    ".xlsx": read_workbook,
    ".xlsm": read_workbook,
    ".xls": read_workbook,
    ".ods": read_workbook,
}


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
    frame = reading.figures if isinstance(reading.figures, pd.DataFrame) else pd.DataFrame(reading.figures)
    if frame.empty:
        return coerce_figures([]), issues_frame(reading.issues)
    frame = frame.assign(source=name, source_sha256=digest, figure_id=_figure_ids(digest, frame))
    _link_issues(reading.issues, frame)
    return coerce_figures(frame), issues_frame(reading.issues)


def _figure_ids(digest: str, frame: pd.DataFrame) -> pd.Series:
    """Source hash and locator; a CSV ``row 12`` holds several figures, so there the metric is added."""
    locators = frame["locator"].astype(object)
    base = digest[:12] + ":" + locators
    if len(set(locators.tolist())) == len(locators):  # cheaper than counting, and the usual case
        return base
    return base.where(~locators.duplicated(keep=False), base + ":" + frame["metric"].astype(object))


def _link_issues(issues: list[dict[str, object]], frame: pd.DataFrame) -> None:
    """Give each cell issue the id of the figure it is about."""
    wanted = {(i.get("locator"), i.get("metric")) for i in issues if i.get("metric")}
    if not wanted:
        return
    keys = pd.Series(list(zip(frame["locator"], frame["metric"], strict=True)), index=frame.index)
    hit = keys.isin(wanted)
    ids = dict(zip(keys[hit], frame["figure_id"][hit], strict=True))
    for issue in issues:
        figure_id = ids.get((issue.get("locator"), issue.get("metric")))
        if figure_id:
            issue["figure_id"] = issue["figure_ids"] = figure_id


def merge_issues(reader_issues: pd.DataFrame, check_issues: pd.DataFrame) -> pd.DataFrame:
    """Reader and check issues together; a figure the reader already explained (``n/a``) is not also "missing"."""
    explained = set(reader_issues["figure_id"].dropna())
    repeated = (check_issues["check"] == "value-missing") & check_issues["figure_id"].isin(explained)
    frames = [f for f in (reader_issues, check_issues[~repeated]) if len(f)]
    return issues_frame(pd.concat(frames, ignore_index=True).to_dict("records")) if frames else issues_frame()


def _prose_rows(data: bytes, name: str) -> list[dict[str, object]]:
    document = decode_document(data, name)
    return read_prose(document.text, document.lang)
