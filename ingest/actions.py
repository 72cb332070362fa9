"""Which action governs a figure: the one before it, the one its label or heading names, the passive after it,
or the one the sentence before counted its noun with. An action is (start, end, name) in the lower-cased
sentence, its name a key of ``[actions]`` in ``cues.toml``."""

from __future__ import annotations

import re

from ingest.cues import Cues

Action = tuple[int, int, str]
ACTION_REACH = 80  # characters between an action and the first number it governs
_AGENT = re.compile(r"[^,;.()\d]{0,40}")  # who acted, between a passive auxiliary and its action


def governing_action(
    actions: list[Action], at: int, last_used: tuple[int, str] | None, noun: str, cue: Cues
) -> Action | None:
    """The nearest action before the number that has a meaning with its noun, within reach or chained.

    "phát hiện 03 vụ, giải cứu 07 nạn nhân; về buôn lậu 28 vụ": "giải cứu" means nothing with "vụ", so the
    28 cases belong to "phát hiện".
    """
    preceding = [a for a in actions if a[1] <= at]
    for action in reversed(preceding):
        if (action[2], noun) not in cue.rules:
            continue
        chained = last_used is not None and last_used[0] == action[0]
        return action if chained or at - action[1] <= ACTION_REACH else None
    return None


def label_action(actions: list[Action], before: str, noun: str, cue: Cues) -> Action | None:
    """In a label before a colon, its first action is what is counted: "Chuyển giao cho cơ quan khác xử lý theo
    thẩm quyền: 21 vụ" counts cases handed over; the "xử lý" after it says what for. ``before`` is the sentence
    up to the figure."""
    label = before.rstrip()
    if not label.endswith(":"):
        return None
    label_start = max(label.rfind(mark, 0, len(label) - 1) for mark in ";:(") + 1
    in_label = [
        a for a in actions if label_start <= a[0] and a[1] <= len(before) and (a[2], noun) in cue.rules
    ]
    return in_label[0] if in_label else None


def passive_action(sentence: str, noun_end: int, noun: str, cue: Cues) -> Action | None:
    """The action told after a figure in the passive ("Hơn 1.700 vụ phạm tội về ma túy bị phát hiện"), its
    agent perhaps between them ("143 vụ đã được các lực lượng chức năng phát hiện")."""
    auxiliary = cue.passive.match(sentence, noun_end) or _ACTION_FOLLOWS.match(sentence, noun_end)
    return _action_after(sentence, auxiliary.end(), noun, cue) if auxiliary else None


# No auxiliary, yet the action follows the figure: "01 vụ còn lại chuyển Công an xã", "VND12 billion worth of
# smuggled goods", and English headlines' "42 people caught sneaking into Vietnam".
_ACTION_FOLLOWS = re.compile(r"\s*(?:còn lại|khác)\s+|\s+(?=worth\b)|\s+(?=\w+ed\b|caught|found|held|seized)")


def later_passive(sentence: str, noun_end: int, noun: str, actions: list[Action], cue: Cues) -> Action | None:
    """The passive that ends a sentence which lists its figures first: "46 drug cases involving 71 suspects,
    together with 90 kg of meth, have been handled by border guards"; no other action on the same noun may come
    between."""
    for auxiliary in cue.auxiliary.finditer(sentence, noun_end):
        if any(noun_end <= a[0] < auxiliary.start() and (a[2], noun) in cue.rules for a in actions):
            return None  # "worth" between "3,947 cases" and "were uncovered" says nothing of cases
        if found := _action_after(sentence, auxiliary.end(), noun, cue):
            return found
    return None


def _action_after(sentence: str, auxiliary_end: int, noun: str, cue: Cues) -> Action | None:
    """The action of a passive, after its auxiliary and perhaps an agent; a hand-over by the other side is a
    reception ("1.580 người đã được phía bạn bàn giao")."""
    agent_end = _AGENT.match(sentence, auxiliary_end).end()
    action = cue.actions.search(sentence, auxiliary_end, agent_end + 1)
    if action is None:
        return None
    name = str(action.lastgroup)
    if name == "handed_over" and cue.other_side.search(sentence, auxiliary_end, action.start()):
        name = "received"
    return (action.start(), action.end(), name) if (name, noun) in cue.rules else None


def continued_action(
    noun: str, in_sentence: dict[str, Action], carried: dict[str, str] | None, cue: Cues
) -> Action | None:
    """The action a breakdown continues: the one its noun had earlier in the sentence ("23 vụ …; trong đó 5 vụ
    buôn lậu"), else the one the sentence before counted it with (or the report first did), else that sentence's
    last action."""
    if noun in in_sentence:
        return in_sentence[noun]
    named = carried.get(noun, carried[""]) if carried else None
    return (-1, -1, named) if named and (named, noun) in cue.rules else None


HEADING_CHARS = 90  # a heading is short and ends without a full stop


def heading_action(body: str, cue: Cues) -> str | None:
    """The action a heading names ("1. Kết quả phát hiện, bắt giữ", "Về xử lý vi phạm hành chính:"): the
    lines below it count with that action."""
    if len(body) > HEADING_CHARS or body.endswith("."):
        return None
    named = [m.lastgroup for m in cue.actions.finditer(body)]
    return str(named[-1]) if named else None
