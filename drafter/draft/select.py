"""Draft stage, phrase choice: pick bank entries valid for the year and level, coherent by topic, seeded,
without a sentence twice, near the target length, away from a previous speech (--avoid)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from drafter.draft.context import Context
from drafter.errors import ContextError
from drafter.facts.calendar import stale_phrases
from drafter.facts.topics import TOPICS
from drafter.facts.vocab import SLOT_RE, render_slots
from drafter.models import Bank, Entry
from drafter.read.clean import split_sentences

MIN_POINTS, MAX_POINTS = 2, 7
WHOLE_PARAGRAPH = 120  # a point this long is a whole mined paragraph, preferred over a lone sentence
PART_HEADING_STYLES = ("一、", "第一，", None)
_MIN_SENTENCE = 8
_COVID_TOPIC = "疫情防控"
# Topics a task part is usually about, in speech order, when the user names none.
_DEFAULT_TOPIC_ORDER = TOPICS
# The first part of a "review=part1" skeleton looks back and faces the problems.
_REVIEW_HEADING_RE = re.compile(r"认清形势|正视问题|深化.{0,4}认识|总结|成绩|形势|站位|清醒")
_REMARK_RE = re.compile(r"^刚才")
_REVIEW_HEADING_FALLBACK = "认清形势，正视问题，切实增强做好政府廉政工作的责任感和使命感"


@dataclass(frozen=True)
class Phrase:
    """A chosen entry as the template sees it: ``{{ p }}`` prints its text with an invisible id marker."""

    id: str
    text: str
    topics: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"\ue000{self.id}\ue001{self.text}"


@dataclass
class Part:
    topic: str
    heading: Phrase | None
    lead: Phrase | None
    points: list[Phrase] = field(default_factory=list)
    paragraphs: list[Phrase] = field(default_factory=list)  # unnumbered, after the lead
    quote: Phrase | None = None  # 习近平总书记强调…, before the lead

    def chars(self) -> int:
        items = [self.heading, self.quote, self.lead, *self.paragraphs, *self.points]
        return sum(len(p.text) for p in items if p is not None)

    def template_vars(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "heading": self.heading,
            "lead": self.lead,
            "quote": self.quote,
            "paragraphs": list(self.paragraphs),
            "points": list(self.points),
        }


@dataclass
class Plan:
    opening: list[Phrase]
    review: dict[str, Any]
    parts: list[Part]
    closing: Phrase | None
    quote: Phrase | None
    extra: Phrase | None = None
    review_heading: Phrase | None = None
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def template_vars(self) -> dict[str, Any]:
        return {
            "opening": self.opening,
            "review": self.review,
            "parts": [p.template_vars() for p in self.parts],
            "closing": self.closing,
            "quote": self.quote,
            "extra": self.extra,
            "review_heading": self.review_heading or _REVIEW_HEADING_FALLBACK,
        }


def _normalize(sentence: str) -> str:
    return "".join(ch for ch in sentence if ch not in " \u3000“”‘’\"'").strip().rstrip("。！？；：，")


def _numberable(entry: Entry, text: str) -> bool:
    """Can this point follow a generated 一要/（一）? Numbered in its source, or it opens with a short lead."""
    if entry.style is not None:
        return True
    lead = split_sentences(text)[:1]
    return bool(lead) and len(lead[0]) <= 40 and not text.startswith(("习近平", "总书记"))


class Selector:
    """Seeded phrase choice over one bank for one context."""

    def __init__(self, context: Context, bank: Bank, *, avoid_texts: tuple[str, ...] = ()) -> None:
        self.context = context
        self.rng = random.Random(context.seed)
        self.used_ids: set[str] = set()
        self.used_sentences: set[str] = set()
        self._sentence_cache: dict[str, tuple[str, ...]] = {}
        self.sources: dict[str, tuple[str, ...]] = {}
        self.avoid = {
            _normalize(s) for t in avoid_texts for s in split_sentences(t) if len(s) >= _MIN_SENTENCE
        }
        self.by_role: dict[str, list[tuple[Entry, str]]] = {}
        year, level = context.year, context.level
        for entry in bank.entries:
            if not entry.suits(year=year, level=level) or not entry.draftable:
                continue  # draftable: an entry bound to one place or moment (scope) only when locked
            # U+E000/U+E001 mark entry ids in rendered templates: never let bank text carry them
            text = render_slots(entry.text, context.slots).replace("\ue000", "").replace("\ue001", "")
            if SLOT_RE.search(text) or stale_phrases(text, year):
                continue
            self.by_role.setdefault(entry.role, []).append((entry, text))
        for items in self.by_role.values():
            items.sort(key=lambda item: item[0].id)  # bank order must not change the draft

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

    def _take(self, entry: Entry, text: str) -> Phrase:
        self.used_ids.add(entry.id)
        self.used_sentences.update(self._sentences(text))
        self.sources[entry.id] = entry.source
        return Phrase(entry.id, text, entry.topics)

    def candidates(
        self, role: str, topic: str | None = None, *, primary: bool = False, optional: bool = False
    ) -> list[tuple[Entry, str]]:
        """Usable entries in seeded order. ``optional``: the draft can do without, so nothing from --avoid."""
        items = [(e, t) for e, t in self.by_role.get(role, []) if self._usable(e, t)]
        if optional and self.avoid:
            items = [(e, t) for e, t in items if self._avoid_share(t) < 0.5]
        if topic is not None:
            items = [(e, t) for e, t in items if (e.topics[:1] == (topic,) if primary else topic in e.topics)]
        # Seeded order; entries that repeat the avoided speech go last, lone sentences after whole paragraphs.
        keyed = [
            (
                self._avoid_share(t) >= 0.5,
                role == "point" and len(t) < WHOLE_PARAGRAPH,
                self.rng.random(),
                e.id,
                (e, t),
            )
            for e, t in items
        ]
        keyed.sort(key=lambda k: k[:4])
        return [k[4] for k in keyed]

    def pick(self, role: str, topic: str | None = None, *, optional: bool = False) -> Phrase | None:
        for stage in ((topic, True), (topic, False), (None, False)) if topic else ((None, False),):
            found = self.candidates(role, stage[0], primary=stage[1], optional=optional)
            if found:
                return self._take(*found[0])
        return None

    def pick_matching(self, role: str, pattern: re.Pattern[str], topic: str | None = None) -> Phrase | None:
        found = [(e, t) for e, t in self.candidates(role, topic) if pattern.search(t)]
        return self._take(*found[0]) if found else None

    def pick_heading(self, topic: str) -> Phrase | None:
        """A part heading: a real part-level heading (一、/第一，) first, a sub-point heading after."""
        for styles in (PART_HEADING_STYLES, None):
            for primary in (True, False):
                found = [
                    (e, t)
                    for e, t in self.candidates("heading", topic, primary=primary)
                    if (styles is None or e.style in styles) and not _REVIEW_HEADING_RE.search(t)
                ]
                if found:
                    return self._take(*found[0])
        return None

    def pick_many(self, role: str, count: int, topic: str | None = None) -> list[Phrase]:
        out: list[Phrase] = []
        while len(out) < count and (p := self.pick(role, topic)) is not None:
            out.append(p)
        return out

    def pick_item(self, role: str, taken: list[Phrase], *, optional: bool = False) -> Phrase | None:
        """One more review or problem item, on a subject the list has not covered yet when possible."""
        covered = {p.topics[0] for p in taken if p.topics}
        found = self.candidates(role, optional=optional)
        fresh = [(e, t) for e, t in found if not e.topics or e.topics[0] not in covered]
        chosen = (fresh or found)[:1]
        return self._take(*chosen[0]) if chosen else None

    def pick_items(self, role: str, count: int) -> list[Phrase]:
        out: list[Phrase] = []
        while len(out) < count and (p := self.pick_item(role, out)) is not None:
            out.append(p)
        return out

    # -- the plan --------------------------------------------------------------------------------

    def choose_topics(self, n: int) -> list[str]:
        wanted = list(self.context.params.topics)
        if len(wanted) > n:
            raise ContextError(
                f"--topics 给了 {len(wanted)} 个主题，但这篇讲话只有 {n} 个工作部分",
                hint="减少主题，或用 --points 增加意见条数（3–5）。",
            )
        points = self.by_role.get("point", [])
        headings = self.by_role.get("heading", [])
        for topic in wanted:
            if not any(topic in e.topics for e, _ in points):
                raise ContextError(
                    f"语料库中没有适合 {self.context.year} 年、{self.context.level}级的「{topic}」要点",
                    hint="换一个主题，或用 drafter mine / drafter bank add 补充这一主题的语料。",
                )
        scores: dict[str, int] = {}
        for topic in _DEFAULT_TOPIC_ORDER:
            if topic in wanted or (topic == _COVID_TOPIC and self.context.year not in range(2020, 2023)):
                continue
            primary = sum(1 for e, _ in points if e.topics[:1] == (topic,))
            has_heading = any(topic in e.topics for e, _ in headings)
            if primary >= MIN_POINTS and has_heading:
                scores[topic] = primary
        pool = sorted(scores, key=lambda t: (-scores[t], TOPICS.index(t)))[: max(n + 3, 6)]
        chosen = list(wanted)
        while len(chosen) < n and pool:
            weights = [scores[t] for t in pool]
            topic = self.rng.choices(pool, weights=weights)[0]
            pool.remove(topic)
            chosen.append(topic)
        if len(chosen) < n:
            raise ContextError(
                f"语料库中适合 {self.context.year} 年、{self.context.level}级的工作要点不足以组成 {n} 个部分",
                hint="用 drafter mine 补充语料，或减少 --points。",
            )
        if not wanted:  # speech order: politics first, accountability last
            chosen.sort(key=TOPICS.index)
        return chosen

    def plan(self, *, n_task_parts: int, fixed_chars: int) -> Plan:
        target = self.context.params.length
        remark = self.pick_matching("opening", _REMARK_RE)  # 刚才……作了发言; the purpose is the template's
        review: dict[str, Any] = {
            "intro": self.pick("review_intro"),
            "achievements": self.pick_items("review_item", 4),
            "problem_intro": self.pick("problem_intro"),
            "problems": self.pick_items("problem_item", 3),
            "situation": self.pick_many("situation", 1),
        }
        review_heading = next(
            (h for style in PART_HEADING_STYLES if (h := self._pick_review_heading(style)) is not None), None
        )
        closing = self.pick("closing")
        parts = [
            Part(topic=topic, heading=self.pick_heading(topic), lead=self.pick("part_lead", topic))
            for topic in self.choose_topics(n_task_parts)
        ]
        for part in parts:
            part.points.extend(self._points_for(part.topic, MIN_POINTS))
        extra: list[Phrase] = []
        used = fixed_chars + self._chars([remark] if remark else [], review, closing)
        used += sum(p.chars() for p in parts)

        # Grow toward the target with whole paragraphs, in the order a writer would add them.
        def more_points(limit: int) -> Phrase | None:
            for part in sorted(parts, key=Part.chars):
                if len(part.points) < limit and (found := self._points_for(part.topic, 1, growing=True)):
                    part.points.extend(found)
                    return found[0]
            return None

        def more_paragraphs() -> Phrase | None:
            for part in sorted(parts, key=Part.chars):
                if not part.paragraphs and (found := self._unnumbered_for(part.topic)):
                    part.paragraphs.append(found)
                    return found
            return None

        def more_review(key: str, role: str, limit: int) -> Phrase | None:
            if len(review[key]) < limit and (found := self.pick_item(role, review[key], optional=True)):
                review[key].append(found)
                return found
            return None

        def more_extra() -> Phrase | None:
            if not extra and (found := self.pick("extra", optional=True)):
                extra.append(found)
                return found
            return None

        growers = (
            lambda: more_points(4),
            more_paragraphs,
            lambda: more_review("achievements", "review_item", 6),
            lambda: more_review("problems", "problem_item", 4),
            lambda: more_points(5),
            more_extra,
            lambda: more_points(MAX_POINTS),
        )
        for grow in growers:
            while used < target * 0.97 and (added := grow()) is not None:
                used += len(added.text)
        self._place_quotes(parts)
        notes: list[str] = []
        for part in parts:
            if part.heading is None:
                notes.append(f"“{part.topic}”部分没有现成的标题，请补写。")
            if len(part.points) < MIN_POINTS:
                notes.append(f"“{part.topic}”部分要点不足 {MIN_POINTS} 条，请补充。")
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
        )

    def _pick_review_heading(self, style: str | None) -> Phrase | None:
        found = [
            (e, t) for e, t in self.candidates("heading") if e.style == style and _REVIEW_HEADING_RE.search(t)
        ]
        return self._take(*found[0]) if found else None

    def _place_quotes(self, parts: list[Part], *, most: int = 2) -> None:
        """A quote on the part's own topic opens a part that does not already open with one."""
        placed = 0
        for part in parts:
            opening = part.lead or (part.paragraphs[0] if part.paragraphs else None)
            if placed >= most or (opening is not None and opening.text.startswith(("习近平", "总书记"))):
                continue
            found = self.candidates("quote", part.topic, optional=True)
            if found:
                part.quote = self._take(*found[0])
                placed += 1

    def _unnumbered_for(self, topic: str) -> Phrase | None:
        """A whole task paragraph that had no number in its source (printed without 一要)."""
        for primary in (True, False):
            found = [
                (e, t)
                for e, t in self.candidates("point", topic, primary=primary, optional=True)
                if not _numberable(e, t)
            ]
            if found:
                return self._take(*found[0])
        return None

    def _points_for(self, topic: str, count: int, *, growing: bool = False) -> list[Phrase]:
        """Numbered points on a topic (its own first). ``growing``: one more if any, nothing from --avoid."""
        out: list[Phrase] = []
        for primary in (True, False):
            while len(out) < count:
                found = [
                    (e, t)
                    for e, t in self.candidates("point", topic, primary=primary, optional=growing)
                    if _numberable(e, t)
                ]
                if not found:
                    break
                out.append(self._take(*found[0]))
            if growing and out:
                break
        return out

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
