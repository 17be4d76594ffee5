"""Mine stage, mining: cleaned speech -> structure -> phrase-bank candidates and the speech's skeleton.

A speech is cut into units that compose well (opening sentences, review and problem items, headings,
part leads, task points with their lead sentence and the 要… segments inside long ones, quotations,
transitions, extras, the closing); ``drafter.mine.generalize`` makes each portable; each becomes an Entry
with a stable id, its topics, the levels and years it suits and its ``FILE:LINE`` source.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from drafter.errors import SourceError
from drafter.facts.calendar import dating_phrases
from drafter.facts.topics import TOPIC_KEYWORDS, classify_topics, rank_topics, topic_hits, with_lead
from drafter.mine.generalize import Generalized, Locale, generalize_unit
from drafter.mine.outline import (
    HEADING_STYLES,
    Item,
    ItemList,
    Part,
    Speech,
    dating_spans,
    paragraph_marker,
    parse_speech,
)
from drafter.mine.scope import fitting_levels, scope_labels
from drafter.models import MIN_YEAR, Entry, Skeleton, SkeletonPart, SourceLine, SourceText, YearRange
from drafter.read.sentences import first_sentence_quoted, split_sentences_quoted
from drafter.read.sources import read_source
from drafter.rx import Prefilter

MIN_SHARE = 0.4  # a unit that loses more than this share of its text to generalisation is skipped
MIN_CHARS = {"heading": 4, "quote": 15, "transition": 6}
DEFAULT_MIN_CHARS = 12
SEGMENT_MIN_PARAGRAPH = 150
SEGMENT_MIN_CHARS = 30
MAX_SUBHEADING = 30  # a point's lead this short is also a heading formula (style （一）/一要)

# Per-text results are cached: a collection repeats paragraphs (the same quotation, the same
# formula in every year's speech, a speech saved twice), and figures or level words that differ in the
# original often generalise to the same text. The repeats that pay come close together, so small caches
# keep them: mining 64 MB in one process took the same CPU time with these sizes as with 2,048–4,096
# entries, and its memory grew by 5 MB instead of 15 (each process mining holds its own caches).
CACHE_SIZE = 1024  # texts of whole units and their facts
SMALL_CACHE_SIZE = 256  # results that are cheap to make again

_ANNOUNCE = re.compile(
    r"我(讲|谈|提|强调)[^。]{0,8}(点|个方面|方面|条|个问题)(的)?(意见|要求|看法|问题)?|下面[，,].{0,24}(意见|问题)"
)
_QUOTE = re.compile(
    r"^(?:[^，。；“]{0,12}[，,])?(?:习近平(?:总书记|同志)|总书记|李克强总理|李强总理|党的[^，。“]{0,20}(?:报告|决议|全会)"
    r"|《[^》]{2,40}》)[^。；“]{0,60}?(?:强调|指出|提出|要求|说|明确)"
)
_TRANSITION = re.compile(
    r"^(这些都说明|这些问题(充分)?说明|实践(一再)?(证明|表明)|历史(一再)?(证明|表明)|事实(一再)?证明)"
)
_MAXIM = re.compile(r"^[^，。；：“”（）]{2,20}(，[^，。；：“”（）]{2,20}){0,2}。$")
_MAXIM_WORD = re.compile(r"是|在于|必先|重在|贵在|之本|任重道远|永远在路上|没有休止符|表明|证明")
_SITUATION = re.compile(r"^(今年是|\d{4}年是)")
# An entry that starts by pointing back (对这个问题，… / 上述…) or speaks of the author reads wrong alone.
_DANGLING = re.compile(
    r"^(?:作者|笔者|编者|对(?:这|此|上述)(?:个|些|一|类)?(?:问题|情况|现象|事)?[，,]|这(?:个|些|一|类)(?:问题|情况|现象)[，,]"
    r"|上述|以上(?:这些|几点|问题|情况))"
)
_MAY_POINT_BACK = ("transition", "quote", "closing", "extra")
_ROLE_ENDINGS = "。！？!?”’）)：:"


@dataclass(frozen=True)
class Unit:
    """A piece of a speech before generalisation."""

    role: str
    text: str
    line: int
    style: str | None = None
    keep_first: bool = True
    segment: bool = False  # a 要… run inside the point before it: left out when that point is
    context: str = ""  # the text around it (its point, its part): gives topics when its own words do not


@dataclass(frozen=True)
class Skipped:
    """A unit the miner left out, and why."""

    source: str
    role: str
    reason: str
    text: str


@dataclass(frozen=True)
class MinedSpeech:
    source: SourceText
    speech: Speech
    entries: tuple[Entry, ...]
    skipped: tuple[Skipped, ...]
    skeleton: Skeleton


# --- files -----------------------------------------------------------------------------------


def source_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The speech files named by ``paths``: files as given, folders searched recursively.

    Hidden files and Word's lock files (~$…) in folders are passed over; other files in folders are
    yielded whatever their type, so that reading them reports the type. Raises SourceError for a path
    that does not exist.
    """
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise SourceError("文件或文件夹不存在", path=path, hint="请检查路径。")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith((".", "~$")):
                    yield child
        else:
            yield path


def mine_file(path: Path) -> MinedSpeech:
    """Read, clean, parse and mine one speech file. Raises SourceError for a file it cannot read."""
    return mine_speech(read_source(path))


# --- units -----------------------------------------------------------------------------------


def _sentence_groups(text: str, *, min_chars: int = 30) -> list[str]:
    """Sentences, short ones joined to the next, announcements ("下面，我讲四点意见") left out."""
    groups: list[str] = []
    pending = ""
    for sentence in split_sentences_quoted(text):
        if _ANNOUNCE.search(sentence):
            continue
        pending += sentence
        if len(pending) >= min_chars:
            groups.append(pending.strip())
            pending = ""
    if pending.strip():
        if groups and len(pending) < 12:
            groups[-1] += pending.strip()
        else:
            groups.append(pending.strip())
    return groups


_SEGMENT_START = re.compile(r"^要(?!求|素|害|点|件)")


def _segments(text: str, *, first: bool = False) -> list[str]:
    """The 要… runs inside a long task paragraph (each from one 要-sentence to the next).

    The run keeps its 要 (the composer writes 一要 + 要… as 一要…), so that its sentences stay the
    same strings as in the whole paragraph and a draft never holds both.

    ``first``: the paragraph's first sentence may start a run (a task paragraph without a marker);
    otherwise it is the point's lead and never does.
    """
    if len(text) < SEGMENT_MIN_PARAGRAPH:
        return []
    sentences = split_sentences_quoted(text)
    starts = [i for i, s in enumerate(sentences) if (i > 0 or first) and _SEGMENT_START.match(s)]
    if len(starts) < 2:
        return []
    out = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(sentences)
        segment = "".join(sentences[start:stop]).strip()
        if len(segment) >= SEGMENT_MIN_CHARS:
            out.append(segment)
    return out


def _intro_before_segments(text: str) -> str:
    """The sentences of a task paragraph before its first 要… run (its lead-in)."""
    sentences = split_sentences_quoted(text)
    for index, sentence in enumerate(sentences):
        if _SEGMENT_START.match(sentence):
            return "".join(sentences[:index]).strip()
    return ""


def _item_text(text: str) -> str:
    text = text.strip()
    return text[:-1] + "。" if text.endswith(("；", ";", "，", ",")) else text


def _list_units(found: ItemList) -> list[Unit]:
    intro_role, item_role = (
        ("review_intro", "review_item") if found.kind == "review" else ("problem_intro", "problem_item")
    )
    units = []
    if found.intro:
        units.append(Unit(intro_role, found.intro, found.line, keep_first=False))
    for item in found.items:
        units.append(Unit(item_role, _item_text(item.text), item.line, item.style))
    if found.tail:
        units.append(Unit("transition", found.tail, found.line, keep_first=False))
    return units


def _point_units(item: Item) -> list[Unit]:
    units: list[Unit] = []
    title = item.title
    if item.style and 4 <= len(title) <= MAX_SUBHEADING and len(item.text) > len(item.lead) + 10:
        units.append(Unit("heading", title, item.line, item.style, context=item.text))
    if item.items:
        if len(item.intro) >= len(item.lead) + 10:
            units.append(Unit("point", _item_text(item.intro), item.line, item.style))
        for sub in item.items:
            units.extend(_point_units(sub))
    else:
        text = _item_text(item.text)
        units.append(Unit("point", text, item.line, item.style))
        units.extend(Unit("point", s, item.line, "一要", segment=True, context=text) for s in _segments(text))
    for line in item.more:
        units.append(Unit("point", line.text, line.number, None, keep_first=False))
    return units


def speech_units(speech: Speech) -> list[Unit]:
    """Every unit of a speech, in speech order (roles from drafter.bank.schema.ROLES)."""
    units: list[Unit] = []
    for line in speech.opening:
        units.extend(Unit("opening", g, line.number) for g in _sentence_groups(line.text, min_chars=20))
    for found in speech.lists:
        if not any(found is f for part in speech.parts for f in part.lists):
            units.extend(_list_units(found))
    units.extend(Unit("situation", line.text, line.number, keep_first=False) for line in speech.situation)
    units.extend(Unit("transition", line.text, line.number, keep_first=False) for line in speech.transitions)
    for part in speech.parts:
        start = len(units)
        units.extend(_part_units(part))
        context = "\n".join([part.heading or "", *(line.text for line in part.paragraphs)])
        units[start:] = [u if u.context else replace(u, context=context) for u in units[start:]]
    units.extend(Unit("extra", line.text, line.number, keep_first=False) for line in speech.extras)
    for line in speech.closing:
        units.append(Unit("closing", line.text, line.number, keep_first=False))
    units.extend(_quote_units(speech))
    units.extend(_transition_units(speech))
    return units


def _part_units(part: Part) -> list[Unit]:
    units: list[Unit] = []
    if part.heading:
        units.append(Unit("heading", part.heading, part.line, part.style))
    for line in part.lead:
        # A lead that says what this year is (今年是…) is the situation; one text gets one role.
        role = "situation" if _SITUATION.match(line.text) else "part_lead"
        units.append(Unit(role, line.text, line.number, keep_first=False))
    for found in part.lists:
        units.extend(_list_units(found))
    units.extend(Unit("transition", line.text, line.number, keep_first=False) for line in part.transitions)
    for point in part.points:
        units.extend(_point_units(point))
    if part.style is None and not part.points:  # a task paragraph of a speech without headings
        line = part.paragraphs[0]
        text = _item_text(line.text)
        units.append(Unit("point", text, line.number, None))
        segments = _segments(text, first=True)
        units.extend(Unit("point", s, line.number, "一要", segment=True) for s in segments)
        intro = _intro_before_segments(text)
        if segments and len(intro) >= 20:
            units.append(Unit("part_lead", intro, line.number, keep_first=False))
    return units


def _body_lines(speech: Speech) -> list[SourceLine]:
    start = speech.salutation.number if speech.salutation else 0
    return [line for line in speech.source.lines if line.number > start]


def _transition_units(speech: Speech) -> list[Unit]:
    """Summing-up sentences ("这些都说明，……", "实践一再表明，……") and the short maxims that open a
    part lead or a point's body ("治腐必先治权。", "江山就是人民，人民就是江山。")."""
    units = []
    for line in _body_lines(speech):
        for sentence in split_sentences_quoted(line.text)[1:]:
            if _TRANSITION.match(sentence.strip()):
                units.append(Unit("transition", sentence.strip(), line.number))
    openers: list[tuple[str, int]] = []
    for part in speech.parts:
        openers.extend((line.text, line.number) for line in part.lead)
        for point in part.points:
            body = split_sentences_quoted(point.text)[1:2] if point.style else []
            openers.extend((sentence, point.line) for sentence in body)
        if part.style is None:
            openers.extend((line.text, line.number) for line in part.paragraphs[:1])
    for text, number in openers:
        first = (split_sentences_quoted(text) or [""])[0].strip()
        if (
            _MAXIM.match(first)
            and _MAXIM_WORD.search(first)
            and "要" not in first
            and not _QUOTE.search(first)
            and paragraph_marker(first) is None
        ):
            units.append(Unit("transition", first, number))
    return units


_ITEM_LEAD = re.compile(r"^[一二三四五六七八九十]+[是要]")


def _quote_units(speech: Speech) -> list[Unit]:
    units = []
    for line in _body_lines(speech):
        for sentence in split_sentences_quoted(line.text):
            sentence = _ITEM_LEAD.sub("", sentence.strip())
            if _QUOTE.search(sentence) and ("“" in sentence or len(sentence) >= 30):
                units.append(Unit("quote", sentence, line.number))
    return units


# --- entries ---------------------------------------------------------------------------------


def normalized_key(text: str) -> str:
    """The text an id is computed from: NFKC, no whitespace."""
    return "".join(_nfkc(text).split())  # = re.sub(r"\s+", "", …): both take str.isspace's characters


# Full-width forms and the ideographic space, mapped to their NFKC forms beforehand: what is left is
# usually NFKC already, which is much cheaper to check than to compute (the result is the same).
_WIDE_TO_NFKC = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFF01, 0xFF5F), 0x3000)}
_WIDE = re.compile("[\uff01-\uff5e\u3000]")  # a substitution per hit: faster than str.translate here


_COMMON_WIDE = tuple((wide, _WIDE_TO_NFKC[wide]) for wide in "，；：（）！？")  # replaced in one go each


def _nfkc(text: str) -> str:
    for wide, narrow in _COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    text = _WIDE.sub(lambda m: _WIDE_TO_NFKC[m.group()], text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=SMALL_CACHE_SIZE)
def entry_id(role: str, original: str) -> str:
    """``<role>-<8 hex>``: stable across runs for the same original text and role."""
    digest = hashlib.sha1(normalized_key(original).encode("utf-8")).hexdigest()[:8]
    return f"{role}-{digest}"


_OPEN_YEARS = YearRange()


@cache
def _any_dating_phrase() -> Prefilter:
    return Prefilter(*(phrase.pattern for phrase in dating_phrases()))


def date_entry_text(text: str) -> YearRange:
    """The years a text's dating phrases allow. When they disagree (巩固“不忘初心”主题教育成果 beside
    党史学习教育), the latest phrase wins and an earlier one that cannot fit is passed over: a text may
    look back at an old campaign, never forward to a later one."""
    if not _any_dating_phrase().test(text):  # most texts: one search for their words, not one per phrase
        return _OPEN_YEARS
    found = dating_spans(text)
    found.sort(key=lambda span: span.start if span.start is not None else 0, reverse=True)
    start: int | None = None
    end: int | None = None
    for span in found:
        new_start = max((y for y in (start, span.start) if y is not None), default=None)
        new_end = min((y for y in (end, span.end) if y is not None), default=None)
        if new_start is not None and new_end is not None and new_start > new_end:
            continue
        start, end = new_start, new_end
    return YearRange(start, end)


def _years(generalized: str, pins: frozenset[int], before_calendar: bool) -> YearRange:
    """The years of a generalised text that cites the meetings of ``pins`` (if any), from a source whose
    year is or is not before the calendar."""
    if before_calendar:
        # A source older than the calendar: its material suits its own time, not a supported meeting
        # year ("-2017"; the bank holds no year before 2000). A writer lifts this by editing years.
        return YearRange(None, MIN_YEAR - 1)
    dated = date_entry_text(generalized)
    if not pins:
        return dated
    years = sorted(y for y in pins if y in dated) or sorted(pins)
    return YearRange(years[0], years[-1])


def _finish(text: str, role: str) -> str:
    text = text.strip()
    if role == "heading":
        return text.rstrip("。；;，,：:")
    if text and text[-1] not in _ROLE_ENDINGS:
        text = text.rstrip("；;，,") + "。"
    return text


def unit_entry(
    unit: Unit, source: SourceText, locale: Locale, notes: list[Skipped] | None = None
) -> Entry | Skipped:
    """One unit -> an Entry, or the reason it was left out. ``notes`` collects the sentences left out
    of a unit that is kept (a name, a place …): dropped in doubt, and counted."""
    where = f"{source.name}:{unit.line}"
    generalized = _generalized(unit.text, locale, unit.keep_first)
    reasons = "；".join(dict.fromkeys(generalized.dropped)) or "删去过多"
    if not generalized.text:
        return Skipped(where, unit.role, f"首句无法通用化（{reasons}）", unit.text)
    if generalized.kept_share < MIN_SHARE:
        return Skipped(where, unit.role, f"通用化后剩余过少（{reasons}）", unit.text)
    facts = _entry_facts(
        generalized.text,
        unit.role,
        generalized.levels,
        generalized.pins,
        locale.year is not None and locale.year < MIN_YEAR,
    )
    if facts.short:
        return Skipped(where, unit.role, "过短", unit.text)
    if facts.dangling:
        return Skipped(where, unit.role, "指代前文或出自编者，单独成条读不通", unit.text)
    if generalized.dropped and notes is not None:
        notes.append(Skipped(where, unit.role, f"删去其中的句子（{reasons}）", unit.text))
    return Entry(
        id=entry_id(unit.role, unit.text),
        text=facts.text,
        role=unit.role,
        topics=facts.topics or _context_topics(unit.context),
        levels=facts.levels,
        years=facts.years,
        source=(where,),
        style=unit.style if unit.role in ("heading", "point", "review_item", "problem_item") else None,
        scope=facts.scope,
    )


@lru_cache(maxsize=CACHE_SIZE)
def _generalized(text: str, locale: Locale, keep_first: bool) -> Generalized:
    return generalize_unit(text, locale, keep_first=keep_first)  # shared: callers never change it


@dataclass(frozen=True)
class _Facts:
    """What an entry's fields are, given its generalised text (the same for every unit that has it)."""

    text: str
    short: bool
    dangling: bool
    topics: tuple[str, ...] = ()  # from its own words; empty: the unit's context decides
    levels: tuple[str, ...] = ()
    years: YearRange = YearRange()
    scope: tuple[str, ...] = ()


@lru_cache(maxsize=CACHE_SIZE)
def _entry_facts(
    generalized: str, role: str, levels: tuple[str, ...], pins: frozenset[int], before_calendar: bool
) -> _Facts:
    text = _finish(generalized, role)
    if len(text) < MIN_CHARS.get(role, DEFAULT_MIN_CHARS):
        return _Facts(text, short=True, dangling=False)
    if role not in _MAY_POINT_BACK and _DANGLING.match(text):
        return _Facts(text, short=False, dangling=True)
    lead = first_sentence_quoted(text) if role not in ("heading", "quote") else ""  # (text is not blank)
    return _Facts(
        text,
        short=False,
        dangling=False,
        topics=_topics(text, lead),
        levels=fitting_levels(text, levels) or fitting_levels(text) or levels,
        years=_years(generalized, pins, before_calendar),
        scope=scope_labels(text),
    )


# No keyword holds a sentence end or begins with what may follow one (closing quotes, brackets): a
# keyword never straddles the end of a sentence, so a text's hits are its first sentence's and the rest's.
_WHOLE_IN_SENTENCES = not any(
    set(word) & set("。！？!?") or word[0] in "”’」』）)》"
    for words in TOPIC_KEYWORDS.values()
    for word in words
)


def _topics(text: str, lead: str) -> tuple[str, ...]:
    """``classify_topics(text, lead=lead)`` for a lead that is the text's first sentence: the lead's hits
    and the rest's, each text searched once instead of the lead twice."""
    if not lead or not _WHOLE_IN_SENTENCES or not text.startswith(lead):
        return classify_topics(text, lead=lead)
    first = topic_hits(lead)
    rest = topic_hits(text[len(lead) :])
    return rank_topics(with_lead([f + r for f, r in zip(first, rest, strict=True)], first))


@lru_cache(maxsize=64)  # the units of one part share its context: only the last few are asked again
def _context_topics(context: str) -> tuple[str, ...]:
    """``classify_topics(context, limit=1)``, from the hits of its lines (a part's context is its heading
    and paragraphs: their hits are kept for the skeleton, ``_part_topics``)."""
    hits = [sum(column) for column in zip(*map(_paragraph_hits, context.split("\n")), strict=True)]
    return rank_topics(hits, limit=1)


@lru_cache(maxsize=SMALL_CACHE_SIZE)
def _paragraph_hits(text: str) -> tuple[int, ...]:
    return topic_hits(text)


def _part_topics(part: Part) -> tuple[str, ...]:
    """``classify_topics(heading + paragraphs joined with line breaks, limit=2, lead=heading)``, from each
    paragraph's hits (kept per text: a collection repeats paragraphs, seldom whole parts)."""
    heading = part.heading or ""
    pieces = [heading, *(line.text for line in part.paragraphs)]
    hits = [sum(column) for column in zip(*map(_paragraph_hits, pieces), strict=True)]
    if heading:
        hits = with_lead(hits, _paragraph_hits(heading))
    return rank_topics(hits, limit=2)


# Equal skeleton parts and section lists are one object each: a corpus's thousands of skeletons repeat a
# few hundred parts, and a run keeps every skeleton until the merge. Bounded like the caches above.
_SHARED: dict[object, object] = {}
_T = TypeVar("_T")


def _shared(value: _T) -> _T:
    found = _SHARED.get(value)
    if found is None:
        if len(_SHARED) >= 2 * CACHE_SIZE:
            _SHARED.clear()
        _SHARED[value] = found = value
    return found  # type: ignore[return-value]


def speech_skeleton(speech: Speech) -> Skeleton:
    """The shape of a speech: part order, heading and sub-point styles, how many points, roles' places."""
    parts = []
    for part in speech.parts:
        parts.append(
            _shared(
                SkeletonPart(
                    topics=_part_topics(part),
                    sub_style=part.sub_style,
                    sub_count=len(part.points),
                    has_lead=bool(part.lead),
                )
            )
        )
    digest = hashlib.sha1(normalized_key(speech.source.text).encode("utf-8")).hexdigest()[:8]
    heading_style = speech.heading_style if speech.heading_style in HEADING_STYLES else None
    return Skeleton(
        id=f"skeleton-{digest}",
        source=speech.source.name,
        points=len(speech.parts),
        heading_style=heading_style,
        parts=_shared(tuple(parts)),
        sections=_shared(speech.sections),
    )


def mine_speech(source: SourceText) -> MinedSpeech:
    """Parse a cleaned speech and turn it into candidate entries (duplicates within it merged)."""
    speech = parse_speech(source)
    locale = Locale(level=speech.level, year=speech.year, place=speech.place)
    entries: dict[str, Entry] = {}
    roles: dict[str, str] = {}  # text -> the role it was first mined under: one text, one role
    skipped: list[Skipped] = []
    parent_skipped = False
    for unit in speech_units(speech):
        if unit.segment and parent_skipped:
            where = f"{source.name}:{unit.line}"
            skipped.append(Skipped(where, unit.role, "所在段落已略去，其中的分句也不单独收录", unit.text))
            continue
        result = unit_entry(unit, source, locale, skipped)
        if not unit.segment:
            parent_skipped = isinstance(result, Skipped)
        if isinstance(result, Skipped):
            skipped.append(result)
        elif roles.setdefault(result.text, result.role) != result.role:
            where = f"{source.name}:{unit.line}"
            first = roles[result.text]
            skipped.append(Skipped(where, unit.role, f"与已收录的“{first}”条目文字相同", unit.text))
        elif result.id in entries:
            kept = entries[result.id]
            sources = tuple(dict.fromkeys((*kept.source, *result.source)))
            entries[result.id] = replace(kept, source=sources)
        else:
            entries[result.id] = result
    return MinedSpeech(source, speech, tuple(entries.values()), tuple(skipped), speech_skeleton(speech))
