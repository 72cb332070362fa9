"""The whole package at scale, side by side in one run: a generated corpus (bench/make_corpus.py) of 500,
1,000 and 2,000 report files through `border-reports run` and through the same steps as plain functions.

    python bench/run.py [--sizes 500,1000,2000] [--dask] [--keep DIR]

Prints a table with ratios: extraction MB/s; pandera checks against plain pandas masks (bench/checks.py);
workbook rows/s (bench/workbook.py); for each size, the plain steps (collect_files, read_file,
check_results, store_results, write_summary in one process) against `border-reports run` on a warm workspace (Prefect's
database already migrated, a fresh store), with files per second and the peak resident memory of each
process; optionally (--dask) the run over a local Dask cluster of two worker processes. It ends by reading
the store of the largest run and confirming that every planted inconsistency was reported.
Targets on a 2-core machine: 2,000 files in <= 60 s, Prefect <= 1.3x the plain path, <= 1 GiB, linear cost.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GIB = 1024**3
TIME_LINE = re.compile(r"time: ([0-9.]+) s = .*? flow ([0-9.]+) s \(reading and checking ([0-9.]+) s\)")


def run_child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak resident bytes (the child, as the kernel counts it) and stdout of a command."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}:\n{text[-2000:]}")
    return time.perf_counter() - started, usage.ru_maxrss * 1024, text


def plain_path(corpus: Path, workspace: Path) -> dict[str, float]:
    """The pipeline's steps as plain functions in this process (what `run` does, without Prefect)."""
    started = time.perf_counter()
    from flows.steps import check_results, collect_files, read_file, store_results, write_summary
    from flows.store import Store
    from flows.workspace import Workspace

    imported = time.perf_counter()
    space = Workspace.resolve(workspace)
    store = Store(space.store_url)
    known = store.known_hashes()
    results = check_results([read_file(p, known, check=False) for p in collect_files([corpus])])
    read = time.perf_counter()
    store_results(store, results)
    write_summary(space, store)
    done = time.perf_counter()
    return {"import": imported - started, "read": read - imported, "total": done - started}


def fresh_store(workspace: Path) -> None:
    """Forget what was ingested, keep Prefect's database (a warm workspace)."""
    for path in (workspace / "store.db", workspace / "summaries"):
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def measure_plain(corpus: Path, workspace: Path) -> dict[str, float]:
    fresh_store(workspace)
    command = [sys.executable, __file__, "--plain", str(corpus), str(workspace)]
    wall, peak, out = run_child(command)
    return {**json.loads(out.strip().splitlines()[-1]), "wall": wall, "peak": peak}


def measure_cli(corpus: Path, workspace: Path, *options: str) -> dict[str, float]:
    fresh_store(workspace)
    cli = [sys.executable, "-c", "from flows.cli import main; main()"]
    command = [*cli, "run", "--workspace", str(workspace), *options, str(corpus)]
    env = {k: v for k, v in os.environ.items() if k not in {"PREFECT_API_URL", "PREFECT_HOME"}}
    wall, peak, out = run_child(command, env)
    found = TIME_LINE.search(" ".join(out.split()))
    total, flow, read = (float(x) for x in found.groups()) if found else (wall, float("nan"), float("nan"))
    return {"wall": wall, "total": total, "flow": flow, "read": read, "peak": peak}


def extraction_speed(corpus: Path) -> tuple[float, float]:
    """MB read and MB/s of extract_report alone (decoding and reading, no checks) over the corpus."""
    from flows.steps import collect_files
    from ingest.errors import UnreadableInput
    from ingest.extract import extract_report

    files = [(p.name, p.read_bytes()) for p in collect_files([corpus])]
    started = time.perf_counter()
    for name, data in files:
        with contextlib.suppress(UnreadableInput):  # the planted broken file
            extract_report(data, name)
    size = sum(len(data) for _, data in files) / 1e6
    return size, size / (time.perf_counter() - started)


def checks_ratio(rows: int = 200_000) -> tuple[float, float]:
    """Seconds of plain pandas masks and of pandera on the same figures (bench/checks.py), 1% bad."""
    from bench.checks import make_figures, masks_side, pandera_side

    figures = make_figures(rows, 0.01)
    seconds = []
    for side in (masks_side, pandera_side, masks_side, pandera_side):  # the first pair warms up
        started = time.perf_counter()
        side(figures)
        seconds.append(time.perf_counter() - started)
    return seconds[2], seconds[3]


def workbook_rate(figures: int = 20_000) -> float:
    """Rows per second of the Figures sheet (bench/workbook.py)."""
    from bench.workbook import make_figures, time_figures_sheet

    with tempfile.TemporaryDirectory() as folder:
        wall, _ = time_figures_sheet(make_figures(figures), Path(folder))
    return figures / wall


def planted_report(workspace: Path, manifest: dict) -> list[tuple[dict, bool]]:
    """Each planted inconsistency and whether the store's issues (with the checks across reports) name it."""
    import pandas as pd

    from flows.store import Store
    from flows.workspace import Workspace
    from schemas.cross_checks import check_across
    from schemas.settings import CheckSettings

    space = Workspace.resolve(workspace)
    store = Store(space.store_url)
    across = check_across(store.figures(), CheckSettings.from_config(space.config()))
    issues = pd.concat([store.issues(), across], ignore_index=True)
    found = []
    for plant in manifest["planted"]:
        hit = issues[(issues["check"] == plant["check"]) & issues["source"].isin(plant["sources"])]
        found.append((plant, len(hit) > 0))
    planted_sources = {s for p in manifest["planted"] for s in p["sources"]}
    others = issues[(issues["severity"] == "error") & ~issues["source"].isin(planted_sources)]
    found.append(({"check": "errors in files with nothing planted", "sources": []}, others.empty))
    return found


def start_dask_cluster():
    from distributed import LocalCluster

    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)


def warm_workspace(folder: Path) -> Path:
    """A workspace whose Prefect database exists: one run on a handful of files."""
    from bench.make_corpus import make_corpus

    workspace = folder / "workspace"
    make_corpus(folder / "warm-up", 8)
    measure_cli(folder / "warm-up", workspace)
    return workspace


def row(label: str, *cells: object) -> None:
    print(f"{label:<44}" + "".join(f"{c!s:>14}" for c in cells))


def report_size(size: int, plain: dict, cli: dict, batched: dict, dask: dict | None) -> None:
    mb = 1024**2
    row(
        f"{size:,} files: plain steps, one process",
        f"{plain['wall']:.1f} s",
        f"{size / plain['wall']:.1f} f/s",
    )
    row("  reading and checking (plain)", f"{plain['read']:.1f} s", f"{size / plain['read']:.1f} f/s")
    row(
        "  border-reports run (default batches, warm)",
        f"{cli['wall']:.1f} s",
        f"{size / cli['wall']:.1f} f/s",
        f"{cli['wall'] / plain['wall']:.2f}x plain",
    )
    row("  ... of which the flow", f"{cli['flow']:.1f} s", "", f"{cli['flow'] / plain['wall']:.2f}x plain")
    row(
        "  ... of which reading and checking",
        f"{cli['read']:.1f} s",
        "",
        f"{cli['read'] / plain['read']:.2f}x",
    )
    row(
        "  run --batch-size 25 (25 files a task)",
        f"{batched['wall']:.1f} s",
        f"{size / batched['wall']:.1f} f/s",
        f"{batched['wall'] / plain['wall']:.2f}x plain",
    )
    row(
        "  ... of which the flow",
        f"{batched['flow']:.1f} s",
        "",
        f"{batched['flow'] / plain['wall']:.2f}x plain",
    )
    peaks = [f"{m['peak'] / mb:.0f} MiB" for m in (plain, cli, batched)]
    row("  peak resident: plain, run, batches", *peaks)
    if dask:
        row(
            "  run --task-runner dask (2 workers)",
            f"{dask['wall']:.1f} s",
            f"{size / dask['wall']:.1f} f/s",
            f"{dask['wall'] / plain['wall']:.2f}x plain",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,1000,2000", help="Corpus sizes, comma-separated.")
    parser.add_argument(
        "--dask", action="store_true", help="Also run over a local Dask cluster of 2 workers."
    )
    parser.add_argument("--keep", type=Path, default=None, help="Keep corpora and workspaces in this folder.")
    parser.add_argument("--plain", nargs=2, type=Path, help=argparse.SUPPRESS)  # the child of measure_plain
    args = parser.parse_args()
    if args.plain:
        print(json.dumps(plain_path(*args.plain)))
        return
    from bench.make_corpus import make_corpus

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-run-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"corpora and workspaces in {folder}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    workspace = warm_workspace(folder)
    cluster = start_dask_cluster() if args.dask else None
    per_size, manifest = [], {}
    for size in sizes:
        corpus = folder / f"corpus-{size}"
        manifest = make_corpus(corpus, size)
        plain = measure_plain(corpus, workspace)
        batched = measure_cli(corpus, workspace, "--batch-size", "25")
        dask = (
            measure_cli(corpus, workspace, "--dask-address", cluster.scheduler_address) if cluster else None
        )
        cli = measure_cli(corpus, workspace)  # last: the planted inconsistencies are read from its store
        per_size.append((size, manifest, plain, cli, batched, dask))
    megabytes, rate = extraction_speed(folder / f"corpus-{sizes[0]}")
    masks, pandera = checks_ratio()
    rows = workbook_rate()
    print()
    row("extraction (extract_report, no checks)", f"{rate:.2f} MB/s", f"{megabytes:.1f} MB")
    row(
        "checks, 200k figures: masks, pandera",
        f"{masks:.2f} s",
        f"{pandera:.2f} s",
        f"{pandera / masks:.2f}x",
    )
    row("workbook Figures sheet, 20k rows", f"{rows:,.0f} rows/s")
    for size, _, *measured in per_size:
        report_size(size, *measured)
    for (small, _, plain_a, cli_a, *_), (large, _, plain_b, cli_b, *_) in itertools.pairwise(per_size):
        extra = large - small  # linear cost: the same time for each extra file at every size
        row(
            f"each extra file, {small:,} -> {large:,}: plain, run",
            f"{(plain_b['wall'] - plain_a['wall']) / extra * 1000:.0f} ms",
            f"{(cli_b['wall'] - cli_a['wall']) / extra * 1000:.0f} ms",
        )
    print()
    for plant, reported in planted_report(workspace, manifest):
        print(f"{'reported' if reported else 'MISSED  '}  {plant['check']:<30} {', '.join(plant['sources'])}")
    if cluster:
        cluster.close()


if __name__ == "__main__":
    main()
