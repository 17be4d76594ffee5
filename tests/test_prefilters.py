"""The quick tests of mining (drafter.rx: needles, Prefilter, headed patterns; the one-pass sentence
spans) never change a result: a needle is in every text a pattern matches, a headed pattern finds what the
pattern finds, and mining with every quick test turned off gives the same entries, skips and skeletons."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from test_mine_fast_paths import _speeches
from test_rx import _drafter_patterns

from drafter import rx
from drafter.facts import vocab
from drafter.mine import candidates, generalize, outline, scope
from drafter.read import sentences, webclean
from drafter.read.sources import read_source

ROOT = Path(__file__).resolve().parent.parent


def _lines() -> list[str]:
    """Lines and sentences of real speeches (seeds, messy sources, the precision set)."""
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "messy").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "precision").glob("*.txt"))
    out: list[str] = []
    for path in paths:
        for line in read_source(path, clean=False).text.splitlines():
            out.append(line)
            out.extend(sentences.split_sentences_quoted(line))
    return out


def _alphabet(pattern: str) -> list[str]:
    """The characters a pattern names, and a few others: random texts over them match now and then."""
    chars = {c for c in pattern if not c.isascii() or c.isalnum()} | set("，。“”X年市县区12")
    return sorted(chars)


def _random_texts(pattern: re.Pattern[str], count: int = 150) -> list[str]:
    rng = random.Random(pattern.pattern)
    alphabet = _alphabet(pattern.pattern)
    found = sorted(rx.needles(pattern) or ())
    out = []
    for _ in range(count):
        pieces = [rng.choice(alphabet) for _ in range(rng.randint(0, 10))]
        if found and rng.random() < 0.5:  # a needle inside, so that the pattern matches now and then
            pieces.insert(rng.randint(0, len(pieces)), rng.choice(found))
        out.append("".join(pieces))
    return out


def test_every_text_a_pattern_matches_holds_one_of_its_needles() -> None:
    patterns = _drafter_patterns()
    lines = _lines()
    with_needles = matched = 0
    for pattern in patterns:
        found = rx.needles(pattern)
        if found is None:
            continue
        with_needles += 1
        assert found and "" not in found, pattern.pattern
        for text in [*lines, *_random_texts(pattern)]:
            if pattern.search(text):
                matched += 1
                assert any(n in text for n in found), (pattern.pattern, text, sorted(found))
    assert with_needles > len(patterns) // 2  # most patterns have needles
    assert matched > 5000  # and the check saw them match


def test_needles_of_known_patterns() -> None:
    assert rx.needles(scope._CAMPAIGN_YEAR) == {"年”", "年活动", "年行动"}
    assert rx.needles(re.compile(r"(?<![央八])[一二三]{1,3}项规定")) == {"项规定"}
    assert rx.needles(re.compile(r"县(?=财政局|审计局)")) == {"县财政局", "县审计局"}  # the lookahead's text
    assert rx.needles(re.compile(r"(?<=对于|护航)X+")) == {"对于X", "护航X"}  # lookbehind, first X
    assert rx.needles(re.compile(r"第[一二三四五六七八九十]+次全会|届中央纪委")) == {"次全会", "届中央纪委"}
    assert rx.needles(re.compile(r"次党代(?:会|表大会)")) == {"次党代"}  # one needle rather than two
    assert rx.needles(re.compile("北京市|京")) == {"京"}  # a needle holding another goes
    for pattern in (r"\d+", r"a?", r".{2}", r"(?i)vip", r"[^x]y?", r"(?i:v)ip"):
        assert rx.needles(re.compile(pattern)) is None, pattern


def test_prefilter_is_false_only_without_a_needle() -> None:
    gate = rx.Prefilter(re.compile("甲乙|丙丁"), re.compile(r"戊+己"))
    assert gate.test("……甲乙……") and gate.test("戊己") and gate.test("丁丙戊己")
    assert not gate.test("甲丙乙丁戊") and not gate.test("")
    assert rx.Prefilter(re.compile("甲乙"), re.compile(r"\d")).test("什么都没有")  # \d has no needles
    assert not rx.Prefilter().test("甲乙")  # no patterns: nothing can match
    single = rx.Prefilter(re.compile("(?<!不)甲乙"))
    assert single.test("不甲乙") and not single.test("甲 乙")


def test_headed_patterns_find_what_the_patterns_find() -> None:
    lines = _lines()
    headed = 0
    for pattern in _drafter_patterns():
        fast = rx.quick(pattern)
        if fast is pattern:
            continue
        headed += 1
        assert fast.groups == pattern.groups and fast.groupindex == pattern.groupindex
        for text in [*lines, *_random_texts(pattern, 60)]:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]
            assert fast.sub("■", text) == pattern.sub("■", text)
    assert headed >= 3  # the patterns that open with a lookbehind


def test_first_chars_and_heads() -> None:
    assert rx.first_chars("ab|c") == {"a", "c"}
    assert rx.first_chars("(?<!x)[ab]c|(?:d|)e") == {"a", "b", "d", "e"}
    for pattern in ("a*", r"\d", "[一-龥]", ".x", "(?i)ab"):
        assert rx.first_chars(pattern) is None, pattern
    # re finds these by their first character itself: a head would hide it
    for pattern in ("abc", "[ab]c", "ab|cd", "^(?<!x)ab"):
        assert rx.headed(pattern) == pattern
    assert rx.headed("(?<!幸)(?:北京|天津)") == "(?=[北天])(?:(?<!幸)(?:北京|天津))"
    assert rx.headed("(?i)(?<!a)b") == "(?i)(?<!a)b"  # global flags stay first: left as it is


def _reference_spans(text: str) -> list[tuple[int, int]]:
    """drafter.read.sentences._quoted_spans before its one-pass case (the quote-by-quote walk)."""
    out: list[tuple[int, int]] = []
    depth = start = pos = 0
    while (found := sentences._QUOTE_OR_END.search(text, pos)) is not None:
        i = found.start()
        ch = text[i]
        pos = i + 1
        if ch in sentences._OPEN_QUOTES:
            depth += 1
        elif ch in sentences._CLOSE_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and i > 0 and text[i - 1] in sentences._ENDS:
                out.append((start, pos))
                start = pos
        elif depth == 0:
            pos = sentences._END_RUN.match(text, pos).end()  # type: ignore[union-attr]
            out.append((start, pos))
            start = pos
    if depth:
        return [m.span() for m in sentences._SENTENCE.finditer(text)]
    if start < len(text):
        out.append((start, len(text)))
    return out


def test_sentence_spans_are_the_quote_by_quote_ones() -> None:
    rng = random.Random(7)
    alphabet = "ab 。！？!?”’」』）)》“‘《「『，"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(40000)]
    texts += _lines()
    for text in texts:
        assert sentences._quoted_spans(text) == _reference_spans(text), text


def _all_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every quick test passes every text and no pattern is headed (caches emptied to rebuild so)."""
    monkeypatch.setattr(rx, "prefilter_test", lambda patterns: rx._always)
    monkeypatch.setattr(rx, "headed", lambda pattern, flags=0: pattern)
    for module in (vocab, generalize):
        monkeypatch.setattr(module, "headed", rx.headed)
    _forget()


def _forget() -> None:
    """Rebuild every quick test and pattern, and drop every per-text result."""
    for module in (candidates, generalize, scope, outline, vocab):
        for value in vars(module).values():
            for item in value if isinstance(value, tuple) else (value,):  # (_S_OTHERS: in tuples)
                screened = item[0] if isinstance(item, tuple) and item else item
                if isinstance(screened, rx.Screened):
                    screened._fast = None
                    screened = screened._test
                if isinstance(screened, rx.Prefilter):
                    screened.test = screened._build_and_test
    for function in (
        candidates._any_dating_phrase,
        candidates._generalized,
        generalize._clause,
        candidates._entry_facts,
        candidates._context_topics,
        candidates._paragraph_hits,
        candidates.entry_id,
        generalize._level_patterns,
        generalize._place_pattern,
        outline._dating,
        vocab._surface_pattern,
        vocab._level_words_test,
        sentences._split_quoted,
    ):
        function.cache_clear()
    rx._QUICK.clear()
    candidates._SHARED.clear()


def _mined(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        mined = candidates.mine_file(path)
        out.append(repr((mined.entries, mined.skipped, mined.skeleton)))
    return out


def test_mining_with_the_quick_tests_off_gives_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _speeches(tmp_path)
    _forget()
    fast = _mined(paths)
    assert webclean.quick(webclean._DOUBLED) is not webclean._DOUBLED  # a head was in use
    with monkeypatch.context() as patched:
        _all_off(patched)
        assert vocab._surface_pattern("县")[0].pattern.startswith("(?:")  # rebuilt without a head
        assert generalize._MAY_HAVE_PROBLEM.test("没有问题的句子")
        plain = _mined(paths)
    _forget()
    assert len(fast) == len(paths) > 20
    assert fast == plain


def _random_mix(pieces: list[str], seed: int, count: int) -> list[str]:
    """Texts glued from whole and broken pieces (overlaps of every kind), and a few other characters."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            piece = rng.choice(pieces)
            a = rng.randint(0, len(piece) - 1)
            b = rng.randint(a + 1, len(piece))
            parts.append(piece[a:b] if rng.random() < 0.5 else piece)
            if rng.random() < 0.3:
                parts.append(rng.choice("，。\n“”的"))
        out.append("".join(parts))
    return out


def test_topic_hits_counted_by_groups_are_each_topics_own() -> None:
    from drafter.facts import topics

    own = [
        re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
        for words in topics.TOPIC_KEYWORDS.values()
    ]
    assert 1 < len(topics._groups()) < len(topics.TOPICS)  # fewer searches than topics
    keywords = [w for words in topics.TOPIC_KEYWORDS.values() for w in words]
    texts = _lines() + _random_mix(keywords, 11, 30000)
    for text in texts:
        expected = tuple(len(pattern.findall(text)) for pattern in own)
        assert topics.topic_hits(text) == expected, text
        lead = text[: len(text) // 3]
        for given in ("", lead, "作风建设和监督责任"):
            hits = [n + 3 * len(p.findall(given)) for n, p in zip(expected, own, strict=True)]
            assert topics.classify_topics(text, lead=given) == topics.rank_topics(hits), (text, given)


def test_place_names_are_found_as_the_whole_search_finds_them() -> None:
    pieces = [
        "赤水市人民政府",
        "在汉阴县委",
        "于安康市2023年",
        "对宝鸡区一〇",
        "是县纪委",
        "（“西乡县廉政",
        "，。\n ",
    ]
    texts = _lines() + _random_mix(pieces, 13, 30000)
    texts += ["\n".join(_lines()[i : i + 40]) for i in range(0, 400, 40)]
    found = 0
    for text in texts:
        expected = outline._PLACE.findall(text)
        assert outline.place_findall(text) == expected, text
        found += len(expected)
    assert found > 1000


def test_screened_patterns_find_what_the_patterns_find() -> None:
    lines = _lines()
    for pattern in (generalize._PROVINCE, generalize._PERSON, generalize._EVENT, scope._MOMENT):
        screened = rx.Screened(pattern)
        for text in [*lines, *_random_texts(pattern, 100)]:
            found = screened.search(text)
            expected = pattern.search(text)
            assert (found and found.span()) == (expected and expected.span())
            assert [m.span() for m in screened.finditer(text)] == [m.span() for m in pattern.finditer(text)]
    for pattern in (generalize._FIRST_IN, generalize._LOCAL_ORDINAL_CONJUNCT, generalize._SUPERIOR_CONJUNCT):
        screened = rx.Screened(pattern)
        for text in [*lines, *_random_texts(pattern, 100)]:
            assert screened.sub("〇", text) == pattern.sub("〇", text)


def test_topics_from_the_first_sentence_and_the_rest_are_the_whole_texts() -> None:
    from drafter.facts import topics

    assert candidates._WHOLE_IN_SENTENCES
    keywords = [w for words in topics.TOPIC_KEYWORDS.values() for w in words]
    texts = _lines() + _random_mix([*keywords, "。", "”。", "！”", "？）", "“", "”"], 17, 20000)
    for text in texts:
        lead = (sentences.split_sentences_quoted(text) or [""])[0]
        assert candidates._topics(text, lead) == topics.classify_topics(text, lead=lead), text


def test_a_screen_names_every_pattern_that_matches() -> None:
    patterns = [re.compile(p) for p in ("甲乙丙|乙丙丁", "丙丁戊", "乙", "戊己+庚", r"\d", "(?<!甲)丁")]
    screen = rx.Screen(patterns)
    rng = random.Random(19)
    texts = [
        "".join(rng.choice("甲乙丙丁戊己庚1，") for _ in range(rng.randint(0, 10))) for _ in range(40000)
    ]
    narrowed = 0
    for text in texts:
        which = screen.which(text)
        for index, pattern in enumerate(patterns):
            if pattern.search(text):
                assert index in which, (text, index)
        narrowed += len(which) < len(patterns)
    assert 4 in screen.which("")  # \\d has no needles: always named
    assert narrowed > 1000


def test_dating_spans_are_the_phrases_found_one_by_one() -> None:
    from drafter.facts.calendar import dating_phrases

    texts = _lines() + ["\n".join(_lines()[i : i + 60]) for i in range(0, 600, 60)]
    found = 0
    for text in texts:
        expected = [phrase.years for phrase in dating_phrases() if phrase.pattern.search(text)]
        assert outline.dating_spans(text) == expected, text
        found += len(expected)
    assert found > 50


def test_the_first_sentence_is_the_first_of_the_split() -> None:
    rng = random.Random(23)
    alphabet = "ab 。！？!?”’」』）)》“‘《「『，"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(40000)]
    for text in [*texts, *_lines()]:
        assert sentences.first_sentence_quoted(text) == (sentences.split_sentences_quoted(text) or [""])[0]
