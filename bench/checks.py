"""Every check on 1,000,000 figures: pandera (check_figures, check_reports) against the same conditions as
plain pandas boolean masks, side by side in one run, building the issue table included.

    python bench/checks.py [--rows 1000000] [--bad 0.01] [--repeat 3]

Prints the median seconds of each side, their ratio (target: pandera within 2x of the masks), and the
across-report checks (plain pandas on both sides, so timed once).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from schemas.catalog import CATEGORIES, QUALIFIERS, SCOPES, metrics
from schemas.checks import check_figures, check_reports, figure_issues
from schemas.cross_checks import check_across
from schemas.figures import FIGURE_COLUMNS, coerce_figures

METRICS = ["cases_detected", "cases_prosecuted", "subjects_prosecuted", "fines_vnd"]
VALUES = [40.0, 10.0, 12.0, 2_000_000.0]
SPOILERS = [
    "value-negative",
    "count-not-whole",
    "unit-mismatch",
    "provenance-missing",
    "period-reversed",
    "relation",
]


def make_figures(rows: int, bad_share: float, seed: int = 5) -> pd.DataFrame:
    """``rows`` figures in reports of four; ``bad_share`` of the cases_prosecuted figures spoilt in six ways."""
    n = np.arange(rows)
    report, slot = n // 4, n % 4
    sha = "c" * 64
    frame = pd.DataFrame(
        {
            "figure_id": [f"{sha[:12]}:L{i}:C1" for i in n],
            "source": [f"r{r % 5000}.txt" for r in report],
            "source_sha256": sha,
            "locator": [f"L{i}:C1" for i in n],
            "span_start": n,
            "span_end": n + 5,
            "line": n + 1,
            "quote": "phát hiện 40 vụ",
            "reporting_unit": [f"Đồn Biên phòng {r}" for r in report],
            "province": "Quảng Ninh",
            "period_start": "2019-04-01",
            "period_end": "2019-06-30",
            "period_label": "quý II/2019",
            "period_inferred": False,
            "published": "2019-07-05",
            "metric": np.array(METRICS)[slot],
            "category": "all",
            "scope": "period_total",
            "value": np.array(VALUES)[slot],
            "unit": np.where(slot == 3, "VND", "count"),
            "qualifier": "exact",
            "lang": "vi",
        },
        columns=FIGURE_COLUMNS,
    )
    return spoil(coerce_figures(frame), bad_share, seed)


def spoil(figures: pd.DataFrame, bad_share: float, seed: int) -> pd.DataFrame:
    figures = figures.copy()
    candidates = np.flatnonzero((figures["metric"] == "cases_prosecuted").to_numpy())
    rng = np.random.default_rng(seed)
    chosen = rng.choice(candidates, size=int(len(figures) * bad_share), replace=False)
    for k, spoiler in enumerate(SPOILERS):
        rows = figures.index[chosen[k :: len(SPOILERS)]]
        column, value = {
            "value-negative": ("value", -1.0),
            "count-not-whole": ("value", 2.5),
            "unit-mismatch": ("unit", "kg"),
            "provenance-missing": ("quote", None),
            "period-reversed": ("period_start", "2019-07-15"),
            "relation": ("value", 41.0),
        }[spoiler]
        figures.loc[rows, column] = value
    return figures


def pandera_side(figures: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([check_figures(figures), check_reports(figures)], ignore_index=True)


def masks_side(figures: pd.DataFrame) -> pd.DataFrame:
    """The same conditions as FigureModel and FigureRules, written as plain boolean masks."""
    units = {key: m.unit for key, m in metrics().items()}
    known = figures["metric"].isin(list(units))
    value, unit = figures["value"], figures["unit"]
    start = pd.to_datetime(figures["period_start"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(figures["period_end"], format="%Y-%m-%d", errors="coerce")
    locator = figures["locator"].fillna("")
    quoted = figures["quote"].fillna("").str.strip() != ""
    failing = {
        "figure_id": figures["figure_id"].duplicated(keep=False),
        "source_sha256": ~figures["source_sha256"].str.match(r"^[0-9a-f]{64}$"),
        "span": (figures["span_start"] < 0) | (figures["span_end"] < 0) | (figures["line"] < 1),
        "metric-unknown": ~known,
        "vocabulary": ~figures["category"].isin(CATEGORIES)
        | ~figures["scope"].isin(SCOPES)
        | ~figures["qualifier"].isin(QUALIFIERS)
        | ~unit.isin(["count", "VND", "g", "kg", "km"])
        | ~figures["lang"].isin(["vi", "en"]),
        "value-negative": value < 0,
        "value-missing": value.isna(),
        "unit-mismatch": known & (figures["metric"].map(units) != unit),
        "count-not-whole": (unit == "count") & (value % 1 != 0) & value.notna(),
        "money-not-whole": (unit == "VND") & (value % 1 != 0) & value.notna(),
        "period-reversed": (end - start).dt.days < 0,
        "period-in-future": start > pd.Timestamp.today().normalize(),
        "provenance-missing": (figures["source"].fillna("").str.strip() == "")
        | (locator.str.strip() == "")
        | (~quoted & locator.str.match(r"^L[0-9]+:C[0-9]+$")),
    }
    failures = pd.concat(
        [
            pd.DataFrame({"check": check, "index": figures.index[mask.to_numpy()]})
            for check, mask in failing.items()
        ]
    )
    return pd.concat([figure_issues(failures, figures), check_reports(figures)], ignore_index=True)


def timed_pair(first, second, frame: pd.DataFrame, repeat: int) -> tuple[float, object, float, object]:
    """Median seconds of two functions on ``frame``, run alternately so that load on the machine hits both."""
    seconds: tuple[list[float], list[float]] = ([], [])
    results: list[object] = [None, None]
    for _ in range(repeat):
        for k, function in enumerate((first, second)):
            started = time.perf_counter()
            results[k] = function(frame)
            seconds[k].append(time.perf_counter() - started)
    return statistics.median(seconds[0]), results[0], statistics.median(seconds[1]), results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bad", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warm = make_figures(1_000, args.bad)
    pandera_side(warm), masks_side(warm)  # build the schemas and caches once, outside the timings
    figures = make_figures(args.rows, args.bad)
    print(f"{len(figures):,} figures, {int(len(figures) * args.bad):,} spoilt; median of {args.repeat} runs")
    for name, function in (("clean", lambda: make_figures(args.rows, 0.0)), ("bad", lambda: figures)):
        frame = function()
        masks, by_masks, pandera, by_pandera = timed_pair(masks_side, pandera_side, frame, args.repeat)
        same = sorted(by_masks["figure_id"]) == sorted(by_pandera["figure_id"])
        print(
            f"{name:>5}: pandas masks {masks:6.2f} s, pandera {pandera:6.2f} s, ratio {pandera / masks:4.2f}x, "
            f"{len(by_pandera):,} issues (same figures on both sides: {same})"
        )
    started = time.perf_counter()
    by_across = check_across(figures)
    across = time.perf_counter() - started
    print(f"across reports (plain pandas, same on both sides): {across:.2f} s, {len(by_across):,} issues")


if __name__ == "__main__":
    main()
