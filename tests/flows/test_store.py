from __future__ import annotations

from flows.steps import read_file, store_results
from flows.store import Store
from tests.conftest import SEED


def test_the_same_file_twice_adds_nothing(workspace):
    store = Store(workspace.store_url)
    first = store_results(store, [read_file(SEED)])
    counts = store.counts()
    second = store_results(store, [read_file(SEED, store.known_hashes())])
    assert first[0].status == "ingested" and second[0].status == "duplicate"
    assert store.counts() == counts == {"sources": 1, "figures": 9, "issues": 0}


def test_figures_read_back_equal_what_was_stored(workspace):
    store = Store(workspace.store_url)
    result = store_results(store, [read_file(SEED)])[0]
    back = store.figures()
    assert list(back["figure_id"]) == list(result.figures["figure_id"])
    assert back["value"].tolist() == result.figures["value"].tolist()


def test_an_unreadable_file_is_quarantined_with_a_reason(workspace, tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = read_file(binary)
    assert result.status == "quarantined"
    assert result.reason.startswith("scan.txt: ")
    assert list(result.issues["check"]) == ["unreadable-file"]


def test_a_run_counts_the_issues_found_across_reports(workspace, tmp_path):
    from flows.steps import RunReport, summarise

    store = Store(workspace.store_url)
    for name, prosecuted in (("a.txt", 45), ("b.txt", 50)):
        report = tmp_path / name
        report.write_text(
            "Báo cáo của BĐBP tỉnh Quảng Ninh\nNgày 05/07/2019\n"
            f"Trong quý II/2019, các đồn đã phát hiện, bắt giữ {prosecuted} vụ, 60 đối tượng.\n",
            encoding="utf-8",
        )
        store_results(store, [read_file(report)])
    workbook, across = summarise(workspace, store)
    run = RunReport(across=across, workbook=workbook)
    assert workbook.exists()
    assert list(run.across["check"]) == ["figures-conflict"]
    assert run.errors == 1
