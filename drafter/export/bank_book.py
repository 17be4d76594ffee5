"""Export stage: a phrase bank as a 素材汇编 for a reviewer (Word, in the draft's 公文 styles, or Markdown).

Entries are grouped by role (in the order of a speech) and, for the roles chosen by topic, by their
first topic. Each entry shows its id, years, levels, scope flags (stored or found now in its text),
state (locked, rejected) and sources, then its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from drafter.bank.schema import ROLES
from drafter.export.layout import FontConfig, Paragraph, clean_text
from drafter.facts.topics import TOPICS
from drafter.facts.typos import find_typos
from drafter.fsutil import check_writable_target, write_bytes_atomic, write_text_atomic
from drafter.mine.scope import scope_labels
from drafter.models import LEVELS, Entry

BY_TOPIC = ("heading", "part_lead", "point")
GUIDE = (
    "说明：条目按在讲话中的角色分组，标题、导语和要点再按主题分组。每条先列 id、适用的会议年份、层级和出处"
    "（范文文件名:行号），再列正文；正文中的 {全市} 等是按层级替换的槽位，【X】是待填的占位符。"
    "标有【提示】的条目只属于某地或某个时刻、或有错别字，请通用化、留作本地使用或弃用"
    "（drafter bank review 列出处理命令）。"
)
NO_TOPIC = "未分主题"


@dataclass(frozen=True)
class BookEntry:
    entry: Entry
    flags: tuple[str, ...]  # scope flags (stored and found now) and typos

    @property
    def meta(self) -> str:
        e = self.entry
        years = str(e.years) if e.years.start is not None or e.years.end is not None else "不限"
        levels = "、".join(e.levels) if tuple(e.levels) != LEVELS else "市、县、区"
        state = "；锁定" if e.locked else "；已弃用" if e.rejected else ""
        source = "、".join(e.source) or "无"
        return f"{e.id}　年份：{years}　层级：{levels}　出处：{source}{state}"


def entry_flags(entry: Entry) -> tuple[str, ...]:
    """What a reviewer should look at: stored scope flags, those the detectors find now, typos."""
    found = [*entry.scope, *scope_labels(entry.text)]
    found += [f"错别字：{hit.found}→{hit.instead}" for hit in find_typos(entry.text)]
    return tuple(dict.fromkeys(found))


def book_sections(entries: Iterable[Entry]) -> list[tuple[str, list[tuple[str, list[BookEntry]]]]]:
    """[(role heading, [(topic heading or "", entries)])] in speech order."""
    by_role: dict[str, dict[str, list[BookEntry]]] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        topic = (entry.topics[0] if entry.topics else NO_TOPIC) if entry.role in BY_TOPIC else ""
        by_role.setdefault(entry.role, {}).setdefault(topic, []).append(BookEntry(entry, entry_flags(entry)))
    order = {t: i for i, t in enumerate((*TOPICS, NO_TOPIC, ""))}
    out = []
    for role, label in ROLES.items():
        if role not in by_role:
            continue
        topics = sorted(by_role[role].items(), key=lambda item: order.get(item[0], 99))
        out.append((f"{label.split('：')[0].split('（')[0]}（{role}）", topics))
    return out


def _summary(entries: Sequence[Entry]) -> str:
    flagged = sum(1 for e in entries if entry_flags(e) and not e.rejected)
    rejected = sum(1 for e in entries if e.rejected)
    return f"共 {len(entries)} 条；待审（标有提示）{flagged} 条；已弃用 {rejected} 条。"


def book_paragraphs(entries: Sequence[Entry], *, title: str) -> list[Paragraph]:
    """The 素材汇编 as output paragraphs (title, role headings, topic headings, entry lines)."""
    out = [
        Paragraph("title", clean_text(title)),
        Paragraph("byline", _summary(entries)),
        Paragraph("body", GUIDE),
    ]
    for role_heading, topics in book_sections(entries):
        out.append(Paragraph("heading1", role_heading))
        for topic, items in topics:
            if topic:
                out.append(Paragraph("heading2", topic))
            for item in items:
                out.append(Paragraph("heading3", clean_text(item.meta)))
                if item.flags:
                    out.append(Paragraph("body", clean_text("【提示】" + "；".join(item.flags))))
                out.append(Paragraph("body", clean_text(item.entry.text)))
    return out


def bank_markdown(entries: Sequence[Entry], *, title: str) -> str:
    """The 素材汇编 as Markdown."""
    lines = [f"# {title}", "", _summary(entries), "", GUIDE, ""]
    for role_heading, topics in book_sections(entries):
        lines += [f"## {role_heading}", ""]
        for topic, items in topics:
            if topic:
                lines += [f"### {topic}", ""]
            for item in items:
                lines.append(f"**{item.meta}**")
                lines.append("")
                if item.flags:
                    lines += [f"> 提示：{'；'.join(item.flags)}", ""]
                lines += [item.entry.text, ""]
    return "\n".join(lines)


def write_bank_book(
    entries: Sequence[Entry], path: Path, *, title: str, fmt: str = "docx", force: bool = False
) -> None:
    """Write the 素材汇编 (.docx or .md) atomically. Raises ExportError for a target it may not write."""
    check_writable_target(path, force=force)
    if fmt == "md":
        write_text_atomic(path, bank_markdown(entries, title=title))
        return
    from drafter.export.docx_file import build_docx

    data = build_docx(book_paragraphs(entries, title=title), fonts=FontConfig(), title=title)
    write_bytes_atomic(path, data)
