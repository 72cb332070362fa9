"""Reporting periods as written (``quý I/2019``, ``6 tháng đầu năm 2020``, ``từ đầu năm đến nay``)."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
MONTH_WORDS = {"ba": 3, "sáu": 6, "chín": 9, "tám": 8, "bảy": 7, "mười": 10, "mười một": 11}
EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
EN_MONTHS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "nine": 9,
    "eight": 8,
    "seven": 7,
    "ten": 10,
    "eleven": 11,
}
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None
    label: str
    inferred: bool = False


@dataclass(frozen=True)
class PeriodMention:
    offset: int
    period: Period


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str | None, published: dt.date | None) -> tuple[int | None, bool]:
    if text:
        return int(text), False
    return (published.year, True) if published else (None, True)


def _date(day: str, month: str, year: str | None, fallback: int | None) -> dt.date | None:
    try:
        return dt.date(int(year) if year else fallback, int(month), int(day))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# A period as (start, end, inferred), or None when the phrase turns out to be no period ("sau 5 tháng").
Builder = Callable[[re.Match[str], dt.date | None], tuple[dt.date | None, dt.date | None, bool] | None]


def _range(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    fallback = int(m["y2"]) if m["y2"] else (published.year if published else None)
    start = _date(m["d1"], m["m1"], m["y1"], fallback)
    if m["nay"]:
        return start, published, not m["y1"]
    return start, _date(m["d2"], m["m2"], m["y2"], fallback), not (m["y1"] or m["y2"])


def _days_of_a_month(
    m: re.Match[str], published: dt.date | None
) -> tuple[dt.date | None, dt.date | None, bool]:
    """ "Trong các ngày từ 14 đến 16/10", "từ ngày 12 - 19/4/2023": days of one month."""
    year, inferred = _year(m["y"], published)
    written = str(year) if year else None
    start, end = _date(m["d1"], m["m"], written, None), _date(m["d2"], m["m"], written, None)
    if start is None or end is None or start > end:
        return None
    return start, end, inferred


def _year_to_date(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    """From the start of the year to now (the report's date), or to the end of a month ("đến hết tháng 9")."""
    year, inferred = _year(m["y"] or m["y2"], published)
    if year is None:
        return None, published, True
    if m["m"] and 1 <= int(m["m"]) <= 12:
        return dt.date(year, 1, 1), _month_end(year, int(m["m"])), inferred
    return dt.date(year, 1, 1), published, inferred


def _since_month(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    year, inferred = _year(m["y"], published)
    start = dt.date(year, _MONTH_NAMES.index(m["month"]) + 1, 1) if year else None
    return start, published, True


def _english_days(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    """ "From December 16 last year to June 15", "from March 1 to May 31, 2024": a year left out is the date
    line's (inferred), and a start after the end is in the year before."""
    end_year, inferred = _year(m["y2"], published)
    if end_year is None:
        return None
    end_month = m["month2"] or m["month1"]
    start_year = end_year - 1 if m["last1"] else int(m["y1"]) if m["y1"] else end_year
    start = _date(m["d1"], str(_MONTH_NAMES.index(m["month1"]) + 1), str(start_year), None)
    end = _date(m["d2"], str(_MONTH_NAMES.index(end_month) + 1), str(end_year), None)
    if start is None or end is None:
        return None
    if start > end and not m["y1"] and not m["last1"]:
        start = _year_before(start)
    return start, end, inferred or bool(m["last1"])  # "from March 1 to May 31, 2024" writes its year once


def _years(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    return dt.date(int(m["y1"]), 1, 1), dt.date(int(m["y2"]), 12, 31), False


def _quarter(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    q = m["q"].lower()
    quarter = ROMAN.get(q) or EN_ORDINALS.get(q) or int(q)
    year, inferred = _year(m["y"], published)
    if year is None:
        return None, None, True
    return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), inferred


def _months_from_start(
    m: re.Match[str], published: dt.date | None
) -> tuple[dt.date | None, dt.date | None, bool] | None:
    n = m["n"].lower()
    within = m.string.endswith("trong ", 0, m.start())  # "Trong 9 tháng"
    if m.group(0).endswith("tháng") and not within and not m.group(0).startswith("first"):
        return None  # a bare "5 tháng" ("sau 5 tháng") is a length of time: taken, no period
    months = int(n) if n.isdigit() else MONTH_WORDS.get(n) or EN_MONTHS[n]
    year, inferred = _year(m["y"], published)
    if year is None or not 1 <= months <= 12:
        return None, None, True
    return dt.date(year, 1, 1), _month_end(year, months), inferred


def _second_half(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    year, inferred = _year(m["y"], published)
    return (dt.date(year, 7, 1), dt.date(year, 12, 31), inferred) if year else (None, None, True)


def _first_half(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    year, inferred = _year(m["y"] or m["y2"], published)
    return (dt.date(year, 1, 1), dt.date(year, 6, 30), inferred) if year else (None, None, True)


def _month(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    year, inferred = _year(m["y"], published)
    month = int(m["m"])
    if year is None or not 1 <= month <= 12:
        return None, None, True
    return dt.date(year, month, 1), _month_end(year, month), inferred


def _whole_year(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    year = int(m["y"])
    return dt.date(year, 1, 1), dt.date(year, 12, 31), False


def _last_year(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    if published is None:
        return None
    return dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31), True


_D = r"(?P<d{i}>\d{{1,2}})[/.-](?P<m{i}>\d{{1,2}})(?:[/.-](?P<y{i}>\d{{4}}))?"
# "1".."12" and the spelled counts of months, each alternative opening with a plain character.
_MONTH_COUNT = "|".join(f"{d}[0-9]?" for d in range(10)) + "|sáu|chín|tám|bảy|ba|mười một|mười"


@dataclass(frozen=True)
class PeriodPattern:
    """A way of writing a period, and what may not stand right before it (tested apart from the pattern).

    Each pattern opens with a plain character so that the engine jumps between the places where it can
    start; a look-behind or a word boundary in front would make it try every position of the text (6x
    slower over a report).
    """

    pattern: re.Pattern[str]
    build: Builder | None  # None: a phrase taken so that no period pattern reads a piece of it
    not_after: re.Pattern[str] | None = None  # matched against the text that ends where the pattern starts
    needs: tuple[str, ...] = ()  # words one of which every match holds: a text without any is not searched


def _after(alternatives: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{alternatives})\Z")


def _each(
    openings: list[str], rest: str, build: Builder | None, not_after: re.Pattern[str] | None = None
) -> list[PeriodPattern]:
    """One pattern per opening word: a pattern that opens with a plain word is found at the engine's full speed,
    one that opens with a choice of words about six times slower."""
    return [PeriodPattern(re.compile(opening + rest), build, not_after) for opening in openings]


# Order matters: longer, more specific phrases first; a span taken by one pattern is not read again.
PATTERNS: list[PeriodPattern] = [
    # Dates are not periods: taken first so that no period pattern reads a piece of one; nor is a birth year.
    PeriodPattern(re.compile(r"ngày \d{1,2} tháng \d{1,2}(?: năm \d{4})?"), None),
    *_each([r"sinh (?:năm )?", r"born in "], r"\d{4}", None, _after(r"\w")),
    # Nor a year of plans ("triển khai nhiệm vụ năm 2024", "phương hướng năm 2024").
    *_each(
        ["nhiệm vụ", "phương hướng", "kế hoạch"],
        r"(?: trọng tâm)?(?: công tác)?(?: năm| tháng \d{1,2}\s*[/-]| quý [ivx\d]+\s*[/-])? ?\d{4}",
        None,
    ),
    # Nor is the period a figure is compared with ("tăng 65 vụ so với năm 2018").
    *_each(
        ["so với", "compared (?:with|to)", "year on year from", r"gấp (?:hơn |gần )?\w+ lần"],
        r"(?: cùng kỳ| the same period(?: of| in)?| (?:thời điểm )?(?:cuối|đầu|hết)| the (?:end|start) of)?"
        r"(?: (?:năm|quý [ivx\d]+|\d{1,2} tháng(?: đầu năm)?|tháng \d{1,2}|(?:the )?first (?:half|\w+ months)"
        r"(?: of)?|(?:the )?(?:first|second|third|fourth) quarter(?: of)?))?(?:\s*(?:[/-]|năm)?\s*\d{4})?",
        None,
        _after(r"\w"),
    ),
    PeriodPattern(
        re.compile(
            r"ngày (?:từ )?(?P<d1>\d{1,2})\s*(?:đến|tới|-|và)\s*(?:ngày )?(?P<d2>\d{1,2})"
            r"[/.-](?P<m>\d{1,2})(?:[/.-](?P<y>\d{4}))?(?![/.\d])"
        ),
        _days_of_a_month,
    ),
    PeriodPattern(
        re.compile(
            rf"từ ngày {_D.format(i=1)}\s*(?:đến|tới|-)\s*(?:(?P<nay>nay)|(?:ngày\s*)?{_D.format(i=2)})"
        ),
        _range,
    ),
    PeriodPattern(
        re.compile(
            r"từ đầu năm(?: (?P<y>\d{4}))? (?:đến|tới)(?: hết)? (?:nay|tháng (?P<m>\d{1,2})(?:\s*[/-]\s*(?P<y2>\d{4}))?)"
            r"|since the (?:start|beginning) of the year"
        ),
        _year_to_date,
        needs=("từ đầu năm", "since the"),
    ),
    PeriodPattern(
        re.compile(
            rf"from (?P<month1>{'|'.join(_MONTH_NAMES)}) (?P<d1>\d{{1,2}})(?:,? (?P<y1>\d{{4}})|(?P<last1> last year))?"
            rf" (?:to|through|until) (?:(?P<month2>{'|'.join(_MONTH_NAMES)}) )?(?P<d2>\d{{1,2}})(?:,? (?P<y2>\d{{4}}))?"
        ),
        _english_days,
        _after(r"\w"),
    ),
    PeriodPattern(
        re.compile(rf"since (?P<month>{'|'.join(_MONTH_NAMES)})(?: (?P<y>\d{{4}}))?"),
        _since_month,
        _after(r"\w"),
    ),
    *_each(
        ["giai đoạn", "từ năm", "from"],
        r" (?P<y1>\d{4})\s*(?:-|–|đến năm|đến|to)\s*(?P<y2>\d{4})",
        _years,
        _after(r"\w"),
    ),
    PeriodPattern(
        re.compile(r"quý (?P<q>iv|iii|ii|i|[1-4])(?:\s*(?:/|-|năm)\s*(?P<y>\d{4}))?(?!\w)"), _quarter
    ),
    PeriodPattern(
        re.compile(r"(?P<q>first|second|third|fourth) quarter(?: of)?(?: (?P<y>\d{4}))?"),
        _quarter,
        _after(r"\w"),
        ("quarter",),
    ),
    PeriodPattern(re.compile(r"q(?P<q>[1-4]) (?P<y>\d{4})"), _quarter, _after(r"\w")),
    PeriodPattern(
        re.compile(
            r"(?:first|1st) half(?: of)?(?: the year)?(?: (?P<y>\d{4}))?|nửa đầu năm(?: (?P<y2>\d{4}))?"
        ),
        _first_half,
        _after(r"\w"),
        ("half", "nửa đầu"),
    ),
    PeriodPattern(
        re.compile(r"(?:6|sáu) tháng cuối năm(?: (?P<y>\d{4}))?"), _second_half, needs=("tháng cuối năm",)
    ),
    # "9 tháng đầu năm", "9 tháng năm 2023", "9 tháng qua", "Trong 9 tháng"; "sau 5 tháng" is a length of time.
    PeriodPattern(
        re.compile(rf"(?P<n>{_MONTH_COUNT}) tháng(?: đầu năm| qua)?(?: (?:năm )?(?P<y>\d{{4}}))?(?!\w)"),
        _months_from_start,
        _after(r"\w"),
    ),
    PeriodPattern(
        re.compile(
            r"first (?P<n>two|three|four|five|six|nine|eight|seven|ten|eleven|\d{1,2}) months(?: of(?: the year)?)?"
            r"(?: (?P<y>\d{4}))?",
        ),
        _months_from_start,
        needs=("months",),
    ),
    PeriodPattern(
        re.compile(r"tháng (?P<m>\d{1,2})\s*(?:/|-|năm)\s*(?P<y>\d{4})"),
        _month,
        _after(r"\w|ngày |tháng \d|tháng \d\d|/"),
    ),
    *_each(["last year(?!'s)", "năm ngoái"], "", _last_year, _after(r"\w|of |from |period |kỳ ")),
    *_each(
        ["năm", "in", "during", "year"],
        r" (?P<y>(?:19|20)\d{2})(?![/\d-])",
        _whole_year,
        _after(r"\w|tháng |tháng \d |tháng \d\d |[/-]"),
    ),
]


class _Spans:
    """Non-overlapping spans of text, sorted, with an overlap test in log time (long texts have thousands)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end) - 1
        return index >= 0 and self.ends[index] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


LATE_REPORT_DAYS = (
    31  # "quý I" in a report of 20 March still ends in that year; "9 tháng" in January does not
)


def _before_published(
    start: dt.date | None, end: dt.date | None, inferred: bool, published: dt.date | None
) -> tuple[dt.date | None, dt.date | None, bool]:
    """A report tells of what has begun: a year supplied from the date line that puts the start after it
    ("quý IV", "ngày 2/11" in a report of 10/01/2022) is the year before (and so is the end, unless that
    end is the date line itself, as in "từ ngày 20/12 đến nay")."""
    if not (inferred and start and end and published and start > published):
        return start, end, inferred
    return _year_before(start), (_year_before(end) if end > published else end), inferred


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def find_periods(text: str, published: dt.date | None, lowered: str | None = None) -> list[PeriodMention]:
    """Every period phrase in ``text``, in order; a year left out is taken from ``published`` and marked.

    ``lowered`` is the text lower-cased with its offsets kept, where the caller has it already.
    """
    taken = _Spans()
    mentions = []
    # The patterns are lower case: matching them on a lower-cased copy is 2-3x faster than IGNORECASE.
    if lowered is None:
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = text
    for way in PATTERNS:
        if way.needs and not any(word in lowered for word in way.needs):
            continue
        for m in way.pattern.finditer(lowered):
            if taken.overlaps(m.start(), m.end()):
                continue
            if way.not_after and way.not_after.search(lowered, max(0, m.start() - 12), m.start()):
                continue
            taken.add(m.start(), m.end())
            if way.build is None:
                continue
            built = way.build(m, published)
            if built is None:
                continue
            start, end, inferred = _before_published(*built, published)
            mentions.append(PeriodMention(m.start(), Period(start, end, text[m.start() : m.end()], inferred)))
    return sorted(mentions, key=lambda p: p.offset)


# Border guards and 389 committees count from the middle of the month before: "năm 2023" is 16/12/2022 to
# 15/12/2023. A report that states that window ("Số liệu từ ngày 16/12/2022 đến ngày 15/12/2023") means it
# wherever it names the calendar period the window stands for.
WINDOW_SLACK = dt.timedelta(days=31)
_STATED_WINDOW = re.compile(r"(?:từ|from)(?: ngày)? \d{1,2}[/.-]\d{1,2}", re.I)


def align_to_data_window(mentions: list[PeriodMention]) -> list[PeriodMention]:
    """The mentions with each calendar period that a stated window of days stands for replaced by that window."""
    windows = [m.period for m in mentions if _STATED_WINDOW.match(m.period.label) and m.period.start]
    if not windows:
        return mentions
    aligned = []
    for mention in mentions:
        period, window = mention.period, None
        if period.start and period.end and period not in windows:
            window = next((w for w in windows if _stands_for(w, period.start, period.end)), None)
        if window:
            period = Period(window.start, window.end, period.label, period.inferred)
        aligned.append(PeriodMention(mention.offset, period))
    return aligned


def _stands_for(window: Period, start: dt.date, end: dt.date) -> bool:
    assert window.start and window.end
    return abs(window.start - start) <= WINDOW_SLACK and abs(window.end - end) <= WINDOW_SLACK


_PUBLISHED = [
    re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"),
    re.compile(r"ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>(?:19|20)\d{2})"),
    re.compile(r"(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})"),
    # English date lines: "Tuesday, March 12, 2024", "12 March 2024"
    re.compile(rf"(?P<month>{'|'.join(_MONTH_NAMES)}) (?P<d>\d{{1,2}}),? (?P<y>(?:19|20)\d{{2}})"),
    re.compile(rf"(?P<d>\d{{1,2}}) (?P<month>{'|'.join(_MONTH_NAMES)}),? (?P<y>(?:19|20)\d{{2}})"),
]


_EVENT_DAY = re.compile(
    r"(?<!từ )(?<!đến )(?<!tới )(?:ngày|sáng|trưa|chiều|tối|đêm|rạng sáng) (?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}))?"
)


_EVENT_DAY_EN = re.compile(
    rf"\bon (?P<month>{'|'.join(_MONTH_NAMES)}) (?P<d>\d{{1,2}})(?:,? (?P<y>\d{{4}}))?"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_EVENT_WEEKDAY_EN = re.compile(rf"\bon (?P<weekday>{'|'.join(_WEEKDAYS)})\b")


def find_event_day(sentence: str, published: dt.date | None) -> Period | None:
    """The day an incident happened ("ngày 16/10/2019", "rạng sáng 14/6", "on October 9"), year inferred if left out."""
    lowered = sentence.lower()
    vi, en = _EVENT_DAY.search(lowered), _EVENT_DAY_EN.search(lowered)
    m = vi or en
    if m is None:
        return _weekday(lowered, sentence, published)
    month = m["m"] if vi else str(_MONTH_NAMES.index(m["month"]) + 1)
    year, inferred = _year(m["y"], published)
    day = _date(m["d"], month, str(year) if year else None, None)
    if day is None:
        return None
    day, _, inferred = _before_published(day, day, inferred, published)
    return Period(day, day, sentence[m.start() : m.end()], inferred)


def _weekday(lowered: str, sentence: str, published: dt.date | None) -> Period | None:
    """News tells of "on Tuesday": the last such day up to the date line (inferred)."""
    m = _EVENT_WEEKDAY_EN.search(lowered)
    if m is None or published is None:
        return None
    day = published - dt.timedelta(days=(published.weekday() - _WEEKDAYS.index(m["weekday"])) % 7)
    return Period(day, day, sentence[m.start() : m.end()], True)


# An official document dates itself under its number: "Lào Cai, ngày 15 tháng 12 năm 2023".
_OFFICIAL_DATE_LINE = re.compile(
    r"^[^\W\d][^\n,]{1,40}, ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>(?:19|20)\d{2})", re.I | re.M
)
TOP_LINES = 4  # where a news page or a text states its date
OFFICIAL_LINES = 12  # where an official document's header ends


def find_published(head: str) -> dt.date | None:
    """The report's date from its first lines: an official date line among the first OFFICIAL_LINES, else a
    date among the first TOP_LINES (``Thứ Sáu, 12/10/2018``)."""
    lines = head.splitlines()
    top = "\n".join(lines[:TOP_LINES]).lower()
    official = _OFFICIAL_DATE_LINE.search("\n".join(lines[:OFFICIAL_LINES]))
    for m in (official, *_PUBLISHED):
        m = m.search(top) if isinstance(m, re.Pattern) else m  # each pattern only if the ones before failed
        if m:
            month = _MONTH_NAMES.index(m["month"]) + 1 if "month" in m.re.groupindex else int(m["m"])
            try:
                return dt.date(int(m["y"]), month, int(m["d"]))
            except ValueError:
                continue
    return None


_CODE = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<h>H[12])|(?P<m>\d{2})))?$", re.I)


def parse_period_code(code: str) -> Period:
    """A period written as a code in tables and on the command line: ``2024``, ``2024-Q3``, ``2024-H1``, ``2024-06``.

    Raises ValueError naming the accepted forms.
    """
    m = _CODE.match(code.strip())
    if not m:
        raise ValueError(f"period {code!r} is not one of 2024, 2024-Q3, 2024-H1, 2024-06")
    year = int(m["y"])
    if m["q"]:
        quarter = int(m["q"][1])
        return Period(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), code.upper())
    if m["h"]:
        half = int(m["h"][1])
        return Period(dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half), code.upper())
    if m["m"]:
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise ValueError(f"period {code!r}: month {month} does not exist")
        return Period(dt.date(year, month, 1), _month_end(year, month), code)
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), code)
