"""The --report of a draft: every paragraph's entries and sources, every placeholder to fill."""

from __future__ import annotations

import json
from dataclasses import dataclass

from drafter.facts.numerals import to_chinese
from drafter.facts.vocab import PLACEHOLDER_RE
from drafter.models import Draft

_CONTEXT_CHARS = 18
_KIND_NAMES = {
    "title": "标题",
    "byline": "署名",
    "salutation": "称呼",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "body": "正文",
    "closing": "结尾",
}


@dataclass(frozen=True)
class Placeholder:
    paragraph: int  # 1-based paragraph number in the draft
    text: str  # the placeholder, e.g. 【X亿元】
    context: str  # surrounding text


def find_placeholders(draft: Draft) -> list[Placeholder]:
    found = []
    for number, block in enumerate(draft.blocks, start=1):
        for match in PLACEHOLDER_RE.finditer(block.text):
            start, end = match.span()
            left = block.text[max(0, start - _CONTEXT_CHARS) : start]
            right = block.text[end : end + _CONTEXT_CHARS]
            found.append(Placeholder(number, match.group(0), f"{left}{match.group(0)}{right}"))
    return found


def render_report(draft: Draft, fmt: str) -> str:
    """The report as Markdown ("md") or JSON ("json")."""
    placeholders = find_placeholders(draft)
    paragraphs = [
        {
            "paragraph": number,
            "kind": block.kind,
            "text": block.text,
            "entries": list(block.entry_ids),
            "sources": list(block.sources),
        }
        for number, block in enumerate(draft.blocks, start=1)
    ]
    if fmt == "json":
        data = {
            "title": draft.title,
            "year": draft.year,
            "locality": draft.locality,
            "level": draft.level,
            "characters": sum(len(b.text) for b in draft.blocks),
            "notes": list(draft.notes),
            "paragraphs": paragraphs,
            "placeholders": [
                {"paragraph": p.paragraph, "text": p.text, "context": p.context} for p in placeholders
            ],
            "plan": list(getattr(draft, "outline", ())),
            "choices": [
                {
                    "part": c.part,
                    "entry": c.entry_id,
                    "topic": c.topic,
                    "subject": c.subject,
                    "reason": c.reason,
                }
                for c in getattr(draft, "choices", ())
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = [f"# 初稿报告：{draft.title}", ""]
    lines += [
        f"- 年份：{draft.year}；地方：{draft.locality}；层级：{draft.level}",
        f"- 全文约 {sum(len(b.text) for b in draft.blocks)} 字；待填占位符 {len(placeholders)} 处",
        "",
    ]
    if draft.notes:
        lines += ["## 提示", "", *[f"- {n}" for n in draft.notes], ""]
    lines += _plan_lines(draft)
    lines += ["## 待填占位符", ""]
    lines += [f"- 第 {p.paragraph} 段 {p.text}：……{p.context}……" for p in placeholders] or ["- （无）"]
    lines += ["", "## 段落来源", ""]
    for number, block in enumerate(draft.blocks, start=1):
        excerpt = block.text if len(block.text) <= 30 else block.text[:30] + "……"
        entries = "、".join(block.entry_ids)
        sources = "、".join(block.sources)
        origin = f"条目 {entries}（来源 {sources or '手写'}）" if entries else "模板"
        lines.append(f"{number}. [{_KIND_NAMES.get(block.kind, block.kind)}] {excerpt} —— {origin}")
    return "\n".join(lines) + "\n"


def _plan_lines(draft: Draft) -> list[str]:
    """The plan: each part's topic, why each point is there, what was left out and why."""
    outline = getattr(draft, "outline", ())
    if not outline:
        return []
    choices = getattr(draft, "choices", ())
    lines = ["## 讲话提纲", ""]
    for number, part in enumerate(outline, start=1):
        lines.append(
            f"### 第{to_chinese(number)}部分：{part['heading']}（{part['part']}，主题：{part['topic']}）"
        )
        lines.append("")
        lines.append(f"- 要点编号样式：{part['style']}")
        for index, point in enumerate(part["points"], start=1):
            if point["entry"]:
                subject = f"，事项：{point['subject']}" if point["subject"] else ""
                lines.append(f"- 要点 {index}：条目 {point['entry']}（入选：主题 {point['topic']}{subject}）")
            else:
                lines.append(f"- 要点 {index}：【】待写作者补写（语料库中切题要点不足）")
        rejected = [c for c in choices if c.part == part["part"] and c.reason != "入选"]
        for choice in rejected[:12]:
            subject = f"，事项：{choice.subject}" if choice.subject else ""
            lines.append(
                f"- 未用：条目 {choice.entry_id}（{choice.reason}：主题 {choice.topic or '无'}{subject}）"
            )
        if len(rejected) > 12:
            lines.append(f"- 另有 {len(rejected) - 12} 条未用条目从略")
        lines.append("")
    return lines
