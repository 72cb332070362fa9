"""Each check across reports, firing and not firing."""

from __future__ import annotations

import pandas as pd

from schemas.cross_checks import CROSS_CHECKS, check_across, duplicate_of
from schemas.issues import issue_kinds
from schemas.settings import CheckSettings
from tests.schemas.builders import figure, frame, months_from_january, quarter

POLICE = "Công an tỉnh Quảng Ninh"
GUARDS = "BĐBP tỉnh Quảng Ninh"
REGISTRY = CheckSettings(registry={"Quảng Ninh": (GUARDS, POLICE)})


def checks(figures, settings: CheckSettings | None = None) -> list[str]:
    return sorted(check_across(figures, settings)["check"])


def test_every_cross_check_is_a_catalogued_kind_with_a_one_line_rule():
    for kind, check in CROSS_CHECKS.items():
        assert kind in issue_kinds() and issue_kinds()[kind].scope == "across"
        assert check.__doc__ and "\n" not in check.__doc__.strip()


def test_two_sources_that_cannot_agree_are_a_conflict_naming_both():
    one, other = figure("cases_detected", 45), figure("cases_detected", 50, source="b.txt")
    issues = check_across(frame(one, other))
    assert list(issues["check"]) == ["figures-conflict"] and issues.loc[0, "severity"] == "error"
    assert "a.txt" in issues.loc[0, "message_vi"] and "b.txt" in issues.loc[0, "message_vi"]
    assert set(issues.loc[0, "figure_ids"].split()) == {one["figure_id"], other["figure_id"]}


def test_agreeing_duplicates_are_no_issue_and_counted_once():
    one = figure("cases_detected", 45)
    same = figure("cases_detected", 45, source="b.txt")
    near = figure("cases_detected", 47, source="c.txt", qualifier="approx")
    figures = frame(one, same, near)
    assert checks(figures) == []
    shown = duplicate_of(figures)
    assert pd.isna(shown[one["figure_id"]])
    assert shown[same["figure_id"]] == shown[near["figure_id"]] == one["figure_id"]


def test_two_figures_of_one_source_or_of_other_categories_are_not_a_conflict():
    assert checks(frame(figure("cases_detected", 45), figure("cases_detected", 50))) == []
    drugs = figure("cases_detected", 50, source="b.txt", category="drugs")
    assert checks(frame(figure("cases_detected", 45), drugs)) == []


def test_a_province_total_below_its_units_sum_is_an_error_with_the_difference():
    total = figure("cases_detected", 70, reporting_unit=None, source="tong.csv")
    units = [figure("cases_detected", 45), figure("cases_detected", 30, reporting_unit=POLICE)]
    issues = check_across(frame(total, *units))
    assert list(issues["check"]) == ["province-total-mismatch"]
    assert "-5" in issues.loc[0, "message_en"] and "75" in issues.loc[0, "message_en"]
    assert len(issues.loc[0, "figure_ids"].split()) == 3
    equal = figure("cases_detected", 75, reporting_unit="Ban Chỉ đạo 389 tỉnh Quảng Ninh")
    assert checks(frame(equal, *units)) == []


def test_a_province_total_above_its_units_is_an_error_only_when_every_registered_unit_reported():
    total = figure("cases_detected", 80, reporting_unit="Ban Chỉ đạo 389 tỉnh Quảng Ninh")
    guards = figure("cases_detected", 45)
    assert checks(frame(total, guards), REGISTRY) == ["unit-not-reported"]
    police = figure("cases_detected", 30, reporting_unit=POLICE)
    assert checks(frame(total, guards, police), REGISTRY) == ["province-total-mismatch"]


def test_year_to_date_figures_that_decrease_are_an_error():
    six = figure("cases_detected", 100, **months_from_january(2019, 6))
    nine = figure("cases_detected", 90, **months_from_january(2019, 9), source="b.txt")
    issues = check_across(frame(six, nine))
    assert list(issues["check"]) == ["year-to-date-decreasing"]
    assert issues.loc[0, "figure_id"] == nine["figure_id"] and "100" in issues.loc[0, "message_vi"]
    grows = figure("cases_detected", 120, **months_from_january(2019, 9), source="b.txt")
    next_year = figure("cases_detected", 90, **months_from_january(2020, 9), source="b.txt")
    assert checks(frame(six, grows, next_year)) == []


def test_a_change_beyond_three_times_from_the_previous_quarter_is_a_warning():
    before = figure("cases_detected", 10, **quarter(2019, 1))
    after = figure("cases_detected", 45, **quarter(2019, 2), source="b.txt")
    issues = check_across(frame(before, after))
    assert list(issues["check"]) == ["change-beyond-threshold"] and issues.loc[0, "severity"] == "warning"
    assert checks(frame(before, figure("cases_detected", 25, **quarter(2019, 2)))) == []
    small = figure("cases_detected", 5, **quarter(2019, 1))
    assert checks(frame(small, figure("cases_detected", 16, **quarter(2019, 2)))) == []
    fell = figure("cases_detected", 2, **quarter(2019, 2))
    assert checks(frame(figure("cases_detected", 30, **quarter(2019, 1)), fell)) == [
        "change-beyond-threshold"
    ]


def test_the_change_threshold_comes_from_the_settings():
    before = figure("cases_detected", 10, **quarter(2019, 1))
    after = figure("cases_detected", 45, **quarter(2019, 2))
    assert checks(frame(before, after), CheckSettings(change_factor=5)) == []


def test_periods_of_other_lengths_are_not_compared():
    half = figure("cases_detected", 10, **months_from_january(2019, 6))
    quarter_three = figure("cases_detected", 45, **quarter(2019, 3))
    assert checks(frame(half, quarter_three)) == []


def test_a_registered_unit_that_did_not_report_is_a_warning():
    issues = check_across(frame(figure("cases_detected", 45)), REGISTRY)
    assert list(issues["check"]) == ["unit-not-reported"] and issues.loc[0, "reporting_unit"] == POLICE
    assert "quý II/2019" in issues.loc[0, "message_vi"]
    both = frame(figure("cases_detected", 45), figure("cases_detected", 9, reporting_unit=POLICE.upper()))
    assert checks(both, REGISTRY) == []


def test_settings_come_from_a_parsed_config():
    settings = CheckSettings.from_config(
        {"checks": {"change_factor": 4, "unknown": 1}, "registry": {"Quảng Ninh": [GUARDS]}}
    )
    assert settings.change_factor == 4 and settings.registry == {"Quảng Ninh": (GUARDS,)}
    assert settings.speaks_for_province(None) and settings.speaks_for_province("BAN NỘI CHÍNH tỉnh ủy X")
    assert not settings.speaks_for_province(GUARDS)
