"""The task topics of a clean-government speech and the keyword rules that tag text with them.

A text gets every topic whose keywords it contains, best first (most hits). The topic names are what
users pass to ``drafter draft --topics`` and what bank entries list under ``topics``.
"""

from __future__ import annotations

import re
from functools import cache

# topic -> keywords (plain substrings or regexes). Order = the usual order of parts in a speech.
TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "政治建设": (
        "政治建设",
        "两个维护",
        "两个确立",
        "四个意识",
        "四个自信",
        "政治站位",
        "政治判断力",
        "政治领悟力",
        "政治执行力",
        "理论武装",
        "第一议题",
        "政治定力",
        "政治责任",
        "自我革命",
        "政治生活",
        "学懂弄通",
    ),
    "主体责任": (
        "主体责任",
        "一岗双责",
        "第一责任人",
        "责任清单",
        "压实责任",
        "管党治党",
        "党组（党委）",
        "责任制",
        "扛牢",
        "扛起",
        "责任落实",
    ),
    "作风建设": (
        "八项规定",
        "四风",
        "形式主义",
        "官僚主义",
        "享乐主义",
        "奢靡之风",
        "作风",
        "庸政懒政",
        "基层减负",
        "精文减会",
        "过紧日子",
        "三公",
    ),
    "放管服改革": (
        "放管服",
        "营商环境",
        "行政审批",
        "审批",
        "政务服务",
        "一网通办",
        "简政放权",
        "市场主体",
        "商事制度",
        "中介服务",
        "亲清",
    ),
    "财政资金": (
        "财政资金",
        "专项资金",
        "资金监管",
        "预算",
        "债券",
        "直达资金",
        "减税降费",
        "国有资产",
        "财政",
        "资金",
    ),
    "审计监督": ("审计",),
    "重点领域": (
        "重点领域",
        "工程建设",
        "招投标",
        "招标投标",
        "公共资源交易",
        "国有企业",
        "国企",
        "土地出让",
        "土地交易",
        "征地拆迁",
        "医药购销",
        "自然资源",
        "粮食购销",
    ),
    "民生领域": (
        "民生",
        "群众身边",
        "惠民",
        "扶贫",
        "乡村振兴",
        "教育医疗",
        "养老",
        "就业",
        "社保",
        "12345",
        "急难愁盼",
        "人民群众",
    ),
    "惩治腐败": (
        "腐败",
        "查处",
        "案件",
        "以案促改",
        "以案说法",
        "警示教育",
        "零容忍",
        "不敢腐",
        "惩治",
        "受贿",
        "行贿",
        "利剑",
    ),
    "权力监督": (
        "权力运行",
        "制约和监督",
        "监督制约",
        "权力清单",
        "制度笼子",
        "关进制度",
        "内控",
        "政务公开",
        "监督",
    ),
    "法治政府": ("依法行政", "法治政府", "法治", "行政执法", "重大行政决策", "合法性审查", "法律顾问"),
    "担当落实": ("担当", "落实", "执行力", "督查", "实干", "勤政", "效能", "真抓实干", "真抓"),
    "廉洁文化": (
        "廉洁文化",
        "家风",
        "廉洁自律",
        "清正廉洁",
        "廉洁从政",
        "廉政教育",
        "思想防线",
        "拒腐防变",
        "慎独慎微",
        "干净干事",
    ),
    "学习教育": ("学习教育", "主题教育", "党史学习", "党纪学习", "学习贯彻"),
    "风险防范": ("风险", "安全生产", "信访", "维稳", "底线思维", "化债", "防范化解"),
    "疫情防控": ("疫情",),
}
TOPICS: tuple[str, ...] = tuple(TOPIC_KEYWORDS)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {topic: re.compile("|".join(words)) for topic, words in TOPIC_KEYWORDS.items()}


def classify_topics(text: str, *, limit: int = 3) -> tuple[str, ...]:
    """Topics of a text, most keyword hits first (ties in TOPICS order); at most ``limit``."""
    scored = []
    for index, (topic, pattern) in enumerate(_patterns().items()):
        hits = len(pattern.findall(text))
        if hits:
            scored.append((-hits, index, topic))
    return tuple(topic for _, _, topic in sorted(scored)[:limit])
