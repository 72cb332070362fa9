"""Vietnamese and English numbers as written in reports: ``1.234``, ``2,5``, ``1 tỷ 250 triệu``, ``năm``."""

from __future__ import annotations

import re
from functools import cache

SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9, "tr.đ": 1e6, "trđ": 1e6}
EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Vietnamese numbers in words, as radio scripts and speeches write them: "hai mươi lăm", "một nghìn năm trăm",
# "một tỷ hai trăm triệu". Units inside a number ("lăm", "mốt", "tư") never open one.
VI_UNITS = {
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
VI_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_VI_OPENING = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]
_VI_WORDS = [*VI_UNITS, "mười", "mươi", "trăm", "linh", "lẻ", *VI_SCALES]
SPELLED_EN = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_EN = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# "Twenty-four of those cases": a sentence may not open with digits, so English spells its first number out.
SPELLED_EN |= _TENS_EN | {
    f"{tens}-{unit}": value + SPELLED_EN[unit]
    for tens, value in _TENS_EN.items()
    for unit in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
}

# Each number pattern opens with a digit or a letter, never a look-behind, so that the engine jumps to the
# places where a number can start (2x faster over a report); the edge before it is tested apart.
_DIGITS_VI = r"\d(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*(?:,\d+)?)"
_DIGITS_EN = r"\d(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"
# A number ends at a space or a sign, or at a unit written against it ("120kg", "206km", "96,4g").
_GLUED_UNIT = r"(?:kg|km|g|-kilomet(?:er|re)|-km)\b"
_EDGE_AFTER = rf"(?!(?!{_GLUED_UNIT})[\w%/:-]|[.,]\d)"


def _one_of_words(words: dict[str, float]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def number_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Numbers in digits with their scale words (``1 tỷ 250 triệu``), and spelled ones, each as group ``num``.

    Both are lower case, for lower-cased text.
    """
    if lang == "en":
        scale = _one_of_words(EN_SCALES)
        digits, spelled = _DIGITS_EN, _one_of_words(SPELLED_EN)
        words = rf"(?:{spelled})(?:\s+(?:{scale}))?"
    else:
        scale = _one_of_words(SCALES)
        digits = _DIGITS_VI
        words = rf"(?:{'|'.join(_VI_OPENING)})(?:\s+(?:{'|'.join(_VI_WORDS)})\b)*"
    one = rf"{digits}{_EDGE_AFTER}(?:\s+(?:{scale})\b)?"
    written = rf"(?P<num>{one}(?:\s+(?:{digits})\s+(?:{scale})\b)*)"
    # A spelled number counts only before a word ("năm triệu đồng", "hai đối tượng"), never "năm 2019".
    spelled_out = rf"(?P<num>{words}\b(?=\s+[^\W\d]))"
    return re.compile(written), re.compile(spelled_out)


def find_numbers(lowered: str, lang: str) -> list[re.Match[str]]:
    """Every number in a lower-cased text, in order."""
    found = []
    for pattern in number_patterns(lang):
        at = 0
        while at is not None:
            resume, at = at, None
            for m in pattern.finditer(lowered, resume):
                if _joined_to_what_precedes(lowered, m.start()):
                    at = m.start() + 1  # a number may still start inside this one ("-1 tỷ 250 triệu")
                    break
                found.append(m)
    return sorted(found, key=lambda m: m.start())


def _joined_to_what_precedes(text: str, start: int) -> bool:
    """A letter, digit or ``.,:-`` right before, or a digit and ``/`` ("12/10" is a date, "vụ/52" a number)."""
    if not start:
        return False
    if text.endswith(("vnd", "vnđ"), max(0, start - 3), start):  # "VNĐ1.93 trillion"
        return False
    before = text[start - 1]
    return (
        before.isalnum() or before in "_.,:-" or (before == "/" and start > 1 and text[start - 2].isdigit())
    )


def parse_number(text: str, lang: str = "vi") -> float:
    """The value of a number as matched by ``number_pattern``: ``1.234`` is 1234 in Vietnamese, 1.234 in English."""
    scales = EN_SCALES if lang == "en" else SCALES
    spelled: dict[str, int] = SPELLED_EN if lang == "en" else {}  # Vietnamese words: spelled_vietnamese
    tokens = re.findall(r"[^\s]+", text.lower())
    if lang != "en" and all(token in _VI_WORDS for token in tokens):
        return spelled_vietnamese(tokens)
    total, current = 0.0, None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        two = f"{token} {tokens[i + 1]}" if i + 1 < len(tokens) else ""
        if two in spelled:
            current, i = float(spelled[two]), i + 2
            continue
        if token in scales:
            total += (current if current is not None else 1.0) * scales[token]
            current = None
        elif token in spelled:
            current = float(spelled[token])
        else:
            current = _parse_digits(token, lang)
        i += 1
    return total + (current or 0.0)


def spelled_vietnamese(words: list[str]) -> float:
    """The value of a Vietnamese number in words: "hai mươi lăm" 25, "tám nghìn sáu trăm" 8600, "một tỷ hai trăm
    triệu" 1.2 billion, "một trăm linh năm" 105."""
    big = small = unit = 0.0  # what the scale words have closed, the hundreds, the tens and units being read
    for word in words:
        if word in VI_UNITS:
            unit = unit + VI_UNITS[word] if 10 <= unit < 100 and unit % 10 == 0 else VI_UNITS[word]
        elif word == "mười":
            unit = 10
        elif word == "mươi":
            unit = (unit or 1) * 10
        elif word == "trăm":
            small, unit = small + (unit or 1) * 100, 0
        elif word in VI_SCALES:
            scale, amount = VI_SCALES[word], small + unit
            big = (big + amount) * scale if big and big < scale else big + (amount or 1) * scale
            small = unit = 0
    return big + small + unit


def _parse_digits(token: str, lang: str) -> float:
    group, decimal = (",", ".") if lang == "en" else (".", ",")
    return float(token.replace(group, "").replace(decimal, "."))


def format_vi(value: float) -> str:
    """Write a number the Vietnamese way (``1.234,5``): used by tests and messages."""
    whole, _, fraction = f"{value:,.6f}".rstrip("0").rstrip(".").partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole
