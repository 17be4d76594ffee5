"""Bank stage: add, remove, lock and reject entries in a user's bank.

Edits splice text (``drafter.bank.splice``), never re-dump a file, so every byte outside the one entry
stays as it was. Before writing, the new text is parsed back and must hold exactly the old data plus the
one change and no new problem (``drafter bank check``); the write is atomic (``drafter.fsutil``).

The bundled bank is read-only: edits go to ``--bank DIR`` or ``DRAFTER_BANK``. Locking or rejecting an
entry of another layer copies it into the user's bank with the same id, which overrides it.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from drafter.bank.check import check_text, text_problems
from drafter.bank.load import BANK_ENV, bank_files, load_bank_dir
from drafter.bank.lock import bank_lock
from drafter.bank.nodes import entry_items, parse_bank_text, read_bank_text
from drafter.bank.schema import ROLES, entry_from_mapping, entry_to_mapping, parse_years
from drafter.bank.splice import HINT_CHECK, Flag, append_entry_text, flag_splice, remove_entry_text
from drafter.errors import BankError
from drafter.facts.topics import TOPICS, classify_topics
from drafter.facts.vocab import SLOT_RE, generalize_level_words
from drafter.fsutil import write_text_atomic
from drafter.models import LEVELS, Entry
from drafter.read.clean import normalize_text
from drafter.resources import bundled_bank_dir

# Roles chosen by topic when drafting a part: an entry of these needs at least one topic.
TOPICAL_ROLES = ("heading", "part_lead", "point")
SCHEMA_LINE_PREFIX = "# yaml-language-server:"


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
            f"修改后文件会有新问题：{first}，已放弃修改（文件未改动）", path=path, hint=HINT_CHECK
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
    for key in ("topics", "levels", "source", "scope"):
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
    bank_dir: Path | None,
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
    path = _target_file(bank_dir, role, file_name)
    with bank_lock(bank_dir):  # read, check and write as one step: a concurrent edit is never lost
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
    with bank_lock(bank_dir):
        return _remove_entry(entry_id, bank_dir)


def _remove_entry(entry_id: str, bank_dir: Path) -> EditResult:
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
    with bank_lock(bank_dir):
        return _set_entry_flag(entry_id, bank_dir, flag, value)


def _set_entry_flag(entry_id: str, bank_dir: Path, flag: Flag, value: bool) -> EditResult:
    found = _find_in_dir(bank_dir, entry_id)
    other: Flag = "rejected" if flag == "locked" else "locked"
    if found is not None:
        path, old_text = found
        new_text, changes = flag_splice(old_text, entry_id, flag, value, path=path)
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


def generalize_entry(
    entry_id: str, *, bank_dir: Path | None, fragment: str, replacement: str | None = None
) -> tuple[EditResult, Entry]:
    """Settle a place- or moment-bound entry by rewriting ``fragment`` of its text as ``replacement``
    (default: the 【】 slot for a local name or regulation; "" deletes it). The entry's scope is
    recomputed and the change recorded in its note. An entry of another layer is copied into the
    user's bank with the same id. Returns the result and the new entry. Raises BankError if the id is
    unknown, the fragment is not in the text, or the file cannot be edited safely."""
    bank_dir = edit_bank_dir(bank_dir)
    with bank_lock(bank_dir):  # read, check and write as one step
        return _generalize_entry(entry_id, bank_dir, fragment, replacement)


def _generalize_entry(
    entry_id: str, bank_dir: Path, fragment: str, replacement: str | None
) -> tuple[EditResult, Entry]:
    import re

    from drafter.mine.scope import LOCAL_NAME_SLOT, LOCAL_REGULATION_SLOT, scope_flags, scope_labels

    entry = _layered_entries(bank_dir).get(entry_id)
    if entry is None:
        raise BankError(f"找不到 id 为「{entry_id}」的条目", hint="用 drafter bank review 列出待处理的条目。")
    if not fragment or fragment not in entry.text:
        raise BankError(
            f"条目 {entry_id} 的正文中没有「{fragment}」",
            hint="照抄正文中要替换的那几个字（drafter bank show ID 可看全文）。",
        )
    if replacement is None:
        kinds = {f.kind for f in scope_flags(entry.text) if fragment in f.match or f.match in fragment}
        if kinds & {"时效", "事件"}:
            replacement = ""  # a moment or an episode: the words go
        else:
            replacement = LOCAL_REGULATION_SLOT if fragment.startswith("《") else LOCAL_NAME_SLOT
    text = entry.text.replace(fragment, replacement).replace("，，", "，")
    text = re.sub(r"(^|[。；！？])[，、]", r"\1", text).strip()
    if not text.strip():
        raise BankError("替换后正文为空", hint="不想再用这个条目，请用 drafter bank reject。")
    shown = replacement or "（删去）"
    note = "；".join(x for x in (entry.note, f"通用化：{fragment} → {shown}") if x)
    new = replace(entry, text=text, scope=scope_labels(text), note=note)
    mapping = _entry_mapping(new)
    found = _find_in_dir(bank_dir, entry_id)
    if found is None:
        path = _target_file(bank_dir, entry.role, None)
        created_file, created_folder = _write_appended(path, mapping)
        result = EditResult(
            entry_id, path, copied_from=entry.file, created_file=created_file, created_folder=created_folder
        )
        return result, new
    path, old_text = found
    new_text = append_entry_text(remove_entry_text(old_text, entry_id, path=path), mapping, path=path)

    def expect(old: list[Any]) -> list[Any]:
        return [*(e for e in old if not (isinstance(e, dict) and e.get("id") == entry_id)), mapping]

    _verify(old_text, new_text, path=path, expect=expect)
    write_text_atomic(path, new_text)
    return EditResult(entry_id, path), new
