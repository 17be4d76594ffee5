"""Issue 16: a role's entries are put in seeded order only as far as a search reaches, a band of ranks
at a time. Whatever the searches ask, the order must be the one sorting all of them gives: by rank, a
tie in id order (the draft must not depend on how far earlier searches went)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.draft.select import _Ranking


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.5, 0.5, 0.999]) | st.floats(0, 1, exclude_max=True), max_size=900),
    st.lists(st.integers(0, 1000), max_size=6),
)
def test_a_band_at_a_time_gives_the_whole_sort(ranks: list[float], sizes: list[int]) -> None:
    positions = [3 * j + 1 for j in range(len(ranks))]
    whole = [positions[j] for j in sorted(range(len(ranks)), key=ranks.__getitem__)]
    ranking = _Ranking(positions, ranks)
    for size in sizes:
        assert ranking.extend(size) == (size <= len(ranks))
        assert len(ranking.order) >= min(size, len(ranks))
        assert ranking.order == whole[: len(ranking.order)]  # a prefix of the whole order
    ranking.extend(len(ranks))
    assert ranking.order == whole


def test_a_first_search_sorts_a_band_not_the_role() -> None:
    ranks = [((j * 7919) % 10007) / 10007 for j in range(10007)]
    ranking = _Ranking(list(range(10007)), ranks)
    assert ranking.extend(1)
    assert 0 < len(ranking.order) < 1000


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 1, exclude_max=True), min_size=0, max_size=400),
    st.sets(st.integers(0, 15), max_size=5),
    st.booleans(),
)
def test_the_entries_on_some_main_topics_are_the_whole_order_filtered(
    ranks: list[float], codes: set[int], as_range: bool
) -> None:
    from drafter.bank.rows import main_topic_table
    from drafter.facts.topics import TOPICS

    mains = bytes((7 * j) % 17 for j in range(3 * len(ranks) + 5))  # 16: a topic not in TOPICS
    positions: range | list[int] = (
        range(5, 5 + len(ranks)) if as_range else [3 * j + 2 for j in range(len(ranks))]
    )
    whole = [positions[j] for j in sorted(range(len(ranks)), key=ranks.__getitem__)]
    topics = tuple(TOPICS[c] for c in codes)
    table = main_topic_table(topics)
    found = _Ranking(positions, ranks, mains).on_topics(table)
    assert found == [p for p in whole if table[mains[p]]]
    assert all(mains[p] in codes for p in found)
