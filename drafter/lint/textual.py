"""Stage: lint, rules on the text itself: ``dirt`` (ads, watermarks, contact numbers), ``repeat``
(a sentence or paragraph said twice), ``placeholder`` (unfilled X, ×, **, 【…】) and ``punctuation``
(half-width , : ; ? ! and unmatched “” （） 《》 in Chinese text)."""

from __future__ import annotations

import re

from drafter.facts.vocab import PLACEHOLDER_RE
from drafter.lint.context import LintContext, excerpt, has_cjk, plain, short
from drafter.models import SourceLine
from drafter.read.clean import DIRT_PATTERNS, is_furniture, normalize_text
from drafter.read.sentences import split_sentences
from drafter.read.webclean import (
    EDITOR_NOTE,
    FOOTNOTE_BODY,
    FOOTNOTE_HEADING,
    FOOTNOTE_MARKER,
    GLUED_TITLE,
    STRAY,
    TAG,
    is_chrome,
    is_notes_heading,
)

# Beyond drafter.read.clean's patterns: landlines, document-site watermarks, "download" furniture.
_EXTRA_DIRT = tuple(
    re.compile(p)
    for p in (
        r"(?<![\d-])0\d{2,3}[-－—]\d{7,8}(?!\d)",
        r"(?:电话|手机|热线|联系方式)\s*[:：]\s*[\d\s-]{7,}",
        r"百度文库|道客巴巴|豆丁网|原创力文档|范文网|公文网|文秘网|第一范文|文档下载|下载后可(?:编辑|修改)",
        r"(?i)(?:word|wps)\s*版.{0,4}(?:下载|可编辑)",
        r"本文(?:由|来源|转载)",
    )
)
# How far apart two ad lines may be and still make one block (short lines between them included).
_BLOCK_GAP = 4
_BLOCK_FILLER_CHARS = 40


# In a long line of speech these words are the speech's own (严厉打击倒卖文物), not a reseller's.
_WEAK_DIRT = re.compile(r"倒卖|版权(?:所有|归)|更多(?:精品|优质)?(?:资料|范文|材料)|会员(?:资料|材料|权益)")
_SPEECH_LINE = 30  # characters, with a full stop: a sentence of the speech


def dirt_match(text: str) -> tuple[int, int] | None:
    """Where an ad, watermark or contact detail sits in a line (None for speech)."""
    speech = len(text) > _SPEECH_LINE and "。" in text
    probe = _WEAK_DIRT.sub(lambda m: "\0" * len(m.group(0)), text) if speech else text
    for pattern in (*DIRT_PATTERNS, *_EXTRA_DIRT):
        if m := pattern.search(probe):
            return m.span()
    return None


def is_dirt_line(text: str) -> bool:
    return dirt_match(text) is not None


def _furniture_line(text: str) -> bool:
    """A whole line that is a web page's, an editor's or a book's, not the speech's."""
    return is_chrome(text) or bool(EDITOR_NOTE.match(text) or FOOTNOTE_BODY.match(text))


def find_dirt(lines: tuple[SourceLine, ...]) -> list[tuple[int, int, str]]:
    """Blocks of ad/watermark/web-page/footnote lines as (first line, last line, what the first one says).
    Short lines sandwiched between two dirty ones (a reseller's slogan) belong to the block; a footnote
    section (注释 …) runs to the end of the text."""
    blocks: list[tuple[int, int, str]] = []
    by_number = {line.number: plain(line.text) for line in lines}
    speech_seen = False
    for line in lines:
        text = by_number[line.number]
        if speech_seen and is_notes_heading(text, lines, line.number):
            last = max(by_number)
            blocks.append((line.number, last, text))
            break
        span = dirt_match(text)
        if span is None and text and _furniture_line(text):
            span = (0, len(text))
        if span is None:
            speech_seen = speech_seen or len(text) > _SPEECH_LINE
            continue
        what = text if len(text) <= 30 else excerpt(text, *span, around=8)
        if blocks:
            first, last, shown = blocks[-1]
            between = [by_number.get(n, "") for n in range(last + 1, line.number)]
            fillers = [t for t in between if t]
            if line.number - last <= _BLOCK_GAP + 1 and all(
                len(t) <= _BLOCK_FILLER_CHARS and not t.startswith(("同志们", "各位")) for t in fillers
            ):
                blocks[-1] = (first, line.number, shown)
                continue
        blocks.append((line.number, line.number, what))
    return blocks


def _dirt_kind(what: str) -> str:
    if FOOTNOTE_HEADING.match(what) or FOOTNOTE_BODY.match(what):
        return "注释"
    if EDITOR_NOTE.match(what):
        return "编者按或出处说明"
    if is_chrome(what) and not any(p.search(what) for p in DIRT_PATTERNS):
        return "网页上的栏目文字（登录、支付、分享、来源、发布时间等）"
    return "广告、水印或联系方式"


def check_dirt(ctx: LintContext, blocks: list[tuple[int, int, str]]) -> None:
    for first, last, what in blocks:
        where = f"第 {first}–{last} 行是" if last > first else "这一行是"
        ctx.add(
            first,
            "dirt",
            "error",
            f"{where}{_dirt_kind(what)}，不是讲话内容，请删除：“{short(what, 30)}”",
        )
    _check_inline_dirt(ctx)


# Inside a line of speech: what a web page or a scan left (reported, the line is still checked).
_INLINE_DIRT = (
    (TAG, "有网页标签“{what}”，请删除：“{where}”"),
    (STRAY, "有其他文字的杂字符“{what}”，请删除：“{where}”"),
    (FOOTNOTE_MARKER, "有注释编号“{what}”，讲话稿中请删除：“{where}”"),
    (GLUED_TITLE, "标题和称呼连在一行，请分成两行：“{where}”"),
)


def _check_inline_dirt(ctx: LintContext) -> None:
    for line in ctx.lines:
        text = plain(line.text)
        for pattern, message in _INLINE_DIRT:
            if m := pattern.search(text):
                what = m.group(0)
                if pattern is STRAY:
                    code = f"U+{ord(what):04X}"
                    what = f"{what}（{code}）" if what.isprintable() else code
                where = excerpt(text, *m.span(), around=6)
                ctx.add(line.number, "dirt", "error", message.format(what=short(what, 20), where=where))


# --- placeholder -----------------------------------------------------------------------------

PLACEHOLDER_PATTERNS = (
    PLACEHOLDER_RE,
    re.compile(r"(?<![A-Za-z])[XＸ]+(?![A-Za-z])"),
    re.compile(r"(?<![\d.])×+(?![\d.])"),
    re.compile(r"[*＊]+(?:\.[*＊]+)?"),
    re.compile(r"[○□]{2,}"),
)


def check_placeholders(ctx: LintContext) -> None:
    for line in ctx.lines:
        text = plain(line.text)
        spans: list[tuple[int, int]] = []
        for pattern in PLACEHOLDER_PATTERNS:
            for m in pattern.finditer(text):
                if not any(s <= m.start() < e for s, e in spans):
                    spans.append((m.start(), m.end()))
        if not spans:
            continue
        spans.sort()
        shown = "；".join(f"“{excerpt(text, s, e, around=4)}”" for s, e in spans[:3])
        more = f"等 {len(spans)} 处" if len(spans) > 3 else ""
        ctx.add(line.number, "placeholder", "warning", f"有未填写的数字或名称：{shown}{more}")


# --- repeat ----------------------------------------------------------------------------------

MIN_REPEAT_SENTENCE = 12  # characters, punctuation and spaces left out
MIN_REPEAT_PARAGRAPH = 8
_NOT_COUNTED = re.compile(r"[\s\W_]+")


# A leading marker (二要, （三）, 四、) does not make a repeated sentence a new one.
_LEADING_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}(?:是|、|(?=要))|第[一二三四五六七八九十]{1,3}[，、]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．])"
)


def _key(text: str) -> str:
    return normalize_text(text).replace(" ", "")


def _sentence_key(sentence: str) -> str:
    return _LEADING_MARKER.sub("", sentence.strip())


def _weight(text: str) -> int:
    return len(_NOT_COUNTED.sub("", text))


def check_repeats(ctx: LintContext) -> None:
    paragraphs: dict[str, int] = {}
    sentences: dict[str, int] = {}
    for line in ctx.lines:
        text = plain(line.text)
        key = _key(text)
        if _weight(key) >= MIN_REPEAT_PARAGRAPH and key in paragraphs:
            ctx.add(
                line.number,
                "repeat",
                "error",
                f"整段与第 {paragraphs[key]} 行重复：“{short(text, 24)}”",
            )
            continue
        paragraphs.setdefault(key, line.number)
        for sentence in map(_sentence_key, split_sentences(key)):
            if _weight(sentence) < MIN_REPEAT_SENTENCE:
                continue
            if sentence in sentences:
                first = sentences[sentence]
                where = "本段前面" if first == line.number else f"第 {first} 行"
                ctx.add(line.number, "repeat", "error", f"句子与{where}重复：“{short(sentence, 30)}”")
            else:
                sentences[sentence] = line.number


# --- punctuation -----------------------------------------------------------------------------

_CJK = r"\u3400-\u9fff"
_HALF_NEAR_CJK = re.compile(rf"(?<=[{_CJK}“”（）《》])\s*[,:;?!]|[,:;?!]\s*(?=[{_CJK}“”（《])")
_PAIRS = {"”": "“", "）": "（", ")": "（", "》": "《"}
_OPENERS = {"“": "“", "（": "（", "(": "（", "《": "《"}
_CLOSER_OF = {"“": "”", "（": "）", "《": "》"}


def check_punctuation(ctx: LintContext) -> None:
    for line in ctx.lines:
        text = plain(line.text)
        if not has_cjk(text) or is_furniture(text):
            continue
        half = list(_HALF_NEAR_CJK.finditer(text))
        if half:
            marks = "".join(dict.fromkeys(m.group(0).strip() for m in half))
            first = half[0]
            ctx.add(
                line.number,
                "punctuation",
                "warning",
                f"中文里用了半角标点“{marks}”{len(half)} 处，应改为全角，如“{excerpt(text, first.start(), first.end(), around=5)}”",
            )
        if '"' in text:
            at = text.index('"')
            ctx.add(
                line.number,
                "punctuation",
                "warning",
                f"中文里用了半角引号，应改为“”：“{excerpt(text, at, at + 1, around=5)}”",
            )
        problem = _unmatched(text)
        if problem:
            ctx.add(line.number, "punctuation", "warning", problem)


def _unmatched(text: str) -> str | None:
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            if ch == "“" and stack and stack[-1][0] == "“":
                return (
                    f"引号不配对：“{excerpt(text, stack[-1][1], i + 1, around=4)}”中两个前引号之间缺少后引号"
                )
            stack.append((_OPENERS[ch], i))
        elif ch in _PAIRS:
            want = _PAIRS[ch]
            if stack and stack[-1][0] == want:
                stack.pop()
                continue
            if any(opener == want for opener, _ in stack):
                opener, at = stack[-1]
                return f"“{opener}”与“{ch}”交错，缺少“{_CLOSER_OF[opener]}”：“{excerpt(text, at, i + 1, around=4)}”"
            return f"多了一个“{ch}”，前面没有配对的“{want}”：“{excerpt(text, i, i + 1, around=6)}”"
    if stack:
        opener, at = stack[0]
        return f"“{opener}”没有配对的“{_CLOSER_OF[opener]}”：“{excerpt(text, at, at + 1, around=8)}”"
    return None
