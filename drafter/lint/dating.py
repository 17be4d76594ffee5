"""Stage: lint, rule ``year``: the meeting year (given, or read from "安排部署2022年" / "今年是…开局之年"),
and everything in the text that contradicts it: the wrong 中央纪委全会 or 国务院廉政工作会议 ordinal,
stale phrases (疫情 in 2024, 十四五开局 outside 2021 …) and events placed in a year before they happened
("二十大后" in a review of 2021)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from drafter.facts.calendar import YearFacts, date_text, year_facts
from drafter.facts.dated_terms import TermHit, Verdict, dated_events, find_terms, judge
from drafter.lint.context import LintContext, UsageReader, plain, short
from drafter.models import MAX_YEAR, MIN_YEAR, SourceLine, YearRange
from drafter.read.sentences import split_sentences

RULE = "year"

_ORD = "[一二三四五六七八九十]{1,2}"
_TERM = "十[八九]|二十[一二]?"
PLENUM_RE = re.compile(rf"(?:({_TERM})届)?中(?:央)?纪委(?:({_TERM})届)?(?:第)?({_ORD})次(?:全会|全体会议)")
STATE_COUNCIL_RE = re.compile(rf"国务院(?:第)?({_ORD})次廉政工作(?:电视电话)?会议")

# Words that place a sentence in the review of the previous year, and words that place it in this one
# (for the plenum and State Council ordinals; dated terms use the context's UsageReader).
_REVIEW_RE = re.compile(r"过去(?:的)?一年|去年|一年来|上一年|上年|刚刚过去")
_NOW_RE = re.compile(r"今年|安排部署|主要任务|这次会议|本次会议|今天")

# Cues that state the meeting year outright.
_NOT_A_SPAN = r"(?!以来|至|到|—|－|-|~|～|度?以前)"
_DEPLOY_RE = re.compile(rf"(?:安排|部署)(?:部署)?(20\d{{2}})年{_NOT_A_SPAN}")
_REVIEWED_RE = re.compile(rf"总结(?:回顾)?(20\d{{2}})年{_NOT_A_SPAN}|回顾(20\d{{2}})年(?:的)?工作")
_PLAN_PHASE_RE = re.compile(
    r"(十三五|十四五|十五五)[^。；]{0,12}?(开局|起步|全面推进|承上启下|攻坚突破|收官|第([一二三四五])年)"
)
_LABEL_NEAR = 12  # the label must follow 今年是 / 2022年是 closely
_PLAN_START = {"十三五": 2016, "十四五": 2021, "十五五": 2026}
_PHASE_OFFSET = {"开局": 0, "起步": 0, "全面推进": 1, "承上启下": 2, "攻坚突破": 3, "收官": 4}
_THIS_YEAR_LABELS = (
    (re.compile(r"全面贯彻(?:落实)?(?:党的)?二十大精神的开局之年"), 2023),
    (re.compile(r"全面贯彻(?:落实)?(?:党的)?十九大精神的开局之年"), 2018),
    (re.compile(r"建党(?:一百|100|百年)周年|建党百年"), 2021),
    (re.compile(r"(?:党的)?二十大召开之年|召开党的二十大"), 2022),
    (re.compile(r"全面建成小康社会[^。]{0,8}(?:收官|决胜)|决战决胜脱贫攻坚"), 2020),
    (re.compile(r"新中国成立(?:70|七十)周年"), 2019),
    (re.compile(r"新中国成立(?:75|七十五)周年"), 2024),
    (re.compile(r"改革开放(?:40|四十)周年"), 2018),
)

_EXPLICIT_YEAR_RE = re.compile(r"(?<!\d)(20\d{2})年(?!\d)")
_YEAR_IS_RE = re.compile(r"(?<!\d)(20\d{2})年(?:是|为)")


@dataclass(frozen=True)
class YearCue:
    year: int
    line: int
    phrase: str
    strength: int  # 3 = 安排部署, 2 = 今年是, 1 = 总结回顾


def _implied_year(clause: str) -> tuple[int, str] | None:
    """The year a label names: 今年是“十四五”规划的开局之年 -> (2021, the phrase)."""
    for pattern, year in _THIS_YEAR_LABELS:
        if (m := pattern.search(clause)) and m.start() <= _LABEL_NEAR:
            return year, clause[: m.end()]
    if (m := _PLAN_PHASE_RE.search(clause)) and m.start() <= _LABEL_NEAR:
        offset = _PHASE_OFFSET.get(m.group(2))
        if offset is None:
            offset = "一二三四五".index(m.group(3))
        return _PLAN_START[m.group(1)] + offset, clause[: m.end()]
    return None


def find_year_cues(lines: tuple[SourceLine, ...]) -> list[YearCue]:
    """Every phrase in the speech that states the meeting year."""
    cues: list[YearCue] = []
    for line in lines:
        text = plain(line.text)
        for m in _DEPLOY_RE.finditer(text):
            cues.append(YearCue(int(m.group(1)), line.number, m.group(0), 3))
        for m in _REVIEWED_RE.finditer(text):
            year = int(m.group(1) or m.group(2))
            cues.append(YearCue(year + 1, line.number, m.group(0), 1))
        for sentence in split_sentences(text):
            at = sentence.find("今年是")
            if at >= 0 and (implied := _implied_year(sentence[at:])):
                cues.append(YearCue(implied[0], line.number, implied[1], 2))
    return cues


def _check_year_labels(ctx: LintContext, line: int, sentence: str) -> None:
    """A year and a label that belong to different years: 2022年是“十四五”开局之年."""
    for m in _YEAR_IS_RE.finditer(sentence):
        implied = _implied_year(sentence[m.end() :])
        if implied and implied[0] != int(m.group(1)):
            ctx.add(
                line,
                RULE,
                "error",
                f"“{short(m.group(0) + implied[1], 30)}”自相矛盾：这一提法说的是 {implied[0]} 年",
            )


def infer_year(lines: tuple[SourceLine, ...]) -> tuple[int | None, str | None]:
    """The meeting year a speech states (or, failing that, the one year its phrases fit), and how."""
    cues = find_year_cues(lines)
    if cues:
        best = max(cues, key=lambda c: (c.strength, -c.line))
        return best.year, f"据第 {best.line} 行“{short(best.phrase, 30)}”"
    span = date_text("\n".join(plain(line.text) for line in lines))
    if span.start is not None and span.start == span.end:
        return span.start, "据文中只适用于这一年的提法"
    return None, None


def _facts(year: int) -> YearFacts | None:
    return year_facts(year) if MIN_YEAR <= year <= MAX_YEAR else None


@cache
def _years_of(kind: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for year in range(MIN_YEAR, MAX_YEAR + 1):
        name = getattr(year_facts(year), kind)
        if name:
            out.setdefault(name, []).append(year)
    return out


def _years_text(span: YearRange) -> str:
    if span.start is not None and span.end is not None:
        return f"{span.start} 年" if span.start == span.end else f"{span.start}–{span.end} 年"
    if span.start is not None:
        return f"{span.start} 年及以后"
    return f"{span.end} 年及以前"


def check_year(ctx: LintContext) -> None:
    year = ctx.year
    if year is not None:
        for cue in find_year_cues(ctx.lines):
            if cue.year != year:
                ctx.add(
                    cue.line,
                    RULE,
                    "error",
                    f"“{short(cue.phrase, 24)}”说明会议在 {cue.year} 年，与按 {year} 年检查的会议不符",
                )
    facts = _facts(year) if year is not None else None
    last = _facts(year - 1) if year is not None else None
    reader = UsageReader.read(ctx.lines, year)
    for line in ctx.lines:
        text = plain(line.text)
        taken: list[tuple[int, int]] = []
        for sentence in split_sentences(text):
            review = bool(_REVIEW_RE.search(sentence)) and not _NOW_RE.search(sentence)
            offset = text.find(sentence)
            taken += [
                (s + offset, e + offset) for s, e in _check_events(ctx, line.number, sentence, year, review)
            ]
            _check_year_labels(ctx, line.number, sentence)
            if year is None:
                continue
            _check_meetings(ctx, line.number, sentence, year, facts, last if review else None)
        if year is not None:
            _check_terms(ctx, line.number, text, year, reader, taken)


def _check_meetings(
    ctx: LintContext, line: int, sentence: str, year: int, facts: YearFacts | None, last: YearFacts | None
) -> None:
    if facts is None:
        return
    for m in PLENUM_RE.finditer(sentence):
        term, ordinal = m.group(1) or m.group(2), m.group(3)
        expected = facts.plenum
        if not expected:
            continue
        if term is None:  # 中央纪委六次全会: only the ordinal can be compared
            ok_names = [expected, *([last.plenum] if last and last.plenum else [])]
            if any(f"纪委{ordinal}次全会" in name for name in ok_names):
                continue
        else:
            name = f"{term}届中央纪委{ordinal}次全会"
            if name == expected or (last is not None and name == last.plenum):
                continue
        held = _years_of("plenum").get(f"{term}届中央纪委{ordinal}次全会") if term else None
        when = f"（那是 {'、'.join(map(str, held))} 年的全会）" if held else ""
        ctx.add(
            line,
            RULE,
            "error",
            f"“{m.group(0)}”{when}与 {year} 年的会议不符：{year} 年应学习贯彻{expected}精神",
        )
    for m in STATE_COUNCIL_RE.finditer(sentence):
        expected = facts.state_council
        if not expected:
            continue
        name = f"国务院第{m.group(1)}次廉政工作会议"
        if name == expected or (last is not None and name == last.state_council):
            continue
        held = _years_of("state_council").get(name)
        when = f"（那是 {'、'.join(map(str, held))} 年的会议）" if held else ""
        ctx.add(line, RULE, "error", f"“{m.group(0)}”{when}与 {year} 年的会议不符：{year} 年应为{expected}")


_USAGE_WORDS = {"current": "部署为当前工作", "review": "回顾上一年", "history": "回顾", "plan": "谋划筹备"}
_RANK: dict[Verdict, int] = {"ok": 0, "warning": 1, "error": 2}


def _clusters(hits: list[TermHit]) -> list[list[TermHit]]:
    """Overlapping hits (疫情防控 within 统筹疫情防控) as one place in the text."""
    out: list[list[TermHit]] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if out and hit.start < max(h.end for h in out[-1]):
            out[-1].append(hit)
        else:
            out.append([hit])
    return out


def _check_terms(
    ctx: LintContext, line: int, text: str, year: int, reader: UsageReader, taken: list[tuple[int, int]]
) -> None:
    """Each dated term judged by how its sentence uses it: a term deployed outside its years is an
    error; one looked back on is fine in its review years; where the use cannot be told, a warning."""
    for cluster in _clusters(find_terms(text)):
        start, end = min(h.start for h in cluster), max(h.end for h in cluster)
        if any(s < end and start < e for s, e in taken):
            continue
        usage, why = reader.usage(line, text, start, end)
        sentence_start = max((text.rfind(c, 0, start) for c in "。！？"), default=-1) + 1
        sentence = text[sentence_start : text.find("。", end) + 1 or len(text)]
        verdicts = [(judge(h.term, year, usage, sentence), h) for h in cluster]
        verdict, hit = max(verdicts, key=lambda v: (_RANK[v[0]], -len(v[1].text)))
        if verdict == "ok":
            continue
        ctx.add(line, RULE, verdict, _term_message(hit, year, usage, why, verdict))


def _term_message(hit: TermHit, year: int, usage: str, why: str, verdict: Verdict) -> str:
    term = hit.term
    label = "" if hit.text in term.label or term.label in hit.text else f"（{term.label}）"
    instead = f"；应写“{term.instead}”" if term.instead else ""
    should = f"应写“{term.instead}”" if term.instead else "请改写"
    head = f"“{hit.text}”{label}作为当前工作只适用于 {_years_text(term.current)}的会议"
    if usage == "unknown":
        return f"{head}；本句看不出是回顾还是部署：如是部署 {year} 年工作，{should}"
    if usage in ("review", "history") and verdict == "error":
        return f"{head}，{year} 年的回顾中也不宜出现（据{why}判断为回顾）{instead}"
    said = f"（据{why}判断为{_USAGE_WORDS.get(usage, '')}）" if why else ""
    if verdict == "warning":
        return f"{head}，{year} 年处于过渡期或说法不一，请核对{said}{instead}"
    return f"{head}，与 {year} 年会议不符{said}{instead}"


def _check_events(
    ctx: LintContext, line: int, sentence: str, year: int | None, review: bool
) -> list[tuple[int, int]]:
    """An event spoken of as past in a year before it happened: 在2021年查处的案件中……二十大后."""
    taken: list[tuple[int, int]] = []
    years = [int(y) for y in _EXPLICIT_YEAR_RE.findall(sentence)]
    if not years and review and year is not None:
        years = [year - 1]
    if not years:
        return taken
    for event in dated_events():
        pattern, held, label = event.pattern, event.held, event.label
        for m in pattern.finditer(sentence):
            if max(years) < held:
                taken.append(m.span())
                ctx.add(
                    line,
                    RULE,
                    "error",
                    f"“{m.group(0)}”说的是{label}以后，不可能出现在 {max(years)} 年的情况里",
                )
    return taken
