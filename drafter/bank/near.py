"""Bank stage: find a near-identical text among many, without comparing with each one.

``NearTexts`` answers what ``rapidfuzz.process.extractOne(key, keys, scorer=fuzz.ratio,
score_cutoff=similarity)`` answers over all keys added so far (the first key with the best score), but
compares only the keys that share enough rare character pairs with it: a handful when the texts differ;
among many variants of one paragraph (which share most pairs yet score below it), all those variants.
Merging a varied 1 MB corpus (3,338 texts) took 0.7 s this way instead of 2.6 s; mining 4 MB of it
end to end, 12 s instead of 47 s (bench/README.md).

The filter is exact (prefix filtering on character pairs):
- ``fuzz.ratio`` is 100·(1 − d/(la+lb)) with d the insert/delete distance, so a score ≥ s allows at most
  d ≤ (la+lb)(100−s)/100, and the lengths differ by at most d;
- such texts keep at least (la+lb)/2 − 1 − 1.5·d character pairs in common, counted with repeats: of
  A's la − 1 pairs, each character deleted from A breaks at most two and each inserted at most one,
  and there are (d + la − lb)/2 deletions and (d − la + lb)/2 insertions; a pair repeated in a text is
  counted once, so its repeats come off;
- if two sets of pairs share at least t ≥ k, then under one fixed order their first (size − t + k)
  members share at least k. Each key keeps only those first members in the index, rare pairs first, so
  each lookup reads short lists, and compares only the keys met k times (k = ``PREFIX_SHARED``). A key
  too short for any pair to be sure (t ≤ 0) is compared with every key of a fitting length.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import chain, compress, repeat
from operator import le, lshift, or_

MIN_FUZZY_CHARS = 8  # shorter texts (headings like 压实主体责任) are only the same when equal
INDEX_FROM = 128  # fewer keys are compared one by one (rapidfuzz in C is faster than the index then)
ORDER_SAMPLE = 4096  # best_of_each ranks pairs by how many of about this many texts hold them
PREFIX_SHARED = 3  # a lookup compares only keys sharing this many indexed pairs (fewer when fewer are sure)
_Held = int | tuple[int, int] | list[int]  # the keys a pair indexes: most one, many two, some more
FAST_CODES = 256  # rapidfuzz looks up a character below this in an array, any other in a hash map


def fast_alphabet(texts: Iterable[str]) -> dict[int, int]:
    """A ``str.translate`` table that gives the texts' ``FAST_CODES`` most frequent characters the code
    points 0–255 (and those code points the characters' places): a one-to-one map of all characters, so
    every score and every pair count stays the same, while rapidfuzz compares Chinese texts so
    translated about 1.7 times as fast (most of their characters then take its array path)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text)
    top = [ord(char) for char, _ in counts.most_common(FAST_CODES)]
    table = {point: code for code, point in enumerate(top) if point != code}
    # the codes below len(top) that are not frequent characters take the frequent ones' old places
    kept = set(top)
    freed = sorted(point for point in top if point >= len(top))
    table.update(zip((code for code in range(len(top)) if code not in kept), freed, strict=True))
    return table


@cache
def _max_distance(total: int, similarity: int) -> int:
    """The largest insert/delete distance two texts of ``total`` characters may have and still score
    ``similarity`` (one more than the exact bound: the filter must never miss what rapidfuzz's float
    arithmetic lets through)."""
    return total * (100 - similarity) // 100 + 1


@cache
def _lengths(length: int, similarity: int) -> range:
    """The lengths another text may have to score ``similarity`` with a text of ``length``."""
    low = length
    while low > 0 and length - (low - 1) <= _max_distance(length + low - 1, similarity):
        low -= 1
    high = length
    while (high + 1) - length <= _max_distance(length + high + 1, similarity):
        high += 1
    return range(low, high + 1)


@cache
def _least_shared(length: int, similarity: int) -> int:
    """The fewest character pairs a text of ``length`` shares with any text that scores ``similarity``
    with it (≤ 0: no pair is sure)."""
    return min(
        (length + other - 2 - 3 * _max_distance(length + other, similarity)) // 2
        for other in _lengths(length, similarity)
    )


def _sure(key: str, pairs: set[int], similarity: int) -> int:
    """How many of the key's distinct ``pairs`` every text scoring ``similarity`` with it holds too
    (≤ 0: none is sure): the pairs shared counted with repeats, less the key's repeats (a repeated pair
    is shared once at most)."""
    return _least_shared(len(key), similarity) - (max(len(key) - 1, 0) - len(pairs))


def _pairs(key: str) -> set[int]:
    """The key's character pairs, each once, as numbers (two code points; a third of a two-character
    string's memory, and made in C)."""
    if len(key) < 2:
        return set()
    points = array("I", key.encode("utf-32-le", "surrogatepass"))
    return set(map(or_, map(lshift, points, repeat(21, len(points) - 1)), points[1:]))


_NOT_RANKED = -(1 << 62)  # below every rank (pairs first met later are ranked below all others)


class PairOrder:
    """One order of character pairs for ``NearTexts``: by how many of ``texts`` hold them, rare first;
    pairs not in ``texts``, met later, come before all of them. ``every``: the texts are every key the
    index will meet, so a pair held by one text alone can never be shared: it is neither kept in the
    order nor indexed (a real archive's texts hold tens of thousands of such pairs)."""

    def __init__(self, texts: Iterable[str], *, every: bool = False) -> None:
        counts: Counter[int] = Counter()
        for text in texts:
            counts.update(_pairs(text))
        kept = [pair for pair, n in counts.items() if n > 1] if every else list(counts)
        kept.sort(key=counts.__getitem__)  # (stable: equal counts as first met, the same for every key)
        del counts
        self.ranks: dict[int, int] = dict(zip(kept, range(len(kept)), strict=True))
        self.every = every

    def ranked(self, pairs: set[int], *, adding: bool = True) -> tuple[list[int], int]:
        """The ranks of the pairs that may be shared, in order, and how many others (shared by none:
        first in the order) there are. Not ``adding`` (a key looked up only), pairs not yet ranked are
        shared by no key indexed: counted so, not ranked (the order would otherwise grow with every
        text looked up, as it does with every text added)."""
        ranks = self.ranks
        if self.every or not adding:
            ranked = sorted(map(ranks.get, pairs, repeat(_NOT_RANKED)))  # (all in C: no loop per pair)
            unshared = bisect_right(ranked, _NOT_RANKED)
            return ranked[unshared:], unshared
        try:
            return sorted(map(ranks.__getitem__, pairs)), 0
        except KeyError:
            for pair in pairs.difference(ranks):  # (a set minus keys() would copy all the keys)
                ranks[pair] = -len(ranks)
            return sorted(map(ranks.__getitem__, pairs)), 0


class NearTexts:
    """Keys in the order added; ``best(key)`` is the index of the most similar one (score ≥ similarity;
    the first of equal scores), or None. ``similarity=None``: equal keys only. ``order`` (of the keys to
    come, as far as they are known; several indexes may share one) puts rare pairs first in the index,
    which keeps its lists short; without it the index makes one from its first keys. Any order gives
    the same answers."""

    def __init__(self, similarity: int | None, order: PairOrder | None = None) -> None:
        self.similarity = similarity
        self._keys: list[str] = []
        self._first: dict[str, int] = {}  # key -> its first index (keys looked up by equality only)
        self._postings: dict[int, _Held] = {}  # a pair's rank -> the key(s) that index it
        self._by_length: dict[int, list[int]] = {}  # length -> indexes of the keys of that length
        self._order = order
        # the last key's _prefix (best, then add): key, adding, sure, prefix, pairs not ranked
        self._last: tuple[str, bool, int, list[int], int] = ("", False, 0, [], 0)

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str) -> int:
        index = len(self._keys)
        self._keys.append(key)
        if self.similarity is None or len(key) < MIN_FUZZY_CHARS:
            self._first.setdefault(key, index)  # only these are looked up by equality
        if self.similarity is None or self.similarity <= 0:
            return index
        if index < INDEX_FROM - 1:
            return index
        if self._order is None:
            self._order = PairOrder(self._keys)
        # enough keys for the index to pay: index them all, then each as it comes
        for earlier in range(index + 1) if index == INDEX_FROM - 1 else (index,):
            self._index(earlier)
        return index

    def _index(self, index: int) -> None:
        key = self._keys[index]
        self._by_length.setdefault(len(key), []).append(index)
        postings = self._postings
        for rank in self._prefix(key, adding=True)[1]:
            held = postings.get(rank)
            if held is None:
                postings[rank] = index  # most pairs index one key: a bare int, not a list
            elif isinstance(held, int):
                postings[rank] = (held, index)  # (a tuple: 16 bytes less than a list)
            elif isinstance(held, tuple):
                postings[rank] = [*held, index]
            else:
                held.append(index)

    def _prefix(self, key: str, *, adding: bool = False) -> tuple[int, list[int]]:
        """How many of its distinct pairs the key shares with any key that can match it (≤ 0: none is
        sure), and the ranks of the pairs it is indexed (``adding``) or looked up by: the first
        (pairs − sure + PREFIX_SHARED) in the order, or all when none is sure (pairs no other key
        holds left out: those of a key looked up that no key indexed holds, too)."""
        last_key, last_adding, sure, prefix, unranked = self._last
        if last_key == key and (last_adding == adding or not unranked):
            return sure, prefix
        assert self.similarity is not None and self._order is not None
        pairs = _pairs(key)
        ranked, unshared = self._order.ranked(pairs, adding=adding)
        sure = _sure(key, pairs, self.similarity)
        prefix = ranked if sure <= 0 else ranked[: max(len(pairs) - sure + PREFIX_SHARED - unshared, 0)]
        self._last = (key, adding, sure, prefix, unshared if not self._order.every else 0)
        return sure, prefix

    def best(self, key: str) -> int | None:
        if not key or not self._keys:
            return None
        similarity = self.similarity
        if similarity is None or len(key) < MIN_FUZZY_CHARS:
            return self._first.get(key)
        from rapidfuzz import fuzz, process

        keys = self._keys
        if similarity <= 0 or len(keys) < INDEX_FROM:  # every key scores, or few keys: the plain search
            match = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=similarity)
            return None if match is None else int(match[2])
        lengths = _lengths(len(key), similarity)
        sure, prefix = self._prefix(key)
        if sure <= 0:  # no pair is sure: every key of a fitting length
            found: Iterable[int] = chain.from_iterable(self._by_length.get(n, ()) for n in lengths)
        else:
            postings = self._postings
            ones: list[int] = []
            lists: list[tuple[int, int] | list[int]] = []
            for rank in prefix:
                held = postings.get(rank)
                if held is None:
                    continue
                if isinstance(held, int):
                    ones.append(held)
                else:
                    lists.append(held)
            hits = Counter(chain(ones, chain.from_iterable(lists)))
            need = min(PREFIX_SHARED, sure)
            found = hits if need == 1 else compress(hits.keys(), map(need.__le__, hits.values()))
        fitting = sorted(found)  # in the order added: of equal scores, the first wins
        if not fitting:
            return None
        # (rapidfuzz skips a text of a length that cannot score before comparing it)
        match = process.extractOne(
            key, list(map(keys.__getitem__, fitting)), scorer=fuzz.ratio, score_cutoff=similarity
        )
        return None if match is None else fitting[match[2]]


def best_of_each(queries: Sequence[str], texts: Sequence[str], similarity: int | None) -> list[int | None]:
    """For each query, the index in ``texts`` that ``NearTexts(similarity)`` holding all of ``texts``
    would answer (``best``): the best score ≥ similarity, the first of equal ones; None for none.

    Worked the other way round, for a few queries among many texts (new entries against a large bank):
    the queries are indexed (each by the first pairs of its own that any match must share, in an order
    of the pairs rare among the queries and a sample of the texts), and each text is read once, its
    pairs met against that index; no index of the texts is built. The same filter as ``NearTexts``,
    from the query's side: a text scoring with a query holds at least ``sure`` of the query's distinct
    pairs, so at least min(PREFIX_SHARED, sure) of its first (pairs − sure + PREFIX_SHARED)."""
    found: list[int | None] = [None] * len(queries)
    if similarity is not None and similarity <= 0:  # every text scores: the plain search
        near = NearTexts(similarity)
        for text in texts:
            near.add(text)
        return [near.best(query) for query in queries]
    from rapidfuzz import fuzz, process

    equal: dict[str, list[int]] = {}  # query -> its indexes: matched by equality (short, or no similarity)
    fuzzy: list[int] = []
    for index, query in enumerate(queries):
        if not query:
            continue
        if similarity is None or len(query) < MIN_FUZZY_CHARS:
            equal.setdefault(query, []).append(index)
        else:
            fuzzy.append(index)
    postings: dict[int, list[int]] = {}  # a pair -> the queries whose prefix holds it
    need: dict[int, int] = {}  # query -> how many of its prefix pairs a text must hold
    anywhere: dict[int, list[int]] = {}  # length -> queries with no sure pair that a text of it may match
    lengths: set[int] = set()  # the lengths a text may have to score with some query
    alphabet: dict[int, int] = {}  # (compared faster, the same scores: fast_alphabet)
    translated: dict[int, str] = {}  # fuzzy query -> its text so translated
    if fuzzy:
        assert similarity is not None
        step = max(len(texts) // ORDER_SAMPLE, 1)
        sample = texts[::step]
        alphabet = fast_alphabet(chain((queries[index] for index in fuzzy), sample))
        translated = {index: queries[index].translate(alphabet) for index in fuzzy}
        ranks = PairOrder(chain(translated.values(), (text.translate(alphabet) for text in sample))).ranks
        for index in fuzzy:
            query = translated[index]
            pairs = _pairs(query)
            sure = _sure(query, pairs, similarity)
            fits = _lengths(len(query), similarity)
            lengths.update(fits)
            if sure <= 0:
                for length in fits:
                    anywhere.setdefault(length, []).append(index)
                continue
            need[index] = min(PREFIX_SHARED, sure)
            for pair in sorted(pairs, key=ranks.__getitem__)[: len(pairs) - sure + PREFIX_SHARED]:
                postings.setdefault(pair, []).append(index)
    best_score = [0.0] * len(queries)
    for position, text in enumerate(texts):
        if equal:
            waiting = equal.pop(text, None)
            if waiting:
                for index in waiting:
                    found[index] = position
        if len(text) not in lengths:
            continue
        text = text.translate(alphabet)
        held = filter(postings.__contains__, _pairs(text))  # (the text's pairs looked up: they are fewer)
        hits = Counter(chain.from_iterable(map(postings.__getitem__, held)))
        close = list(compress(hits.keys(), map(le, map(need.__getitem__, hits.keys()), hits.values())))
        close.extend(anywhere.get(len(text), ()))
        if not close:
            continue
        close.sort()  # (ascending: rapidfuzz compares them in one call)
        for _, score, at in process.extract(
            text,
            [translated[index] for index in close],
            scorer=fuzz.ratio,
            score_cutoff=similarity,
            limit=None,
        ):
            index = close[at]
            if score > best_score[index]:  # (equal scores: the first text stays)
                best_score[index] = score
                found[index] = position
    return found
