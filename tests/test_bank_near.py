"""Near-identical texts found through the pair index answer exactly what comparing with every text does."""

from __future__ import annotations

import random

import pytest
from conftest import brute_best
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.bank import near as near_module
from drafter.bank.near import FAST_CODES, NearTexts, PairOrder, best_of_each, fast_alphabet


def _variant(rng: random.Random, text: str, alphabet: str) -> str:
    """``text`` with a few characters deleted, inserted or changed (a near-identical text)."""
    chars = list(text)
    for _ in range(rng.randrange(4)):
        i = rng.randrange(len(chars) + 1)
        what = rng.randrange(3)
        if what == 0 and i < len(chars):
            del chars[i]
        elif what == 1:
            chars.insert(i, rng.choice(alphabet))
        elif i < len(chars):
            chars[i] = rng.choice(alphabet)
    return "".join(chars)


def _texts(seed: int, count: int, alphabet: str) -> list[str]:
    rng = random.Random(seed)
    bases = [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 70))) for _ in range(count // 4 + 1)
    ]
    out = []
    for _ in range(count):
        base = rng.choice(bases)
        out.append(base if rng.random() < 0.2 else _variant(rng, base, alphabet))
    return out


def consolidate_both(
    texts: list[str],
    similarity: int | None,
    order: PairOrder | None,
    index_from: int = near_module.INDEX_FROM,
) -> tuple[list, list]:
    """Each text either joins the best earlier accepted one or is accepted: by the index (used from
    ``index_from`` keys on) and by brute force."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(near_module, "INDEX_FROM", index_from)
        return _consolidate_both(texts, similarity, order)


def _consolidate_both(texts: list[str], similarity: int | None, order: PairOrder | None) -> tuple[list, list]:
    near = NearTexts(similarity, order)
    accepted: list[str] = []
    by_index, by_brute = [], []
    for text in texts:
        found, expected = near.best(text), brute_best(text, accepted, similarity)
        by_index.append(found)
        by_brute.append(expected)
        if expected is None:
            near.add(text)
            accepted.append(text)
    return by_index, by_brute


@pytest.mark.parametrize("similarity", [None, 0, 30, 60, 80, 90, 95, 100])
@pytest.mark.parametrize("alphabet", ["工作责任监督", "党风廉政建设主体责任落实全面从严治党一二三四", "ab"])
def test_the_index_finds_what_comparing_with_every_text_finds(similarity: int | None, alphabet: str) -> None:
    texts = _texts(7, 400, alphabet)
    by_index, by_brute = consolidate_both(texts, similarity, PairOrder(texts, every=True))
    assert by_index == by_brute
    if similarity is not None and similarity >= 60:
        assert sum(m is not None for m in by_brute) > 20  # the case has near-identical texts to find


@pytest.mark.parametrize("similarity", [60, 90])
def test_an_index_ordered_as_it_goes_ranks_only_the_pairs_it_indexes(similarity: int) -> None:
    """Without an order given (a pool merging candidates as they come), the index ranks the pairs of the
    keys it adds as it meets them; texts only looked up leave the order as it was (it would grow with
    every candidate of a corpus), and every answer is the brute-force one."""
    alphabet = "党风廉政建设主体责任落实全面从严治党一二三四"
    by_index, by_brute = consolidate_both(_texts(11, 400, alphabet), similarity, None)
    assert by_index == by_brute
    near = NearTexts(similarity)
    for text in _texts(11, 200, alphabet):
        near.add(text)
    assert near._order is not None
    ranks = dict(near._order.ranks)
    others = _texts(12, 200, alphabet + "工作监督文化警示教育")  # with pairs no key added holds
    assert [near.best(text) for text in others] == [
        brute_best(text, near._keys, similarity) for text in others
    ]
    assert near._order.ranks == ranks


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(alphabet="工作责任监督廉政", max_size=30), max_size=40),
    similarity=st.sampled_from([None, 50, 75, 85, 90, 97]),
    rank_from=st.lists(st.text(alphabet="工作责任监督廉政", max_size=30), max_size=10),
    every=st.booleans(),
    index_from=st.sampled_from([0, 1, 3, 10]),
)
def test_any_order_of_the_index_gives_the_same_answers(
    texts: list[str], similarity: int | None, rank_from: list[str], every: bool, index_from: int
) -> None:
    """Any order (or none: made from the first keys), from any size on; ``every``: made from all the keys."""
    if every:
        order: PairOrder | None = PairOrder(texts, every=True)
    else:
        order = PairOrder(rank_from) if rank_from else None
    by_index, by_brute = consolidate_both(texts, similarity, order, index_from)
    assert by_index == by_brute


def test_any_character_can_be_indexed() -> None:
    """Code points beyond the BMP and lone surrogates (from text decoded with surrogateescape)."""
    odd = [
        "𠀀𠀁𠀂廉政建设主体责任落实\udc80一",
        "𠀀𠀁𠀂廉政建设主体责任落实\udc81一",
        "全然不同的另一段文字内容",
    ]
    by_index, by_brute = consolidate_both(odd * 3, 90, None, index_from=0)
    assert by_index == by_brute and by_brute[1] == 0


def test_ties_go_to_the_first_text_and_equal_short_texts_only_match_equal() -> None:
    near = NearTexts(90)
    for text in ("压实主体责任落实到位甲", "压实主体责任落实到位乙", "压实主体责任"):
        near.add(text)
    assert near.best("压实主体责任落实到位丙") == 0  # two equal scores: the first
    assert near.best("压实主体责任") == 2
    assert near.best("压实主体责") is None  # short: equal only
    assert near.best("") is None
    assert NearTexts(90).best("压实主体责任落实到位") is None


def _count_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A one-item list that counts the texts rapidfuzz compares from now on."""
    import rapidfuzz.fuzz as fuzz_module

    calls = [0]
    real = fuzz_module.ratio

    def counted(*args: object, **kwargs: object) -> float:
        calls[0] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fuzz_module, "ratio", counted)
    return calls


def test_a_merge_of_many_varied_texts_compares_few_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the index: each lookup compares a handful of texts, not all that came before."""
    calls = _count_comparisons(monkeypatch)
    alphabet = "".join(chr(0x4E00 + i) for i in range(3000))
    texts = _texts(3, 3000, alphabet)
    near = NearTexts(90, PairOrder(texts, every=True))
    for text in texts:
        if near.best(text) is None:
            near.add(text)
    assert len(near) > 500
    assert calls[0] < 5 * len(texts)  # comparing with every accepted text would be ~len(near)²/2


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="工作责任监督廉政建设", min_size=8, max_size=80),
    edits=st.lists(
        st.tuples(st.integers(0, 80), st.sampled_from("工作责任监督廉政建设甲"), st.integers(0, 2)),
        max_size=12,
    ),
    similarity=st.sampled_from([70, 80, 90, 95]),
)
def test_texts_that_score_share_as_many_pairs_as_the_index_counts_on(
    text: str, edits: list[tuple[int, str, int]], similarity: int
) -> None:
    """The bound the prefixes rest on: two texts scoring ``similarity`` share at least that many distinct
    character pairs, counted from either side."""
    from rapidfuzz import fuzz

    chars = list(text)
    for at, char, what in edits:  # deletions, insertions, substitutions
        at = min(at, len(chars))
        if what == 0 and at < len(chars):
            del chars[at]
        elif what == 1:
            chars.insert(at, char)
        elif at < len(chars):
            chars[at] = char
    other = "".join(chars)
    if fuzz.ratio(text, other) < similarity:
        return
    shared = len(near_module._pairs(text) & near_module._pairs(other))
    for key in (text, other):
        assert shared >= near_module._sure(key, near_module._pairs(key), similarity)
        assert len(other if key == text else text) in near_module._lengths(len(key), similarity)


def _bank_and_new(seed: int, alphabet: str) -> tuple[list[str], list[str]]:
    """A bank's texts and new ones: variants of the same texts, copies of some, short and empty ones."""
    texts = _texts(seed, 500, alphabet)
    rng = random.Random(seed)
    queries = [*texts[380:], *rng.sample(texts[:380], 30), "", alphabet[:3], alphabet[:7], alphabet[:9]]
    rng.shuffle(queries)
    return texts[:380] + [alphabet[:7], alphabet[:9], alphabet[:7]], queries


_MANY = "".join(chr(0x4E00 + i) for i in range(300))  # more characters than fast_alphabet moves


@pytest.mark.parametrize("similarity", [None, 0, 30, 60, 80, 90, 95, 100])
@pytest.mark.parametrize(
    "alphabet",
    [
        "工作责任监督",
        "党风廉政建设主体责任落实全面从严治党一二三四",
        "ab",
        "\x00\x01ab工作责任监督",
        _MANY + "\x00\x05ab",
    ],
)
def test_new_texts_searched_the_other_way_round_find_what_comparing_finds(
    similarity: int | None, alphabet: str
) -> None:
    """New texts against a bank: the bank's texts read once against the new ones' index answer what
    comparing each new text with every text of the bank answers (first of equal scores)."""
    texts, queries = _bank_and_new(5, alphabet)
    expected = [brute_best(query, texts, similarity) for query in queries]
    assert best_of_each(queries, texts, similarity) == expected
    if similarity is not None and similarity >= 60:
        assert sum(m is not None for m in expected) > 20


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(alphabet="工作责任监督廉政", max_size=30), max_size=40),
    queries=st.lists(st.text(alphabet="工作责任监督廉政", max_size=30), max_size=15),
    similarity=st.sampled_from([None, 0, 50, 75, 85, 90, 97]),
)
def test_any_texts_searched_the_other_way_round(
    texts: list[str], queries: list[str], similarity: int | None
) -> None:
    assert best_of_each(queries, texts, similarity) == [brute_best(q, texts, similarity) for q in queries]


def test_the_other_way_round_compares_few_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_comparisons(monkeypatch)
    alphabet = "".join(chr(0x4E00 + i) for i in range(3000))
    texts = _texts(4, 3000, alphabet)
    found = best_of_each(texts[2500:], texts[:2500], 90)
    assert sum(m is not None for m in found) > 100
    assert calls[0] < 5 * len(texts)  # comparing each with every text would be 500 × 2,500


_MIXED = "\x00\x01\x02abc工作责任监督廉政" + _MANY[:40]


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=_MIXED, max_size=60), max_size=30),
    others=st.lists(st.text(alphabet=_MIXED + "党风", max_size=60), max_size=10),
)
def test_the_fast_alphabet_keeps_every_score(texts: list[str], others: list[str]) -> None:
    """A one-to-one map of all characters: any two texts, those it was made from or others, score the
    same translated; the most frequent characters get code points below 256."""
    from rapidfuzz import fuzz

    table = fast_alphabet(texts)
    assert set(table) == set(table.values())  # a permutation of the characters it moves
    every = texts + others
    translated = [text.translate(table) for text in every]
    for a, ta in zip(every, translated, strict=True):
        for b, tb in zip(every, translated, strict=True):
            assert fuzz.ratio(ta, tb) == fuzz.ratio(a, b)
    assert len(set(translated)) == len(set(every))


def test_the_fast_alphabet_puts_the_frequent_characters_below_256() -> None:
    many = "".join(chr(0x4E00 + i) for i in range(1000))
    texts = [many[:n] for n in range(1, 1000, 3)]  # the earlier a character, the more often it is met
    table = fast_alphabet(texts)
    below = {char for char in many if ord(char.translate(table)) < FAST_CODES}
    assert below == set(many[:FAST_CODES])
