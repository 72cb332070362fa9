"""Extraction quality on the labelled development set (tests/data/prose): the targets of the prose reader."""

from __future__ import annotations

import pytest

from bench.extraction import evaluate, labelled_texts


@pytest.fixture(scope="module")
def scores():
    return evaluate(labelled_texts())


def test_the_development_set_is_large_and_varied():
    cases = labelled_texts()
    assert len(cases) >= 25
    assert sum(1 for _, expected in cases if not expected) >= 5
    assert sum(1 for path, _ in cases if "-en-" in path.name) >= 4


def test_precision_and_recall_meet_their_targets(scores):
    misses = "\n".join(note for note in scores.notes if note[0] in "+-")
    assert scores.precision >= 0.99, misses
    assert scores.recall >= 0.97, misses


@pytest.mark.parametrize(
    "attribute, floor",
    [("qualifier", 0.98), ("category", 0.9), ("scope", 0.95), ("period_start", 0.95), ("period_end", 0.95)],
)
def test_found_figures_carry_the_right_attributes(scores, attribute, floor):
    assert scores.agreement(attribute) >= floor
