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
        assert text.splitlines()[figure.line - 1][int(figure.locator.split(":C")[1]) - 1 :].startswith(
            span[:5]
        )


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Năm 2019, lực lượng chức năng phát hiện, bắt giữ 1.234 vụ, 1.500 đối tượng.",
            {("cases_detected", 1234)},
        ),
        ("Thu nộp ngân sách 1 tỷ 250 triệu đồng.", {("budget_collected_vnd", 1_250_000_000)}),
        ("Thu giữ 2,5 kg heroin và 12,345 gam ma túy đá.", {("heroin_grams", 2500), ("meth_grams", 12.345)}),
        ("Thu giữ 3kg ma túy đá và 96,4g heroin.", {("meth_grams", 3000), ("heroin_grams", 96.4)}),
        (
            "Bắt giữ 02 vụ/05 đối tượng vận chuyển 6 bánh heroin.",
            {("cases_detected", 2), ("heroin_cakes", 6)},
        ),
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


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Thu nộp ngân sách nhà nước 5 tỷ đồng.", ("budget_collected_vnd", 5e9, "exact")),
        ("Xử phạt hành chính 2 vụ, phạt tiền năm triệu đồng.", ("fines_vnd", 5e6, "exact")),
        ("Thu giữ hơn 2,3 tấn pháo nổ các loại.", ("firecrackers_kg", 2300, "over")),
        (
            "Bắt giữ 01 đối tượng, thu giữ 6 bánh heroin, tổng trọng lượng 2,1 kg.",
            ("heroin_grams", 2100, "exact"),
        ),
        ("Tỉnh có đường biên giới dài 333,403 km.", ("border_length_km", 333.403, "exact")),
        ("Các đơn vị đã bắt giữ dưới 50 vụ buôn lậu.", ("cases_detected", 50, "under")),
        ("The force seized 1,250 grams of heroin and handled 13,216 cases.", ("heroin_grams", 1250, "exact")),
        ("Administrative fines totalled VND 1.1 billion.", ("fines_vnd", 1.1e9, "exact")),
    ],
)
def test_language_traps(sentence, expected):
    found = {
        (r.metric, r.value, r.qualifier) for r in extract_figures(sentence.encode(), "x.txt").itertuples()
    }
    assert expected in found


@pytest.mark.parametrize(
    "sentence",
    [
        "Đối tượng mang theo ba lô chứa hàng; người vi phạm có thể bị phạt tiền đến 20 triệu đồng.",
        "Tỉnh có đường biên giới trải trên 7 huyện; tăng 35 vụ so với năm 2019, giảm 5,2% so với cùng kỳ.",
        "Đối tượng Nguyễn Văn A (SN 1985, 34 tuổi) trú tại bản Nà Hỳ; hàng chục vụ, hàng trăm đối tượng.",
    ],
)
def test_more_things_that_are_not_figures(sentence):
    assert extract_figures(sentence.encode(), "x.txt").empty


def test_a_breakdown_after_trong_do_is_a_subset_with_its_category():
    text = "Năm 2019, phát hiện, bắt giữ 412 vụ, 538 đối tượng; trong đó: ma túy 58 vụ, 81 đối tượng."
    rows = {(r.value, r.scope, r.category) for r in extract_figures(text.encode(), "x.txt").itertuples()}
    assert {(412, "period_total", "all"), (58, "subset", "drugs"), (81, "subset", "drugs")} <= rows


def test_items_of_a_list_opened_by_trong_do_are_breakdowns_of_the_total():
    text = (
        "Báo cáo quý II/2022\n"
        "Trong quý II/2022, các lực lượng đã phát hiện, bắt giữ 214 vụ vi phạm; trong đó:\n"
        "a) Buôn lậu qua biên giới: 27 vụ;\n"
        "b) Gian lận thương mại: 118 vụ.\n"
        "Các lực lượng đã khởi tố 11 vụ."
    )
    rows = [
        (r.metric, r.value, r.scope, r.category) for r in extract_figures(text.encode(), "x.txt").itertuples()
    ]
    assert rows == [
        ("cases_detected", 214, "period_total", "all"),
        ("cases_detected", 27, "subset", "smuggling"),
        ("cases_detected", 118, "subset", "trade_fraud"),
        ("cases_prosecuted", 11, "period_total", "all"),
    ]


def test_a_sum_in_ty_that_ends_the_clause_is_money_without_dong():
    text = "Năm 2022, tổng trị giá hàng hóa vi phạm ước tính 15,7 tỷ. Bắt giữ 1,5 tỷ lượt người là không có."
    rows = [(r.metric, r.value, r.qualifier) for r in extract_figures(text.encode(), "x.txt").itertuples()]
    assert rows == [("goods_value_vnd", 15_700_000_000, "approx")]


def rows_of(text: str, *columns: str) -> list[tuple]:
    found = extract_figures(text.encode(), "x.txt")
    return list(found[list(columns)].itertuples(index=False, name=None))


def test_a_list_of_what_was_seized_names_each_substance_in_its_label():
    text = (
        "Năm 2024, thu giữ tang vật gồm:\n- Heroin: 19,6 kg;\n- Ma túy đá: 37,85 kg;\n- Cần sa khô: 2.150 gam;\n"
        "- Ma túy tổng hợp dạng viên: 482.300 viên;\n- Heroin: 56 bánh."
    )
    assert rows_of(text, "metric", "value") == [
        ("heroin_grams", 19600),
        ("meth_grams", 37850),
        ("cannabis_grams", 2150),
        ("synthetic_drug_pills", 482300),
        ("heroin_cakes", 56),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Năm 2024 có 15 vụ vắng chủ.", [("cases_unowned", 15)]),
        (
            "Năm 2024 xử lý 96 vụ, phạt 871,2 triệu đồng.",
            [("cases_detected", 96), ("fines_vnd", 871_200_000)],
        ),
        ("Năm 2024, thuế giá trị gia tăng hàng nhập khẩu 1.402,7 tỷ đồng.", []),
        ("Năm 2024, mức phạt cao nhất 50 triệu đồng.", []),
        ("Năm 2024, phấn đấu đấu tranh thành công ít nhất 02 chuyên án.", []),
        ("Quý I/2024, số thu ngân sách từ hoạt động xuất nhập khẩu: 2.185,6 tỷ đồng.", []),
        ("Năm 2024 xử lý 34 vụ; 02 vụ đang xác minh.", [("cases_detected", 34)]),
        (
            "Năm 2018, bắt giữ hai mươi lăm vụ, thu giữ hơn tám nghìn sáu trăm bao thuốc lá.",
            [("cases_detected", 25), ("cigarettes_packs", 8600)],
        ),
        (
            "Năm 2024 bắt 486 vụ, 612 đối tượng (tăng 38 vụ, 41 đối tượng so với năm 2023).",
            [("cases_detected", 486), ("subjects_detected", 612)],
        ),
        (
            "Năm 2025 xử phạt 03 vụ; 01 vụ còn lại chuyển Công an xã.",
            [("admin_cases", 3), ("cases_handed_over", 1)],
        ),
        (
            "Tỉnh có 7 huyện, 40 xã biên giới; 20 xã, phường biên giới.",
            [("border_districts", 7), ("border_communes", 40), ("border_communes", 20)],
        ),
        ("Xuồng máy luồn lách ở cửa sông Ka Long, cách cầu khoảng 3 km.", []),
        ("Năm 2024 bắt đối tượng vận chuyển heroin, gồm 4 bánh, và 20 viên đạn.", [("heroin_cakes", 4)]),
        ("Năm 2024, thuốc lá điếu nhập lậu (tạm giữ 268.450 bao).", [("cigarettes_packs", 268_450)]),
        ("Năm 2022, tổng thu ngân sách trên địa bàn ước đạt 1.126 tỷ đồng; giải ngân 2.045 tỷ đồng.", []),
        ("Năm 2023, khoản thu này lần đầu vượt mốc 10 tỷ đồng; thu nộp không dưới 90 tỷ đồng.", []),
        ("Năm 2021, đồn tu bổ 2 cột mốc; khu vực này sản xuất khoảng 250 tấn ma túy tổng hợp mỗi năm.", []),
        ("Năm 2024 xử phạt 94 trường hợp, lập hồ sơ đưa 412 người đi cai nghiện.", [("admin_cases", 94)]),
        (
            "Năm 2024 thu giữ 27,5 kg pháo nổ, 12 kg pháo hoa và 3 kg pháo hoa nổ.",
            [("firecrackers_kg", 27.5), ("firecrackers_kg", 3)],
        ),
        ("Năm 2024 có 2.146 người nghiện ma túy; đưa 312 người đi cai nghiện bắt buộc.", []),
        (
            "Năm 2024 bắt 500 vụ. Phân theo hành vi: mua bán ma túy 214 vụ/338 đối tượng; tàng trữ 402 vụ.",
            [
                ("cases_detected", 500),
                ("cases_detected", 214),
                ("subjects_detected", 338),
                ("cases_detected", 402),
            ],
        ),
        (
            "Năm 2024 xử phạt 2.874 đối tượng, trong đó 219 tổ chức, doanh nghiệp.",
            [("admin_subjects", 2874), ("admin_subjects", 219)],
        ),
    ],
)
def test_words_of_official_reports(sentence, expected):
    assert rows_of(sentence, "metric", "value") == expected


def test_a_dash_after_a_line_cut_at_the_width_goes_on_and_a_mass_ending_its_clause_names_its_substance_before():
    lines = [
        "Báo cáo năm 2023 của Bộ Tư lệnh Bộ đội Biên phòng về công tác phòng, chống ma túy",
        "Hà Nội, ngày 20 tháng 12 năm 2023",
        "Năm 2023, Bộ đội Biên phòng phát hiện, bắt giữ 4.516 vụ phạm tội về ma túy;",
        "đấu tranh thành công 186 chuyên án. Phân theo tuyến: biên giới Việt Nam",
        "- Lào 2.012 vụ; biên giới Việt Nam - Trung Quốc 584 vụ. Tổng số ma túy thu",
        "giữ trên 4,2 tấn, gồm: 1.102,4 kg heroin; 38,6 kg thuốc phiện và nhiều",
        "loại khác.",
        "- Một dòng ngắn",
        "- Lào là nước láng giềng.",
    ]
    assert rows_of("\n".join(lines), "metric", "value", "scope") == [
        ("cases_detected", 4516, "period_total"),
        ("special_cases_cracked", 186, "period_total"),
        ("cases_detected", 2012, "subset"),
        ("cases_detected", 584, "subset"),
        ("drugs_total_grams", 4_200_000, "period_total"),
        ("heroin_grams", 1_102_400, "period_total"),
        ("opium_grams", 38_600, "period_total"),
    ]


def test_a_legal_threshold_is_not_a_figure():
    text = "Năm 2023 thu giữ 2 kg heroin. Người vận chuyển từ 100 gam heroin trở lên có thể bị phạt tù chung thân."
    assert rows_of(text, "metric", "value") == [("heroin_grams", 2000)]


def test_items_of_a_list_carry_the_action_and_a_count_label_names_the_noun():
    text = (
        "Báo cáo tháng 01/2024\n"
        "Các chỉ tiêu chính trong tháng như sau:\n"
        "- Số vụ phát hiện: 125 vụ, trong đó buôn lậu 78 vụ, gian lận thương mại 31 vụ.\n"
        "- Số đối tượng: 160.\n"
        "- Xử phạt hành chính: 2.146,5 tr.đ."
    )
    assert rows_of(text, "metric", "value", "category") == [
        ("cases_detected", 125, "all"),
        ("cases_detected", 78, "smuggling"),
        ("cases_detected", 31, "trade_fraud"),
        ("subjects_detected", 160, "all"),
        ("fines_vnd", 2_146_500_000, "all"),
    ]


def test_an_english_incident_on_a_weekday_is_dated_from_the_date_line():
    text = (
        "Border guards seize meth pills\n"
        "Thursday, 14/03/2024, 10:00 [GMT+7]\n"
        "Border guards in Quang Tri on Tuesday arrested two Lao men and seized 12,000 methamphetamine pills."
    )
    assert rows_of(text, "metric", "value", "scope", "period_start") == [
        ("subjects_detected", 2, "incident", "2024-03-12"),
        ("synthetic_drug_pills", 12000, "incident", "2024-03-12"),
    ]


def test_a_label_before_a_colon_can_say_what_is_counted():
    text = "Trong tháng 01/2024, xử lý hành chính 117 vụ (không xác định được chủ sở hữu: 39 vụ)."
    assert rows_of(text, "metric", "value") == [("admin_cases", 117), ("cases_unowned", 39)]


def test_english_opens_a_sentence_with_a_spelled_number_and_breaks_a_total_down_with_of_those():
    text = "In 2021 border guards handled 47 drug cases. Twenty-four of those cases were handled by one post."
    assert rows_of(text, "metric", "value", "scope") == [
        ("cases_detected", 47, "period_total"),
        ("cases_detected", 24, "subset"),
    ]


def test_a_figure_whose_action_follows_it_in_the_passive():
    text = "Trong năm 2023, hơn 1.700 vụ phạm tội về ma túy bị phát hiện. In 2023, 35 suspects were detained."
    assert rows_of(text, "metric", "value", "qualifier") == [
        ("cases_detected", 1700, "over"),
        ("subjects_detected", 35, "exact"),
    ]


def test_a_passive_names_its_agent_or_sets_words_off_by_commas_before_the_action():
    text = (
        "Năm 2023, có 143 vụ việc đã được các lực lượng chức năng phát hiện; 56 đối tượng đã bị Công an tỉnh "
        "bắt giữ."
    )
    assert rows_of(text, "metric", "value") == [("cases_detected", 143), ("subjects_detected", 56)]
    english = "In March 2024, police found the drugs in a truck. Two suspects, aged 29 and 33, were arrested."
    assert rows_of(english, "metric", "value") == [("subjects_detected", 2)]
    partitive = (
        "In 2020, border guards detected 1,200 people crossing illegally. More than 300 of those people, in 97 "
        "cases, were handed over to the police."
    )
    assert rows_of(partitive, "metric", "value")[1:] == [
        ("subjects_handed_over", 300),
        ("cases_handed_over", 97),
    ]


def test_a_passive_that_ends_the_sentence_governs_the_figures_listed_before_it():
    text = (
        "Since the beginning of 2024, 46 drug cases involving 71 suspects, together with more than 90 kg of meth, "
        "have been handled by border guards. 22,017 cases against 36,480 defendants were also prosecuted."
    )
    assert rows_of(text, "metric", "value") == [
        ("cases_detected", 46),
        ("subjects_detected", 71),
        ("meth_grams", 90_000),
        ("cases_prosecuted", 22_017),
        ("subjects_prosecuted", 36_480),
    ]


def test_english_reports_tell_the_action_after_the_figures():
    text = (
        "In 2020, more than 2,300 people who slipped across the border have since January been caught. The "
        "crossings were detected in 1,176 separate cases. Cambodian authorities handed back 512 Vietnamese "
        "citizens. An Giang shares a nearly 100-kilometer border with Cambodia. A total of 3,947 cases of "
        "smuggling, worth an estimated VND2.94 trillion, were uncovered in 2020."
    )
    assert rows_of(text, "metric", "value") == [
        ("subjects_detected", 2300),
        ("cases_detected", 1176),
        ("persons_received", 512),
        ("border_length_km", 100),
        ("cases_detected", 3947),
        ("goods_value_vnd", 2_940_000_000_000),
    ]


def test_the_first_item_after_a_line_that_ends_with_a_colon_goes_on_from_the_sentence_before():
    text = (
        "Báo cáo năm 2024\nNăm 2024, phát hiện và xử lý 1.237 vụ vi phạm. Phân theo hành vi vi phạm:\n"
        "- Buôn bán hàng nhập lậu: 214 vụ;\n- Hàng giả: 117 vụ."
    )
    assert rows_of(text, "metric", "value", "scope")[1:] == [
        ("cases_detected", 214, "subset"),
        ("cases_detected", 117, "subset"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In 2023, customs intercepted 186,000 packs of cigarettes.", [("cigarettes_packs", 186_000)]),
        ("In 2023, the province recorded 312 smuggling cases.", [("cases_detected", 312)]),
        ("In 2023, Cambodia repatriated 512 Vietnamese citizens.", [("persons_received", 512)]),
        ("In 2023, prosecutors indicted 41 defendants.", [("subjects_prosecuted", 41)]),
        ("In 2023, the customs seized VND12 billion worth of smuggled goods.", [("goods_value_vnd", 12e9)]),
        (
            "In 2023, 22 others were fined a total of VND186 million.",
            [("admin_subjects", 22), ("fines_vnd", 186e6)],
        ),
        ("In 2023, Thailand seized close to 1 billion tablets and 48 tons of methamphetamine.", []),
        (
            "In 2023, officers found a 2.1kg bag of crystal meth and one K54 pistol.",
            [("meth_grams", 2100), ("seized_guns", 1)],
        ),
        ("In 2023, some porters may carry 20,000 pills, worth less than VND100 million each.", []),
    ],
)
def test_english_verbs_of_enforcement(sentence, expected):
    assert rows_of(sentence, "metric", "value") == expected


def test_a_heading_names_the_action_its_lines_count_with():
    text = (
        "Báo cáo 9 tháng năm 2023\n1. Số vụ, đối tượng phát hiện, bắt giữ\n- Tổng số: 38 vụ/51 đối tượng\n"
        "2. Khởi tố\n- Tổng số: 5 vụ/7 bị can"
    )
    assert rows_of(text, "metric", "value") == [
        ("cases_detected", 38),
        ("subjects_detected", 51),
        ("cases_prosecuted", 5),
        ("subjects_prosecuted", 7),
    ]


def test_the_first_action_of_a_label_is_what_it_counts():
    text = "Năm 2024:\n- Chuyển giao cho cơ quan khác xử lý theo thẩm quyền: 21 vụ;\n- Thu nộp ngân sách: 3,2 tỷ đồng (trong đó tiền phạt: 1,85 tỷ đồng)."
    assert rows_of(text, "metric", "value") == [
        ("cases_handed_over", 21),
        ("budget_collected_vnd", 3_200_000_000),
        ("fines_vnd", 1_850_000_000),
    ]


def test_a_breakdown_by_unit_continues_the_total_it_adds_up_to():
    text = (
        "Báo cáo nhanh tháng 01/2024\nTháng 01/2024, các lực lượng phát hiện, bắt giữ 125 vụ.\n"
        "- Số vụ xử lý hành chính: 117 vụ.\n"
        "Theo đơn vị thực hiện: Bộ đội Biên phòng tỉnh 41 vụ; Công an tỉnh 33 vụ; Cục Hải quan 19 vụ; "
        "Cục Quản lý thị trường 32 vụ."
    )
    assert rows_of(text, "metric", "value", "scope")[2:] == [
        ("cases_detected", 41, "subset"),
        ("cases_detected", 33, "subset"),
        ("cases_detected", 19, "subset"),
        ("cases_detected", 32, "subset"),
    ]


def test_a_breakdown_that_adds_up_to_no_other_total_keeps_the_action_before_it():
    text = (
        "Báo cáo tháng 01/2024\nTháng 01/2024, các lực lượng phát hiện, bắt giữ 125 vụ.\n"
        "- Số vụ xử lý hành chính: 117 vụ.\nTheo đơn vị thực hiện: Bộ đội Biên phòng tỉnh 41 vụ; Công an 33 vụ."
    )
    assert [metric for metric, _ in rows_of(text, "metric", "value")[2:]] == ["admin_cases", "admin_cases"]


def test_a_list_by_domain_after_a_sentence_on_money_continues_the_first_count_of_cases():
    text = (
        "Báo cáo quý 2/2023\nQuý 2/2023, lực lượng quản lý thị trường phát hiện và xử lý 618 vụ vi phạm. "
        "Trị giá hàng hóa vi phạm là 327,2 triệu đồng.\nTheo lĩnh vực:\n"
        "+ Hàng cấm, hàng nhập lậu: 96 vụ, phạt 871,2 triệu đồng;\n+ Hàng giả: 52 vụ, phạt 498 triệu đồng."
    )
    assert rows_of(text, "metric", "value")[2:] == [
        ("cases_detected", 96),
        ("fines_vnd", 871_200_000),
        ("cases_detected", 52),
        ("fines_vnd", 498_000_000),
    ]


def test_a_hand_over_by_the_other_side_is_a_reception():
    text = "Năm 2023, 1.580 người đã được phía bạn bàn giao; 12 đối tượng được Đồn Biên phòng bàn giao cho Công an."
    assert rows_of(text, "metric", "value") == [("persons_received", 1580), ("subjects_handed_over", 12)]


def test_a_sentence_that_only_sorts_counts_by_force_breaks_the_total_before_it_down():
    text = "Năm 2023, toàn tỉnh phát hiện 250 vụ. Công an 120 vụ, BĐBP 80 vụ. Công an tỉnh có 1.200 cán bộ."
    assert rows_of(text, "metric", "value", "scope") == [
        ("cases_detected", 250, "period_total"),
        ("cases_detected", 120, "subset"),
        ("cases_detected", 80, "subset"),
    ]


def test_counts_sorted_by_domain_with_no_action_anywhere_are_counts_of_what_was_found():
    text = "Năm 2023. Kết quả: ma túy 45 vụ/60 đối tượng; buôn lậu 120 vụ. Đoàn có 12 người tham gia."
    assert rows_of(text, "metric", "value", "category") == [
        ("cases_detected", 45, "drugs"),
        ("subjects_detected", 60, "drugs"),
        ("cases_detected", 120, "smuggling"),
    ]


def test_a_breakdown_by_domain_continues_the_action_before_it():
    text = "Năm 2023, toàn tỉnh phát hiện 1.243 vụ. Chia theo lĩnh vực: buôn lậu 318 vụ; gian lận thương mại 246 vụ."
    assert rows_of(text, "metric", "value", "scope", "category") == [
        ("cases_detected", 1243, "period_total", "all"),
        ("cases_detected", 318, "subset", "smuggling"),
        ("cases_detected", 246, "subset", "trade_fraud"),
    ]


def test_a_sentence_that_only_sorts_counts_by_domain_breaks_the_total_before_it_down():
    text = (
        "Tháng 5/2024, đơn vị phát hiện 41 vụ vi phạm. Nhiều nhất là buôn lậu với 27 vụ; ma túy đứng thứ hai với "
        "8 vụ. Theo lời kể, một người đàn ông đã đi qua đây."
    )
    assert rows_of(text, "metric", "value", "scope", "category") == [
        ("cases_detected", 41, "period_total", "all"),
        ("cases_detected", 27, "subset", "smuggling"),
        ("cases_detected", 8, "subset", "drugs"),
    ]


def test_a_title_with_no_period_takes_its_body_figures_and_the_same_day_goes_on_across_paragraphs():
    text = (
        "Điện Biên: Bắt giữ đối tượng vận chuyển 4 bánh heroin\n18/03/2024\n"
        "Ngày 16/3, Đồn Biên phòng Mường Nhé bắt quả tang 01 đối tượng vận chuyển 4 bánh heroin.\n"
        "Khoảng 15 giờ cùng ngày, tổ công tác kiểm tra, xác định heroin có trọng lượng 1.386 gam.\n"
    )
    assert rows_of(text, "metric", "scope", "period_start", "period_inferred") == [
        ("heroin_cakes", "headline", "2024-03-16", True),
        ("subjects_detected", "incident", "2024-03-16", True),
        ("heroin_cakes", "incident", "2024-03-16", True),
        ("heroin_grams", "incident", "2024-03-16", True),
    ]


def test_a_period_told_in_passing_governs_its_clause_only():
    text = (
        "Báo cáo năm 2023\nNăm 2023, các lực lượng bắt giữ 1.942 vụ, bởi năm 2019 chúng ta từng bắt giữ 2.876 vụ, "
        "nhưng chất lượng đã khác: khởi tố 168 vụ, tăng 27 vụ so với năm 2022.\nThu giữ 21,6 kg heroin, gấp hơn "
        "hai lần năm 2022.\nThu nộp ngân sách 86,4 tỷ đồng."
    )
    assert [row[1] for row in rows_of(text, "value", "period_start")] == [
        "2023-01-01",
        "2019-01-01",
        "2023-01-01",
        "2023-01-01",
        "2023-01-01",
    ]


def test_a_breakdown_ends_at_a_clause_that_counts_something_new_with_its_own_action():
    text = (
        "Năm 2024, bắt giữ 246 vụ, trong đó ma túy là 71 vụ; buôn lậu 40 vụ; thu giữ 24 bánh heroin; khởi tố 58 "
        "vụ. Theo lực lượng: Công an bắt giữ 200 vụ; Bộ đội Biên phòng bắt giữ 46 vụ."
    )
    assert rows_of(text, "metric", "value", "scope") == [
        ("cases_detected", 246, "period_total"),
        ("cases_detected", 71, "subset"),
        ("cases_detected", 40, "subset"),
        ("heroin_cakes", 24, "period_total"),
        ("cases_prosecuted", 58, "period_total"),
        ("cases_detected", 200, "subset"),
        ("cases_detected", 46, "subset"),
    ]


def test_a_comparison_in_brackets_does_not_govern_what_follows():
    text = (
        "Báo cáo 6 tháng đầu năm 2021\n6 tháng đầu năm 2021, Chi cục phát hiện 37 vụ (cùng kỳ năm 2020 phát hiện 29 "
        "vụ).\nThu giữ 1.200 bao thuốc lá."
    )
    assert [row[1] for row in rows_of(text, "value", "period_start")] == [
        "2021-01-01",
        "2020-01-01",
        "2021-01-01",
    ]


def test_what_is_seized_after_an_event_belongs_to_that_event():
    text = (
        "Báo cáo năm 2023\n"
        "Năm 2023, toàn tỉnh thu giữ 40 bánh heroin.\n"
        "Rạng sáng 22/7/2023, Ban chuyên án ập vào 3 địa điểm. Tại hiện trường, lực lượng thu giữ 18 bánh heroin.\n"
        "Cả năm, các đơn vị thu giữ thêm 900 viên ma túy tổng hợp."
    )
    assert rows_of(text, "metric", "value", "scope", "period_start", "period_end") == [
        ("heroin_cakes", 40, "period_total", "2023-01-01", "2023-12-31"),
        ("heroin_cakes", 18, "incident", "2023-07-22", "2023-07-22"),
        ("synthetic_drug_pills", 900, "period_total", "2023-01-01", "2023-12-31"),
    ]
