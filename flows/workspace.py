"""The workspace folder: inbox, archive, quarantine, summaries, the store and config.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONFIG = """\
# border-reports workspace settings. Delete a line to get the default back.

[store]
# SQLAlchemy URL of the store; empty means store.db in this folder.
# A PostgreSQL URL works the same: postgresql+psycopg://user:pass@host/db
url = ""

[workbook]
# Language of the workbook: "vi" or "en".
lang = "vi"

[checks]
# Read by schemas.settings.CheckSettings; `border-reports validate` and every summary use these values.
# Within one report, an approximate figure ("gần", "khoảng", "about") may be off by this share either way.
approx_tolerance = 0.10
# A change from the previous period of the same length beyond this factor (up or down) is a warning ...
change_factor = 3.0
# ... when either side is at least this large.
change_min_value = 20
# A reporting unit whose name contains one of these speaks for its whole province: its figures are the
# province total that the sum of the other units is checked against (so does a table row with no unit).
province_bodies = ["Ban Chỉ đạo 389", "Ban Nội chính", "Tỉnh ủy", "UBND tỉnh", "Ủy ban nhân dân tỉnh"]

[registry]
# Reporting units expected every period, by province (names compared ignoring case and spacing). For each
# period a province has figures for, a listed unit that did not report is a warning. A province total below
# the sum of its units is always an error; above it, only when every listed unit reported.
# "Cao Bằng" = ["Bộ Chỉ huy BĐBP tỉnh Cao Bằng", "Công an tỉnh Cao Bằng", "Cục Hải quan tỉnh Cao Bằng"]
"""


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def resolve(cls, path: str | os.PathLike[str] | None = None) -> Workspace:
        """``--workspace``, else ``BORDER_REPORTS_HOME``, else ``./workspace``; folders made on first use."""
        root = Path(path or os.environ.get("BORDER_REPORTS_HOME") or "workspace").resolve()
        workspace = cls(root)
        for folder in (workspace.inbox, workspace.archive, workspace.quarantine, workspace.summaries):
            folder.mkdir(parents=True, exist_ok=True)
        if not workspace.config_path.exists():
            workspace.config_path.write_text(DEFAULT_CONFIG, encoding="utf-8")
        return workspace

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def summaries(self) -> Path:
        return self.root / "summaries"

    @property
    def prefect_home(self) -> Path:
        return self.root / ".prefect"

    @property
    def config_path(self) -> Path:
        return self.root / "config.toml"

    def config(self) -> dict:
        return tomllib.loads(self.config_path.read_text(encoding="utf-8"))

    @property
    def store_url(self) -> str:
        configured = os.environ.get("BORDER_REPORTS_STORE_URL") or self.config().get("store", {}).get("url")
        return configured or f"sqlite:///{self.root / 'store.db'}"

    def in_inbox(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.inbox.resolve())
