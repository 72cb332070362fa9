"""The one entry point of the readers: the bytes of a file in, the figures table out."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

import pandas as pd

from ingest.decode import decode_document
from ingest.errors import UnreadableInput
from ingest.prose import read_prose
from ingest.tables import read_csv
from schemas.figures import coerce_figures

TABLE_READERS = {".csv": read_csv}


def extract_figures(data: bytes, name: str) -> pd.DataFrame:
    """Every figure in a report file, with its place in the source; raises UnreadableInput with a one-line reason."""
    if not data:
        raise UnreadableInput(f"{name}: empty file")
    digest = hashlib.sha256(data).hexdigest()
    reader = TABLE_READERS.get(PurePath(name).suffix.lower())
    try:
        rows = reader(data, name) if reader else _prose_rows(data, name)
    except UnreadableInput as err:
        message = str(err)
        raise UnreadableInput(message if message.startswith(name) else f"{name}: {message}") from None
    for row in rows:
        row.update(source=name, source_sha256=digest, figure_id=f"{digest[:12]}:{row['locator']}")
    return coerce_figures(rows)


def _prose_rows(data: bytes, name: str) -> list[dict[str, object]]:
    document = decode_document(data, name)
    return read_prose(document.text, document.lang)
