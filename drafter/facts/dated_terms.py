"""The one table of dated terms (package data dated_terms.yaml, from political-calendar.md), shared by
lint and the draft selector. Each term says in which meeting years it may stand as a current task, in
which as a review of the year before, whether it may stand in a longer look back, and in which years it
may stand as something being prepared. ``judge`` applies a term to a sentence's context."""

from __future__ import annotations

import contextlib
import json
import re
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from drafter import __version__
from drafter.facts.memo import TextMemo
from drafter.models import YearRange
from drafter.resources import read_package_data, user_cache_dir, write_cache_file
from drafter.rx import first_chars

# How a sentence uses what it names: deploys it this year, reviews the year before, looks further back,
# prepares it for later, or cannot be told.
Usage = Literal["current", "review", "history", "plan", "unknown"]
USAGES: tuple[Usage, ...] = ("current", "review", "history", "plan", "unknown")
Verdict = Literal["ok", "warning", "error"]


@dataclass(frozen=True)
class DatedTerm:
    id: str
    label: str
    pattern: re.Pattern[str]
    current: YearRange
    review: YearRange
    history: bool
    plan: YearRange | None
    warn: YearRange | None
    allow: tuple[re.Pattern[str], YearRange] | None  # a sentence matching it is fine in those years
    severity: Verdict
    instead: str | None
    source: str
    example: str  # the term used as a current task

    @property
    def mentioned(self) -> YearRange:
        """Every meeting year the term may stand in as current, review of last year or plan (not the
        open-ended look back): what the term says about when a text was written."""
        spans = [self.current, self.review, *([self.plan] if self.plan else [])]
        starts = [s.start for s in spans]
        ends = [s.end for s in spans]
        return YearRange(
            None if None in starts else min(s for s in starts if s is not None),
            None if None in ends else max(e for e in ends if e is not None),
        )

    def allows(self, year: int, usage: Usage) -> bool:
        """May the term stand in a meeting of ``year`` used this way?"""
        if year in self.current:
            return True
        if usage in ("review", "history") and year in self.review:
            return True
        if usage == "history" and self.history and (self.current.start is None or year > self.current.start):
            return True
        return usage == "plan" and self.plan is not None and year in self.plan

    def could_be_fine(self, year: int) -> bool:
        """Would some reading (review, history, plan) make the term fit ``year``?"""
        return any(self.allows(year, usage) for usage in ("review", "history", "plan"))


@dataclass(frozen=True)
class DatedEvent:
    pattern: re.Pattern[str]
    held: int
    label: str


def _span(value: object, where: str) -> YearRange:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"dated_terms.yaml: {where} must be [first, last]")
    start, end = value
    return YearRange(start, end)


@cache
def _table_text() -> str:
    return read_package_data("dated_terms.yaml")


@cache
def table_key() -> str:
    """What identifies the table's text (drafter's version, a checksum and the length): caches of what
    the table says are keyed by it."""
    text = _table_text()
    return f"{__version__} {zlib.crc32(text.encode('utf-8')):08x} {len(text)}"


@cache
def _data() -> dict[str, object]:
    """The table, parsed. The parse is kept as JSON in the user's cache (keyed by the table's text),
    so a draft needs neither PyYAML nor its parser, only a small JSON read."""
    text, key = _table_text(), table_key()
    folder = user_cache_dir("data")
    cached = folder / "dated_terms.json" if folder is not None else None
    if cached is not None:
        with contextlib.suppress(OSError, ValueError):
            first, _, body = cached.read_text(encoding="utf-8").partition("\n")
            if first == key:
                found = json.loads(body)
                if isinstance(found, dict):
                    return found
    import yaml

    # libyaml's C loader when PyYAML has it: the pure-Python one takes a tenth of a second.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    assert isinstance(data, dict)
    if cached is not None:  # best effort: a cache that cannot be written is simply not used
        with contextlib.suppress(ValueError, TypeError):  # a value JSON cannot hold: not cached
            write_cache_file(cached, (key + "\n" + json.dumps(data, ensure_ascii=False)).encode("utf-8"))
    return data


@cache
def dated_terms() -> tuple[DatedTerm, ...]:
    """Every dated term, in table order. Raises ValueError if the bundled table is malformed."""
    rows = _data()["terms"]
    assert isinstance(rows, list)
    out = []
    for row in rows:
        where = f"term {row.get('id')}"
        current = _span(row["current"], where)
        out.append(
            DatedTerm(
                id=row["id"],
                label=row["label"],
                pattern=re.compile(row["pattern"]),
                current=current,
                review=_span(row["review"], where) if "review" in row else current,
                history=bool(row.get("history", False)),
                plan=_span(row["plan"], where) if row.get("plan") else None,
                warn=_span(row["warn"], where) if row.get("warn") else None,
                allow=(re.compile(row["except"]["pattern"]), _span(row["except"]["years"], where))
                if row.get("except")
                else None,
                severity="warning" if row.get("severity") == "warning" else "error",
                instead=row.get("instead"),
                source=row["source"],
                example=row["example"],
            )
        )
    return tuple(out)


def dating_rows() -> list[dict[str, Any]]:
    """The ``dating`` rows: pattern, years, label."""
    rows = _data()["dating"]
    assert isinstance(rows, list)
    return rows


@cache
def dated_events() -> tuple[DatedEvent, ...]:
    rows = _data()["events"]
    assert isinstance(rows, list)
    return tuple(DatedEvent(re.compile(r["pattern"]), int(r["held"]), r["label"]) for r in rows)


@dataclass(frozen=True)
class TermHit:
    term: DatedTerm
    start: int
    end: int
    text: str


# A lookbehind written into a pattern (not escaped, no parentheses inside): left out, it lets more match.
_LOOKBEHIND_RE = re.compile(r"(?<!\\)\(\?<[!=](?:[^()\\]|\\.)*\)")


@cache
def _any_term() -> re.Pattern[str] | None:
    """One pattern that matches wherever any term's pattern matches (and maybe elsewhere): the terms'
    patterns, their lookbehinds left out, as alternatives, behind a test of the characters a match can
    begin with (so the alternatives are tried only there). Most texts hold no dated term; one search
    tells so instead of one per term. None when the patterns do not combine."""
    loose = [_LOOKBEHIND_RE.sub("", term.pattern.pattern) for term in dated_terms()]
    if not loose or any(term.pattern.flags != re.UNICODE for term in dated_terms()):
        return None
    starts: set[str] | None = set()
    for pattern in loose:
        found = first_chars(pattern)
        starts = None if found is None or starts is None else starts | found
    head = f"(?=[{''.join(re.escape(c) for c in sorted(starts))}])" if starts else ""
    try:
        return re.compile(head + "(?:" + "|".join(f"(?:{p})" for p in loose) + ")")
    except re.error:
        return None


Hits = tuple[tuple[int, int, int], ...]  # (the term's place in dated_terms(), start, end) of each hit

# The hits of each text, kept in a bounded memo (emptied when full): a draft and lint ask of the same
# texts again and again. The bank's load cache hands in the hits it keeps for its entries.
_MEMO: TextMemo[Hits] = TextMemo()


def term_hits(text: str) -> Hits:
    """Where each dated term stands in ``text``, as ``find_terms`` gives them (term order, then place)."""
    found = _MEMO.get(text)
    if found is None:
        found = scan_terms(text)
        remember_term_hits(text, found)
    return found


def remember_term_hits(text: str, hits: Hits) -> None:
    """Keep ``hits`` as what ``term_hits(text)`` gives (worked out earlier, e.g. in a cache)."""
    _MEMO.keep(text, hits)


def scan_terms(text: str) -> Hits:
    """``term_hits`` worked out afresh (not kept)."""
    any_term = _any_term()
    if any_term is not None and any_term.search(text) is None:
        return ()  # no term's pattern matches anywhere
    return tuple(
        (k, m.start(), m.end())
        for k, term in enumerate(dated_terms())
        for m in term.pattern.finditer(text)
        if m.end() > m.start()
    )


def find_terms(text: str) -> list[TermHit]:
    """Every dated term in ``text``; where two overlap, the earlier-listed (more specific) one wins."""
    terms = dated_terms()
    return [TermHit(terms[k], start, end, text[start:end]) for k, start, end in term_hits(text)]


def judge(term: DatedTerm, year: int, usage: Usage, sentence: str = "") -> Verdict:
    """ok / warning / error for ``term`` in a meeting of ``year``, used as ``usage`` in ``sentence``."""
    if term.allows(year, usage):
        return "ok"
    if term.allow is not None and term.allow[0].search(sentence) and year in term.allow[1]:
        return "ok"
    if usage == "unknown" and term.could_be_fine(year):
        return "warning"
    if term.warn is not None and year in term.warn:
        return "warning"
    return term.severity


# 巩固拓展主题教育成果: a past campaign's results, said in any later year.
_CONSOLIDATE_BEFORE = re.compile(r"(?:巩固|拓展|深化|运用|用好|转化)[^。；，]{0,24}$")
_CONSOLIDATE_AFTER = re.compile(r"^[”」》]?[^。；，]{0,6}(?:成果|成效)")


def usage_in_text(text: str, hit: TermHit, usage: Usage) -> Usage:
    """``usage``, unless the text itself looks back on the term (巩固…成果)."""
    if _CONSOLIDATE_BEFORE.search(text[: hit.start]) and _CONSOLIDATE_AFTER.search(text[hit.end :]):
        return "history"
    return usage


def stale_terms(text: str, year: int, usage: Usage = "current") -> list[TermHit]:
    """Dated terms in ``text`` that do not fit a meeting of ``year`` when the text is used as ``usage``.

    For the draft selector: ``stale_terms(entry_text, year)`` is empty when the entry may stand as a
    current task in ``year``; ``usage="review"`` asks the same for the review of the year before."""
    return [
        hit
        for hit in find_terms(text)
        if judge(hit.term, year, usage_in_text(text, hit, usage), text) != "ok"
    ]


def is_stale(text: str, year: int, usage: Usage = "current") -> bool:
    """Would ``text`` be stale (anachronistic) in a meeting of ``year`` used as ``usage``?"""
    return bool(stale_terms(text, year, usage))
