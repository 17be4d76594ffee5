"""Shared knowledge: a text's shape, as one number: what a draft's cheap tests ask of a text's opening
(the first sentence's length and ending, how the text begins) and whether it holds 。 or 【. The bank's
load cache keeps it for every entry a draft uses as it stands, so a search passes over an entry that
cannot fit without building it."""

from __future__ import annotations

from drafter.facts.subjects import lead_sentence

KNOWN = 1 << 15  # worked out; 0 for a text a draft changes (slots to fill, id marks to strip): ask the text
LEAD_LENGTH = 0xFF  # the first sentence's length (up to 。！？；), 255 for any longer
LEAD_FULL_STOP = 1 << 8  # the first sentence ends in 。
OPENS_YAO = 1 << 9  # the text begins with 要
OPENS_REMARK = 1 << 10  # begins with 刚才
OPENS_QUOTE = 1 << 11  # begins with one of QUOTE_OPENINGS
HAS_FULL_STOP = 1 << 12  # holds 。
HAS_BRACKET = 1 << 13  # holds 【 (a figure to fill)
QUOTE_OPENINGS = ("习近平", "总书记")
_CHANGED_BY_DRAFT = ("{", "\ue000", "\ue001")


def text_shape(text: str) -> int:
    """The shape of a text drafted as it stands; 0 (unknown) for one a draft changes."""
    if any(mark in text for mark in _CHANGED_BY_DRAFT):
        return 0
    lead = lead_sentence(text)
    shape = KNOWN | min(len(lead), LEAD_LENGTH)
    for holds, bit in (
        (lead.endswith("。"), LEAD_FULL_STOP),
        (text.startswith("要"), OPENS_YAO),
        (text.startswith("刚才"), OPENS_REMARK),
        (text.startswith(QUOTE_OPENINGS), OPENS_QUOTE),
        ("。" in text, HAS_FULL_STOP),
        ("【" in text, HAS_BRACKET),
    ):
        if holds:
            shape |= bit
    return shape
