"""Bank stage: filter entries (``bank list``/``search``), find one with every layer that
holds it (``bank show``), and count them (``bank stats``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from drafter.bank.index import bank_index
from drafter.bank.load import load_bank, load_bank_dir
from drafter.bank.rows import LOCKED, REJECTED, EntryTable
from drafter.bank.schema import ROLES
from drafter.errors import BankError
from drafter.facts.topics import TOPICS
from drafter.facts.vocab import level_values, render_slots
from drafter.models import LEVELS, MAX_YEAR, MIN_YEAR, Bank, Entry
from drafter.resources import bundled_bank_dir


@dataclass(frozen=True)
class EntryFilter:
    """What ``bank list``/``search``/``stats`` keep. Every given criterion must hold."""

    role: str | None = None
    topics: tuple[str, ...] = ()  # the entry has all of them
    level: str | None = None
    year: int | None = None
    pattern: re.Pattern[str] | None = None
    include_rejected: bool = False
    rendered: bool = True  # also search texts with slots as rendered per level (False: cannot help)
    literal: str | None = None  # the pattern's plain text when it is not a regex (a faster test)

    def matches(self, entry: Entry) -> bool:
        if entry.rejected and not self.include_rejected:
            return False
        if self.role is not None and entry.role != self.role:
            return False
        if self.topics and not all(t in entry.topics for t in self.topics):
            return False
        if self.level is not None and self.level not in entry.levels:
            return False
        if self.year is not None and self.year not in entry.years:
            return False
        if self.pattern is None:
            return True
        if self.pattern.search(entry.text):
            return True
        return self.rendered and any(self.pattern.search(t) for t in searchable_texts(entry)[1:])


def make_filter(
    *,
    role: str | None = None,
    topics: Iterable[str] = (),
    level: str | None = None,
    year: int | None = None,
    text: str | None = None,
    regex: bool = False,
    include_rejected: bool = False,
) -> EntryFilter:
    """Build a filter from CLI values. ``text`` is a substring, or a regular expression with ``regex``.

    Raises BankError on an unknown role, topic or level, an impossible year, or a bad regex."""
    topics = tuple(topics)
    if role is not None and role not in ROLES:
        raise BankError(f"未知角色：{role}", hint=f"可用角色：{'、'.join(ROLES)}。")
    bad = [t for t in topics if t not in TOPICS]
    if bad:
        raise BankError(f"未知主题：{'、'.join(bad)}", hint=f"可用主题：{'、'.join(TOPICS)}。")
    if level is not None and level not in LEVELS:
        raise BankError(f"未知层级：{level}", hint="层级只能是 市、县、区。")
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise BankError(f"年份 {year} 超出范围", hint=f"drafter 支持 {MIN_YEAR}–{MAX_YEAR} 年的会议。")
    pattern = None
    if text:
        try:
            pattern = re.compile(text if regex else re.escape(text))
        except re.error as e:
            raise BankError(
                f"正则表达式写法不对：{e}", hint="不用正则时去掉 --regex，按普通文字查找。"
            ) from e
    # A plain text sharing no character with any level word matches a rendered text only where it
    # matches the stored one: rendering every entry with slots would be wasted.
    rendered = regex or bool(text and set(text) & _slot_chars())
    return EntryFilter(
        role=role,
        topics=topics,
        level=level,
        year=year,
        pattern=pattern,
        include_rejected=include_rejected,
        rendered=rendered,
        literal=text if text and not regex else None,
    )


@cache
def _level_values() -> tuple[dict[str, str], ...]:
    return tuple(level_values(level) for level in LEVELS)


@cache
def _slot_chars() -> frozenset[str]:
    return frozenset("".join(word for values in _level_values() for word in values.values()))


def searchable_texts(entry: Entry) -> list[str]:
    """The text as stored and, when it holds slots, as rendered for each level (全县、县委 …)."""
    if "{" not in entry.text:
        return [entry.text]
    return [entry.text, *(render_slots(entry.text, values) for values in _level_values())]


_TEXT = attrgetter("text")


def filter_entries(entries: Iterable[Entry] | Bank, entry_filter: EntryFilter) -> list[Entry]:
    """The entries ``entry_filter`` keeps, in bank order. Given a Bank, its index narrows them first.

    Same result as ``[e for e in entries if entry_filter.matches(e)]``; the common cases (nothing but
    the rejected flag to check, a plain text to find) run without a Python call per entry, and a Bank's
    entries are built only for the positions its columns keep."""
    f = entry_filter
    if isinstance(entries, Bank):
        table, positions = _kept(entries, f)
        if f.literal is not None and (hits := table.holding(f.literal)) is not None:
            # only entries whose stored form holds the text, and (when a rendering may hold it) those
            # with slots, are built and searched
            braces = table.braces
            positions = [i for i in positions if i in hits or (f.rendered and braces[i])]
        if isinstance(positions, range):  # the whole table: built at once, in order
            pool: Sequence[Entry] = list(table)
        else:
            table.build(positions)  # together: far cheaper than one by one
            pool = [table[i] for i in positions]
        if f.pattern is None:
            return list(pool)
    else:
        criteria = replace(f, pattern=None)
        pool = [e for e in entries if criteria.matches(e)]
        if f.pattern is None:
            return pool
    return _find_text(pool, f)


def select_table(bank: Bank, entry_filter: EntryFilter) -> EntryTable:
    """The entries of ``bank`` that every criterion but the text keeps, as a table: its columns are there
    at once and no entry is built (``bank stats``). Raises ValueError for a filter with a text."""
    if entry_filter.pattern is not None:
        raise ValueError("select_table does not search texts: use filter_entries")
    table, positions = _kept(bank, entry_filter)
    return EntryTable.chain([(table, positions)])


def _kept(bank: Bank, f: EntryFilter) -> tuple[EntryTable, range | list[int]]:
    """The bank's entries as a table, and the positions every criterion but the text keeps."""
    table = EntryTable.of(bank.entries)
    if f.role is not None or f.topics or f.level is not None or f.year is not None:
        index = bank_index(bank)
        return table, index.positions(
            role=f.role, topics=f.topics, level=f.level, year=f.year, include_rejected=f.include_rejected
        )
    if f.include_rejected or not any(flag & REJECTED for flag in set(table.flags)):
        return table, range(len(table))
    return table, [i for i, flag in enumerate(table.flags) if not flag & REJECTED]


def _find_text(pool: Sequence[Entry], f: EntryFilter) -> list[Entry]:
    """The entries of ``pool`` whose text (or, with ``f.rendered``, a rendering of it) holds f's text."""
    assert f.pattern is not None
    if f.literal is not None:
        literal = f.literal
        direct = [literal in text for text in map(_TEXT, pool)]
    else:
        search = f.pattern.search
        direct = [search(text) is not None for text in map(_TEXT, pool)]
    if not f.rendered:
        return [e for e, hit in zip(pool, direct, strict=True) if hit]
    search = f.pattern.search
    return [
        e
        for e, hit in zip(pool, direct, strict=True)
        if hit or ("{" in e.text and any(search(t) for t in searchable_texts(e)[1:]))
    ]


def excerpt(text: str, width: int) -> str:
    """The first ``width`` characters of a text, with … when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


# --- show ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """One entry as a layer holds it, with its file and 1-based line."""

    entry: Entry
    root: Path
    bundled: bool
    file: Path | None
    line: int | None


@dataclass(frozen=True)
class ShownEntry:
    """An entry in use (the first layer's) and every layer that holds its id, user first."""

    entry: Entry
    layers: tuple[Located, ...] = field(default=())


def entry_line(path: Path, entry_id: str) -> int | None:
    """1-based line of an entry's ``- id:`` in a bank file, or None."""
    from drafter.bank.nodes import entry_items, parse_bank_text, read_bank_text  # PyYAML: only here

    try:
        parsed = parse_bank_text(read_bank_text(path), path=path)
    except BankError:
        return None
    for node, raw in entry_items(parsed):
        if isinstance(raw, dict) and raw.get("id") == entry_id:
            return int(node.start_mark.line) + 1
    return None


def show_entry(entry_id: str, *, bank: Bank) -> ShownEntry:
    """The entry with this id and every layer of ``bank`` that holds it. Raises BankError if none does."""
    bundled = bundled_bank_dir().resolve()
    located: list[Located] = []
    for root in bank.roots:
        entries, _ = load_bank_dir(root)
        for entry in entries:
            if entry.id == entry_id:
                line = entry_line(entry.file, entry_id) if entry.file else None
                located.append(Located(entry, root, root.resolve() == bundled, entry.file, line))
    if not located:
        raise BankError(
            f"找不到 id 为「{entry_id}」的条目", hint="用 drafter bank search 文字 查找条目的 id。"
        )
    return ShownEntry(entry=located[0].entry, layers=tuple(located))


# --- stats --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankStats:
    total: int
    locked: int
    rejected: int
    by_role: dict[str, int]
    by_topic: dict[str, int]
    by_level: dict[str, int]
    by_years: dict[str, int]  # the years field as written; "不限" when open
    by_year: dict[int, int]  # meeting year -> entries that suit it
    by_root: dict[Path, int]


def bank_stats(entries: Iterable[Entry], *, roots: Iterable[Path] = ()) -> BankStats:
    """Counts by role, topic, level, years field, meeting year and layer (in ROLES/TOPICS order).

    Entries share their tuples, year ranges and file paths, so each distinct value is counted once and
    expanded after: no per-entry path resolution (a 100k-entry bank has a dozen files)."""
    # Counted from the table's columns: a cached bank's table builds no entry for it.
    table = EntryTable.of(entries if isinstance(entries, Sequence) else list(entries))
    flags = Counter(table.flags)
    roles = Counter(table.roles)
    topics = _spread(Counter(table.topics))
    levels = _spread(Counter(table.levels))
    spans = _count_by_identity(table.years)  # the loader shares equal year ranges: counted by object
    years: Counter[str] = Counter()
    for span, n in spans.items():
        years["不限" if span.start is None and span.end is None else str(span)] += n
    resolved = [r.resolve() for r in roots]
    by_root: Counter[Path] = Counter()
    for file, n in _count_by_identity(table.files).items():
        path = file.resolve()
        for root in resolved:
            if path.is_relative_to(root):
                by_root[root] += n
                break
    return BankStats(
        total=len(table),
        locked=sum(n for flag, n in flags.items() if flag & LOCKED),
        rejected=sum(n for flag, n in flags.items() if flag & REJECTED),
        by_role={r: roles[r] for r in ROLES if roles[r]},
        by_topic={t: topics[t] for t in TOPICS if topics[t]},
        by_level={v: levels[v] for v in LEVELS if levels[v]},
        by_years=dict(sorted(years.items(), key=lambda kv: (kv[0] != "不限", kv[0]))),
        by_year={y: sum(n for span, n in spans.items() if y in span) for y in range(MIN_YEAR, MAX_YEAR + 1)},
        by_root={r: by_root[r] for r in resolved},
    )


def _spread(groups: Counter[tuple[str, ...]]) -> Counter[str]:
    """Counts of tuples (topics, levels) as counts of their members."""
    out: Counter[str] = Counter()
    for group, n in groups.items():
        for member in group:
            out[member] += n
    return out


def _count_by_identity(values: Sequence[Any]) -> dict[Any, int]:
    """Counts of equal values, hashed by object identity first (objects the loader shares, or whose hash
    is Python code: YearRange, Path), then merged by value; None left out."""
    objects = dict(zip(map(id, values), values, strict=True))
    out: dict[Any, int] = {}
    for key, n in Counter(map(id, values)).items():
        value = objects[key]
        if value is not None:
            out[value] = out.get(value, 0) + n
    return out


def load_layered(bank: Path | None) -> Bank:
    """The layered bank for a command's ``--bank`` (then DRAFTER_BANK, then bundled). Raises BankError."""
    return load_bank(user_dirs=[bank] if bank is not None else None)
