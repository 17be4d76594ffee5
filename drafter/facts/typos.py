"""Shared knowledge: a small curated list of common typos in 公文 (and house-style spellings).

Each rule is a pattern, what to write instead and why. ``find_typos`` is used by ``bank check`` (an
entry's text) and by ``lint`` (the ``typo`` rule). The list is deliberately short: only confusions that
are wrong in a government speech whatever the context (侯会 for 候会, 截止 before a date …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Typo:
    pattern: re.Pattern[str]
    instead: str  # the correct form; "\\1"-style groups are expanded from the match
    why: str


def _t(pattern: str, instead: str, why: str) -> Typo:
    return Typo(re.compile(pattern), instead, why)


TYPOS: tuple[Typo, ...] = (
    _t(r"侯会", "候会", "等候的“候”"),
    _t(r"侯(?=审|车|机|诊|补|选)", "候", "等候的“候”"),
    _t(r"尤其在是在|尤其是是在|尤其在是", "尤其是在", "重复或颠倒的字"),
    _t(
        r"截止(?=\d|【|[一二三四五六七八九十〇]{1,4}年|目前|今年|去年|上年|年底|年末|\{)",
        "截至",
        "表示“到某时为止”用“截至”",
    ),
    _t(r"既使", "即使", "连词是“即使”"),
    _t(r"其它", "其他", "本规范统一用“其他”"),
    _t(
        r"(?<![一二三四五六七八九十])(?<!\d)付(?=市长|县长|区长|书记|主任|局长|部长|组长|秘书长|省长)",
        "副",
        "副职的“副”",
    ),
    _t(r"按排", "安排", "“安排”"),
    _t(r"部暑|布署", "部署", "“部署”"),
    _t(r"反愧", "反馈", "“反馈”"),
    _t(r"贯切", "贯彻", "“贯彻”"),
    _t(r"凭心而论", "平心而论", "“平心而论”"),
    _t(r"再接再励", "再接再厉", "“再接再厉”"),
    _t(r"一愁莫展", "一筹莫展", "“一筹莫展”"),
    _t(r"迫不急待", "迫不及待", "“迫不及待”"),
    _t(r"针贬", "针砭", "“针砭”"),
    _t(r"不径而走", "不胫而走", "“不胫而走”"),
    _t(r"人材(?!料)", "人才", "“人才”"),
    _t(r"精减(?=会议|文件|发文)", "精简", "会议、文件用“精简”"),
    _t(r"(?<!不)必需(?=坚持|把|要|做到|落实|加强|始终)", "必须", "表示“一定要”用“必须”"),
    _t(r"好象", "好像", "“好像”"),
    _t(r"不记其数", "不计其数", "“不计其数”"),
    _t(r"出谋化策", "出谋划策", "“出谋划策”"),
    _t(r"明查暗访", "明察暗访", "“明察暗访”"),
    _t(r"防微杜监", "防微杜渐", "“防微杜渐”"),
    _t(r"重蹈复辙", "重蹈覆辙", "“重蹈覆辙”"),
    _t(r"黄梁美梦|黄梁一梦", "黄粱", "“黄粱”"),
)


@dataclass(frozen=True)
class TypoHit:
    start: int
    end: int
    found: str
    instead: str
    why: str


def find_typos(text: str) -> list[TypoHit]:
    """The typos in ``text``, in text order, without overlaps."""
    hits: list[TypoHit] = []
    for typo in TYPOS:
        for m in typo.pattern.finditer(text):
            if any(h.start < m.end() and m.start() < h.end for h in hits):
                continue
            hits.append(TypoHit(m.start(), m.end(), m.group(0), m.expand(typo.instead), typo.why))
    hits.sort(key=lambda h: h.start)
    return hits


def correct_typos(text: str) -> str:
    """``text`` with every typo of the list corrected."""
    for hit in reversed(find_typos(text)):
        text = text[: hit.start] + hit.instead + text[hit.end :]
    return text
