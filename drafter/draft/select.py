"""Draft stage, phrase choice: fill the plan (drafter.draft.plan) with bank entries valid for the year
and level. A point enters a part only on the part's own topic and on a subject no other part has used;
nothing off-genre, no sentence twice, seeded, away from a previous speech (--avoid)."""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Container, Iterator, Sequence
from itertools import compress, islice, repeat, starmap
from operator import itemgetter
from typing import Any

from drafter.bank.rows import (
    NO_SUBJECT,
    SUBJECT_UNKNOWN,
    EntryTable,
    Kind,
    draftable_flags,
    main_topic_table,
)
from drafter.draft.context import Context
from drafter.draft.plan import (
    MAX_ACHIEVEMENTS,
    MAX_POINTS,
    MAX_PROBLEMS,
    MIN_ACHIEVEMENTS,
    MIN_POINTS,
    MIN_PROBLEMS,
    PROBLEM_ORDER,
    REVIEW_FIRST,
    REVIEW_ORDER,
    Choice,
    Part,
    PartKind,
    Phrase,
    Plan,
    plan_kinds,
)
from drafter.errors import ContextError
from drafter.facts import shape as sh
from drafter.facts.calendar import stale_phrases
from drafter.facts.dated_terms import remember_term_hits
from drafter.facts.subjects import (
    SUBJECTS,
    lead_sentence,
    main_subject,
    off_genre,
    remember_counts,
    subject_scores,
)
from drafter.facts.vocab import SLOT_RE, render_slots
from drafter.models import Bank, Entry
from drafter.read.sentences import split_sentences

__all__ = ["MAX_POINTS", "MIN_POINTS", "Part", "Phrase", "Plan", "Selector"]

PART_HEADING_STYLES = ("一、", "第一，", None)
TITLED = "（一）"  # a sub-point style whose points open with a short title sentence
_MIN_SENTENCE = 8
_BATCH = 128  # entries of a large bank built at once as a search reaches them
_FIRST_BATCH = 16  # a search's first build
_FIRST_RANKS = 256  # the fewest entries of a role put in seeded order at a time
_MIN_POINT_CHARS = 24  # shorter points read as fragments
_MAX_TITLE = 22  # a titled point's first sentence: 提升服务意识。
_MAX_ITEM_LEAD = 30  # a review or problem item's lead phrase: 一是主体责任持续压实。
# The first part of a "review=part1" skeleton looks back and faces the problems.
_REVIEW_HEADING_RE = re.compile(r"认清形势|正视问题|深化.{0,4}认识|总结|成绩|形势|站位|清醒")
_REMARK_RE = re.compile(r"^刚才")
_QUOTE_START = sh.QUOTE_OPENINGS
_FULL_POINT_CHARS = 100  # past the minimum count, a part takes only full paragraphs, not lone sentences
_DWELL = 3  # a point naming a subject this often is also about it (no second point may dwell on it)
_MIN_REMARK_REST = 100  # a closing remark speaks on after its lead for at least this many characters
_MAX_QUOTE = 150  # a quote opens a part; a longer "quote" is a whole paragraph on its own subject
# A point that names who must act before its verb (各部门要…): it cannot follow a generated 一要/一是.
_SUBJECT_FIRST_RE = re.compile(r"^(?!要)[^，。；：要]{2,24}要")
_REMARK_NAMES_RE = re.compile(r"强调(?:一下)?(?P<names>[^。：，]+?)(?:等)?(?:工作|问题)?[。：]")


Where = Callable[[tuple[str, ...], str | None], bool]  # a test of an entry's topics and style
# A search's caller's judgement of an entry (by position) before it is built: what to do when the search
# reaches it, or None to judge it on its text (Selector.entries).
Settle = Callable[[int], Callable[[], None] | None]
# What a text test asks, from the text's shape (facts.shape), its length as stored and the draft's slot
# values' lengths, before the entry is built: False only where the test would refuse the drafted text;
# True for a shape not known.
Shape = Callable[[int, int, sh.SlotValues], bool]


def _shape_has_lead(shape: int, size: int, values: sh.SlotValues) -> bool:
    """has_lead, from the shape (the length after the lead only for a text without slots)."""
    if (bounds := sh.lead_bounds(shape, values)) is None:
        return True
    low, high = bounds
    rest = bool(shape & sh.SLOTTED) or size > low + 10
    return bool(shape & sh.LEAD_FULL_STOP) and high >= 4 and low <= _MAX_ITEM_LEAD and rest


def _shape_titled(shape: int, size: int, values: sh.SlotValues) -> bool:
    """titled, from the shape."""
    if (bounds := sh.lead_bounds(shape, values)) is None:
        return True
    low, high = bounds
    return (
        bool(shape & sh.LEAD_FULL_STOP)
        and high >= 4
        and low <= _MAX_TITLE
        and not shape & (sh.OPENS_YAO | sh.OPENS_QUOTE)
    )


def _shape_part_heading(shape: int, size: int, values: sh.SlotValues) -> bool:
    """part_heading_entry's text tests, from the shape: no 要… sentence, no 。."""
    return not shape & sh.KNOWN or not shape & (sh.OPENS_YAO | sh.HAS_FULL_STOP)


def _shape_review_heading(shape: int, size: int, values: sh.SlotValues) -> bool:
    return not shape & sh.KNOWN or not shape & sh.OPENS_YAO


def _shape_remark(shape: int, size: int, values: sh.SlotValues) -> bool:
    """_REMARK_RE (刚才…), from the shape."""
    found = sh.may_open_with(shape, values, "刚才")
    return bool(shape & sh.OPENS_REMARK) if found is None else found


def _shape_no_figure(shape: int, size: int, values: sh.SlotValues) -> bool:
    return not shape & sh.KNOWN or not shape & sh.HAS_BRACKET


def _shape_quote(shape: int, size: int, values: sh.SlotValues) -> bool:
    """A quote's length (only for a text without slots) and no figure."""
    if not shape & sh.KNOWN:
        return True
    return (bool(shape & sh.SLOTTED) or size <= _MAX_QUOTE) and not shape & sh.HAS_BRACKET


def _main_topic_in(topics: Container[str]) -> Where:
    """A test of an entry: is its main (first) topic one of ``topics``?"""

    def test(entry_topics: tuple[str, ...], style: str | None) -> bool:
        return bool(entry_topics) and entry_topics[0] in topics

    return test


_SPACES_QUOTES_RE = re.compile("[ \u3000“”‘’\"']")  # (a regex: str.translate is slower on CJK text)


def _normalize(sentence: str) -> str:
    return _SPACES_QUOTES_RE.sub("", sentence).strip().rstrip("。！？；：，")


def _numberable(entry: Entry, text: str) -> bool:
    """Can this point follow a generated 一要/（一）? Numbered in its source, or it opens with a short lead."""
    if text.startswith(_QUOTE_START):
        return False
    if entry.style is not None:
        return True
    lead = split_sentences(text)[:1]
    return bool(lead) and len(lead[0]) <= 40


def titled(text: str) -> bool:
    """Does a point open with a short title sentence (提升服务意识。…), fit for （一） numbering?"""
    lead = lead_sentence(text)
    return lead.endswith("。") and 4 <= len(lead) <= _MAX_TITLE and not lead.startswith(("要", *_QUOTE_START))


def has_lead(text: str) -> bool:
    """Does a review or problem item open with a lead phrase (主体责任持续压实。…)?"""
    lead = lead_sentence(text)
    return lead.endswith("。") and 4 <= len(lead) <= _MAX_ITEM_LEAD and len(text) > len(lead) + 10


def part_heading_entry(entry: Entry, text: str) -> bool:
    """A part-level heading: not a sub-point title, not a 要… sentence, not the review's heading."""
    return (
        entry.style in PART_HEADING_STYLES
        and not text.startswith("要")
        and "。" not in text
        and not _REVIEW_HEADING_RE.search(text)
    )


def _bigrams(text: str) -> set[str]:
    clean = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def repeats_heading(heading: str, text: str, *, share: float = 0.5) -> bool:
    """A point whose first sentence says again what its part heading (or another point's title) says."""
    a, b = _bigrams(heading), _bigrams(lead_sentence(text))
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= share


def _intact_remark(text: str) -> bool:
    """A closing remark (最后，我再强调一下X和Y工作。) that still speaks of everything its lead names."""
    lead = lead_sentence(text)
    rest = text[len(lead) :]
    match = _REMARK_NAMES_RE.search(lead)
    names = [n for n in re.split(r"和|、|及|以及", match.group("names")) if n] if match else []
    return len(rest) >= _MIN_REMARK_REST and all(n in rest for n in names)


def _in_id_order(runs: list[Sequence[int]], ids: Sequence[str], unique: bool) -> list[int]:
    """Positions of several runs, each in id order, as one list in id order (table order where an id
    repeats). The few of the smaller runs go into the largest one by bisection."""
    runs = sorted(runs, key=len, reverse=True)
    rest = [i for run in runs[1:] for i in run]
    if unique and len(rest) * 16 < len(runs[0]):
        big, key = runs[0], ids.__getitem__
        rest.sort(key=key)
        merged: list[int] = []
        done = 0  # how much of ``big`` is in ``merged``
        for i in rest:  # no id repeats: each goes between the same neighbours as by insort
            at = bisect_right(big, key(i), lo=done, key=key)
            merged += big[done:at]
            merged.append(i)
            done = at
        merged += big[done:]
        return merged
    merged = [i for run in runs for i in run]
    if not unique:
        merged.sort()
    merged.sort(key=ids.__getitem__)
    return merged


class _Ranking:
    """A role's entries in seeded order: by rank, a tie in id order. Sorted only as far as a search
    reaches, a band of ranks at a time (a search mostly stops at its first fits): the order is the same
    as sorting them all, since the ranks are the same and a band holds every rank in its range. A search
    on some main topics goes through only the entries on them (``on_topics``), sorted on their own."""

    def __init__(self, positions: Sequence[int], ranks: list[float], mains: bytes = b"") -> None:
        self.positions, self.ranks = positions, ranks
        self.order: list[int] = []  # the positions in seeded order, as far as sorted
        self._below = 0.0  # every entry ranked below this is in ``order``
        self._table_mains = mains  # the table's rows.mains column
        self._mains: bytes | None = None  # the main-topic code of each entry, in id order
        self._on_topics: dict[bytes, list[int]] = {}

    def on_topics(self, topic_table: bytes) -> list[int]:
        """The entries whose main topic ``topic_table`` takes (rows.main_topic_table), in seeded order:
        picked at C speed, and only they sorted."""
        found = self._on_topics.get(topic_table)
        if found is None:
            if self._mains is None:
                positions, mains = self.positions, self._table_mains
                if isinstance(positions, range) and positions.step == 1:
                    self._mains = mains[positions.start : positions.stop]
                elif len(positions) > 1:
                    self._mains = bytes(itemgetter(*positions)(mains))  # a tuple of them, at C speed
                else:
                    self._mains = bytes(mains[p] for p in positions)
            picked = list(compress(range(len(self._mains)), self._mains.translate(topic_table)))
            picked.sort(key=self.ranks.__getitem__)  # stable: a tie keeps id order
            found = self._on_topics[topic_table] = list(map(self.positions.__getitem__, picked))
        return found

    def extend(self, size: int) -> bool:
        """Sort on until ``order`` holds ``size`` entries (or all there are); does it hold ``size``?"""
        order, ranks, total = self.order, self.ranks, len(self.ranks)
        while len(order) < size and len(order) < total:
            low = self._below
            # ranks are uniform in [0, 1): a band as wide as should hold what is asked and four times
            # what is sorted so far (each band is a pass over all: few bands, and little sorted unused)
            width = max(size - len(order), 3 * len(order), _FIRST_RANKS) / total
            high = low + width if low + width < 1.0 else 2.0
            band = [j for j, r in enumerate(ranks) if low <= r < high]
            band.sort(key=ranks.__getitem__)  # stable: a tie keeps id order
            order.extend(map(self.positions.__getitem__, band))
            self._below = high
        return len(order) >= size


class _Search:
    """What one kind of search (the same tests, each reason to pass an entry over lasting) has settled.
    ``passed``: the ids it has yielded, each passed over by its caller, so the next search of the kind
    skips them: a draft reads each entry once per kind of search, not per pick. ``resume``: every entry
    before this place in the seeded order is settled (passed, or refused for good: topics, lengths and
    texts never change; used sentences, deployed subjects and taken points only grow), so the next
    search begins there."""

    __slots__ = ("passed", "resume")

    def __init__(self) -> None:
        self.passed: set[str] = set()
        self.resume = [0]


class Selector:
    """Seeded phrase choice over one bank for one context."""

    def __init__(self, context: Context, bank: Bank, *, avoid_texts: tuple[str, ...] = ()) -> None:
        self.context = context
        self.rng = random.Random(context.seed)
        self.used_ids: set[str] = set()
        self.used_sentences: set[str] = set()
        self._sentence_cache: dict[str, tuple[str, ...]] = {}
        self.sources: dict[str, tuple[str, ...]] = {}
        self.choices: list[Choice] = []
        self._dwelt: set[str] = set()  # subjects a chosen point dwells on besides its own
        self.avoid = {
            _normalize(s) for t in avoid_texts for s in split_sentences(t) if len(s) >= _MIN_SENTENCE
        }
        self._slots = context.slots
        self._texts: dict[str, str | None] = {}  # entry id -> its text as drafted, None when unusable
        self._fresh_ids: dict[str, bool] = {}  # entry id -> no stale term in its text
        self._logged: set[tuple[str, str]] = set()
        self._searches: dict[tuple[object, ...], _Search] = {}  # per kind of search: what it has settled
        # Each role's entries in seeded order, from the bank's columns alone. An entry's rank is drawn in
        # id order among the entries that suit the year and level, before anything reads their text: an
        # entry is built, rendered and judged (stale terms, unknown slots) only when a pick reaches it,
        # so a large bank is not read whole for one draft, and the order does not hang on the text checks.
        table = self._table = EntryTable.of(bank.entries)
        self._ids, self._topics, self._styles = table.ids, table.topics, table.styles
        # the slot values' lengths: what slotted texts' shapes need, and the longest a text can grow when
        # its slots are filled (each "{…}" becomes at most ``longest`` long)
        self._slot_values = sh.slot_values(context.slots.values())
        self._ranking: dict[str, _Ranking] = {}  # role -> its entries' seeded order, sorted as far as asked
        year, level = context.year, context.level
        draftable = frozenset(f for f in range(8) if draftable_flags(f))
        # Per table the bank is made of: each role's entries in id order with the kind (role, levels,
        # years, flags) of each. The kinds that suit the year and level pick a role's entries in id order
        # at C speed, with no pass in Python over every entry. Roles are ranked in the order they first
        # appear in the bank.
        fits: dict[Kind, int] = {}
        by_role: dict[str, list[Sequence[int]]] = {}
        first: dict[str, int] = {}  # role -> its first suitable position
        for (kinds, role_index), shift, keep in table.kind_runs():
            mask = []
            for kind in kinds:
                ok = fits.get(kind)
                if (
                    ok is None
                ):  # suits the year and level; draftable: bound to one place or moment only when locked
                    _, levels, years, flags = kind
                    ok = fits[kind] = int(flags in draftable and level in levels and year in years)
                mask.append(ok)
            for role, (positions, codes) in role_index.items():
                found: Sequence[int]
                every = all(mask[code] for code in set(codes))  # mostly: every entry of the role suits
                if every and keep is None and isinstance(positions, range):  # a run in id order
                    found = range(positions.start + shift, positions.stop + shift)
                else:
                    chosen = positions if every else compress(positions, map(mask.__getitem__, codes))
                    if keep is not None:
                        found = [keep[p] for p in chosen if p in keep]
                    else:
                        found = list(map(shift.__add__, chosen)) if shift else list(chosen)
                if found:
                    by_role.setdefault(role, []).append(found)
                    low = min(found)
                    if first.get(role, low) >= low:
                        first[role] = low
        rng, ids, mains = self.rng, table.ids, table.mains
        self._main_tables: dict[frozenset[str], bytes] = {}  # main topics -> rows.main_topic_table
        for role in sorted(by_role, key=first.__getitem__):
            runs = by_role[role]
            # id order: bank order must not change the draft
            positions = runs[0] if len(runs) == 1 else _in_id_order(runs, ids, table.unique_ids)
            ranks = list(starmap(rng.random, repeat((), len(positions))))  # one seeded rank each, id order
            self._ranking[role] = _Ranking(positions, ranks, mains)

    def _main_table(self, topics: Collection[str]) -> bytes:
        key = frozenset(topics)
        found = self._main_tables.get(key)
        if found is None:
            found = self._main_tables[key] = main_topic_table(key)
        return found

    def _rendered(self, entry: Entry, position: int) -> str | None:
        """The entry's text for this draft (slots filled), or None when it holds a slot this draft cannot
        fill. Worked out once per entry. A text drafted as it stands in the bank takes the facts the load
        cache keeps of it (subjects, dated terms), so they are not worked out again."""
        if entry.id in self._texts:
            return self._texts[entry.id]
        text = entry.text
        if "{" in text or "\ue000" in text or "\ue001" in text:
            # U+E000/U+E001 mark entry ids in rendered templates: never let bank text carry them
            text = render_slots(text, self._slots).replace("\ue000", "").replace("\ue001", "")
        found = None if "{" in text and SLOT_RE.search(text) else text
        self._texts[entry.id] = found
        if found is not None and found == entry.text and (facts := self._table.facts_of(position)):
            counts, hits = facts
            remember_counts(found, counts)
            remember_term_hits(found, hits)
        return found

    def _fresh(self, entry: Entry, text: str) -> bool:
        """No term in the text is stale in this year (judged once per entry)."""
        found = self._fresh_ids.get(entry.id)
        if found is None:
            found = self._fresh_ids[entry.id] = not stale_phrases(text, self.context.year)
        return found

    def entries(
        self,
        role: str,
        skip: Container[str] = (),
        where: Where | None = None,
        test: Callable[[Entry, str], bool] | None = None,
        min_chars: int = 0,
        shape: Shape | None = None,
        resume: list[int] | None = None,
        mains: Collection[str] | None = None,
        settle: Settle | None = None,
    ) -> Iterator[tuple[Entry, str]]:
        """The role's drafting texts in seeded order: the cheap tests first, the stale terms last.
        ``min_chars``: texts shorter than this once drafted are passed over unread; ``shape``: what
        ``test`` asks, from the text's shape, tested before the entry is built; ``resume``: where in
        the order the last search of this kind got to, kept up to date (see _Search); ``mains``: the
        main topics ``where`` may take (it refuses any other; without ``where``, the test is just that):
        only those entries are gone through;
        ``settle``: the caller's own judgement of an entry from what the load cache keeps of it, before
        it is built: for an entry the caller is done with, what to do when the search reaches it (it is
        not built nor yielded); None for one to judge on its text."""
        ids, topics, styles, table = self._ids, self._topics, self._styles, self._table
        if where is None and mains is not None:
            where = _main_topic_in(mains)  # the subset picked by main-topic code, told exactly
        sizes, braces, growth = table.sizes, table.braces, self._slot_values.longest
        shapes = table.shapes if shape is not None else ()
        slot_values = self._slot_values

        def wanted(i: int) -> bool:  # what the columns alone can tell
            return (  # the cheapest tests first
                ids[i] not in skip
                and (not min_chars or sizes[i] + braces[i] * growth >= min_chars)
                and (shape is None or shape(shapes[i], sizes[i], slot_values))
                and (where is None or where(topics[i], styles[i]))
            )

        ranking = self._ranking.get(role)
        if ranking is None:
            ranked, whole = [], True
        elif mains is not None:  # only the entries on those main topics, picked at C speed
            ranked, whole = ranking.on_topics(self._main_table(mains)), True
        else:  # sorted as far as the search goes
            ranked, whole = ranking.order, False
        ahead: list[int] = []  # places past ``n`` already found wanted (each is tested once), last first
        n = resume[0] if resume is not None else 0
        batch = _FIRST_BATCH  # a search mostly stops at its first fits: build few at first, then more
        while True:
            if ahead:
                k = ahead.pop()
                i = ranked[k]
                if ids[i] in skip:  # passed over since it was looked at
                    continue
            else:
                if n >= len(ranked):  # all sorted so far is seen: sort on, or stop
                    if not whole and ranking is not None and ranking.extend(n + 1):
                        continue
                    break
                k, n = n, n + 1
                i = ranked[k]
                if not wanted(i):
                    continue
            if resume is not None:
                resume[0] = k  # every entry before this one is settled
            if settle is not None and (done := settle(i)) is not None:
                done()
                continue
            if not table.has(i):  # build the next entries this search may reach together
                if len(ahead) < batch:
                    if not whole and ranking is not None:
                        ranking.extend(n + 4 * batch)
                    end = min(n + 4 * batch, len(ranked))
                    more = [j for j in range(n, end) if wanted(ranked[j])]
                    n = end
                    ahead[:0] = more[::-1]
                upcoming = (ranked[j] for j in ahead[:-batch:-1])
                table.build([i, *(j for j in upcoming if settle is None or settle(j) is None)])
                batch = min(2 * batch, _BATCH)
            entry = table[i]
            text = self._rendered(entry, i)
            if text is None or (test is not None and not test(entry, text)) or not self._fresh(entry, text):
                continue
            yield entry, text
        if resume is not None:
            resume[0] = n  # every entry is settled

    # -- single picks ----------------------------------------------------------------------------

    def _sentences(self, text: str) -> tuple[str, ...]:
        cached = self._sentence_cache.get(text)
        if cached is None:
            cached = tuple(_normalize(s) for s in split_sentences(text) if len(s) >= _MIN_SENTENCE)
            self._sentence_cache[text] = cached
        return cached

    def _usable(self, entry: Entry, text: str) -> bool:
        return entry.id not in self.used_ids and not any(
            s in self.used_sentences for s in self._sentences(text)
        )

    def _avoid_share(self, text: str) -> float:
        sentences = self._sentences(text)
        if not self.avoid or not sentences:
            return 0.0
        return sum(s in self.avoid for s in sentences) / len(sentences)

    def _take(self, entry: Entry, text: str, subject: str | None = None) -> Phrase:
        self.used_ids.add(entry.id)
        self.used_sentences.update(self._sentences(text))
        self.sources[entry.id] = entry.source
        return Phrase(entry.id, text, entry.topics, subject)

    def candidates(
        self,
        role: str,
        *,
        optional: bool = False,
        skip: set[str] | None = None,
        where: Where | None = None,
        test: Callable[[Entry, str], bool] | None = None,
        min_chars: int = 0,
        shape: Shape | None = None,
        search: _Search | None = None,
        mains: Collection[str] | None = None,
        settle: Settle | None = None,
        early: Callable[[Entry, str], bool] | None = None,
    ) -> Iterator[tuple[Entry, str]]:
        """Usable entries in seeded order, lazily (a caller stops at its first fit, so a large bank is not
        scanned whole). ``optional``: the draft can do without, so nothing from --avoid; otherwise entries
        that repeat the avoided speech come last. ``skip``: ids not to yield (a search's passed entries);
        ``where``: a test of the entry's topics and style, made before the entry is built; ``test``:
        a cheap test of the entry and its text, made before the text is judged for stale terms;
        ``min_chars``: the shortest text the caller can use. All only narrow what the caller would refuse
        anyway. ``search``: the kind of search this is, which passes over every entry it yields (then
        ``skip`` is ignored); ``mains``: see entries; ``settle``: see entries;
        ``early``: the caller's own
        judgement of an entry and its text before its sentences are checked against those taken: True
        when the caller is done with it."""
        later: list[tuple[Entry, str]] = []
        if search is not None:
            skip = search.passed
        # an entry put off to the end (--avoid) is not settled: no resuming past it then
        resume = search.resume if search is not None and not self.avoid else None
        found = self.entries(
            role, () if skip is None else skip, where, test, min_chars, shape, resume, mains, settle
        )
        for e, t in found:
            if early is not None and early(e, t):
                continue
            if not self._usable(e, t):
                continue
            if self.avoid and self._avoid_share(t) >= 0.5:
                if not optional:
                    later.append((e, t))
                continue
            yield e, t
        yield from later

    def pick(self, role: str, topic: str | None = None, *, optional: bool = False) -> Phrase | None:
        """One entry of a role: on the topic (as main topic) when given, nothing off-genre."""
        mains = None if topic is None else (topic,)
        for e, t in self.candidates(role, optional=optional, mains=mains):
            if off_genre(t) is None:
                return self._take(e, t)
        return None

    def pick_in(self, role: str, topics: tuple[str, ...], *, optional: bool = False) -> Phrase | None:
        for e, t in self.candidates(role, optional=optional, mains=topics):
            if off_genre(t) is None:
                return self._take(e, t)
        return None

    def pick_matching(self, role: str, pattern: re.Pattern[str], shape: Shape | None = None) -> Phrase | None:
        """One entry whose text the pattern finds (``shape``: what the pattern asks, from the shape)."""
        for e, t in self.candidates(role, test=lambda e, t: pattern.search(t) is not None, shape=shape):
            if off_genre(t) is None:
                return self._take(e, t)
        return None

    def pick_heading(self, kind: PartKind) -> Phrase:
        """A part-level heading whose own topic is the part's; the kind's own heading when the bank has none."""
        on_topic = _main_topic_in(kind.topics)
        groups = kind.groups()

        def covers(entry_topics: tuple[str, ...], style: str | None) -> bool:
            return on_topic(entry_topics, style) and all(
                any(topic in group for topic in entry_topics) for group in groups
            )

        found = self.candidates(
            "heading", where=covers, test=part_heading_entry, shape=_shape_part_heading, mains=kind.topics
        )
        for e, t in found:
            return self._take(e, t)
        return Phrase("", kind.heading or kind.topic, (kind.topic,))

    # -- the plan --------------------------------------------------------------------------------

    def _check_topics(self, n: int) -> tuple[str, ...]:
        wanted = tuple(self.context.params.topics)
        if len(wanted) > n:
            raise ContextError(
                f"--topics 给了 {len(wanted)} 个主题，但这篇讲话只有 {n} 个工作部分",
                hint="减少主题，或用 --points 增加意见条数（3–5）。",
            )
        for topic in wanted:
            if not any(topic in e.topics for e, _ in self.entries("point")):
                raise ContextError(
                    f"语料库中没有适合 {self.context.year} 年、{self.context.level}级的「{topic}」要点",
                    hint="换一个主题，或用 drafter mine / drafter bank add 补充这一主题的语料。",
                )
        return wanted

    def plan(self, *, n_task_parts: int, fixed_chars: int, style: str = "一要") -> Plan:
        """Plan first (the arc's parts), fill second: headings, points, the review, growing to the length."""
        kinds = plan_kinds(n_task_parts, self._check_topics(n_task_parts))
        target = self.context.params.length
        remark = self.pick_matching(
            "opening", _REMARK_RE, _shape_remark
        )  # 刚才……作了发言; the purpose is the template's
        parts = [Part(kind=kind, heading=self.pick_heading(kind), lead=None) for kind in kinds]
        for part in parts:
            part.style = self._part_style(part, style)
            part.lead = self._pick_lead(part)
        deployed: set[str] = set()  # subjects used by a task part
        for _ in range(MIN_POINTS):  # round by round, so no part takes every subject it touches
            for part in parts:
                self._add_point(part, deployed)
        review: dict[str, Any] = {
            "intro": self.pick("review_intro"),
            "achievements": self._items("review_item", REVIEW_ORDER, MIN_ACHIEVEMENTS),
            "problem_intro": self.pick("problem_intro"),
            "problems": self._items("problem_item", PROBLEM_ORDER, MIN_PROBLEMS),
            "situation": [p for p in [self.pick("situation", optional=True)] if p],
        }
        review_heading = next(
            (h for style_ in PART_HEADING_STYLES if (h := self._pick_review_heading(style_)) is not None),
            None,
        )
        closing = self.pick("closing")
        extra: list[Phrase] = []
        used = fixed_chars + self._chars([remark] if remark else [], review, closing)
        used += sum(p.chars() for p in parts)

        # Grow toward the target on topic only, in the order a writer would add material.
        def more_points(limit: int) -> Phrase | None:
            for part in sorted(parts, key=Part.chars):
                if len(part.points) < limit and (found := self._add_point(part, deployed)):
                    return found
            return None

        def more_review(key: str, role: str, order: tuple[tuple[str, ...], ...], limit: int) -> Phrase | None:
            if len(review[key]) < limit and (found := self._item(role, order, review[key], optional=True)):
                review[key] = self._in_order(review[key] + [found], order)
                return found
            return None

        def more_extra() -> Phrase | None:
            if extra:
                return None
            remarks = self.candidates(
                "extra", optional=True, test=lambda e, t: _intact_remark(t), min_chars=_MIN_REMARK_REST
            )
            for e, t in remarks:
                if off_genre(t) in (None, "非本文体（安全生产）"):
                    extra.append(self._take(e, t))
                    return extra[0]
            return None

        growers: tuple[Callable[[], Phrase | None], ...] = (
            lambda: more_points(4),
            lambda: more_review("achievements", "review_item", REVIEW_ORDER, 5),
            lambda: more_review("problems", "problem_item", PROBLEM_ORDER, MAX_PROBLEMS),
            lambda: more_points(MAX_POINTS),
            lambda: more_review("achievements", "review_item", REVIEW_ORDER, MAX_ACHIEVEMENTS),
            more_extra,
        )
        for grow in growers:
            while used < target * 0.97 and (added := grow()) is not None:
                used += len(added.text)
        if not any(p.points for p in parts):  # nothing on topic at all: refuse rather than print a shell
            raise ContextError(
                f"语料库中适合 {self.context.year} 年、{self.context.level}级的工作要点不足以组成"
                f" {len(parts)} 个部分",
                hint="用 drafter mine 补充语料，或减少 --points。",
            )
        for part in parts:  # the writer's order within a part: group, then subject
            part.points.sort(key=lambda p: part.kind.rank(p.topics[0] if p.topics else "", p.subject))
        self._place_quotes(parts)
        notes = self._fill_gaps(parts, review)
        return Plan(
            opening=[remark] if remark else [],
            review=review,
            parts=parts,
            closing=closing,
            quote=next((p.quote for p in parts if p.quote), None),
            extra=extra[0] if extra else None,
            review_heading=review_heading,
            sources=dict(self.sources),
            notes=notes,
            choices=list(self.choices),
        )

    def _pick_lead(self, part: Part) -> Phrase | None:
        """A lead paragraph on the part's own topic; never one with a figure inside a quotation."""
        heading_topic = part.heading.topics[:1] if part.heading else ()
        wanted = {part.kind.topic, *heading_topic} & set(part.kind.topics)  # what the heading announces
        leads = self.candidates(
            "part_lead",
            optional=True,
            mains=tuple(wanted),
            test=lambda e, t: "【" not in t,
            shape=_shape_no_figure,
        )
        for e, t in leads:
            subject = main_subject(t)
            fits = subject is None or not part.kind.subjects or subject in part.kind.subjects
            if off_genre(t) is None and fits:
                return self._take(e, t)
        return None

    def _part_style(self, part: Part, preferred: str) -> str:
        """The one sub-point style of a part: titled （一） only when the part has enough titled points."""
        if preferred != TITLED:
            return preferred
        enough = MIN_POINTS + 1
        found = self.candidates(
            "point",
            optional=len(part.points) >= MIN_POINTS,
            mains=part.kind.topics,
            test=lambda e, t: titled(t),
            shape=_shape_titled,
        )
        return TITLED if sum(1 for _ in islice(found, enough)) >= enough else "一要"

    def _add_point(self, part: Part, deployed: set[str]) -> Phrase | None:
        """One more point on the part's own topic and a subject no part has used; the reasons are logged.
        A merged part takes its topic groups in turn (the group with fewest points first)."""
        first = part.kind.first
        if first == "学习教育" and not self.context.facts.campaign:
            first = None  # no campaign this year
        if first and first not in {p.subject for p in part.points} and first not in deployed:
            for group in part.kind.groups():
                if (found := self._add_point_in(part, group, deployed, only=first)) is not None:
                    return found
        groups = part.kind.groups()
        counts = [sum(1 for p in part.points if p.topics[:1] and p.topics[0] in g) for g in groups]
        for index in sorted(range(len(groups)), key=lambda i: (counts[i], i)):
            if (found := self._add_point_in(part, groups[index], deployed)) is not None:
                return found
        return None

    def _add_point_in(
        self, part: Part, topics: tuple[str, ...], deployed: set[str], *, only: str | None = None
    ) -> Phrase | None:
        heading = part.heading.text if part.heading else ""
        subjects = part.kind.subjects
        search = self._searches.setdefault(("point", part.kind.key, topics, only), _Search())
        passed = search.passed
        # an entry neither on these topics nor about the part at all is passed over unread and unlogged
        part_topic = part.kind.topic

        def near(entry_topics: tuple[str, ...], style: str | None) -> bool:
            return (bool(entry_topics) and entry_topics[0] in topics) or part_topic in entry_topics

        ids, entry_topics, main_subjects = self._ids, self._topics, self._table.main_subjects

        verdicts: dict[int, Callable[[], None] | None] = {}

        def settle(i: int) -> Callable[[], None] | None:
            """An entry off these topics or off the part's subjects, told from the main subject the load
            cache keeps of its text (drafted as it stands, with no dated term): logged, not built."""
            if i in verdicts:
                return verdicts[i]
            verdicts[i] = None
            if (code := main_subjects[i]) == SUBJECT_UNKNOWN:
                return None
            found = entry_topics[i]
            topic = found[0] if found else ""
            subject = None if code == NO_SUBJECT else SUBJECTS[code]
            if topic in topics and not (subjects and subject is not None and subject not in subjects):
                return None  # to be judged on its text

            def done() -> None:
                passed.add(ids[i])
                if ids[i] not in self.used_ids:  # a taken entry is passed over unlogged, as by off_part
                    reason = "主题不符" if topic not in topics else "事项不属本部分"
                    if topic in topics or part_topic in found:
                        self._log_id(part, ids[i], topic, subject, reason)

            verdicts[i] = done
            return done

        optional = len(part.points) >= MIN_POINTS
        # a text too short to take is passed over unread (and unlogged: a fragment is no choice)
        shortest = _FULL_POINT_CHARS if optional else _MIN_POINT_CHARS

        def off_part(e: Entry, t: str) -> bool:
            """An entry off these topics or off the part's subjects: logged and passed over (whether or
            not its sentences are taken already: settle cannot tell that unread)."""
            if e.id in self.used_ids:
                return False  # taken: passed over unlogged
            topic = e.topics[0] if e.topics else ""
            subject = main_subject(t)
            if topic not in topics:
                if part_topic in e.topics:  # about the part too, but mainly about something else
                    self._log(part, e, topic, subject, "主题不符")
            elif subjects and subject is not None and subject not in subjects:
                self._log(part, e, topic, subject, "事项不属本部分")
            else:
                return False
            passed.add(e.id)
            return True

        found = self.candidates(
            "point",
            optional=optional,
            where=near,
            min_chars=shortest,
            search=search,
            settle=settle,
            early=off_part,
        )
        for e, t in found:
            passed.add(e.id)
            topic = e.topics[0] if e.topics else ""
            subject = main_subject(t)
            if len(t) < _MIN_POINT_CHARS or not _numberable(e, t) or (only and subject != only):
                continue
            if len(part.points) >= MIN_POINTS and len(t) < _FULL_POINT_CHARS:
                continue
            if part.style == TITLED and not titled(t):
                continue
            if part.style != TITLED and _SUBJECT_FIRST_RE.match(t):
                continue  # 县政府各位副县长要… cannot follow a generated 一要
            if (why := off_genre(t)) is not None:
                self._log(part, e, topic, subject, why)
                continue
            dwells = {s for s, hits in subject_scores(t).items() if hits >= _DWELL}
            if (subject is not None and subject in deployed | self._dwelt) or dwells & deployed:
                self._log(part, e, topic, subject, "事项重复")
                continue
            if heading and repeats_heading(heading, t):
                self._log(part, e, topic, subject, "与标题重复")
                continue
            if any(repeats_heading(lead_sentence(p.text), t, share=0.35) for p in part.points):
                self._log(part, e, topic, subject, "与已选要点重复")
                continue
            if subject is not None:
                deployed.add(subject)
            self._dwelt |= dwells - {subject}
            self._log(part, e, topic, subject, "入选")
            phrase = self._take(e, t, subject)
            part.points.append(phrase)
            return phrase
        return None

    def _log(self, part: Part, entry: Entry, topic: str, subject: str | None, reason: str) -> None:
        self._log_id(part, entry.id, topic, subject, reason)

    def _log_id(self, part: Part, entry_id: str, topic: str, subject: str | None, reason: str) -> None:
        key = (part.kind.key, entry_id)
        if key not in self._logged:
            self._logged.add(key)
            self.choices.append(Choice(part.kind.key, entry_id, topic, subject, reason))

    def _item(
        self, role: str, order: tuple[tuple[str, ...], ...], taken: list[Phrase], *, optional: bool = False
    ) -> Phrase | None:
        """One more review or problem item: a lead phrase, on a subject the list lacks, the next step of the
        argument first (the family with fewest items, in order)."""
        covered = {p.subject for p in taken if p.subject}
        covered |= {s for p in taken for s, hits in subject_scores(p.text).items() if hits >= _DWELL}
        counts = [sum(1 for p in taken if p.topics[:1] and p.topics[0] in family) for family in order]
        first_round = min(counts) == 0
        for index in sorted(range(len(order)), key=lambda i: (counts[i], i if first_round else -i)):
            wanted = REVIEW_FIRST.get(index) if order is REVIEW_ORDER and counts[index] == 0 else None
            # e.g. last year's campaign opens the 作风 achievements when the bank has it: a first pass
            # over the items on that subject, then the rest, each in seeded order
            passes = (True, False) if wanted else (None,)
            for on_wanted in passes:
                if found := self._item_in(role, order[index], covered, taken, optional, wanted, on_wanted):
                    return found
        return None

    def _item_in(
        self,
        role: str,
        family: tuple[str, ...],
        covered: set[str],
        taken: list[Phrase],
        optional: bool,
        wanted: str | None,
        on_wanted: bool | None,
    ) -> Phrase | None:
        search = self._searches.setdefault(("item", role, family, wanted, on_wanted), _Search())
        passed = search.passed
        found = self.candidates(
            role,
            optional=optional,
            mains=family,
            test=lambda e, t: has_lead(t),
            shape=_shape_has_lead,
            search=search,
        )
        for e, t in found:
            passed.add(e.id)
            subject = main_subject(t)
            if on_wanted is not None and (subject == wanted) != on_wanted:
                continue
            if (
                off_genre(t) is None
                and subject is not None  # an item whose subject cannot be named cannot be kept distinct
                and subject not in covered
                and not {s for s, hits in subject_scores(t).items() if hits >= _DWELL} & covered
                and not any(repeats_heading(lead_sentence(p.text), t, share=0.35) for p in taken)
            ):
                return self._take(e, t, subject)
        return None

    def _items(self, role: str, order: tuple[tuple[str, ...], ...], count: int) -> list[Phrase]:
        out: list[Phrase] = []
        while len(out) < count and (p := self._item(role, order, out)) is not None:
            out.append(p)
        return self._in_order(out, order)

    @staticmethod
    def _in_order(items: list[Phrase], order: tuple[tuple[str, ...], ...]) -> list[Phrase]:
        """Items in the argument's order: responsibility, conduct, key areas, corruption."""

        def rank(p: Phrase) -> int:
            topic = p.topics[0] if p.topics else ""
            return next((i for i, family in enumerate(order) if topic in family), len(order))

        return sorted(items, key=rank)

    def _fill_gaps(self, parts: list[Part], review: dict[str, Any]) -> list[str]:
        """A 【】 point for the writer where the bank has too few on-topic points; notes that say so."""
        notes: list[str] = []
        for part in parts:
            if part.heading is not None and not part.heading.id:
                notes.append(f"“{part.kind.key}”部分语料库中没有切题的标题，已用通用标题，请斟酌。")
            short = MIN_POINTS - len(part.points)
            if short > 0:
                notes.append(
                    f"“{part.kind.key}”部分语料库中只有 {len(part.points)} 条切题要点，"
                    f"已留出 {short} 处【】请补写{part.kind.ask}（不从其他主题借用）。"
                )
                for _ in range(short):
                    part.points.append(Phrase("", f"【请补写：{part.kind.ask}】", (part.kind.topic,)))
        for key, least, what in (
            ("achievements", MIN_ACHIEVEMENTS, "上年成绩"),
            ("problems", MIN_PROBLEMS, "存在问题"),
        ):
            if len(review[key]) < least:
                notes.append(f"{what}只有 {len(review[key])} 条合适条目（应有 {least} 条以上），请补写。")
        return notes

    def _pick_review_heading(self, style: str | None) -> Phrase | None:
        def review_heading(e: Entry, t: str) -> bool:
            return _REVIEW_HEADING_RE.search(t) is not None and not t.startswith("要")

        for e, t in self.candidates(
            "heading",
            where=lambda topics, entry_style: entry_style == style,
            test=review_heading,
            shape=_shape_review_heading,
        ):
            return self._take(e, t)
        return None

    def _place_quotes(self, parts: list[Part], *, most: int = 2) -> None:
        """A quote on the part's own topic opens a part that does not already open with one."""
        placed = 0
        for part in parts:
            opening = part.lead or (part.paragraphs[0] if part.paragraphs else None)
            if placed >= most or (opening is not None and opening.text.startswith(_QUOTE_START)):
                continue
            quotes = self.candidates(
                "quote",
                optional=True,
                mains=part.kind.topics,
                test=lambda e, t: len(t) <= _MAX_QUOTE and "【" not in t,  # a quote never carries a figure
                shape=_shape_quote,
            )
            for e, t in quotes:
                subject = main_subject(t)
                on_subject = not part.kind.subjects or subject is None or subject in part.kind.subjects
                if on_subject and off_genre(t) is None:
                    part.quote = self._take(e, t)
                    placed += 1
                    break

    @staticmethod
    def _chars(*items: Any) -> int:
        total = 0
        for item in items:
            if isinstance(item, Phrase):
                total += len(item.text)
            elif isinstance(item, list):
                total += sum(len(p.text) for p in item)
            elif isinstance(item, dict):
                total += Selector._chars(*item.values())
        return total
