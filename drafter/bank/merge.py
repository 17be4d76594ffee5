"""Bank stage: merge mined candidates into a bank folder and save it.

- ids are stable (``<role>-<8 hex>`` of the unit's original text), so a new run finds last run's entries;
- near-identical candidates of the same role (rapidfuzz ratio on the text without slots and punctuation)
  become one entry that keeps their sources, the first ``MAX_SOURCES`` places only (an entry's list never
  grows past that; the places left out are counted in ``MergePlan.unlisted``), so that memory and the
  bank follow the number of entries, not the size of the corpus;
- an entry marked ``locked`` or ``rejected`` is never touched; an entry whose text a person changed since
  the last run (the miner remembers what it wrote in ``.drafter-mine.json``) keeps that text and gets
  only new sources; other entries follow the miner;
- an existing file exactly as the miner writes it is changed and written directly (as a new file is);
  any other goes through ruamel.yaml's round-trip mode, so users' comments and key order survive; new
  files are ``<role>.yaml`` and ``skeletons.yaml`` with the schema line on top;
- every file is rendered and read back before any is put in place (a new file while it is staged, one
  at a time); all files are put in place together or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import partial
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from drafter.bank.load import load_bank_files, load_yaml_text, share_fields, yaml_loader
from drafter.bank.lock import bank_lock
from drafter.bank.near import INDEX_FROM, NearTexts, PairOrder, best_of_each, fast_alphabet
from drafter.bank.schema import (
    FIELD_ORDER,
    entry_from_mapping,
    entry_to_mapping,
    skeleton_to_mapping,
)
from drafter.bank.spool import Spool
from drafter.errors import BankError, yaml_error_location
from drafter.fsutil import write_files_atomic
from drafter.models import Entry, Skeleton

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

# ruamel.yaml (round-trip editing of existing files) and rapidfuzz are imported when first needed: a
# merge into a new folder writes its files directly and may need neither.

SCHEMA_LINE = "yaml-language-server: $schema=../docs/phrasebank.schema.json"
STATE_FILE = ".drafter-mine.json"
SKELETON_FILE = "skeletons.yaml"
SIMILARITY = 90  # rapidfuzz ratio (0–100) from which two texts of one role are the same entry
PROGRESS_EVERY = 500  # candidates merged between two reports to a caller's progress
MAX_SOURCES = (
    20  # places (FILE:LINE) listed per entry: the first ones seen; an entry already listing more keeps them
)
_LIST_FIELDS = ("topics", "levels", "source", "scope")
_MINED_FIELDS = ("topics", "levels", "years", "text", "style", "scope")

ChangeKind = Literal["added", "updated", "merged", "unchanged", "edited", "skipped"]
CHANGE_LABELS: dict[str, str] = {
    "added": "新增",
    "updated": "更新",
    "merged": "合并",
    "unchanged": "未变",
    "edited": "保留手工修改",
    "skipped": "跳过",
}


@dataclass(frozen=True)
class Change:
    """What merging one candidate did. ``entry`` is the entry as it is (or would be) in the bank."""

    kind: ChangeKind
    entry: Entry
    into: str | None = None  # the id it was merged into, when that is another entry's
    reason: str = ""


@dataclass
class MergePlan:
    """Everything a merge would write; ``write_merge`` writes it, a dry run only reports it."""

    bank_dir: Path
    changes: list[Change] = field(default_factory=list)  # what merging does to the bank's entries
    # the candidates merged into another candidate ("merged", in a temporary file: a large corpus has
    # thousands); they come first in ``all_changes``
    merged: Spool[Change] | Sequence[Change] = ()
    # path -> new text; a new file's is rendered (and read back) when written or asked for (``text``),
    # so that a large corpus's files are not all held as text at once
    files: dict[Path, str | Callable[[], Iterable[str]]] = field(default_factory=dict)
    new_files: set[Path] = field(default_factory=set)
    skeletons: dict[str, str] = field(
        default_factory=dict
    )  # skeleton id -> "added" / "updated" / "unchanged"
    state: dict[str, str] = field(default_factory=dict)
    unlisted: int = 0  # places where an entry was seen again but not listed (its list was full)

    def all_changes(self) -> Iterator[Change]:
        """Every change: the candidates merged among themselves first, then the bank's changes."""
        return chain(self.merged, self.changes)

    def count(self, kind: ChangeKind) -> int:
        return (len(self.merged) if kind == "merged" else 0) + sum(
            1 for change in self.changes if change.kind == kind
        )

    def text(self, path: Path) -> str:
        """The new text of one of ``files``."""
        text = self.files[path]
        return text if isinstance(text, str) else "".join(text())


@dataclass
class _Existing:
    entry: Entry
    path: Path
    mapping: CommentedMap | None  # in a file ruamel edits; else the entry is item ``index`` of its file
    index: int = 0


@dataclass
class _Doc:
    """A bank file being merged: a new one, or an existing one exactly as the miner writes it, as a plain
    ``{key: [Entry or Skeleton, ...]}`` (``items``: written directly, see ``_chunks``); any other
    existing one as ruamel's round-trip map, so that its comments and layout survive."""

    path: Path
    data: Any
    changed: bool = False
    new: bool = False
    items: bool = False  # data holds Entry and Skeleton objects
    direct: bool = False  # its text was written by _chunks (items one under another, no ruamel)
    read: list[Any] | None = None  # an existing file's items as read (checked when the bank was loaded)


# --- yaml ------------------------------------------------------------------------------------


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.allow_unicode = True
    y.width = 1_000_000  # never fold a long Chinese line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _plain(value: Any) -> Any:
    """ruamel's round-trip types -> plain Python (dict, list, str, int, bool)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _load_doc(path: Path, text: str) -> _Doc:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    try:
        data = _yaml().load(text)
    except YAMLError as e:
        problem, line = yaml_error_location(e)
        raise BankError(
            f"YAML 语法错误：{problem}",
            path=path,
            line=line,
            hint="请先修正这个文件再挖掘；drafter bank check 可列出全部问题。",
        ) from e
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise BankError("语料库文件顶层应当是映射（entries: …）", path=path, line=1)
    return _Doc(path, data)


def _new_doc(path: Path, key: str) -> _Doc:
    return _Doc(path, {key: []}, changed=True, new=True, items=True)


def _read_doc(path: Path, entries: Sequence[Entry], skeletons: list[Skeleton]) -> _Doc:
    """An existing bank file (its entries and skeletons as the bank loader read them): as those objects
    when the miner's own writing of them gives back the file's text byte for byte (written directly
    then: no ruamel, which takes seconds per MB), else as ruamel's round-trip map."""
    try:
        owned = _as_written(path, entries, skeletons)
        if owned is not None:
            return owned
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BankError(f"无法读取语料库文件：{e}", path=path) from e
    return _load_doc(path, text)


def _as_written(path: Path, entries: Sequence[Entry], skeletons: list[Skeleton]) -> _Doc | None:
    """The file as a doc of its items when its text is exactly the miner's writing of them. Made and
    compared a chunk at a time, the file read as far as it is the same: neither text is held whole (a
    large corpus's file is tens of MB, and its bytes and its text would be held together)."""
    if entries and not skeletons:
        key, items = "entries", list[Any](entries)
    elif skeletons and not entries:
        key, items = "skeletons", list[Any](skeletons)
    else:
        return None
    doc = _Doc(path, {key: items}, items=True, read=list(items))  # (read: the same objects, kept apart)
    with path.open(encoding="utf-8") as handle:  # (line ends read as read_text reads them)
        try:
            for chunk in _chunks(doc):
                if handle.read(len(chunk)) != chunk:
                    return None
        except _NotSimple:
            return None
        return doc if not handle.read(1) else None


def _items(doc: _Doc, key: str) -> Any:
    """The doc's list under ``key``, made when missing (a plain list in a doc of items, else ruamel's)."""
    if doc.items:
        return doc.data.setdefault(key, [])
    from ruamel.yaml.comments import CommentedSeq

    return doc.data.setdefault(key, CommentedSeq())


# A list item ruamel may write plain inside [...]: no flow or indicator characters (name.txt:12 is fine).
_PLAIN_FLOW_ITEM = re.compile(r"^(?!-)[^,\[\]{}#&*!|>'\"%@`?:\s]+(?::\d+)?$")


def _flow(values: Sequence[str]) -> CommentedSeq:
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    # ruamel writes some items plain that PyYAML then misreads ([:x], [? x]): quote anything unusual.
    seq = CommentedSeq(
        v if not isinstance(v, str) or _PLAIN_FLOW_ITEM.match(v) else DoubleQuotedScalarString(v)
        for v in values
    )
    seq.fa.set_flow_style()
    return seq


def _entry_map(entry: Entry) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    for key, value in entry_to_mapping(entry).items():
        out[key] = _flow(list(value)) if key in _LIST_FIELDS else value
    return out


def _set_fields(mapping: CommentedMap, entry: Entry, keys: Sequence[str]) -> None:
    """Write ``keys`` of ``entry`` into an existing mapping: in place when present, else in field order."""
    wanted = entry_to_mapping(entry)
    for key in keys:
        if key not in wanted:
            if key in mapping and key != "text":
                del mapping[key]
            continue
        value = _flow(list(wanted[key])) if key in _LIST_FIELDS else wanted[key]
        if key in mapping:
            if _plain(mapping[key]) != _plain(value):
                mapping[key] = value
            continue
        position = len(mapping)
        for index, existing in enumerate(mapping):
            if existing in FIELD_ORDER and FIELD_ORDER.index(existing) > FIELD_ORDER.index(key):
                position = index
                break
        mapping.insert(position, key, value)


def _dump(doc: _Doc) -> Iterable[str]:
    """A file's new text, in chunks, when it is written directly (``doc.direct``: told by rendering it
    once first): those chunks when the text is at most ``KEEP_RENDERED`` characters, else ``_chunks``'s
    made again as they are taken (a large corpus's skeletons are megabytes; 0.14 s more for 64 MB of
    speeches); else ruamel's text whole."""
    if doc.items:  # a file holding only what the miner built: written directly
        scalar = _Scalars()  # (shared by both renderings: ruamel's writing of a value is asked once)
        kept = _direct(doc, scalar)
        doc.direct = kept is not None
        if kept is not None:
            return kept if kept else _chunks(doc, scalar)
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        data = CommentedMap(doc.data)  # the same, with its entries and skeletons as ruamel maps
        data.yaml_set_start_comment(SCHEMA_LINE)
        for key, items in data.items():
            data[key] = CommentedSeq(_as_map(item) for item in items)
        return [_ruamel_dump(data)]
    return [_ruamel_dump(doc.data)]


def _as_map(item: Any) -> Any:
    """A new file holds its entries and skeletons as they are (far smaller than ruamel's maps)."""
    if isinstance(item, Entry):
        return _entry_map(item)
    if isinstance(item, Skeleton):
        return _skeleton_map(item)
    return item


def _commented(node: Any) -> bool:
    """Whether a ruamel node carries comments (without giving it a comment holder when it has none)."""
    if type(node) in (dict, list):
        return False  # a new file's own containers
    from ruamel.yaml.comments import Comment

    comment = getattr(node, Comment.attrib, None)
    return comment is not None and bool(comment.items or comment.comment or comment.end)


def _ruamel_dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


# --- writing a new file without ruamel's emitter (the same text, many times faster) ----------------
#
# A new file is the schema comment and one block sequence of block mappings whose values are scalars,
# flow sequences of scalars or (skeletons) a block sequence of such mappings. The layout is fixed by
# ``_yaml()``'s indents; a scalar is written plain when it is one of the shapes below (which ruamel
# writes plain too: no indicator, nothing that reads as another type), else exactly as ruamel writes it
# alone in the same context. Anything else (comments, empty or nested sequences, a line break in a
# scalar) falls back to ruamel for the whole file. Tests compare both on varied input.

_SAFE_FIRST = "\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e“”‘’"  # CJK text and its punctuation
_SAFE_REST = _SAFE_FIRST + "\u2014\u2026\u00b7A-Za-z0-9"
_PLAIN_BLOCK = re.compile(
    rf"[{_SAFE_FIRST}][{_SAFE_REST}{{}}%._+/()\-]*"  # CJK first; braces are indicators only when first
    r"|[a-z_]+-[0-9a-f]{8}"  # ids
    r"|[A-Za-z0-9_\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]*\.(?:txt|md|docx)"  # a skeleton's file
)
_PLAIN_FLOW = re.compile(
    rf"[{_SAFE_FIRST}][{_SAFE_REST}%._+/()\-]*"
    r"|[A-Za-z0-9_\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]*\.(?:txt|md|docx):\d+"  # FILE:LINE
)


# Shapes ruamel writes single-quoted (they would read as another type, or start with an indicator),
# checked against ruamel in the tests: a year or "-year" (years: '2026', '-2022') and a text that starts
# with a slot ({全市}要…) and holds only the characters of _PLAIN_BLOCK's text (no quote, space or break).
_QUOTED_BLOCK = re.compile(rf"-?[0-9]{{4}}|\{{[{_SAFE_REST}{{}}%._+/()\-]*")
_QUOTED_FLOW = re.compile(rf"\{{[{_SAFE_REST}{{}}%._+/()\-]*")
_PLAIN_YEARS = re.compile(r"[0-9]{4}-(?:[0-9]{4})?")  # years: 2021-2025, 2023-
# Roles and section names (review_item, parts_intro), not a word YAML reads as a boolean or null.
_PLAIN_WORD = re.compile(r"(?!(?:y|n|yes|no|on|off|true|false|null)$)[a-z]+(?:_[a-z]+)*")
# A flow item _flow makes double-quoted (时效：目前，{全市}): written as ruamel does when it holds none of
# the characters it escapes.
_DOUBLE_QUOTED = re.compile(rf"[{_SAFE_REST}{{}}%._+/()\-]*")

_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")


class _NotSimple(Exception):
    """The document holds something the direct writer leaves to ruamel."""


class _Scalars:
    """Scalars as ruamel writes them, in a block mapping's value or in a flow sequence (``quoted``: a
    flow item ``_flow`` makes a double-quoted scalar)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, bool, bool], str] = {}

    def __call__(self, value: Any, *, flow: bool, quoted: bool = False) -> str:
        if not quoted and type(value) is str:
            if (_PLAIN_FLOW if flow else _PLAIN_BLOCK).fullmatch(value) or _PLAIN_WORD.fullmatch(value):
                return value
            if (_QUOTED_FLOW if flow else _QUOTED_BLOCK).fullmatch(value):
                return f"'{value}'"
            if not flow and _PLAIN_YEARS.fullmatch(value):
                return value
        elif quoted and flow and type(value) is str and _DOUBLE_QUOTED.fullmatch(value):
            return f'"{value}"'
        if value is None:
            if flow:
                raise _NotSimple
            return ""
        if type(value) is bool:
            return "true" if value else "false"
        if type(value) is int:
            return str(value)
        if not isinstance(value, str):
            raise _NotSimple
        if _LINE_BREAK.search(value):
            raise _NotSimple  # its layout depends on the indent
        key = (value, flow, quoted or type(value) is not str)
        if key not in self._seen:
            self._seen[key] = self._probe(value, flow=flow, quoted=quoted)
        return self._seen[key]

    @staticmethod
    def _probe(value: str, *, flow: bool, quoted: bool) -> str:
        """How ruamel writes ``value`` alone in the same context."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        if quoted:
            value = DoubleQuotedScalarString(value)
        probe = CommentedMap()
        if flow:
            probe["k"] = CommentedSeq([value])
            probe["k"].fa.set_flow_style()
        else:
            probe["k"] = value
        text = _ruamel_dump(probe)
        head, tail = ("k: [", "]\n") if flow else ("k: ", "\n")
        if not (text.startswith(head) and text.endswith(tail)) or _LINE_BREAK.search(text[:-1]):
            raise _NotSimple
        return text[len(head) : -len(tail)]


def _direct(doc: _Doc, scalar: _Scalars) -> list[str] | None:
    """None when ``_chunks`` cannot write the whole file; else its chunks when they are at most
    ``KEEP_RENDERED`` characters in all, or [] (made and let go)."""
    kept: list[str] | None = []
    size = 0
    try:
        for chunk in _chunks(doc, scalar):
            if kept is not None:
                kept.append(chunk)
                size += len(chunk)
                if size > KEEP_RENDERED:
                    kept = None  # (too large to keep: made again when written)
    except _NotSimple:
        return None
    return [] if kept is None else kept


def _chunks(doc: _Doc, scalar: _Scalars | None = None) -> Iterator[str]:
    """A new file's text in chunks of whole items, about ``VERIFY_SLICE`` characters each, the first
    opening with the comment and the key line: the items one under another, each a block starting with
    ``"  - "`` at the start of a line. Raises _NotSimple (maybe after some chunks) for anything else."""
    data = doc.data
    if not isinstance(data, dict) or len(data) != 1 or _commented(data):
        raise _NotSimple
    [(key, items)] = data.items()
    if not isinstance(items, list) or not items or _commented(items):
        raise _NotSimple
    scalar = scalar or _Scalars()
    out = [f"# {SCHEMA_LINE}\n{key}:\n"]
    size = 0
    for item in items:
        if isinstance(item, Entry):
            text = _entry_text(item, scalar)
        elif isinstance(item, Skeleton):
            text = _skeleton_text(item, scalar)
        else:
            raise _NotSimple  # e.g. a ruamel map a caller put there (it may carry comments)
        out.append(text)
        size += len(text)
        if size >= VERIFY_SLICE:
            yield "".join(out)
            out, size = [], 0
    if out:
        yield "".join(out)


def _flow_text(values: Sequence[Any], scalar: _Scalars) -> str:
    # as _flow makes them: an item outside _PLAIN_FLOW_ITEM's shape is written double-quoted
    return ", ".join(
        scalar(v, flow=True, quoted=isinstance(v, str) and not _PLAIN_FLOW_ITEM.match(v)) for v in values
    )


def _block_value(key: str, value: Any, prefix: str, scalar: _Scalars) -> str:
    text = scalar(value, flow=False)
    return f"{prefix}{key}: {text}\n" if text else f"{prefix}{key}:\n"


def _entry_text(entry: Entry, scalar: _Scalars) -> str:
    out = []
    prefix = "  - "
    for key, value in entry_to_mapping(entry).items():
        if key in _LIST_FIELDS:
            out.append(f"{prefix}{key}: [{_flow_text(value, scalar)}]\n")
        elif isinstance(value, dict | list):
            raise _NotSimple
        else:
            out.append(_block_value(key, value, prefix, scalar))
        prefix = "    "
    return "".join(out)


def _skeleton_text(skeleton: Skeleton, scalar: _Scalars) -> str:
    out = []
    prefix = "  - "
    for key, value in skeleton_to_mapping(skeleton).items():
        if key == "sections":
            out.append(f"{prefix}{key}: [{_flow_text(value, scalar)}]\n")
        elif key == "parts":
            if not value:
                out.append(f"{prefix}{key}: []\n")  # as ruamel writes an empty sequence
                prefix = "    "
                continue
            out.append(f"{prefix}{key}:\n")
            for part in value:
                row_prefix = "      - "
                for row_key, row_value in part.items():
                    if row_key == "topics":
                        out.append(f"{row_prefix}{row_key}: [{_flow_text(row_value, scalar)}]\n")
                    else:
                        out.append(_block_value(row_key, row_value, row_prefix, scalar))
                    row_prefix = "        "
        else:
            out.append(_block_value(key, value, prefix, scalar))
        prefix = "    "
    return "".join(out)


# --- merging ---------------------------------------------------------------------------------


_NOT_COMPARED = re.compile(r"\{[^{}]*\}|【[^【】]*】|[\W_]")


def similarity_key(text: str) -> str:
    """The text compared for near-duplicates: no slots, placeholders, punctuation or spaces."""
    return _NOT_COMPARED.sub("", text)


def text_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _read_state(bank_dir: Path) -> dict[str, str]:
    path = bank_dir / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in entries.items()} if isinstance(entries, dict) else {}


def _add_sources(gathered: dict[str, None], sources: Iterable[str]) -> int:
    """Append the new ``sources`` to ``gathered`` while it lists fewer than MAX_SOURCES; returns how many
    new places did not fit."""
    left_out = 0
    for source in sources:
        if source in gathered:
            continue
        if len(gathered) < MAX_SOURCES:
            gathered[source] = None
        else:
            left_out += 1
    return left_out


def _union(old: Sequence[str], new: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """``old`` as it is (even when longer than the cap) and the new places of ``new`` that fit; and how
    many did not."""
    gathered = dict.fromkeys(old)
    left_out = _add_sources(gathered, new)
    return tuple(gathered), left_out


_T = TypeVar("_T")
_entry_values = attrgetter(*(f.name for f in fields(Entry)))  # Entry(*values) makes it again
ENTRY_TEXT = [f.name for f in fields(Entry)].index("text")
_POOL_SHARED = ("role", "topics", "levels", "years", "scope", "style")


class CandidatePool:
    """Mined candidates gathered speech by speech, equal ids merged as they come: the first candidate of
    an id is kept, with the sources of every later one appended in order (each once, at most
    MAX_SOURCES in all; the others are only counted). Adding is linear in the candidates. The first
    candidate of each id waits in a temporary file (``Spool``, one per role) until ``consolidate``
    reads it back; memory holds, per id, only its first sources (and the sources of later candidates,
    when any came), so a caller can mine, add and release one speech at a time."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._first: dict[str, tuple[str, ...]] = {}  # id -> its first candidate's sources
        # role -> (place in order, the first candidate's field values) of each id
        self._roles: dict[str, Spool[tuple[int, tuple[Any, ...]]]] = {}
        self._sources: dict[str, dict[str, None]] = {}  # id -> sources in order, once a second one came
        self._unlisted: dict[str, int] = {}  # id -> places seen but not listed (only ids that have some)
        self._shared: dict[object, object] = {}  # one object for each value of the fields entries share
        self._skeletons: Spool[Skeleton] = Spool()  # the speeches' skeletons, as they came
        self.added = 0
        self.add(entries)

    def add(self, entries: Iterable[Entry]) -> None:
        first, sources = self._first, self._sources
        for entry in entries:
            self.added += 1
            known = first.get(entry.id)
            gathered: dict[str, None] | None
            if known is None:
                first[entry.id] = entry.source
                role = self._roles.get(entry.role) or self._roles.setdefault(entry.role, Spool())
                role.append((len(first) - 1, _entry_values(entry)))  # (a tuple pickles twice as fast)
                if len(entry.source) <= MAX_SOURCES:
                    continue  # its own sources as they are, until another candidate of this id comes
                gathered = sources[entry.id] = {}
            else:
                gathered = sources.get(entry.id)
                if gathered is None:  # a second candidate of this id: start from the first one's sources
                    gathered = sources[entry.id] = dict.fromkeys(known)
            left_out = _add_sources(gathered, entry.source)
            if left_out:
                self._unlisted[entry.id] = self._unlisted.get(entry.id, 0) + left_out

    def add_skeleton(self, skeleton: Skeleton) -> None:
        """A mined speech's skeleton, kept in the temporary file until ``skeletons`` reads it back (one
        a speech: 0.8 MB for 3,934, that the workers' mining need not share memory with)."""
        self._skeletons.append(skeleton)

    def skeletons(self) -> Iterator[Skeleton]:
        """The skeletons added, in order, their equal parts held as one object (``shared_skeleton``)."""
        return map(self.shared_skeleton, self._skeletons)

    def shared_skeleton(self, skeleton: Skeleton) -> Skeleton:
        """The skeleton with its parts and sections held as one object for each value (every speech
        brings its own, and a large corpus's skeletons are mostly the same few parts: 8.6 → 3.9 MB for
        3,934 speeches)."""
        parts = self._one(tuple(map(self._one, skeleton.parts)))
        return replace(skeleton, parts=parts, sections=self._one(skeleton.sections))

    def _one(self, value: _T) -> _T:
        """The one object held for values equal to ``value`` (it, when it is the first)."""
        return cast("_T", self._shared.setdefault(value, value))

    def __len__(self) -> int:
        return len(self._first)

    def unlisted(self, entry_id: str) -> int:
        """How many places of this id were seen but not listed (its list was full)."""
        return self._unlisted.get(entry_id, 0)

    def roles(self) -> dict[str, Spool[tuple[int, tuple[Any, ...]]]]:
        """Each role (in the order first met) with the first candidate of each of its ids, in the order
        they came: its place in that order among all roles and its field values (``ENTRY_TEXT``: the
        text; ``completed`` makes the entry, with the sources of all its candidates)."""
        return self._roles

    def completed(self, values: tuple[Any, ...]) -> Entry:
        """An id's first candidate, from its field values, with the sources of all its candidates (equal
        field values held as one object)."""
        entry = Entry(*values)
        share_fields(entry, _POOL_SHARED, self._shared)
        gathered = self._sources.get(entry.id)
        return replace(entry, source=tuple(gathered)) if gathered else entry

    def entries(self) -> list[Entry]:
        """One entry per id, in first-seen order, each with the sources of all its candidates."""
        return [self.completed(values) for _, values in heapq.merge(*self._roles.values())]


def consolidate(
    candidates: Iterable[Entry] | CandidatePool,
    *,
    similarity: int | None = SIMILARITY,
    unlisted: dict[str, int] | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> tuple[list[Entry], Spool[Change]]:
    """Candidates with equal ids or near-identical texts (same role) merged; sources kept (at most
    MAX_SOURCES per entry: ``unlisted`` gets, per accepted id, how many places were left out).
    ``progress(done, total)`` is told every ``PROGRESS_EVERY`` candidates and at the end.

    A near-identical candidate becomes a "merged" change holding that candidate (its own text and
    sources), ``into`` the id it joined; the changes are kept in a temporary file (a large corpus's
    candidates are mostly variants of a few paragraphs), in the order the candidates came."""
    pool = candidates if isinstance(candidates, CandidatePool) else CandidatePool(candidates)
    total = len(pool)
    kept: list[tuple[int, Entry]] = []  # the accepted candidates: (place in order, entry)
    merged: list[Spool[tuple[int, Change]]] = []  # each role's merged candidates: (place, change)
    gathered: dict[int, dict[str, None]] = {}  # index in ``kept`` -> sources, for merged ones only
    left_out: dict[str, int] = {}  # accepted id -> places not listed
    done = 0
    # A candidate is compared only with earlier ones of its role: the roles are merged one at a time,
    # so that only one role's keys and index are held (the largest role's instead of all of them).
    for spool in pool.roles().values():
        keys = [similarity_key(values[ENTRY_TEXT]) for _, values in spool]
        order = None
        if similarity and len(keys) >= INDEX_FROM:
            alphabet = fast_alphabet(keys)  # compared faster, the same scores
            keys = [key.translate(alphabet) for key in keys]
            order = PairOrder(keys, every=True)
        near = NearTexts(similarity, order)
        owners: list[int] = []  # the index in ``kept`` of each key in ``near``
        role_merged: Spool[tuple[int, Change]] = Spool()
        merged.append(role_merged)
        for (place, values), key in zip(spool, keys, strict=True):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
            done += 1
            entry = pool.completed(values)
            match = near.best(key)
            if match is not None:
                at = owners[match]
                target = kept[at][1]
                if at not in gathered:
                    gathered[at] = dict.fromkeys(target.source)
                extra = _add_sources(gathered[at], entry.source) + pool.unlisted(entry.id)
                if extra:
                    left_out[target.id] = left_out.get(target.id, 0) + extra
                role_merged.append(
                    (place, Change("merged", entry, into=target.id, reason=f"与 {target.id} 近似"))
                )
                continue
            near.add(key)
            owners.append(len(kept))
            kept.append((place, entry))
            if extra := pool.unlisted(entry.id):
                left_out[entry.id] = left_out.get(entry.id, 0) + extra
        del keys, order, near
    if progress is not None:
        progress(total, total)
    if unlisted is not None:
        unlisted.update(left_out)
    in_order = sorted(range(len(kept)), key=lambda index: kept[index][0])  # the candidates' order again
    accepted = [
        replace(kept[index][1], source=tuple(gathered[index])) if index in gathered else kept[index][1]
        for index in in_order
    ]
    changes: Spool[Change] = Spool()
    for _, change in heapq.merge(*merged, key=itemgetter(0)):
        changes.append(change)
    return accepted, changes


def plan_merge(
    bank_dir: Path,
    candidates: Iterable[Entry] | CandidatePool,
    skeletons: Iterable[Skeleton] = (),
    *,
    similarity: int | None = SIMILARITY,
    render: bool = True,
    progress: Callable[[int, int], object] | None = None,
) -> MergePlan:
    """What merging ``candidates`` into ``bank_dir`` would change. Raises BankError for a broken bank.

    ``render=False`` (a dry run) works out the changes without rendering the files: ``files`` stays empty,
    ``new_files`` is filled. ``progress``: as ``consolidate``'s, while the candidates are merged."""
    bank_dir = Path(bank_dir)
    if bank_dir.exists() and not bank_dir.is_dir():
        raise BankError("--bank 应当是一个文件夹", path=bank_dir, hint="请给出存放 .yaml 文件的文件夹。")
    plan = MergePlan(bank_dir)
    docs: dict[Path, _Doc] = {}
    existing: dict[str, _Existing] = {}
    if bank_dir.is_dir():
        # the bank must be valid before it is merged into (BankError with a line); files read anew are
        # not cached, as the merge may change them
        for path, file_entries, file_skeletons in load_bank_files(bank_dir, write_cache=False):
            doc = docs[path] = _read_doc(path, file_entries, file_skeletons)
            for index, raw in enumerate(doc.data.get("entries") or []):
                if doc.items:
                    existing.setdefault(raw.id, _Existing(raw, path, None, index))
                else:
                    entry = entry_from_mapping(_plain(raw), path=path)
                    existing.setdefault(entry.id, _Existing(entry, path, raw))
    state = _read_state(bank_dir)
    plan.state = dict(state)

    banked = _BankTexts((item.entry for item in existing.values()), similarity)

    unlisted: dict[str, int] = {}
    accepted, merged = consolidate(candidates, similarity=similarity, unlisted=unlisted, progress=progress)
    plan.unlisted = sum(unlisted.values())
    plan.merged = merged
    near = banked.best(candidate for candidate in accepted if candidate.id not in existing)
    for candidate in accepted:
        found = existing.get(candidate.id)
        if found is None and candidate.id in near:
            found = existing[near[candidate.id].id]
        if found is None:
            plan.changes.append(Change("added", candidate))
            doc = _doc_for(docs, bank_dir / f"{candidate.role}.yaml", "entries")
            _items(doc, "entries").append(candidate if doc.items else _entry_map(candidate))
            doc.changed = True
            plan.state[candidate.id] = text_digest(candidate.text)
            continue
        plan.changes.append(_merge_into(found, candidate, state, plan, docs))

    skeleton_at: dict[str, tuple[_Doc, int]] = {}  # skeleton id -> its doc and place (the first one)
    for doc in docs.values():
        for index, raw in enumerate(doc.data.get("skeletons") or []):
            if isinstance(raw, Skeleton):
                skeleton_at.setdefault(raw.id, (doc, index))
            elif isinstance(raw, dict):
                skeleton_at.setdefault(str(raw.get("id")), (doc, index))
    for skeleton in skeletons:
        _merge_skeleton(skeleton, docs, skeleton_at, bank_dir, plan)

    for path, doc in docs.items():
        if doc.changed:
            if render:
                plan.files[path] = (
                    partial(_rendered, doc, path) if doc.items else "".join(_rendered(doc, path))
                )
            if doc.new:
                plan.new_files.add(path)
    return plan


def _rendered(doc: _Doc, path: Path) -> Iterator[str]:
    """A file's new text in chunks, each read back with the bank loader (BankError when it would not load)
    before it is handed out: made, checked and let go one at a time, so that no file's text is held
    whole (a large corpus's skeletons file is megabytes). Of a file the miner wrote, only the items that
    are not as read are read back, first: the others are the file's own text, which the loader checked."""
    chunks = _dump(doc)
    if doc.direct and doc.read is not None:
        read = {id(item) for item in doc.read}  # (doc.read holds them: no id is reused meanwhile)
        [(key, items)] = doc.data.items()
        fresh = [item for item in items if id(item) not in read]
        if fresh:
            _verify_chunks(_chunks(_Doc(path, {key: fresh})), path)
        return iter(chunks)
    if doc.direct:
        return _checked(chunks, path)
    text = "".join(chunks)  # (ruamel's: one text)
    _verify_text(text, path)
    return iter((text,))


class _BankTexts:
    """The bank's entries by role, searched for ones near-identical to candidates: all of a role's
    candidates at once, the role's entries read once against them (``near.best_of_each``); a role no
    candidate needs is not read."""

    def __init__(self, entries: Iterable[Entry], similarity: int | None) -> None:
        self._similarity = similarity
        self._entries: dict[str, list[Entry]] = {}
        for entry in entries:
            self._entries.setdefault(entry.role, []).append(entry)

    def best(self, candidates: Iterable[Entry]) -> dict[str, Entry]:
        """Candidate id -> the bank's entry of its role that is the most similar (score ≥ similarity;
        the first of equal scores), for the candidates that have one."""
        by_role: dict[str, list[Entry]] = {}
        for candidate in candidates:
            if candidate.role in self._entries:
                by_role.setdefault(candidate.role, []).append(candidate)
        found: dict[str, Entry] = {}
        for role, wanted in by_role.items():
            entries = self._entries[role]
            keys = [similarity_key(entry.text) for entry in entries]
            queries = [similarity_key(candidate.text) for candidate in wanted]
            for candidate, match in zip(wanted, best_of_each(queries, keys, self._similarity), strict=True):
                if match is not None:
                    found[candidate.id] = entries[match]
        return found


def _doc_for(docs: dict[Path, _Doc], path: Path, key: str) -> _Doc:
    if path not in docs:
        docs[path] = _new_doc(path, key)
    return docs[path]


def _merge_into(
    found: _Existing, candidate: Entry, state: dict[str, str], plan: MergePlan, docs: dict[Path, _Doc]
) -> Change:
    old = found.entry
    into = old.id if old.id != candidate.id else None
    if old.rejected or old.locked:
        reason = "已标记为拒绝（rejected）" if old.rejected else "已锁定（locked）"
        return Change("skipped", old, into=into, reason=reason)
    sources, left_out = _union(old.source, candidate.source)
    plan.unlisted += left_out
    hand_edited = old.text != candidate.text and state.get(old.id) != text_digest(old.text)
    if into is not None or hand_edited:
        if sources == old.source:
            return Change("edited" if hand_edited else "unchanged", old, into=into)
        new = replace(old, source=sources)
        _update(found, new, ("source",), docs)
        return Change("edited" if hand_edited else "merged", new, into=into)
    new = replace(
        old,
        text=candidate.text,
        topics=candidate.topics,
        levels=candidate.levels,
        years=candidate.years,
        style=candidate.style,
        scope=candidate.scope,
        source=sources,
    )
    plan.state[old.id] = text_digest(candidate.text)
    if new == old:
        return Change("unchanged", old)
    _update(found, new, [*_MINED_FIELDS, "source"], docs)
    mined_same = all(getattr(new, k) == getattr(old, k) for k in _MINED_FIELDS)
    return Change("merged" if mined_same else "updated", new)


def _update(found: _Existing, new: Entry, keys: Sequence[str], docs: dict[Path, _Doc]) -> None:
    """Put ``new`` in the place of ``found``: its ``keys`` in ruamel's map, or the whole entry in a doc of
    items."""
    doc = docs[found.path]
    if found.mapping is None:
        doc.data["entries"][found.index] = new
    else:
        _set_fields(found.mapping, new, keys)
    doc.changed = True


def _merge_skeleton(
    skeleton: Skeleton,
    docs: dict[Path, _Doc],
    skeleton_at: dict[str, tuple[_Doc, int]],
    bank_dir: Path,
    plan: MergePlan,
) -> None:
    found = skeleton_at.get(skeleton.id)
    if found is not None:
        doc, index = found
        raw = doc.data["skeletons"][index]
        if (skeleton_to_mapping(raw) if isinstance(raw, Skeleton) else _plain(raw)) == skeleton_to_mapping(
            skeleton
        ):
            plan.skeletons[skeleton.id] = "unchanged"
        else:
            doc.data["skeletons"][index] = skeleton if doc.items else _skeleton_map(skeleton)
            doc.changed = True
            plan.skeletons[skeleton.id] = "updated"
        return
    doc = _doc_for(docs, bank_dir / SKELETON_FILE, "skeletons")
    seq = _items(doc, "skeletons")
    seq.append(skeleton if doc.items else _skeleton_map(skeleton))
    skeleton_at[skeleton.id] = (doc, len(seq) - 1)
    doc.changed = True
    plan.skeletons[skeleton.id] = "added"


def _skeleton_map(skeleton: Skeleton) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out = CommentedMap()
    for key, value in skeleton_to_mapping(skeleton).items():
        if key == "parts":
            parts = CommentedSeq()
            for part in value:
                row = CommentedMap(part)
                row["topics"] = _flow(part["topics"])
                parts.append(row)
            out[key] = parts
        elif key == "sections":
            out[key] = _flow(value)
        else:
            out[key] = value
    return out


VERIFY_SLICE = 1 << 16  # characters of a directly written file read back at a time
KEEP_RENDERED = 1 << 20  # characters of a new file's text kept when first rendered (else made again)


def _verify_chunks(chunks: Iterable[str], path: Path) -> None:
    """``_chunks``'s text must load with the bank loader and hold only valid entries (``_checked``)."""
    for _ in _checked(chunks, path):
        pass


def _checked(chunks: Iterable[str], path: Path) -> Iterator[str]:
    """``_chunks``'s text, each chunk read back before it is handed out. Each chunk is whole items (each
    starting with ``"  - "`` at a line start, holding no line break of its own), read back under the same
    key: the same check as reading the whole text, while only one chunk's data is in memory at a time (a
    whole skeletons file of a large corpus is tens of MB of Python objects)."""
    key_line = None
    for chunk in chunks:
        if key_line is None:
            after_comment = chunk.index("\n") + 1
            key_line = chunk[after_comment : chunk.index("\n", after_comment) + 1]
            _verify_text(chunk, path)
        else:
            _verify_text(key_line + chunk, path)
        yield chunk


def _verify_text(text: str, path: Path) -> None:
    import yaml

    try:
        data = load_yaml_text(text, yaml_loader())  # as the bank loader reads it (libyaml's C parser)
    except yaml.YAMLError as e:  # pragma: no cover - ruamel wrote it
        raise BankError(f"生成的 YAML 无法读回：{e}", path=path) from e
    for raw in (data or {}).get("entries") or []:
        entry_from_mapping(raw, path=path)


def write_merge(plan: MergePlan) -> bool:
    """Write a planned merge: the folder if needed, each changed file atomically, then the miner's state.
    Returns whether anything was written. Plan it under ``bank_lock`` too, so no concurrent edit is lost."""
    if not plan.files and (plan.bank_dir / STATE_FILE).exists() and plan.state == _read_state(plan.bank_dir):
        return False
    created = not plan.bank_dir.exists()
    try:
        plan.bank_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BankError(f"无法创建语料库文件夹：{e.strerror or e}", path=plan.bank_dir) from e
    try:
        with bank_lock(plan.bank_dir):
            _write_plan(plan)
    except BaseException:
        if created:  # nothing was put in place: leave no empty folder behind
            with contextlib.suppress(OSError):
                plan.bank_dir.rmdir()
        raise
    return True


def _write_plan(plan: MergePlan) -> None:
    state = {
        "comment": "drafter mine 记录的上次写入文本摘要，用于识别手工修改；请勿手改。",
        "entries": plan.state,
    }
    files: dict[Path, bytes | str | Callable[[], bytes | str | Iterable[str]]] = dict(plan.files)
    files[plan.bank_dir / STATE_FILE] = json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True)
    write_files_atomic(files)  # all files or none: an error or Ctrl-C leaves the bank as it was
