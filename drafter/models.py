"""Frozen dataclasses shared by the stages: sources -> bank -> context -> draft -> document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["市", "县", "区"]
LEVELS: tuple[Level, ...] = ("市", "县", "区")

# The meeting years drafter knows how to date (political-calendar.md).
MIN_YEAR = 2018
MAX_YEAR = 2030


# --- sources ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLine:
    """One paragraph of a source with its 1-based line number in the original file."""

    number: int
    text: str


@dataclass(frozen=True)
class SourceText:
    """A speech read from disk: cleaned paragraphs that keep their original line numbers."""

    path: Path
    encoding: str
    lines: tuple[SourceLine, ...]
    removed: tuple[SourceLine, ...] = ()  # ad/watermark/furniture lines cleaned away

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


# --- outline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlinePart:
    heading: str | None
    points: tuple[str, ...]
    line: int | None = None  # 1-based line of the heading (or of the task paragraph)
    style: str | None = None  # "一、" / "第一，" / None


@dataclass(frozen=True)
class Outline:
    title: str | None
    announced: int | None
    parts: tuple[OutlinePart, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "announced": self.announced,
            "parts": [{"heading": p.heading, "points": list(p.points)} for p in self.parts],
        }


# --- bank ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRange:
    """Meeting years an entry suits; None on a side means open."""

    start: int | None = None
    end: int | None = None

    def __contains__(self, year: object) -> bool:
        if not isinstance(year, int):
            return False
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)

    def __str__(self) -> str:
        if self.start is not None and self.start == self.end:
            return str(self.start)
        return f"{self.start or ''}-{self.end or ''}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One phrase-bank entry. ``text`` may hold level slots ({全市}) and placeholders (【X】).
    Slotted: a bank of 100k entries is a third smaller without a dict per entry."""

    id: str
    text: str
    role: str
    topics: tuple[str, ...] = ()
    levels: tuple[str, ...] = LEVELS
    years: YearRange = field(default_factory=YearRange)
    source: tuple[str, ...] = ()
    locked: bool = False
    rejected: bool = False
    style: str | None = None  # the marker style it had in its source (一是, 一要, （一）, 一、 ...)
    note: str | None = None
    scope: tuple[str, ...] = ()  # why it is bound to one place or moment (mine.scope): not drafted by default
    file: Path | None = None  # where it was loaded from (not saved)
    line: int | None = None  # 1-based line of the entry in that file (not saved)

    def suits(self, *, year: int, level: str) -> bool:
        return not self.rejected and year in self.years and level in self.levels

    @property
    def draftable(self) -> bool:
        """Drafted by default: not rejected, and either not bound to a place or moment or kept by the
        writer (locked) for their own place."""
        return not self.rejected and (not self.scope or self.locked)


@dataclass(frozen=True)
class SkeletonPart:
    topics: tuple[str, ...]
    sub_style: str | None  # 一是 / 一要 / （一） / None
    sub_count: int
    has_lead: bool


@dataclass(frozen=True)
class Skeleton:
    """The shape of one real speech: how many parts, which heading and sub-point styles."""

    id: str
    source: str
    points: int
    heading_style: str | None  # 一、 / 第一， / None
    parts: tuple[SkeletonPart, ...]
    sections: tuple[str, ...] = ()  # order of roles: opening, review, problems, situation, parts, closing


@dataclass(frozen=True)
class Bank:
    entries: Sequence[Entry]  # a tuple, or bank.rows.EntryTable (built as entries are wanted)
    skeletons: tuple[Skeleton, ...] = ()
    roots: tuple[Path, ...] = ()  # folders it was layered from, user first

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


# --- draft -----------------------------------------------------------------------------------

BlockKind = Literal["title", "byline", "salutation", "heading1", "heading2", "heading3", "body", "closing"]


@dataclass(frozen=True)
class Block:
    """One paragraph of a draft. ``lead`` is the run to set bold (一是…。) when asked for."""

    kind: BlockKind
    text: str
    entry_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    lead: str = ""


@dataclass(frozen=True)
class Draft:
    title: str
    blocks: tuple[Block, ...]
    year: int
    locality: str
    level: str
    notes: tuple[str, ...] = ()  # what the writer should know (length not reached, ...)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


# --- lint ------------------------------------------------------------------------------------

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    rule: str
    severity: Severity
    message: str

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
        }
