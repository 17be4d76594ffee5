"""Bank stage: edit a bank file's text by splicing, never by re-dumping it.

``append_entry_text`` inserts one serialised entry after the last item of ``entries:``;
``remove_entry_text`` deletes exactly the lines of one entry (found by node marks);
``set_flag_text`` inserts, replaces or removes one ``locked``/``rejected`` line inside an entry.
Every other byte stays as it was: comments, key order, quoting, blank lines, line ends. Pure functions:
``drafter.bank.edit`` verifies the result and writes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from drafter.bank.nodes import BREAK_RE, ParsedFile, entry_items, mapping_pairs, parse_bank_text, top_value
from drafter.errors import BankError

Flag = Literal["locked", "rejected"]
# What a YAML double-quoted scalar cannot hold raw (beyond JSON's escapes): DEL, C1, line separators, BOM.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufffe\uffff]")
HINT_CHECK = "运行 drafter bank check --bank 该文件夹 查看全部问题。"


class _Lines:
    """Line table of a text with YAML's line breaks (\\r\\n, \\r, \\n); lines are 0-based."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in BREAK_RE.finditer(text)]

    def __len__(self) -> int:
        return len(self.starts)

    def start(self, line: int) -> int:
        return self.starts[line]

    def end(self, line: int) -> int:
        """Offset after the line's break (or the end of text)."""
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def content(self, line: int) -> str:
        return BREAK_RE.sub("", self.text[self.start(line) : self.end(line)])

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
        match = BREAK_RE.search(self.text)
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
        raise BankError("找不到这个条目开头的“- ”", path=path, line=line + 1, hint=HINT_CHECK)
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
            hint="请先手工去掉重复的条目。" + HINT_CHECK,
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
        raise BankError("文件顶层不是映射，无法追加条目", path=path, line=1, hint=HINT_CHECK)
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
    return flag_splice(text, entry_id, flag, value, path=path)[0]


def flag_splice(
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
