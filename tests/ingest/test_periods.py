from __future__ import annotations

import datetime as dt

import pytest

from ingest.periods import align_to_data_window, find_event_day, find_periods, find_published

PUBLISHED = dt.date(2022, 1, 10)


def spans(text: str) -> list[tuple[str, str, str, bool]]:
    return [
        (p.period.label, str(p.period.start), str(p.period.end), p.period.inferred)
        for p in find_periods(text, PUBLISHED)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "tăng 6 vụ so với quý III",
        "tăng 7 vụ so với tháng 2/2021",
        "giảm 9 vụ so với quý I/2021",
        "up 12 cases compared with the first six months of 2021",
        "Lò Văn T. (sinh năm 1989) bị bắt",
        "a man born in 1990 was arrested",
    ],
)
def test_comparisons_and_birth_years_are_not_periods(text):
    assert spans(text) == []


def test_a_comparison_leaves_the_period_before_it():
    assert spans("Trong tháng 12/2021, phát hiện 37 vụ, tăng 7 vụ so với tháng 11/2021.") == [
        ("tháng 12/2021", "2021-12-01", "2021-12-31", False)
    ]


@pytest.mark.parametrize(
    ("text", "start", "end", "inferred"),
    [
        ("In the first half of 2021, border guards handled", "2021-01-01", "2021-06-30", False),
        ("In the first half of the year, border guards", "2022-01-01", "2022-06-30", True),
        ("Trong nửa đầu năm 2021, các lực lượng", "2021-01-01", "2021-06-30", False),
    ],
)
def test_the_first_half_of_a_year(text, start, end, inferred):
    [(_, found_start, found_end, found_inferred)] = spans(text)
    assert (found_start, found_end, found_inferred) == (start, end, inferred)


def test_a_year_supplied_from_the_date_line_never_puts_a_period_after_the_report():
    assert spans("Trong quý IV, các đơn vị phát hiện")[0][1:] == ("2021-10-01", "2021-12-31", True)
    assert spans("Trong quý I, các đơn vị phát hiện")[0][1:] == ("2022-01-01", "2022-03-31", True)
    # an open end is the date line itself: only the start goes back a year
    assert spans("Từ ngày 20/12 đến nay, phát hiện")[0][1:] == ("2021-12-20", "2022-01-10", True)
    day = find_event_day("Ngày 2/11, tổ công tác bắt quả tang", PUBLISHED)
    assert day and (day.start, day.inferred) == (dt.date(2021, 11, 2), True)


def test_an_official_document_is_dated_by_the_line_under_its_number():
    head = (
        "UBND TỈNH LÀO CAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 215/BC-UBND\nLào Cai, ngày 15 tháng 12 năm 2023\nBÁO CÁO\nNgày 2/11/2023, tổ công tác bắt quả tang"
    )
    assert find_published(head) == dt.date(2023, 12, 15)
    assert find_published("Tin nhanh\nThứ Hai, 15/05/2023 10:30\nNội dung") == dt.date(2023, 5, 15)


def test_an_english_date_line():
    assert find_published("Border guards seize meth\n\nTuesday, March 12, 2024, 4:15 pm") == dt.date(
        2024, 3, 12
    )
    assert find_published("Title\n12 March 2024") == dt.date(2024, 3, 12)


def test_months_from_the_start_of_the_year_and_lengths_of_time():
    assert spans("Từ đầu năm 2021 đến hết tháng 9, phát hiện")[0][1:] == ("2021-01-01", "2021-09-30", False)
    assert spans("Trong 9 tháng, phát hiện")[0][1:] == ("2022-01-01", "2022-09-30", True)
    assert spans("9 tháng qua, phát hiện")[0][1:] == ("2022-01-01", "2022-09-30", True)
    assert spans("Chị H. trở về sau 5 tháng làm thuê") == []


def test_a_stated_data_window_stands_for_the_calendar_period_it_covers():
    text = (
        "Năm 2023 (số liệu từ ngày 16/12/2022 đến ngày 15/12/2023), bắt 45 vụ; riêng tháng 3/2023 bắt 4 vụ."
    )
    periods = [
        (str(m.period.start), str(m.period.end)) for m in align_to_data_window(find_periods(text, None))
    ]
    assert periods == [
        ("2022-12-16", "2023-12-15"),
        ("2022-12-16", "2023-12-15"),
        ("2023-03-01", "2023-03-31"),
    ]


def test_last_year_is_the_year_before_the_date_line_unless_it_is_compared_with():
    published = dt.date(2024, 3, 12)
    found = find_periods(
        "Last year, they detected 182 cases, up 9% over the same period last year.", published
    )
    assert [(str(m.period.start), m.period.inferred) for m in found] == [("2023-01-01", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "From December 16 last year to June 15, guards detected 78 cases.",
            ("2023-12-16", "2024-06-15", True),
        ),
        ("From March 1 to May 31, 2024, police detected 12 cases.", ("2024-03-01", "2024-05-31", False)),
        ("From December 1 to January 15, customs seized 3 kg.", ("2023-12-01", "2024-01-15", True)),
    ],
)
def test_english_ranges_of_days(text, expected):
    (found,) = find_periods(text, dt.date(2024, 7, 1))
    assert (str(found.period.start), str(found.period.end), found.period.inferred) == expected


def test_days_of_one_month():
    (found,) = find_periods("Trong các ngày từ 14 đến 16/10, công an bắt 5 đối tượng.", dt.date(2023, 10, 20))
    assert (str(found.period.start), str(found.period.end), found.period.inferred) == (
        "2023-10-14",
        "2023-10-16",
        True,
    )


def test_a_comparison_with_the_end_of_a_year_is_no_period():
    assert find_periods("số người nghiện giảm 187 người so với cuối năm 2022.", dt.date(2023, 6, 20)) == []
