"""The one table of dated terms and lint's reading of how a sentence uses a term."""

from __future__ import annotations

import pytest

from drafter.facts.calendar import dating_phrases, is_stale_text, stale_phrases
from drafter.facts.dated_terms import dated_events, dated_terms, find_terms, judge
from drafter.lint.context import UsageReader, heading_usage
from drafter.models import SourceLine

YEARS = range(2010, 2031)


def test_every_rule_has_a_source_note_an_example_and_years_in_range() -> None:
    ids = [t.id for t in dated_terms()]
    assert len(ids) == len(set(ids)) >= 40
    for term in dated_terms():
        assert term.source.strip() and term.label.strip(), term.id
        assert term.pattern.search(term.example), term.id
        for span in (term.current, term.review, term.plan, term.warn):
            if span is None:
                continue
            for y in (span.start, span.end):
                assert y is None or y in YEARS, term.id
            if span.start is not None and span.end is not None:
                assert span.start <= span.end, term.id
        # a term may be reviewed in every year it may be deployed
        assert all(y in term.review for y in range(2016, 2031) if y in term.current), term.id
    assert all(e.held in YEARS for e in dated_events())


@pytest.mark.parametrize(
    ("text", "year", "usage", "verdict"),
    [
        ("深入开展党史学习教育", 2021, "current", "ok"),
        ("深入开展党史学习教育", 2023, "current", "error"),
        ("深入开展党史学习教育", 2022, "review", "ok"),
        ("深入开展党史学习教育", 2023, "review", "error"),
        ("深入开展党史学习教育", 2024, "history", "ok"),
        ("深入开展党史学习教育", 2024, "unknown", "warning"),
        ("给予党政纪处分", 2019, "current", "warning"),
        ("给予党政纪处分", 2023, "current", "error"),
        ("国土资源局", 2023, "unknown", "warning"),
        ("编制“十五五”规划", 2025, "plan", "ok"),
        ("编制“十五五”规划", 2024, "plan", "error"),
        ("疫情防控平稳转段", 2023, "current", "ok"),
        ("李克强总理", 2023, "current", "warning"),
    ],
)
def test_judge(text: str, year: int, usage: str, verdict: str) -> None:
    hits = find_terms(text)
    assert hits
    worst = max((judge(h.term, year, usage, text) for h in hits), key=["ok", "warning", "error"].index)  # type: ignore[arg-type]
    assert worst == verdict


def test_calendar_functions_keep_working_on_the_table() -> None:
    assert {p.label for p in dating_phrases()} >= {"党史学习教育", "疫情防控", "十四五"}
    assert [p.label for p, _m in stale_phrases("要深入开展党史学习教育。", 2023)] == ["党史学习教育"]
    assert stale_phrases("要深入开展党史学习教育。", 2021) == []
    assert is_stale_text("促进文旅行业恢复发展", 2026)
    assert not is_stale_text("促进文旅行业恢复发展", 2023)
    assert not is_stale_text("深入开展党史学习教育", 2022, "review")


def _usage(lines: list[str], year: int, line: int, term: str) -> str:
    source = tuple(SourceLine(i, t) for i, t in enumerate(lines, start=1))
    reader = UsageReader.read(source, year)
    text = lines[line - 1]
    at = text.index(term)
    return reader.usage(line, text, at, at + len(term))[0]


@pytest.mark.parametrize(
    ("lines", "line", "term", "usage"),
    [
        (["同志们：", "过去一年，我们深入开展党史学习教育，取得明显成效。"], 2, "党史学习教育", "review"),
        (["同志们：", "今年要深入开展党史学习教育。"], 2, "党史学习教育", "current"),
        (["同志们：", "过去五年，我们打赢脱贫攻坚战。"], 2, "脱贫攻坚", "history"),
        (["同志们：", "三年疫情防控取得重大决定性胜利。"], 2, "疫情防控", "history"),
        (["同志们：", "要高标准编制“十五五”规划。"], 2, "十五五", "plan"),
        (["同志们：", "要巩固拓展党史学习教育成果。"], 2, "党史学习教育", "history"),
        (["同志们：", "确保“十三五”目标任务圆满完成。"], 2, "十三五", "current"),
        (["同志们：", "一、2022年工作回顾", "党史学习教育扎实开展。"], 3, "党史学习教育", "review"),
        (["同志们：", "二、2023年重点任务", "深入开展党史学习教育。"], 3, "党史学习教育", "current"),
        (["同志们：", "深入开展党史学习教育。"], 2, "党史学习教育", "unknown"),
        (["同志们：", "做好原区监察局职能转隶。"], 2, "监察局", "history"),
    ],
)
def test_usage_reader(lines: list[str], line: int, term: str, usage: str) -> None:
    assert _usage(lines, 2023, line, term) == usage


def test_heading_usage() -> None:
    assert heading_usage("一、2020年工作回顾", 2021) == "review"
    assert heading_usage("一、2020年和“十三五”时期发展回顾", 2021) == "history"
    assert heading_usage("二、2021年重点任务", 2021) == "current"
    assert heading_usage("三、突出重点，扎实做好今年各项工作", 2021) == "current"
    assert heading_usage("二、清醒认识当前形势", 2021) is None


def test_the_table_is_parsed_once_then_read_without_pyyaml() -> None:
    """A draft needs neither PyYAML nor its parser once the table's parse is cached; a damaged or
    outdated cached parse is read again from the table."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import sys\n"
        "from drafter.facts.dated_terms import dated_terms\n"
        "print(len(dated_terms()), 'yaml' in sys.modules)\n"
    )

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    count = str(len(dated_terms()))
    cached = Path(os.environ["HOME"]) / ".cache" / "drafter" / "data" / "dated_terms.json"
    cached.unlink(missing_ok=True)
    assert run() == [count, "True"] and cached.exists()  # parsed, and the parse kept
    assert run() == [count, "False"]
    cached.write_text(cached.read_text(encoding="utf-8").split("\n")[0] + "\n{damaged", encoding="utf-8")
    assert run() == [count, "True"]
    cached.write_text("old key\n{}", encoding="utf-8")
    assert run() == [count, "True"] and run() == [count, "False"]


def test_one_search_passes_over_texts_without_a_term_and_finds_the_same_terms() -> None:
    """find_terms first asks one combined pattern (each term's, lookbehinds left out) whether any term
    could be there: it must match every text where some term does, and find_terms the same hits as
    running every term's own pattern."""
    from pathlib import Path

    from drafter.facts.dated_terms import _any_term

    def every_pattern(text: str) -> list[tuple[str, int, int]]:
        return [
            (term.id, m.start(), m.end())
            for term in dated_terms()
            for m in term.pattern.finditer(text)
            if m.end() > m.start()
        ]

    any_term = _any_term()
    assert any_term is not None
    root = Path(__file__).resolve().parent.parent
    texts = [
        line for f in sorted((root / "seeds").glob("*.txt")) for line in f.read_text("utf-8").splitlines()
    ]
    texts += [term.example for term in dated_terms()]
    # what a lookbehind keeps out: still the same answer (the term's own pattern decides)
    texts += ["自然资源和规划局", "迎接党的二十大", "不忘初心、牢记使命”思想主题教育", "规划局", "党的二十大"]
    found = 0
    for text in texts:
        hits = every_pattern(text)
        if hits:
            found += 1
            assert any_term.search(text) is not None, text
        assert [(h.term.id, h.start, h.end) for h in find_terms(text)] == hits, text
    assert found > len(dated_terms())  # the examples at least


def test_the_characters_a_match_can_begin_with() -> None:
    """The combined pattern tries its alternatives only where a match can begin: that set must hold the
    first character of every match, and be refused (None) where it cannot be listed."""
    from drafter.rx import first_chars

    assert first_chars("(?:五年)?过渡期") == {"五", "过"}
    assert first_chars("(?<!迎接)(?:党的)?二十大|二十届") == {"党", "二"}
    assert first_chars("(?=甲)乙|[丁-七]") == {"乙", "丁", "\u4e02", "七"}
    for loose in (".{0,4}收官", "[^。]小康", "\\w+", "甲?", "(a?)\\1b", "[一-龥]"):
        assert first_chars(loose) is None, loose
    texts = ["五年过渡期", "党的二十大", "迎接二十届", "甲乙丙丁", "十四五开局", "收官十四五"]
    for term in dated_terms():
        starts = first_chars(term.pattern.pattern)
        for text in [*texts, term.example]:
            for m in term.pattern.finditer(text):
                if m.end() > m.start():
                    assert starts is None or text[m.start()] in starts, (term.id, text)
