"""Provinces named in a report, normalised: the names used before the 2025 merger and after it."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Old and new tone placement ("Hoà" / "Hòa") are both in use; fold to one so either spelling matches.
_OLD_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy"}


def fold_tones(text: str) -> str:
    """Move tone marks to the new-style place; the result has the same length, so offsets hold."""
    for old, new in _OLD_TONES.items():
        text = text.replace(old, new).replace(old.capitalize(), new.capitalize())
    return text


@dataclass(frozen=True)
class Province:
    name: str
    current: str


@cache
def provinces() -> dict[str, Province]:
    """Every spelling we accept, mapped to the province (name of its era and the province since 2025)."""
    text = resources.files("ingest").joinpath("provinces.csv").read_text(encoding="utf-8")
    table: dict[str, Province] = {}
    for row in csv.DictReader(text.splitlines()):
        province = Province(row["name"], row["current"])
        for spelling in [row["name"], *filter(None, row["aliases"].split("|"))]:
            table[fold_tones(spelling)] = province
    return table


@cache
def province_pattern() -> re.Pattern[str]:
    # No word boundary in front: with the names' capitals first, the engine jumps from capital to capital
    # (4x faster); province_names tests the boundary.
    names = sorted(provinces(), key=len, reverse=True)
    return re.compile(r"(" + "|".join(map(re.escape, names)) + r")(?!\w)")


def province_names(folded: str) -> Iterator[re.Match[str]]:
    """The province names in a text passed through ``fold_tones``, each as a whole word."""
    for m in province_pattern().finditer(folded):
        if not m.start() or not _WORD.match(folded, m.start() - 1):
            yield m


_WORD = re.compile(r"\w")


def find_provinces(text: str) -> list[tuple[int, Province]]:
    """Each mention of a province in ``text`` with its offset."""
    return [(m.start(), provinces()[m.group(1)]) for m in province_names(fold_tones(text))]


def main_province(text: str, title: str = "") -> str | None:
    """The province a report is about: the first named in its title, else the one it names most."""
    in_title = find_provinces(title)
    if in_title:
        return in_title[0][1].name
    counts = Counter(p.name for _, p in find_provinces(text))
    return counts.most_common(1)[0][0] if counts else None


def normalise_province(name: str) -> str | None:
    """The canonical name for a spelling (``Thừa Thiên - Huế`` -> ``Thừa Thiên Huế``), or None."""
    found = provinces().get(fold_tones(name.strip()))
    if found is None:
        cleaned = re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", name.strip(), flags=re.IGNORECASE)
        found = provinces().get(fold_tones(cleaned))
    return found.name if found else None
