"""The task topics of a clean-government speech and the keyword rules that tag text with them.

A text gets every topic whose keywords it contains, best first (most hits). The topic names are what
users pass to ``drafter draft --topics`` and what bank entries list under ``topics``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

# topic -> keywords (plain substrings, "|"-separated). Order = the usual order of parts in a speech.
# docs/topics.md lists the same rules in Chinese; keep the two in step.
_KEYWORDS: dict[str, str] = {
    "政治建设": "政治建设|两个维护|两个确立|四个意识|四个自信|政治站位|政治判断力|政治领悟力|政治执行力|理论武装|第一议题|政治定力|政治责任|自我革命|政治生活|学懂弄通|讲政治|政治能力|政治纪律|核心意识|看齐意识",
    "主体责任": "主体责任|一岗双责|第一责任人|第一责任|责任清单|压实责任|压紧压实|管党治党|党组（党委）|责任制|扛牢|扛起|责任落实|责任田|问责|监督责任",
    "作风建设": "八项规定|四风|形式主义|官僚主义|享乐主义|奢靡之风|作风|庸政懒政|懒政怠政|基层减负|减轻基层负担|精文减会|精简会议|过紧日子|三公|文风会风",
    "放管服改革": "涉企|服务意识|放管服|营商环境|行政审批|审批|政务服务|一网通办|简政放权|市场主体|商事制度|中介服务|亲清|政府职能|职能转变|转变职能|证照|办证|助企纾困|惠企|纾困",
    "财政资金": "税收|财政资金|专项资金|资金监管|预算|债券|直达资金|减税降费|财政|资金|国库|财经纪律|税费|国有资产",
    "审计监督": "审计|经济责任",
    "重点领域": "项目建设|产权交易|重点领域|工程建设|工程项目|重大工程|招投标|招标投标|公共资源交易|国有企业|国企|国资|土地出让|土地交易|土地|征地拆迁|医药购销|自然资源|粮食购销|矿产|政府采购",
    "民生领域": "农民工工资|民生|群众身边|惠民|扶贫|乡村振兴|教育医疗|养老|就业|社保|12345|急难愁盼|人民群众|群众利益|医保|低保",
    "惩治腐败": "腐败|查处|案件|以案促改|以案说法|警示教育|零容忍|不敢腐|惩治|受贿|行贿|利剑|反腐|违纪违法|一查到底",
    "权力监督": "制度建设|议事规则|权力运行|制约和监督|监督制约|权力清单|制度笼子|关进制度|内控|政务公开|监督|阳光下运行|三重一大",
    "法治政府": "工作规则|规章制度|依法行政|法治政府|法治|行政执法|重大行政决策|合法性审查|法律顾问|依法依规",
    "担当落实": "不折不扣|对标对表|调度|落到实处|钉钉子|工匠精神|担当|执行力|督查|实干|勤政|效能|真抓实干|抓落实|狠抓落实|落地落实|落地见效|落实力|不作为|敷衍塞责|推诿扯皮|经济增长|稳增长",
    "廉洁文化": "廉洁文化|家风|廉洁自律|清正廉洁|廉洁从政|廉政教育|思想防线|拒腐防变|慎独慎微|干净干事|教育培训|理想信念",
    "学习教育": "学习教育|主题教育|党史学习|党纪学习|学习贯彻|学习提升|调查研究|学以致用",
    "风险防范": "风险|安全生产|信访|维稳|底线思维|化债|防范化解|金融|债务|隐患",
    "疫情防控": "疫情",
}
TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    topic: tuple(words.split("|")) for topic, words in _KEYWORDS.items()
}
TOPICS: tuple[str, ...] = tuple(TOPIC_KEYWORDS)

# Topics that can be a task part only in some meeting years (political-calendar.md: 疫情防控 is natural
# in 2020–2022; in 2023 only as 平稳转段 or looking back, which the review part does, never a part).
TOPIC_YEARS: dict[str, tuple[int, int]] = {"疫情防控": (2020, 2022)}


def topic_fits_year(topic: str, year: int) -> bool:
    """Whether ``topic`` can be a task part of a meeting held in ``year``."""
    first, last = TOPIC_YEARS.get(topic, (year, year))
    return first <= year <= last


# Topics whose keywords can never share a character of a text (none holds, starts or ends another's
# start or end) are counted with one search: where a keyword of one begins none of the others' can be,
# so the leftmost longest matches of the joint pattern are each topic's own matches (its findall).
@cache
def _groups() -> tuple[tuple[re.Pattern[str], dict[str, int]], ...]:
    """(one pattern for a group of topics that never overlap, keyword -> topic index), for all topics."""
    index_of = {topic: i for i, topic in enumerate(TOPICS)}
    exact: dict[str, set[int]] = {}  # keyword -> its topics
    starts: dict[str, set[int]] = {}  # a proper start of a keyword -> the topics it starts
    for topic, words in TOPIC_KEYWORDS.items():
        for word in words:
            exact.setdefault(word, set()).add(index_of[topic])
            for k in range(1, len(word)):
                starts.setdefault(word[:k], set()).add(index_of[topic])
    clash: dict[int, set[int]] = {i: set() for i in range(len(TOPICS))}
    for word, topics in exact.items():
        inside = {word[a:b] for a in range(len(word)) for b in range(a + 1, len(word) + 1)}
        ends = {word[k:] for k in range(1, len(word))}
        for i in topics:
            clash[i] |= topics - {i}
            for piece in inside:  # a keyword inside this one
                clash[i] |= exact.get(piece, set())
            for end in ends:  # a keyword that starts with how this one ends
                clash[i] |= starts.get(end, set())
    for i, others in clash.items():
        others.discard(i)
        for j in others:
            clash[j].add(i)
    color: dict[int, int] = {}
    for i in sorted(clash, key=lambda i: (-len(clash[i]), i)):
        taken = {color[j] for j in clash[i] if j in color}
        color[i] = min(c for c in range(len(TOPICS)) if c not in taken)
    groups = []
    for c in sorted(set(color.values())):
        members = [i for i in sorted(color) if color[i] == c]
        topic_of = {word: i for i in members for word in TOPIC_KEYWORDS[TOPICS[i]]}
        longest_first = sorted(topic_of, key=len, reverse=True)
        groups.append((re.compile("|".join(re.escape(w) for w in longest_first)), topic_of))
    return tuple(groups)


def _hits(text: str) -> list[int]:
    hits = [0] * len(TOPICS)
    for pattern, topic_of in _groups():
        for word in pattern.findall(text):
            hits[topic_of[word]] += 1
    return hits


def topic_hits(text: str) -> tuple[int, ...]:
    """Keyword hits of ``text`` per topic, in TOPICS order. No keyword holds a line break, so the hits of
    texts joined with line breaks are the sums of each one's (a caller may add up paragraphs' hits)."""
    return tuple(_hits(text))


def rank_topics(hits: tuple[int, ...] | list[int], *, limit: int = 3) -> tuple[str, ...]:
    """The topics with hits, most first (ties in TOPICS order), at most ``limit``: what
    ``classify_topics`` gives for a text with these hits."""
    return tuple(TOPICS[index] for _, index in sorted((-n, i) for i, n in enumerate(hits) if n)[:limit])


LEAD_WEIGHT = 3  # a hit in a text's lead sentence or heading counts this many times more


def with_lead(hits: Sequence[int], lead_hits: Sequence[int]) -> list[int]:
    """A text's hits with its lead's added ``LEAD_WEIGHT`` times (as ``classify_topics`` counts them)."""
    return [n + LEAD_WEIGHT * m for n, m in zip(hits, lead_hits, strict=True)]


def classify_topics(text: str, *, limit: int = 3, lead: str = "") -> tuple[str, ...]:
    """Topics of a text, most keyword hits first (ties in TOPICS order); at most ``limit``.

    A hit in ``lead`` (the text's lead sentence or heading, also part of ``text`` or not) counts
    three times: a point is about what its lead sentence says.
    """
    hits = _hits(text)
    # a lead inside the text has no hit the text has none of
    if lead and (any(hits) or lead not in text):
        hits = with_lead(hits, _hits(lead))
    return rank_topics(hits, limit=limit)
