"""Bank stage: a bank's entries as a table whose columns are read at once and whose entries are built
when first asked for.

A draft of a 100k-entry bank looks at every entry's id, role, topics, levels, years and flags, but
reads the text of only the few thousand it reaches. The load cache (bank.cache) stores those columns
in its header and each entry as one line, so an ``EntryTable`` decodes the columns and keeps the lines
as bytes until an entry is wanted. Everything else (iterating, indexing, comparing) behaves as a tuple
of Entry objects, so code that walks a whole bank needs no change.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from drafter.models import Entry, YearRange

_COLUMNS = ("ids", "roles", "topics", "levels", "years", "styles", "flags")

# flag bits of an entry
REJECTED = 1
LOCKED = 2
SCOPED = 4


def entry_flags(entry: Entry) -> int:
    return (
        (REJECTED if entry.rejected else 0) | (LOCKED if entry.locked else 0) | (SCOPED if entry.scope else 0)
    )


def draftable_flags(flags: int) -> bool:
    """``Entry.draftable`` from the flags: not rejected, and either not scoped or locked."""
    return not flags & REJECTED and (not flags & SCOPED or bool(flags & LOCKED))


Maker = Callable[[list[int]], list[Entry]]  # builds the entries at these positions


class EntryTable(Sequence[Entry]):
    """Entries of a bank (a file, a folder or layered folders) in bank order.

    Columns (one value per entry): ``ids``, ``roles``, ``topics``, ``levels``, ``years``, ``styles``,
    ``flags`` (REJECTED | LOCKED | SCOPED). Entries are built on first access by ``maker``."""

    __slots__ = ("flags", "ids", "levels", "roles", "styles", "topics", "years", "_made", "_maker")

    def __init__(
        self,
        *,
        ids: list[str],
        roles: list[str],
        topics: list[tuple[str, ...]],
        levels: list[tuple[str, ...]],
        years: list[YearRange],
        styles: list[str | None],
        flags: list[int],
        made: list[Entry | None],
        maker: Maker | None = None,
    ) -> None:
        self.ids, self.roles, self.topics, self.levels = ids, roles, topics, levels
        self.years, self.styles, self.flags = years, styles, flags
        self._made = made
        self._maker = maker

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> EntryTable:
        """A table of entries already built."""
        if isinstance(entries, EntryTable):
            return entries
        return cls(
            ids=[e.id for e in entries],
            roles=[e.role for e in entries],
            topics=[e.topics for e in entries],
            levels=[e.levels for e in entries],
            years=[e.years for e in entries],
            styles=[e.style for e in entries],
            flags=[entry_flags(e) for e in entries],
            made=list(entries),
        )

    @classmethod
    def chain(cls, runs: list[tuple[EntryTable, range | list[int]]]) -> EntryTable:
        """A table of the entries at the given positions of the given tables, in that order (each run a
        table and its positions); the entries are built through their own tables."""
        runs = [(table, positions) for table, positions in runs if len(positions)]
        if len(runs) == 1 and runs[0][1] == range(len(runs[0][0])):
            return runs[0][0]  # the whole of one table, in order
        columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
        made: list[Entry | None] = []
        starts: list[int] = []  # where each run begins in the new table
        for table, positions in runs:
            starts.append(len(made))
            # a run of neighbours is copied by slices, others one by one
            plain = isinstance(positions, range) and positions.step == 1
            cut = slice(positions[0], positions[-1] + 1) if plain else None
            for name, column in columns.items():
                source = getattr(table, name)
                column.extend(source[cut] if cut is not None else [source[i] for i in positions])
            made.extend(table._made[cut] if cut is not None else [table._made[i] for i in positions])

        def maker(wanted: list[int]) -> list[Entry]:
            located = []
            for p in wanted:
                run = bisect_right(starts, p) - 1
                table, positions = runs[run]
                located.append((table, positions[p - starts[run]]))
            by_table: dict[int, tuple[EntryTable, list[int]]] = {}
            for table, i in located:
                by_table.setdefault(id(table), (table, []))[1].append(i)
            for table, indexes in by_table.values():
                table._build(indexes)
            return [table[i] for table, i in located]

        return cls(**columns, made=made, maker=maker)

    # -- building --------------------------------------------------------------------------------

    def has(self, index: int) -> bool:
        """Is the entry at ``index`` built already?"""
        return self._made[index] is not None

    def build(self, positions: list[int]) -> None:
        """Build the entries at ``positions`` now, together (far cheaper than one by one)."""
        self._build(positions)

    def _build(self, positions: list[int]) -> None:
        missing = [i for i in positions if self._made[i] is None]
        if missing:
            assert self._maker is not None
            for i, entry in zip(missing, self._maker(missing), strict=True):
                self._made[i] = entry

    def built(self) -> int:
        """How many entries have been built so far (for tests and benchmarks)."""
        return sum(1 for e in self._made if e is not None)

    # -- a tuple of entries ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Entry, ...]: ...

    def __getitem__(self, index: int | slice) -> Entry | tuple[Entry, ...]:
        if isinstance(index, slice):
            positions = list(range(*index.indices(len(self))))
            self._build(positions)
            return tuple(self._made[i] for i in positions)  # type: ignore[misc]
        entry = self._made[index]
        if entry is None:
            self._build([index % len(self)])
            entry = self._made[index]
        assert entry is not None
        return entry

    def __iter__(self) -> Iterator[Entry]:
        self._build(list(range(len(self))))
        return iter(self._made)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EntryTable | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=False))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"EntryTable({len(self)} entries, {self.built()} built)"
