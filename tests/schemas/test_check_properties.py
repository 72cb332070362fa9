"""Properties: consistent reports never raise an error; a batch with 1% bad figures reports exactly those."""

from __future__ import annotations

import random

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.checks import check_figures, check_reports
from schemas.cross_checks import check_across
from schemas.settings import CheckSettings
from tests.schemas.builders import figure, frame, months_from_january, quarter

UNITS = ["BĐBP tỉnh Quảng Ninh", "Công an tỉnh Quảng Ninh", "Cục Hải quan tỉnh Quảng Ninh"]


@st.composite
def unit_quarter(draw: st.DrawFn) -> dict[str, int]:
    """Case-handling figures of one unit for one quarter that satisfy every relation."""
    cases = draw(st.integers(0, 500))
    prosecuted = draw(st.integers(0, cases))
    admin = draw(st.integers(0, cases - prosecuted))
    subjects = draw(st.integers(cases, 3 * cases + 5))
    subjects_prosecuted = draw(st.integers(min(prosecuted, 1), max(min(prosecuted, 1), subjects - admin)))
    return {
        "cases_detected": cases,
        "cases_prosecuted": prosecuted,
        "admin_cases": admin,
        "cases_handed_over": draw(st.integers(0, cases)),
        "subjects_detected": subjects,
        "subjects_prosecuted": min(subjects_prosecuted, subjects),
        "admin_subjects": min(admin, subjects - min(subjects_prosecuted, subjects)),
        "fines_vnd": draw(st.integers(0, 10**10)),
    }


def report_figures(unit: str, q: int, values: dict[str, int], source: str, approx: bool) -> list[dict]:
    qualifier = "approx" if approx else "exact"
    return [
        figure(metric, value, reporting_unit=unit, source=source, qualifier=qualifier, **quarter(2019, q))
        for metric, value in values.items()
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(UNITS), st.integers(1, 4), unit_quarter(), st.booleans()), max_size=8),
    st.booleans(),
)
def test_consistent_reports_never_raise_an_error(reports, with_province_total):
    rows, kept = [], {}
    for unit, q, values, approx in reports:
        if (unit, q) in kept:
            continue  # one report per unit and quarter: two would be a conflict, not a consistent batch
        kept[unit, q] = values["cases_detected"]
        rows += report_figures(unit, q, values, f"{unit}-{q}.txt", approx)
        rows += report_figures(unit, q, values, f"copy-{unit}-{q}.txt", approx)  # an agreeing duplicate
    if with_province_total:
        for q in {q for _, q in kept}:
            total = sum(cases for (_, kept_q), cases in kept.items() if kept_q == q)
            rows.append(
                figure("cases_detected", total, reporting_unit=None, source="tong.csv", **quarter(2019, q))
            )
    rows += year_to_date_figures(kept)
    figures = frame(*rows) if rows else frame()
    settings_ = CheckSettings(registry={"Quảng Ninh": tuple(UNITS)})
    for issues in (check_figures(figures), check_reports(figures), check_across(figures, settings_)):
        assert not (issues["severity"] == "error").any(), issues["message_en"].tolist()


def year_to_date_figures(kept: dict[tuple[str, int], int]) -> list[dict]:
    """Each unit's cases from 1 January to the end of each quarter it reported: sums that never decrease."""
    rows = []
    for unit in {unit for unit, _ in kept}:
        quarters = sorted(q for u, q in kept if u == unit)
        for q in quarters:
            cases = sum(kept[unit, earlier] for earlier in quarters if earlier <= q)
            rows.append(
                figure(
                    "cases_detected",
                    cases,
                    reporting_unit=unit,
                    source=f"ytd-{unit}-{q}.txt",
                    **months_from_january(2019, 3 * q),
                )
            )
    return rows


def consistent_batch(size: int) -> list[dict]:
    """``size`` figures in reports of four figures that satisfy every relation and figure rule."""
    rows = []
    for report in range(size // 4):
        where = {"source": f"r{report}.txt", "reporting_unit": f"Đồn Biên phòng {report}"}
        rows += [
            figure("cases_detected", 40, **where),
            figure("cases_prosecuted", 10, **where),
            figure("subjects_prosecuted", 12, **where),
            figure("fines_vnd", 2_000_000, **where),
        ]
    return rows


SPOILERS = [
    {"value": -1},
    {"value": 2.5},
    {"unit": "kg"},
    {"quote": None},
    {"period_start": "2019-07-15"},
    {"metric": "cases_prosecuted", "value": 41},  # more prosecuted than the report's 40 detected
]


def test_a_batch_with_one_percent_bad_figures_reports_exactly_those():
    rows = consistent_batch(4_000)
    chosen = random.Random(5).sample([i for i, r in enumerate(rows) if r["metric"] == "cases_prosecuted"], 40)
    bad = set()
    for n, i in enumerate(chosen):
        rows[i] = {**rows[i], **SPOILERS[n % len(SPOILERS)]}
        bad.add(rows[i]["figure_id"])
    figures = frame(*rows)
    issues = pd.concat([check_figures(figures), check_reports(figures)])
    assert set(issues["figure_id"]) == bad
    assert len(issues) == len(bad)
