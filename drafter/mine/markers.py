"""Mine stage, structure: numbering markers and numbered items (一、 第一， （一） 一是 一要 1.).

``paragraph_marker`` reads the marker a paragraph starts with; ``inline_items`` splits "一是…。二是…。"
inside one paragraph; ``gather_lists`` finds paragraph-level review/problem lists ("过去一年…取得…" then
一是…/二是… paragraphs). ``drafter.mine.outline`` builds a speech's skeleton from these; all of it is pure and
never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from drafter.facts.numerals import from_chinese
from drafter.models import SourceLine
from drafter.read.sentences import split_sentences_quoted

_NUM = "[一二三四五六七八九十]{1,3}"

# Paragraph-start markers, as (style, regex). The style is the marker kind written as its first form.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("一、", re.compile(rf"^({_NUM})[、．](?![一二三四五六七八九十]{{1,2}}[、季月])\s*")),
    ("第一，", re.compile(rf"^第({_NUM})[，,、：:]\s*")),
    ("（一）", re.compile(rf"^[（(]({_NUM})[）)]\s*")),
    ("一是", re.compile(rf"^({_NUM})是(?![是要])")),
    ("一要", re.compile(rf"^({_NUM})要(?![是要])")),
    ("1.", re.compile(r"^(\d{1,2})[.．、](?!\d)\s*")),
    ("（1）", re.compile(r"^[（(](\d{1,2})[）)]\s*")),
)
HEADING_STYLES = ("一、", "第一，")
# Inline item markers (一是…。二是…。 / 一要…。二要…。) at a sentence or clause start.
_INLINE = re.compile(rf"(?:^|(?<=[。；;：:！？!?”]))\s*({_NUM})(是|要)(?![是要])")

_PROBLEM_CUE = re.compile(r"问题|差距|不足|短板|薄弱|清醒(地)?(看到|认识)|不容忽视|有待")
_REVIEW_CUE = re.compile(r"成绩|成效|进展|取得|以来|过去一年|回顾|一年来|明显")
_TAIL = re.compile(
    r"^(这些|上述|以上|因此|对此|对于这些|针对|总之|我们(必须|要|一定要|务必)"
    r"|各[^，。；]{0,12}都?(要|必须|务必)|全[市县区][^，。；]{0,8}(要|必须|务必))"
)
END_PUNCT = "。！？!?；;：:，,"

ListKind = Literal["review", "problem", "points"]


@dataclass(frozen=True)
class Item:
    """One numbered item: a task point (一要…, （一）…), or a review/problem item (一是…).

    ``text`` is the item without its marker (lead sentence first). ``intro`` is the text before its
    first nested sub-item (empty without nesting); ``items`` are those sub-items (一要 inside （一）).
    ``more`` are unnumbered paragraphs that continue the item. ``inline`` is True when the item shares
    its paragraph with sibling items ("一是…。二是…。").
    """

    marker: str | None  # as written: "一要", "（一）", "第一，", None for an unnumbered task paragraph
    style: str | None  # the marker kind: "一是", "一要", "（一）", "第一，", "1.", "（1）"
    number: int | None
    text: str
    lead: str  # the first sentence of ``text``
    line: int
    inline: bool = False
    intro: str = ""
    items: tuple[Item, ...] = ()
    more: tuple[SourceLine, ...] = ()

    @property
    def title(self) -> str:
        """The lead without its closing punctuation (what ``drafter outline`` shows)."""
        return self.lead.rstrip(END_PUNCT)


@dataclass(frozen=True)
class ItemList:
    """A run of items with what comes before and after: a review (成绩), a problem list, or tasks."""

    kind: ListKind
    intro: str
    items: tuple[Item, ...]
    line: int
    tail: str = ""  # "这些问题充分说明……" after the last item


# --- markers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    style: str
    number: int
    marker: str
    rest: str


def paragraph_marker(text: str) -> Marker | None:
    """The numbering marker a paragraph starts with (一、 第一， （一） 一是 一要 1. （1）), or None."""
    for style, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            number = from_chinese(match.group(1))
            if number is None or number == 0:
                return None
            rest = text[match.end() :].strip()
            if not rest:
                return None
            return Marker(style, number, text[: match.end()].strip(), rest)
    return None


def lead_sentence(text: str) -> str:
    sentences = split_sentences_quoted(text)
    return sentences[0].strip() if sentences else text.strip()


def find_inline_items(text: str) -> list[tuple[int, int, int, str]]:
    """Sequential inline items 一是/一要 … 二是/二要 …: (start, marker_end, number, marker) for each.

    Returns an empty list unless at least two items follow each other in order from 一.
    """
    matches = [
        (m.start(1), m.end(), from_chinese(m.group(1)) or 0, m.group(1) + m.group(2))
        for m in _INLINE.finditer(text)
    ]
    sequence: list[tuple[int, int, int, str]] = []
    expected = 1
    for start, end, number, marker in matches:
        if number == expected and (not sequence or start >= sequence[-1][1]):
            sequence.append((start, end, number, marker))
            expected += 1
    return sequence if len(sequence) >= 2 else []


def _split_tail(text: str) -> tuple[str, str]:
    """Split "…最后一项。这些问题充分说明，……" into the item and the tail."""
    sentences = split_sentences_quoted(text)
    for index in range(1, len(sentences)):
        if _TAIL.match(sentences[index].strip()):
            return "".join(sentences[:index]).strip(), "".join(sentences[index:]).strip()
    return text.strip(), ""


def inline_items(text: str, line: int) -> tuple[str, list[Item], str]:
    """(intro, items, tail) of a paragraph holding inline items; ([], "") when it holds none."""
    found = find_inline_items(text)
    if not found:
        return text, [], ""
    intro = text[: found[0][0]].strip()
    items: list[Item] = []
    tail = ""
    for index, (_start, end, number, marker) in enumerate(found):
        stop = found[index + 1][0] if index + 1 < len(found) else len(text)
        body = text[end:stop].strip()
        if index + 1 == len(found):
            body, tail = _split_tail(body)
        style = "一是" if marker.endswith("是") else "一要"
        items.append(Item(marker, style, number, body, lead_sentence(body), line, inline=True))
    return intro, items, tail


def list_kind(intro: str, items: list[Item]) -> ListKind:
    if not items or items[0].style == "一要":
        return "points"
    sentences = split_sentences_quoted(intro) or [intro]
    last = sentences[-1]
    for probe in (last, intro):
        if _PROBLEM_CUE.search(probe):
            return "problem"
        if _REVIEW_CUE.search(probe):
            return "review"
    return "points"


def split_review_problem_intro(intro: str) -> tuple[str, str]:
    """An intro "…取得一定成效。但是……还有一些问题。" -> (review part, problem part)."""
    sentences = split_sentences_quoted(intro)
    for index, sentence in enumerate(sentences):
        if _PROBLEM_CUE.search(sentence):
            before = "".join(sentences[:index]).strip()
            if before and _REVIEW_CUE.search(before):
                return before, "".join(sentences[index:]).strip()
            return "", intro
    return "", intro


def point_from_paragraph(line: SourceLine, marker: Marker | None) -> list[Item]:
    """One paragraph of a part -> its point(s): a marked paragraph, maybe with nested or sibling items."""
    text = marker.rest if marker else line.text
    style = marker.style if marker else None
    number = marker.number if marker else None
    label = marker.marker if marker else None
    if marker and marker.style in ("一是", "一要"):
        # "一是……。二要……。" in one paragraph: sibling items.
        intro, siblings, _tail = inline_items(line.text, line.number)
        if siblings and not intro:
            return siblings
    intro, nested, _tail = inline_items(text, line.number)
    if nested:
        return [
            Item(
                label, style, number, text, lead_sentence(text), line.number, intro=intro, items=tuple(nested)
            )
        ]
    return [Item(label, style, number, text, lead_sentence(text), line.number)]


def gather_lists(paragraphs: list[SourceLine]) -> list[SourceLine | ItemList]:
    """Paragraph-level review/problem lists: a plain intro ("过去一年…取得…") then 一是…/二是… paragraphs."""
    out: list[SourceLine | ItemList] = []
    index = 0
    while index < len(paragraphs):
        line = paragraphs[index]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        first = paragraph_marker(following.text) if following is not None else None
        if (
            first is not None
            and first.style == "一是"
            and first.number == 1
            and paragraph_marker(line.text) is None
            and not find_inline_items(line.text)
        ):
            probe = [Item("一是", "一是", 1, "", "", line.number)]
            kind = list_kind(line.text, probe)
            if kind != "points":
                items: list[Item] = []
                stop = index + 1
                while stop < len(paragraphs):
                    marker = paragraph_marker(paragraphs[stop].text)
                    if marker is None or marker.style != "一是" or marker.number != len(items) + 1:
                        break
                    items.extend(point_from_paragraph(paragraphs[stop], marker)[:1])
                    stop += 1
                out.extend(make_lists(kind, line.text, items, "", line.number))
                index = stop
                continue
        out.append(line)
        index += 1
    return out


def make_lists(kind: ListKind, intro: str, items: list[Item], tail: str, line: int) -> list[ItemList]:
    if kind == "problem":
        review_part, problem_part = split_review_problem_intro(intro)
        out = []
        if review_part:
            out.append(ItemList("review", review_part, (), line))
        out.append(ItemList("problem", problem_part, tuple(items), line, tail))
        return out
    return [ItemList(kind, intro, tuple(items), line, tail)]
