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
