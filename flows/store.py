"""The store: sources ledger, figures and issues in SQLite (or PostgreSQL) through SQLAlchemy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from schemas.figures import FIGURE_COLUMNS, coerce_figures
from schemas.issues import ISSUE_COLUMNS, issues_frame

SCHEMA_VERSION = 1
metadata = sa.MetaData()

schema_versions = sa.Table(
    "schema_versions",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.String, nullable=False),
)
sources = sa.Table(
    "sources",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("received", sa.String, nullable=False),
    sa.Column("status", sa.String, nullable=False),  # ingested | quarantined
    sa.Column("reason", sa.String),
    sa.Column("figure_count", sa.Integer, nullable=False, default=0),
    sa.Column("issue_count", sa.Integer, nullable=False, default=0),
    sa.Column("stored_as", sa.String),  # where the original went (archive/ or quarantine/), if it moved
)
_FIGURE_TYPES = {
    "span_start": sa.Integer,
    "span_end": sa.Integer,
    "line": sa.Integer,
    "value": sa.Float,
    "period_inferred": sa.Boolean,
}
figures = sa.Table(
    "figures",
    metadata,
    *[sa.Column(c, _FIGURE_TYPES.get(c, sa.String), primary_key=c == "figure_id") for c in FIGURE_COLUMNS],
    sa.Index("ix_figures_period", "period_start", "period_end"),
    sa.Index("ix_figures_source", "source_sha256"),
)
issues = sa.Table(
    "issues",
    metadata,
    sa.Column("issue_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_sha256", sa.String(64), nullable=False, index=True),
    *[sa.Column(c, sa.Float if c == "value" else sa.String) for c in ISSUE_COLUMNS],
)


@dataclass(frozen=True)
class SourceRecord:
    sha256: str
    source: str
    status: str
    reason: str | None = None
    stored_as: str | None = None


class Store:
    """One database: ``record`` writes a source with its figures and issues in one transaction."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url)
        metadata.create_all(self.engine)
        with self.engine.begin() as db:
            if db.execute(sa.select(sa.func.max(schema_versions.c.version))).scalar() is None:
                db.execute(schema_versions.insert().values(version=SCHEMA_VERSION, applied_at=_now()))

    def known(self, sha256: str) -> bool:
        with self.engine.connect() as db:
            return (
                db.execute(sa.select(sources.c.sha256).where(sources.c.sha256 == sha256)).first() is not None
            )

    def known_hashes(self) -> frozenset[str]:
        with self.engine.connect() as db:
            return frozenset(db.execute(sa.select(sources.c.sha256)).scalars())

    def record(self, record: SourceRecord, found: pd.DataFrame, problems: pd.DataFrame) -> bool:
        """Store a source once per content hash; returns False (and changes nothing) when it is known."""
        try:
            return self._record(record, found, problems)
        except sa.exc.IntegrityError:
            if self.known(record.sha256):
                return False  # another run stored the same bytes between our check and our insert
            raise

    def _record(self, record: SourceRecord, found: pd.DataFrame, problems: pd.DataFrame) -> bool:
        with self.engine.begin() as db:
            if db.execute(sa.select(sources.c.sha256).where(sources.c.sha256 == record.sha256)).first():
                return False
            db.execute(
                sources.insert().values(
                    sha256=record.sha256,
                    source=record.source,
                    received=_now(),
                    status=record.status,
                    reason=record.reason,
                    figure_count=len(found),
                    issue_count=len(problems),
                    stored_as=record.stored_as,
                )
            )
            if len(found):
                db.execute(figures.insert(), _records(found[FIGURE_COLUMNS]))
            if len(problems):
                rows = _records(
                    problems[ISSUE_COLUMNS].assign(expected=problems["expected"].astype("string"))
                )
                db.execute(issues.insert(), [{**row, "source_sha256": record.sha256} for row in rows])
        return True

    def source(self, sha256: str) -> dict | None:
        """The ledger row of one content hash, or None when it was never stored."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(sources).where(sources.c.sha256 == sha256)).mappings().first()
        return dict(row) if row else None

    def set_stored_as(self, sha256: str, stored_as: str) -> None:
        with self.engine.begin() as db:
            db.execute(sources.update().where(sources.c.sha256 == sha256).values(stored_as=stored_as))

    def figures(self) -> pd.DataFrame:
        with self.engine.connect() as db:
            frame = pd.read_sql(sa.select(figures).order_by(figures.c.source, figures.c.span_start), db)
        return coerce_figures(frame)

    def issues(self) -> pd.DataFrame:
        with self.engine.connect() as db:
            frame = pd.read_sql(sa.select(issues).order_by(issues.c.issue_id), db)
        return issues_frame(frame.drop(columns=["issue_id", "source_sha256"]).to_dict("records"))

    def sources(self) -> pd.DataFrame:
        with self.engine.connect() as db:
            return pd.read_sql(sa.select(sources).order_by(sources.c.received, sources.c.source), db)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as db:
            return {
                t.name: db.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (sources, figures, issues)
            }


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str | bool) and pd.isna(value))


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
