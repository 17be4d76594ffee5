"""Stage: lint. What every rule sees: the raw lines of one speech, and the meeting it is checked for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, cast

from drafter.facts.dated_terms import Usage
from drafter.models import Finding, Severity, SourceLine, SourceText

_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def plain(text: str) -> str:
    """A raw line without BOM, ideographic spaces and surrounding blanks."""
    return text.replace("\ufeff", "").replace("\u3000", " ").strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def excerpt(text: str, start: int, end: int, *, around: int = 6) -> str:
    """The match with a few characters either side, for a message."""
    left = max(0, start - around)
    right = min(len(text), end + around)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class LintContext:
    """One speech and the meeting it is checked for. ``lines`` are the speech's non-empty lines that
    are not ads or watermarks (those belong to the dirt rule alone), with their own line numbers."""

    source: SourceText
    file: str
    lines: tuple[SourceLine, ...]
    dirt_lines: frozenset[int] = frozenset()
    year: int | None = None
    year_basis: str | None = None  # how the year was found (for the summary)
    year_given: bool = False
    level: str | None = None
    level_basis: str | None = None
    level_given: bool = False
    locality: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(self, line: int, rule: str, severity: Severity, message: str) -> None:
        self.findings.append(Finding(self.file, line, rule, severity, message))


# --- how a sentence uses what it names: review, history, plan or current task ---------------------

_HAN = r"\u4e00-\u9fff"
_N = "[两二三四五六七八九十]"
# Marker kinds: "history" (a longer look back or a completed result), "review" (last year), "past"
# (tense only: 取得了, 已), "plan", "current". Listed in priority order within one clause.
Marker = Literal["history", "review", "plan", "current", "past"]
_MARKERS: tuple[tuple[Marker, re.Pattern[str]], ...] = (
    (
        "history",
        re.compile(
            rf"过去(?:的)?{_N}年|{_N}多?年(?:多)?来|{_N}年间|多年来|这些年来?|近年来|党的十八大以来|十八大以来"
            r"|新时代(?:以来|十年)|历史性|取得(?:了)?[^。；，]{0,8}胜利|打赢了|胜利完成|圆满完成|如期完成|全面完成"
            r"|(?:圆满|胜利|顺利)收官|画上(?:了)?圆满句号|如期实现|(?:时期|期间)(?:的)?[^。；，]{0,4}(?:成就|成果|成绩)"
            r"|(?:巩固|拓展|深化|运用|用好|转化)[^。；，]{0,24}(?:成果|成效)|(?:成果|成效)[^。；，]{0,6}(?:巩固|拓展|转化)"
            r"|常态化长效化|常态长效"
        ),
    ),
    ("review", re.compile(r"过去(?:的)?一年|去年|一年来|上一年|上年度|刚刚过去|回顾|回首")),
    (
        "plan",
        re.compile(
            r"编制|谋划|即将|筹备|前期研究|开好局|起好步|迎接|喜迎|(?<!胜利)召开(?!了|的|以来|后)|胜利召开(?!了|以来|后)"
            r"|将于|明年|下一步规划|研究制定"
        ),
    ),
    (
        "current",
        re.compile(
            rf"今年|本年度|(?<![主重需纪摘首机显紧简只不提])要(?![求素件点害职闻事情地务])|必须|务必|应当|应该|确保|力争"
            rf"|着力|全力|努力|(?<![{_HAN}])坚持|安排部署|重点任务|主要任务"
        ),
    ),
    (
        "past",
        re.compile(
            r"取得了|实现了|完成了|开展了|取得(?:重大|显著|明显|积极|新的?|阶段性|良好|丰硕|扎实)|(?<![为除罢])了(?![解如结不])"
            r"|已经|(?<![而])已(?![知经])|先后|累计|共(?:查处|立案|处分|办理|完成)|经受住|成功(?:应对|举办|召开|化解)|有效应对"
        ),
    ),
)
_TIME_KINDS = ("history", "review")
_COMPLETION = re.compile(r"胜利完成|圆满完成|如期完成|全面完成|(?:圆满|胜利|顺利)收官|如期实现|取得")
_ON_THE_BASIS = re.compile(r"[^。；，]{0,16}?(?:的)?基础上")
_GOAL_BEFORE = re.compile(r"确保|力争|努力|奋力|(?<![主重需纪首])要(?![求素件点害])")
_EXPLICIT_YEAR = re.compile(r"(?<!\d)(20\d{2})年(?!\d)(以来|至今|底|末|初)?")
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
_SENTENCE_END = re.compile(r"[。！？!?]")
# N years right before a term look back on it: 三年疫情防控, 八年脱贫攻坚.
_DURATION_BEFORE = re.compile(rf"{_N}年(?:来|间|多|的|来的)?$")
# 原区监察局: a former name, said as such.
_FORMER_BEFORE = re.compile(r"原[\u4e00-\u9fff]{0,3}$")


def _markers(text: str, year: int | None) -> list[tuple[int, Marker]]:
    """(position, kind) of every marker in one paragraph."""
    found: list[tuple[int, Marker]] = []
    taken: list[tuple[int, int]] = []
    for usage, pattern in _MARKERS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            found.append((m.start(), usage))
    # 确保…圆满完成 is a goal, not a result
    for i, (pos, kind) in enumerate(found):
        if kind == "history" and _COMPLETION.match(text, pos):
            clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, pos)), default=0)
            settled = _ON_THE_BASIS.match(text, pos)  # 在…取得胜利的基础上: a result to build on
            if _GOAL_BEFORE.search(text, clause_start, pos) and not settled:
                found[i] = (pos, "current")
    if year is not None:
        for m in _EXPLICIT_YEAR.finditer(text):
            said = int(m.group(1))
            if said == year:
                found.append((m.start(), "history" if m.group(2) in ("以来", "至今") else "current"))
            elif said == year - 1:
                found.append((m.start(), "history" if m.group(2) in ("以来", "至今") else "review"))
            elif said < year - 1:
                found.append((m.start(), "history"))
            else:
                found.append((m.start(), "plan"))
    found.sort()
    return found


def _decide(markers: list[tuple[int, Marker]]) -> Marker | None:
    """The strongest kind among markers of one span: history > review > plan > current > past."""
    kinds = {kind for _pos, kind in markers}
    for kind in ("history", "review", "plan", "current", "past"):
        if kind in kinds:
            return kind  # type: ignore[return-value]
    return None


_HISTORY_HEADING = re.compile(rf"过去(?:的)?{_N}年|{_N}年(?:来|工作)|时期")
_REVIEW_HEADING = re.compile(
    r"回顾|过去|去年|一年来|成效|成绩|成果|总结|取得|进展|工作情况|主要工作|基本情况"
)
_DEPLOY_HEADING = re.compile(
    r"今年|安排|任务|部署|重点|打算|目标|要求|意见|(?<![主重需纪首])要(?![求素件点害])"
    r"|^(?:坚持|突出|强化|聚焦|推进|深化|加强|持续|着力|扎实|狠抓|抓好|严格|健全|完善|提升|推动|加快|全面|切实|以|从严|深入|坚决|锲而不舍|驰而不息|忠诚|勇于|善于)"
)
_TOP_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、．.]|第[一二三四五六七八九十]{1,3}(?:[，、,：:]|部分))\s*"
)
_TURN_TO_DEPLOY = re.compile(
    r"安排部署|(?:讲|谈|提)(?:以下|这么|如下|这样)?[一二三四五六七八九十两几]{1,2}(?:点|个方面)"
)


def heading_usage(text: str, year: int | None) -> Usage | None:
    """What a part heading announces: the review (一、2022年工作回顾) or the tasks (二、2023年重点任务)."""
    body = _TOP_HEADING.sub("", text, count=1)
    if year is not None and (m := _EXPLICIT_YEAR.search(body)):
        said = int(m.group(1))
        if said < year:
            return "history" if _HISTORY_HEADING.search(body) else "review"
        return "current" if said == year else "plan"
    if _HISTORY_HEADING.search(body) and _REVIEW_HEADING.search(body):
        return "history"
    if _REVIEW_HEADING.search(body):
        return "review"
    if _DEPLOY_HEADING.search(body):
        return "current"
    return None


def _is_heading(text: str) -> bool:
    """A part heading: 一、…  or 第一部分… on a short line, or a short line without a sentence end."""
    if _TOP_HEADING.match(text):
        first = _SENTENCE_END.split(text, maxsplit=1)[0]
        return len(first) <= 40
    return len(text) <= 24 and not _SENTENCE_END.search(text) and not text.endswith(("：", ":"))


@dataclass
class UsageReader:
    """How each place in a speech uses what it names, from the section it is in, the paragraph's
    opening, the sentence's and the clause's markers (time words, completion, planning, tense)."""

    year: int | None
    sections: dict[int, tuple[Usage | None, int | None]] = field(
        default_factory=dict
    )  # line -> (kind, heading)

    @classmethod
    def read(cls, lines: tuple[SourceLine, ...], year: int | None) -> UsageReader:
        reader = cls(year)
        section: tuple[Usage | None, int | None] = (None, None)
        for line in lines:
            text = plain(line.text)
            if _is_heading(text):
                kind = heading_usage(text, year)
                if _TOP_HEADING.match(text) or kind is not None:
                    section = (kind, line.number)
            elif section[0] != "current" and _TURN_TO_DEPLOY.search(text):
                reader.sections[line.number] = section
                section = ("current", line.number)
                continue
            reader.sections[line.number] = section
        return reader

    def usage(self, line: int, text: str, start: int, end: int) -> tuple[Usage, str]:
        """The usage of text[start:end] on ``line`` (a whole paragraph), and why, in Chinese."""
        if _DURATION_BEFORE.search(text[max(0, start - 4) : start]):
            return "history", "前有年数（回顾）"
        if _FORMER_BEFORE.search(text[max(0, start - 4) : start]):
            return "history", "前有“原”字（旧称）"
        markers = _markers(text, self.year)
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
        after = _CLAUSE_END.search(text, end)
        clause_end = after.start() if after else len(text)
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
        after = _SENTENCE_END.search(text, end)
        sentence_end = after.end() if after else len(text)
        # the clause itself, then the markers before the term in its sentence, then those after it
        clause = [mk for mk in markers if clause_start <= mk[0] < clause_end and not start <= mk[0] < end]
        before = [mk for mk in markers if sentence_start <= mk[0] < start]
        later = [mk for mk in markers if end <= mk[0] < sentence_end]
        kind = _decide(clause) or _decide(before) or _decide(later[:2])
        if kind is not None and kind != "past":
            return cast(Usage, kind), "本句"
        # the paragraph's opening (过去一年，… / 过去五年，… / 今年，…) governs its sentences
        opening = [mk for mk in markers if mk[0] < min(start, 16) and mk[1] in (*_TIME_KINDS, "current")]
        if opening and (kind is None or opening[0][1] in _TIME_KINDS):
            return cast(Usage, opening[0][1]), "段首"
        section, heading = self.sections.get(line, (None, None))
        where = f"第 {heading} 行的标题" if heading else "所在部分"
        if kind == "past":  # past tense: the review of last year unless the part looks further back
            return ("history", where) if section == "history" else ("review", "本句")
        if section is not None:
            return section, where
        return "unknown", ""
