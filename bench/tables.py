"""Speed and memory of the table readers on large multi-unit tables.

Run by hand: ``python bench/tables.py [--rows 100000]``. Writes a multi-unit .xlsx (one row per unit and period,
10 metric columns) and CSVs of 1x and 10x size in a temporary folder, then prints:

- .xlsx: data rows per second of the reader alone (``read_xlsx``) and of ``extract_figures`` (reader plus the
  figures DataFrame); the target is >= 20,000 rows per second;
- .csv: peak Python memory (tracemalloc) while streaming figures with ``stream_csv`` from a file, for a file
  and one 10x its size; flat means the ratio stays near 1, where reading the whole file grows with it.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from ingest.extract import extract_figures  # noqa: E402
from ingest.tables import read_csv, stream_csv  # noqa: E402
from ingest.workbooks import read_xlsx  # noqa: E402

METRICS = [
    "cases_detected",
    "Số đối tượng phát hiện, bắt giữ",
    "Số vụ khởi tố",
    "subjects_prosecuted",
    "admin_cases",
    "Tiền phạt (đồng)",
    "heroin_cakes",
    "synthetic_drug_pills",
    "Pháo nổ (kg)",
    "cigarettes_packs",
]
HEADERS = ["reporting_unit", "province", "period", *METRICS, "Ghi chú"]
PERIODS = ["2024-01", "2024-02", "2024-03", "2024-Q1", "2024-Q2", "2024-H1", "2024"]


def table_rows(count: int):
    for i in range(count):
        province = "Lạng Sơn" if i % 2 else "Quảng Ninh"
        values = [(i * 7 + k) % 50 for k in range(len(METRICS))]
        values[5] = values[5] * 1_000_000
        values[8] = values[8] + 0.5
        yield [
            f"Đồn Biên phòng số {i}",
            province,
            PERIODS[i % len(PERIODS)],
            *values,
            "" if i % 10 else "sơ bộ",
        ]


def write_xlsx(path: Path, count: int) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đơn vị")
    sheet.append(HEADERS)
    for row in table_rows(count):
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for row in table_rows(count):
            writer.writerow([str(v).replace(".", ",") if isinstance(v, float) else v for v in row])
    return path


def timed(call, repeat: int = 1) -> tuple[object, float, float]:
    """The result, and the best wall and CPU seconds of ``repeat`` runs.

    The machine is shared: the best run is the least disturbed, and CPU time counts only this process.
    """
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return result, wall, cpu


def bench_xlsx(folder: Path, rows: int) -> None:
    path, seconds, _ = timed(lambda: write_xlsx(folder / "units.xlsx", rows))
    data = path.read_bytes()
    print(
        f".xlsx: {rows:,} data rows x {len(METRICS)} metrics, {len(data) / 1e6:.1f} MB (written in {seconds:.1f} s)"
    )
    reading, wall, cpu = timed(lambda: read_xlsx(data, path.name), repeat=3)
    print(f"  read_xlsx       {wall:6.2f} s  {rows / wall:9,.0f} rows/s wall, {rows / cpu:9,.0f} rows/CPU-s")
    found, wall, cpu = timed(lambda: extract_figures(data, path.name), repeat=2)
    print(f"  extract_figures {wall:6.2f} s  {rows / wall:9,.0f} rows/s wall, {rows / cpu:9,.0f} rows/CPU-s")
    print(f"  ({len(found):,} figures; extract_figures adds ids and the figures table's dtypes)")


def peak_streaming(path: Path) -> tuple[int, int]:
    """Peak bytes allocated while streaming every figure of ``path``, and the number of figures."""
    tracemalloc.start()
    issues: list[dict] = []
    with path.open(encoding="utf-8-sig", newline="") as lines:
        count = sum(len(chunk) for chunk in stream_csv(lines, path.name, issues))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, count


def peak_whole(path: Path) -> int:
    tracemalloc.start()
    read_csv(path.read_bytes(), path.name)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def bench_csv(folder: Path, rows: int) -> None:
    small = write_csv(folder / "small.csv", rows // 10)
    large = write_csv(folder / "large.csv", rows)
    with large.open(encoding="utf-8", newline="") as lines:
        _, wall, cpu = timed(lambda: sum(len(chunk) for chunk in stream_csv(lines, large.name, [])))
    print(
        f".csv: streaming {rows:,} rows in {wall:.2f} s, {rows / wall:,.0f} rows/s wall, {rows / cpu:,.0f} rows/CPU-s"
    )
    (small_peak, _), (large_peak, _) = peak_streaming(small), peak_streaming(large)
    print(
        f"  stream_csv peak memory: {rows // 10:,} rows {small_peak / 1e6:6.2f} MB, {rows:,} rows "
        f"{large_peak / 1e6:6.2f} MB  (ratio {large_peak / small_peak:.2f} for 10x the file)"
    )
    small_whole, large_whole = peak_whole(small), peak_whole(large)
    print(
        f"  read_csv (whole file, all figures kept) peak: {small_whole / 1e6:6.1f} MB vs {large_whole / 1e6:6.1f} MB "
        f"(ratio {large_whole / small_whole:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (best of several runs shown)"
    )
    with tempfile.TemporaryDirectory() as folder:
        bench_xlsx(Path(folder), args.rows)
        bench_csv(Path(folder), args.rows)


if __name__ == "__main__":
    main()
