"""Bank stage: read a bank file exactly and compose it into YAML nodes with marks.

Shared by ``check`` (1-based lines for every problem), ``edit``/``splice`` (the line span of one entry)
and ``query`` (the line of an entry). libyaml's C parser when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from drafter.errors import BankError

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

STR_TAG = "tag:yaml.org,2002:str"
# Characters no bank file should hold: C0/C1 controls (not tab/newline), DEL, NEL, line/paragraph
# separators, zero-width and bidi marks, a byte-order mark after the start.
INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufffe\uffff]"
)
BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ParsedFile:
    """A bank file's text with its node tree. ``clean`` has the same length as ``text``, invisible
    characters blanked, so marks of one are offsets into the other."""

    path: Path
    text: str
    clean: str
    root: Node | None
    data: Any


def read_bank_text(path: Path) -> str:
    """The exact text of a bank file (line ends kept). Raises BankError if unreadable or not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BankError(f"无法读取语料库文件：{e.strerror or e}", path=path) from e
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BankError(
            "语料库文件不是 UTF-8 编码", path=path, line=line, hint="请用编辑器把文件另存为 UTF-8。"
        ) from e


def blank_invisible(text: str) -> tuple[str, list[tuple[int, str]]]:
    """(text with invisible characters replaced by spaces, [(line, message)]). Same length as text."""
    found: list[tuple[int, str]] = []
    if not INVISIBLE_RE.search(text, 1 if text.startswith("\ufeff") else 0):
        return text, found
    head = text[:1] if text.startswith("\ufeff") else ""
    body = text[len(head) :]
    per_line: dict[int, list[str]] = {}
    for match in INVISIBLE_RE.finditer(body):
        line = len(BREAK_RE.findall(body, 0, match.start())) + 1
        code = f"U+{ord(match.group()):04X}"
        if code not in per_line.setdefault(line, []):
            per_line[line].append(code)
    for line, codes in sorted(per_line.items()):
        found.append(
            (line, f"含有不可见的控制字符 {'、'.join(codes)}：请删除（常见于从网页或 Word 复制的文字）")
        )
    return head + INVISIBLE_RE.sub(" ", body), found


def _syntax_message(error: yaml.YAMLError) -> tuple[int, str]:
    problem = str(getattr(error, "problem", None) or error)
    context = str(getattr(error, "context", None) or "")
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if "end of stream" in problem and context_mark is not None:
        mark = context_mark
    if "tab" in problem or "'\\t'" in problem:
        text = "用了 Tab 缩进：YAML 只能用空格缩进"
    elif "mapping values are not allowed" in problem:
        text = "这一行缩进过多，或文字里有未加引号的“: ”（半角冒号加空格）"
    elif "did not find expected key" in problem or "expected <block end>" in problem:
        text = "缩进不对：这一行没有和同一条目的其他字段对齐"
    elif "did not find expected '-'" in problem:
        text = "缩进不对：列表项应当以“- ”开头并对齐"
    elif "quoted scalar" in context or "end of stream" in problem:
        text = "引号没有配对：从这一行开始的引号没有结束"
    elif "could not find expected ':'" in problem:
        text = "缺少冒号：这一行不是“字段: 值”的形式，或者上一行的引号没有配对"
    elif "flow" in context or "expected ',' or" in problem:
        text = "方括号或花括号没有配对，或者列表项之间缺少逗号"
    else:
        text = f"YAML 语法错误：{problem}"
    line = mark.line + 1 if mark is not None else 1
    return line, f"{text}（YAML：{problem}）"


def parse_bank_text(text: str, *, path: Path) -> ParsedFile:
    """Compose a bank file into nodes (with marks) and data. Raises BankError on a YAML syntax error."""
    clean, _ = blank_invisible(text)
    loader = _Loader(clean)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as e:
        line, message = _syntax_message(e)
        raise BankError(
            message, path=path, line=line, hint="检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对。"
        ) from e
    except yaml.YAMLError as e:  # ReaderError and the like carry no mark
        raise BankError(f"YAML 语法错误：{e}", path=path, line=1) from e
    except (ValueError, TypeError, OverflowError) as e:  # a value YAML resolves but cannot build (2021-13-45)
        line = _unbuildable_line(root, clean) if root is not None else 1
        raise BankError(f"无法识别的值：{e}（日期样的文字请加引号）", path=path, line=line) from e
    finally:
        loader.dispose()
    return ParsedFile(path=path, text=text, clean=clean, root=root, data=data)


def _unbuildable_line(root: Node, text: str) -> int:
    """1-based line of the first scalar the constructor cannot build (1 if none is found)."""
    loader = _Loader(text)
    try:
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, ScalarNode):
                try:
                    loader.construct_object(node)
                except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                    return line_of(node)
            elif isinstance(node, SequenceNode):
                stack.extend(reversed(node.value))
            elif isinstance(node, MappingNode):
                stack.extend(reversed([n for pair in node.value for n in pair]))
    finally:
        loader.dispose()
    return 1


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def mapping_pairs(node: MappingNode) -> list[tuple[str | None, Node, Node]]:
    """(key text or None if the key is not plain text, key node, value node)."""
    out: list[tuple[str | None, Node, Node]] = []
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) and key.tag == STR_TAG else None
        out.append((name, key, value))
    return out


def top_value(parsed: ParsedFile, key: str) -> Node | None:
    """The value node of a top-level key (``entries``/``skeletons``), or None."""
    if not isinstance(parsed.root, MappingNode):
        return None
    found = None
    for name, _, value in mapping_pairs(parsed.root):
        if name == key:
            found = value
    return found


def entry_items(parsed: ParsedFile) -> list[tuple[Node, Any]]:
    """(item node, item data) of each entry in ``entries:``; empty if entries is not a list."""
    node = top_value(parsed, "entries")
    data = parsed.data.get("entries") if isinstance(parsed.data, dict) else None
    if not isinstance(node, SequenceNode) or not isinstance(data, list):
        return []
    return list(zip(node.value, data, strict=True))
