"""Bank stage: check every bank file and report every problem as ``FILE:LINE: message``.

The check composes each file with node marks (libyaml's C parser when present), so every problem has a
1-based line: YAML syntax, unknown or missing fields, wrong types, duplicate ids (across files too),
unknown roles, topics, levels and slots, impossible year ranges, broken placeholders, invisible
characters. A file with a YAML syntax error yields that one problem; the other files are still checked.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from drafter.bank.cache import read_cached_check, write_cached_check
from drafter.bank.load import BANK_ENV, bank_files, paused_gc
from drafter.bank.nodes import (
    INVISIBLE_RE,
    blank_invisible,
    entry_items,
    line_of,
    mapping_pairs,
    parse_bank_text,
    read_bank_text,
    top_value,
)
from drafter.bank.schema import (
    FIELD_ORDER,
    REQUIRED_FIELDS,
    ROLES,
    SKELETON_FIELDS,
    SKELETON_PART_FIELDS,
    entry_from_mapping,
    parse_years,
    safe_id_re,
    skeleton_from_mapping,
)
from drafter.errors import BankError
from drafter.facts.topics import TOPICS
from drafter.facts.typos import find_typos
from drafter.facts.vocab import ALL_SLOTS, LEVEL_SLOTS, PLACEHOLDER_RE
from drafter.models import LEVELS, MAX_YEAR, MIN_YEAR
from drafter.read.clean import is_dirt
from drafter.resources import bundled_bank_dir

TOP_KEYS = ("entries", "skeletons")

# A figure the writer must fill in, spelt raw instead of 【X】: X / XX / × / ** outside 【】.
_RAW_FIGURE_RE = re.compile(r"(?<![A-Za-z])[XＸ]+(?![A-Za-z])|[×✕]+|\*{2,}|＊{2,}")
_BRACE_RE = re.compile(r"\{([^{}]*)\}")
# 县/区 forms of level slots ({全县} -> {全市}): a slot is always named by its 市 form.
_LEVEL_FORMS = {
    form: slot for slot, forms in LEVEL_SLOTS.items() for form in forms[1:] if form not in LEVEL_SLOTS
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a bank file, at a 1-based line."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class FileCheck:
    path: Path
    problems: tuple[Problem, ...]
    ids: tuple[tuple[str, int], ...]  # (entry id, line)
    skeleton_ids: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class BankReport:
    """The result of checking one bank folder."""

    folder: Path
    files: int
    entries: int
    skeletons: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


# --- checks ------------------------------------------------------------------------------------


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"，是不是「{close[0]}」？" if close else ""


def _type_name(value: object) -> str:
    names = {
        bool: "true/false",
        int: "数字",
        float: "数字",
        str: "文字",
        list: "列表",
        dict: "映射",
        type(None): "空值",
    }
    return names.get(type(value), type(value).__name__)


def text_problems(text: str) -> list[str]:
    """Problems of an entry's text: slots, placeholders, raw figures, invisible characters, ads."""
    out: list[str] = []
    if not text.strip():
        return ["text 为空"]
    for match in _BRACE_RE.finditer(text):
        name = match.group(1)
        if name in _LEVEL_FORMS:
            slot = _LEVEL_FORMS[name]
            out.append(f"槽位 {{{name}}} 请写成 {{{slot}}}：它按层级自动变为 {'/'.join(LEVEL_SLOTS[slot])}")
        elif name not in ALL_SLOTS:
            out.append(f"未知槽位 {{{name}}}{_suggest(name, ALL_SLOTS)}（槽位表见 docs/phrasebank.md）")
    rest = _BRACE_RE.sub("", text)
    if "{" in rest or "}" in rest:
        out.append("花括号不成对：槽位应写成 {全市} 这样的形式")
    depth_open: int | None = None
    broken = False
    spans: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if char == "【":
            if depth_open is not None:
                broken = True
            depth_open = index
        elif char == "】":
            if depth_open is None:
                broken = True
            else:
                spans.append((depth_open, index + 1))
                depth_open = None
    if broken or depth_open is not None:
        out.append("占位符括号【】不成对：每个【都要有对应的】，且不能嵌套")
    for start, end in spans:
        if not PLACEHOLDER_RE.fullmatch(text, start, end):
            out.append(f"占位符过长：{text[start:end][:24]}……（【】内最多 20 个字，不能换行）")
    outside = list(text)
    for start, end in spans:
        outside[start:end] = " " * (end - start)
    raw = _RAW_FIGURE_RE.search("".join(outside))
    if raw:
        out.append(f"待填数字写成了「{raw.group()}」：请写成占位符【X】（例如【X】亿元、【X】%）")
    invisible = sorted({f"U+{ord(c):04X}" for c in text if c == "\t" or INVISIBLE_RE.match(c)})
    if invisible:
        out.append(f"text 含有控制字符 {'、'.join(invisible)}：请删除")
    if "\n" in text.strip() or "\r" in text:
        out.append("text 中有换行：一个条目应当是一段话，请写成一行")
    if is_dirt(text):
        out.append("text 像是广告、联系方式或水印，不是讲话内容：请删除这一条目")
    if "《{地名}" in text or "《{省}" in text:
        out.append(
            "文件名中不能用 {地名} 或 {省}：别处没有同名文件，会给每个地方编出一个文件名；"
            "请写成【本地条例名称】（drafter bank generalize ID 片段）"
        )
    for hit in find_typos(text):
        out.append(f"错别字「{hit.found}」应为「{hit.instead}」（{hit.why}）")
    return out


class _FileChecker:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.ids: list[tuple[str, int]] = []
        self.skeleton_ids: list[tuple[str, int]] = []
        self.entries = 0

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def check(self, text: str) -> None:
        _, invisible = blank_invisible(text)
        for line, message in invisible:
            self.add(line, message)
        try:
            parsed = parse_bank_text(text, path=self.path)
        except BankError as e:
            self.add(e.line or 1, e.message)
            return
        root = parsed.root
        if root is None:
            return
        if not isinstance(root, MappingNode):
            self.add(line_of(root), "文件顶层应当是映射：以“entries:”开头，下面是“- id: …”条目列表")
            return
        seen: set[str] = set()
        for name, key, value in mapping_pairs(root):
            if name not in TOP_KEYS:
                shown = name if name is not None else key.value
                self.add(
                    line_of(key),
                    f"未知的顶层键「{shown}」{_suggest(str(shown), TOP_KEYS)}（只能有 entries: 和 skeletons:）",
                )
                continue
            if name in seen:
                self.add(line_of(key), f"{name}: 出现了两次：后一个会覆盖前一个，请合并成一个列表")
            seen.add(name)
            if isinstance(value, ScalarNode) and value.tag == "tag:yaml.org,2002:null":
                continue
            if not isinstance(value, SequenceNode):
                self.add(line_of(value), f"{name} 应当是列表：每一项以“- ”开头")
        data = parsed.data
        for item, raw in entry_items(parsed):
            self.entries += 1
            self.check_entry(item, raw)
        skeletons = top_value(parsed, "skeletons")
        raw_skeletons = data.get("skeletons") if isinstance(data, dict) else None
        if isinstance(skeletons, SequenceNode) and isinstance(raw_skeletons, list):
            for item, raw in zip(skeletons.value, raw_skeletons, strict=True):
                self.check_skeleton(item, raw)

    def _fields(self, node: MappingNode, allowed: Iterable[str], what: str) -> dict[str, Node]:
        allowed = tuple(allowed)
        fields: dict[str, Node] = {}
        for name, key, value in mapping_pairs(node):
            if name is None:
                self.add(line_of(key), f"{what}的字段名应当是文字")
                continue
            if name in fields:
                self.add(line_of(key), f"字段 {name} 在同一{what}中出现了两次：后一个会覆盖前一个")
            if name not in allowed:
                self.add(
                    line_of(key),
                    f"未知字段「{name}」{_suggest(name, allowed)}（可用字段：{'、'.join(allowed)}）",
                )
                continue
            fields[name] = value
        return fields

    def check_entry(self, node: Node, raw: Any) -> None:
        start = len(self.problems)
        if not isinstance(node, MappingNode) or not isinstance(raw, dict):
            self.add(line_of(node), "条目应当是“字段: 值”的映射，以“- id: …”开头")
            return
        fields = self._fields(node, FIELD_ORDER, "条目")
        for name in REQUIRED_FIELDS:
            if name not in fields:
                self.add(line_of(node), f"条目缺少必填字段 {name}")
            elif raw.get(name) in (None, ""):
                self.add(line_of(fields[name]), f"字段 {name} 不能为空")

        def wrong_type(name: str, expected: str) -> None:
            self.add(line_of(fields[name]), f"{name} 应当是{expected}，现在是{_type_name(raw[name])}")

        if "id" in fields and raw["id"] not in (None, ""):
            entry_id = raw["id"]
            if not isinstance(entry_id, str):
                wrong_type("id", "文字（数字请加引号）")
            elif not safe_id_re().match(entry_id):
                self.add(
                    line_of(fields["id"]),
                    f"id「{entry_id}」写法不对：只能含字母、数字、汉字和 - _ .，不能有空格，最长 80 字",
                )
            self.ids.append((str(entry_id), line_of(fields["id"])))
        if "role" in fields and raw["role"] not in (None, ""):
            role = raw["role"]
            if not isinstance(role, str):
                wrong_type("role", "文字")
            elif role not in ROLES:
                tail = _suggest(role, ROLES) or f"（可用角色：{'、'.join(ROLES)}）"
                self.add(line_of(fields["role"]), f"未知角色「{role}」{tail}")
        if "text" in fields and raw["text"] not in (None, ""):
            if not isinstance(raw["text"], str):
                wrong_type("text", "文字")
            else:
                for message in text_problems(raw["text"]):
                    self.add(line_of(fields["text"]), message)
        for name, choices, label in (("topics", TOPICS, "主题"), ("levels", LEVELS, "层级")):
            if name in fields:
                self._check_choices(name, fields[name], raw[name], choices, label)
        if "years" in fields:
            self._check_years(fields["years"], raw["years"])
        for name in ("source", "scope"):
            value = raw.get(name)
            if name in fields and not (
                value is None
                or isinstance(value, str)
                or (isinstance(value, list) and all(isinstance(x, str) for x in value))
            ):
                wrong_type(name, "文字或文字列表")
        for name in ("locked", "rejected"):
            if name in fields and not isinstance(raw[name], bool):
                wrong_type(name, "true 或 false")
        for name in ("style", "note"):
            if name in fields and raw[name] is not None and not isinstance(raw[name], str):
                wrong_type(name, "文字")
        if raw.get("locked") is True and raw.get("rejected") is True:
            self.add(
                line_of(fields["rejected"]),
                "locked 和 rejected 不能同时为 true：要保留就去掉 rejected，要弃用就去掉 locked",
            )
        if len(self.problems) == start:  # safety net: whatever the loader rejects, check rejects too
            try:
                entry_from_mapping(raw, path=self.path, line=line_of(node))
            except BankError as e:
                self.add(line_of(node), e.message)

    def _check_choices(self, name: str, node: Node, value: Any, choices: tuple[str, ...], label: str) -> None:
        if value is None:
            return
        items = node.value if isinstance(node, SequenceNode) else [node]
        values = value if isinstance(value, list) else [value]
        seen: set[str] = set()
        for item_node, item in zip(items, values, strict=True):
            if not isinstance(item, str):
                self.add(line_of(item_node), f"{name} 的每一项应当是文字，现在是{_type_name(item)}")
                continue
            if item not in choices:
                tail = _suggest(item, choices) or f"（可用{label}：{'、'.join(choices)}）"
                self.add(line_of(item_node), f"未知{label}「{item}」{tail}")
            elif item in seen:
                self.add(line_of(item_node), f"{label}「{item}」重复")
            seen.add(item)

    def _check_years(self, node: Node, value: Any) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.add(
                line_of(node), f"years 应当写成 2021-2025、2023-、-2022 或 2026，现在是{_type_name(value)}"
            )
            return
        try:
            years = parse_years(value, line=line_of(node))
        except BankError as e:
            self.add(line_of(node), f"{e.message}：{e.hint}" if e.hint else e.message)
            return
        if (years.start is not None and years.start > MAX_YEAR) or (
            years.end is not None and years.end < MIN_YEAR
        ):
            self.add(
                line_of(node),
                f"years「{value}」与 drafter 支持的会议年份 {MIN_YEAR}–{MAX_YEAR} 没有交集：这个条目永远用不上",
            )

    def check_skeleton(self, node: Node, raw: Any) -> None:
        start = len(self.problems)
        if not isinstance(node, MappingNode) or not isinstance(raw, dict):
            self.add(line_of(node), "骨架应当是“字段: 值”的映射，以“- id: …”开头")
            return
        fields = self._fields(node, SKELETON_FIELDS, "骨架")
        for name in ("id", "parts"):
            if name not in fields:
                self.add(line_of(node), f"骨架缺少必填字段 {name}")
        if "id" in fields:
            self.skeleton_ids.append((str(raw["id"]), line_of(fields["id"])))
        if "points" in fields and (isinstance(raw["points"], bool) or not isinstance(raw["points"], int)):
            self.add(line_of(fields["points"]), f"points 应当是整数，现在是{_type_name(raw['points'])}")
        parts_node, parts = fields.get("parts"), raw.get("parts")
        if parts_node is not None:
            if not isinstance(parts_node, SequenceNode) or not isinstance(parts, list):
                self.add(line_of(parts_node), "parts 应当是列表")
            else:
                for part_node, part in zip(parts_node.value, parts, strict=True):
                    self._check_part(part_node, part)
        if len(self.problems) == start:
            try:
                skeleton_from_mapping(raw, path=self.path)
            except BankError as e:
                self.add(line_of(node), e.message)

    def _check_part(self, node: Node, raw: Any) -> None:
        if not isinstance(node, MappingNode) or not isinstance(raw, dict):
            self.add(line_of(node), "parts 的每一项应当是映射（topics、sub_style、sub_count、has_lead）")
            return
        fields = self._fields(node, SKELETON_PART_FIELDS, "部分")
        if "topics" in fields:
            if raw["topics"] is not None and not isinstance(raw["topics"], list):
                self.add(line_of(fields["topics"]), "topics 应当是列表")
            else:
                self._check_choices("topics", fields["topics"], raw["topics"], TOPICS, "主题")
        if "sub_count" in fields and (
            isinstance(raw["sub_count"], bool) or not isinstance(raw["sub_count"], int)
        ):
            self.add(line_of(fields["sub_count"]), "sub_count 应当是整数")
        if "has_lead" in fields and not isinstance(raw["has_lead"], bool):
            self.add(line_of(fields["has_lead"]), "has_lead 应当是 true 或 false")


def check_text(text: str, *, path: Path) -> FileCheck:
    """Every problem of one bank file's text (duplicate ids within the file included)."""
    checker = _FileChecker(path)
    checker.check(text)
    _duplicates(checker.ids, path, "id", checker.problems, {})
    _duplicates(checker.skeleton_ids, path, "骨架 id", checker.problems, {})
    return FileCheck(
        path=path,
        problems=tuple(sorted(checker.problems)),
        ids=tuple(checker.ids),
        skeleton_ids=tuple(checker.skeleton_ids),
    )


def _duplicates(
    ids: Iterable[tuple[str, int]],
    path: Path,
    what: str,
    out: list[Problem],
    first: dict[str, tuple[Path, int]],
) -> None:
    for entry_id, line in ids:
        if entry_id in first:
            where_path, where_line = first[entry_id]
            where = f"第 {where_line} 行" if where_path == path else f" {where_path}:{where_line} "
            out.append(Problem(path, line, f"{what}「{entry_id}」重复：已在{where}出现过"))
        else:
            first[entry_id] = (path, line)


def check_bank_dir(folder: Path, *, full: bool = False) -> BankReport:
    """Check every file of a bank folder; duplicate ids are found across files. Raises BankError if the
    folder is missing or not a folder.

    A file unchanged since an earlier check (same size, mtime and inode, same code) is not parsed again:
    what checking it found is read from the check cache. ``full`` checks every file afresh."""
    if not folder.exists():
        raise BankError("语料库文件夹不存在", path=folder, hint="请检查 --bank 或 DRAFTER_BANK 的路径。")
    if not folder.is_dir():
        raise BankError("语料库应当是一个文件夹", path=folder, hint="--bank 请给出存放 .yaml 文件的文件夹。")
    problems: list[Problem] = []
    first_ids: dict[str, tuple[Path, int]] = {}
    first_skeletons: dict[str, tuple[Path, int]] = {}
    files = entries = skeletons = 0
    with paused_gc():
        for path in bank_files(folder):
            files += 1
            checker = _checked_file(path, full=full)
            _duplicates(checker.ids, path, "id", checker.problems, first_ids)
            _duplicates(checker.skeleton_ids, path, "骨架 id", checker.problems, first_skeletons)
            problems.extend(sorted(checker.problems))
            entries += checker.entries
            skeletons += len(checker.skeleton_ids)
    return BankReport(
        folder=folder, files=files, entries=entries, skeletons=skeletons, problems=tuple(problems)
    )


def _checked_file(path: Path, *, full: bool) -> _FileChecker:
    """One file checked on its own (no cross-file duplicates yet): from the check cache when fresh."""
    checker = _FileChecker(path)
    try:
        st: os.stat_result | None = path.stat()
    except OSError:
        st = None  # read_bank_text reports it
    if st is not None and not full and (cached := read_cached_check(path, st)) is not None:
        try:
            checker.problems = [
                Problem(path, int(line), str(message)) for line, message in cached["problems"]
            ]
            checker.ids = [(str(i), int(line)) for i, line in cached["ids"]]
            checker.skeleton_ids = [(str(i), int(line)) for i, line in cached["skeleton_ids"]]
            checker.entries = cached["entries"]
            return checker
        except (TypeError, ValueError):  # a damaged cache file: check afresh
            checker = _FileChecker(path)
    try:
        checker.check(read_bank_text(path))
    except BankError as e:
        checker.add(e.line or 1, e.message)
    if st is not None:
        payload = {
            "problems": [[p.line, p.message] for p in checker.problems],
            "ids": [list(pair) for pair in checker.ids],
            "skeleton_ids": [list(pair) for pair in checker.skeleton_ids],
            "entries": checker.entries,
        }
        write_cached_check(path, st, payload)
    return checker


def check_roots(user_dirs: list[Path], *, with_bundled: bool = False) -> list[Path]:
    """The folders ``bank check`` checks: ``--bank`` and DRAFTER_BANK; the bundled bank when neither is
    given or ``with_bundled``. Each folder once."""
    roots = list(user_dirs)
    env = os.environ.get(BANK_ENV)
    if env:
        roots.append(Path(env))
    if not roots or with_bundled:
        roots.append(bundled_bank_dir())
    unique: list[Path] = []
    seen: set[Path] = set()
    for root in roots:
        key = root.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(root)
    return unique
