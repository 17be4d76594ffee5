"""Draft stage, the plan: what the speech says, part by part, before any phrase is chosen.

A clean-government speech has a core arc: 压实管党治政责任 -> 作风建设 -> 重点领域与权力运行监督 ->
惩治腐败与廉洁文化. Each part of the arc is a ``PartKind``: the bank topics its points may have as their
main topic, a fallback heading, and the placeholder left for the writer when the bank runs dry. The
selector (drafter.draft.select) fills a ``Plan`` built from these kinds; templates render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafter.facts.topics import TOPICS


@dataclass(frozen=True)
class PartKind:
    key: str  # short name shown in --report: 责任, 作风 …
    topic: str  # the part's anchor topic (one of TOPICS)
    topics: tuple[str, ...]  # main topics a point or heading of this part may have
    heading: str  # fallback part heading when the bank has none on the topic
    ask: str  # what the writer is asked to add when points run short
    subjects: tuple[str, ...] = ()  # subjects its points may have as main subject (empty: any)
    cover: tuple[tuple[str, ...], ...] = ()  # topic groups a merged part takes in turn
    first: str | None = (
        None  # a subject the part must hold when the bank has it (学习教育: in campaign years)
    )

    def groups(self) -> tuple[tuple[str, ...], ...]:
        return self.cover or (self.topics,)

    def rank(self, topic: str, subject: str | None) -> tuple[int, int]:
        """Where a point stands in the part: by topic group, then by subject in the writer's order."""
        groups = self.groups()
        group = next((i for i, g in enumerate(groups) if topic in g), len(groups))
        order = self.subjects.index(subject) if subject in self.subjects else len(self.subjects)
        return group, order


# Subjects a part may hold, in the order a writer takes them within the part.
RESPONSIBILITY_SUBJECTS = ("政治建设", "理论武装", "主体责任", "一岗双责", "问责考核", "贯通协同")
CONDUCT_SUBJECTS = ("学习教育", "四风", "形式主义官僚主义", "基层减负", "过紧日子", "政绩观", "干部担当")
KEY_AREA_SUBJECTS = (
    "重点领域风险",
    "工程项目",
    "公共资源交易",
    "国资国企",
    "土地资源",
    "财政资金",
    "地方债务",
    "审计",
    "群众身边",
)
POWER_SUBJECTS = ("权力制约", "依法行政", "政务公开", "放管服", "贯通协同")
INTEGRITY_SUBJECTS = ("惩治腐败", "群众身边", "以案促改", "警示教育", "干部监督", "廉洁自律", "廉洁文化")

RESPONSIBILITY = PartKind(
    "责任",
    "主体责任",
    ("主体责任", "政治建设"),
    "压紧压实管党治政责任，推动全面从严治党向纵深发展",
    "压实主体责任、落实“一岗双责”的具体举措",
    RESPONSIBILITY_SUBJECTS,
)
CONDUCT = PartKind(
    "作风",
    "作风建设",
    ("作风建设", "学习教育"),
    "锲而不舍落实中央八项规定精神，持续深化作风建设",
    "纠治“四风”、基层减负或本年度学习教育的具体安排",
    CONDUCT_SUBJECTS,
    first="学习教育",
)
OVERSIGHT = PartKind(
    "重点领域与权力监督",
    "重点领域",
    ("重点领域", "权力监督", "财政资金", "审计监督", "法治政府", "放管服改革"),
    "聚焦重点领域和关键环节，加强对权力运行的制约和监督",
    "工程建设、公共资源交易、国资国企或财政资金监管方面的具体举措",
    (*KEY_AREA_SUBJECTS, *POWER_SUBJECTS),
)
KEY_AREAS = PartKind(
    "重点领域",
    "重点领域",
    ("重点领域", "财政资金", "审计监督"),
    "聚焦重点领域和关键环节，严防廉政风险",
    "工程建设、公共资源交易、国资国企或财政资金监管方面的具体举措",
    KEY_AREA_SUBJECTS,
)
POWER = PartKind(
    "权力监督",
    "权力监督",
    ("权力监督", "法治政府", "放管服改革"),
    "坚持依法行政，强化对权力运行的制约和监督",
    "规范权力运行、推进政务公开或依法行政的具体举措",
    POWER_SUBJECTS,
)
INTEGRITY = PartKind(
    "惩治腐败与廉洁文化",
    "惩治腐败",
    ("惩治腐败", "廉洁文化"),
    "保持惩治腐败高压态势，一体推进不敢腐、不能腐、不想腐",
    "以案促改、警示教育或廉洁文化建设的具体举措",
    INTEGRITY_SUBJECTS,
    first="惩治腐败",
)
# The merged part keeps to oversight and corruption: no room for 放管服 there.
_MERGED_OVERSIGHT = tuple(t for t in OVERSIGHT.topics if t != "放管服改革")
OVERSIGHT_AND_INTEGRITY = PartKind(
    "监督与惩治",
    "惩治腐败",
    (*_MERGED_OVERSIGHT, *INTEGRITY.topics),
    "强化权力监督，保持惩治腐败高压态势",
    "重点领域监管、以案促改或警示教育的具体举措",
    (*INTEGRITY_SUBJECTS, *KEY_AREA_SUBJECTS, *tuple(s for s in POWER_SUBJECTS if s != "放管服")),
    (_MERGED_OVERSIGHT, INTEGRITY.topics),
    first="惩治腐败",
)

# The default plan for 3, 4 and 5 task parts: the genre's core arc, never the bank's frequencies.
ARC: dict[int, tuple[PartKind, ...]] = {
    3: (RESPONSIBILITY, CONDUCT, OVERSIGHT_AND_INTEGRITY),
    4: (RESPONSIBILITY, CONDUCT, OVERSIGHT, INTEGRITY),
    5: (RESPONSIBILITY, CONDUCT, KEY_AREAS, POWER, INTEGRITY),
}

# The review argues in the arc's order: responsibility, conduct, key areas, corruption.
# The subject a review family opens with when the bank has it (last year's campaign for 作风).
REVIEW_FIRST: dict[int, str] = {1: "学习教育"}
# 放管服/营商环境 is a work report's matter: in a clean-government review it is not an item of its own.
_OVERSIGHT_REVIEW = tuple(t for t in OVERSIGHT.topics if t != "放管服改革")
REVIEW_ORDER: tuple[tuple[str, ...], ...] = (
    RESPONSIBILITY.topics,
    CONDUCT.topics,
    _OVERSIGHT_REVIEW,
    INTEGRITY.topics,
)
# Problems cover responsibility, conduct, key-area risks and corruption, in that order.
PROBLEM_ORDER: tuple[tuple[str, ...], ...] = (
    (*RESPONSIBILITY.topics, "担当落实"),
    CONDUCT.topics,
    _OVERSIGHT_REVIEW,
    INTEGRITY.topics,
)
MIN_POINTS, MAX_POINTS = 3, 5
MIN_ACHIEVEMENTS, MAX_ACHIEVEMENTS = 4, 6
MIN_PROBLEMS, MAX_PROBLEMS = 3, 4


def user_kind(topic: str) -> PartKind:
    """A part the user asked for with --topics: exactly that topic."""
    assert topic in TOPICS, topic
    return PartKind(topic, topic, (topic,), "", f"“{topic}”方面的具体举措")


def plan_kinds(n: int, wanted: tuple[str, ...] = ()) -> list[PartKind]:
    """The parts of a speech with ``n`` task parts: the user's topics first, then the arc's missing parts."""
    kinds = [user_kind(t) for t in wanted]
    for kind in ARC[max(3, min(5, n))]:
        if len(kinds) >= n:
            break
        if not any(t in kind.topics for t in wanted):
            kinds.append(kind)
    # The arc may lack parts once the user's topics replaced some: widen with the 5-part arc.
    for kind in ARC[5]:
        if len(kinds) >= n:
            break
        if kind not in kinds and not any(t in kind.topics for t in wanted):
            kinds.append(kind)
    return kinds[:n]


@dataclass(frozen=True)
class Phrase:
    """A chosen entry as the template sees it: ``{{ p }}`` prints its text with an invisible id marker."""

    id: str
    text: str
    topics: tuple[str, ...] = ()
    subject: str | None = None  # drafter.facts.subjects

    def __str__(self) -> str:
        return f"\ue000{self.id}\ue001{self.text}"


@dataclass(frozen=True)
class Choice:
    """Why a point is in a part, or why it was left out (for --report)."""

    part: str
    entry_id: str
    topic: str
    subject: str | None
    reason: str  # 入选 / 主题不符 / 事项不属本部分 / 事项重复 / 非本文体… / 与标题重复 / 与已选要点重复


@dataclass
class Part:
    kind: PartKind
    heading: Phrase | None
    lead: Phrase | None
    points: list[Phrase] = field(default_factory=list)
    paragraphs: list[Phrase] = field(default_factory=list)  # unnumbered, after the lead
    quote: Phrase | None = None  # 习近平总书记强调…, before the lead
    style: str = "一要"  # the one sub-point style of this part: 一要 / 一是 / （一）

    @property
    def topic(self) -> str:
        return self.kind.topic

    def chars(self) -> int:
        items = [self.heading, self.quote, self.lead, *self.paragraphs, *self.points]
        return sum(len(p.text) for p in items if p is not None)

    def template_vars(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "name": self.kind.key,
            "heading": self.heading,
            "lead": self.lead,
            "quote": self.quote,
            "paragraphs": list(self.paragraphs),
            "points": list(self.points),
            "style": self.style,
        }


@dataclass
class Plan:
    opening: list[Phrase]
    review: dict[str, Any]
    parts: list[Part]
    closing: Phrase | None
    quote: Phrase | None
    extra: Phrase | None = None
    review_heading: Phrase | None = None
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    review_heading_fallback: str = "认清形势，正视问题，切实增强做好政府廉政工作的责任感和使命感"

    def template_vars(self) -> dict[str, Any]:
        return {
            "opening": self.opening,
            "review": self.review,
            "parts": [p.template_vars() for p in self.parts],
            "closing": self.closing,
            "quote": self.quote,
            "extra": self.extra,
            "review_heading": self.review_heading or self.review_heading_fallback,
        }

    def outline(self) -> list[dict[str, Any]]:
        """The plan as data: each part's topic, heading and points with their subjects."""
        return [
            {
                "part": part.kind.key,
                "topic": part.topic,
                "heading": part.heading.text if part.heading else part.kind.heading,
                "style": part.style,
                "points": [
                    {"entry": p.id, "topic": p.topics[0] if p.topics else "", "subject": p.subject or ""}
                    for p in part.points
                ],
            }
            for part in self.parts
        ]
