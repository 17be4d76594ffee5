"""Draft stage, context: meeting year + locality + level -> everything that depends on them.

Year facts come from drafter/data/calendar.json; an unknown fact is never guessed: it becomes a
highlighted 【…】 placeholder unless the user passes the value (--plenum, --state-council).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from drafter.errors import ContextError
from drafter.facts.calendar import YearFacts, year_facts
from drafter.facts.numerals import to_chinese
from drafter.facts.placenames import short_place_name
from drafter.facts.topics import TOPIC_YEARS, TOPICS, topic_fits_year
from drafter.facts.vocab import level_values
from drafter.models import LEVELS, MAX_YEAR, MIN_YEAR

POINT_CHOICES = (3, 4, 5)
MIN_LENGTH, MAX_LENGTH = 3000, 30000
DEFAULT_LENGTH = 7000
_LOCALITY_SUFFIXES = "市县区旗州盟"
_PLAN_PHASES = {
    1: "开局之年",
    2: "全面推进的关键之年",
    3: "承上启下的关键之年",
    4: "攻坚突破的关键之年",
    5: "收官之年",
}


@dataclass(frozen=True)
class DraftParams:
    """Everything a user can set for one draft (CLI options or a --params file)."""

    year: int
    locality: str
    level: str
    province: str | None = None
    meeting_no: int | None = None
    speaker: str | None = None
    date: str | None = None
    points: int = 4
    topics: tuple[str, ...] = ()
    length: int = DEFAULT_LENGTH
    seed: int | None = None
    template: str | None = None
    plenum: str | None = None
    state_council: str | None = None

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class Context:
    params: DraftParams
    facts: YearFacts
    slots: dict[str, str] = field(default_factory=dict)  # every {slot} value for bank text
    title: str = ""
    byline: tuple[str, ...] = ()
    seed: int = 0

    @property
    def year(self) -> int:
        return self.params.year

    @property
    def level(self) -> str:
        return self.params.level

    @property
    def locality(self) -> str:
        return self.params.locality

    def as_template_vars(self) -> dict[str, Any]:
        """Plain values a skeleton template may use."""
        p, f = self.params, self.facts
        return {
            "year": p.year,
            "review_year": p.year - 1,
            "locality": p.locality,
            "locality_short": self.slots["简称"],
            "level": p.level,
            "province": self.slots["省"],
            "province_short": short_place_name(p.province) if p.province else None,
            "closing_goal": closing_goal(p.year, self.slots["简称"], p.province),
            "meeting_no": p.meeting_no,
            "plenum": self.slots["中央纪委全会"],
            "state_council": self.slots["国务院廉政工作会议"],
            "premier": self.slots["总理"],
            "plan": f.plan,
            "plan_year": f.plan_year,
            "plan_phase": _PLAN_PHASES[f.plan_year],
            "campaign": f.campaign,
            "party_congress": self.slots["党的大会"],
            "label": f.label,
            "w": dict(self.slots),  # level words: w.全市, w.市委 …
        }


def closing_goal(year: int, short: str, province: str | None) -> str:
    """What the closing says the work serves: the province's slogan when the province is known
    (为谱写中国式现代化建设的陕西新篇章贡献汉中力量), else the place's own development."""
    if not province:
        return f"为{short}高质量发展提供坚强保障"
    name = short_place_name(province)
    if year >= 2023:  # 中国式现代化: the slogan since the 20th Party Congress
        return f"为谱写中国式现代化建设的{name}新篇章贡献{short}力量"
    return f"为谱写{name}高质量发展新篇章贡献{short}力量"


def new_chapter(year: int, short: str, province: str | None) -> str:
    """The {新篇章} slogan: 谱写中国式现代化建设的汉阴新篇章; with the province known, the province's
    slogan the place contributes to (为谱写中国式现代化建设的陕西新篇章贡献汉阴力量)."""
    modern = "中国式现代化建设的" if year >= 2023 else ""
    tail = "" if modern else "高质量发展"
    if not province:
        return f"谱写{modern}{short}{tail}新篇章"
    return f"为谱写{modern}{short_place_name(province)}{tail}新篇章贡献{short}力量"


def normalize_locality(locality: str, level: str) -> str:
    name = re.sub(r"\s+", "", locality or "")
    if not name:
        raise ContextError("请给出地名（--locality），例如 汉中市、城固县、汉台区")
    if len(name) > 20 or not all("\u3400" <= ch <= "\u9fff" or ch == "·" for ch in name):
        raise ContextError(
            f"地名「{locality}」不像行政区划名称", hint="只写中文地名，例如 汉中市、城固县、汉台区。"
        )
    if name[-1] not in _LOCALITY_SUFFIXES:
        name += level
    return name


def validate_params(params: DraftParams) -> DraftParams:
    """Check every value; return a normalised copy. Raises ContextError listing the valid choices."""
    if not isinstance(params.year, int) or not MIN_YEAR <= params.year <= MAX_YEAR:
        raise ContextError(
            f"年份 {params.year} 超出支持范围",
            hint=f"--year 可选 {MIN_YEAR}–{MAX_YEAR}（会议召开的年份）。",
        )
    if params.level not in LEVELS:
        raise ContextError(f"层级「{params.level}」无效", hint="--level 可选：市、县、区。")
    if params.points not in POINT_CHOICES:
        raise ContextError(f"意见条数 {params.points} 无效", hint="--points 可选：3、4、5。")
    if not MIN_LENGTH <= params.length <= MAX_LENGTH:
        raise ContextError(
            f"目标字数 {params.length} 超出范围",
            hint=f"--length 可选 {MIN_LENGTH}–{MAX_LENGTH}，默认 {DEFAULT_LENGTH}。",
        )
    unknown = [t for t in params.topics if t not in TOPICS]
    if unknown:
        raise ContextError(f"未知主题：{'、'.join(unknown)}", hint=f"--topics 可选：{'、'.join(TOPICS)}。")
    if len(set(params.topics)) != len(params.topics):
        raise ContextError("--topics 中有重复的主题", hint="每个主题只写一次。")
    for topic in params.topics:
        if not topic_fits_year(topic, params.year):
            first, last = TOPIC_YEARS[topic]
            raise ContextError(
                f"「{topic}」只在 {first}–{last} 年的会议上作为一个部分部署，{params.year} 年已不合时宜",
                hint="请换一个主题；回顾上年的相关工作写在回顾部分即可。",
            )
    if params.meeting_no is not None and not 1 <= params.meeting_no <= 99:
        raise ContextError(
            f"会议届次 {params.meeting_no} 无效", hint="--meeting-no 是 1–99 的整数，不写则标题不带届次。"
        )
    if params.seed is not None and not 0 <= params.seed < 2**32:
        raise ContextError(f"随机种子 {params.seed} 无效", hint="--seed 是 0–4294967295 的整数。")
    province = params.province.strip() if params.province else None
    if province and not re.fullmatch(r"[\u3400-\u9fff]{2,12}", province):
        raise ContextError(f"省份「{params.province}」无效", hint="例如 --province 陕西省。")
    return DraftParams(
        **{
            **{f: getattr(params, f) for f in DraftParams.field_names()},
            "locality": normalize_locality(params.locality, params.level),
            "province": province,
        }
    )


def default_seed(params: DraftParams) -> int:
    """A stable seed from the year, place and level, so two cities get different drafts by default."""
    import zlib

    return zlib.crc32(f"{params.year}|{params.locality}|{params.level}".encode()) & 0xFFFFFFFF


def build_context(params: DraftParams) -> Context:
    """Validate the parameters and derive every year- and level-dependent value. Raises ContextError."""
    params = validate_params(params)
    facts = year_facts(params.year)
    slots = level_values(params.level)
    slots.update(
        {
            "地名": params.locality,
            "简称": short_place_name(params.locality),
            "新篇章": new_chapter(params.year, short_place_name(params.locality), params.province),
            "省": params.province or "【省份】",
            "年份": str(params.year),
            "上年": str(params.year - 1),
            "中央纪委全会": params.plenum or facts.plenum or "【XX届中央纪委X次全会】",
            "国务院廉政工作会议": params.state_council
            or facts.state_council
            or "国务院第【X】次廉政工作会议",
            "总理": facts.premier or "【总理姓名】",
            "五年规划": facts.plan,
            "学习教育": facts.campaign or "【年度学习教育】",
            "党的大会": facts.party_congress or "党的【X】大",
        }
    )
    government = f"{params.locality}人民政府"
    number = f"第{to_chinese(params.meeting_no)}次" if params.meeting_no else ""
    title = f"在{government}{number}廉政工作会议上的讲话"
    speaker = params.speaker or f"{government}{slots['市长']}　【姓名】"
    date = params.date or f"{params.year}年【X】月【X】日"
    byline = (speaker, f"（{date.strip('（）()')}）")
    seed = params.seed if params.seed is not None else default_seed(params)
    return Context(params=params, facts=facts, slots=slots, title=title, byline=byline, seed=seed)
