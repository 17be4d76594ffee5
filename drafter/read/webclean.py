"""Read stage, cleaning real sources: what a web page, an HTML copy or a printed collection drags into a
speech before the speech's own words can be read.

``clean_web(lines)`` runs before ``drafter.read.clean``'s ad and watermark rules and returns the lines to
keep (split where one line held title, salutation and headings together) and what it took away, each with
its original line number: whole lines (web chrome, footnote sections, editor's and source notes) and
fragments cut from inside a line (HTML tags, footnote markers, stray characters of other scripts).

Every rule works on the text alone; nothing depends on one web site's layout. The patterns are shared with
``drafter.lint`` (rule ``dirt``).
"""

from __future__ import annotations

import html
import re

from drafter.models import SourceLine
from drafter.rx import quick

# --- web chrome ------------------------------------------------------------------------------------

# A short line holding any of these is a web page's furniture, never speech.
CHROME_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"(扫描|扫一扫|扫码|长按识别).{0,12}(二维码|登录|支付|关注|分享|下载|阅读)",
        r"二维码",
        r"(微信|支付宝|QQ|微博|手机号|账号|密码|验证码)\s*(登录|注册|支付|扫码)",
        r"^(登录|注册|免费注册|立即登录|退出登录|忘记密码|登录后|请先登录)",
        r"(完成|确认|立即|在线)支付|支付(成功|失败|金额)",
        r"(?i)(?<![a-z])VIP(?![a-z])|开通会员|会员(专享|免费|特权|中心|登录|价)|成为会员|升级会员",
        r"^(发布|发表|更新|上传)(时间|日期|于)\s*[:：]?",
        r"(浏览|阅读|点击|访问)(次数|量|数)\s*[:：]?\s*\d*",
        r"^[（(]?(来源|出处|文章来源|信息来源|稿源)\s*[:：]",
        r"^[（(]?(责任编辑|编辑|责编|审核|校对|作者|供稿|撰稿|审校)\s*[:：]",
        r"^(上一篇|下一篇|上一页|下一页|返回(顶部|首页|列表)|关闭(窗口|本页)|打印(本页|此页)?)",
        r"(热门|相关|推荐|猜你喜欢)(搜索|文章|阅读|推荐|资料|文档|下载|标签)",
        r"^(分享到|分享至|一键分享|点赞|收藏|举报|评论|我要评论|全部评论|纠错)",
        r"字号\s*[:：]?\s*[【\[]?\s*大|【\s*大\s*中\s*小\s*】",
        r"^(首页|当前位置|您的位置|你的位置|位置)\s*[:：>＞»]",
        r"[>＞»]\s*(正文|详情|列表)\s*$",
        r"(?i)^(copyright|©)|版权所有|ICP\s*备",
        r"(下载|复制)(本文|全文|文档|此文)|(?i:word|pdf|doc)\s*(下载|格式)|文档(下载|价格|页数|格式)",
        r"(页数|字数|大小)\s*[:：]\s*\d+",
        r"^(本文|此文)(共|约)?\s*\d+\s*(页|字)",
    )
)
# Chrome is short: a line of speech may say 来源 or 会员 in passing.
CHROME_MAX_CHARS = 60


def is_chrome(text: str) -> bool:
    """A web page's furniture line (login, pay, share, QR code, VIP, 发布时间, 来源, 上一篇 …)."""
    text = text.strip()
    if not text or len(text) > CHROME_MAX_CHARS:
        return False
    if text.endswith("。") and len(text) > 30:
        return False
    return any(p.search(text) for p in CHROME_PATTERNS)


# --- HTML ------------------------------------------------------------------------------------------

_SCRIPT = re.compile(r"(?is)<(script|style|head|noscript)\b.*?</\1\s*>")
_COMMENT = re.compile(r"(?s)<!--.*?-->")
_BLOCK_TAG = re.compile(r"(?i)</?(p|div|br|h[1-6]|li|tr|table|section|article|center|blockquote)\b[^<>]*>")
TAG = re.compile(r"(?i)</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>")
ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")


def strip_html(text: str) -> tuple[list[str], list[str]]:
    """(pieces, removed): block tags become line breaks, other tags and comments go, entities decode."""
    removed: list[str] = []

    def cut(m: re.Match[str]) -> str:
        removed.append(m.group(0))
        return ""

    def block(m: re.Match[str]) -> str:
        removed.append(m.group(0))
        return "\n"

    text = _SCRIPT.sub(cut, text)
    text = _COMMENT.sub(cut, text)
    text = _BLOCK_TAG.sub(block, text)
    text = TAG.sub(cut, text)
    if "&" in text:
        text = ENTITY.sub(lambda m: html.unescape(m.group(0)), text).replace("\xa0", " ")
    return text.split("\n"), removed


# --- footnotes, editor's and source notes ------------------------------------------------------------

# A footnote marker inside a sentence: 〔1〕 [1] 【1】 ［1］ ^1, and a circled digit right before punctuation.
FOOTNOTE_MARKER = re.compile(
    r"〔\s*\d{1,3}\s*〕|\[\s*\d{1,3}\s*\]|［\s*\d{1,3}\s*］|【\s*(?:注\s*)?\d{1,3}\s*】|\^\d{1,3}"
    r"|(?<=[\u4e00-\u9fff”》）])[①-⑳](?=[，。；：、！？”）]|$)"
)
# The heading of the notes after a speech.
FOOTNOTE_HEADING = re.compile(
    r"^[【\[〔（(]?\s*(注释|注解|脚注|尾注|注|参考文献|说明)\s*[】\]〕）)]?\s*[:：]?\s*$"
)
# Headings that start a notes section by themselves; 注 or 说明 alone needs a note right after it.
_NOTES_WORD = re.compile(r"注释|注解|脚注|尾注|参考文献")


def is_notes_heading(text: str, lines: tuple[SourceLine, ...], number: int) -> bool:
    """A line that starts the notes after a speech (注释, or 注： followed by 〔1〕…)."""
    if not FOOTNOTE_HEADING.match(text):
        return False
    if _NOTES_WORD.search(text):
        return True
    following = next((line.text.strip() for line in lines if line.number > number and line.text.strip()), "")
    return bool(FOOTNOTE_BODY.match(following))


# One note's body: it starts with its marker ("〔1〕见邓小平…", "①一九三四年…", "[2] 参见…", "注1：…").
FOOTNOTE_BODY = re.compile(
    r"^(?:〔\s*\d{1,3}\s*〕|\[\s*\d{1,3}\s*\]|［\s*\d{1,3}\s*］|[①-⑳]|注\s*\d{1,3}\s*[:：．.、])"
)
# Editor's notes and the book's source line.
EDITOR_NOTE = re.compile(
    r"^[*＊※]\s*(?=本|这|此|编|原|作者|注|收入|选自|摘自)|^[（(]?(编者按|编者注|编注|编辑按|按语|题注)\s*[:：]"
    r"|^[（(]?(选自|摘自|原载|转载自|转自|载于|本文(选自|摘自|原载|转载|根据|系))"
    r"|^[（(].{0,40}(出版社|文选|文集|选编|汇编|年鉴).{0,30}(第.{1,4}[卷页]|年版|出版)[^）)]{0,20}[）)]$"
)
# A reference in brackets inside a sentence: （《邓小平文选》第三卷，人民出版社1993年版，第…页）.
INLINE_REFERENCE = re.compile(
    r"[（(][^（）()]{0,40}(?:出版社|文选》|文集》)[^（）()]{0,60}(?:年版|页)[^（）()]{0,10}[）)]"
)

# --- stray characters, doubled punctuation ---------------------------------------------------------

# Characters of other scripts a scan or a bad conversion leaves in Chinese text (kana, hangul, Cyrillic,
# Greek, replacement and control characters, private-use symbol-font glyphs).
STRAY = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\u0400-\u04ff\u0370-\u03ff"
    "\ufffd\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ue000-\uf8ff\u200b-\u200f\u2060\ufeff]"
)
_DOUBLED = re.compile(r"([，。；：、！？])\1+|[，、；：]+(?=[。！？])|(?<=[。！？])[，、；]+")

# --- one-line texts ------------------------------------------------------------------------------

# Where a line that holds a whole speech breaks: before a salutation glued to a title, after a
# salutation that has text behind it, before a date line, and before a heading marker after a full stop.
_SALUTATION_INSIDE = re.compile(r"(?<=[^\s，,、])(?=(?:同志们|各位(?:领导|同志|代表))[：:])")
_AFTER_SALUTATION = re.compile(
    r"^((?:同志们|各位(?:领导|同志|代表))(?:[、，,和及][^：:。]{0,12})?[：:])\s*(?=\S)"
)
_DATE_INSIDE = re.compile(r"(?<=[讲话发言致辞报告])\s*(?=[（(](?:\d{4}|[一二〇○零]{4})年[^）)]{0,12}[）)])")
_DATE_AFTER = re.compile(r"(?<=[）)])\s*(?=\S)")
_HEADING_INSIDE = re.compile(
    r"(?<=[。！？”])\s*(?=(?:[一二三四五六七八九十]{1,3}、(?![一二三四五六七八九十]{1,2}[、季月])"
    r"|第[一二三四五六七八九十]{1,3}[、，,](?=.{4,40}[。！？])|同志们[，,！!]))"
)
ONE_LINE_MIN = 200  # a line this long with a salutation or headings inside is a whole speech
# A title and the salutation on one line (…的讲话同志们：).
GLUED_TITLE = re.compile(
    r"(讲话|发言|致辞|报告)\s*(?:[（(][^）)]{0,20}[）)])?\s*(?:同志们|各位(?:领导|同志|代表))[：:]"
)


def split_line(text: str) -> list[str]:
    """A line holding title, salutation and headings together, split into the paragraphs it glues."""
    pieces = [text]
    if "同志们" in text or "各位" in text:
        pieces = [p for piece in pieces for p in _SALUTATION_INSIDE.split(piece)]
    out: list[str] = []
    for piece in pieces:
        if m := _DATE_INSIDE.search(piece):
            head, tail = piece[: m.start()], piece[m.end() :]
            d = _DATE_AFTER.search(tail)
            if d is None and len(tail) <= 24:
                out.extend([head, tail])
                continue
            if d and d.start() <= 24:
                out.extend([head, tail[: d.start()], tail[d.end() :]])
                continue
        out.append(piece)
    pieces = []
    for piece in out:
        if m := _AFTER_SALUTATION.match(piece):
            pieces.extend([m.group(1), piece[m.end() :]])
        else:
            pieces.append(piece)
    # Headings inside a line only in a whole speech on one line (an enumeration inside a paragraph stays).
    if len(text) >= ONE_LINE_MIN and (_AFTER_SALUTATION.search(text) or len(pieces) > 1 or len(text) >= 1500):
        pieces = [p for piece in pieces for p in _HEADING_INSIDE.split(piece)]
    return [p.strip() for p in pieces if p.strip()]


# --- the step --------------------------------------------------------------------------------------


def clean_web(lines: tuple[SourceLine, ...]) -> tuple[list[SourceLine], list[SourceLine]]:
    """(kept, removed): the lines of a source with web, HTML and book furniture taken away.

    ``removed`` holds whole lines and fragments cut from inside a line, each with its 1-based line number.
    """
    kept: list[SourceLine] = []
    removed: list[SourceLine] = []
    in_notes = False
    has_html = any("<" in line.text and TAG.search(line.text) for line in lines)
    for line in lines:
        raw = line.text
        if in_notes:
            if raw.strip():
                removed.append(line)
            continue
        pieces = [raw]
        if has_html and ("<" in raw or "&" in raw):
            pieces, tags = strip_html(raw)
            removed.extend(SourceLine(line.number, tag) for tag in tags if not _BLOCK_TAG.fullmatch(tag))
        for piece in pieces:
            for text in split_line(piece) if len(piece) > 8 else [piece.strip()]:
                if not text:
                    continue
                plain = text.strip()
                if kept and is_notes_heading(plain, lines, line.number):
                    in_notes = True
                if in_notes or is_chrome(plain) or EDITOR_NOTE.match(plain) or FOOTNOTE_BODY.match(plain):
                    removed.append(SourceLine(line.number, plain))
                    continue
                text, cut = _clean_inline(plain)
                removed.extend(SourceLine(line.number, c) for c in cut)
                if text:
                    kept.append(SourceLine(line.number, text))
    return kept, removed


_MARKER_CHARS = re.compile(r"[〔\[［【\^①-⑳]")
_REFERENCE_WORDS = ("出版社", "文选》", "文集》")


def _clean_inline(text: str) -> tuple[str, list[str]]:
    cut: list[str] = []

    def take(m: re.Match[str]) -> str:
        cut.append(m.group(0))
        return ""

    if STRAY.search(text):
        text = STRAY.sub(take, text)
    if _MARKER_CHARS.search(text):
        text = FOOTNOTE_MARKER.sub(take, text)
    if any(word in text for word in _REFERENCE_WORDS):
        text = INLINE_REFERENCE.sub(take, text)
    if quick(_DOUBLED).search(text):
        text = _DOUBLED.sub(lambda m: m.group(1) or "", text)
    return text.strip(), cut
