"""Bank stage: a bank's entries as a table whose columns are read at once and whose entries are built
when first asked for.

A draft of a 100k-entry bank looks at every entry's id, role, topics, levels, years and flags, but
reads the text of only the few thousand it reaches. The load cache (bank.cache) stores those columns
in its header and each entry as one line, so an ``EntryTable`` decodes the columns and keeps the lines
as bytes until an entry is wanted. Everything else (iterating, indexing, comparing) behaves as a tuple
of Entry objects, so code that walks a whole bank needs no change.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, overload

from drafter.facts.shape import text_shape
from drafter.facts.topics import TOPICS
from drafter.models import Entry, YearRange

_SLAB = 8192  # entries built in one step when many are wanted
COLUMNS = (
    "ids",
    "roles",
    "topics",
    "levels",
    "years",
    "styles",
    "flags",
    "files",
    "sizes",
    "braces",
    "shapes",
)

# flag bits of an entry
REJECTED = 1
LOCKED = 2
SCOPED = 4


def stretches(positions: list[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each stretch of consecutive positions, in order."""
    n, count = 0, len(positions)
    while n < count:
        first = last = positions[n]
        while n + 1 < count and positions[n + 1] == last + 1:
            n += 1
            last += 1
        yield first, last
        n += 1


def _pick(source: Sequence[Any], table: Sequence[Any], positions: range | list[int]) -> Sequence[Any]:
    """The values of ``source`` (a column of ``table``) at ``positions``: a run of neighbours by a
    slice (the whole column as it is), others one by one."""
    if isinstance(positions, range) and positions.step == 1:
        if positions == range(len(table)):
            return source
        return source[positions[0] : positions[-1] + 1]
    return [source[i] for i in positions]


def entry_flags(entry: Entry) -> int:
    return (
        (REJECTED if entry.rejected else 0) | (LOCKED if entry.locked else 0) | (SCOPED if entry.scope else 0)
    )


def draftable_flags(flags: int) -> bool:
    """``Entry.draftable`` from the flags: not rejected, and either not scoped or locked."""
    return not flags & REJECTED and (not flags & SCOPED or bool(flags & LOCKED))


NO_TOPIC, OTHER_TOPIC = 255, 254  # main-topic codes (``mains``) past TOPICS' own places
# main-subject codes (``main_subjects``): a place in facts.subjects.SUBJECTS, or one of these
NO_SUBJECT, SUBJECT_UNKNOWN = 255, 254  # names none; not known without its text
_TOPIC_CODES = {topic: code for code, topic in enumerate(TOPICS)}


def main_topic_code(topics: tuple[str, ...]) -> int:
    """The code of an entry's main (first) topic: its place in TOPICS, OTHER_TOPIC for a topic not
    there, NO_TOPIC for none."""
    return _TOPIC_CODES.get(topics[0], OTHER_TOPIC) if topics else NO_TOPIC


def main_topic_table(topics: tuple[str, ...] | frozenset[str]) -> bytes:
    """For ``bytes.translate``: 1 for the code of every main topic among ``topics``, else 0."""
    codes = {_TOPIC_CODES.get(topic, OTHER_TOPIC) for topic in topics}
    return bytes(int(code in codes) for code in range(256))


Maker = Callable[[list[int]], list[Entry]]  # builds the entries at these positions
T = TypeVar("T")
Column = Sequence[T] | Callable[[], Sequence[T]]  # a column, or what makes it when first asked for
# What decides whether a draft may use an entry, before its text is read: role, levels, years, flags.
Kind = tuple[str, tuple[str, ...], YearRange, int]
# A table's kinds, and per role its positions in id order with the kind (its place in the list) of each.
KindIndex = tuple[list[Kind], dict[str, tuple[Sequence[int], Sequence[int]]]]
Holding = Callable[[str], set[int] | None]  # positions whose stored entry holds a text (None: cannot tell)


class EntryTable(Sequence[Entry]):
    """Entries of a bank (a file, a folder or layered folders) in bank order.

    Columns (one value per entry): ``ids``, ``roles``, ``topics``, ``levels``, ``years``, ``styles``,
    ``flags`` (REJECTED | LOCKED | SCOPED), ``files`` (the bank file each came from), ``sizes`` (the
    text's length), ``braces`` (how many "{" it holds: slots, which a draft may fill with longer
    words) and ``shapes`` (facts.shape: how the text opens, for a text drafted as it stands). The whole-number columns may be arrays. Entries are built on first access by ``maker``."""

    __slots__ = (
        "ids",
        "_columns",
        "_made",
        "_maker",
        "_unbuilt",
        "_lock",
        "_holding",
        "_runs",
        "_facts",
        "_starts",
        "_kinds",
        "unique_ids",
        "id_span",
    )

    def __init__(
        self,
        *,
        ids: list[str],
        roles: Column[str],
        topics: Column[tuple[str, ...]],
        levels: Column[tuple[str, ...]],
        years: Column[YearRange],
        styles: Column[str | None],
        flags: Column[int],
        files: Column[Path | None],
        sizes: Column[int],
        braces: Column[int],
        shapes: Column[int],
        made: list[Entry | None],
        mains: bytes | Callable[[], bytes] | None = None,
        main_subjects: bytes | Callable[[], bytes] | None = None,
        maker: Maker | None = None,
        holding: Holding | None = None,
        facts: Callable[[int], Any] | None = None,
        kinds: KindIndex | None = None,
    ) -> None:
        self.ids = ids
        # every other column, or what makes it when first asked for (a draft never reads most of them)
        self._columns: dict[str, Column[Any]] = {
            "roles": roles,
            "topics": topics,
            "levels": levels,
            "years": years,
            "styles": styles,
            "flags": flags,
            "files": files,
            "sizes": sizes,
            "braces": braces,
            "shapes": shapes,
            # each entry's main_topic_code, as bytes: a search filters them at C speed (bytes.translate)
            "mains": mains if mains is not None else lambda: bytes(map(main_topic_code, self.topics)),
            # each entry's main subject, where the load cache knows it (else SUBJECT_UNKNOWN)
            "main_subjects": main_subjects
            if main_subjects is not None
            else lambda: bytes([SUBJECT_UNKNOWN]) * len(self.ids),
        }
        self._made = made
        self._maker = maker
        self._holding = holding
        self._unbuilt = made.count(None)
        self._lock = threading.Lock()  # the web server's threads may ask for entries at once
        self._runs: list[tuple[EntryTable, range | list[int]]] | None = None  # what a chain is made of
        self._starts: list[int] = []  # where each of a chain's runs begins
        self._facts = facts
        self._kinds = kinds
        self.unique_ids = False  # known to hold no id twice (a loaded bank; see kinds())
        # (lowest, highest) id when the table is known to hold no id twice (bank.load tells files apart by it)
        self.id_span: tuple[str, str] | None = None

    def _column(self, name: str) -> Any:
        found = self._columns[name]
        if callable(found):  # made now (two threads at once make equal columns)
            found = self._columns[name] = found()
        return found

    @property
    def roles(self) -> Sequence[str]:
        return self._column("roles")  # type: ignore[no-any-return]

    @property
    def topics(self) -> Sequence[tuple[str, ...]]:
        return self._column("topics")  # type: ignore[no-any-return]

    @property
    def levels(self) -> Sequence[tuple[str, ...]]:
        return self._column("levels")  # type: ignore[no-any-return]

    @property
    def years(self) -> Sequence[YearRange]:
        return self._column("years")  # type: ignore[no-any-return]

    @property
    def styles(self) -> Sequence[str | None]:
        return self._column("styles")  # type: ignore[no-any-return]

    @property
    def flags(self) -> Sequence[int]:
        return self._column("flags")  # type: ignore[no-any-return]

    @property
    def files(self) -> Sequence[Path | None]:
        return self._column("files")  # type: ignore[no-any-return]

    @property
    def sizes(self) -> Sequence[int]:
        return self._column("sizes")  # type: ignore[no-any-return]

    @property
    def braces(self) -> Sequence[int]:
        return self._column("braces")  # type: ignore[no-any-return]

    @property
    def shapes(self) -> Sequence[int]:
        return self._column("shapes")  # type: ignore[no-any-return]

    @property
    def mains(self) -> bytes:
        return self._column("mains")  # type: ignore[no-any-return]

    @property
    def main_subjects(self) -> bytes:
        return self._column("main_subjects")  # type: ignore[no-any-return]

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
            files=[e.file for e in entries],
            sizes=[len(e.text) for e in entries],
            braces=[e.text.count("{") for e in entries],
            shapes=[text_shape(e.text) for e in entries],
            made=list(entries),
        )

    @classmethod
    def chain(cls, runs: list[tuple[EntryTable, range | list[int]]]) -> EntryTable:
        """A table of the entries at the given positions of the given tables, in that order (each run a
        table and its positions); the entries are built through their own tables."""
        flat: list[tuple[EntryTable, range | list[int]]] = []
        for table, positions in runs:
            if not len(positions):
                continue
            if table._runs is not None and positions == range(len(table)):
                flat.extend(table._runs)  # the whole of a chain: its own runs, so columns are copied once
            else:
                flat.append((table, positions))
        runs = flat
        if len(runs) == 1 and runs[0][1] == range(len(runs[0][0])):
            return runs[0][0]  # the whole of one table, in order
        made: list[Entry | None] = []
        starts: list[int] = []  # where each run begins in the new table
        for table, positions in runs:
            starts.append(len(made))
            made.extend(_pick(table._made, table, positions))

        def column(name: str) -> Callable[[], list[Any]]:
            def make() -> list[Any]:  # the runs' own columns, joined when first asked for
                out: list[Any] = []
                for table, positions in runs:
                    out.extend(_pick(getattr(table, name), table, positions))
                return out

            return make

        ids = column("ids")()

        def maker(wanted: list[int]) -> list[Entry]:
            pieces: list[tuple[EntryTable, range | list[int]]] = []  # in order: a table, its positions
            for first, last in stretches(wanted):  # neighbours go together, run by run
                run = bisect_right(starts, first) - 1
                while first <= last:
                    table, positions = runs[run]
                    stop = min(last, starts[run] + len(positions) - 1)
                    pieces.append((table, positions[first - starts[run] : stop - starts[run] + 1]))
                    first, run = stop + 1, run + 1
            by_table: dict[int, tuple[EntryTable, list[int]]] = {}
            for table, local in pieces:  # each table builds all it is asked for at once
                by_table.setdefault(id(table), (table, []))[1].extend(local)
            for table, indexes in by_table.values():
                table._build(indexes)
            out: list[Entry] = []
            for table, local in pieces:
                if isinstance(local, range) and local.step == 1:
                    out.extend(table._made[local.start : local.stop])  # type: ignore[arg-type]
                else:
                    out.extend(table._made[i] for i in local)  # type: ignore[misc]
            return out

        def holding(needle: str) -> set[int]:
            found: set[int] = set()
            for start, (table, positions) in zip(starts, runs, strict=True):
                hits = table.holding(needle)
                if hits is None:  # that table cannot tell: all of its entries may hold it
                    found.update(range(start, start + len(positions)))
                elif isinstance(positions, range) and positions.step == 1:
                    found.update(start + i - positions.start for i in hits if i in positions)
                else:
                    found.update(start + k for k, i in enumerate(positions) if i in hits)
            return found

        chained = cls(
            ids=ids,
            roles=column("roles"),
            topics=column("topics"),
            levels=column("levels"),
            years=column("years"),
            styles=column("styles"),
            flags=column("flags"),
            files=column("files"),
            sizes=column("sizes"),
            braces=column("braces"),
            shapes=column("shapes"),
            made=made,
            mains=lambda: b"".join(bytes(_pick(table.mains, table, positions)) for table, positions in runs),
            main_subjects=lambda: b"".join(
                bytes(_pick(table.main_subjects, table, positions)) for table, positions in runs
            ),
            maker=maker,
            holding=holding,
        )
        chained._runs, chained._starts = runs, starts
        return chained

    # -- building --------------------------------------------------------------------------------

    def holding(self, needle: str) -> set[int] | None:
        """Positions of the entries whose stored form holds ``needle`` anywhere (in its text or another
        field): every entry whose text holds it is among them. None when the table cannot tell without
        building its entries."""
        return self._holding(needle) if self._holding is not None else None

    def kinds(self) -> KindIndex:
        """The table's own kinds of entry (role, levels, years, flags) and, per role, its entries'
        positions in id order (table order where an id repeats) with the kind of each. A draft ranks a
        role's entries in id order among the kinds that suit it: with this it needs no pass over every
        entry. Worked out once (kept in the load cache for a cached file). Not for a chain: see
        ``kind_runs``."""
        if self._kinds is None:
            kinds: dict[Kind, int] = {}
            by_role: dict[str, list[int]] = {}
            codes: list[int] = []
            for i, kind in enumerate(zip(self.roles, self.levels, self.years, self.flags, strict=True)):
                codes.append(kinds.setdefault(kind, len(kinds)))
                by_role.setdefault(kind[0], []).append(i)
            ids = self.ids
            index: dict[str, tuple[Sequence[int], Sequence[int]]] = {}
            for role, positions in by_role.items():
                positions.sort(key=ids.__getitem__)  # stable: a repeated id keeps table order
                index[role] = (positions, [codes[i] for i in positions])
            self._kinds = (list(kinds), index)
        return self._kinds

    def kind_runs(self) -> Iterator[tuple[KindIndex, int, dict[int, int] | None]]:
        """For each table this one is made of (itself when it is no chain): its kinds, the number to
        add to its positions, and for a run of scattered positions where each of them lies here."""
        if self._runs is None:
            yield self.kinds(), 0, None
            return
        for start, (table, positions) in zip(self._starts, self._runs, strict=True):
            if isinstance(positions, range) and positions.step == 1 and positions == range(len(table)):
                yield from ((index, shift + start, keep) for index, shift, keep in table.kind_runs())
            else:  # some entries of the table (a layer's that an earlier layer overrides are left out)
                here = {p: start + k for k, p in enumerate(positions)}
                for index, shift, keep in table.kind_runs():
                    mapping: dict[int, int] = {}
                    for leaf_positions, _ in index[1].values():
                        for p in leaf_positions:
                            t = p + shift if keep is None else keep.get(p)
                            if t is not None and t in here:
                                mapping[p] = here[t]
                    yield index, 0, mapping

    def facts_of(self, index: int) -> Any:
        """What the load cache keeps of the entry at ``index`` for a draft (bank.cache: its subjects'
        counts and dated terms), or None."""
        if self._runs is not None:
            run = bisect_right(self._starts, index) - 1
            table, positions = self._runs[run]
            return table.facts_of(positions[index - self._starts[run]])
        return self._facts(index) if self._facts is not None else None

    def has(self, index: int) -> bool:
        """Is the entry at ``index`` built already?"""
        return self._made[index] is not None

    def build(self, positions: list[int]) -> None:
        """Build the entries at ``positions`` now, together (far cheaper than one by one)."""
        self._build(positions)

    def _build(self, positions: list[int]) -> None:
        made = self._made
        if all(made[i] is not None for i in positions):
            return
        with self._lock:
            self._build_locked(positions)

    def _build_locked(self, positions: list[int]) -> None:
        made = self._made
        missing = [i for i in positions if made[i] is None]
        if not missing:
            return
        assert self._maker is not None
        collecting = gc.isenabled()
        gc.disable()  # new objects only, no cycles: the collector would walk the whole heap again and again
        try:
            for start in range(0, len(missing), _SLAB):  # bounded work and memory per step
                some = missing[start : start + _SLAB]
                for i, entry in zip(some, self._maker(some), strict=True):
                    made[i] = entry
        finally:
            if collecting:
                gc.enable()
        self._unbuilt -= len(missing)
        if self._unbuilt == 0:
            self._maker = None  # every entry built: let go of the cache file's bytes

    def built(self) -> int:
        """How many entries have been built so far (for tests and benchmarks)."""
        return len(self._made) - self._unbuilt

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
