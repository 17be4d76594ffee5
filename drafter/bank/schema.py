"""The phrase-bank entry schema: roles, fields, and conversion between YAML mappings and Entry.

A bank folder holds ``*.yaml`` files; each is a mapping with ``entries:`` (a list of entries) and/or
``skeletons:`` (a list of speech shapes). See docs/phrasebank.md.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from drafter.errors import BankError
from drafter.facts.topics import TOPICS
from drafter.models import LEVELS, MAX_YEAR, MIN_YEAR, Entry, Skeleton, SkeletonPart, YearRange

# role -> what it is (Chinese, shown in docs and `bank stats`)
ROLES: dict[str, str] = {
    "opening": "开场：会议主要任务、刚才的发言",
    "review_intro": "回顾上年工作的总述",
    "review_item": "上年成绩条目（一是……）",
    "problem_intro": "转入问题的过渡（看到成绩的同时……）",
    "problem_item": "问题不足条目（一是……）",
    "situation": "形势与任务：今年是……",
    "transition": "过渡句、承上启下",
    "heading": "部分标题（不含“一、”“第一，”编号）",
    "part_lead": "部分导语：标题后的总述段",
    "point": "要点段落（不含“一是/一要/（一）”编号）",
    "quote": "引语：习近平总书记强调……",
    "extra": "“最后，我再强调一下……”类附带事项",
    "closing": "结尾：同志们，……",
}

REQUIRED_FIELDS = ("id", "text", "role")
OPTIONAL_FIELDS = ("topics", "levels", "years", "source", "locked", "rejected", "style", "scope", "note")
FIELD_ORDER = (
    *REQUIRED_FIELDS[:1],
    "role",
    "topics",
    "levels",
    "years",
    "text",
    "source",
    "style",
    "scope",
    "locked",
    "rejected",
    "note",
)
SKELETON_FIELDS = ("id", "source", "points", "heading_style", "sections", "parts")
SKELETON_PART_FIELDS = ("topics", "sub_style", "sub_count", "has_lead")

ID_RE = re.compile(r"^[a-z][a-z_]*-[0-9a-z][0-9a-z_-]{2,40}$")
YEARS_RE = re.compile(r"^\s*(\d{4})?\s*(?:(-)\s*(\d{4})?)?\s*$")


def parse_years(value: object, *, path: Path | None = None, line: int | None = None) -> YearRange:
    """'2021-2025', '2023-', '-2022', '2026' or 2026 -> YearRange. Raises BankError."""
    if value is None or value == "":
        return YearRange()
    text = str(value)
    match = YEARS_RE.match(text)
    if not match or not (match.group(1) or match.group(3)):
        raise BankError(
            f"years 写法不对：「{text}」", path=path, line=line, hint="写成 2021-2025、2023-、-2022 或 2026。"
        )
    start = int(match.group(1)) if match.group(1) else None
    end = int(match.group(3)) if match.group(3) else (start if not match.group(2) else None)
    for year in (start, end):
        if year is not None and not 2000 <= year <= 2100:
            raise BankError(
                f"years 中的年份 {year} 不合理",
                path=path,
                line=line,
                hint=f"drafter 支持 {MIN_YEAR}–{MAX_YEAR} 年的会议。",
            )
    if start is not None and end is not None and start > end:
        raise BankError(
            f"years 起止颠倒：「{text}」", path=path, line=line, hint="起始年份应不晚于结束年份。"
        )
    return YearRange(start, end)


def _str_tuple(raw: Any, field: str, path: Path | None, line: int | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not all(isinstance(x, str | int) for x in raw):
        raise BankError(f"{field} 应当是字符串列表", path=path, line=line)
    return tuple(str(x) for x in raw)


def entry_from_mapping(raw: Any, *, path: Path | None = None, line: int | None = None) -> Entry:
    """Build an Entry from a loaded YAML mapping. Raises BankError on a bad field."""
    if not isinstance(raw, dict):
        raise BankError("条目应当是键值映射（id: …、text: …）", path=path, line=line)
    for field in REQUIRED_FIELDS:
        if field not in raw or raw[field] in (None, ""):
            raise BankError(f"条目缺少字段 {field}", path=path, line=line)
    unknown = sorted(set(raw) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise BankError(
            f"未知字段：{'、'.join(map(str, unknown))}",
            path=path,
            line=line,
            hint=f"可用字段：{'、'.join(FIELD_ORDER)}。",
        )
    if not isinstance(raw["text"], str) or not isinstance(raw["id"], str):
        raise BankError("id 和 text 应当是字符串", path=path, line=line)
    role = raw["role"]
    if role not in ROLES:
        raise BankError(
            f"未知角色 role: {role}", path=path, line=line, hint=f"可用角色：{'、'.join(ROLES)}。"
        )
    topics = _str_tuple(raw.get("topics"), "topics", path, line)
    bad_topics = [t for t in topics if t not in TOPICS]
    if bad_topics:
        raise BankError(
            f"未知主题：{'、'.join(bad_topics)}",
            path=path,
            line=line,
            hint=f"可用主题：{'、'.join(TOPICS)}。",
        )
    levels = _str_tuple(raw.get("levels"), "levels", path, line) or LEVELS
    bad_levels = [v for v in levels if v not in LEVELS]
    if bad_levels:
        raise BankError(
            f"未知层级：{'、'.join(bad_levels)}", path=path, line=line, hint="层级只能是 市、县、区。"
        )
    for flag in ("locked", "rejected"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise BankError(f"{flag} 应当是 true 或 false", path=path, line=line)
    return Entry(
        id=raw["id"],
        text=raw["text"],
        role=role,
        topics=topics,
        levels=levels,
        years=parse_years(raw.get("years"), path=path, line=line),
        source=_str_tuple(raw.get("source"), "source", path, line),
        locked=bool(raw.get("locked", False)),
        rejected=bool(raw.get("rejected", False)),
        style=raw.get("style"),
        note=raw.get("note"),
        scope=_str_tuple(raw.get("scope"), "scope", path, line),
        file=path,
        line=line,
    )


def entry_to_mapping(entry: Entry) -> dict[str, Any]:
    """The YAML mapping of an entry, in FIELD_ORDER, without defaults."""
    out: dict[str, Any] = {"id": entry.id, "role": entry.role}
    if entry.topics:
        out["topics"] = list(entry.topics)
    if tuple(entry.levels) != LEVELS:
        out["levels"] = list(entry.levels)
    if entry.years.start is not None or entry.years.end is not None:
        out["years"] = str(entry.years)
    out["text"] = entry.text
    if entry.source:
        out["source"] = list(entry.source)
    if entry.style:
        out["style"] = entry.style
    if entry.scope:
        out["scope"] = list(entry.scope)
    if entry.locked:
        out["locked"] = True
    if entry.rejected:
        out["rejected"] = True
    if entry.note:
        out["note"] = entry.note
    return out


def skeleton_from_mapping(raw: Any, *, path: Path | None = None) -> Skeleton:
    if not isinstance(raw, dict) or "id" not in raw or "parts" not in raw:
        raise BankError("骨架应当含有 id 和 parts", path=path)
    try:
        parts = tuple(
            SkeletonPart(
                topics=tuple(p.get("topics") or ()),
                sub_style=p.get("sub_style"),
                sub_count=int(p.get("sub_count", 0)),
                has_lead=bool(p.get("has_lead", False)),
            )
            for p in raw["parts"]
        )
        return Skeleton(
            id=str(raw["id"]),
            source=str(raw.get("source", "")),
            points=int(raw.get("points", len(parts))),
            heading_style=raw.get("heading_style"),
            parts=parts,
            sections=tuple(raw.get("sections") or ()),
        )
    except (TypeError, ValueError, AttributeError) as e:
        raise BankError(f"骨架 {raw.get('id')} 的字段类型不对：{e}", path=path) from e


def skeleton_to_mapping(skeleton: Skeleton) -> dict[str, Any]:
    return {
        "id": skeleton.id,
        "source": skeleton.source,
        "points": skeleton.points,
        "heading_style": skeleton.heading_style,
        "sections": list(skeleton.sections),
        "parts": [
            {
                "topics": list(p.topics),
                "sub_style": p.sub_style,
                "sub_count": p.sub_count,
                "has_lead": p.has_lead,
            }
            for p in skeleton.parts
        ],
    }


# --- documentation and JSON Schema (for editors: `# yaml-language-server: $schema=…`) ----------

# field -> what it holds (Chinese), in FIELD_ORDER; shown in docs/phrasebank.md and the JSON Schema.
FIELD_DOCS: dict[str, str] = {
    "id": "条目的唯一标识，整个语料库内不得重复；用户语料库中同 id 的条目覆盖内置条目",
    "role": "条目在讲话中的角色（见角色表）",
    "topics": "主题列表（见主题表），按相关程度排序",
    "levels": "适用层级：市、县、区；省略表示三级都适用",
    "years": "适用的会议年份：2021-2025、2023-、-2022 或 2026；省略表示不限",
    "text": "条目正文：一段话；层级词写成槽位 {全市}，待填数字写成占位符【X】",
    "source": "出处列表：范文文件名:行号",
    "style": "在范文中的编号样式（一是、一要、（一）、一、……），仅供参考",
    "scope": "挖掘时发现的地域或时效问题（本地：“三本账”、时效：今年以来……）；有这一项的条目默认不用于初稿，"
    "写作者通用化、锁定（留作本地使用）或弃用后处理完毕",
    "locked": "true 表示写作者确认保留：重新挖掘不会改动它",
    "rejected": "true 表示弃用：生成初稿时不再使用",
    "note": "写作者的备注",
}
SKELETON_FIELD_DOCS: dict[str, str] = {
    "id": "骨架的唯一标识",
    "source": "来自哪篇范文",
    "points": "任务部分的个数",
    "heading_style": "部分标题的编号样式（一、或 第一，）",
    "sections": "讲话各段的顺序",
    "parts": "各任务部分：主题、小点编号样式、小点个数、是否有导语",
}
# Ids stay shell- and grep-friendly: letters, digits, CJK, '-', '_', '.'; no spaces.
SAFE_ID_PATTERN = r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff_.-]{0,79}$"


@cache
def safe_id_re() -> re.Pattern[str]:
    """SAFE_ID_PATTERN compiled when first checked (a CJK range takes milliseconds to compile)."""
    return re.compile(SAFE_ID_PATTERN)


YEARS_PATTERN = r"^\s*(\d{4})?\s*(-\s*(\d{4})?)?\s*$"


def _string_or_list(items: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "oneOf": [items, {"type": "array", "items": items, "uniqueItems": True}],
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of one bank file, generated from ROLES, TOPICS and FIELD_DOCS."""
    text = "; ".join(f"{name}：{doc}" for name, doc in ROLES.items())
    entry: dict[str, Any] = {
        "type": "object",
        "required": list(REQUIRED_FIELDS),
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": SAFE_ID_PATTERN, "description": FIELD_DOCS["id"]},
            "role": {"enum": list(ROLES), "description": f"{FIELD_DOCS['role']}。{text}"},
            "topics": _string_or_list({"enum": list(TOPICS)}, FIELD_DOCS["topics"]),
            "levels": _string_or_list({"enum": list(LEVELS)}, FIELD_DOCS["levels"]),
            "years": {
                "description": FIELD_DOCS["years"],
                "oneOf": [
                    {"type": "string", "pattern": YEARS_PATTERN},
                    {"type": "integer", "minimum": 2000, "maximum": 2100},
                    {"type": "null"},
                ],
            },
            "text": {
                "type": "string",
                "minLength": 1,
                "description": f"{FIELD_DOCS['text']}。槽位表见 docs/phrasebank.md",
            },
            "source": _string_or_list({"type": "string"}, FIELD_DOCS["source"]),
            "style": {"type": ["string", "null"], "description": FIELD_DOCS["style"]},
            "scope": _string_or_list({"type": "string"}, FIELD_DOCS["scope"]),
            "locked": {"type": "boolean", "description": FIELD_DOCS["locked"]},
            "rejected": {"type": "boolean", "description": FIELD_DOCS["rejected"]},
            "note": {"type": ["string", "null"], "description": FIELD_DOCS["note"]},
        },
    }
    part: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "topics": {"type": "array", "items": {"enum": list(TOPICS)}},
            "sub_style": {"type": ["string", "null"]},
            "sub_count": {"type": "integer", "minimum": 0},
            "has_lead": {"type": "boolean"},
        },
    }
    skeleton: dict[str, Any] = {
        "type": "object",
        "required": ["id", "parts"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "description": SKELETON_FIELD_DOCS["id"]},
            "source": {"type": "string", "description": SKELETON_FIELD_DOCS["source"]},
            "points": {"type": "integer", "minimum": 0, "description": SKELETON_FIELD_DOCS["points"]},
            "heading_style": {
                "type": ["string", "null"],
                "description": SKELETON_FIELD_DOCS["heading_style"],
            },
            "sections": {
                "type": "array",
                "items": {"type": "string"},
                "description": SKELETON_FIELD_DOCS["sections"],
            },
            "parts": {"type": "array", "items": part, "description": SKELETON_FIELD_DOCS["parts"]},
        },
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": "由 drafter.bank.schema.json_schema() 生成（drafter bank schema），请勿手改。",
        "title": "drafter 语料库文件",
        "description": "一个语料库文件：entries 是条目列表，skeletons 是讲话骨架列表。说明见 docs/phrasebank.md。",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "entries": {"type": ["array", "null"], "items": entry, "description": "条目列表"},
            "skeletons": {"type": ["array", "null"], "items": skeleton, "description": "骨架列表"},
        },
    }
