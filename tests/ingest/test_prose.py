from __future__ import annotations

import pytest

from ingest.extract import extract_figures
from tests.conftest import SEED

SEED_FIGURES = {
    ("cases_detected", 347, "exact"),
    ("subjects_detected", 430, "exact"),
    ("cases_prosecuted", 60, "exact"),
    ("subjects_prosecuted", 78, "exact"),
    ("admin_cases", 196, "exact"),
    ("admin_subjects", 279, "exact"),
    ("budget_collected_vnd", 700_000_000, "approx"),
    ("border_communes", 46, "exact"),
    ("officers_reinforced", 24, "exact"),
}


@pytest.fixture(scope="module")
def seed_figures():
    return extract_figures(SEED.read_bytes(), SEED.name)


def test_seed_gives_exactly_its_nine_figures(seed_figures):
    found = {(r.metric, int(r.value), r.qualifier) for r in seed_figures.itertuples()}
    assert found == SEED_FIGURES
    assert len(seed_figures) == 9


def test_seed_figures_carry_their_place_and_context(seed_figures):
    text = SEED.read_bytes().decode("utf-8")
    for figure in seed_figures.itertuples():
        assert figure.province == "Cao Bằng"
        assert figure.published == "2018-10-12"
        assert figure.reporting_unit == "Ban Nội chính Tỉnh ủy Cao Bằng"
        span = text[figure.span_start : figure.span_end]
        assert str(int(figure.value))[:3] in span.replace(".", "")
        assert figure.quote and span.split()[0] in figure.quote
        assert text.splitlines()[figure.line - 1][int(figure.locator.split(":C")[1]) - 1 :].startswith(span[:5])


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Năm 2019, lực lượng chức năng phát hiện, bắt giữ 1.234 vụ, 1.500 đối tượng.", {("cases_detected", 1234)}),
        ("Thu nộp ngân sách 1 tỷ 250 triệu đồng.", {("budget_collected_vnd", 1_250_000_000)}),
        ("Thu giữ 2,5 kg heroin và 12,345 gam ma túy đá.", {("heroin_grams", 2500), ("meth_grams", 12.345)}),
        ("Bắt giữ 02 vụ/05 đối tượng vận chuyển 6 bánh heroin.", {("cases_detected", 2), ("heroin_cakes", 6)}),
    ],
)
def test_number_forms(sentence, expected):
    found = {(r.metric, r.value) for r in extract_figures(sentence.encode(), "x.txt").itertuples()}
    assert expected <= found


@pytest.mark.parametrize(
    "sentence",
    [
        "Chỉ thị số 01/CT-TTg, ngày 09-01-2015 của Thủ tướng Chính phủ; Chỉ thị số 03-CT/TU ngày 01-02-2016.",
        "100% các tổ chức chính trị - xã hội được đánh giá khá, tốt; Ban Chỉ đạo 389 họp ngày 12/10/2018.",
        "Một là, đẩy mạnh tuyên truyền. Hai là, tăng 12 vụ so với cùng kỳ; hàng chục vụ chưa xử lý tại mốc 123.",
    ],
)
def test_things_that_look_like_numbers_are_not_figures(sentence):
    assert extract_figures(sentence.encode(), "x.txt").empty
