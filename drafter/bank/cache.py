"""Bank stage: an optional load cache, so that a large bank loads in well under a second.

One file per bank file under ``$XDG_CACHE_HOME/drafter/bank`` (or ``~/.cache/drafter/bank``). Its
first line is the key: the bank file's absolute path, size, mtime_ns and inode, drafter's version, a
fingerprint of the code that builds entries and of the facts it keeps (the dated-terms table). Then:
- each entry as one JSON line, decoded only when the entry is wanted (bank.rows.EntryTable);
- each entry's facts as one JSON line (what a draft asks of its text: subjects, dated terms; null for a
  text with slots), read only when a draft judges the entry;
- the packed whole-number columns (offsets, coded columns, flags, sizes, the groups of entries alike in
  role, levels, years and flags, in id order), raw bytes;
- the header, one JSON line: skeletons, ids, the coded columns' values, where each packed column lies,
  then a tab and a CRC-32 of the header and the packed bytes.
The header comes last so that a file is written as it is made. A load reads the key, the header and the
packed bytes only; the entry lines are read (once) when the first entry is built or a text is searched
for, the facts lines when a draft first asks.
A cache file is written atomically, only for a bank file that loaded without error, and only when the
rows read back as exactly the same entries. It is ignored (and rebuilt) when stale or unreadable and
skipped when its folder cannot be written; nothing ever requires it. ``DRAFTER_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import sys
import threading
import time
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from drafter import __version__
from drafter.bank.rows import (
    NO_SUBJECT,
    SUBJECT_UNKNOWN,
    EntryTable,
    Kind,
    main_topic_code,
    stretches,
)
from drafter.errors import BankError
from drafter.facts.dated_terms import Hits, scan_terms, table_key
from drafter.facts.subjects import SUBJECTS, Counts, subject_counts, subjects_by_counts
from drafter.models import LEVELS, Entry, Skeleton, SkeletonPart, YearRange
from drafter.resources import NO_CACHE_ENV, user_cache_dir, write_cache_file  # noqa: F401  (re-exported)

# 2: entries carry scope; 3: one line per entry, then a header of columns; 4: facts lines, packed
# columns as raw bytes, groups, a checksum; 5: shapes; 6: shapes of texts with slots, spans of positions,
# main subjects, the ids as text among the packed numbers
FORMAT = 6
# A bank file changed less than this long ago is not cached yet: a second edit within the same clock
# tick could keep both its size and its mtime.
SETTLE_SECONDS = 2.0
# Modules whose code decides what a bank file loads as; a change to any of them invalidates the cache.
_CODE_MODULES = (
    "drafter.bank.schema",
    "drafter.bank.load",
    "drafter.bank.cache",
    "drafter.bank.rows",
    "drafter.models",
    "drafter.facts.topics",
    "drafter.facts.subjects",  # the facts kept per entry
    "drafter.facts.dated_terms",
    "drafter.facts.shape",
)

Rows = tuple[EntryTable, list[Skeleton]]


def cache_dir() -> Path | None:
    """The folder of bank cache files, or None when the cache is turned off or there is no home."""
    return user_cache_dir("bank")


# What decides what ``bank check`` reports for a file: the loader's modules and every module and data
# file of the stages it draws on (checks grow: typos, scope), so none is missed when one is added.
_CHECK_MODULES = (*_CODE_MODULES, "drafter.bank.check")
_CHECK_FOLDERS = ("bank", "facts", "read", "data")


def _check_fingerprint() -> list[Any]:
    global _check_files
    if _check_files is None:
        package = Path(__file__).resolve().parent.parent
        found: list[Any] = []
        for folder in _CHECK_FOLDERS:
            for path in sorted((package / folder).glob("*")):
                if path.suffix in (".py", ".json", ".tsv", ".txt", ".yaml"):
                    try:
                        st = path.stat()
                    except OSError:
                        continue
                    found.append([f"{folder}/{path.name}", st.st_size, st.st_mtime_ns])
        _check_files = found
    return _check_files


_check_files: list[Any] | None = None

_fingerprints: dict[tuple[str, ...], list[Any]] = {}


def _code_fingerprint(modules: tuple[str, ...] = _CODE_MODULES) -> list[Any]:
    found = _fingerprints.get(modules)
    if found is None:
        # packed columns are in this machine's byte order; the facts kept follow the dated-terms table
        found = [__version__, FORMAT, sys.byteorder, table_key()]
        for name in modules:
            module = sys.modules.get(name)
            where = getattr(module, "__file__", None)
            try:
                st = Path(where).stat() if where else None
            except OSError:
                st = None
            found.append([name, st.st_size, st.st_mtime_ns] if st else [name, None, None])
        _fingerprints[modules] = found
    return found


def _key_line(path: Path, st: os.stat_result, modules: tuple[str, ...] = _CODE_MODULES) -> str:
    key = {
        "path": str(path.absolute()),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ino": st.st_ino,
        "code": _code_fingerprint(modules),
    }
    if modules == _CHECK_MODULES:
        key["files"] = _check_fingerprint()
    return json.dumps(key, sort_keys=True)  # ASCII: a path may hold undecodable bytes


def _cache_file(folder: Path, path: Path) -> Path:
    # zlib rather than hashlib (OpenSSL) keeps start-up light; the key line inside settles a collision.
    name = str(path.absolute()).encode("utf-8")
    return folder / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.json"


# --- rows <-> objects ---------------------------------------------------------------------------


def _entry_row(entry: Entry) -> list[Any]:
    levels = None if entry.levels == LEVELS else list(entry.levels)
    return [
        entry.id,
        entry.text,
        entry.role,
        list(entry.topics),
        levels,
        entry.years.start,
        entry.years.end,
        list(entry.source),
        entry.locked,
        entry.rejected,
        entry.style,
        entry.note,
        entry.line,
        list(entry.scope),
    ]


def _skeleton_row(skeleton: Skeleton) -> list[Any]:
    parts = [[list(p.topics), p.sub_style, p.sub_count, p.has_lead] for p in skeleton.parts]
    return [
        skeleton.id,
        skeleton.source,
        skeleton.points,
        skeleton.heading_style,
        list(skeleton.sections),
        parts,
    ]


def _entries_from_rows(rows: list[list[Any]], path: Path) -> list[Entry]:
    # Frozen dataclasses are slow to build through __init__ (keyword handling, defaults); setting the
    # slots directly gives the same objects faster. Equal tuples and year ranges are shared.
    new, set_attr = object.__new__, object.__setattr__
    tuples: dict[tuple[str, ...], tuple[str, ...]] = {LEVELS: LEVELS}
    years: dict[tuple[int | None, int | None], YearRange] = {}
    out: list[Entry] = []
    for row in rows:
        (
            entry_id,
            text,
            role,
            topics,
            levels,
            start,
            end,
            source,
            locked,
            rejected,
            style,
            note,
            line,
            scope,
        ) = row
        topics_t = tuple(topics)
        topics_t = tuples.setdefault(topics_t, topics_t)
        levels_t = LEVELS if levels is None else tuples.setdefault(tuple(levels), tuple(levels))
        span = years.get((start, end))
        if span is None:
            span = years[(start, end)] = YearRange(start, end)
        entry = new(Entry)
        set_attr(entry, "id", entry_id)
        set_attr(entry, "text", text)
        set_attr(entry, "role", role)
        set_attr(entry, "topics", topics_t)
        set_attr(entry, "levels", levels_t)
        set_attr(entry, "years", span)
        set_attr(entry, "source", tuple(source))
        set_attr(entry, "locked", locked)
        set_attr(entry, "rejected", rejected)
        set_attr(entry, "style", style)
        set_attr(entry, "note", note)
        set_attr(entry, "scope", tuple(scope))
        set_attr(entry, "file", path)
        set_attr(entry, "line", line)
        out.append(entry)
    return out


def _skeletons_from_rows(rows: list[list[Any]]) -> list[Skeleton]:
    return [
        Skeleton(
            id=sid,
            source=source,
            points=points,
            heading_style=heading_style,
            parts=tuple(SkeletonPart(tuple(t), sub, count, lead) for t, sub, count, lead in parts),
            sections=tuple(sections),
        )
        for sid, source, points, heading_style, sections, parts in rows
    ]


# --- read and write -----------------------------------------------------------------------------


def read_cached(path: Path, st: os.stat_result, reparse: Callable[[Path], list[Entry]]) -> Rows | None:
    """Entries and skeletons of ``path`` from its cache file, or None (no cache, stale, unreadable).
    The entries' columns are read now; each entry is built from its line when first wanted. Should a
    line turn out damaged then, the cache file is dropped and the entries come from ``reparse(path)``."""
    folder = cache_dir()
    if folder is None:
        return None
    cache_file = _cache_file(folder, path)
    key = _key_line(path, st).encode("ascii") + b"\n"
    try:
        with cache_file.open("rb") as handle:
            if handle.read(len(key)) != key:
                return None
            head_start, head_line = _last_line(handle)
            body, _, checksum = head_line.rstrip(b"\n").rpartition(b"\t")
            head = json.loads(body)
            blob_start, blob_size = head["blob"]
            if blob_start + blob_size + 1 != head_start:
                return None
            handle.seek(blob_start)
            blob = handle.read(blob_size)
        if zlib.crc32(body, zlib.crc32(blob)) != int(checksum, 16):
            return None  # damaged: the checksum covers the header and the numbers it points to

        def unpack(spec: list[Any]) -> array[int]:
            code, start, count = spec
            numbers = array(code) if code in _WIDTHS else None
            if numbers is None or not 0 <= start <= start + count * numbers.itemsize <= len(blob):
                raise ValueError("column out of the file")
            numbers.frombytes(blob[start : start + count * numbers.itemsize])
            return numbers

        ids = head["ids"]
        if ids is None:  # the ids a line each, as text among the packed numbers (no JSON to decode)
            start, size = head["id_text"]
            if not (type(start) is type(size) is int and 0 <= start <= start + size <= len(blob)):
                raise ValueError("ids out of the file")
            ids = blob[start : start + size].decode("utf-8").split("\n") if size else []
        offsets = unpack(head["offsets"])  # where each entry's line begins, and where the facts do
        fact_offsets = unpack(head["fact_offsets"])  # where each entry's facts line begins
        if (
            len(offsets) != len(ids) + 1
            or len(fact_offsets) != len(ids) + 1
            or offsets[0] != len(key)
            or fact_offsets[0] != offsets[-1]
            or fact_offsets[-1] != blob_start
        ):
            return None  # cut short or grown: not what was written
        stored = _Stored(cache_file, offsets)
        n = len(ids)
        role_values, roles = _column(head, unpack, "roles", "role", n)
        level_values, levels = _column(
            head, unpack, "level_sets", "level", n, lambda v: LEVELS if v is None else tuple(v)
        )
        span_values, years = _column(head, unpack, "spans", "span", n, lambda v: YearRange(v[0], v[1]))
        topic_values, topics = _column(head, unpack, "topic_sets", "topic", n, tuple)
        mains = _mains(topic_values, unpack(head["topic"]))
        main_subjects = unpack(head["main_subject"])
        if (
            head["subject_names"] != list(SUBJECTS)
            or len(main_subjects) != n
            or main_subjects.typecode != "B"
        ):
            main_subjects = array("B", bytes([SUBJECT_UNKNOWN])) * n  # written by another subjects table
        _, styles = _column(head, unpack, "style_set", "style", n)
        flags, sizes, braces = unpack(head["flag"]), unpack(head["size"]), unpack(head["brace"])
        shapes = unpack(head["shape"])
        if not len(flags) == len(sizes) == len(braces) == len(shapes) == n:
            return None
        kinds: list[Kind] = [
            (role_values[role], level_values[level], span_values[span], int(flag))
            for role, level, span, flag in head["kinds"]
        ]
        by_role: dict[str, tuple[Sequence[int], Sequence[int]]] = {}
        for role, positions_spec, codes_spec in head["by_role"]:
            positions, codes = _positions(positions_spec, n) or unpack(positions_spec), unpack(codes_spec)
            if len(positions) != len(codes):
                return None
            by_role[role_values[role]] = (positions, codes)
        if sum(len(positions) for positions, _ in by_role.values()) != n:
            return None
        table = EntryTable(
            ids=ids,
            roles=roles,
            topics=topics,
            levels=levels,
            years=years,
            styles=styles,
            flags=flags,
            files=lambda: [path] * n,
            sizes=sizes,
            braces=braces,
            shapes=shapes,
            made=[None] * n,
            mains=mains,
            main_subjects=main_subjects.tobytes(),
            maker=_maker(stored, ids, path, reparse),
            holding=_holding(stored),
            facts=_facts_reader(cache_file, fact_offsets),
            kinds=(kinds, by_role),
        )
        span = head["id_span"]
        if span is not None:
            table.id_span = (str(span[0]), str(span[1]))
        return table, _skeletons_from_rows(head["skeletons"])
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def _last_line(handle: BinaryIO) -> tuple[int, bytes]:
    """(where it begins, the line) of a file's last line (which ends in a newline), read from the end."""
    size = handle.seek(0, os.SEEK_END)
    chunk = 1 << 18
    while True:
        start = max(0, size - chunk)
        handle.seek(start)
        tail = handle.read(size - start)
        if len(tail) != size - start or not tail.endswith(b"\n"):
            raise ValueError("cache file cut short")
        at = tail.rfind(b"\n", 0, len(tail) - 1)
        if at != -1:
            return start + at + 1, tail[at + 1 :]
        if start == 0:
            raise ValueError("cache file has no header")
        chunk *= 4


class _Stored:
    """Lines of a cache file (its entry lines, or its facts lines), mapped into memory when first wanted
    (a command that builds no entry never touches them): only the pages of the lines read are read from
    disk. Cache files are only ever replaced whole (written beside, then renamed over), never rewritten
    in place, so a mapping always sees the whole file it was made of. Where a file cannot be mapped, and
    on Windows (where a mapped file cannot be replaced by the next cache write), its bytes are read at
    once."""

    def __init__(self, path: Path, offsets: array[int]) -> None:
        self.path, self.offsets = path, offsets
        self._data: bytes | mmap.mmap | None = None
        self._lock = threading.Lock()

    def data(self) -> bytes | mmap.mmap:
        """The whole file, mapped or read (ValueError when it is shorter than its offsets say)."""
        if self._data is None:
            with self._lock:
                if self._data is None:
                    fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
                    try:
                        size = os.fstat(fd).st_size
                        if size < self.offsets[-1]:
                            raise ValueError("cache file cut short")
                        try:
                            if os.name == "nt":  # a mapped file cannot be replaced there: read it
                                raise OSError("not mapped")
                            self._data = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
                        except (OSError, ValueError, OverflowError):
                            self._data = _read_at(fd, 0, size)
                    finally:
                        os.close(fd)
        return self._data

    def lines(self, positions: list[int]) -> list[bytes]:
        """The cache lines of these entries (each ends in a newline); neighbours are cut as one piece,
        with their newlines made commas."""
        data, offsets = self.data(), self.offsets
        out: list[bytes] = []
        for first, last in stretches(positions):
            piece = data[offsets[first] : offsets[last + 1]]
            out.append(piece.replace(b"\n", b",")[:-1] if last > first else piece)
        return out


def _read_at(fd: int, start: int, size: int) -> bytes:
    """``size`` bytes of an open file from ``start`` (ValueError when the file is shorter)."""
    pieces: list[bytes] = []
    done = 0
    while done < size:  # a read may return less than asked
        if hasattr(os, "pread"):
            piece = os.pread(fd, size - done, start + done)
        else:  # no pread (Windows): seek, then read
            os.lseek(fd, start + done, os.SEEK_SET)
            piece = os.read(fd, size - done)
        if not piece:
            raise ValueError("cache file cut short")
        pieces.append(piece)
        done += len(piece)
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _column(
    head: dict[str, Any],
    unpack: Callable[[list[Any]], array[int]],
    values: str,
    picks: str,
    count: int,
    make: Any = None,
) -> tuple[list[Any], Callable[[], list[Any]]]:
    """A column stored as distinct values and one index into them per entry: (the values, what makes
    the column when it is first asked for). ValueError when it does not fit ``count`` entries."""
    found = [make(v) for v in head[values]] if make is not None else list(head[values])
    indexes = unpack(head[picks])
    if len(indexes) != count:
        raise ValueError("column does not fit")
    return found, lambda: [found[i] for i in indexes]


def _mains(values: list[tuple[str, ...]], indexes: array[int]) -> Callable[[], bytes]:
    """What makes the ``mains`` column (rows.main_topic_code of each entry) from a coded topics column:
    at C speed when the codes fit a byte."""
    codes = [main_topic_code(topics) for topics in values]
    if indexes.typecode == "B":
        table = bytes(codes) + bytes(256 - len(codes))
        return lambda: indexes.tobytes().translate(table)
    return lambda: bytes(map(codes.__getitem__, indexes))


_WIDTHS = "BHIq"  # array typecodes, narrowest first
_decode = json.JSONDecoder().raw_decode  # one JSON value at the start of a text (a facts line)


def _span_spec(positions: Sequence[int]) -> list[Any] | None:
    """A run of positions that follow one another, stored as where it begins and how many (a role's
    entries in id order mostly are: a file a role, in id order): read back as a range."""
    if positions and list(positions) == list(range(positions[0], positions[0] + len(positions))):
        return ["span", positions[0], len(positions)]
    return None


def _positions(spec: list[Any], count: int) -> range | None:
    """The range a span spec stands for (None for a packed column); ValueError past ``count``."""
    if spec[0] != "span":
        return None
    _, start, size = spec
    if not (type(start) is type(size) is int and 0 <= start <= start + size <= count):
        raise ValueError("span out of the table")
    return range(start, start + size)


def _packer(blob: bytearray) -> Callable[[Sequence[int]], list[Any]]:
    """Packs a column of whole numbers into ``blob`` as the narrowest integers that hold them: read
    back with one copy, no decoding. Gives [typecode, where in the blob, how many]."""

    def pack(numbers: Sequence[int]) -> list[Any]:
        low, high = (min(numbers), max(numbers)) if len(numbers) else (0, 0)
        code = next(c for c in _WIDTHS if c == "q" or (low >= 0 and high < 1 << (8 * array(c).itemsize)))
        packed = array(code, numbers)
        spec = [code, len(blob), len(packed)]
        blob.extend(packed.tobytes())
        return spec

    return pack


def _maker(
    stored: _Stored,
    ids: list[str],
    path: Path,
    reparse: Callable[[Path], list[Entry]],
) -> Callable[[list[int]], list[Entry]]:
    """Builds the entries at some positions from their lines; many at once are decoded as one JSON
    array (several times faster than line by line)."""

    def make(positions: list[int]) -> list[Entry]:
        try:
            rows = json.loads(b"[" + b",".join(stored.lines(positions)) + b"]")
            entries = _entries_from_rows(rows, path)
            if len(entries) != len(positions) or any(
                e.id != ids[p] for e, p in zip(entries, positions, strict=True)
            ):
                raise ValueError("cache rows out of step with their ids")
            return entries
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            with contextlib.suppress(OSError):
                stored.path.unlink()  # damaged after it was written: rebuilt on the next load
        fresh = reparse(path)
        if [e.id for e in fresh] != ids:
            raise BankError(
                "语料库文件在读取过程中被改动了",
                path=path,
                hint="请等文件保存完毕后重新运行。",
            )
        return [fresh[p] for p in positions]

    return make


def _holding(stored: _Stored) -> Callable[[str], set[int] | None]:
    """Finds a text in the entries' lines as they are stored, without decoding them: JSON escapes a
    string character by character, so a text inside a field is the escaped text inside its line.
    None when the lines cannot be read (the entries then tell)."""

    def holding(needle: str) -> set[int] | None:
        try:
            data = stored.data()
        except (OSError, ValueError):
            return None
        offsets = stored.offsets
        encoded = json.dumps(needle, ensure_ascii=False)[1:-1].encode("utf-8")
        found: set[int] = set()
        end = offsets[-1]
        at = data.find(encoded, offsets[0], end)
        while at != -1:
            line = bisect_right(offsets, at) - 1
            found.add(line)
            at = data.find(encoded, offsets[line + 1], end)  # on to the next line
        return found

    return holding


# --- per-entry facts ------------------------------------------------------------------------------
# What a draft asks of every text it judges, worked out once when the file is cached: the subjects'
# keyword counts (facts.subjects) and where the dated terms stand (facts.dated_terms). Only for a text
# with no slot ("{…}") and no id mark: such a text is drafted as it stands, so the facts are exactly
# those of the drafted text. A text with slots reads differently in each draft and is judged then.
Facts = tuple[Counts, Hits]


def _factual(text: str) -> bool:
    return "{" not in text and "\ue000" not in text and "\ue001" not in text


def _main_subject_code(facts: list[Any] | None) -> int:
    """rows.main_subject_code of a text, from its facts row: the text's main subject when it is drafted
    as it stands and holds no dated term (so a search may judge it by its subject unread)."""
    if facts is None or facts[1]:
        return SUBJECT_UNKNOWN
    found = subjects_by_counts(tuple((c[0], c[1], c[2]) for c in facts[0]), limit=1)
    return SUBJECTS.index(found[0]) if found else NO_SUBJECT


def _facts_row(text: str) -> list[Any] | None:
    if not _factual(text):
        return None
    return [[list(c) for c in subject_counts(text)], [list(h) for h in scan_terms(text)]]


def _facts_reader(cache_file: Path, offsets: array[int]) -> Callable[[int], Facts | None]:
    """Reads one entry's facts line when a draft first judges the entry (None: none kept, or the lines
    cannot be read: the draft then works them out). The facts lines are read at once on first use."""
    region = _Stored(cache_file, offsets)

    def facts(position: int) -> Facts | None:
        try:
            line = region.data()[offsets[position] : offsets[position + 1]].decode("utf-8")
            row = _decode(line)[0]
            if row is None:
                return None
            counts, hits = tuple(map(tuple, row[0])), tuple(map(tuple, row[1]))
            # the shapes the facts modules give (a line damaged into other JSON is not used)
            if not all(len(c) == 3 and type(c[0]) is str and type(c[1]) is type(c[2]) is int for c in counts):
                return None
            if not all(len(h) == 3 and type(h[0]) is type(h[1]) is type(h[2]) is int for h in hits):
                return None
            return counts, hits  # type: ignore[return-value]
        except (OSError, ValueError, TypeError, IndexError, RecursionError):
            return None

    return facts


def _distinct(values: Sequence[Any]) -> tuple[list[Any], list[int]]:
    """``values`` as (distinct values in first-seen order, index of each value)."""
    seen: dict[Any, int] = {}
    picks = [seen.setdefault(v, len(seen)) for v in values]
    return list(seen), picks


def id_span(ids: Sequence[str]) -> tuple[str, str] | None:
    """(lowest, highest) of ``ids`` when none repeats, else None."""
    return (min(ids), max(ids)) if ids and len(set(ids)) == len(ids) else None


class _Uncacheable(ValueError):
    """A row JSON does not keep exactly: the file is not cached."""


def write_cached(
    path: Path,
    st: os.stat_result,
    entries: list[Entry],
    skeletons: list[Skeleton],
    built: EntryTable | None = None,
) -> None:
    """Store what ``path`` loaded as; silently does nothing when it cannot (never raises OSError).
    Written as it is made, one entry at a time, so a large file costs no second copy in memory."""
    folder = cache_dir()
    if folder is None or time.time() - st.st_mtime_ns / 1e9 < SETTLE_SECONDS:
        return
    if entries and _entries_from_rows([_entry_row(entries[0])], path) != entries[:1]:
        return  # rows and entries do not agree
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

    main_subjects: list[int] = []  # rows.main_subject_code of each entry, from its facts

    def lines() -> Iterator[bytes]:
        key = _key_line(path, st).encode("ascii") + b"\n"
        yield key
        ends, end = [len(key)], len(key)  # each line's offset from the start of the file
        for entry in entries:
            row = _entry_row(entry)
            line = encode(row)
            # Only values JSON keeps exactly (str, int, bool, None, lists of them) may be cached, and a
            # line must hold no newline (JSON escapes those in strings).
            if "\n" in line or json.loads(line) != row:
                raise _Uncacheable
            data = line.encode("utf-8") + b"\n"
            end += len(data)
            ends.append(end)
            yield data
        fact_ends = [end]
        for entry in entries:  # then each entry's facts, one line each
            facts = _facts_row(entry.text)
            main_subjects.append(_main_subject_code(facts))
            data = encode(facts).encode("utf-8") + b"\n"
            end += len(data)
            fact_ends.append(end)
            yield data
        blob = bytearray()
        _pack = _packer(blob)
        # the columns, as a table read from this file will have them (``built``: made of these entries)
        table = built if built is not None else EntryTable.of(entries)
        roles, role = _distinct(table.roles)
        topic_sets, topic = _distinct(table.topics)
        level_sets, level = _distinct([None if levels == LEVELS else levels for levels in table.levels])
        spans, span = _distinct([(years.start, years.end) for years in table.years])
        style_set, style = _distinct(table.styles)
        role_at = {value: n for n, value in enumerate(roles)}
        level_at = {value: n for n, value in enumerate(level_sets)}
        span_at = {value: n for n, value in enumerate(spans)}
        own_kinds, own_by_role = table.kinds()
        kinds = [
            [
                role_at[role],
                level_at[None if levels == LEVELS else levels],
                span_at[(years.start, years.end)],
                flags,
            ]
            for role, levels, years, flags in own_kinds
        ]
        by_role = [
            [role_at[role], _span_spec(positions) or _pack(positions), _pack(codes)]
            for role, (positions, codes) in own_by_role.items()
        ]
        id_text = None
        if not any("\n" in i for i in table.ids):
            text = "\n".join(table.ids).encode("utf-8")
            id_text = [len(blob), len(text)]
            blob.extend(text)
        head = {
            "skeletons": [_skeleton_row(s) for s in skeletons],
            "ids": None if id_text is not None else table.ids,
            "id_text": id_text,
            "roles": roles,
            "role": _pack(role),
            "topic_sets": topic_sets,
            "topic": _pack(topic),
            "level_sets": level_sets,
            "level": _pack(level),
            "spans": spans,
            "span": _pack(span),
            "style_set": style_set,
            "style": _pack(style),
            "flag": _pack(table.flags),
            "size": _pack(table.sizes),
            "brace": _pack(table.braces),
            "shape": _pack(table.shapes),
            "offsets": _pack(ends),
            "fact_offsets": _pack(fact_ends),
            "subject_names": list(SUBJECTS),
            "main_subject": _pack(main_subjects),
            "kinds": kinds,
            "by_role": by_role,
            "id_span": id_span(table.ids),
            "blob": [end, len(blob)],  # the packed numbers, between the facts lines and this header
        }
        head_line = encode(head)  # made of the same values as the rows checked above
        if "\n" in head_line or "\t" in head_line:
            raise _Uncacheable
        body = head_line.encode("utf-8")
        yield bytes(blob) + b"\n"
        yield body + b"\t" + f"{zlib.crc32(body, zlib.crc32(blob)):08x}".encode("ascii") + b"\n"

    write_cache_file(_cache_file(folder, path), lines())


# --- bank check results ---------------------------------------------------------------------------
# ``bank check`` keeps, per unchanged file, what checking it alone found: its own problems (line,
# message), its entry and skeleton ids with their lines, and its entry count. Problems that need other
# files (an id repeated in another file) are worked out again on every run.


def check_cache_dir() -> Path | None:
    """The folder of ``bank check`` results, or None when the cache is turned off or there is no home."""
    return user_cache_dir("check")


def read_cached_check(path: Path, st: os.stat_result) -> dict[str, Any] | None:
    """What checking ``path`` found when it last had this size, mtime and inode, or None."""
    folder = check_cache_dir()
    if folder is None:
        return None
    try:
        with _cache_file(folder, path).open("rb") as handle:
            if handle.readline().rstrip(b"\n") != _key_line(path, st, _CHECK_MODULES).encode("ascii"):
                return None
            payload = json.loads(handle.read().decode("utf-8"))
        if not isinstance(payload, dict) or not all(
            isinstance(payload.get(k), list) for k in ("problems", "ids", "skeleton_ids")
        ):
            return None
        if not isinstance(payload.get("entries"), int):
            return None
        return payload
    except (OSError, ValueError, TypeError, RecursionError):
        return None


def write_cached_check(path: Path, st: os.stat_result, payload: dict[str, Any]) -> None:
    """Keep what checking ``path`` found (a settled file only); silently does nothing when it cannot."""
    folder = check_cache_dir()
    if folder is None or time.time() - st.st_mtime_ns / 1e9 < SETTLE_SECONDS:
        return
    try:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        data = (_key_line(path, st, _CHECK_MODULES) + "\n" + body).encode("utf-8")
    except (ValueError, TypeError, RecursionError):
        return
    write_cache_file(_cache_file(folder, path), data)
