"""Each figure-level and within-report check, firing and not firing."""

from __future__ import annotations

import pytest

from schemas.checks import check_figures, check_reports, relations
from schemas.issues import issue_kinds
from tests.schemas.builders import figure, frame


def kinds(issues) -> list[str]:
    return sorted(issues["check"])


@pytest.mark.parametrize(
    ("bad", "good", "kind"),
    [
        ({"value": -3}, {"value": 0}, "value-negative"),
        ({"value": None}, {"value": 7}, "value-missing"),
        ({"unit": "kg"}, {"unit": "count"}, "unit-mismatch"),
        ({"value": 2.5}, {"value": 2}, "count-not-whole"),
        ({"metric": "sabotage"}, {"metric": "cases_detected"}, "metric-unknown"),
        ({"period_start": "2019-07-01"}, {"period_start": "2019-06-30"}, "period-reversed"),
        (
            {"period_start": "2999-01-01", "period_end": "2999-03-31"},
            {"period_start": "2020-01-01", "period_end": "2020-03-31"},
            "period-in-future",
        ),
        ({"quote": None}, {"quote": None, "locator": "Sheet1!C7"}, "provenance-missing"),
        ({"source": ""}, {"source": "b.txt"}, "provenance-missing"),
        ({"locator": " "}, {"locator": "row 5"}, "provenance-missing"),
    ],
)
def test_each_figure_check_fires_on_the_bad_figure_only(bad, good, kind):
    base = {"metric": "cases_detected", "value": 12}
    issues = check_figures(frame(figure(**{**base, **bad}), figure(**{**base, **good})))
    assert kinds(issues) == [kind]
    assert issues.loc[0, "severity"] == "error"


def test_money_must_be_whole_dong():
    issues = check_figures(frame(figure("fines_vnd", 1_500_000.5), figure("fines_vnd", 1_500_000)))
    assert kinds(issues) == ["money-not-whole"]
    assert "1500000.5" in issues.loc[0, "message_en"] and "quý II/2019" in issues.loc[0, "message_vi"]


def test_a_figure_message_names_unit_period_metric_value_and_place():
    bad = figure("cases_detected", -4, locator="L9:C12")
    message = check_figures(frame(bad))["message_vi"][0]
    for part in ("BĐBP tỉnh Quảng Ninh", "quý II/2019", "Số vụ", "-4", "a.txt", "L9:C12"):
        assert part in message


def test_unit_mismatch_says_which_unit_was_expected():
    issues = check_figures(frame(figure("heroin_grams", 3, unit="count")))
    assert issues.loc[0, "expected"] == "g" and "(expected g)" in issues.loc[0, "message_en"]


def test_a_figure_failing_two_rules_gets_two_issues_and_one_failing_nothing_none():
    issues = check_figures(frame(figure("admin_cases", -2.5), figure("admin_cases", 2)))
    assert kinds(issues) == ["count-not-whole", "value-negative"]
    assert issues["figure_id"].nunique() == 1


@pytest.mark.parametrize(
    ("metrics", "kind"),
    [
        ({"cases_detected": 10, "cases_prosecuted": 11}, "prosecuted-exceeds-detected"),
        ({"subjects_detected": 10, "subjects_prosecuted": 11}, "prosecuted-exceeds-detected"),
        ({"cases_detected": 10, "admin_cases": 6, "cases_prosecuted": 5}, "handled-exceeds-detected"),
        (
            {"subjects_detected": 10, "admin_subjects": 8, "subjects_prosecuted": 3},
            "handled-exceeds-detected",
        ),
        ({"cases_detected": 10, "cases_handed_over": 12}, "handed-over-exceeds-detected"),
        ({"subjects_detected": 10, "subjects_handed_over": 12}, "handed-over-exceeds-detected"),
        ({"cases_prosecuted": 2, "subjects_prosecuted": 0}, "prosecuted-without-subject"),
    ],
)
def test_each_relation_fires_and_the_consistent_report_does_not(metrics, kind):
    issues = check_reports(frame(*(figure(m, v) for m, v in metrics.items())))
    assert kind in set(issues["check"])
    assert len(issues.loc[issues["check"] == kind, "figure_ids"].iloc[0].split()) == len(metrics)
    consistent = {m: (v if m.endswith("detected") else 1) for m, v in metrics.items()}
    assert check_reports(frame(*(figure(m, v) for m, v in consistent.items()))).empty


def test_a_relation_uses_qualified_ranges():
    over = figure("cases_detected", 300, qualifier="over")
    assert check_reports(frame(over, figure("cases_prosecuted", 320))).empty
    under = figure("cases_detected", 50, qualifier="under")
    assert kinds(check_reports(frame(under, figure("cases_prosecuted", 51)))) == [
        "prosecuted-exceeds-detected"
    ]
    assert check_reports(
        frame(figure("cases_detected", 100, qualifier="approx"), figure("cases_prosecuted", 110))
    ).empty
    assert not check_reports(
        frame(figure("cases_detected", 100, qualifier="approx"), figure("cases_prosecuted", 111))
    ).empty


def test_relations_hold_within_one_report_only():
    detected = figure("cases_detected", 10)
    elsewhere = figure("cases_prosecuted", 20, reporting_unit="Công an tỉnh Quảng Ninh")
    other_category = figure("cases_prosecuted", 20, category="drugs")
    subset = figure("cases_prosecuted", 20, scope="subset")
    assert check_reports(frame(detected, elsewhere, other_category, subset)).empty


def test_a_sum_relation_message_names_both_metrics():
    issues = check_reports(
        frame(figure("cases_detected", 10), figure("admin_cases", 6), figure("cases_prosecuted", 5))
    )
    message = issues.loc[issues["check"] == "handled-exceeds-detected", "message_vi"].iloc[0]
    assert "(11)" in message and "(10)" in message and " + " in message


def test_every_relation_and_check_kind_is_catalogued():
    for relation in relations():
        assert relation.check in issue_kinds()
        assert relation.shape in {"at_most", "requires"}


def test_the_readme_lists_every_check_as_the_tables_define_it():
    from pathlib import Path

    from schemas.check_docs import checks_markdown

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert checks_markdown() in readme, (
        "README is stale: paste `python -m schemas.check_docs` into its Checks section"
    )


def test_the_facts_of_clean_figures_pass_the_rules_whatever_is_missing():
    from schemas.figure_rules import FigureRules, figure_facts

    for extra in ({}, {"period_start": None, "period_end": None}, {"metric": "sabotage"}):
        FigureRules.validate(figure_facts(frame(figure(**{"metric": "cases_detected", "value": 3, **extra}))))


def test_a_missing_column_is_an_invalid_figure_issue_not_silence():
    issues = check_figures(frame(figure("cases_detected", 3)).drop(columns="lang"))
    assert list(issues["check"]) == ["invalid-figure"] and "lang" in issues.loc[0, "message_en"]


def test_vietnamese_messages_write_numbers_the_vietnamese_way():
    issues = check_reports(
        frame(figure("fines_vnd", 0), figure("cases_detected", 1_200), figure("cases_prosecuted", 1_250))
    )
    assert "(1.250)" in issues.loc[0, "message_vi"] and "(1,250)" in issues.loc[0, "message_en"]
