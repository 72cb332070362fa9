"""The seed report read through every door a report comes in by: the same nine figures each time."""

from __future__ import annotations

import io
import textwrap
import unicodedata

import docx
import pytest

from ingest.errors import UnreadableInput
from ingest.extract import extract_figures
from tests.conftest import SEED
from tests.ingest.test_decode import to_cp1258

TEXT = SEED.read_text(encoding="utf-8")
NINE = {
    ("cases_detected", 347),
    ("subjects_detected", 430),
    ("cases_prosecuted", 60),
    ("subjects_prosecuted", 78),
    ("admin_cases", 196),
    ("admin_subjects", 279),
    ("budget_collected_vnd", 700_000_000),
    ("border_communes", 46),
    ("officers_reinforced", 24),
}


def figures_of(data: bytes, name: str) -> set[tuple[str, float]]:
    return {(row.metric, row.value) for row in extract_figures(data, name).itertuples()}


def hard_wrapped(text: str, width: int) -> str:
    """As a PDF's text layer or a mail program gives it: each paragraph cut into lines of at most ``width``."""
    return "\n".join(textwrap.fill(line, width) if line.strip() else line for line in text.split("\n"))


def as_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_html(text: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines()[1:] if line.strip())
    page = (
        "<html><head><meta charset='utf-8'><title>Báo Biên phòng</title></head><body>"
        "<nav><a href='/'>Trang chủ</a> <a href='/qp'>Quốc phòng</a> 12 tin mới</nav>"
        f"<article><h1>{text.splitlines()[0]}</h1>{paragraphs}</article>"
        "<div class='comments'>Bạn đọc: có 3 bình luận, 15 lượt thích</div>"
        "<footer>Hotline 1900 1234</footer><script>var n = 347;</script></body></html>"
    )
    return page.encode("utf-8")


@pytest.mark.parametrize(
    "name, data",
    [
        ("seed.txt", TEXT.encode("utf-8")),
        ("seed-bom.txt", TEXT.encode("utf-8-sig")),
        ("seed-utf16.txt", TEXT.encode("utf-16")),
        ("seed-nfd.txt", unicodedata.normalize("NFD", TEXT).encode("utf-8")),
        ("seed-cp1258.txt", to_cp1258(TEXT)),
        ("seed.md", TEXT.encode("utf-8")),
        ("seed.docx", as_docx(TEXT)),
        ("seed.html", as_html(TEXT)),
        ("seed-wrapped.txt", hard_wrapped(TEXT, 60).encode("utf-8")),
        ("seed-wrapped-wide.txt", hard_wrapped(TEXT, 100).encode("utf-8")),
    ],
)
def test_every_format_gives_the_same_nine_figures(name, data):
    assert figures_of(data, name) == NINE


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16, "binary"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "docx"),
    ],
)
def test_unusable_input_raises_one_line_naming_the_file(name, data, reason):
    with pytest.raises(UnreadableInput) as caught:
        extract_figures(data, name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and reason in message and "\n" not in message


def test_a_text_with_no_figures_gives_an_empty_table():
    text = "Ngày 12/10/2018, Ban Chỉ đạo 389 họp theo Chỉ thị số 01/CT-TTg; 100% xã hoàn thành kế hoạch."
    assert extract_figures(text.encode(), "nofig.txt").empty


def test_mixed_encodings_still_read_the_valid_part():
    data = TEXT.encode("utf-8") + "\nPhụ lục: ".encode("cp1258", errors="replace") + b"\xe0\xe1\xfe\n"
    assert figures_of(data, "mixed.txt") == NINE


def test_a_long_text_reads_every_copy_with_distinct_places():
    data = ("\n\n".join([TEXT] * 200)).encode("utf-8")
    found = extract_figures(data, "long.txt")
    assert len(found) == 9 * 200
    assert found["figure_id"].is_unique
