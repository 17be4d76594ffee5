"""Export stage: what every output format shares: font settings, a Draft as output paragraphs
(cleaned for XML), and the title's line breaks. Imported by ``word`` (.docx) and ``write`` (md/txt)."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path

from drafter.errors import ExportError
from drafter.facts.vocab import PLACEHOLDER_RE
from drafter.models import Block, Draft

FORMATS: tuple[str, ...] = ("docx", "md", "txt")
_SUFFIX_FORMAT = {".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt", ".text": "txt"}

# Characters that must never reach the XML (or a preview): C0/C1 controls except tab and line
# breaks, lone surrogates, non-characters. Line breaks split a block into paragraphs.
# As translation tables, not regular expressions: a character class reaching \uffff takes milliseconds to
# compile, at every draft's start.
_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines breaks at ("\r\n" is one)
# C0/C1 controls but tab and breaks, lone surrogates, non-characters
_CONTROL_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x08),
    (0x0E, 0x1B),
    (0x1F, 0x1F),
    (0x7F, 0x84),
    (0x86, 0x9F),
    (0xD800, 0xDFFF),
    (0xFDD0, 0xFDEF),
    (0xFFFE, 0xFFFF),
)


@cache
def _clean_table() -> dict[int, str | None]:
    """Line breaks to "\n", the characters XML cannot carry to nothing."""
    table: dict[int, str | None] = {ord(c): "\n" for c in _BREAKS}
    table.update((code, None) for low, high in _CONTROL_RANGES for code in range(low, high + 1))
    return table


_MD_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### ", "heading3": "#### "}


# --- fonts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontConfig:
    """Font names per role. ``latin`` (None: each role's own font) sets the ASCII/hAnsi slots."""

    title: str = "方正小标宋简体"
    byline: str = "楷体_GB2312"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    heading3: str = "仿宋_GB2312"
    page_number: str = "宋体"
    latin: str | None = None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str], *, path: Path | None = None) -> FontConfig:
        """Build from ``{key: font}``; keys are field names or their Chinese names (正文, 标题 ...).

        Raises ExportError for an unknown key or an unusable font name.
        """
        values: dict[str, str] = {}
        for raw_key, raw_name in mapping.items():
            key = FONT_KEYS.get(str(raw_key).strip())
            if key is None:
                raise ExportError(
                    f"未知的字体项「{raw_key}」",
                    path=path,
                    hint="可用的字体项："
                    + "、".join(f"{k}（{zh}）" for k, zh in _FONT_KEY_ZH.items())
                    + "。",
                )
            values[key] = _font_name(raw_name, key=str(raw_key), path=path)
        return replace(cls(), **values)

    def latin_for(self, role_font: str) -> str:
        return self.latin or role_font


_FONT_KEY_ZH = {
    "title": "标题",
    "byline": "署名",
    "body": "正文",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "heading3": "三级标题",
    "page_number": "页码",
    "latin": "西文",
}
FONT_KEYS: dict[str, str] = {f.name: f.name for f in fields(FontConfig)} | {
    zh: key for key, zh in _FONT_KEY_ZH.items()
}


def _font_name(value: object, *, key: str, path: Path | None) -> str:
    name = str(value).strip() if value is not None else ""
    if not name or len(name) > 64 or any(unicodedata.category(c)[0] == "C" for c in name):
        raise ExportError(
            f"字体项「{key}」的字体名无效：「{name[:64]}」",
            path=path,
            hint="请写出字体的名称，例如 正文=仿宋_GB2312。",
        )
    return name


# --- text shared by every format ------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """One output paragraph: a block (or one line of a block), cleaned for XML."""

    kind: str
    text: str
    lead: str = ""


def clean_text(text: str) -> str:
    """Drop characters XML cannot carry (controls, surrogates, non-characters); keep line breaks."""
    if text.isprintable():  # nothing to change (the common case: no break, no control character)
        return text
    return text.replace("\r\n", "\n").translate(_clean_table())


def draft_paragraphs(draft: Draft) -> list[Paragraph]:
    """The draft as output paragraphs: the title first (from the blocks or ``draft.title``)."""
    blocks = list(draft.blocks)
    if not any(b.kind == "title" for b in blocks) and draft.title.strip():
        blocks.insert(0, Block("title", draft.title))
    result: list[Paragraph] = []
    for block in blocks:
        result.extend(_block_paragraphs(block))
    return result


def _block_paragraphs(block: Block) -> Iterator[Paragraph]:
    text = clean_text(block.text)
    if block.kind == "title":
        # One paragraph; a line break the composer put in is kept as a preferred break.
        yield Paragraph("title", "\n".join(t.strip() for t in text.split("\n") if t.strip()))
        return
    lead = clean_text(block.lead).strip()
    for i, line in enumerate(text.split("\n")):
        if line.strip() or i == 0:
            yield Paragraph(block.kind, line, lead if i == 0 else "")


# --- titles -----------------------------------------------------------------------------------

TITLE_CHARS = 20  # 二号 characters in a 156 mm line

_PUNCT_BREAK = "，、：；"
# A break right after / right before these is natural; rank 1 (rank 0: after punctuation).
_BREAK_AFTER = ("政府", "会议", "大会", "讲话")
_BREAK_BEFORE = ("第", "暨", "廉政", "党风廉政", "全面从严治党", "工作会议", "推进会", "会议")
# Never split inside these.
_WORDS = ("人民政府", "政府系统", "党风廉政", "廉政建设", "廉政工作", "工作会议", "全面从严治党", "推进会")
_ORDINAL_RE = (
    r"第[0-9一二三四五六七八九十百X【】]{1,8}次(?:廉政|全体|常务)?"  # compiled when a title is broken
)
_NO_LINE_START = "，。、：；！？）”’》】…—上的"


def _width(text: str) -> float:
    """Display width in full-width characters: ASCII and Latin letters count half."""
    return sum(0.5 if ord(c) < 0x2E80 and c not in "“”‘’—…" else 1.0 for c in text)


def _break_points(title: str) -> dict[int, int]:
    """position -> rank of the places a title may break (0 best)."""
    blocked: set[int] = set()
    patterns = [PLACEHOLDER_RE, re.compile(_ORDINAL_RE), re.compile(r"[0-9A-Za-z]+")]
    patterns += [re.compile(re.escape(word)) for word in _WORDS]
    for pattern in patterns:
        for m in pattern.finditer(title):
            blocked.update(range(m.start() + 1, m.end()))
    points: dict[int, int] = {}
    for i, c in enumerate(title[:-1]):
        if c in _PUNCT_BREAK:
            points[i + 1] = 0
    for token in _BREAK_AFTER:
        for m in re.finditer(re.escape(token), title):
            points.setdefault(m.end(), 1)
    for token in _BREAK_BEFORE:
        for m in re.finditer(re.escape(token), title):
            points.setdefault(m.start(), 1)
    return {
        pos: rank
        for pos, rank in points.items()
        if 0 < pos < len(title) and pos not in blocked and title[pos] not in _NO_LINE_START
    }


def _shape_cost(widths: list[float]) -> float:
    """GB/T 9704 7.3.3: 梯形 or 菱形 (short line above), never 沙漏 (a short line in the middle)."""
    cost = (max(widths) - min(widths)) / 2
    if widths[0] > widths[-1]:  # 倒梯形: the long line on top
        cost += 6
    for i in range(1, len(widths) - 1):
        if widths[i] < widths[i - 1] and widths[i] < max(widths[i + 1 :]):
            cost += 6
    return cost


def break_title(title: str, *, max_chars: int = TITLE_CHARS) -> list[str]:
    """Split a title into the fewest lines at most ``max_chars`` wide, at natural places.

    Prefers word boundaries (…人民政府 | 第N次廉政工作会议上的讲话), a short upper line and no
    hourglass shape; falls back to even splits when no natural place fits. Never fails.
    """
    title = title.strip()
    if _width(title) <= max_chars or len(title) < 2:
        return [title]
    points = _break_points(title)
    candidates = sorted(points)
    for count in range(1, 4):
        best: tuple[float, tuple[int, ...]] | None = None
        for cuts in itertools.combinations(candidates, count):
            bounds = (0, *cuts, len(title))
            lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
            widths = [_width(line) for line in lines]
            if max(widths) > max_chars:
                continue
            cost = 3 * sum(points[c] for c in cuts) + _shape_cost(widths)
            if best is None or cost < best[0]:
                best = (cost, cuts)
        if best is not None:
            bounds = (0, *best[1], len(title))
            return [title[a:b] for a, b in itertools.pairwise(bounds)]
    return _even_split(title, max_chars)


def _even_split(title: str, max_chars: int) -> list[str]:
    lines: list[str] = []
    rest = title
    while _width(rest) > max_chars:
        pieces = math.ceil(_width(rest) / max_chars)
        pos = 1
        while pos < len(rest) - 1 and _width(rest[:pos]) < _width(rest) / pieces:
            pos += 1
        while pos < len(rest) - 1 and rest[pos] in _NO_LINE_START:
            pos += 1
        lines.append(rest[:pos])
        rest = rest[pos:]
    return [*lines, rest]
