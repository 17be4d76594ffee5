"""Shared knowledge: a text's shape, as one number: what a draft's cheap tests ask of a text's opening
(the first sentence's length and ending, how the text begins) and whether it holds 。 or 【. The bank's
load cache keeps it for every entry, so a search passes over an entry that cannot fit without building
it. A text with slots has the shape of its words around the slots: the slots' values, known only to the
draft, give its first sentence's length (``lead_bounds``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from drafter.facts.subjects import LEAD_ENDS, lead_sentence
from drafter.facts.vocab import SLOT_RE

KNOWN = 1 << 15  # worked out; 0 for a text whose opening a draft may change: ask the text
LEAD_LENGTH = 0xFF  # the first sentence's length (up to 。！？；), 255 for any longer; slots left out
LEAD_FULL_STOP = 1 << 8  # the first sentence ends in 。
OPENS_YAO = 1 << 9  # the text begins with 要
OPENS_REMARK = 1 << 10  # begins with 刚才
OPENS_QUOTE = 1 << 11  # begins with one of QUOTE_OPENINGS
HAS_FULL_STOP = 1 << 12  # holds 。
HAS_BRACKET = 1 << 13  # holds 【 (a figure to fill)
SLOTTED = 1 << 14  # the text has slots: LEAD_LENGTH counts its first sentence without them
LEAD_SLOTS_SHIFT = 16  # how many slots the first sentence holds (up to 15), from this bit on
OPENING_UNKNOWN = 1 << 20  # a slot in the first characters may change how the text begins: no OPENS_ bit
OPENS_SLOT = 1 << 21  # the text begins with a slot (its value begins the drafted text): no OPENS_ bit
QUOTE_OPENINGS = ("习近平", "总书记")
_OPENING = max(len(w) for w in ("要", "刚才", *QUOTE_OPENINGS))  # the opening the tests read
_ID_MARKS = ("\ue000", "\ue001")  # entry-id marks a draft strips from bank text


class SlotValues(NamedTuple):
    """What a slotted shape needs of a draft's slot values. Slots never take away a 。 or 【 a text
    holds: a shape's marks say so without the values."""

    shortest: int
    longest: int
    ends: bool  # some value holds a sentence end or an id mark: only the text tells its first sentence
    firsts: frozenset[str]  # each value's first character ("" for an empty value)


def text_shape(text: str) -> int:
    """The shape of a text; 0 (unknown) for one holding id marks or with a slot whose name holds a
    sentence end or 【."""
    if any(mark in text for mark in _ID_MARKS):
        return 0
    slots = list(SLOT_RE.finditer(text)) if "{" in text else []
    lead = lead_sentence(text)
    length = len(lead)
    shape = KNOWN
    opening = True  # the text's own first characters tell how it begins
    if slots:
        if any(c in m.group(0) for m in slots for c in LEAD_ENDS + "【"):
            return 0
        opening = slots[0].start() >= _OPENING  # else a value may make one (刚{x} → 刚才…)
        if not opening:
            shape |= OPENS_SLOT if slots[0].start() == 0 else OPENING_UNKNOWN
        in_lead = [m for m in slots if m.start() < length]  # no slot holds a sentence end: in or out
        if len(in_lead) > 15:
            return 0
        length -= sum(m.end() - m.start() for m in in_lead)
        shape |= SLOTTED | len(in_lead) << LEAD_SLOTS_SHIFT
    shape |= min(length, LEAD_LENGTH)
    for holds, bit in (
        (lead.endswith("。"), LEAD_FULL_STOP),
        (opening and text.startswith("要"), OPENS_YAO),
        (opening and text.startswith("刚才"), OPENS_REMARK),
        (opening and text.startswith(QUOTE_OPENINGS), OPENS_QUOTE),
        ("。" in text, HAS_FULL_STOP),
        ("【" in text, HAS_BRACKET),
    ):
        if holds:
            shape |= bit
    return shape


def slot_values(values: Iterable[str]) -> SlotValues:
    """What slotted shapes need of a draft's slot values."""
    values = list(values)
    return SlotValues(
        min(map(len, values), default=0),
        max(map(len, values), default=0),
        any(c in value for value in values for c in LEAD_ENDS + "".join(_ID_MARKS)),
        frozenset(value[:1] for value in values),
    )


def lead_bounds(shape: int, values: SlotValues) -> tuple[int, int] | None:
    """The shortest and longest the drafted text's first sentence can be, or None when not known."""
    if not shape & KNOWN or (shape & SLOTTED and values.ends):
        return None
    length = shape & LEAD_LENGTH
    slots = shape >> LEAD_SLOTS_SHIFT & 0xF if shape & SLOTTED else 0
    most = length + slots * values.longest if length < LEAD_LENGTH else 1 << 30  # 255: that or longer
    return length + slots * values.shortest, most


def may_open_with(shape: int, values: SlotValues, opening: str) -> bool | None:
    """Can the drafted text begin with ``opening`` (a text the shape marks, e.g. 刚才)? None when the
    shape has the answer in its bit for that opening."""
    if not shape & KNOWN or shape & OPENING_UNKNOWN:
        return True
    if shape & OPENS_SLOT:  # the first value begins the text: only one beginning like it may
        return "" in values.firsts or opening[:1] in values.firsts
    return None
