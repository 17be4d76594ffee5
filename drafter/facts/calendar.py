"""Year facts (package data from political-calendar.md): plenums, State Council meetings, premiers,
five-year plans, campaigns, and the phrases that date a text (backed by drafter.facts.dated_terms). Unknown facts are None, never guessed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from drafter.facts.dated_terms import DatedTerm, Usage, dating_rows, is_stale, stale_terms
from drafter.models import MAX_YEAR, MIN_YEAR, YearRange
from drafter.resources import read_package_data


@dataclass(frozen=True)
class YearFacts:
    year: int
    plenum: str | None  # 二十届中央纪委五次全会
    state_council: str | None  # 国务院第四次廉政工作会议
    premier: str | None  # 李强
    plan: str  # 十五五
    plan_year: int  # 1..5
    label: str | None
    campaign: str | None
    party_congress: str | None  # 党的二十大 (the current line)

    @property
    def plan_phase(self) -> str | None:
        """开局之年 / 收官之年 / None."""
        return {1: "开局之年", 5: "收官之年"}.get(self.plan_year)


@dataclass(frozen=True)
class DatingPhrase:
    """A dated term seen as a phrase that dates a text: ``years`` are the meeting years a text holding it
    may be from (as a current task, a review of last year or a plan); drafter.facts.dated_terms holds
    the full rule, and ``stale_phrases`` judges a text as a current task."""

    pattern: re.Pattern[str]
    years: YearRange
    label: str
    term: DatedTerm | None = None  # the dated-terms rule, for a phrase found stale


@cache
def _data() -> dict[str, object]:
    return json.loads(read_package_data("calendar.json"))


@cache
def year_facts(year: int) -> YearFacts:
    """Facts for a meeting year in MIN_YEAR..MAX_YEAR. Raises KeyError outside it."""
    rows = _data()["years"]
    assert isinstance(rows, dict)
    row = rows[str(year)]
    return YearFacts(year=year, **row)


def known_years() -> range:
    return range(MIN_YEAR, MAX_YEAR + 1)


@cache
def dating_phrases() -> tuple[DatingPhrase, ...]:
    """Phrases that date a text (for mining and year inference), from dated_terms.yaml."""
    return tuple(
        DatingPhrase(re.compile(r["pattern"]), YearRange(r["years"][0], r["years"][1]), r["label"])
        for r in dating_rows()
    )


def date_text(text: str) -> YearRange:
    """The meeting years a text fits, from the dating phrases it holds (open when it holds none)."""
    start: int | None = None
    end: int | None = None
    for phrase in dating_phrases():
        if phrase.pattern.search(text):
            if phrase.years.start is not None:
                start = phrase.years.start if start is None else max(start, phrase.years.start)
            if phrase.years.end is not None:
                end = phrase.years.end if end is None else min(end, phrase.years.end)
    return YearRange(start, end)


def stale_phrases(text: str, year: int) -> list[tuple[DatingPhrase, re.Match[str]]]:
    """Dated terms in ``text`` that would be stale as a current task in a meeting of ``year`` (the
    first match of each), judged by the one dated-terms table."""
    out: list[tuple[DatingPhrase, re.Match[str]]] = []
    seen: set[str] = set()
    for hit in stale_terms(text, year):
        term = hit.term
        if term.id in seen or not (match := term.pattern.search(text, hit.start)):
            continue
        seen.add(term.id)
        out.append((DatingPhrase(term.pattern, term.current, term.label, term), match))
    return out


def is_stale_text(text: str, year: int, usage: Usage = "current") -> bool:
    """For the draft selector: would a bank entry's ``text`` be stale (anachronistic) in a meeting of
    ``year``, used as ``usage`` ("current" for a task deployed this year, "review" for the review of the
    year before)? Backed by the one dated-terms table."""
    return is_stale(text, year, usage)
