"""The cue table (``cues.toml``) compiled into the patterns the prose reader uses."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

# A count that no action governs, in a results table ("Số vụ") or a sentence that only sorts counts by domain
# ("Kết quả: ma túy 45 vụ/60 đối tượng"), counts what was found.
DEFAULT_ACTION = "detected"


def _alternation(phrases: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True))


@dataclass(frozen=True)
class Cues:
    # Every pattern is lower case and is matched on lower-cased text.
    actions: re.Pattern[str]  # one named group per action class
    change: re.Pattern[str]  # "tăng", "giảm" right before a number: a difference, not a figure
    threshold: re.Pattern[str]  # "từ 100 gam heroin trở lên" after a number: a legal threshold, not a figure
    not_counted: re.Pattern[str]  # "phấn đấu", "dự toán" before a number in its clause: a plan, not a result
    abroad: re.Pattern[str]  # "Thailand seized" in the clause before a number: another country's figure
    revenue: re.Pattern[str]  # "thuế nhập khẩu" before a sum: the state's revenue, not enforcement's
    passive: re.Pattern[str]  # "bị", "were" after a figure: its action comes after it
    auxiliary: re.Pattern[str]  # the same words anywhere: a sentence's passive that comes after its figures
    other_side: re.Pattern[str]  # "phía bạn" as the agent of a hand-over: the figure is of people received
    nouns: dict[str, re.Pattern[str]]  # anchored at the end of a number
    any_noun: re.Pattern[str]  # all nouns in one pattern: one call rejects a number with no noun after it
    labels: re.Pattern[str]  # "không xác định được chủ sở hữu:" before a number: the noun it counts, by group
    column_labels: re.Pattern[str]  # the labels heading a table column: "Thuốc lá điếu (bao)", "Heroin (kg)"
    money_prefix: re.Pattern[str]  # "VND" written before the number
    mass: re.Pattern[str]  # the mass unit that opens a noun such as "kg heroin"
    masses: dict[str, float]  # unit pattern -> grams
    rules: dict[tuple[str, str], str]  # (action, noun) -> metric; action "*" for nouns that decide alone
    substances: re.Pattern[str]  # one named group per metric, for masses stated apart from their substance
    counted: dict[str, re.Pattern[str]]  # metric -> what a bare unit ("bánh") after it counts
    categories: re.Pattern[str]
    forces: re.Pattern[str]  # "Công an", "BĐBP", "customs": who found a figure
    subset: re.Pattern[str]
    incident: re.Pattern[str]
    qualifiers: re.Pattern[str]
    qualifier_of: dict[str, str]
    preposition: re.Pattern[str]  # "trải trên" before a number: a place, not "over"
    units: re.Pattern[str]


def _one_of(groups: dict[str, list[str]]) -> re.Pattern[str]:
    """One pattern with a named group per key (``match.lastgroup`` says which), whole words only.

    The leading \b lets the engine skip most positions at once (3x faster than a look-behind per group), and
    a look-ahead for the letters the phrases start with skips most words (1.5x faster again).
    """
    alternatives = "|".join(
        rf"(?P<{key}>(?:{_alternation(phrases)})(?!\w))" for key, phrases in groups.items()
    )
    ahead = _first_letters_ahead([phrase for phrases in groups.values() for phrase in phrases])
    return re.compile(rf"\b{ahead}(?:{alternatives})")


def _words(phrases: list[str]) -> re.Pattern[str]:
    """Any of the phrases, as whole words, found as fast as ``_one_of`` finds them."""
    return re.compile(rf"\b{_first_letters_ahead(phrases)}(?:{_alternation(phrases)})(?!\w)")


def _first_letters_ahead(phrases: list[str]) -> str:
    """A look-ahead for the characters the phrases can start with, or "" where one of them is not plain."""
    firsts: set[str] = set()
    for phrase in phrases:
        letters = _first_letters(phrase)
        if letters is None:
            return ""
        firsts |= letters
    return f"(?=[{''.join(sorted(firsts))}])"


_LOOK_BEHIND = re.compile(r"\(\?<[!=][^()]*\)")


def _first_letters(phrase: str) -> set[str] | None:
    """The letters a phrase can start with: its first letter, the first letters of the alternatives of a
    group that opens it ("(?:collect|paid)…"), digits for "\\d"; None for any other start."""
    phrase = _LOOK_BEHIND.sub("", phrase) if phrase.startswith("(?<") else phrase
    if phrase.startswith("\\d"):
        return set("0123456789")
    if phrase[:1].isalnum():
        return {phrase[0]}
    if not phrase.startswith("(?:"):
        return None
    depth, parts, start = 0, [], 3
    for i, char in enumerate(phrase[3:], 3):
        if char == "(" and phrase[i - 1] != "\\":
            depth += 1
        elif char == ")" and phrase[i - 1] != "\\":
            if depth == 0:
                parts.append(phrase[start:i])
                if phrase[i + 1 : i + 2] in ("?", "*"):  # an optional opening: what follows can start it too
                    parts.append(phrase[i + 2 :])
                elif phrase[i + 1 : i + 2] == "{":
                    return None
                break
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(phrase[start:i])
            start = i + 1
    else:
        return None
    letters = [_first_letters(part) for part in parts]
    return None if any(found is None for found in letters) else set().union(*letters)


# Between a figure and its passive, words set off by commas that name no other figure: "Two suspects, aged 29
# and 33, were arrested", "Three men, all from Lao Cai, were detained".
_APPOSITION = r"(?:,(?: aged [^,;.()]{1,20}|[^,;.()\d]{1,40}),)"


@cache
def cues() -> Cues:
    raw = tomllib.loads(resources.files("ingest").joinpath("cues.toml").read_text(encoding="utf-8"))
    # Text is matched lower-cased, with lower-case patterns: 3-4x faster than IGNORECASE.
    raw = {
        section: {
            k: [p.lower() for p in v] if isinstance(v, list) and section != "rules" else v
            for k, v in t.items()
        }
        for section, t in raw.items()
    }
    actions, around = raw["actions"], raw["around_figures"]
    mass = "(?:" + _alternation(list(raw["masses"])) + r")(?!\w)"
    nouns = {
        name: re.compile(r"\s*(?:" + _alternation(p).replace("{mass}", mass) + r")(?!\w)")
        for name, p in raw["nouns"].items()
    }
    labels = "|".join(f"(?P<{noun}>{_alternation(p)})" for noun, p in raw["labels"].items())
    qualifier_of = {
        phrase: kind
        for kind, phrases in raw["qualifiers"].items()
        if kind != "preposition"
        for phrase in phrases
    }
    return Cues(
        actions=_one_of(actions),
        change=re.compile(r"(?<!\w)(?:" + _alternation(around["change"]) + r")\s*(?:thêm\s*)?$"),
        threshold=re.compile(r"[^,;.]{0,40}?(?<!\w)(?:" + _alternation(around["threshold"]) + r")(?!\w)"),
        passive=re.compile(
            rf"[^,;.()]{{0,30}}?{_APPOSITION}?,?\s*(?<!\w)(?:{_alternation(around['passive'])})\s+"
        ),
        not_counted=_words(around["not_counted"]),
        abroad=_words(around["abroad"]),
        revenue=_words(around["revenue"]),
        auxiliary=_words(around["passive"]),
        other_side=_words(around["other_side"]),
        nouns=nouns,
        any_noun=re.compile("|".join(f"(?:{pattern.pattern})" for pattern in nouns.values())),
        labels=re.compile(rf"(?:{labels})\s*:\s*$"),
        column_labels=re.compile(rf"(?:{labels})(?:\s*\((?P<unit>[^()]*)\))?"),
        money_prefix=re.compile(r"(?:vnd|vnđ)\s*$"),
        mass=re.compile(r"\s*(" + mass + ")"),
        masses={k.lower(): float(v) for k, v in raw["masses"].items()},
        rules={(action, noun): metric for metric, action, noun in raw["rules"]["table"]},
        substances=_one_of(raw["substances"]),
        counted={metric: _words(names) for metric, names in raw["counted"].items()},
        categories=_one_of(raw["categories"]),
        forces=_words(raw["forces"]["names"]),
        subset=_words(raw["scopes"]["subset"]),
        incident=_words(raw["scopes"]["incident"]),
        qualifiers=re.compile(r"(?<!\w)(" + _alternation(list(qualifier_of)) + r")\s*$"),
        qualifier_of=qualifier_of,
        preposition=re.compile(r"(?<!\w)(?:" + _alternation(raw["qualifiers"]["preposition"]) + r")\s*$"),
        units=re.compile(
            rf"\b{_first_letters_ahead(raw['units']['patterns'])}(?:{_alternation(raw['units']['patterns'])})"
            r"(?: tỉnh| thành phố)?\s+$"
        ),
    )


def grams_in_unit(grams: float, unit: str) -> float:
    """A mass in grams, in a metric's unit: drugs count grams, firecrackers kilograms."""
    return grams / 1000 if unit == "kg" else grams


def mass_in_grams(word: str, cue_table: Cues) -> float:
    """The size in grams of a mass unit as written (``kg``, ``tấn``, ``gam``)."""
    word = word.lower()
    for pattern, grams in cue_table.masses.items():
        if re.fullmatch(pattern, word):
            return grams
    raise KeyError(word)
