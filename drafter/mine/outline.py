"""Mine stage, structure: recover a speech's skeleton from its cleaned paragraphs.

``parse_speech(source)`` returns a :class:`Speech`: title, salutation, opening (with the announced
number of points), the review of last year and its problems, situation paragraphs, the main parts
(heading, style, lead, numbered points with nested sub-points), extras (最后，我再强调…) and the closing.
``outline_source(source)`` reduces it to the ``drafter outline`` view (:class:`drafter.models.Outline`).

Both are pure and never raise on any text: an unrecognised shape gives an empty structure, not an error.
The miner (``drafter.mine.candidates``) and the linter read the same Speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from drafter.facts.numerals import from_chinese
from drafter.mine.markers import (
    END_PUNCT,
    HEADING_STYLES,
    Item,
    ItemList,
    Marker,
    gather_lists,
    inline_items,
    list_kind,
    make_lists,
    paragraph_marker,
    point_from_paragraph,
)
from drafter.models import Outline, OutlinePart, SourceLine, SourceText, YearRange
from drafter.read.sentences import split_sentences_quoted
from drafter.rx import Screen, Screened, quick

__all__ = [
    "HEADING_STYLES",
    "Item",
    "ItemList",
    "Part",
    "Speech",
    "outline_source",
    "outline_speech",
    "paragraph_marker",
    "parse_speech",
]

_SALUTATION = re.compile(r"^(同志们|各位(领导|同志|代表)?)([、，,和及].{0,12})?[：:，,！!]?$")
_TITLE = re.compile(r"(讲话|发言|致辞|报告|讲稿)(（[^）]*）|\([^)]*\))?$")
_BYLINE = re.compile(
    r"^[（(].*[）)]$|^\d{4}年\d{1,2}月\d{1,2}日$|^[（(]?\d{4}年|[　 ]{2,}|^[\u4e00-\u9fff]{2,4}$"
)
_ANNOUNCE = re.compile(
    r"(?:讲|谈|提|强调|说)(?:以下)?([一二三四五六七八九十两]{1,3}|\d{1,2})(?:点|个方面|方面|条|个问题)(?:的)?"
    r"(?:意见|要求|看法|想法|建议|问题)?"
    r"|以下([一二三四五六七八九十两]{1,3}|\d{1,2})个方面"
)
_PARTS_INTRO = re.compile(
    r"以下.{0,6}(个方面|方面|项|点)|(重点|着力|主要|切实)(抓好|做好|强化|推进).{0,12}(工作|任务)[：:]\s*$"
)
_SITUATION = re.compile(
    r"^(今年是|今年以来|当前[，,]|当前(的)?(形势|我们|正处|正是)|从(当前|今年)|面对|新的一年|\d{4}年是)"
)
_CLOSING = re.compile(r"^(同志们[，,！!]|让我们|总之[，,])")
_EXTRA = re.compile(r"^(最后|另外|此外)[，,]?\s*(我)?(再|还)?(强调|讲|说|提|补充|提醒)")


# --- the structure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One main part: a heading (一、/第一，…) or, in a speech without headings, one task paragraph.

    ``lead`` are the paragraphs between the heading and the first point that are not review/problem
    lists; ``lists`` are review/problem lists inside the part (speeches that review last year in part
    one); ``transitions`` are plain paragraphs after those lists; ``paragraphs`` is every paragraph of
    the part (heading line excluded unless the heading shares its line with text).
    """

    number: int | None
    heading: str | None
    style: str | None  # "一、" / "第一，" / "（一）" / "一是" ... / None for a task paragraph
    line: int
    lead: tuple[SourceLine, ...] = ()
    points: tuple[Item, ...] = ()
    lists: tuple[ItemList, ...] = ()
    transitions: tuple[SourceLine, ...] = ()
    paragraphs: tuple[SourceLine, ...] = ()

    @property
    def sub_style(self) -> str | None:
        return self.points[0].style if self.points else None


@dataclass(frozen=True)
class Speech:
    """The recovered skeleton of one speech (every text is cleaned; every line is 1-based in the file).

    - ``title``/``byline``: lines before the salutation (讲话 title; speaker, date).
    - ``salutation``: 同志们：
    - ``opening``: paragraphs from the salutation to the first review, situation or part; ``announced``
      is N of "我讲N点意见" / "以下N个方面" (None when no number is said), ``announce_line`` its line.
    - ``review``/``problems``: last year's achievements and problems (wherever they are: before the
      parts, or inside part one), each an :class:`ItemList`.
    - ``situation``: 今年是…/当前… paragraphs before the parts; ``transitions`` other paragraphs there.
    - ``parts_intro``: "重点抓好以下X个方面的工作：" before headingless task paragraphs.
    - ``parts``: the main parts; ``heading_style`` the style of their headings (None: task paragraphs).
    - ``extras``: 最后，我再强调一下… paragraphs; ``closing``: the final 同志们，… paragraph(s).
    - ``level``: the speaking level guessed from its words (市/县/区), ``year``: the meeting year when
      the text says it, else None.
    """

    source: SourceText
    title: SourceLine | None = None
    byline: tuple[SourceLine, ...] = ()
    salutation: SourceLine | None = None
    opening: tuple[SourceLine, ...] = ()
    announced: int | None = None
    announce_line: int | None = None
    review: ItemList | None = None
    problems: ItemList | None = None
    situation: tuple[SourceLine, ...] = ()
    transitions: tuple[SourceLine, ...] = ()
    parts_intro: SourceLine | None = None
    parts: tuple[Part, ...] = ()
    heading_style: str | None = None
    extras: tuple[SourceLine, ...] = ()
    closing: tuple[SourceLine, ...] = ()
    level: str | None = None
    year: int | None = None
    place: str | None = None
    sections: tuple[str, ...] = field(default=())

    @property
    def lists(self) -> tuple[ItemList, ...]:
        found = [x for x in (self.review, self.problems) if x is not None]
        return tuple(found)


# --- level and year --------------------------------------------------------------------------

_LEVEL_WORDS = {
    "市": re.compile(r"全市|我市|本市|市委|市政府|市直|各县区|各县（市、区）|市纪委"),
    "县": re.compile(r"全县|我县|本县|县委|县政府|县直|各乡镇|各镇|县纪委"),
    "区": re.compile(r"全区(?!域)|我区|本区|区委|区政府|区直|各街道|各乡街|各镇街|区纪委"),
}


def guess_level(text: str) -> str | None:
    """The speaking level (市/县/区) whose own words the text uses most; None when it uses none."""
    counts = {level: len(pattern.findall(text)) for level, pattern in _LEVEL_WORDS.items()}
    best = max(counts, key=lambda level: counts[level])
    return best if counts[best] else None


# The speaker's own place: "在赤水市2021年…", "赤水市人民政府" (the name without 市/县/区).
_PLACE_AFTER = r"(?=人民政府|政府|委|纪委|第|(?:19|20)\d{2}年|[一二]〇|廉政|党风)"
_PLACE = re.compile(r"(?:^|(?<=[在于对为是，。、：\s（“]))([\u4e00-\u9fff]{2,3}?)[市县区]" + _PLACE_AFTER)
# Every match of _PLACE ends with one of these (its 市/县/区 and the word after it).
_PLACE_END = re.compile(r"[市县区]" + _PLACE_AFTER)
_NOT_A_PLACE = re.compile(r"[全我本各该此新城省地]|政府|开发|高新|经济")


def place_findall(text: str) -> list[str]:
    """``_PLACE.findall(text)``, tried only where a match can begin: two or three characters before a
    place's ending (its 市/县/区 and the word after it). The same names in the same order: the places are
    tried in the order the whole search would reach them, each from the end of the match before."""
    starts = sorted({q - k for m in _PLACE_END.finditer(text) for k in (2, 3) if (q := m.start()) >= k})
    names: list[str] = []
    end = 0
    for start in starts:
        if start >= end and (m := _PLACE.match(text, start)):
            names.append(m.group(1))
            end = m.end()
    return names


def guess_place(head: str, text: str) -> str | None:
    """The speaker's own place named in the title or byline, or at least twice in the text."""
    for where, at_least in ((head, 1), (text, 2)):
        names = [n.lstrip("在于对为是") for n in place_findall(where)]
        names = [n for n in names if len(n) >= 2 and not _NOT_A_PLACE.search(n)]
        if names:
            best = max(set(names), key=names.count)
            if names.count(best) >= at_least:
                return best
    return None


_YEAR_DEPLOY = re.compile(r"(?:部署|安排|做好)(\d{4})年")
_YEAR_REVIEW = re.compile(r"(?:回顾|总结)(\d{4})年")
_YEAR_SINCE = re.compile(r"(\d{4})年至今年")
_S_YEAR_SINCE = Screened(_YEAR_SINCE)  # no literal for re to look for first: its word, quickly


_HEAD_YEAR = re.compile(
    r"(?<!\d)((?:19|20)\d{2})年(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})月|[^，。；]{0,12}(?:会议|全会|大会|工作会))"
)
_REVIEWED_YEAR = re.compile(
    r"(?:^|\n|过去的|刚刚过去的|回首|回望)((?:19|20)\d{2})年(?:以来)?[，,][^。\n]{0,80}(?:取得|成效|成绩|进展|完成)"
)
_ANY_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=年)")


@cache
def _dating() -> tuple[Screen, tuple[tuple[re.Pattern[str], YearRange], ...]]:
    from drafter.facts.calendar import dating_phrases

    phrases = dating_phrases()
    return Screen(p.pattern for p in phrases), tuple((quick(p.pattern), p.years) for p in phrases)


def dating_spans(text: str) -> list[YearRange]:
    """The years of each dating phrase (``drafter.facts.calendar.dating_phrases``) that ``text`` holds, in
    their order; only the phrases whose words the text holds are searched (one search for all the words,
    drafter.rx)."""
    screen, phrases = _dating()
    may = screen.which(text)
    return [years for index, (pattern, years) in enumerate(phrases) if index in may and pattern.search(text)]


def guess_year(text: str, *, head: str = "") -> int | None:
    """The meeting year when the source says it, in any numeral form: its dated title or byline
    (``head``: 在2023年…会议上, （一九九五年一月十六日）), 部署2022年…, the plenum it cites, the dating
    phrases it uses; for a text older than the calendar, the latest year it names. Else None."""
    from drafter.facts.calendar import known_years, year_facts
    from drafter.models import MIN_YEAR
    from drafter.read.years import arabic_years

    text = arabic_years(text)
    if head and (m := _HEAD_YEAR.search(arabic_years(head))):
        return int(m.group(1))
    if m := _YEAR_DEPLOY.search(text):
        return int(m.group(1))
    if m := _YEAR_REVIEW.search(text):
        return int(m.group(1)) + 1
    if m := _S_YEAR_SINCE.search(text):
        return int(m.group(1)) + 1
    cited = text.replace("中纪委", "中央纪委")  # once, not once per year
    for year in known_years():
        facts = year_facts(year)
        if facts.plenum and facts.plenum in cited:
            return year
    # Vote: the year that the most dating phrases allow, when one year wins outright.
    found = dating_spans(text)
    if found:
        votes = {year: sum(year in span for span in found) for year in known_years()}
        best = max(votes.values())
        winners = [year for year, count in votes.items() if count == best]
        if len(winners) == 1:
            return winners[0]
    # A review of the past year ("2022年，全县…", "过去的2022年") speaks in the year after it.
    reviewed = [int(m.group(1)) for m in _REVIEWED_YEAR.finditer(text)]
    if reviewed:
        return max(reviewed) + 1
    # A text older than the calendar: the latest year it names is its own.
    years = [int(y) for y in _ANY_YEAR.findall(text)]
    return max(years) if years and max(years) < MIN_YEAR else None


# --- parsing ---------------------------------------------------------------------------------


def _front_matter(
    lines: list[SourceLine],
) -> tuple[SourceLine | None, tuple[SourceLine, ...], SourceLine | None, list[SourceLine]]:
    """(title, byline, salutation, body) of a speech."""
    salutation_index = None
    for index, line in enumerate(lines[:12]):
        if _SALUTATION.match(line.text):
            salutation_index = index
            break
    if salutation_index is None:
        head: list[SourceLine] = []
        rest = list(lines)
        while (
            rest
            and len(head) < 4
            and len(rest[0].text) <= 60
            and paragraph_marker(rest[0].text) is None
            and (_TITLE.search(rest[0].text) or (head and _BYLINE.search(rest[0].text)))
        ):
            head.append(rest.pop(0))
        title = head[0] if head else None
        return title, tuple(head[1:]), None, rest
    head = lines[:salutation_index]
    title = next((line for line in head if _TITLE.search(line.text) and len(line.text) <= 80), None)
    if title is None and head and len(head[0].text) <= 60 and not _BYLINE.search(head[0].text):
        title = head[0]
    byline = tuple(line for line in head if line is not title)
    return title, byline, lines[salutation_index], lines[salutation_index + 1 :]


def _top_style(body: list[SourceLine]) -> str | None:
    markers = [paragraph_marker(line.text) for line in body]
    for style in ("一、", "第一，", "（一）"):
        numbers = [m.number for m in markers if m is not None and m.style == style]
        if style == "一、" and 1 in numbers:
            return style
        if len(numbers) >= 2 and numbers[0] == 1 and 2 in numbers:
            return style
    # Paragraph-level 一是/一要 runs that are tasks, not a review.
    for style in ("一要", "一是"):
        numbers = [m.number for m in markers if m is not None and m.style in ("一是", "一要")]
        if len(numbers) >= 2 and numbers[0] == 1 and 2 in numbers:
            return style
    return None


def _heading_and_rest(marker: Marker) -> tuple[str, str]:
    """A heading paragraph may carry body text after its first sentence: split them."""
    text = marker.rest
    sentences = split_sentences_quoted(text)
    if len(sentences) >= 2 and len(sentences[0]) <= 60:
        return sentences[0].strip().rstrip(END_PUNCT), "".join(sentences[1:]).strip()
    return text.strip().rstrip(END_PUNCT), ""


def _closing_start(body: list[SourceLine]) -> int:
    """Index where the closing begins (len(body) when there is none)."""
    for index in range(len(body) - 1, max(-1, len(body) - 4), -1):
        if _CLOSING.match(body[index].text):
            return index
    return len(body)


def _parse_part_body(
    paragraphs: list[SourceLine],
) -> tuple[tuple[SourceLine, ...], tuple[Item, ...], tuple[ItemList, ...], tuple[SourceLine, ...]]:
    """(lead, points, lists, transitions) of the paragraphs under one heading."""
    lead: list[SourceLine] = []
    points: list[Item] = []
    lists: list[ItemList] = []
    transitions: list[SourceLine] = []
    sub_style: str | None = None
    for line in gather_lists(paragraphs):
        if isinstance(line, ItemList):
            lists.append(line)
            continue
        marker = paragraph_marker(line.text)
        if (
            marker is not None
            and marker.style not in HEADING_STYLES[:1]
            and (
                sub_style is None
                or marker.style == sub_style
                or ({marker.style, sub_style} <= {"一是", "一要"})
            )
        ):
            if sub_style is None:
                sub_style = marker.style
            points.extend(point_from_paragraph(line, marker))
            continue
        if marker is not None and points:
            # A deeper marker under a point: nest it.
            nested = point_from_paragraph(line, marker)
            points[-1] = replace(points[-1], items=points[-1].items + tuple(nested))
            continue
        intro, items, tail = inline_items(line.text, line.number)
        kind = list_kind(intro, items)
        if items and kind != "points" and not points:
            lists.extend(make_lists(kind, intro, items, tail, line.number))
            continue
        if items and kind == "points" and not points:
            if intro:
                lead.append(SourceLine(line.number, intro))
            points.extend(items)
            sub_style = items[0].style
            continue
        if points:
            points[-1] = replace(points[-1], more=(*points[-1].more, line))
        elif lists:
            transitions.append(line)
        else:
            lead.append(line)
    return tuple(lead), tuple(points), tuple(lists), tuple(transitions)


def parse_speech(source: SourceText) -> Speech:
    """The skeleton of one speech. Never raises: text without a recognisable shape gives empty parts."""
    lines = [line for line in source.lines if line.text.strip()]
    title, byline, salutation, body = _front_matter(lines)
    full_text = "\n".join(line.text for line in body)
    level = guess_level(full_text)
    head = "\n".join(line.text for line in (title, *byline) if line is not None)
    year = guess_year(full_text, head=head)
    place = guess_place(head, full_text)

    closing_at = _closing_start(body)
    closing = tuple(body[closing_at:])
    body = body[:closing_at]

    top = _top_style(body)
    markers = [paragraph_marker(line.text) for line in body]
    part_starts = [i for i, m in enumerate(markers) if m is not None and m.style == top] if top else []

    parts: list[Part] = []
    extras: list[SourceLine] = []
    parts_intro: SourceLine | None = None
    preamble: list[SourceLine]
    by_content = False

    if part_starts:
        preamble = body[: part_starts[0]]
        for n, start in enumerate(part_starts):
            stop = part_starts[n + 1] if n + 1 < len(part_starts) else len(body)
            marker = markers[start]
            assert marker is not None
            chunk = list(body[start + 1 : stop])
            if n + 1 == len(part_starts):
                for k, line in enumerate(chunk):
                    if _EXTRA.match(line.text):
                        extras = chunk[k:]
                        chunk = chunk[:k]
                        break
            if top in HEADING_STYLES or top == "（一）":
                heading, rest = _heading_and_rest(marker)
                if rest:
                    chunk.insert(0, SourceLine(body[start].number, rest))
                lead, points, lists, transitions = _parse_part_body(chunk)
                parts.append(
                    Part(
                        marker.number,
                        heading,
                        top,
                        body[start].number,
                        lead,
                        points,
                        lists,
                        transitions,
                        tuple(chunk),
                    )
                )
            else:  # paragraph-level 一是/一要 parts
                items = point_from_paragraph(body[start], marker)
                first = items[0]
                parts.append(
                    Part(
                        marker.number,
                        None,
                        top,
                        body[start].number,
                        (),
                        first.items,
                        (),
                        (),
                        (body[start], *chunk),
                    )
                )
    else:
        preamble, parts, extras, parts_intro, summary = _headingless(body)
        if not parts and not extras and parts_intro is None:
            preamble, parts, summary = _content_parts(body)
            by_content = True
        if summary and not closing:
            closing = tuple(summary)

    opening, announced, announce_line, review, problems, situation, preamble_transitions = _parse_preamble(
        preamble, parts_intro, by_content=by_content
    )
    if review is None or problems is None:
        for part in parts[:2]:
            for found in part.lists:
                if found.kind == "review" and review is None:
                    review = found
                elif found.kind == "problem" and problems is None:
                    problems = found
    if announced is None and parts_intro is not None:
        announced, announce_line = _announced([parts_intro])

    speech = Speech(
        source=source,
        title=title,
        byline=byline,
        salutation=salutation,
        opening=tuple(opening),
        announced=announced,
        announce_line=announce_line,
        review=review,
        problems=problems,
        situation=tuple(situation),
        transitions=tuple(preamble_transitions),
        parts_intro=parts_intro,
        parts=tuple(parts),
        heading_style=top if parts and top in HEADING_STYLES else (top if parts else None),
        extras=tuple(extras),
        closing=closing,
        level=level,
        year=year,
        place=place,
    )
    return _with_sections(speech)


_RALLYING_END = re.compile(r"新局面|新台阶|新篇章|新成效|新贡献")


def _headingless(
    body: list[SourceLine],
) -> tuple[list[SourceLine], list[Part], list[SourceLine], SourceLine | None, list[SourceLine]]:
    """Task paragraphs after "重点抓好以下X个方面的工作：" (or after "我讲N点意见") are the parts."""
    intro_index = None
    for index, line in enumerate(body):
        if _PARTS_INTRO.search(line.text) or (_ANNOUNCE.search(line.text) and index < len(body) - 1):
            intro_index = index
            break
    if intro_index is None:
        return list(body), [], [], None, []
    intro_line = body[intro_index]
    rest = list(body[intro_index + 1 :])
    extras: list[SourceLine] = []
    for k, line in enumerate(rest):
        if _EXTRA.match(line.text):
            extras = rest[k:]
            rest = rest[:k]
            break
    # A short last paragraph that sums up (…！) is the closing even without 同志们.
    closing_like: list[SourceLine] = []
    if (
        len(rest) >= 3
        and not extras
        and len(rest[-1].text) <= 250
        and (rest[-1].text.endswith(("！", "!")) or _RALLYING_END.search(rest[-1].text))
    ):
        closing_like = [rest.pop()]
    parts: list[Part] = []
    for number, line in enumerate(rest, start=1):
        item = point_from_paragraph(line, None)[0]
        parts.append(Part(number, None, None, line.number, (), item.items, (), (), (line,)))
    is_parts_intro = bool(_PARTS_INTRO.search(intro_line.text))
    preamble = list(body[:intro_index]) if is_parts_intro else list(body[: intro_index + 1])
    return preamble, parts, extras, intro_line if is_parts_intro else None, closing_like


# A speech without headings or an announced list: what each paragraph says gives its place.
_REVIEW_START = re.compile(
    r"^(过去(的)?一年|一年来|去年以来|\d{4}年(以来)?[，,]|今年以来|近年来|近年以来|[^，。]{0,8}以来[，,])"
)
_PROBLEM_START = re.compile(
    r"^[^。]{0,16}(清醒(地)?(看到|认识)|问题和不足|存在(的)?(一些|不少)?问题|差距和不足|不容忽视)"
)
_TASK_START = re.compile(
    r"^(要|必须|务必|各级|各部门|各单位|坚持|加强|强化|深化|持续|切实|严格|着力|扎实|聚焦|推动|健全|完善|抓好|狠抓"
    r"|坚决|全面|始终|进一步|大力|以|把|做到|围绕|紧盯)"
)
_MUST = re.compile(r"(?<![重主需纪只])要(?![求素害点件])|必须|务必")


def _is_task(text: str) -> bool:
    return bool(_TASK_START.match(text)) or len(_MUST.findall(text)) >= 2


def _content_parts(
    body: list[SourceLine],
) -> tuple[list[SourceLine], list[Part], list[SourceLine]]:
    """(preamble, task parts, closing) of a speech with neither headings nor "以下N个方面": the first
    paragraph opens it, task paragraphs are its points, a short summing-up last paragraph closes it;
    the rest stay in the preamble for ``_parse_preamble(by_content=True)``."""
    rest = list(body)
    closing_like: list[SourceLine] = []
    if len(rest) >= 3 and len(rest[-1].text) <= 250 and rest[-1].text.endswith(("！", "!")):
        closing_like = [rest.pop()]
    preamble = rest[:1]
    parts: list[Part] = []
    for line in rest[1:]:
        text = line.text
        if _REVIEW_START.match(text) or _PROBLEM_START.match(text) or not _is_task(text):
            preamble.append(line)
            continue
        item = point_from_paragraph(line, None)[0]
        parts.append(Part(len(parts) + 1, None, None, line.number, (), item.items, (), (), (line,)))
    return preamble, parts, closing_like


def _announced(lines: list[SourceLine]) -> tuple[int | None, int | None]:
    for line in lines:
        match = _ANNOUNCE.search(line.text)
        if match:
            word = match.group(1) or match.group(2)
            return from_chinese(word), line.number
    return None, None


def _parse_preamble(
    preamble: list[SourceLine], parts_intro: SourceLine | None, *, by_content: bool = False
) -> tuple[
    list[SourceLine],
    int | None,
    int | None,
    ItemList | None,
    ItemList | None,
    list[SourceLine],
    list[SourceLine],
]:
    opening: list[SourceLine] = []
    situation: list[SourceLine] = []
    transitions: list[SourceLine] = []
    review: ItemList | None = None
    problems: ItemList | None = None
    in_opening = True
    for index, line in enumerate(gather_lists(preamble)):
        if isinstance(line, ItemList):
            in_opening = False
            if line.kind == "review" and review is None:
                review = line
            elif line.kind == "problem" and problems is None:
                problems = line
            continue
        intro, items, tail = inline_items(line.text, line.number)
        kind = list_kind(intro, items) if items else "points"
        if items and kind != "points":
            in_opening = False
            for found in make_lists(kind, intro, items, tail, line.number):
                if found.kind == "review" and review is None:
                    review = found
                elif found.kind == "problem" and problems is None:
                    problems = found
            continue
        if index > 0 and _SITUATION.match(line.text):
            in_opening = False
            situation.append(line)
            continue
        if by_content and index > 0:  # only the first paragraph opens a speech read by content
            in_opening = False
            if _PROBLEM_START.match(line.text) and problems is None:
                problems = ItemList("problem", line.text, (), line.number)
                continue
            if _REVIEW_START.match(line.text) and review is None:
                review = ItemList("review", line.text, (), line.number)
                continue
        if in_opening:
            opening.append(line)
        else:
            transitions.append(line)
    announced, announce_line = _announced(opening)
    return opening, announced, announce_line, review, problems, situation, transitions


def _with_sections(speech: Speech) -> Speech:
    """Record the order of the speech's sections (for skeletons)."""
    events: list[tuple[int, str]] = []
    if speech.opening:
        events.append((speech.opening[0].number, "opening"))
    for found in speech.lists:
        events.append((found.line, "review" if found.kind == "review" else "problems"))
    events.extend((line.number, "situation") for line in speech.situation[:1])
    events.extend((line.number, "transition") for line in speech.transitions[:1])
    if speech.parts_intro is not None:
        events.append((speech.parts_intro.number, "parts_intro"))
    events.extend((part.line, "part") for part in speech.parts)
    for part in speech.parts:
        events.extend((line.number, "transition") for line in part.transitions[:1])
    events.extend((line.number, "extra") for line in speech.extras[:1])
    events.extend((line.number, "closing") for line in speech.closing[:1])
    events.sort(key=lambda event: event[0])
    sections = tuple(name for _, name in events)
    return replace(speech, sections=sections)


def outline_source(source: SourceText) -> Outline:
    """The ``drafter outline`` view of a speech. Never raises."""
    speech = parse_speech(source)
    return outline_speech(speech)


def outline_speech(speech: Speech) -> Outline:
    parts = tuple(
        OutlinePart(
            heading=part.heading,
            points=tuple(point.title for point in part.points),
            line=part.line,
            style=part.style,
        )
        for part in speech.parts
    )
    title = speech.title.text if speech.title is not None else None
    return Outline(title=title, announced=speech.announced, parts=parts)
