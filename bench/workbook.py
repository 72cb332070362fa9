"""How fast the workbook is written: the Figures sheet alone, and the whole workbook, for N figures.

    python bench/workbook.py [--figures 100000] [--repeat 3]

Prints rows per second for the Figures sheet (target: >= 10,000; wall time, and CPU time, which other work
on a shared machine disturbs less) and for the whole workbook, and the peak
memory: Python allocations traced by tracemalloc (a separate pass, since tracing slows the writer) and the
process's peak resident size. Medians of --repeat runs; the machine is shared, so trust ratios over seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.figures_sheet import write_figures  # noqa: E402
from reports.package import SummaryWorkbook, save_package  # noqa: E402
from reports.workbook import build_workbook, save_workbook  # noqa: E402
from schemas.catalog import metrics  # noqa: E402
from schemas.figures import coerce_figures  # noqa: E402
from schemas.issues import issues_frame  # noqa: E402

TARGET_ROWS_PER_SECOND = 10_000
STAMP = dt.datetime(2024, 10, 5, 8, 30)
PROVINCES = ["Cao Bằng", "Lạng Sơn", "Hà Giang", "Lào Cai", "Quảng Ninh", "Điện Biên", "Lai Châu", "Sơn La"]


def make_figures(count: int) -> pd.DataFrame:
    """``count`` plausible figures: 8 provinces, 5 units each, 24 months, the catalog's flow metrics."""
    keys = [k for k, m in metrics().items() if m.kind == "flow"]
    rows = []
    for index in range(count):
        metric = metrics()[keys[index % len(keys)]]
        province = PROVINCES[(index // len(keys)) % len(PROVINCES)]
        unit = f"Đồn Biên phòng số {(index // (len(keys) * len(PROVINCES))) % 5 + 1} {province}"
        month = (index // (len(keys) * len(PROVINCES) * 5)) % 24
        year, month = 2023 + month // 12, month % 12 + 1
        end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
        sha = f"{index // 40:064x}"
        rows.append(
            {
                "figure_id": f"{sha[:12]}:L{index}:C{index % 300}",
                "source": f"bao-cao-{index // 40:05d}.txt",
                "source_sha256": sha,
                "locator": f"L{index % 200 + 1}:C{index % 300}",
                "line": index % 200 + 1,
                "quote": f"phát hiện, bắt giữ {index % 900} vụ vi phạm trên tuyến biên giới {province}",
                "reporting_unit": unit,
                "province": province,
                "period_start": f"{year}-{month:02d}-01",
                "period_end": end,
                "period_label": f"tháng {month}/{year}",
                "metric": metric.key,
                "category": metric.default_category,
                "scope": "period_total" if index % 7 else "subset",
                "value": index % 900 + (0.5 if metric.unit == "g" else 0),
                "unit": metric.unit,
                "qualifier": ("exact", "approx", "over", "exact")[index % 4],
                "lang": "vi",
            }
        )
    return coerce_figures(rows)


def time_figures_sheet(figures: pd.DataFrame, folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds to write a workbook holding the Figures sheet alone."""
    wall, cpu = time.perf_counter(), time.process_time()
    book = SummaryWorkbook(STAMP)
    write_figures(book, book.active, figures, "vi")
    save_package(book, folder / "figures-only.xlsx")
    return time.perf_counter() - wall, time.process_time() - cpu


def time_whole_workbook(figures: pd.DataFrame, folder: Path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    book = build_workbook(figures, issues_frame(), pd.DataFrame(columns=["source"]), generated=STAMP)
    save_workbook(book, folder / "whole.xlsx")
    return time.perf_counter() - wall, time.process_time() - cpu


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def traced_peak(job, figures: pd.DataFrame, folder: Path) -> int:
    tracemalloc.start()
    job(figures, folder)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = make_figures(args.figures)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        sheet, sheet_cpu = medians([time_figures_sheet(figures, out) for _ in range(args.repeat)])
        whole, whole_cpu = medians([time_whole_workbook(figures, out) for _ in range(args.repeat)])
        size = (out / "figures-only.xlsx").stat().st_size
        sheet_peak = traced_peak(time_figures_sheet, figures, out)
        whole_peak = traced_peak(time_whole_workbook, figures, out)
    rate = args.figures / sheet
    print(f"{args.figures:,} figures, median of {args.repeat}")
    print(
        f"Figures sheet: {sheet:.2f} s wall ({sheet_cpu:.2f} s CPU) = {rate:,.0f} rows/s "
        f"({rate / TARGET_ROWS_PER_SECOND:.1f}x the {TARGET_ROWS_PER_SECOND:,} target; "
        f"{args.figures / sheet_cpu:,.0f} rows per CPU second), file {size / 1e6:.1f} MB, "
        f"traced peak {sheet_peak / 1e6:.0f} MB"
    )
    print(
        f"Whole workbook (Summary, Trend, Issues, Figures, Sources, About): {whole:.2f} s wall "
        f"({whole_cpu:.2f} s CPU) = {args.figures / whole:,.0f} figures/s, traced peak {whole_peak / 1e6:.0f} MB"
    )
    frame_size = figures.memory_usage(deep=True).sum()
    print(
        f"Input frame {frame_size / 1e6:.0f} MB; process peak resident size "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    print("PASS" if rate >= TARGET_ROWS_PER_SECOND else "BELOW TARGET")


if __name__ == "__main__":
    main()
