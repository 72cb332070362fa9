from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.numbers import find_numbers, format_vi, parse_number


@given(st.integers(min_value=0, max_value=10**12))
def test_a_whole_number_written_the_vietnamese_way_reads_back_as_itself(value):
    written = format_vi(value)
    [match] = find_numbers(f"phát hiện {written} vụ", "vi")
    assert parse_number(match.group("num")) == value


@given(st.integers(min_value=0, max_value=999_999), st.integers(min_value=1, max_value=99))
def test_a_decimal_comma_is_a_decimal(whole, fraction):
    assert parse_number(f"{whole},{fraction:02d}") == float(f"{whole}.{fraction:02d}")


def test_scale_words_compound():
    assert parse_number("1 tỷ 250 triệu") == 1_250_000_000
    assert parse_number("năm triệu") == 5_000_000
    assert parse_number("1.1 billion", "en") == 1_100_000_000
    assert parse_number("13,200", "en") == 13_200


def test_a_unit_written_against_a_number_ends_it_and_a_letter_does_not():
    found = [m["num"] for m in find_numbers("120kg, 206km, 96,4g, biển số 14c-385, mật danh 825l", "vi")]
    assert found == ["120", "206", "96,4"]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("hai mươi lăm", 25),
        ("mười hai", 12),
        ("một trăm linh năm", 105),
        ("tám nghìn sáu trăm", 8600),
        ("một nghìn năm trăm", 1500),
        ("mười lăm tỷ", 15e9),
        ("một tỷ hai trăm triệu", 1.2e9),
        ("hai nghìn tỷ", 2e12),
    ],
)
def test_vietnamese_numbers_in_words(words, value):
    assert parse_number(words, "vi") == value
