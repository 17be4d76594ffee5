"""Stage: lint, rule ``count``: the points a speech announces ("我讲五点意见") against the parts it has,
and the numbering at every level: 一、/第一， ; （一） ; 一是/一要 ; 1./（1）. Numbering restarts under each
new parent; a gap (一、二、四、), a repeat (一是 二是 二是) or a step back is an error."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from drafter.facts.numerals import from_chinese, to_chinese
from drafter.lint.context import LintContext, plain
from drafter.mine.outline import outline_source
from drafter.models import SourceLine

RULE = "count"

_NUM = "[一二三四五六七八九十]{1,3}"
# A heading's text may start with a year or a figure: 一、2020年工作回顾 (一、二季度 is not a heading).
_NOT_A_SPAN = "(?![一二三四五六七八九十]{1,2}[、季月])"
HEADING_RE = re.compile(
    rf"^(?:({_NUM})[、．]{_NOT_A_SPAN}|({_NUM})\.{_NOT_A_SPAN}|第({_NUM})(?:[，、,：:]|部分))"
)
SUB_RE = re.compile(rf"^[（(]({_NUM})[）)]")
_NO_DECIMAL = r"(?:(?!\d)|(?=\d{4}年))"  # 1．2020年… is a heading, 1.5 a figure
DIGIT_RE = re.compile(
    rf"^(?:(\d{{1,2}})[、．]{_NO_DECIMAL}|(\d{{1,2}})\.{_NO_DECIMAL}|[（(](\d{{1,2}})[）)])"
)
# 一是 / 一要 at a paragraph's start or after a pause; never inside a word (统一是, 第一要务).
POINT_RE = re.compile(
    r"(?:^|(?<=[。；;：:！？!?，,、\s”」）)]))([一二三四五六七八九十]{1,2})(是|要)(?!求|素|事|件)"
)
ANNOUNCED_RE = re.compile(
    r"(?:讲|谈|提|强调|抓好|做好|突出|部署|说)(?:以下|这么|如下|这样)?"
    r"([一二三四五六七八九十两]{1,2}|\d{1,2})(?:点|个方面)(?:意见|要求|看法|想法|建议|工作|的工作)?"
)


@dataclass(frozen=True)
class Marker:
    value: int
    text: str  # as written: 二、 / 第二， / （二） / 二是 / 2.
    numeral: str
    line: int
    family: str = ""  # 是 / 要 for point markers

    def with_value(self, value: int) -> str:
        numeral = str(value) if self.numeral.isdigit() else _numeral(value)
        return self.text.replace(self.numeral, numeral, 1)


def _numeral(n: int) -> str:
    return to_chinese(n) if 0 <= n <= 99 else str(n)


def _marker(match: re.Match[str], line: int, *, family: str = "") -> Marker | None:
    numeral = next(g for g in match.groups() if g)
    value = from_chinese(numeral)
    if value is None or value == 0:
        return None
    return Marker(value, match.group(0).strip(), numeral, line, family)


def check_numbering(ctx: LintContext) -> None:
    """Gaps, repeats and steps back in every numbering level, each under its own parent."""
    heading: Marker | None = None
    sub: Marker | None = None
    digit: Marker | None = None
    block: dict[str, Marker] = {}  # last point marker that began a paragraph, per family
    last_point: Marker | None = None
    for line in ctx.lines:
        text = plain(line.text)
        rest_at = 0
        if m := HEADING_RE.match(text):
            cur = _marker(m, line.number)
            if cur:
                _step(ctx, heading, cur)
                heading, sub, digit, last_point, block = cur, None, None, None, {}
            rest_at = m.end()
        elif m := SUB_RE.match(text):
            cur = _marker(m, line.number)
            if cur:
                _step(ctx, sub, cur)
                sub, digit, last_point, block = cur, None, None, {}
            rest_at = m.end()
        elif m := DIGIT_RE.match(text):
            cur = _marker(m, line.number)
            if cur:
                _step(ctx, digit, cur)
                digit = cur
            rest_at = m.end()
        chain: Marker | None = None  # the list running inside this paragraph
        chain_is_block = False
        for pm in POINT_RE.finditer(text, rest_at):
            cur = _marker(pm, line.number, family=pm.group(2))
            if cur is None:
                continue
            if pm.start() == rest_at == 0:  # the paragraph begins with it: 一要…  二要…
                ref = block.get(cur.family) or _other_family(block, cur) or last_point
                if cur.value != 1:
                    _step(ctx, ref, cur)
                block[cur.family] = cur
                digit = None
                chain, chain_is_block = cur, True
            elif chain is None or cur.value == 1:
                if cur.value != 1:
                    _step(ctx, last_point, cur)
                chain, chain_is_block = cur, False
            else:
                _step(ctx, chain, cur)
                chain = cur
                if chain_is_block:
                    block[cur.family] = cur
            last_point = cur


def _other_family(block: dict[str, Marker], cur: Marker) -> Marker | None:
    """一是 then 二要: continue the other family's list when it is the one this marker follows."""
    for family, marker in block.items():
        if family != cur.family and marker.value == cur.value - 1:
            return marker
    return None


def _step(ctx: LintContext, prev: Marker | None, cur: Marker) -> None:
    if prev is None:
        if cur.value != 1:
            ctx.add(cur.line, RULE, "error", f"序号从“{cur.text}”开始，前面没有“{cur.with_value(1)}”")
        return
    if cur.value == prev.value + 1:
        if prev.family and cur.family and prev.family != cur.family:
            ctx.add(
                cur.line,
                RULE,
                "warning",
                f"序号写法不一致：“{prev.text}”之后是“{cur.text}”，同一组应统一写成“{cur.with_value(1)}”式或“{prev.text}”式",
            )
        return
    if cur.value == 1:
        return  # a new list begins
    where = "" if prev.line == cur.line else f"（上一个在第 {prev.line} 行）"
    if cur.value == prev.value:
        ctx.add(cur.line, RULE, "error", f"序号重复：“{cur.text}”又出现了一次{where}")
    elif cur.value > prev.value:
        gap = range(prev.value + 1, cur.value)
        missing = "、".join(f"“{cur.with_value(v)}”" for v in gap[:5]) + ("等" if len(gap) > 5 else "")
        ctx.add(cur.line, RULE, "error", f"序号跳号：“{prev.text}”之后是“{cur.text}”，缺少{missing}{where}")
    else:
        ctx.add(cur.line, RULE, "error", f"序号顺序颠倒：“{prev.text}”之后是“{cur.text}”{where}")


def check_announced(ctx: LintContext) -> None:
    """The announced points (下面，我讲五点意见) against the number of numbered parts: drafter.mine.outline's
    reading first; when it finds no announcement, the 一、/第一， headings that follow our own."""
    found = _outline_count(ctx)
    if found is None:
        found = _scan_count(ctx)
    if found is None:
        return
    count, line_no, phrase, parts = found
    if count != len(parts):
        shown = "、".join(parts[:6]) + ("…" if len(parts) > 6 else "")
        ctx.add(
            line_no,
            RULE,
            "error",
            f"开头说“{phrase}”，正文却有 {len(parts)} 个部分（{shown}）：请改成“{_numeral(len(parts))}点”或补齐部分",
        )


def _announcement(ctx: LintContext, before: int | None) -> tuple[int, int, str] | None:
    for line in ctx.lines:
        if before is not None and line.number >= before:
            break
        if (a := ANNOUNCED_RE.search(plain(line.text))) and (count := from_chinese(a.group(1))):
            return count, line.number, a.group(0)
    return None


def _outline_count(ctx: LintContext) -> tuple[int, int, str, list[str]] | None:
    lines = tuple(SourceLine(line.number, plain(line.text)) for line in ctx.lines)
    outline = outline_source(replace(ctx.source, lines=lines))
    numbered = [p for p in outline.parts if p.style is not None and p.line is not None]
    first = numbered[0].line if numbered else None
    if outline.announced is None or first is None:
        return None  # nothing said, or unnumbered task paragraphs: nothing to compare
    said = _announcement(ctx, first)
    line_no, phrase = (said[1], said[2]) if said else (first, f"{_numeral(outline.announced)}点")
    texts = {line.number: plain(line.text) for line in ctx.lines}
    parts = []
    for part in numbered:
        m = HEADING_RE.match(texts.get(part.line or 0, "")) or SUB_RE.match(texts.get(part.line or 0, ""))
        parts.append(m.group(0) if m else f"第 {part.line} 行")
    return outline.announced, line_no, phrase, parts


def _scan_count(ctx: LintContext) -> tuple[int, int, str, list[str]] | None:
    first_heading = next((line.number for line in ctx.lines if HEADING_RE.match(plain(line.text))), None)
    said = _announcement(ctx, first_heading)
    if said is None or first_heading is None:
        return None
    parts: list[Marker] = []
    for line in ctx.lines:
        if line.number < first_heading or not (m := HEADING_RE.match(plain(line.text))):
            continue
        cur = _marker(m, line.number)
        if cur is None:
            continue
        if cur.value == 1 and parts:
            break  # a second numbered list (an appendix, another speech)
        parts.append(cur)
    count, line_no, phrase = said
    return count, line_no, phrase, [p.text for p in parts]


def check_count(ctx: LintContext) -> None:
    check_announced(ctx)
    check_numbering(ctx)
