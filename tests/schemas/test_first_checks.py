from __future__ import annotations

import pytest

from schemas.checks import check_figures, check_reports, value_range
from schemas.figures import coerce_figures
from tests.schemas.builders import figure


def test_a_clean_report_has_no_issues():
    figures = coerce_figures([figure("cases_detected", 45), figure("cases_prosecuted", 30)])
    assert check_figures(figures).empty and check_reports(figures).empty


def test_more_prosecuted_than_detected_is_an_error_naming_both_figures():
    figures = coerce_figures([figure("cases_detected", 45), figure("cases_prosecuted", 52)])
    issues = check_reports(figures)
    assert list(issues["check"]) == ["prosecuted-exceeds-detected"]
    assert set(issues.loc[0, "figure_ids"].split()) == set(figures["figure_id"])
    assert "52" in issues.loc[0, "message_vi"] and "45" in issues.loc[0, "message_en"]


def test_an_approximate_total_leaves_room():
    figures = coerce_figures(
        [figure("cases_detected", 100, qualifier="approx"), figure("cases_prosecuted", 105)]
    )
    assert check_reports(figures).empty
    assert value_range(100, "approx") == pytest.approx((90, 110))


def test_a_negative_and_a_fractional_count_are_errors_at_their_figure():
    figures = coerce_figures([figure("cases_detected", -3), figure("admin_cases", 2.5)])
    issues = check_figures(figures)
    assert sorted(issues["check"]) == ["count-not-whole", "value-negative"]
    assert set(issues["figure_id"]) == set(figures["figure_id"])


def test_a_unit_that_does_not_match_the_catalog_is_an_error():
    figures = coerce_figures([figure("cases_detected", 3, unit="kg")])
    assert list(check_figures(figures)["check"]) == ["unit-mismatch"]
