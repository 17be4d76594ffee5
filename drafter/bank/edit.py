"""Stage 2, the phrase bank: add, remove, lock and reject entries in a user's bank.

Edits splice text, never re-dump a file: ``add`` appends one serialised entry after the last item of
``entries:``; ``remove`` deletes exactly the lines of one entry (found by node marks); ``lock`` and
``reject`` insert or replace one line inside the entry. Every other byte of the file stays as it was:
comments, key order, quoting, blank lines, line ends. Before writing, the new text is parsed back and
must hold exactly the old data plus the one change and no new problems; the write is atomic.

The bundled bank is read-only: edits go to ``--bank DIR`` or ``DRAFTER_BANK``. Locking or rejecting an
entry of another layer copies it into the user's bank with the same id, which overrides it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from drafter.bank.check import (
    ParsedFile,
    check_text,
    entry_items,
    mapping_pairs,
    parse_bank_text,
    read_bank_text,
    text_problems,
    top_value,
)
from drafter.bank.load import BANK_ENV, bank_files, load_bank_dir
from drafter.bank.schema import ROLES, entry_from_mapping, entry_to_mapping, parse_years
from drafter.clean import normalize_text
from drafter.errors import BankError
from drafter.fsutil import write_text_atomic
from drafter.models import LEVELS, Entry
from drafter.resources import bundled_bank_dir
from drafter.topics import TOPICS, classify_topics
from drafter.vocab import SLOT_RE, generalize_level_words

Flag = Literal["locked", "rejected"]
# Roles chosen by topic when drafting a part: an entry of these needs at least one topic.
TOPICAL_ROLES = ("heading", "part_lead", "point")
SCHEMA_LINE_PREFIX = "# yaml-language-server:"
_BREAK_RE = re.compile(r"\r\n|\r|\n")
# What a YAML double-quoted scalar cannot hold raw (beyond JSON's escapes): DEL, C1, line separators, BOM.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufffe\uffff]")
_HINT_CHECK = "运行 drafter bank check --bank 该文件夹 查看全部问题。"


@dataclass(frozen=True)
class EditResult:
    """What an edit did, for the CLI to report."""

    entry_id: str
    path: Path  # the file written (or that would have been)
    changed: bool = True
    text: str = ""  # add: the text as stored
    topics: tuple[str, ...] = ()  # add: the topics as stored
    guessed_topics: bool = False  # add: topics came from keywords, not --topic
    created_file: bool = False
    created_folder: bool = False
    copied_from: Path | None = None  # lock/reject: the layer the entry was copied from
    cleared: str | None = None  # lock/reject: the opposite flag that was switched off
    revealed: Entry | None = None  # remove: the entry of a lower layer that is now in use


# --- text splicing (pure) ----------------------------------------------------------------------


class _Lines:
    """Line table of a text with YAML's line breaks (\\r\\n, \\r, \\n); lines are 0-based."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK_RE.finditer(text)]

    def __len__(self) -> int:
        return len(self.starts)

    def start(self, line: int) -> int:
        return self.starts[line]

    def end(self, line: int) -> int:
        """Offset after the line's break (or the end of text)."""
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def content(self, line: int) -> str:
        return _BREAK_RE.sub("", self.text[self.start(line) : self.end(line)])

    def span(self, first: int, last: int) -> tuple[int, int]:
        """(start, end) offsets that remove lines first..last whole. At the end of a text without a final
        line break, the break before them goes instead, so the text still ends without one."""
        start, end = self.start(first), self.end(last)
        if end == len(self.text) and not self.text.endswith(("\n", "\r")) and first > 0:
            start = self.start(first - 1) + len(self.content(first - 1))
        return start, end

    def is_blank(self, line: int) -> bool:
        return 0 <= line < len(self) and not self.content(line).strip()

    def newline(self) -> str:
        match = _BREAK_RE.search(self.text)
        return match.group() if match else "\n"


def _node_last_line(node: Node) -> int:
    """0-based last line holding any character of the node."""
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        key, value = node.value[-1]
        return max(_node_last_line(key), _value_last_line(value, key))
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return _node_last_line(node.value[-1])
    end = node.end_mark
    line = int(end.line)
    if end.column == 0 and line > node.start_mark.line:
        line -= 1
    return line


def _value_last_line(value: Node, key: Node) -> int:
    if isinstance(value, ScalarNode) and value.value == "" and value.style is None:
        return int(key.end_mark.line)  # `note:` with nothing after: the empty node sits at the next token
    return _node_last_line(value)


def _item_span(lines: _Lines, item: Node, *, path: Path) -> tuple[int, int]:
    """(first, last) 0-based lines of a sequence item: from its '- ' to its last non-blank line."""
    line, column = int(item.start_mark.line), int(item.start_mark.column)
    first: int | None = None
    if lines.content(line)[:column].rstrip().endswith("-"):
        first = line
    else:
        for above in range(line - 1, -1, -1):
            stripped = lines.content(above).strip()
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("-"):
                first = above
            break
    if first is None:
        raise BankError("找不到这个条目开头的“- ”", path=path, line=line + 1, hint=_HINT_CHECK)
    last = _node_last_line(item)
    while last > first and lines.is_blank(last):
        last -= 1
    return first, last


def _find_item(parsed: ParsedFile, entry_id: str) -> tuple[int, Node, dict[str, Any]]:
    """(index, node, data) of the entry with this id. Raises BankError if absent or not unique."""
    found = [
        (i, node, raw)
        for i, (node, raw) in enumerate(entry_items(parsed))
        if isinstance(raw, dict) and raw.get("id") == entry_id
    ]
    if not found:
        raise BankError(f"文件中没有 id 为「{entry_id}」的条目", path=parsed.path)
    if len(found) > 1:
        raise BankError(
            f"id「{entry_id}」在文件中出现了 {len(found)} 次，无法确定要改哪一个",
            path=parsed.path,
            line=int(found[1][1].start_mark.line) + 1,
            hint="请先手工去掉重复的条目。" + _HINT_CHECK,
        )
    return found[0]


def _plain_ok(value: str, *, flow: bool) -> bool:
    if _UNPRINTABLE_RE.search(value):
        return False
    if (
        not value
        or value != value.strip()
        or any(c in value for c in "\n\r\t")
        or value[0] in "-?:,[]{}#&*!|>'\"%@`\\"
    ):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and any(c in value for c in ",[]{}"):
        return False
    try:  # the proof: the plain spelling reads back as the same string
        loaded = yaml.safe_load(f"k: [{value}]" if flow else f"k: {value}")
    except yaml.YAMLError:
        return False
    return loaded == {"k": [value] if flow else value}


def format_scalar(value: object, *, flow: bool = False) -> str:
    """One YAML scalar: plain when it reads back the same, else a JSON (= YAML) double-quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _plain_ok(text, flow=flow):
        return text
    return _UNPRINTABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def format_entry(mapping: dict[str, Any], *, dash_column: int, key_column: int, newline: str = "\n") -> str:
    """An entry as a block-sequence item: ``- id: …`` then one ``key: value`` line per field."""
    out: list[str] = []
    for index, (key, value) in enumerate(mapping.items()):
        if isinstance(value, list | tuple):
            rendered = "[" + ", ".join(format_scalar(v, flow=True) for v in value) + "]"
        else:
            rendered = format_scalar(value)
        if index == 0:
            prefix = " " * dash_column + "-" + " " * max(1, key_column - dash_column - 1)
        else:
            prefix = " " * key_column
        out.append(f"{prefix}{key}: {rendered}{newline}")
    return "".join(out)


def append_entry_text(text: str, mapping: dict[str, Any], *, path: Path) -> str:
    """The file text with one entry appended at the end of ``entries:``. Raises BankError."""
    parsed = parse_bank_text(text, path=path)
    lines = _Lines(parsed.clean)
    nl = lines.newline()
    if parsed.root is not None and not isinstance(parsed.root, MappingNode):
        raise BankError("文件顶层不是映射，无法追加条目", path=path, line=1, hint=_HINT_CHECK)
    node = top_value(parsed, "entries")
    if node is None:  # no entries: key yet: add one at the end of the file
        head = text if not text or text.endswith(("\n", "\r")) else text + nl
        return head + "entries:" + nl + format_entry(mapping, dash_column=0, key_column=2, newline=nl)
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        first_item = node.value[0]
        first_line, _ = _item_span(lines, first_item, path=path)
        dash_column = lines.content(first_line).index("-")
        same_line = int(first_item.start_mark.line) == first_line
        key_column = int(first_item.start_mark.column) if same_line else dash_column + 2
        last_first, last_line = _item_span(lines, node.value[-1], path=path)
        separated = len(node.value) > 1 and lines.is_blank(last_first - 1)
        block = format_entry(mapping, dash_column=dash_column, key_column=key_column, newline=nl)
        insert_at = lines.end(last_line)
        before = text[:insert_at]
        if not before.endswith(("\n", "\r")):
            before += nl
            block = block[: -len(nl)]
        return before + (nl if separated else "") + block + text[insert_at:]
    assert isinstance(parsed.root, MappingNode)  # it holds the entries: key
    entries_key = next(key for name, key, value in mapping_pairs(parsed.root) if value is node)
    key_column = int(entries_key.start_mark.column)
    block = format_entry(mapping, dash_column=key_column, key_column=key_column + 2, newline=nl)
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        insert_at = lines.end(int(entries_key.end_mark.line))
        before = text[:insert_at] if text[:insert_at].endswith(("\n", "\r")) else text[:insert_at] + nl
        return before + block + text[insert_at:]
    if isinstance(node, SequenceNode) and node.flow_style and not node.value:
        line = int(node.end_mark.line)
        start = lines.start(int(node.start_mark.line)) + int(node.start_mark.column)
        end = lines.start(line) + int(node.end_mark.column)
        after = parsed.clean[end : lines.end(line)].strip(" \t\r\n")
        if int(node.start_mark.line) != line or (after and not after.startswith("#")):
            raise BankError(
                "entries: [] 后面还有内容，无法追加条目",
                path=path,
                line=line + 1,
                hint="请把 entries 改成每项以“- ”开头的列表后再试。",
            )
        start = len(text[:start].rstrip(" \t"))
        tail = text[end : lines.end(line)]  # a comment after [] stays on the key's line
        if not tail.endswith(("\n", "\r")):
            tail += nl
        return text[:start] + tail + block + text[lines.end(line) :]
    raise BankError(
        "entries 不是块式列表（每项以“- ”开头），无法在不改动其他内容的情况下追加条目",
        path=path,
        line=int(node.start_mark.line) + 1,
        hint="请把 entries 改成每项以“- ”开头的列表后再试。",
    )


def remove_entry_text(text: str, entry_id: str, *, path: Path) -> str:
    """The file text without the lines of one entry (and one blank separator line). Raises BankError."""
    parsed = parse_bank_text(text, path=path)
    index, item, _ = _find_item(parsed, entry_id)
    node = top_value(parsed, "entries")
    assert isinstance(node, SequenceNode)
    if node.flow_style or (
        isinstance(item, MappingNode)
        and item.flow_style
        and int(item.start_mark.line) != _node_last_line(item)
    ):
        raise BankError(
            "这个条目用的是流式写法（{…} 或 […]），无法安全删除",
            path=path,
            line=int(item.start_mark.line) + 1,
            hint="请在编辑器中手工删除。",
        )
    lines = _Lines(parsed.clean)
    first, last = _item_span(lines, item, path=path)
    if index > 0 and lines.is_blank(first - 1):
        first -= 1  # the blank line that separated it from the previous entry
    elif index == 0 and len(node.value) > 1 and lines.is_blank(last + 1):
        last += 1  # the first entry: drop the blank line that separated it from the next one
    start, end = lines.span(first, last)
    return text[:start] + text[end:]


def set_flag_text(text: str, entry_id: str, flag: Flag, value: bool, *, path: Path) -> str:
    """The file text with ``flag`` set on one entry: one line inserted, one value replaced, or (to switch
    off a ``flag: true`` line) that line removed. Setting a flag true also switches the opposite flag
    off. Raises BankError."""
    return _flag_splice(text, entry_id, flag, value, path=path)[0]


def _flag_splice(
    text: str, entry_id: str, flag: Flag, value: bool, *, path: Path
) -> tuple[str, dict[str, bool | None]]:
    """(new text, {field: new value, or None if the field is gone}) for set_flag_text."""
    parsed = parse_bank_text(text, path=path)
    _, item, raw = _find_item(parsed, entry_id)
    if not isinstance(item, MappingNode) or item.flow_style:
        raise BankError(
            "这个条目用的是流式写法（{…}），无法安全修改",
            path=path,
            line=int(item.start_mark.line) + 1,
            hint=f"请在编辑器中手工加上 {flag}: true。",
        )
    lines = _Lines(parsed.clean)
    nl = lines.newline()
    other: Flag = "rejected" if flag == "locked" else "locked"
    wanted = {flag: value}
    if value and raw.get(other) is True:
        wanted[other] = False
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied back to front
    changes: dict[str, bool | None] = {}
    for name, want in wanted.items():
        pairs = [(k, v) for n, k, v in mapping_pairs(item) if n == name]
        if not pairs:
            if not want:
                continue  # absent already means false
            _, last = _item_span(lines, item, path=path)
            new_line = " " * int(item.start_mark.column) + f"{name}: true"
            at = lines.end(last)
            at_eof = at == len(text) and not text.endswith(("\n", "\r"))
            edits.append((at, at, nl + new_line if at_eof else new_line + nl))
            changes[name] = True
            continue
        if raw.get(name) is want:
            continue
        key, node = pairs[-1]
        line = int(key.start_mark.line)
        if len(pairs) > 1 or not isinstance(node, ScalarNode) or int(node.end_mark.line) != line:
            raise BankError(
                f"{name} 的写法无法安全修改",
                path=path,
                line=line + 1,
                hint=f"请在编辑器中手工改成 {name}: {format_scalar(want)}。",
            )
        if not want and lines.content(line).strip() == f"{name}: true":
            edits.append((*lines.span(line, line), ""))  # the line a lock/reject added
            changes[name] = None
        else:
            start = lines.start(line) + int(node.start_mark.column)
            end = lines.start(line) + int(node.end_mark.column)
            edits.append((start, end, format_scalar(want)))
            changes[name] = want
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, changes


# --- verification ------------------------------------------------------------------------------


def _problem_messages(text: str, path: Path) -> Counter[str]:
    return Counter(p.message for p in check_text(text, path=path).problems)


def _verify(old_text: str, new_text: str, *, path: Path, expect: Callable[[list[Any]], list[Any]]) -> None:
    """The new text must hold the old data with exactly the expected change and no new problem."""
    old = parse_bank_text(old_text, path=path).data if old_text.strip() else None
    try:
        new = parse_bank_text(new_text, path=path).data
    except BankError as e:
        raise BankError(
            "修改后的文件无法解析，已放弃修改（文件未改动）",
            path=path,
            hint=f"这是 drafter 的缺陷，请报告：{e.message}",
        ) from e
    old_map = old if isinstance(old, dict) else {}
    new_map = new if isinstance(new, dict) else {}
    old_entries = list(old_map.get("entries") or [])
    rest_old = {k: v for k, v in old_map.items() if k != "entries"}
    rest_new = {k: v for k, v in new_map.items() if k != "entries"}
    if list(new_map.get("entries") or []) != expect(old_entries) or rest_old != rest_new:
        raise BankError(
            "修改会改动文件中的其他内容，已放弃修改（文件未改动）",
            path=path,
            hint="请在编辑器中手工修改这个文件。",
        )
    added = _problem_messages(new_text, path) - _problem_messages(old_text, path)
    if added:
        first = next(iter(added))
        raise BankError(
            f"修改后文件会有新问题：{first}，已放弃修改（文件未改动）", path=path, hint=_HINT_CHECK
        )


# --- bank-level operations ---------------------------------------------------------------------


def edit_bank_dir(bank: Path | None) -> Path:
    """The folder edits go to: ``--bank``, else ``DRAFTER_BANK``. Raises BankError if neither, or if it
    is the bundled bank (read-only) or not a folder."""
    if bank is None:
        env = os.environ.get(BANK_ENV)
        if not env:
            raise BankError(
                "内置语料库是只读的：请指定你自己的语料库文件夹",
                hint="加上 --bank 文件夹，或设置环境变量 DRAFTER_BANK=文件夹。",
            )
        bank = Path(env)
    if bank.exists() and not bank.is_dir():
        raise BankError("语料库应当是一个文件夹", path=bank, hint="--bank 请给出存放 .yaml 文件的文件夹。")
    bundled = bundled_bank_dir().resolve()
    if bank.exists() and bundled.is_relative_to(bank.resolve()):
        raise BankError(
            "内置语料库是只读的，不能直接修改"
            if bank.resolve() == bundled
            else "这个文件夹包含了内置语料库，不能在这里修改",
            path=bank,
            hint="请用 --bank 指定你自己的语料库文件夹；同 id 的条目会覆盖内置条目。",
        )
    return bank


def _layered_entries(bank_dir: Path) -> dict[str, Entry]:
    """{id: entry in use} over the layers an edit must respect: the user's folder (if it exists yet),
    DRAFTER_BANK, the bundled bank; the first layer holding an id wins. Raises BankError."""
    roots = [bank_dir] if bank_dir.is_dir() else []
    env = os.environ.get(BANK_ENV)
    if env and Path(env).resolve() != bank_dir.resolve():
        roots.append(Path(env))
    roots.append(bundled_bank_dir())
    seen: set[Path] = set()
    entries: dict[str, Entry] = {}
    for root in roots:
        if root.resolve() in seen:
            continue
        seen.add(root.resolve())
        for entry in load_bank_dir(root)[0]:
            entries.setdefault(entry.id, entry)
    return entries


def _generalize(text: str) -> str:
    """Level words outside the slots already written become slots (全县 -> {全市})."""
    out: list[str] = []
    position = 0
    for match in SLOT_RE.finditer(text):
        out.append(generalize_level_words(text[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(generalize_level_words(text[position:]))
    return "".join(out)


def _find_in_dir(folder: Path, entry_id: str) -> tuple[Path, str] | None:
    """(file, its text) of the file in ``folder`` that holds the entry, or None."""
    if not folder.is_dir():
        return None
    for path in bank_files(folder):
        text = read_bank_text(path)
        if entry_id not in text:  # cheap filter before parsing
            continue
        parsed = parse_bank_text(text, path=path)
        if any(isinstance(raw, dict) and raw.get("id") == entry_id for _, raw in entry_items(parsed)):
            return path, text
    return None


def _target_file(bank_dir: Path, role: str, file_name: str | None) -> Path:
    name = file_name or f"{role}.yaml"
    path = bank_dir / name
    if path.suffix not in (".yaml", ".yml") or path.parent != bank_dir:
        raise BankError(f"文件名不对：{name}", hint="--file 只写文件名，以 .yaml 结尾，例如 mine.yaml。")
    return path


def _new_file_text(bank_dir: Path) -> str:
    """Header of a new bank file: the schema line the other files use, if any."""
    for path in bank_files(bank_dir) if bank_dir.is_dir() else []:
        try:
            first = read_bank_text(path).split("\n", 1)[0].rstrip("\r")
        except BankError:
            continue
        if first.startswith(SCHEMA_LINE_PREFIX):
            return first + "\n"
    return ""


def _write_appended(path: Path, mapping: dict[str, Any]) -> tuple[bool, bool]:
    """Append one entry to a bank file (created if missing). Returns (created_file, created_folder)."""
    created_folder = not path.parent.exists()
    if created_folder:
        if not path.parent.parent.is_dir():
            raise BankError(
                "语料库文件夹不存在，它的上级文件夹也不存在",
                path=path.parent,
                hint="请先创建这个文件夹，或检查 --bank 的路径。",
            )
        try:
            path.parent.mkdir()
        except OSError as e:
            raise BankError(f"无法创建语料库文件夹：{e.strerror or e}", path=path.parent) from e
    created_file = not path.exists()
    old_text = _new_file_text(path.parent) if created_file else read_bank_text(path)
    new_text = append_entry_text(old_text, mapping, path=path)
    _verify(old_text, new_text, path=path, expect=lambda old: [*old, mapping])
    write_text_atomic(path, new_text)
    return created_file, created_folder


def _entry_mapping(entry: Entry) -> dict[str, Any]:
    mapping = entry_to_mapping(entry)
    for key in ("topics", "levels", "source"):
        if key in mapping:
            mapping[key] = list(mapping[key])
    return mapping


def _new_id(role: str, text: str, taken: set[str]) -> str:
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    for size in range(6, len(digest) + 1, 2):
        candidate = f"{role}-u{digest[:size]}"
        if candidate not in taken:
            return candidate
    raise BankError("无法生成不重复的 id")  # pragma: no cover - 40 hex digits


def add_entry(
    *,
    bank_dir: Path,
    role: str,
    text: str,
    topics: tuple[str, ...] = (),
    levels: tuple[str, ...] = (),
    years: str | None = None,
    source: tuple[str, ...] = (),
    note: str | None = None,
    file_name: str | None = None,
) -> EditResult:
    """Add one entry to ``<bank_dir>/<role>.yaml`` (or ``file_name``) and return its new id.

    Level words become slots ({全市}); without topics, keywords choose them. Raises BankError on a bad
    field, a text already in the bank, or a file that cannot be appended to safely."""
    bank_dir = edit_bank_dir(bank_dir)
    if role not in ROLES:
        raise BankError(f"未知角色：{role}", hint=f"可用角色：{'、'.join(ROLES)}。")
    bad = [t for t in topics if t not in TOPICS]
    if bad:
        raise BankError(f"未知主题：{'、'.join(bad)}", hint=f"可用主题：{'、'.join(TOPICS)}。")
    bad = [v for v in levels if v not in LEVELS]
    if bad:
        raise BankError(f"未知层级：{'、'.join(bad)}", hint="层级只能是 市、县、区。")
    stored = _generalize(normalize_text(text))
    problems = text_problems(stored)
    if problems:
        raise BankError(f"文字有问题：{problems[0]}", hint="改好后再添加。")
    guessed = not topics
    topics = tuple(dict.fromkeys(topics)) or classify_topics(stored)
    if not topics and role in TOPICAL_ROLES:
        raise BankError("无法从文字判断主题", hint=f"请用 --topic 指定，可用主题：{'、'.join(TOPICS)}。")
    year_range = parse_years(years)
    layered = _layered_entries(bank_dir)
    for entry in layered.values():
        if entry.text == stored:
            raise BankError(
                f"语料库中已有同样文字的条目：{entry.id}",
                path=entry.file,
                hint=f"用 drafter bank show {entry.id} 查看。",
            )
    entry = Entry(
        id=_new_id(role, stored, set(layered)),
        text=stored,
        role=role,
        topics=topics,
        levels=tuple(dict.fromkeys(levels)) or LEVELS,
        years=year_range,
        source=source,
        note=note,
    )
    mapping = _entry_mapping(entry)
    entry_from_mapping(mapping)  # the schema's own validation
    path = _target_file(bank_dir, role, file_name)
    created_file, created_folder = _write_appended(path, mapping)
    return EditResult(
        entry_id=entry.id,
        path=path,
        text=stored,
        topics=topics,
        guessed_topics=guessed,
        created_file=created_file,
        created_folder=created_folder,
    )


def remove_entry(entry_id: str, *, bank_dir: Path | None) -> EditResult:
    """Remove one entry from the user's bank. Raises BankError if it is not there (a bundled entry
    cannot be removed: reject it instead) or the file cannot be edited safely."""
    bank_dir = edit_bank_dir(bank_dir)
    found = _find_in_dir(bank_dir, entry_id)
    if found is None:
        other = _layered_entries(bank_dir).get(entry_id)
        if other is not None:
            raise BankError(
                f"条目 {entry_id} 不在你的语料库 {bank_dir} 中，而在 {other.file}，不能删除",
                hint=f"不想再用它，请用 drafter bank reject {entry_id} --bank {bank_dir}。",
            )
        raise BankError(
            f"找不到 id 为「{entry_id}」的条目", path=bank_dir, hint="用 drafter bank search 查找条目的 id。"
        )
    path, old_text = found
    new_text = remove_entry_text(old_text, entry_id, path=path)
    _verify(
        old_text,
        new_text,
        path=path,
        expect=lambda old: [e for e in old if not (isinstance(e, dict) and e.get("id") == entry_id)],
    )
    write_text_atomic(path, new_text)
    revealed = _layered_entries(bank_dir).get(entry_id)
    return EditResult(entry_id=entry_id, path=path, revealed=revealed)


def set_entry_flag(entry_id: str, *, bank_dir: Path | None, flag: Flag, value: bool = True) -> EditResult:
    """Set ``locked`` or ``rejected`` on an entry. An entry of the user's bank is edited in place; one
    from another layer (the bundled bank) is copied into the user's bank with the flag, overriding it.
    Raises BankError if the id is unknown or the file cannot be edited safely."""
    bank_dir = edit_bank_dir(bank_dir)
    found = _find_in_dir(bank_dir, entry_id)
    other: Flag = "rejected" if flag == "locked" else "locked"
    if found is not None:
        path, old_text = found
        new_text, changes = _flag_splice(old_text, entry_id, flag, value, path=path)
        if not changes:
            return EditResult(entry_id=entry_id, path=path, changed=False)

        def expect(old: list[Any]) -> list[Any]:
            out = []
            for e in old:
                if isinstance(e, dict) and e.get("id") == entry_id:
                    e = {**e, **{k: v for k, v in changes.items() if v is not None}}
                    for k in [k for k, v in changes.items() if v is None]:
                        e.pop(k, None)
                out.append(e)
            return out

        _verify(old_text, new_text, path=path, expect=expect)
        write_text_atomic(path, new_text)
        return EditResult(entry_id=entry_id, path=path, cleared=other if other in changes else None)
    entry = _layered_entries(bank_dir).get(entry_id)
    if entry is None:
        raise BankError(f"找不到 id 为「{entry_id}」的条目", hint="用 drafter bank search 查找条目的 id。")
    path = _target_file(bank_dir, entry.role, None)
    current = entry.locked if flag == "locked" else entry.rejected
    cleared = other if value and (entry.rejected if flag == "locked" else entry.locked) else None
    if current is value and cleared is None:
        return EditResult(entry_id=entry_id, path=path, changed=False, copied_from=entry.file)
    mapping = _entry_mapping(entry)
    mapping.pop("locked", None)
    mapping.pop("rejected", None)
    mapping[flag] = value
    created_file, created_folder = _write_appended(path, mapping)
    return EditResult(
        entry_id=entry_id,
        path=path,
        copied_from=entry.file,
        cleared=cleared,
        created_file=created_file,
        created_folder=created_folder,
    )
