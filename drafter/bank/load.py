"""Load a phrase bank fast (libyaml's C loader when present, a per-file load cache in drafter.bank.cache)
and layer a user's bank over the bundled one."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from drafter.bank.cache import id_span, read_cached, write_cached
from drafter.bank.rows import EntryTable
from drafter.bank.schema import entry_from_mapping, skeleton_from_mapping
from drafter.errors import BankError, yaml_error_location
from drafter.models import Bank, Entry, Skeleton
from drafter.resources import bundled_bank_dir


def yaml_loader() -> Any:
    """libyaml's C loader when PyYAML has it. PyYAML is imported only on a cache miss."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
_COLLECTIONS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
# Scalar tags whose safe constructor is a plain function of the node (no generator, no recursion).
_SCALARS = (
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
)
_NO_KEY = object()
_IMMUTABLE = (_SCALARS[0], _SCALARS[1], _SCALARS[2], _SCALARS[3])  # null, bool, int, float
_MAX_KNOWN = 1024


class _Fallback(Exception):
    """The text needs PyYAML's own composer and constructor (anchors, merge keys, other tags, errors)."""


def load_yaml_text(text: str, loader: Any, items: Callable[[Any, Any], Any] | None = None) -> Any:
    """``yaml.load(text, Loader=loader)``, built straight from libyaml's parse events when ``loader`` is
    the C loader and the document is plain (maps, lists, scalars; no anchors, merge keys or unusual
    tags): the same data, faster, and without holding the whole node tree (its marks cost ~500 bytes a
    scalar). Anything else, and every error, goes through PyYAML itself, so results and messages are
    PyYAML's own.

    ``items(key, item)``, on that fast path only: each collection in the list under a top-level key,
    as soon as it is read, is replaced by what this returns (a bank file's entries are built one by one,
    each mapping let go at once instead of all held until the end). When it raises, the text is read
    again by PyYAML with every item as read: a caller takes items of either kind."""
    import yaml

    if getattr(loader, "__name__", "") == "CSafeLoader":
        try:
            return _load_events(loader(text), yaml, items)
        except Exception:  # noqa: BLE001, S110 - PyYAML below gives its own result or error
            pass
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def _load_events(parser: Any, yaml: Any, items: Callable[[Any, Any], Any] | None) -> Any:
    from yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
    from yaml.nodes import ScalarNode

    try:
        constructors = {tag: parser.yaml_constructors[tag] for tag in _SCALARS}
        get, resolve = parser.get_event, parser.resolve
        # what resolve() answers without its per-call work: a quoted scalar, or a plain one whose first
        # character opens no implicit tag (Chinese text), is a str (no path resolvers, no wildcard)
        firsts = parser.yaml_implicit_resolvers
        plain = not parser.yaml_path_resolvers and None not in firsts
        # A bank repeats a few other plain scalars (0, 8, false, empty): each one's tag and value made once
        # per file (resolve() is then a function of the text; these values are immutable).
        known: dict[str, Any] = {}
        if type(get()) is not StreamStartEvent:
            raise _Fallback
        event = get()
        if type(event) is StreamEndEvent:
            return None
        if type(event) is not DocumentStartEvent:
            raise _Fallback
        stack: list[list[Any]] = []  # [container, pending key] of each open collection
        root: Any = None
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    raise _Fallback
                tag = event.tag
                made = _NO_KEY
                if tag is None or tag == "!":
                    value = event.value
                    if plain and (not event.implicit[0] or (value and value[0] not in firsts)):
                        tag = _STR
                    elif plain and event.implicit[0] and value in known:
                        made = known[value]
                    else:
                        tag = resolve(ScalarNode, value, event.implicit)
                if made is not _NO_KEY:
                    value = made
                elif tag == _STR:
                    value = event.value
                elif tag in constructors:
                    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
                    value = constructors[tag](parser, node)
                    if plain and event.implicit[0] and tag in _IMMUTABLE and len(known) < _MAX_KNOWN:
                        known[event.value] = value
                else:
                    raise _Fallback  # merge key <<, value key =, binary, custom tags
                is_collection = False
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag not in _COLLECTIONS:
                    raise _Fallback
                stack.append([{} if kind is MappingStartEvent else [], _NO_KEY])
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = stack.pop()[0]
                is_collection = True
                if items is not None and len(stack) == 2 and type(stack[1][0]) is list:
                    root_map = stack[0]
                    if type(root_map[0]) is dict:
                        value = items(root_map[1], value)  # an item of a top-level key's list
            elif kind is DocumentEndEvent and not stack:
                break
            else:
                raise _Fallback  # an alias
            if not stack:
                root = value
                continue
            top = stack[-1]
            if type(top[0]) is list:
                top[0].append(value)
            elif top[1] is _NO_KEY:
                if is_collection:
                    raise _Fallback  # a collection as a key
                top[1] = value
            else:
                top[0][top[1]] = value
                top[1] = _NO_KEY
        if type(get()) is not StreamEndEvent:
            raise _Fallback  # more than one document: PyYAML reports it
        return root
    finally:
        parser.dispose()


BANK_ENV = "DRAFTER_BANK"
BANK_SUFFIXES = (".yaml", ".yml")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive: its passes
    grow with the heap, which made loading 100k entries 2.5 times slower."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def bank_files(folder: Path) -> list[Path]:
    """The YAML files of a bank folder (recursively), sorted for a stable order."""
    return sorted(p for p in folder.rglob("*") if p.suffix in BANK_SUFFIXES and p.is_file())


def read_bank_file(path: Path, items: Callable[[Any, Any], Any] | None = None) -> dict[str, Any]:
    """Parse one bank file (``items``: as ``load_yaml_text``'s). Raises BankError with the 1-based line
    of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise BankError("语料库文件不是 UTF-8 编码", path=path, hint="请用编辑器另存为 UTF-8。") from e
    except OSError as e:
        raise BankError(
            f"无法读取语料库文件：{e.strerror or e}",
            path=path,
            hint="请检查文件权限，或用编辑器打开确认文件完好。",
        ) from e
    import yaml

    try:
        data = load_yaml_text(text, yaml_loader(), items)
    except yaml.YAMLError as e:
        problem, line = yaml_error_location(e)
        raise BankError(
            f"YAML 语法错误：{problem}",
            path=path,
            line=line,
            hint="检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对。",
        ) from e
    except (ValueError, TypeError, OverflowError) as e:  # a value YAML resolves but cannot build (2021-13-45)
        raise BankError(
            f"无法识别的值：{e}",
            path=path,
            hint="日期样的文字请加引号；运行 drafter bank check 可查到行号。",
        ) from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BankError(
            "语料库文件顶层应当是映射（entries: …）",
            path=path,
            line=1,
            hint="文件第一行写 entries:，下面每个条目以“- id: …”开头（见 docs/phrasebank.md）。",
        )
    return data


def _line_of_id(path: Path, entry_id: object) -> int | None:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if f"id: {entry_id}" in line:
                return number
    except OSError:
        return None
    return None


def load_bank_dir(folder: Path) -> tuple[EntryTable, list[Skeleton]]:
    """Entries and skeletons of one bank folder. Raises BankError on the first bad file or entry.
    The entries are a table (a tuple of entries, built as they are first wanted)."""
    table, skeletons, _ = _load_dir(folder)
    return table, skeletons


BankFile = tuple[Path, "EntryTable", list[Skeleton]]


def load_bank_files(folder: Path, *, write_cache: bool = True) -> list[BankFile]:
    """``load_bank_dir`` file by file: each file's path, entries and skeletons (all checked as there).
    ``write_cache=False``: files not in the load cache are not added to it (a merge about to change them)."""
    files: list[BankFile] = []
    _load_dir(folder, files, write_cache=write_cache)
    return files


class _Ids:
    """The entry ids of a folder so far. While every file's ids are known not to repeat and the files'
    ranges of ids (lowest to highest) do not overlap, no id can repeat: told from a few comparisons,
    not by hashing every id. Otherwise a set of every id and a count tell (at C speed)."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, str]] | None = []  # None once a set is needed
        self.tables: list[EntryTable] = []
        self._set: set[str] | None = None
        self._count = 0

    def add(self, table: EntryTable) -> bool:
        """Take in a file's ids; False when some id is now there twice."""
        self.tables.append(table)
        if not len(table):
            return True
        span = table.id_span
        if self.spans is not None and span is not None and not _overlaps(span, self.spans):
            self.spans.append(span)
            if self._set is not None:  # asked for already: kept whole
                self._set.update(table.ids)
                self._count += len(table)
            return True
        self.spans = None
        found = self.as_set()
        found.update(table.ids)
        self._count += len(table)
        return len(found) == self._count

    def as_set(self) -> set[str]:
        if self._set is None:
            self._set = set()
            for table in self.tables[:-1] if self.spans is None else self.tables:
                self._set.update(table.ids)
                self._count += len(table)
        return self._set

    def disjoint(self, other: _Ids) -> bool:
        """No id of ``other`` is one of these."""
        spans, others = self.spans, other.spans
        if spans is not None and others is not None and not any(_overlaps(s, spans) for s in others):
            return True
        # a set of the fewer ids, the others looked up in it (a set of a large bank's ids costs more)
        small, large = sorted((self, other), key=lambda ids: sum(map(len, ids.tables)))
        found = small.as_set()
        return all(found.isdisjoint(table.ids) for table in large.tables)


def _overlaps(span: tuple[str, str], spans: list[tuple[str, str]]) -> bool:
    low, high = span
    return any(low <= other_high and other_low <= high for other_low, other_high in spans)


def _load_dir(
    folder: Path, files: list[BankFile] | None = None, *, write_cache: bool = True
) -> tuple[EntryTable, list[Skeleton], _Ids]:
    """``load_bank_dir``, and the folder's entry ids; ``files`` gets each file's path, entries and
    skeletons."""
    if not folder.exists():
        raise BankError("语料库文件夹不存在", path=folder, hint="请检查 --bank 或 DRAFTER_BANK 的路径。")
    if not folder.is_dir():
        raise BankError("语料库应当是一个文件夹", path=folder, hint="--bank 请给出存放 .yaml 文件的文件夹。")
    if files is None:
        files = []
    # Each file is checked as it comes (_Ids): when it brings a repeat, the files so far are gone through
    # in order to name it and both its places.
    ids = _Ids()
    skeleton_ids: set[str] = set()
    skeleton_count = 0
    with paused_gc():
        for path in bank_files(folder):
            file_entries, file_skeletons = _load_file(path, write_cache=write_cache)
            files.append((path, file_entries, file_skeletons))
            unique = ids.add(file_entries)
            skeleton_ids.update(s.id for s in file_skeletons)
            skeleton_count += len(file_skeletons)
            if not unique or len(skeleton_ids) != skeleton_count:
                entry_files: dict[str, Path] = {}
                skeleton_files: dict[str, Path] = {}
                for seen_path, seen_entries, seen_skeletons in files:
                    _no_duplicates(seen_entries.ids, seen_path, entry_files, "条目")
                    _no_duplicates([s.id for s in seen_skeletons], seen_path, skeleton_files, "骨架")
    table = EntryTable.chain([(entries, range(len(entries))) for _, entries, _ in files])
    return table, [s for _, _, file_skeletons in files for s in file_skeletons], ids


def _no_duplicates(ids: list[str], path: Path, first: dict[str, Path], what: str) -> None:
    """Raise BankError naming both FILE:LINEs when one of ``ids`` was already seen in this folder."""
    if first.keys().isdisjoint(ids) and len(set(ids)) == len(ids):  # the usual case, at C speed
        first.update(dict.fromkeys(ids, path))
        return
    in_file: set[str] = set()
    for item_id in ids:
        earlier = first.setdefault(item_id, path)
        if earlier is path and item_id not in in_file:
            in_file.add(item_id)
            continue
        lines = _id_lines(path, item_id)
        if earlier is path:  # twice in the same file
            one = f"{path}:{lines[0] if lines else '?'}"
            two_line = lines[1] if len(lines) > 1 else None
        else:
            earlier_lines = _id_lines(earlier, item_id)
            one = f"{earlier}:{earlier_lines[0] if earlier_lines else '?'}"
            two_line = lines[0] if lines else None
        raise BankError(
            f"{what} id「{item_id}」重复：{one} 和 {path}:{two_line or '?'} 用了同一个 id",
            path=path,
            line=two_line,
            hint="同一个语料库中每个 id 只能出现一次：删去或改掉其中一个；drafter bank check 可列出全部问题。",
        )


def _id_lines(path: Path, entry_id: str) -> list[int]:
    """1-based lines of ``path`` where ``id: <entry_id>`` is written."""
    import re

    pattern = re.compile(rf"^\s*(?:-\s+)?id:\s*['\"]?{re.escape(entry_id)}['\"]?\s*(?:#.*)?$")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


def _load_file(path: Path, *, write_cache: bool = True) -> tuple[EntryTable, list[Skeleton]]:
    """One bank file: from the load cache when it is fresh, else parsed (and then cached)."""
    try:
        st = path.stat()
    except OSError:
        st = None  # read_bank_file reports it
    if st is not None and (cached := read_cached(path, st, lambda p: _parse_file(p)[0])) is not None:
        return cached
    entries, skeletons = _parse_file(path)
    table = EntryTable.of(entries)
    if st is not None and write_cache:
        write_cached(path, st, entries, skeletons, table)
    table.id_span = id_span(table.ids)
    return table, skeletons


def _parse_file(path: Path) -> tuple[list[Entry], list[Skeleton]]:
    """One bank file read and checked (no cache). Raises BankError."""
    build = _ItemBuilder(path)
    data = read_bank_file(path, build)
    entries: list[Entry] = []
    skeletons: list[Skeleton] = []
    raw_entries = data.get("entries") or []
    if not isinstance(raw_entries, list):
        raise BankError("entries 应当是列表", path=path, hint="每个条目以“- id: …”开头。")
    for raw in raw_entries:
        if isinstance(raw, Entry):  # built as it was read
            entries.append(raw)
            continue
        try:
            entries.append(build.entry(raw))
        except BankError as e:
            entry_id = raw.get("id") if isinstance(raw, dict) else None
            e.line = e.line or _line_of_id(path, entry_id)
            e.hint = e.hint or "运行 drafter bank check 可一次列出全部问题。"
            raise
    raw_skeletons = data.get("skeletons") or []
    if not isinstance(raw_skeletons, list):
        raise BankError("skeletons 应当是列表", path=path, hint="每个骨架以“- id: …”开头，含 parts。")
    for raw in raw_skeletons:
        if isinstance(raw, Skeleton):
            skeletons.append(raw)
            continue
        try:
            skeletons.append(skeleton_from_mapping(raw, path=path))
        except BankError as e:
            e.line = e.line or _line_of_id(path, raw.get("id") if isinstance(raw, dict) else None)
            e.hint = e.hint or "骨架由 drafter mine 生成，一般不必手改；可删去这个骨架后重新挖掘。"
            raise
    return entries, skeletons


_SHARED_FIELDS = ("role", "topics", "levels", "years", "source", "scope", "style")


class _ItemBuilder:
    """A bank file's entries and skeletons built as each is read (``load_yaml_text``'s ``items``).
    Entries that hold equal roles, topics, years or sources hold the same object (as the load cache
    gives them): a parsed 100k-entry bank is tens of MB smaller."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shared: dict[object, object] = {}

    def __call__(self, key: Any, raw: Any) -> Any:
        if key == "entries":
            return self.entry(raw)
        if key == "skeletons":
            return skeleton_from_mapping(raw, path=self.path)
        return raw

    def entry(self, raw: Any) -> Entry:
        entry = entry_from_mapping(raw, path=self.path)
        share_fields(entry, _SHARED_FIELDS, self.shared)
        return entry


def share_fields(entry: Entry, names: Sequence[str], shared: dict[object, object]) -> None:
    """The entry's ``names`` fields made the objects ``shared`` holds for equal values (those it did not
    hold yet are added): many entries then hold one tuple of topics, one YearRange ... An equal value
    leaves the entry equal."""
    for name in names:
        value = getattr(entry, name)
        same = shared.setdefault(value, value)
        if same is not value:
            object.__setattr__(entry, name, same)


def load_bank(*, user_dirs: list[Path] | None = None, include_bundled: bool = True) -> Bank:
    """Layered bank: the user's folders (``--bank``, then ``DRAFTER_BANK``) first, the bundled bank after.

    An entry whose id appears in an earlier layer overrides the later one. Raises BankError.
    """
    roots: list[Path] = list(user_dirs or [])
    env = os.environ.get(BANK_ENV)
    if env:
        roots.append(Path(env))
    if include_bundled:
        roots.append(bundled_bank_dir())
    earlier: list[_Ids] = []  # the ids of each layer so far
    runs: list[tuple[EntryTable, range | list[int]]] = []
    skeletons: dict[str, Skeleton] = {}
    unique_roots: list[Path] = []
    for root in roots:
        resolved = root.resolve()
        if resolved in unique_roots:
            continue
        unique_roots.append(resolved)
        entries, layer_skeletons, ids = _load_dir(root)
        if all(layer.disjoint(ids) for layer in earlier):  # the usual case: no id of an earlier layer again
            runs.append((entries, range(len(entries))))
        else:
            seen = set().union(*(layer.as_set() for layer in earlier))
            runs.append((entries, [i for i, entry_id in enumerate(entries.ids) if entry_id not in seen]))
        earlier.append(ids)
        for skeleton in layer_skeletons:
            skeletons.setdefault(skeleton.id, skeleton)
    entries = EntryTable.chain(runs)
    entries.unique_ids = True  # each folder's ids are checked, and a later layer's repeats are left out
    return Bank(
        entries=entries,
        skeletons=tuple(skeletons.values()),
        roots=tuple(unique_roots),
    )
