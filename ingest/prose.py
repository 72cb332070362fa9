"""Figures in prose: a number, the noun after it that says what is counted, and the action that governs it."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.across_figures import breakdowns_add_up, headlines_take_the_body_period, subsets_need_a_total
from ingest.actions import (
    continued_action,
    governing_action,
    heading_action,
    label_action,
    later_passive,
    passive_action,
)
from ingest.cues import DEFAULT_ACTION, Cues, cues, grams_in_unit, mass_in_grams
from ingest.numbers import find_numbers, parse_number
from ingest.periods import (
    Period,
    PeriodMention,
    align_to_data_window,
    find_event_day,
    find_periods,
    find_published,
)
from ingest.places import fold_tones, main_province, province_names
from ingest.text_tables import is_table_row, prose_cells, read_text_tables
from schemas.catalog import metrics

_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n|[.!?]$")
NO_PERIOD = Period(None, None, "")
COUNTED_REACH = 240  # characters before a bare unit ("28.640 bao") in which what it counts is named
CLAUSE_REACH = 60  # characters before a number in which a plan or the state's revenue makes it no figure
BREAKDOWN_NOUNS = frozenset({"case", "subject"})  # what a report sorts by domain without saying so
# What follows a figure up to the next figure or clause: "14 vụ/19 đối tượng mua bán, vận chuyển trái phép chất
# ma túy" is one item; the window is capped so that a long sentence does not lend its end to its start.
_CLAUSE_END = re.compile(r"[;:()]|(?<=\s)\d")
_AFTER_REACH = 90
# A list goes on while its lines start like items ("a)", "-", "+", "1."); one opened by "trong đó:" or
# "cụ thể:" breaks down the total before it.
_LIST_ITEM = re.compile(r"\s*(?:[a-zđ]\)|[-+•–*]|\d{1,2}[.)])\s")
# "Số đối tượng: 160." names what is counted before the number.
_COUNT_LABEL = re.compile(r"(?:tổng )?số\s+(?P<label>[^:;.]{1,40}?)\s*:\s*$")
# "ước tính 15,7 tỷ." names no "đồng": a large scale word that ends the clause is money, as is "tr.đ".
_SCALE_ENDS_CLAUSE = re.compile(r"(?:(?<=tỷ)|(?<=tỉ)|(?<=billion)|(?<=tr\.đ)|(?<=trđ))\s*(?:[.;,)]|$)")
_IN_A_CHANGE = re.compile(r"\((?:tăng|giảm|up|down|an increase of|a decrease of)\b[^()]*$")
_PAIR_GAP = re.compile(r"\s*[,/]?\s*(?:với|gồm|có|with|involving)?\s*")  # "198 vụ, 243 đối tượng"


@dataclass(frozen=True)
class Mention:
    """One figure found in the text, before it is given its document-level context."""

    start: int
    end: int
    metric: str
    value: float
    qualifier: str
    category: str
    scope: str
    action: str
    noun: str


@dataclass(frozen=True)
class DocumentContext:
    published: dt.date | None
    province: str | None
    reporting_unit: str | None
    periods: list[PeriodMention]  # in text order
    period_offsets: list[int]
    # For each period, the period that opens its sentence ("Năm 2023, …"), which governs the sentences after it
    # rather than one told later in passing ("…, bởi năm 2019 chúng ta từng …"); else itself.
    governing: list[int]
    clause_marks: list[int]  # where a ";" or ":" opens a clause, in order


def read_prose(text: str, lang: str) -> list[dict[str, object]]:
    """Every figure stated in ``text``, as dicts of the figure columns that the text alone decides: in its
    sentences, and in the tables it holds (``ingest.text_tables``)."""
    lines = LineIndex(text)
    has_body = "\n" in text.strip()  # the first line is a title only when something follows it
    text = unwrap(text)
    spans = sentences(text)
    lowered = _lowered(text)  # every cue pattern is lower case
    context = document_context(text, [start for start, _ in spans], lowered)
    rows = []
    numbers = find_numbers(lowered, lang)
    starts = [m.start() for m in numbers]
    carried: dict[str, str] = {}  # what the sentence before counted, noun -> action, for "Trong đó, 14 vụ …"
    first_counted: dict[str, str] = {}  # noun -> the action the report first counted it with
    listing = False  # inside a list opened by "trong đó:", whose items break down the total before it
    was_item = False
    event: Period | None = None  # the day of the event a paragraph tells, for what is seized after it
    for sentence_start, sentence_end in spans:
        body = lowered[sentence_start:sentence_end].strip()
        if not body:
            continue
        if is_table_row(body):  # its figure columns are read below, with the table
            for cell_start, cell_end in prose_cells(lowered, sentence_start, sentence_end):
                inside = numbers[
                    bisect.bisect_left(starts, cell_start) : bisect.bisect_left(starts, cell_end)
                ]
                for mention in sentence_mentions(lowered, cell_start, cell_end, inside, lang, cues()):
                    period = figure_period(mention, mention.scope, text, cell_start, cell_end, context)
                    quoted = quote(text, mention.start, mention.end, cell_start, cell_end)
                    rows.append(_row(mention, mention.scope, period, quoted, context, lines, lang))
            continue
        event = _event_day(text, sentence_start, sentence_end, body, context, event)
        is_item = _LIST_ITEM.match(body) is not None
        item, continues = listing and is_item, was_item and is_item
        was_item = is_item or body.endswith(":")  # the items after "Phân theo hành vi vi phạm:" go on from it
        listing = item or (body.endswith(":") and cues().subset.search(body) is not None)
        first, last = bisect.bisect_left(starts, sentence_start), bisect.bisect_left(starts, sentence_end)
        mentions = (
            sentence_mentions(
                lowered,
                sentence_start,
                sentence_end,
                numbers[first:last],
                lang,
                cues(),
                carried,
                in_list=item,
                continues=continues,
            )
            if first < last
            else []
        )
        acted = [m for m in mentions if m.action != "*"]
        for mention in acted:
            first_counted.setdefault(mention.noun, mention.action)
        # A noun continues the first action it had in the sentence before (the total), any other noun its last
        # action; a noun that sentence did not count, the report's first count of it, its main total ("Theo đơn
        # vị thực hiện: BĐBP 41 vụ; …" after a sentence on the value of goods).
        if acted:
            carried = first_counted | {"": acted[-1].action} | {m.noun: m.action for m in reversed(acted)}
        elif not mentions and (heading := heading_action(body, cues())):  # "1. Số vụ phát hiện, bắt giữ"
            named = {noun: heading for action, noun in cues().rules if action == heading}
            carried, was_item = first_counted | {"": heading} | named, True  # the items below go on from it
        for mention in mentions:
            line = lines.position(mention.start)[0]
            titled = line == 1 and has_body and mention.scope == "period_total"
            scope = "headline" if titled else mention.scope
            period = figure_period(mention, scope, text, sentence_start, sentence_end, context)
            if (
                event
                and scope == "period_total"
                and _seized_in_event(mention, sentence_start, sentence_end, context)
            ):
                scope, period = "incident", event
            elif event and scope == "incident" and period.start is None:  # "Khoảng 15 giờ cùng ngày, …"
                period = event
            quoted = quote(text, mention.start, mention.end, sentence_start, sentence_end)
            rows.append(_row(mention, scope, period, quoted, context, lines, lang))
    rows = headlines_take_the_body_period(subsets_need_a_total(breakdowns_add_up(rows, cues())))
    for cell in read_text_tables(lowered, cues(), lang):
        figure = Mention(
            cell.start, cell.end, cell.metric, cell.value, "exact", cell.category, cell.scope, "*", ""
        )
        period = (
            NO_PERIOD
            if cell.scope == "stock"
            else period_of(cell.start, cell.row_start, cell.row_end, context)
        )
        if cell.years and cell.scope != "stock":  # a row labelled with a year covers that year
            first, last = cell.years
            label = str(first) if first == last else f"{first}-{last}"
            period = Period(dt.date(first, 1, 1), dt.date(last, 12, 31), label)
        quoted = " ".join(text[cell.row_start : cell.row_end].split())
        rows.append(_row(figure, cell.scope, period, quoted, context, lines, lang))
    return sorted(rows, key=lambda row: row["span_start"])


def _row(
    mention: Mention,
    scope: str,
    period: Period,
    quoted: str,
    context: DocumentContext,
    lines: LineIndex,
    lang: str,
) -> dict[str, object]:
    line, column = lines.position(mention.start)
    return {
        "locator": f"L{line}:C{column}",
        "span_start": mention.start,
        "span_end": mention.end,
        "line": line,
        "quote": quoted,
        "reporting_unit": context.reporting_unit,
        "province": context.province,
        "period_start": period.start.isoformat() if period.start else None,
        "period_end": period.end.isoformat() if period.end else None,
        "period_label": period.label or None,
        "period_inferred": period.inferred,
        "published": context.published.isoformat() if context.published else None,
        "metric": mention.metric,
        "category": mention.category,
        "scope": scope,
        "value": mention.value,
        "unit": metrics()[mention.metric].unit,
        "qualifier": mention.qualifier,
        "lang": lang,
    }


_SAME_DAY = re.compile(r"\b(?:cùng ngày|cùng thời điểm|the same day)\b")  # still the event's day


def _event_day(
    text: str, start: int, end: int, body: str, context: DocumentContext, event: Period | None
) -> Period | None:
    """The day of the event the paragraph tells: set by a sentence about one event ("Rạng sáng 22/7/2023, …"),
    kept for the sentences after it, forgotten at the next paragraph."""
    if (start == 0 or text[start - 1] == "\n") and not _SAME_DAY.search(body):
        event = None
    if "/" in body or "on " in body:  # a day is written "ngày 22/7", "on July 22", "on Tuesday"
        event = find_event_day(text[start:end], context.published) or event
    return event


def _seized_in_event(mention: Mention, start: int, end: int, context: DocumentContext) -> bool:
    """What a sentence after the event's says was seized ("… thu giữ 18 bánh heroin") belongs to that event,
    unless the sentence states a period of its own."""
    if metrics()[mention.metric].group != "seizures":
        return False
    first = bisect.bisect_left(context.period_offsets, start)
    return first == len(context.period_offsets) or context.period_offsets[first] >= end


HEAD_CHARS, TAIL_CHARS = 5000, 400  # who reports, where and when is said at the top or in the byline


def document_context(text: str, sentence_starts: list[int], lowered: str) -> DocumentContext:
    top = text[:HEAD_CHARS]
    title = top.split("\n", 1)[0]
    published = find_published(top)
    tail_start = max(len(top), len(text.rstrip()) - TAIL_CHARS)
    province = main_province(top + "\n" + text[tail_start:], title)
    unit = reporting_unit(top, text[tail_start:], title)
    periods = align_to_data_window(find_periods(text, published, lowered))
    offsets = [p.offset for p in periods]
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)]
    return DocumentContext(
        published, province, unit, periods, offsets, _governing(text, sentence_starts, offsets), marks
    )


OPENING_CHARS = 12  # "Năm 2023, …", "Trong quý I/2024, …": a period this near its sentence's start opens it


def _governing(text: str, starts: list[int], offsets: list[int]) -> list[int]:
    sentence_of = [starts[bisect.bisect_right(starts, offset) - 1] for offset in offsets]
    governing: list[int] = []
    for i, offset in enumerate(offsets):
        opener = governing[i - 1] if i and sentence_of[i - 1] == sentence_of[i] else i
        opens = offsets[opener] - sentence_of[opener] <= OPENING_CHARS
        # A comparison in brackets ("(cùng kỳ năm 2020 phát hiện 29 vụ)") is an aside: the period before goes on.
        opening = text.rfind("(", sentence_of[i], offset)
        aside = i and opening > text.rfind(")", sentence_of[i], offset) and _COMPARED.match(text, opening + 1)
        governing.append(opener if opens else governing[i - 1] if aside else i)
    return governing


_CLAUSE_MARK = re.compile(r"[;:]")
_COMPARED = re.compile(r"\s*(?:cùng kỳ|so với|năm trước|the same period|compared)", re.IGNORECASE)


def reporting_unit(top: str, tail: str, title: str) -> str | None:
    """The body that reports: named with its province in the byline, else the first named from the title on."""
    byline = list(_units_named(tail))
    if byline:  # a byline "(Ban Nội chính Tỉnh ủy Cao Bằng)" names the author
        return byline[-1]
    return next(_units_named(top), None)


def _units_named(text: str) -> Iterator[str]:
    """Organisations named with their province ("BĐBP tỉnh Lạng Sơn"), in order."""
    folded = fold_tones(text)
    lowered = _lowered(folded)
    for m in province_names(folded):
        unit = cues().units.search(lowered, max(0, m.start() - 60), m.start())
        if unit:
            yield text[unit.start() : m.end()].strip()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: ended by . ! ? before a space, or by a line break (see ``unwrap``)."""
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def unwrap(text: str) -> str:
    """The text with each line break inside a sentence made a space, offsets unchanged: PDFs and hard-wrapped
    text cut sentences and phrases at a width ("phát hiện, bắt giữ\n347 vụ", "xã biên\ngiới")."""
    wrapped_at = _wrap_width(text)
    cuts = [m.start() for m in re.finditer("\n", text) if _wraps(text, m.start(), wrapped_at)]
    if not cuts:
        return text
    pieces, last = [], 0
    for cut in cuts:
        pieces += [text[last:cut], " "]
        last = cut + 1
    return "".join([*pieces, text[last:]])


def _wrap_width(text: str) -> int:
    """The length from which a line was cut to fit a width, as PDFs and hard-wrapped text cut them: three
    quarters of the length most lines reach (lines of a paragraph-per-line text reach far, so few count)."""
    lengths = sorted(len(line) for line in text.splitlines() if line.strip())
    return int(0.75 * lengths[int(0.8 * (len(lengths) - 1))]) if len(lengths) >= 5 else len(text) + 1


def _wraps(text: str, newline: int, wrapped_at: int) -> bool:
    """A line break inside a sentence ("phát hiện, bắt giữ\n347 vụ"): the line does not end a sentence or open
    a list, the next is no item, and either the line was cut at the width or the next goes on in lower case."""
    if not newline or text[newline - 1] in ".!?:;\n":  # most line breaks end a paragraph: decided at once
        return False
    line_start = text.rfind("\n", 0, newline) + 1
    line = text[line_start:newline].rstrip(" \t")
    after = text[newline + 1 : newline + 40].lstrip(" \t")
    if not line or not after or line[-1] in ".!?:;":
        return False
    # "biên giới Việt Nam\n- Lào 2.012 vụ": a dash after a line cut at the width goes on; after a short line or
    # an item, it opens an item.
    if _LIST_ITEM.match(after) and (len(line) < wrapped_at or _LIST_ITEM.match(line)):
        return False
    if is_table_row(line) or is_table_row(after.split("\n", 1)[0]):
        return False
    return len(line) >= wrapped_at or after[0].islower() or (after[0].isdigit() and line[-1].isalpha())


def sentence_mentions(
    lowered: str,
    start: int,
    end: int,
    numbers: list[re.Match[str]],
    lang: str,
    cue: Cues,
    carried: dict[str, str] | None = None,
    in_list: bool = False,
    continues: bool = False,
) -> list[Mention]:
    """The figures of one sentence of the lower-cased text, given the numbers found in it.

    ``carried`` is what the sentence before counted (noun -> action, "" -> its last action). A figure with no
    action of its own continues it when it is a breakdown ("trong đó", "of those", an item of a list that
    "trong đó:" opened: ``in_list``) or an item that follows another (``continues``).
    """
    sentence = lowered[start:end]
    # Most numbers in a report are dates and document numbers: with no noun after any of them, the sentence
    # holds no figure, and its actions and marks need not be looked for.
    if not any(_names_what_is_counted(sentence, m.start() - start, m.end() - start, cue) for m in numbers):
        return []
    actions = [(m.start(), m.end(), m.lastgroup) for m in cue.actions.finditer(sentence)]
    marks = SentenceMarks.of(sentence, cue, in_list)
    abroad = [m.end() for m in cue.abroad.finditer(sentence)]  # "Thailand seized …": what follows is not ours
    found: list[Mention] = []
    last_action_used: tuple[int, str] | None = None
    action_of_noun: dict[str, tuple[int, int, str]] = {}
    # Where the last count sorted by domain or force ends: the next item of its list may follow it.
    sorted_end = 0
    for m in numbers:
        at, number_end = m.start() - start, m.end() - start
        before = sentence[:at]
        if cue.change.search(cue.money_prefix.sub("", before[-30:])):  # "fines of up to VNĐ100 million"
            continue
        if _IN_A_CHANGE.search(before, max(0, at - 80)):  # "(tăng 38 vụ, 41 đối tượng so với cùng kỳ)"
            continue
        noun, noun_end, grams = _noun_after(sentence, number_end, before, cue)
        if noun is None or cue.threshold.match(sentence, noun_end):
            continue
        clause_start = max(sentence.rfind(";", 0, at) + 1, at - CLAUSE_REACH)
        if cue.not_counted.search(sentence, clause_start, at) or (
            noun == "money" and cue.revenue.search(sentence, clause_start, at)
        ):
            continue
        if abroad and any(sentence.rfind(";", 0, at) < end <= at for end in abroad):
            continue
        # "Về xử lý, 8 vụ … đã bị khởi tố": an action told in the passive right after the figure is its own
        action = (
            passive_action(sentence, noun_end, noun, cue)
            or label_action(actions, before, noun, cue)
            or governing_action(actions, at, last_action_used, noun, cue)
        )
        partitive = sentence.startswith("of ", number_end + 1)  # "Twenty-four of those cases": a breakdown
        # A sentence with no action that sorts counts by domain or force goes on from the one before ("Nhiều nhất
        # là buôn lậu với 27 vụ; ma túy 8 vụ", "Công an 120 vụ, BĐBP 80 vụ"): a breakdown without a marker; with
        # nothing before, it counts what was found ("Kết quả: ma túy 45 vụ/60 đối tượng"). Each count must follow
        # its domain or force ("có 156 người nghiện ma túy" is not one); counts in words ("một người") are not.
        counted_here = any((other[2], noun) in cue.rules for other in actions)  # "valued at" counts no case
        by_domain = (
            not counted_here
            and noun in BREAKDOWN_NOUNS
            and m["num"][0].isdigit()
            and (
                _named_right_before(sentence, at, cue)
                or _pairs_with_case(found, sentence, start, at)
                or bool(sorted_end and _NEXT_SORTED.fullmatch(sentence, sorted_end, at))
            )
        )
        sorted_end = noun_end if by_domain else sorted_end
        partitive = partitive or by_domain
        # The sentence's own verb, told after its figures, comes before what a breakdown would continue.
        if action is None:
            action = later_passive(sentence, noun_end, noun, actions, cue)
        if action is None and (in_list or continues or partitive or cue.subset.search(sentence, 0, at)):
            action = continued_action(noun, action_of_noun, carried, cue)
        if action is None and by_domain:
            action = (-1, -1, DEFAULT_ACTION)
        metric = cue.rules.get((action[2], noun)) if action else None
        metric = metric or cue.rules.get(("*", noun))
        if metric == "@substance":
            metric = _substance(sentence, at, cue)
        if noun.startswith("bare_") and metric in cue.counted:  # "heroin, gồm 4 bánh"
            named_from = max(sentence.rfind(";", 0, at) + 1, at - COUNTED_REACH)
            metric = metric if cue.counted[metric].search(sentence, named_from, at) else None
        if metric is None:
            continue
        if action:
            last_action_used = (action[0], action[2])
            action_of_noun[noun] = action
        value = parse_number(m.group("num"), lang) * (
            grams_in_unit(grams, metrics()[metric].unit) if grams is not None else 1.0
        )
        clause = BreakdownClause(sentence, actions, found, carried or {})
        qualifier, q_start = _qualifier(before, cue)
        category = _category(marks, sentence, at, noun_end, metric)
        found.append(
            Mention(
                start=start + (q_start if q_start is not None else at),
                end=start + noun_end,
                metric=metric,
                value=value,
                qualifier=qualifier,
                category=category,
                scope=_scope(marks, at, metric, partitive, clause, action[2] if action else "*"),
                action=action[2] if action else "*",
                noun=noun,
            )
        )
    return _share_pair_categories(found, sentence, start)


# What may stand between a domain or a force and its count: "buôn lậu là 45 vụ", "Công an tỉnh: 120 vụ",
# "Cục Hải quan An Giang 19 vụ" (a few words of a name, no digit, no comma).
_NAME_TO_COUNT = re.compile(r"(?:\s+[^\W\d]+){0,3}?\s*(?::|là|với|có)?\s*")


# The next item of a list sorted by domain: "ma túy 8 vụ; 6 vụ còn lại", "…; tàng trữ trái phép 402 vụ".
_NEXT_SORTED = re.compile(r"\s*[;,]\s*[^;\d]{0,60}")


def _named_right_before(sentence: str, at: int, cue: Cues) -> bool:
    """Whether a domain or a force is named right before a count ("ma túy 45 vụ", "BĐBP tỉnh 80 vụ")."""
    for pattern in (cue.categories, cue.forces):
        named = [m.end() for m in pattern.finditer(sentence, max(0, at - 50), at)]
        if named and _NAME_TO_COUNT.fullmatch(sentence, named[-1], at):
            return True
    return False


def _pairs_with_case(found: list[Mention], sentence: str, start: int, at: int) -> bool:
    """Whether a count goes with the case count right before it ("45 vụ/60 đối tượng")."""
    return (
        bool(found)
        and found[-1].noun == "case"
        and bool(_PAIR_GAP.fullmatch(sentence, found[-1].end - start, at))
    )


def _share_pair_categories(found: list[Mention], sentence: str, start: int) -> list[Mention]:
    """In "198 vụ, 243 đối tượng phạm tội về ma túy" the domain named after the pair holds for both figures."""
    shared = list(found)
    for i in range(len(shared) - 1):
        case, subject = shared[i], shared[i + 1]
        gap = sentence[case.end - start : subject.start - start]
        paired = (case.noun, subject.noun) == ("case", "subject") and _PAIR_GAP.fullmatch(gap)
        if paired and case.category == "all" and subject.category != "all":
            shared[i] = dataclasses.replace(case, category=subject.category)
    return shared


def _names_what_is_counted(sentence: str, at: int, end: int, cue: Cues) -> bool:
    """Whether a noun, a money sign or a count label goes with the number at ``at``: a quick test that most
    numbers (dates, document numbers) fail."""
    return bool(
        cue.any_noun.match(sentence, end)
        or cue.money_prefix.search(sentence, max(0, at - 8), at)
        or _SCALE_ENDS_CLAUSE.match(sentence, end)
        or (
            ":" in sentence[max(0, at - 3) : at]
            and bool(
                _COUNT_LABEL.search(sentence, max(0, at - 50), at)
                or cue.labels.search(sentence, max(0, at - 60), at)
            )
        )
    )


def _lowered(text: str) -> str:
    """Lower case with the same offsets (a few characters change length when lowered: keep those as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _noun_after(sentence: str, at: int, before: str, cue: Cues) -> tuple[str | None, int, float | None]:
    """The longest noun right after a number (with its mass in grams for "2,5 kg heroin"), or money written
    before it ("VND 1.1 billion")."""
    best: tuple[str | None, int, float | None] = (None, at, None)
    if cue.any_noun.match(sentence, at):  # one call rejects most numbers
        for name, pattern in cue.nouns.items():
            m = pattern.match(sentence, at)
            if m and m.end() > best[1]:
                mass = cue.mass.match(sentence, at)
                best = (name, m.end(), mass_in_grams(mass.group(1), cue) if mass and "mass" in name else None)
    if best[0] is None and (cue.money_prefix.search(before[-8:]) or _SCALE_ENDS_CLAUSE.match(sentence, at)):
        return "money", at, None
    labelled = cue.labels.search(before[-60:]) if ":" in before[-3:] else None
    if labelled and ("mass" not in str(labelled.lastgroup) or best[2] is not None):
        return labelled.lastgroup, best[1], best[2]
    if best[0] is None and (label := _COUNT_LABEL.search(before[-50:])):
        named = (name for name, pattern in cue.nouns.items() if pattern.match(label["label"]))
        return next(named, None), at, None
    return best


def _substance(sentence: str, at: int, cue: Cues) -> str | None:
    named = list(cue.substances.finditer(sentence, 0, at))
    return named[-1].lastgroup if named else None


def _qualifier(before: str, cue: Cues) -> tuple[str, int | None]:
    """The qualifier written right before a number, and where it starts in ``before``."""
    tail_start = max(0, len(before) - 40)
    tail = cue.money_prefix.sub("", before[tail_start:])  # "more than VND 92.6 billion"
    m = cue.qualifiers.search(tail[-20:])
    if not m or cue.preposition.search(tail[-30:]):
        return "exact", None
    return cue.qualifier_of.get(m.group(1).lower(), "exact"), tail_start + len(tail) - len(
        tail[-20:]
    ) + m.start()


def _clause_end(sentence: str, at: int) -> int:
    m = _CLAUSE_END.search(sentence, at, at + _AFTER_REACH)
    return m.start() if m else min(len(sentence), at + _AFTER_REACH)


@dataclass(frozen=True)
class SentenceMarks:
    """The cue words of one sentence that every figure in it consults, found once."""

    category_offsets: list[int]  # where each category word starts, in order
    category_ends: list[int]
    category_names: list[str]
    first_subset: int  # offset of "trong đó" and the like, or the sentence's length
    incident: bool

    @classmethod
    def of(cls, sentence: str, cue: Cues, in_list: bool = False) -> SentenceMarks:
        subset = cue.subset.search(sentence)
        named = list(cue.categories.finditer(sentence))
        return cls(
            category_offsets=[m.start() for m in named],
            category_ends=[m.end() for m in named],
            category_names=[m.lastgroup or "all" for m in named],
            first_subset=-1 if in_list else subset.start() if subset else len(sentence),
            incident=cue.incident.search(sentence) is not None,
        )


def _category(marks: SentenceMarks, sentence: str, at: int, noun_end: int, metric: str) -> str:
    """The crime domain the sentence restricts a figure to: named right before it ("buôn lậu 78 vụ, gian lận
    thương mại 31 vụ"), else right after it ("41 smuggling cases"), else the last one before it, else the first
    one after it in its clause ("bắt 02 đối tượng, thu giữ 96,4 gam ma túy đá"). A domain after a breakdown
    ("125 vụ, trong đó buôn lậu 78 vụ") belongs to the breakdown."""
    default = metrics()[metric].default_category
    if default != "all" or metrics()[metric].kind == "stock":
        return default
    offsets, names = marks.category_offsets, marks.category_names
    index = bisect.bisect_left(offsets, at)
    if index and not sentence[marks.category_ends[index - 1] : at].strip(" :"):
        return names[index - 1]
    after = offsets[index] if index < len(offsets) else len(sentence)
    if marks.first_subset > at and after > marks.first_subset:
        after = len(sentence)
    if after < _clause_end(sentence, noun_end):
        return names[index]
    if index:
        return names[index - 1]
    if after < len(sentence) and ";" not in sentence[at:after]:
        return names[index]
    return default


def _scope(
    marks: SentenceMarks, at: int, metric: str, partitive: bool, clause: BreakdownClause, action: str
) -> str:
    if metrics()[metric].default_scope == "stock":
        return "stock"
    if marks.incident:  # one event stays one event, even told inside a breakdown
        return "incident"
    if partitive or _in_breakdown(marks, at, action, clause):
        return "subset"
    return "period_total"


@dataclass(frozen=True)
class BreakdownClause:
    sentence: str
    actions: list[tuple[int, int, str]]
    found: list[Mention]  # the breakdown so far
    carried: dict[str, str]  # what the sentence before counted: the total, noun -> action


def _in_breakdown(marks: SentenceMarks, at: int, action: str, clause: BreakdownClause) -> bool:
    """After "trong đó", up to a clause that counts something new with an action of its own: "…, trong đó ma túy
    là 71 vụ; thu giữ 24 bánh heroin; khởi tố 58 vụ" breaks down the cases found, not the seizures nor the
    prosecutions; "Theo lực lượng: Công an bắt giữ 23.120 vụ; Bộ đội Biên phòng bắt giữ 1.762 vụ" breaks down
    both."""
    if marks.first_subset >= at:
        return False
    semicolon = clause.sentence.rfind(";", marks.first_subset, at)
    if semicolon < 0 or action in {f.action for f in clause.found} | set(clause.carried.values()):
        return True
    return not any(semicolon < action[0] < at for action in clause.actions)


def figure_period(
    mention: Mention, scope: str, text: str, sentence_start: int, sentence_end: int, context: DocumentContext
) -> Period:
    """A stock figure (border length, communes) has no period; an incident happened on its day; any other
    figure covers the period stated around it."""
    if metrics()[mention.metric].kind == "stock":
        return NO_PERIOD
    stated = period_of(mention.start, sentence_start, sentence_end, context)
    if scope == "incident":
        return find_event_day(text[sentence_start:sentence_end], context.published) or stated
    return stated


def period_of(at: int, sentence_start: int, sentence_end: int, context: DocumentContext) -> Period:
    """The period a figure covers: stated before it in its clause, else first in its sentence before it, else
    after it in its sentence, else the last one stated before it (or the one that opened its sentence).

    A period told in passing ("…, bởi năm 2019 chúng ta từng xử lý 2.876 vụ, nhưng …: số vụ khởi tố 168 vụ")
    governs its own clause, not the rest of the sentence nor the sentences after it.
    """
    mentions, offsets = context.periods, context.period_offsets
    before = bisect.bisect_left(offsets, at)
    marks = context.clause_marks
    clause_start = max(
        sentence_start, marks[bisect.bisect_left(marks, at) - 1] if marks and marks[0] < at else 0
    )
    if before and offsets[before - 1] >= clause_start:
        return mentions[before - 1].period
    in_sentence = bisect.bisect_left(offsets, sentence_start)
    if in_sentence < before:
        return mentions[in_sentence].period
    if before < len(mentions) and offsets[before] < sentence_end:
        return mentions[before].period
    return mentions[context.governing[before - 1]].period if before else NO_PERIOD


def quote(text: str, figure_start: int, figure_end: int, sentence_start: int, sentence_end: int) -> str:
    start = max(sentence_start, figure_start - 60)
    end = min(sentence_end, figure_end + 30)
    while start > sentence_start and not text[start - 1].isspace():
        start -= 1
    while end < sentence_end and not text[end].isspace() and text[end] not in ",;.":
        end += 1
    return " ".join(text[start:end].split())


class LineIndex:
    """Offsets to 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1
