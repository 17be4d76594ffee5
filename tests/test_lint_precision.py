"""Precision of lint on correct documents of known years (tests/data/precision): no errors, few
warnings; and every dated term planted as a current task is reported at its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from drafter.facts.dated_terms import dated_terms, judge
from drafter.lint import LintResult, analyze_source
from drafter.models import MIN_YEAR, SourceLine, SourceText

DATA = Path(__file__).parent / "data" / "precision"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))
CHARS_PER_WARNING = 5000


def _source(name: str, lines: list[str]) -> SourceText:
    return SourceText(Path(name), "utf-8", tuple(SourceLine(i, t) for i, t in enumerate(lines, start=1)))


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def _lint(name: str, lines: list[str]) -> LintResult:
    case = CASES[name]
    # before MIN_YEAR --year is refused: the year is read from the text (安排部署2016年)
    year = case["year"] if case["year"] >= MIN_YEAR else None
    result = analyze_source(_source(name, lines), year=year, locality=case.get("locality"))
    assert result.year == case["year"]
    return result


def test_the_suite_covers_ten_documents_of_known_years() -> None:
    years = {case["year"] for case in CASES.values()}
    assert len(CASES) >= 10 and min(years) <= 2016 and max(years) >= 2026
    assert sorted(p.name for p in DATA.glob("*.txt")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_correct_document_has_no_errors(name: str) -> None:
    result = _lint(name, _lines(name))
    assert [f for f in result.findings if f.severity == "error"] == []


def test_at_most_one_false_warning_per_5000_characters() -> None:
    chars = warnings = 0
    for name in CASES:
        lines = _lines(name)
        chars += sum(len(line) for line in lines)
        found = _lint(name, lines).findings
        warnings += sum(f.severity == "warning" for f in found)  # every rule: a writer reads them all
    assert warnings * CHARS_PER_WARNING <= chars, (warnings, chars)


def _stale_terms(year: int) -> list[Any]:
    return [t for t in dated_terms() if judge(t, year, "current", t.example) == "error"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_planted_term_is_reported_at_its_line(name: str) -> None:
    case = CASES[name]
    lines = _lines(name)
    planted: dict[int, str] = {}
    for old, new in case.get("swaps", []):
        at = next(i for i, line in enumerate(lines) if old in line)
        lines[at] = lines[at].replace(old, new, 1)
        planted[at + 1] = new
    terms = _stale_terms(case["year"])
    assert terms, "each year has terms that are stale as its current tasks"
    at = case["deploy"]  # right after the deployment heading: tasks of the year
    for offset, term in enumerate(terms):
        lines.insert(at + offset, f"要{term.example}，抓好各项工作落实。")
        planted = {(n + 1 if n > at + offset else n): t for n, t in planted.items()}
        planted[at + offset + 1] = term.example
    result = _lint(name, lines)
    year_errors = {f.line for f in result.findings if f.rule == "year" and f.severity == "error"}
    missed = {n: t for n, t in planted.items() if n not in year_errors}
    assert not missed, missed
