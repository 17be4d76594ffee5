"""Read stage, cleaning: strip resellers' ads, watermarks, contact lines and page furniture from a
speech, normalise punctuation and spacing, and drop sentences repeated verbatim.

The dirt patterns are shared with ``drafter.lint`` (rule ``dirt``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from drafter.models import SourceLine, SourceText
from drafter.read.sentences import split_sentences
from drafter.read.webclean import clean_web

# A line holding any of these is an ad, a watermark or a contact line, never speech.
DIRT_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"(?i)Q\s*Q\s*[群号:：]?\s*\d{5,12}",
        r"(?i)Q\s*Q\s*群",
        r"(?i)(微信|VX|wechat)\s*[号:：]\s*\S+",
        r"仅供(学习|参考|交流)",
        r"禁止(外传|转载|倒卖)",
        r"严禁(外传|转载|倒卖)",
        r"会员(群|资料|材料|权益)",
        r"打击倒卖",
        r"倒卖",
        r"订阅立享",
        r"整理[，,]\s*咨询",
        r"关注(微信)?公众号",
        r"(?i)https?://|www\.",
        r"版权(所有|归)",
        r"更多(精品|优质)?(资料|范文|材料)",
        r"(?<!\d)1[3-9]\d{9}(?!\d)",
        r"联系(电话|方式|人|QQ)\s*[:：]",
        r"(电话|手机|邮箱|E-?mail)\s*[:：]\s*[\w@.\-（）()]{5,}",
        r"[\w.\-]+@[\w\-]+\.[A-Za-z]{2,}",
        r"免费(赠送|领取|下载)",
        r"酷乐文行",
        r"(范文|公文|材料|写作)(网|之家|大全)",
    )
)

# Page furniture: page numbers and headers a copy-paste drags in.
_FURNITURE = (
    re.compile(r"^[-—－–\s]*\d{1,3}[-—－–\s]*$"),
    re.compile(r"^第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^\d+\s*/\s*\d+$"),
)

# Inside a speech line: a reseller's signature tacked on (…整理，咨询QQ…).
_INLINE_DIRT = re.compile(r"[^\s，。；]{0,12}整理[，,]\s*咨询\s*(?i:QQ)\s*\d{5,12}")

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PUNCT_MAP = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_PUNCT_NEAR_CJK = re.compile(
    rf"(?<=[{_CJK}”’）》」])\s*([,:;?!])\s*|\s*([,:;?!])\s*(?=[{_CJK}“‘（《「])"
)
_SPACE_BETWEEN_CJK = re.compile(
    rf"(?<=[{_CJK}，。；：、！？“”（）《》])[ \t\u3000\u00a0]+(?=[{_CJK}，。；：、！？“”（）《》])"
)
_SALUTATION = re.compile(r"^(同志们|各位(领导|同志))[：:，,]?$")
_TITLE_LIKE = re.compile(r"(讲话|发言|致辞|报告)(（[^）]*）)?$|^（.*）$|^\(.*\)$|^\d{4}年\d{1,2}月\d{1,2}日$")
MIN_REPEAT_CHARS = 10


# Characters without one of which a dirt pattern cannot match: the slow patterns (no literal prefix
# for the regex engine to look for) are only tried on a line that has one.
_DIRT_NEEDS: dict[str, str] = {
    r"(?i)Q\s*Q\s*[群号:：]?\s*\d{5,12}": "Qq",
    r"(?i)Q\s*Q\s*群": "Qq",
    r"(?i)(微信|VX|wechat)\s*[号:：]\s*\S+": "号:：",
    r"(?i)https?://|www\.": "/.",
    r"(?<!\d)1[3-9]\d{9}(?!\d)": "1",
    r"(电话|手机|邮箱|E-?mail)\s*[:：]\s*[\w@.\-（）()]{5,}": ":：",
    r"[\w.\-]+@[\w\-]+\.[A-Za-z]{2,}": "@",
    r"(范文|公文|材料|写作)(网|之家|大全)": "网家全",
}
_DIRT_CHECKS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (p, _DIRT_NEEDS.get(p.pattern, "")) for p in DIRT_PATTERNS
)


def is_dirt(text: str) -> bool:
    # one pattern each: faster than one alternation (which loses each pattern's literal prefix)
    for pattern, needs in _DIRT_CHECKS:
        if needs and not any(c in text for c in needs):
            continue
        if pattern.search(text):
            return True
    return False


def is_furniture(text: str) -> bool:
    return any(p.match(text) for p in _FURNITURE)


def normalize_text(text: str) -> str:
    """Full-width punctuation next to Chinese, no stray spaces, trimmed."""
    text = text.replace("\u3000", " ").replace("\ufeff", "").strip()
    if any(c in text for c in _PUNCT_MAP):  # most lines: no half-width punctuation to look at
        text = _HALF_PUNCT_NEAR_CJK.sub(lambda m: _PUNCT_MAP[m.group(1) or m.group(2)], text)
    if " " in text or "\t" in text or "\u00a0" in text:
        text = _SPACE_BETWEEN_CJK.sub("", text)
    return _fix_straight_quotes(text)


_ANY_CJK = re.compile(f"[{_CJK}]")


def _fix_straight_quotes(text: str) -> str:
    if '"' not in text or not _ANY_CJK.search(text):
        return text
    out: list[str] = []
    opening = True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def clean_source(source: SourceText) -> SourceText:
    """Remove web, HTML and book furniture (``drafter.read.webclean``), dirt and page furniture lines,
    normalise text, drop verbatim repeated sentences. ``removed`` keeps what went, with line numbers
    (whole lines, and fragments cut from inside a line)."""
    lines, removed = clean_web(source.lines)
    kept: list[SourceLine] = []
    salutation_seen = False
    header: list[SourceLine] = []
    seen_sentences: set[str] = set()
    for line in lines:
        raw = line.text
        text = normalize_text(_INLINE_DIRT.sub("", raw) if "整理" in raw else raw)
        if not text:
            if raw.strip():
                removed.append(line)
            continue
        if is_dirt(text) or is_furniture(text):
            removed.append(line)
            continue
        if not salutation_seen:
            if _SALUTATION.match(text):
                salutation_seen = True
                kept.extend(_keep_header(header, removed))
                header = []
            else:
                header.append(SourceLine(line.number, text))
                continue
        text = _drop_repeats(text, seen_sentences)
        if text:
            kept.append(SourceLine(line.number, text))
        else:
            removed.append(line)
    if not salutation_seen:  # no 同志们： at all: keep everything that is not dirt
        kept = [*header, *kept]
    removed.sort(key=lambda line: line.number)
    return replace(source, lines=tuple(kept), removed=tuple(removed))


def _keep_header(header: list[SourceLine], removed: list[SourceLine]) -> list[SourceLine]:
    """Before 同志们： only a title and a byline are speech; the rest is a reseller's furniture."""
    kept = []
    for line in header:
        if _TITLE_LIKE.search(line.text) and len(line.text) <= 60:
            kept.append(line)
        else:
            removed.append(line)
    return kept


def _drop_repeats(text: str, seen: set[str]) -> str:
    out = []
    for sentence in split_sentences(text):
        key = sentence.strip()
        if len(key) >= MIN_REPEAT_CHARS and key in seen:
            continue
        seen.add(key)
        out.append(sentence)
    return "".join(out).strip()
