"""Bank stage: an index of a loaded bank by role, topic, level and meeting year.

Built once per Bank on first use (``bank_index(bank)``) and kept with it, so a command that asks many
questions of a large bank (the draft selector, ``bank list``/``search``/``stats`` with filters) looks up
positions instead of scanning 100k entries each time. Positions are indexes into ``bank.entries`` in
bank order, so any selection keeps that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from drafter.bank.rows import REJECTED, EntryTable
from drafter.models import Bank, Entry, YearRange

_ATTRIBUTE = "_drafter_index"  # where the index is kept on a Bank instance (not a dataclass field)


@dataclass(frozen=True)
class BankIndex:
    """Positions of a bank's entries by role, topic, level, years field and meeting year."""

    entries: Sequence[Entry]
    by_role: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_topic: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_level: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_span: dict[YearRange, tuple[int, ...]] = field(default_factory=dict)
    by_year: dict[int, tuple[int, ...]] = field(default_factory=dict)  # filled as years are asked for
    rejected: frozenset[int] = frozenset()

    def positions(
        self,
        *,
        role: str | None = None,
        topics: Iterable[str] = (),
        level: str | None = None,
        year: int | None = None,
        include_rejected: bool = False,
    ) -> list[int]:
        """Positions (ascending) of the entries that meet every given criterion."""
        groups: list[tuple[int, ...]] = []
        if role is not None:
            groups.append(self.by_role.get(role, ()))
        groups.extend(self.by_topic.get(topic, ()) for topic in topics)
        if level is not None:
            groups.append(self.by_level.get(level, ()))
        if year is not None:
            found = self.by_year.get(year)
            if found is None:  # worked out from the spans when first asked, then kept
                found = tuple(sorted(i for span, ids in self.by_span.items() if year in span for i in ids))
                self.by_year[year] = found
            groups.append(found)
        if not groups:
            chosen: Iterable[int] = range(len(self.entries))
        else:
            groups.sort(key=len)
            first, rest = groups[0], [frozenset(g) for g in groups[1:]]
            chosen = (i for i in first if all(i in g for g in rest))
        if include_rejected or not self.rejected:
            return list(chosen)
        return [i for i in chosen if i not in self.rejected]

    def select(self, **criteria: object) -> list[Entry]:
        """The entries that meet every criterion of ``positions``, in bank order."""
        entries = self.entries
        return [entries[i] for i in self.positions(**criteria)]  # type: ignore[arg-type]


def build_index(entries: Sequence[Entry]) -> BankIndex:
    """Index ``entries`` from their columns (no entry is built). Linear in the bank; tuples and year
    ranges the loader shares are grouped once."""
    table = EntryTable.of(entries)
    by_role: dict[str, list[int]] = {}
    by_topics: dict[tuple[str, ...], list[int]] = {}
    by_levels: dict[tuple[str, ...], list[int]] = {}
    by_span: dict[YearRange, list[int]] = {}
    rejected: list[int] = []
    columns = zip(table.roles, table.topics, table.levels, table.years, table.flags, strict=True)
    for i, (role, topics, levels, years, flags) in enumerate(columns):
        by_role.setdefault(role, []).append(i)
        by_topics.setdefault(topics, []).append(i)
        by_levels.setdefault(levels, []).append(i)
        by_span.setdefault(years, []).append(i)
        if flags & REJECTED:
            rejected.append(i)
    by_topic: dict[str, list[int]] = {}
    for group, ids in by_topics.items():
        for topic in group:
            by_topic.setdefault(topic, []).extend(ids)
    by_level: dict[str, list[int]] = {}
    for group, ids in by_levels.items():
        for level in group:
            by_level.setdefault(level, []).extend(ids)
    return BankIndex(
        entries=entries,
        by_role={k: tuple(v) for k, v in by_role.items()},
        by_topic={k: tuple(sorted(v)) for k, v in by_topic.items()},
        by_level={k: tuple(sorted(v)) for k, v in by_level.items()},
        by_span={k: tuple(v) for k, v in by_span.items()},
        rejected=frozenset(rejected),
    )


def bank_index(bank: Bank) -> BankIndex:
    """The index of ``bank``, built on first use and kept with the Bank (which is immutable)."""
    found = bank.__dict__.get(_ATTRIBUTE)
    if not isinstance(found, BankIndex) or found.entries is not bank.entries:
        found = build_index(bank.entries)
        object.__setattr__(bank, _ATTRIBUTE, found)  # a cache, not a field: equality is unchanged
    return found
