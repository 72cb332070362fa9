"""The inbox rules: which files to take, claiming them, and filing the originals away.

A file is taken once its size and modification time have stood still for a few seconds. Taking it is an atomic
rename into ``inbox/.claimed/<claim>/<n>/<name>``; each claim folder is guarded by an ``flock`` held for the
whole run, so a folder whose lock can be taken belongs to a run that died, and the next run adopts it. The
original moves to ``archive/`` (or ``quarantine/``) only after its figures are committed to the store, so a
crash at any moment leaves every original in the inbox, a claim folder or the archive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import stat
import time
import uuid
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from flows.steps import FileResult
from flows.store import Store
from flows.workspace import Workspace
from schemas.figures import empty_figures
from schemas.issues import issues_frame, make_issue

IGNORED = ["~$*", ".*", "*.part", "*.tmp", "*.crdownload", "*.expected.*", "README*"]
CLAIMS = ".claimed"
SETTLE_SECONDS = 3.0


class RefusedFile(Exception):
    """A file the inbox will not read (a link, a device, a name that would leave the workspace)."""


@dataclass
class Claim:
    """Files this run owns, in its own folder under ``inbox/.claimed``, with the lock that proves it."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    locks: list[int] = field(default_factory=list)
    slots: int = 0

    def release(self) -> None:
        """Drop the empty claim folders and their locks (whatever is left stays for the next run)."""
        if not self.locks:
            return  # a claim that holds no lock owns nothing
        for folder in sorted(self.folder.glob("*"), reverse=True):
            _remove_empty(folder)
        _remove_empty(self.folder)
        if not self.folder.exists():
            self.folder.with_suffix(".lock").unlink(missing_ok=True)
        for fd in self.locks:
            os.close(fd)
        self.locks.clear()


def is_ignored(name: str) -> bool:
    """Lock files of office programs, dot files and partial downloads are never taken."""
    return any(fnmatch(name, pattern) for pattern in IGNORED)


def list_inbox(workspace: Workspace) -> list[Path]:
    """Entries waiting in the inbox (sub-folders included, links not followed), oldest name first."""
    found = []
    for folder, dirs, names in os.walk(workspace.inbox):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        links = [d for d in dirs if Path(folder, d).is_symlink()]
        found.extend(Path(folder, name) for name in [*links, *sorted(names)] if not is_ignored(name))
    return found


def settled(paths: list[Path], settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """The paths whose size and modification time stood still for ``settle_seconds`` (a file being written does not)."""
    first = {path: _signature(path) for path in paths}
    young = [p for p, sig in first.items() if sig and time.time() - sig[1] / 1e9 < settle_seconds]
    if young:
        time.sleep(settle_seconds)
    return [p for p in paths if first[p] and (p not in young or _signature(p) == first[p])]


def claim_inbox(workspace: Workspace, settle_seconds: float = SETTLE_SECONDS) -> Claim:
    """Adopt the files of runs that died, then claim every settled file in the inbox."""
    claims = workspace.inbox / CLAIMS
    claims.mkdir(exist_ok=True)
    token = f"{dt.datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    claim = Claim(claims / token)
    claim.locks.append(_lock(claim.folder.with_suffix(".lock")))
    claim.folder.mkdir()
    _adopt_orphans(claim)
    for path in settled(list_inbox(workspace), settle_seconds):
        _take(claim, path)
    claim.files = sorted(p for p in claim.folder.glob("*/*"))
    return claim


def refusal(path: Path) -> str | None:
    """Why the inbox refuses to read ``path``, or None: links are never followed, only plain files are read."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return f"{path.name}: symbolic link refused (the inbox never follows links)"
    if not stat.S_ISREG(info.st_mode):
        return f"{path.name}: not a plain file"
    return None


def refused_result(path: Path, reason: str) -> FileResult:
    """A refused entry goes to quarantine unread, recorded under the hash of its path (its bytes are not read)."""
    issue = make_issue("unreadable-file", source=path.name, detail=reason.removeprefix(f"{path.name}: "))
    sha256 = hashlib.sha256(f"refused:{path}".encode()).hexdigest()
    return FileResult(path, path.name, sha256, empty_figures(), issues_frame([issue]), "quarantined", reason)


def failed_result(path: Path, reason: str) -> FileResult:
    """A file a reader choked on goes to quarantine, recorded under its content hash like any other."""
    try:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        sha256 = hashlib.sha256(f"unreadable:{path}".encode()).hexdigest()
    issue = make_issue("unreadable-file", source=path.name, detail=reason.removeprefix(f"{path.name}: "))
    return FileResult(path, path.name, sha256, empty_figures(), issues_frame([issue]), "quarantined", reason)


def safe_name(name: str) -> str:
    """``name`` as one path component inside a workspace folder; anything that could climb out is refused."""
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\0" in name:
        raise RefusedFile(f"{name!r}: name would leave the workspace")
    return name


def file_original(
    workspace: Workspace, store: Store, path: Path, sha256: str, status: str, reason: str | None
) -> Path:
    """Move one claimed original to archive/ or quarantine/ unaltered; a duplicate gets a note saying of what.

    The store is asked what it already holds: a known hash with nowhere recorded is the file a crashed run
    committed but did not move, so it is filed as the original; otherwise it is a duplicate.
    """
    known = store.source(sha256)
    if status == "duplicate" and known is not None and not known["stored_as"]:
        status, reason = known["status"], known["reason"]
    quarantined = status == "quarantined" or (known is not None and known["status"] == "quarantined")
    folder = workspace.quarantine if quarantined else workspace.archive
    target = _unique(folder / dt.date.today().isoformat() / f"{sha256[:12]}-{safe_name(path.name)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if status == "duplicate":
        _note(target, ".duplicate.txt", _duplicate_note(path.name, known))
    elif status == "quarantined":
        _note(target, ".why.txt", reason or "unreadable")
    os.replace(path, target)
    if status != "duplicate":
        store.set_stored_as(sha256, str(target.relative_to(workspace.root)))
    return target


def _duplicate_note(name: str, known: dict | None) -> str:
    if known is None:
        return f"{name}: same bytes as another file of the same run; nothing was added to the store."
    return (
        f"{name}: same bytes as {known['source']} (received {known['received']}, kept at "
        f"{known['stored_as']}); nothing was added to the store."
    )


def _note(target: Path, suffix: str, text: str) -> None:
    target.with_name(target.name + suffix).write_text(text.rstrip() + "\n", encoding="utf-8")


def _take(claim: Claim, path: Path) -> None:
    """Rename ``path`` into the claim folder; a file another run renamed first is simply not ours."""
    slot = _next_slot(claim)
    try:
        os.rename(path, slot / path.name)
    except FileNotFoundError:
        slot.rmdir()


def _adopt_orphans(claim: Claim) -> None:
    """Move the files of every claim folder whose run died (its lock is free) into ours."""
    for folder in sorted(p for p in claim.folder.parent.iterdir() if p.is_dir() and p != claim.folder):
        try:
            fd = _lock(folder.with_suffix(".lock"))
        except BlockingIOError:
            continue  # a live run holds it
        claim.locks.append(fd)
        try:
            slots = sorted(p for p in folder.iterdir() if p.is_dir())
        except FileNotFoundError:
            slots = []  # its run finished and tidied up between our listing and our lock
        for slot in slots:
            os.rename(slot, _next_slot(claim))
        _remove_empty(folder)
        if not folder.exists():
            folder.with_suffix(".lock").unlink(missing_ok=True)


def _next_slot(claim: Claim) -> Path:
    """A new numbered folder in the claim, one per file, so two files of the same name never meet."""
    claim.slots += 1
    slot = claim.folder / str(claim.slots)
    slot.mkdir()
    return slot


def _lock(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise
    return fd


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    return info.st_size, info.st_mtime_ns


def _unique(target: Path) -> Path:
    """``target``, or ``target`` with ``-2``, ``-3`` ... before the suffix when that name is taken."""
    candidate, n = target, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return candidate


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
