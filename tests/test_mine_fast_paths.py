"""The fast paths of mining give what the plain ones give: cached per-text results (generalisation, entry
fields, ids), the cheap pre-checks of cleaning, the NFKC shortcut, and the direct writer of new bank files
(compared with ruamel's output, on real and on generated input)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import direct_text, ruamel_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from drafter.bank import merge as merge_module
from drafter.bank.merge import CandidatePool, plan_merge
from drafter.facts.topics import classify_topics
from drafter.mine import candidates, generalize, scope
from drafter.mine.candidates import (
    DEFAULT_MIN_CHARS,
    MIN_CHARS,
    MIN_SHARE,
    Skipped,
    Unit,
    mine_file,
    normalized_key,
    speech_units,
)
from drafter.mine.generalize import Generalized, Locale, generalize_unit
from drafter.mine.outline import parse_speech
from drafter.mine.scope import fitting_levels, scope_labels
from drafter.models import MIN_YEAR, Entry, Skeleton, SourceText, YearRange
from drafter.read import clean
from drafter.read.sentences import split_sentences_quoted
from drafter.read.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"
SOME = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _speeches(tmp: Path) -> list[Path]:
    """The seeds, each also at county and district level and with its figures as X; the messy sources
    and the precision set."""
    out = []
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        out.append(seed)
        for level in "县区":
            changed = (
                text.replace("全市", f"全{level}")
                .replace("市委", f"{level}委")
                .replace("市政府", f"{level}政府")
            )
            (tmp / f"{level}_{seed.name}").write_text(changed, encoding="utf-8")
            out.append(tmp / f"{level}_{seed.name}")
        (tmp / f"x_{seed.name}").write_text(
            re.sub(r"\d+", lambda m: "X" * len(m.group()), text), encoding="utf-8"
        )
        out.append(tmp / f"x_{seed.name}")
    out += sorted((DATA / "messy").glob("*.txt")) + sorted((DATA / "precision").glob("*.txt"))
    return out


# --- per-text caches ------------------------------------------------------------------------------------


def _old_years(generalized: Generalized, locale: Locale) -> YearRange:
    if locale.year is not None and locale.year < MIN_YEAR:
        return YearRange(None, MIN_YEAR - 1)
    dated = candidates.date_entry_text(generalized.text)
    if not generalized.pins:
        return dated
    years = sorted(y for y in generalized.pins if y in dated) or sorted(generalized.pins)
    return YearRange(years[0], years[-1])


def _old_unit_entry(unit: Unit, source: SourceText, locale: Locale, notes: list[Skipped]) -> Entry | Skipped:
    """unit_entry as it was before its results were cached."""
    where = f"{source.name}:{unit.line}"
    generalized = generalize_unit(unit.text, locale, keep_first=unit.keep_first)
    reasons = "；".join(dict.fromkeys(generalized.dropped)) or "删去过多"
    if not generalized.text:
        return Skipped(where, unit.role, f"首句无法通用化（{reasons}）", unit.text)
    if generalized.kept_share < MIN_SHARE:
        return Skipped(where, unit.role, f"通用化后剩余过少（{reasons}）", unit.text)
    text = candidates._finish(generalized.text, unit.role)
    if len(text) < MIN_CHARS.get(unit.role, DEFAULT_MIN_CHARS):
        return Skipped(where, unit.role, "过短", unit.text)
    if unit.role not in candidates._MAY_POINT_BACK and candidates._DANGLING.match(text):
        return Skipped(where, unit.role, "指代前文或出自编者，单独成条读不通", unit.text)
    lead = split_sentences_quoted(text)[0] if unit.role not in ("heading", "quote") else ""
    if generalized.dropped:
        notes.append(Skipped(where, unit.role, f"删去其中的句子（{reasons}）", unit.text))
    levels = fitting_levels(text, generalized.levels) or fitting_levels(text) or generalized.levels
    digest = (
        __import__("hashlib")
        .sha1(re.sub(r"\s+", "", unicodedata.normalize("NFKC", unit.text)).encode("utf-8"))
        .hexdigest()[:8]
    )
    return Entry(
        id=f"{unit.role}-{digest}",
        text=text,
        role=unit.role,
        topics=classify_topics(text, lead=lead) or classify_topics(unit.context, limit=1),
        levels=levels,
        years=_old_years(generalized, locale),
        source=(where,),
        style=unit.style if unit.role in ("heading", "point", "review_item", "problem_item") else None,
        scope=scope_labels(text),
    )


def test_cached_unit_entries_are_the_uncached_ones(tmp_path: Path) -> None:
    compared = kept = 0
    for _ in range(2):  # the second round is served from the caches
        for path in _speeches(tmp_path):
            source = read_source(path)
            speech = parse_speech(source)
            locale = Locale(level=speech.level, year=speech.year, place=speech.place)
            for unit in speech_units(speech):
                old_notes: list[Skipped] = []
                new_notes: list[Skipped] = []
                old = _old_unit_entry(unit, source, locale, old_notes)
                assert candidates.unit_entry(unit, source, locale, new_notes) == old
                assert new_notes == old_notes
                compared += 1
                kept += isinstance(old, Entry)
    assert compared > 2000 and 0 < kept < compared  # both outcomes exercised
    assert candidates._generalized.cache_info().hits > 0


def test_an_old_source_is_dated_before_the_calendar_even_when_its_text_is_cached(tmp_path: Path) -> None:
    text = "要持之以恒落实中央八项规定精神，坚决纠治形式主义、官僚主义问题，驰而不息改进作风。"
    unit = Unit("point", text, 3)
    source = SourceText(path=tmp_path / "a.txt", encoding="utf-8", lines=())
    new = candidates.unit_entry(unit, source, Locale(year=2022))
    old = candidates.unit_entry(unit, source, Locale(year=1995))
    assert isinstance(new, Entry) and isinstance(old, Entry)
    assert old.years == YearRange(None, MIN_YEAR - 1) and new.years != old.years


@SOME
@given(st.text(alphabet="全市ＡＢ１２，。　 \t\u00a0ｘ①ﬁ（）Ａ２０２３年ｅ\u0301", max_size=40))
def test_the_id_key_is_nfkc_without_spaces(text: str) -> None:
    assert normalized_key(text) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- cleaning pre-checks --------------------------------------------------------------------------------

_DIRTY_ALPHABET = (
    "QqVvXxWwTt微信号群:：/.@1234567890-_网家全站范文公材料写作之大电话手机邮箱Email联系方式整理，,咨询 "
    "会员仅供学习禁止外传倒卖httpsw3chatE-mai"
)


def _old_normalize(text: str) -> str:
    text = text.replace("\u3000", " ").replace("\ufeff", "").strip()
    text = clean._HALF_PUNCT_NEAR_CJK.sub(lambda m: clean._PUNCT_MAP[m.group(1) or m.group(2)], text)
    text = clean._SPACE_BETWEEN_CJK.sub("", text)
    return clean._fix_straight_quotes(text)


@SOME
@given(st.text(alphabet=_DIRTY_ALPHABET, max_size=40))
def test_dirt_pre_checks_change_no_answer(text: str) -> None:
    assert clean.is_dirt(text) == any(p.search(text) for p in clean.DIRT_PATTERNS)


@SOME
@given(st.text(alphabet='同志们，,:;?!！ \t\u3000\u00a0\ufeff"“”全市ab', max_size=40))
def test_normalizing_pre_checks_change_no_answer(text: str) -> None:
    assert clean.normalize_text(text) == _old_normalize(text)


def test_dirt_pre_checks_name_current_patterns() -> None:
    patterns = {p.pattern for p in clean.DIRT_PATTERNS}
    assert set(clean._DIRT_NEEDS) <= patterns  # a changed pattern must have its pre-check reviewed
    lines = [
        line
        for path in sorted((DATA / "messy").glob("*.txt"))
        for line in read_source(path).text.splitlines()
    ]
    lines += [
        "联系邮箱：abc@example.com",
        "访问 www.example.com",
        "手机13912345678",
        "范文网整理，咨询QQ12345",
    ]
    for line in lines:
        assert clean.is_dirt(line) == any(p.search(line) for p in clean.DIRT_PATTERNS), line


_SCOPE_NEEDS = (
    ("_CAMPAIGN_YEAR", "年"),
    ("_LOCAL_RULES", "项规定"),
    ("_COUNTED_SYSTEM", "个"),
    ("_COINED_CAMPAIGN", "廉"),
)


@SOME
@given(
    st.text(
        alphabet="“”年作风建设整治活动行动一二三四五六七八九十个项规定体系机制铸清廉工程中央周0", max_size=30
    )
)
def test_scope_patterns_skipped_without_their_word_cannot_match(text: str) -> None:
    for name, word in _SCOPE_NEEDS:
        pattern = getattr(scope, name)
        if word not in text:
            assert pattern.search(text) is None, (name, text)
        assert pattern.search(f"{text}“作风整治年”活动，三项规定，三个工作体系，铸廉行动") is not None, name


@SOME
@given(st.text(alphabet="省委政府纪委监委市长和及与、县召开全场城都地级直人大政协我", max_size=24))
def test_superior_city_patterns_cannot_match_without_市(text: str) -> None:
    if "市" not in text:
        assert generalize._SUPERIOR_WORDS.search(text) is None
        assert generalize._SUPERIOR_CONJUNCT.search(text) is None


# --- writing new files ----------------------------------------------------------------------------------


def _both(docs: list[merge_module._Doc]) -> int:
    """Each new file's text equals ruamel's; returns how many were written without ruamel."""
    direct = 0
    for doc in docs:
        assert "".join(merge_module._dump(doc)) == ruamel_text(doc), doc.path.name
        direct += direct_text(doc) is not None
    return direct


def _new_docs(entries: list[Entry], skeletons: Sequence[Skeleton] = ()) -> list[merge_module._Doc]:
    """New files holding these entries and skeletons, as a merge into an empty folder builds them."""
    docs: dict[str, merge_module._Doc] = {}
    for entry in entries:
        doc = docs.setdefault(entry.role, merge_module._new_doc(Path(f"{entry.role}.yaml"), "entries"))
        doc.data["entries"].append(entry)
    if skeletons:
        doc = docs.setdefault("", merge_module._new_doc(Path("skeletons.yaml"), "skeletons"))
        doc.data["skeletons"].extend(skeletons)
    return list(docs.values())


def test_new_files_are_written_as_ruamel_writes_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = CandidatePool()
    skeletons = []
    for path in _speeches(tmp_path):
        mined = mine_file(path)
        pool.add(mined.entries)
        skeletons.append(mined.skeleton)
    docs: list[merge_module._Doc] = []
    real = merge_module._dump
    monkeypatch.setattr(merge_module, "_dump", lambda doc: docs.append(doc) or real(doc))
    plan = plan_merge(tmp_path / "bank", pool, skeletons)
    texts = {path: plan.text(path) for path in plan.files}  # new files are rendered when asked for
    monkeypatch.undo()
    assert {d.path.name for d in docs} >= {"point.yaml", "heading.yaml", "skeletons.yaml"}
    assert all(texts[d.path] == "".join(real(d)) for d in docs)
    assert _both(docs) == len(docs)  # and none needed ruamel


_TRICKY = st.sampled_from(
    [
        "true",
        "null",
        "~",
        "123",
        "1.5",
        "0x1F",
        "2020-01-05",
        "-2017",
        "2021-",
        "2019-2023",
        "yes",
        "on",
        "- a",
        "a: b",
        "a #b",
        "#a",
        "{全市}要",
        "[x]",
        "a, b",
        "'q'",
        '"q"',
        "@a",
        "`a",
        "%a",
        "!a",
        "&a",
        "*a",
        "|a",
        ">a",
        "?a",
        ":a",
        "a:",
        " a",
        "a ",
        "",
        "要坚持“两个维护”：一要",
        "【X%】",
        "X市",
        "15:30",
        "00001.txt:7",
        "讲话 2023.docx:3",
        "a.TXT:3",
        "e1.txt:2",
        "1e5.txt:3",
        "2021-01-05t1.txt:3",
        "全市\u3000",
    ]
)
_TEXT = st.one_of(
    _TRICKY, st.text(alphabet="全市要，。：:#-[]{}'\" ab1X.%“”（）\u2028", min_size=1, max_size=12)
)


@SOME
@given(
    st.lists(
        st.tuples(_TEXT, st.lists(_TEXT, min_size=1, max_size=3), st.lists(_TEXT, max_size=2), _TEXT),
        min_size=1,
        max_size=4,
    )
)
def test_generated_values_are_written_as_ruamel_writes_them(
    rows: list[tuple[str, list[str], list[str], str]],
) -> None:
    entries = [
        Entry(
            id=f"point-{n:08x}",
            role="point",
            text=text,
            source=tuple(sources),
            topics=tuple(topics),
            style=style or None,
        )
        for n, (text, sources, topics, style) in enumerate(rows)
    ]
    _both(_new_docs(entries))


def test_a_document_with_comments_or_line_breaks_is_left_to_ruamel() -> None:
    doc = merge_module._new_doc(Path("point.yaml"), "entries")
    item = CommentedMap(id="point-00000001", role="point", text="要坚持。")
    item.yaml_add_eol_comment("checked", "text")
    doc.data["entries"].append(item)
    assert direct_text(doc) is None
    assert "# checked" in "".join(merge_module._dump(doc))
    [doc] = _new_docs(
        [Entry(id="point-00000002", role="point", text="要坚持\n两个维护。", source=("a.txt:1",))]
    )
    assert direct_text(doc) is None
    assert "".join(merge_module._dump(doc)) == ruamel_text(doc)
    doc.data["entries"] = CommentedSeq()
    assert direct_text(doc) is None  # nothing in it
