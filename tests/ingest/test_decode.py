"""Tests for ingest.decode: encodings, formats, language, and refusals."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.decode import DecodedText, _without_page_furniture, decode_document
from ingest.errors import UnreadableInput

DATA = Path(__file__).resolve().parent.parent / "data" / "decode"

PARAGRAPH = (
    "Bộ đội Biên phòng tỉnh Cao Bằng đã phát hiện, bắt giữ 347 vụ, với 430 đối tượng; "
    "thu nộp ngân sách gần 700 triệu đồng."
)
SECOND = "Các đồn biên phòng tuần tra, kiểm soát chặt chẽ đường biên giới của tỉnh."
TEXT = f"{PARAGRAPH}\n{SECOND}\n"
TONES = "\u0300\u0309\u0303\u0301\u0323"  # grave, hook, tilde, acute, dot below


# --- Encoders used to make fixtures (written from the published tables, not from decode.py) ----


def to_cp1258(text: str) -> bytes:
    """Windows-1258: base letter (â ê ô ơ ư ă đ are single bytes) followed by a tone byte."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append((base + tone).encode("cp1258"))
    return b"".join(out)


# TCVN3 (ABC, .VnTime): one byte per lowercase letter; rows list grave, hook, tilde, acute, dot.
_TCVN3_ROWS = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_BASES = dict(zip("ĂÂÊÔƠƯĐăâêôơưđ", range(0xA1, 0xAF), strict=True))


def to_tcvn3(text: str) -> bytes:
    table = dict(_TCVN3_BASES)
    for base, row in _TCVN3_ROWS.items():
        for tone, byte in zip(TONES, row, strict=True):
            table[unicodedata.normalize("NFC", base + tone)] = byte
    return bytes(table[c] if c in table else ord(c.encode("ascii")) for c in text)


# VNI (VNI-Times): base letter + mark byte(s); ơ ư đ ỉ ĩ ị ỵ are single bytes, í ì are Latin-1.
_VNI_TONE = {"": "", "\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRC = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_SINGLE = {"đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}


def to_vni(text: str) -> bytes:
    out = []
    for char in text:
        low = char.lower()
        piece = _vni_letter(low)
        out.append(piece.upper() if char != low else piece)
    return "".join(out).encode("cp1252")


def _vni_letter(char: str) -> str:
    if char in _VNI_SINGLE:
        return _VNI_SINGLE[char]
    parts = unicodedata.normalize("NFD", char)
    base, marks = parts[0], parts[1:]
    if not marks:
        return char
    tone = next((m for m in marks if m in TONES), "")
    if "\u031b" in marks:  # horn: ơ ư
        return {"o": "ô", "u": "ö"}[base] + _VNI_TONE[tone]
    if "\u0302" in marks:
        return base + _VNI_CIRC[tone]
    if "\u0306" in marks:
        return base + _VNI_BREVE[tone]
    return base + _VNI_TONE[tone]


# --- Plain text: every encoding round-trips -----------------------------------------------


@pytest.mark.parametrize(
    ("encode", "label"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
        (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16"),
        (to_cp1258, "windows-1258"),
        (to_tcvn3, "tcvn3"),
        (to_vni, "vni"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le-bom", "cp1258", "tcvn3", "vni"],
)
def test_round_trip_each_encoding(encode, label: str) -> None:
    result = decode_document(encode(TEXT), "bao-cao.txt")
    assert result == DecodedText(text=TEXT, encoding=label, lang="vi")


def test_single_paragraph_is_enough_to_tell_legacy_encodings_apart() -> None:
    for encode, label in ((to_cp1258, "windows-1258"), (to_tcvn3, "tcvn3"), (to_vni, "vni")):
        result = decode_document(encode(PARAGRAPH), "p.txt")
        assert (result.text, result.encoding) == (PARAGRAPH, label)


def test_vni_uppercase_heading() -> None:
    heading = "BÁO CÁO ĐỒN BIÊN PHÒNG CỬA KHẨU TRÀ LĨNH\n" + TEXT
    assert decode_document(to_vni(heading), "h.txt").text == heading


def test_known_legacy_byte_strings() -> None:
    # How these words look when a .VnTime / VNI-Times file is opened as Windows-1252.
    tcvn3 = "Bé ®éi Biªn phßng tØnh Cao B»ng ®· ph¸t hiÖn".encode("cp1252")
    vni = "Boä ñoäi Bieân phoøng tænh Cao Baèng ñaõ phaùt hieän".encode("cp1252")
    expected = "Bộ đội Biên phòng tỉnh Cao Bằng đã phát hiện"
    assert decode_document(tcvn3, "a.txt").text == expected
    assert decode_document(vni, "b.txt").text == expected


def test_tcvn3_keeps_windows_quotes_and_dashes() -> None:
    data = to_tcvn3("Đồn biên phòng ") + b"\x93c\xf6a kh\xc8u\x94 \x96 n\xa8m 2018"
    assert decode_document(data, "q.txt").text == "Đồn biên phòng “cửa khẩu” – năm 2018"


def test_nfd_input_comes_out_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    for data in (decomposed.encode("utf-8"), decomposed.encode("utf-16")):
        assert decode_document(data, "nfd.txt").text == TEXT


def test_cp1258_output_is_composed() -> None:
    text = decode_document(to_cp1258(TEXT), "c.txt").text
    assert unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.combining(c) for c in text)


def test_bom_is_dropped_and_newlines_unified() -> None:
    data = ("\ufeff" + PARAGRAPH + "\r\n" + SECOND + "\r" + "Hết.").encode("utf-8")
    result = decode_document(data, "bom.txt")
    assert result.encoding == "utf-8-sig"
    assert result.text == f"{PARAGRAPH}\n{SECOND}\nHết."


def test_utf16_without_bom() -> None:
    result = decode_document(TEXT.encode("utf-16-le"), "no-bom.txt")
    assert (result.text, result.encoding) == (TEXT, "utf-16")


def test_no_extension_and_markdown_are_text() -> None:
    assert decode_document(TEXT.encode(), "README").text == TEXT
    assert decode_document(b"# " + TEXT.encode(), "notes.md").text == "# " + TEXT


# --- Mixed and broken bytes -----------------------------------------------------------------


def test_utf8_with_stray_cp1258_bytes() -> None:
    data = TEXT.encode("utf-8") + to_cp1258("Ghi chú: tình hình ổn định.\n")
    result = decode_document(data, "mixed.txt")
    assert result.encoding == "utf-8"
    assert result.text.startswith(TEXT)
    assert result.text.endswith("Ghi chú: tình hình ổn định.\n")


def test_utf8_with_unmappable_stray_byte_is_replaced() -> None:
    result = decode_document(PARAGRAPH.encode() + b" \x81 " + SECOND.encode(), "odd.txt")
    assert result.text == f"{PARAGRAPH} \ufffd {SECOND}"


def test_empty_file() -> None:
    with pytest.raises(UnreadableInput, match=r"^empty\.txt: empty file$"):
        decode_document(b"", "empty.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        bytes(range(256)) * 4,
    ],
    ids=["png", "png-signature-only", "jpeg", "all-bytes"],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableInput, match=r"^img\.txt: binary content, not a text report"):
        decode_document(data, "img.txt")


def test_legacy_word_doc_is_refused() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(UnreadableInput, match=r"^old\.doc: binary content"):
        decode_document(data, "old.doc")


def test_broken_utf16_is_undecodable() -> None:
    data = b"\xff\xfe" + b"\x00\xd8" * 200  # lone high surrogates only
    with pytest.raises(UnreadableInput, match=r"^u\.txt: undecodable"):
        decode_document(data, "u.txt")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(min_size=0, max_size=600),
    name=st.sampled_from(["a.txt", "a.docx", "a.html", "a.pdf", "a", "a.md"]),
)
def test_only_unreadable_input_ever_escapes(data: bytes, name: str) -> None:
    for payload in (data, b"PK\x03\x04" + data, b"%PDF-1.4\n" + data, b"<html>" + data):
        try:
            result = decode_document(payload, name)
        except UnreadableInput as exc:
            assert str(exc).startswith(f"{name}: ")
            assert "\n" not in str(exc)
        else:
            assert result.lang in ("vi", "en")
            assert unicodedata.is_normalized("NFC", result.text)
            assert "\r" not in result.text and not result.text.startswith("\ufeff")


# --- Language ------------------------------------------------------------------------------


def test_english_text_is_en() -> None:
    english = (
        "Border guards of Cao Bằng province detected and seized 347 cases involving 430 people, "
        "and paid nearly 700 million đồng to the state budget.\n"
    )
    assert decode_document(english.encode(), "en.txt").lang == "en"
    assert decode_document(TEXT.encode(), "vi.txt").lang == "vi"


def test_latin1_accents_alone_do_not_make_vietnamese() -> None:
    result = decode_document("Smart “quotes” – café crème à la française".encode("cp1252"), "fr.txt")
    assert (result.text, result.encoding, result.lang) == (
        "Smart “quotes” – café crème à la française",
        "windows-1258",
        "en",
    )


def test_numbers_only_is_en() -> None:
    assert decode_document(b"347 | 430 | 700\n", "n.txt").lang == "en"


# --- .docx -------------------------------------------------------------------------------------


def _docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _report_with_table(document) -> None:
    document.add_heading("Báo cáo kết quả tháng 10", level=1)
    document.add_paragraph(PARAGRAPH)
    table = document.add_table(rows=3, cols=3)
    rows = [["Đơn vị", "Số vụ", "Đối tượng"], ["Đồn Tà Lùng", "12", "15"], ["Cộng", "", "27"]]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(2, 0).merge(table.cell(2, 1))
    table.cell(2, 0).text = "Cộng"
    document.add_paragraph(SECOND)


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    result = decode_document(_docx_bytes(_report_with_table), "bao-cao.docx")
    assert result.encoding == "docx"
    assert result.lang == "vi"
    assert result.text.split("\n") == [
        "Báo cáo kết quả tháng 10",
        PARAGRAPH,
        "Đơn vị | Số vụ | Đối tượng",
        "Đồn Tà Lùng | 12 | 15",
        "Cộng | 27",
        SECOND,
    ]


def test_docx_is_recognised_by_content_whatever_the_name() -> None:
    assert decode_document(_docx_bytes(_report_with_table), "upload.bin").encoding == "docx"


def test_docx_typed_in_vntime_font_is_converted() -> None:
    legacy = "Bé ®éi Biªn phßng tØnh Cao B»ng ®· ph¸t hiÖn 347 vô"
    result = decode_document(_docx_bytes(lambda d: d.add_paragraph(legacy)), "cu.docx")
    assert result.text == "Bộ đội Biên phòng tỉnh Cao Bằng đã phát hiện 347 vụ"


def test_docx_keeps_latin1_words_that_are_not_legacy() -> None:
    text = "Café crème à la française"
    assert decode_document(_docx_bytes(lambda d: d.add_paragraph(text)), "fr.docx").text == text


def test_docx_that_is_not_a_zip() -> None:
    with pytest.raises(UnreadableInput, match=r"^bad\.docx: not a valid \.docx \(not a zip archive\)$"):
        decode_document(TEXT.encode(), "bad.docx")


def test_zip_without_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableInput, match=r"^z\.docx: not a valid \.docx"):
        decode_document(buffer.getvalue(), "z.docx")
    with pytest.raises(UnreadableInput, match=r"^z\.txt: binary content"):
        decode_document(buffer.getvalue(), "z.txt")


def test_docx_with_broken_xml() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")
    with pytest.raises(UnreadableInput, match=r"^x\.docx: broken \.docx"):
        decode_document(buffer.getvalue(), "x.docx")


# --- .html -------------------------------------------------------------------------------------


def test_news_page_keeps_title_and_article_only() -> None:
    result = decode_document((DATA / "news_page.html").read_bytes(), "news_page.html")
    assert result.encoding == "html"
    assert result.lang == "vi"
    assert result.text.split("\n") == [
        "Biên phòng Cao Bằng bắt giữ 347 vụ",
        "Năm qua, Bộ đội Biên phòng tỉnh Cao Bằng đã phát hiện, bắt giữ 347 vụ, với 430 đối tượng.",
        "Các đồn biên phòng đã phối hợp chặt chẽ với lực lượng công an và hải quan trên địa bàn.",
        "Thu nộp ngân sách gần 700 triệu đồng; tang vật gồm hàng cấm và hàng lậu.",
        "Trong thời gian tới, các đơn vị tiếp tục tuần tra, kiểm soát chặt chẽ đường biên.",
    ]
    noise_words = (
        "Trang chủ",
        "Quảng cáo",
        "Tin liên quan",
        "Đọc nhiều",
        "Bình luận",
        "Bạn đọc",
        "trackRead",
    )
    for noise in (*noise_words, "font-family", "dataLayer", "©", "chú thích", "Chia sẻ"):
        assert noise not in result.text


def test_html_in_windows_1258_with_meta_charset() -> None:
    page = f"<html><head><meta charset='windows-1258'><title>T</title></head><body><p>{PARAGRAPH}</p></body></html>"
    data = to_cp1258(page)
    assert decode_document(data, "p.htm").text.split("\n") == ["T", PARAGRAPH]


def test_html_without_paragraphs_and_without_extension() -> None:
    page = "<!DOCTYPE html><html><body><div>Dòng một<br>Dòng hai</div><script>x()</script></body></html>"
    result = decode_document(page.encode(), "page")
    assert (result.text, result.encoding) == ("Dòng một\nDòng hai", "html")


def test_html_table_rows_become_lines() -> None:
    page = (
        "<html><body><h1>Kết quả</h1><div class='content'><p>Số liệu tháng 10 như sau.</p>"
        "<table><tr><th>Đơn vị</th><th>Số vụ</th></tr><tr><td>Đồn Tà Lùng</td><td>12</td></tr></table>"
        "</div></body></html>"
    )
    result = decode_document(page.encode(), "t.html")
    assert result.text.split("\n") == [
        "Kết quả",
        "Số liệu tháng 10 như sau.",
        "Đơn vị | Số vụ",
        "Đồn Tà Lùng | 12",
    ]


def test_a_page_written_in_div_blocks_gives_its_article_not_the_page_around_it() -> None:
    page = (
        "<html><body><div id='header'>Báo Biên giới</div><div class='detail'><h1>Tin</h1>"
        "<div class='meta'><span>Lượt xem: 1.284</span></div><div class='detail-body'>"
        f"<div class='content'><strong>Sáng 25/9</strong>, đơn vị bắt giữ 12 vụ.<br>{PARAGRAPH}</div>"
        "<div class='content'><table><caption>Kết quả</caption><tr><th>Lĩnh vực</th><th>Số vụ</th></tr>"
        "<tr><td>Ma túy</td><td>12</td></tr></table></div></div></div>"
        "<div class='box-related'>Tin khác: 500 vụ</div></body></html>"
    )
    assert decode_document(page.encode(), "d.html").text.split("\n") == [
        "Tin",
        "Sáng 25/9, đơn vị bắt giữ 12 vụ.",
        PARAGRAPH,
        "Kết quả",
        "Lĩnh vực | Số vụ",
        "Ma túy | 12",
    ]


@pytest.mark.parametrize(
    "dated",
    [
        "<meta property='article:published_time' content='2023-05-20T10:15:00+07:00'>",
        "<meta itemprop='datePublished' content='2023-05-20'>",
    ],
)
def test_a_news_page_dated_only_in_its_metadata_gets_a_date_line(dated) -> None:
    page = f"<html><head>{dated}</head><body><h1>Tin</h1><div class='content'><p>{PARAGRAPH}</p></div></body></html>"
    assert decode_document(page.encode(), "d.html").text.split("\n") == ["Tin", "20/05/2023", PARAGRAPH]


def test_a_news_page_that_shows_its_date_gets_no_second_one() -> None:
    page = (
        "<html><head><meta property='article:published_time' content='2023-05-20'></head><body><h1>Tin</h1>"
        f"<div class='content'><p>Thứ Bảy, 20/5/2023</p><p>{PARAGRAPH}</p></div></body></html>"
    )
    assert decode_document(page.encode(), "d.html").text.split("\n") == [
        "Tin",
        "Thứ Bảy, 20/5/2023",
        PARAGRAPH,
    ]


def test_html_with_no_text() -> None:
    with pytest.raises(UnreadableInput, match=r"^e\.html: no article text"):
        decode_document(b"<html><body><script>1</script></body></html>", "e.html")


# --- .pdf --------------------------------------------------------------------------------------


def _pdf_with_text(line: str) -> bytes:
    """A one-page PDF showing ``line`` (ASCII) in Helvetica, with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer() -> None:
    pytest.importorskip("pypdf")
    result = decode_document(_pdf_with_text("Border report 2018: 347 cases"), "r.pdf")
    assert (result.text, result.encoding, result.lang) == ("Border report 2018: 347 cases", "pdf", "en")


def test_broken_pdf() -> None:
    with pytest.raises(UnreadableInput, match=r"^r\.pdf: "):
        decode_document(b"%PDF-1.4\nnot really a pdf", "r.pdf")


def test_running_headers_footers_and_page_numbers_leave_a_pdf_sentence_whole() -> None:
    pages = [
        "BÁO CÁO\nNăm 2024, các đội phát hiện và tạm giữ\nCục QLTT tỉnh Long An - Báo cáo số 512 - Trang 1/2",
        "28.640 bao thuốc lá.\nCục QLTT tỉnh Long An - Báo cáo số 512 - Trang 2/2",
    ]
    assert _without_page_furniture(pages) == [
        "BÁO CÁO\nNăm 2024, các đội phát hiện và tạm giữ",
        "28.640 bao thuốc lá.",
    ]


def test_a_pdf_sentence_cut_by_a_page_number_alone_on_its_line() -> None:
    assert _without_page_furniture(["Bắt giữ\n- 3 -", "12 vụ."]) == ["Bắt giữ", "12 vụ."]
