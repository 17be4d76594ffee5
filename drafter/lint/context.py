"""Stage: lint. What every rule sees: the raw lines of one speech, and the meeting it is checked for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.models import Finding, Severity, SourceLine, SourceText

_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def plain(text: str) -> str:
    """A raw line without BOM, ideographic spaces and surrounding blanks."""
    return text.replace("\ufeff", "").replace("\u3000", " ").strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def excerpt(text: str, start: int, end: int, *, around: int = 6) -> str:
    """The match with a few characters either side, for a message."""
    left = max(0, start - around)
    right = min(len(text), end + around)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class LintContext:
    """One speech and the meeting it is checked for. ``lines`` are the speech's non-empty lines that
    are not ads or watermarks (those belong to the dirt rule alone), with their own line numbers."""

    source: SourceText
    file: str
    lines: tuple[SourceLine, ...]
    dirt_lines: frozenset[int] = frozenset()
    year: int | None = None
    year_basis: str | None = None  # how the year was found (for the summary)
    year_given: bool = False
    level: str | None = None
    level_basis: str | None = None
    level_given: bool = False
    locality: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(self, line: int, rule: str, severity: Severity, message: str) -> None:
        self.findings.append(Finding(self.file, line, rule, severity, message))
