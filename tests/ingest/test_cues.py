"""The cue table's patterns skip ahead to the letters their phrases can start with: that shortcut must never
drop a phrase."""

import pytest

from ingest.cues import _first_letters, _words, cues


@pytest.mark.parametrize(
    ("phrase", "letters"),
    [
        ("phát hiện", {"p"}),
        ("(?:collect(?:s|ed)?|brought|paid)(?=[^;]{0,60}budget)", {"c", "b", "p"}),
        ("(?:the )?border guard(?:s)? of", {"t", "b"}),
        ("(?<!từ )(?<!đến )(?:ngày|sáng) \\d{1,2}/\\d{1,2}", {"n", "s"}),
        ("\\d{1,2} ?giờ", set("0123456789")),
        ("[abc]x", None),
        ("(?:a|b){2}c", None),
    ],
)
def test_first_letters_of_a_phrase(phrase: str, letters: set[str] | None) -> None:
    assert _first_letters(phrase) == letters


def test_a_phrase_that_opens_with_a_class_turns_the_shortcut_off() -> None:
    pattern = _words(["trong đó", "[0-9]+ giờ"])
    assert pattern.search("lúc 14 giờ") and pattern.search("trong đó")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("actions", "đã thu nộp ngân sách"),
        ("actions", "police collected for the state budget"),
        ("subset", "xét theo từng lực lượng"),
        ("subset", "of which"),
        ("incident", "rạng sáng 14/6, tổ công tác"),
        ("incident", "lúc 21 giờ"),
        ("units", "Bộ Chỉ huy BĐBP tỉnh "),
        ("units", "the border guards of "),
    ],
)
def test_every_kind_of_phrase_is_still_found(name: str, text: str) -> None:
    assert getattr(cues(), name).search(text.lower())
