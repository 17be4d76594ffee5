"""Property tests (hypothesis): any text never crashes mine, outline or lint; saving then loading a bank
gives the same bank, and merging the same thing twice changes nothing; any seed and valid parameters give
a draft with its invariants. Example counts stay modest so the suite stays fast."""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drafter.bank import load_bank
from drafter.bank.load import load_bank_dir
from drafter.bank.merge import plan_merge, similarity_key, write_merge
from drafter.cli import app
from drafter.draft.compose import compose_draft, list_templates
from drafter.draft.context import DraftParams, build_context
from drafter.draft.select import Selector
from drafter.facts.calendar import stale_phrases
from drafter.facts.numerals import from_chinese
from drafter.facts.topics import TOPICS, topic_fits_year
from drafter.lint import analyze_source
from drafter.mine.candidates import mine_speech
from drafter.mine.outline import outline_source, parse_speech
from drafter.models import LEVELS, MAX_YEAR, MIN_YEAR, Bank, Draft, Entry, SourceLine, SourceText, YearRange
from drafter.read.clean import clean_source
from drafter.read.sentences import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
runner = CliRunner()
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def scratch() -> Iterator[Path]:
    """A fresh folder per example (pytest's tmp_path is shared by all examples of one test)."""
    with tempfile.TemporaryDirectory(prefix="drafter-prop-") as tmp:
        yield Path(tmp)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- any text: mine, outline, lint ---------------------------------------------------------------------

# Speech-shaped pieces (markers, announcements, dates, slots, dirt) mixed with any characters at all.
PIECES = [
    "同志们：",
    "一、",
    "二、",
    "第一，",
    "第十二，",
    "（一）",
    "（三）",
    "一是",
    "二要",
    "1.",
    "下面，我讲三点意见。",
    "我讲五个方面的意见",
    "今年是",
    "2026年",
    "十四五",
    "二十届中央纪委五次全会",
    "国务院第四次廉政工作会议",
    "全市",
    "县委",
    "区政府",
    "汉中市",
    "【X】",
    "{全市}",
    "习近平总书记强调，“",
    "”",
    "。",
    "；",
    "，",
    "QQ206157060",
    "仅供学习参考",
    "\u3000",
    "\t",
    " ",
]
LINES = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)).map(str), max_size=12).map("".join)
SPEECHES = st.lists(LINES, max_size=25)


def _source(lines: list[str]) -> SourceText:
    return SourceText(
        Path("讲话.txt"), "utf-8", tuple(SourceLine(i, t) for i, t in enumerate(lines, start=1))
    )


@FEW
@given(SPEECHES)
def test_mine_outline_and_lint_never_crash_on_any_text(lines: list[str]) -> None:
    source = _source(lines)
    cleaned = clean_source(source)
    mined = mine_speech(cleaned)
    for entry in mined.entries:
        assert entry.text and entry.role and entry.id
    outline = outline_source(cleaned)
    assert outline.announced is None or outline.announced >= 0
    parse_speech(cleaned)
    result = analyze_source(source)
    assert all(f.line >= 1 for f in result.findings)


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]


@FEW
@given(
    SPEECHES,
    st.sampled_from(ENCODINGS),
    st.one_of(st.none(), st.binary(max_size=64)),
    st.sampled_from([".txt", ".docx", ".md"]),
)
def test_any_file_through_the_cli_is_a_result_or_a_message(
    lines: list[str], encoding: str, noise: bytes | None, suffix: str
) -> None:
    """Whatever bytes a file holds (text in any encoding, or binary noise), lint, outline and mine
    answer with output or a Chinese message: never a traceback, never a partial bank."""
    text = "\n".join(lines)
    try:
        data = text.encode(encoding) if noise is None else noise
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    with scratch() as folder:
        path = folder / f"讲话{suffix}"
        path.write_bytes(data)
        bank = folder / "bank"
        for args in (["lint", str(path)], ["outline", str(path)], ["mine", str(path), "--bank", str(bank)]):
            result = runner.invoke(app, args)
            assert result.exit_code in (0, 1), (args, result.exit_code, result.output)
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            assert "Traceback" not in result.stderr
            if result.exit_code == 1 and args[0] != "lint":
                assert result.stderr.startswith("错误：") and "提示：" in result.stderr
        if bank.exists():  # mined: the bank it wrote loads
            load_bank_dir(bank)


# --- a bank: save then load, merge twice --------------------------------------------------------------

# Any printable text, with the characters YAML cares about over-represented.
YAML_HOSTILE = list("-:#&*!|>'\"%@`{}[],?~") + [
    ": ",
    " #",
    "- ",
    "\\",
    "\\n",
    "null",
    "true",
    "0x1F",
    "2021-01-01",
]
TEXT = (
    st.lists(
        st.one_of(
            st.sampled_from(YAML_HOSTILE),
            st.text(st.characters(whitelist_categories=("L", "M", "N", "P", "S", "Zs")), max_size=8),
        ),
        min_size=1,
        max_size=10,
    )
    .map("".join)
    .map(str.strip)
    .filter(lambda s: bool(s) and bool(similarity_key(s)))
)
STYLES = st.sampled_from([None, "一是", "一要", "（一）", "一、", "第一，"])


@st.composite
def entries(draw: st.DrawFn) -> list[Entry]:
    texts = draw(st.lists(TEXT, min_size=1, max_size=6, unique_by=similarity_key))
    out = []
    for index, text in enumerate(texts):
        start = draw(st.one_of(st.none(), st.integers(MIN_YEAR, MAX_YEAR)))
        end = draw(st.one_of(st.none(), st.integers(start or MIN_YEAR, MAX_YEAR)))
        chosen = draw(st.sets(st.sampled_from(LEVELS), min_size=1))
        levels = tuple(v for v in LEVELS if v in chosen)
        out.append(
            Entry(
                id=f"point-p{index:03d}{draw(st.integers(0, 10**6)):07d}",
                text=text,
                role="point",
                topics=tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True))),
                levels=levels,
                years=YearRange(start, end),
                source=tuple(draw(st.lists(TEXT, max_size=2, unique=True))),
                locked=draw(st.booleans()),
                rejected=draw(st.booleans()),
                style=draw(STYLES),
                note=draw(st.one_of(st.none(), TEXT)),
            )
        )
    return out


def _bare(entry: Entry) -> Entry:
    return dataclasses.replace(entry, file=None, line=None)


@FEW
@given(entries())
def test_save_then_load_gives_the_same_bank_and_merging_again_changes_nothing(saved: list[Entry]) -> None:
    with scratch() as folder:
        bank = folder / "bank"
        write_merge(plan_merge(bank, saved, similarity=None))
        loaded = load_bank_dir(bank)[0]
        assert sorted(map(_bare, loaded), key=lambda e: e.id) == sorted(map(_bare, saved), key=lambda e: e.id)

        before = snapshot(bank)
        again = plan_merge(bank, saved, similarity=None)
        assert again.files == {}
        assert {c.kind for c in again.all_changes()} <= {"unchanged", "skipped"}  # skipped: rejected ones
        write_merge(again)
        assert snapshot(bank) == before

        # The load cache (files dated back so that they count as settled) gives the same bank too.
        then = time.time() - 3600
        for path in bank.iterdir():
            os.utime(path, (then, then))
        cold = load_bank_dir(bank)
        assert load_bank_dir(bank) == cold
        assert sorted(map(_bare, cold[0]), key=lambda e: e.id) == sorted(
            map(_bare, saved), key=lambda e: e.id
        )


@cache
def _seed_paragraphs() -> list[list[str]]:
    return [p.read_text(encoding="utf-8").splitlines() for p in sorted(SEEDS.glob("*.txt"))]


@st.composite
def seed_speeches(draw: st.DrawFn) -> list[str]:
    """1–3 speeches, each an in-order selection of one seed's paragraphs."""
    speeches = []
    for _ in range(draw(st.integers(1, 3))):
        lines = _seed_paragraphs()[draw(st.integers(0, 4))]
        keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
        chosen = [line for line, k in zip(lines, keep, strict=True) if k]
        assume(chosen)
        speeches.append("\n".join(chosen) + "\n")
    return speeches


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed_speeches())
def test_mining_the_same_sources_twice_changes_nothing(speeches: list[str]) -> None:
    with scratch() as folder:
        paths = []
        for index, text in enumerate(speeches):
            path = folder / f"讲话{index}.txt"
            path.write_bytes(text.encode("gb18030" if index % 2 else "utf-8"))
            paths.append(str(path))
        bank = folder / "bank"
        first = runner.invoke(app, ["mine", *paths, "--bank", str(bank)])
        assert first.exit_code in (0, 1), first.output
        if first.exit_code == 1:  # nothing readable in what was kept: a message, no bank
            assert "错误：" in first.stderr and not bank.exists()
            return
        before = snapshot(bank)
        second = runner.invoke(app, ["mine", *paths, "--bank", str(bank)])
        assert second.exit_code == 0, second.output
        assert snapshot(bank) == before
        assert "新增 0，" in second.stdout


# --- a draft keeps its invariants -----------------------------------------------------------------------

_H1 = re.compile(r"^(?:第)?([一二三四五六七八九十]+)[、，]")
_SUB = re.compile(r"^(?:([一二三四五六七八九十]+)[是要]|（([一二三四五六七八九十]+)）)")


@cache
def _bank() -> Bank:
    return load_bank()


@cache
def _topics_for(year: int, level: str) -> tuple[str, ...]:
    """Topics the bundled bank has task points for, for this year and level."""
    params = DraftParams(
        year=year, locality={"市": "汉中市", "县": "城固县", "区": "汉台区"}[level], level=level
    )
    selector = Selector(build_context(params), _bank())
    return tuple(
        sorted(
            {t for e, _ in selector.entries("point") for t in e.topics if topic_fits_year(t, year)},
            key=TOPICS.index,
        )
    )


@st.composite
def draft_params(draw: st.DrawFn) -> DraftParams:
    year = draw(st.integers(MIN_YEAR, MAX_YEAR))
    level = draw(st.sampled_from(LEVELS))
    points = draw(st.integers(3, 5))
    template = draw(st.one_of(st.none(), st.sampled_from([t.name for t in list_templates()])))
    available = _topics_for(year, level)
    topics = tuple(draw(st.lists(st.sampled_from(available), max_size=2, unique=True))) if available else ()
    return DraftParams(
        year=year,
        locality={"市": "汉中市", "县": "城固县", "区": "汉台区"}[level],
        level=level,
        points=points,
        topics=topics,
        length=draw(st.integers(3000, 30000)),
        seed=draw(st.integers(0, 2**32 - 1)),
        template=template,
        meeting_no=draw(st.one_of(st.none(), st.integers(1, 99))),
    )


def _marker_runs(draft: Draft) -> list[list[int]]:
    """Each run of consecutive numbered paragraphs (一是/一要/（一）) as its numbers."""
    runs: list[list[int]] = []
    current: list[int] = []
    style = None
    for block in draft.blocks:
        m = _SUB.match(block.text) if block.kind in ("body", "heading2", "heading3") else None
        if m is None:
            if current:
                runs.append(current)
            current, style = [], None
            continue
        this_style = "（）" if m.group(2) else block.text[len(m.group(1))]
        if style is not None and this_style != style and current:
            runs.append(current)
            current = []
        style = this_style
        current.append(from_chinese(m.group(1) or m.group(2)))
    if current:
        runs.append(current)
    return runs


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draft_params())
def test_any_seed_and_valid_parameters_give_a_sound_draft(params: DraftParams) -> None:
    context = build_context(params)
    try:
        draft = compose_draft(context, _bank())
    except Exception as e:  # the bank may not cover a request; that must be a clear ContextError
        from drafter.errors import ContextError

        assert isinstance(e, ContextError) and "语料库" in e.message, e
        return
    # Announced count = parts.
    headings = [b.text for b in draft.blocks if b.kind == "heading1"]
    assert len(headings) == params.points
    source = SourceText(
        Path("稿.txt"), "utf-8", tuple(SourceLine(i, b.text) for i, b in enumerate(draft.blocks, start=1))
    )
    outline = outline_source(clean_source(source))
    assert outline.announced == len(outline.parts) == params.points
    # Numbering in sequence: 一、二、三… (or 第一，第二，…) and every run of sub-points from 一.
    assert [from_chinese(_H1.match(h).group(1)) for h in headings] == list(range(1, params.points + 1))  # type: ignore[union-attr]
    runs = _marker_runs(draft)
    assert len(runs) >= params.points - 1  # the task parts' points, the review's items
    for run in runs:
        assert run == list(range(1, len(run) + 1)), run
    # No sentence twice.
    sentences = [s.strip() for b in draft.blocks for s in split_sentences(b.text) if len(s.strip()) >= 10]
    assert len(sentences) == len(set(sentences)), {s for s in sentences if sentences.count(s) > 1}
    # No stale phrase for its year.
    assert stale_phrases(draft.text, params.year) == []


def test_list_items_that_yaml_could_misread_are_quoted() -> None:
    """Found by the save-then-load property: ruamel wrote [:x] and [? x] plain, which PyYAML misreads."""
    odd = (":x", "? x", "a, b", "[x]", "- y", "#1", "x: y", "名称.txt:12")
    entry = Entry(id="point-odd000001", text="要加强监督。", role="point", source=odd)
    with scratch() as folder:
        bank = folder / "bank"
        write_merge(plan_merge(bank, [entry], similarity=None))
        assert load_bank_dir(bank)[0][0].source == odd
        assert "名称.txt:12]" in (bank / "point.yaml").read_text(encoding="utf-8")  # usual ones stay plain
