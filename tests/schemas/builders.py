"""Small figure frames for the check tests: one call per figure, overriding only what a test is about."""

from __future__ import annotations

import itertools

import pandas as pd

from schemas.figures import coerce_figures

SHA = "b" * 64
_serial = itertools.count(1)


def figure(metric: str, value: float, **extra: object) -> dict:
    """A well-formed period total of the BĐBP of Quảng Ninh for Q2 2019, in ``a.txt``."""
    line = next(_serial)
    row = {
        "figure_id": f"{SHA[:12]}:L{line}:C1",
        "source": "a.txt",
        "source_sha256": SHA,
        "locator": f"L{line}:C1",
        "quote": f"{metric} {value}",
        "reporting_unit": "BĐBP tỉnh Quảng Ninh",
        "province": "Quảng Ninh",
        "period_start": "2019-04-01",
        "period_end": "2019-06-30",
        "period_label": "quý II/2019",
        "published": "2019-07-05",
        "metric": metric,
        "category": "all",
        "scope": "period_total",
        "value": value,
        "unit": "VND" if metric.endswith("_vnd") else "count",
        "qualifier": "exact",
        "lang": "vi",
    }
    row.update(extra)
    if "source" in extra and "figure_id" not in extra:
        row["figure_id"] = f"{extra['source']}:L{line}:C1"
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return coerce_figures(list(rows))


def quarter(year: int, q: int) -> dict[str, str]:
    """period_start, period_end and period_label of a calendar quarter."""
    start = pd.Timestamp(year=year, month=3 * q - 2, day=1)
    end = start + pd.offsets.QuarterEnd(0)
    return {
        "period_start": f"{start:%Y-%m-%d}",
        "period_end": f"{end:%Y-%m-%d}",
        "period_label": f"quý {q}/{year}",
    }


def months_from_january(year: int, months: int) -> dict[str, str]:
    end = pd.Timestamp(year=year, month=months, day=1) + pd.offsets.MonthEnd(0)
    return {
        "period_start": f"{year}-01-01",
        "period_end": f"{end:%Y-%m-%d}",
        "period_label": f"{months} tháng/{year}",
    }
