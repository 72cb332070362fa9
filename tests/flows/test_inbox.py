"""The inbox rules through plain functions: what is taken, claiming, filing away, duplicates, quarantine."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from flows import inbox, steps
from flows.store import Store
from tests.conftest import SEED


def drop(workspace, name: str, data: bytes | None = None) -> Path:
    path = workspace.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(SEED.read_bytes() if data is None else data)
    return path


def ingest(workspace, claim: inbox.Claim) -> list[steps.FileResult]:
    """The flow's steps without Prefect, in the flow's order: read, store, then file the originals away."""
    store = Store(workspace.store_url)
    known = store.known_hashes()
    results = [
        inbox.refused_result(p, why) if (why := inbox.refusal(p)) else steps.read_file(p, known)
        for p in claim.files
    ]
    steps.store_results(store, results)
    for result in results:
        inbox.file_original(workspace, store, result.path, result.sha256, result.status, result.reason)
    claim.release()
    return results


def test_lock_files_dot_files_and_partial_files_are_not_taken(workspace):
    for name in ["~$bao-cao.xlsx", ".hidden.txt", "bao-cao.xlsx.part", "README.txt", "cao-bang.txt"]:
        drop(workspace, name)
    assert [p.name for p in inbox.list_inbox(workspace)] == ["cao-bang.txt"]


def test_claim_moves_settled_files_into_its_own_folder_keeping_names(workspace):
    drop(workspace, "a.txt")
    drop(workspace, "don-vi/a.txt", b"other bytes")
    claim = inbox.claim_inbox(workspace, settle_seconds=0)
    assert sorted(p.name for p in claim.files) == ["a.txt", "a.txt"]
    assert all(p.is_relative_to(claim.folder) for p in claim.files)
    assert inbox.list_inbox(workspace) == []


def test_a_file_still_being_written_is_left_for_later(workspace):
    growing = drop(workspace, "growing.txt", b"start")
    drop(workspace, "done.txt")
    os.utime(workspace.inbox / "done.txt", (time.time() - 60, time.time() - 60))

    def keep_writing() -> None:
        time.sleep(0.5)
        with growing.open("ab") as out:
            out.write(b" more")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    taken = inbox.settled(inbox.list_inbox(workspace), settle_seconds=2.5)
    writer.join()
    assert [p.name for p in taken] == ["done.txt"]


def test_two_claimers_never_take_the_same_file(workspace):
    for n in range(40):
        drop(workspace, f"r{n:02}.txt", f"report {n}".encode())
    claims: list[inbox.Claim] = []
    threads = [
        threading.Thread(target=lambda: claims.append(inbox.claim_inbox(workspace, 0))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    names = [p.name for claim in claims for p in claim.files]
    assert sorted(names) == [f"r{n:02}.txt" for n in range(40)]


def test_a_dead_runs_claim_is_adopted_and_a_live_one_is_not(workspace):
    drop(workspace, "live.txt", b"live bytes")
    live = inbox.claim_inbox(workspace, 0)
    drop(workspace, "dead.txt")
    dead = inbox.claim_inbox(workspace, 0)
    for fd in dead.locks:  # the process died: the kernel drops its locks, its folder stays
        os.close(fd)
    adopted = inbox.claim_inbox(workspace, 0)
    assert [p.name for p in adopted.files] == ["dead.txt"]
    assert [p.name for p in live.files] == ["live.txt"] and live.files[0].exists()
    assert not dead.folder.exists()


def test_a_duplicate_is_archived_with_a_note_and_changes_nothing(workspace):
    drop(workspace, "cao-bang.txt")
    first = ingest(workspace, inbox.claim_inbox(workspace, 0))
    store = Store(workspace.store_url)
    before = store.counts()
    drop(workspace, "cao-bang-gui-lai.txt")
    again = ingest(workspace, inbox.claim_inbox(workspace, 0))
    assert [r.status for r in first + again] == ["ingested", "duplicate"]
    assert store.counts() == before
    archived = sorted(p.name for p in workspace.archive.rglob("*"))
    assert f"{first[0].sha256[:12]}-cao-bang-gui-lai.txt.duplicate.txt" in archived
    assert (workspace.archive / store.source(first[0].sha256)["stored_as"].removeprefix("archive/")).exists()
    assert inbox.list_inbox(workspace) == []


def test_originals_are_archived_byte_for_byte(workspace):
    drop(workspace, "cao-bang.txt")
    [result] = ingest(workspace, inbox.claim_inbox(workspace, 0))
    stored_as = Store(workspace.store_url).source(result.sha256)["stored_as"]
    assert (workspace.root / stored_as).read_bytes() == SEED.read_bytes()


def test_unreadable_and_linked_files_go_to_quarantine_with_a_note(workspace, tmp_path):
    drop(workspace, "hong.xlsx", b"PK\x03\x04 not really a workbook")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the inbox", encoding="utf-8")
    (workspace.inbox / "link.txt").symlink_to(secret)
    results = ingest(workspace, inbox.claim_inbox(workspace, 0))
    assert {r.name: r.status for r in results} == {"hong.xlsx": "quarantined", "link.txt": "quarantined"}
    notes = {p.name: p.read_text(encoding="utf-8") for p in workspace.quarantine.rglob("*.why.txt")}
    assert any("symbolic link refused" in text for text in notes.values())
    assert any(name.endswith("hong.xlsx.why.txt") for name in notes)
    assert secret.read_text(encoding="utf-8") == "not for the inbox"  # the link moved, its target did not
    assert all(p.is_symlink() for p in workspace.quarantine.rglob("*link.txt"))


def test_the_same_unreadable_bytes_again_go_to_quarantine_as_a_duplicate(workspace):
    drop(workspace, "hong.xlsx", b"PK\x03\x04 not really a workbook")
    ingest(workspace, inbox.claim_inbox(workspace, 0))
    drop(workspace, "hong-lan-nua.xlsx", b"PK\x03\x04 not really a workbook")
    [again] = ingest(workspace, inbox.claim_inbox(workspace, 0))
    assert again.status == "duplicate"
    assert [p.name for p in workspace.quarantine.rglob("*.duplicate.txt")] == [
        f"{again.sha256[:12]}-hong-lan-nua.xlsx.duplicate.txt"
    ]
    assert not list(workspace.archive.rglob("*"))


def test_a_file_that_makes_a_reader_fail_is_quarantined_not_raised(workspace, tmp_path):
    """An entity used in a sheet cell (an XML bomb's fuse) makes calamine raise; the run must go on."""
    import zipfile

    import openpyxl

    from flows.pipeline import read_and_check

    bomb = tmp_path / "bom.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    book.save(bomb)
    with zipfile.ZipFile(bomb) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    entities = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    sheet = parts["xl/worksheets/sheet1.xml"].decode().replace("<t>x</t>", "<t>&b;</t>")
    parts["xl/worksheets/sheet1.xml"] = (entities + sheet.split("?>", 1)[-1]).encode()
    with zipfile.ZipFile(bomb, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    result = read_and_check.fn(bomb, frozenset(), True)
    assert result.status == "quarantined"
    assert result.reason.startswith("bom.xlsx: ")
    assert result.issues["check"].tolist() == ["unreadable-file"]


def test_a_file_committed_by_a_crashed_run_is_filed_as_the_original(workspace):
    """The run died after the store commit, before the move: the rerun archives it, adding nothing."""
    drop(workspace, "cao-bang.txt")
    claim = inbox.claim_inbox(workspace, 0)
    store = Store(workspace.store_url)
    steps.store_results(store, [steps.read_file(p) for p in claim.files])
    for fd in claim.locks:
        os.close(fd)
    before = store.counts()
    [result] = ingest(workspace, inbox.claim_inbox(workspace, 0))
    assert result.status == "duplicate"
    assert store.counts() == before
    assert store.source(result.sha256)["stored_as"].startswith("archive/")
    assert not list(workspace.archive.rglob("*.duplicate.txt"))


@pytest.mark.parametrize("name", ["", ".", "..", "../x.txt", "a/b.txt", "a\\b.txt"])
def test_names_that_would_leave_the_workspace_are_refused(name):
    with pytest.raises(inbox.RefusedFile):
        inbox.safe_name(name)


def test_xlsx_sheets_are_parsed_with_defusedxml(tmp_path):
    """openpyxl reads sheets through defusedxml (lxml, with entities off, reads the rest): no XML bombs."""
    import zipfile

    import openpyxl
    from defusedxml import DefusedXmlException

    assert openpyxl.xml.DEFUSEDXML
    bomb = tmp_path / "bomb.xlsx"
    openpyxl.Workbook().save(bomb)
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(bomb) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    body = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = (laughs + body.split("?>", 1)[-1]).encode()
    with zipfile.ZipFile(bomb, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    with pytest.raises(ValueError, match="could not read worksheets") as raised:
        openpyxl.load_workbook(bomb)
    assert isinstance(raised.value.__context__, DefusedXmlException)
