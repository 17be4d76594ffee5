"""Subjects below topics: what one paragraph is about (放管服, 基层减负, 审计 …), in one table.

A draft deploys each subject once across its task parts, so two parts never say the same thing. Some
subjects are off-genre for a clean-government speech (growth targets, 安全生产/信访 add-ons): a point
whose main subject is one of them is not used by default.
"""

from __future__ import annotations

import re
from functools import cache

# subject -> keywords ("|"-separated plain substrings). Order breaks ties: the more specific first.
_SUBJECTS: dict[str, str] = {
    "学习教育": "学习教育|主题教育|不忘初心、牢记使命",
    "理论武装": "理论武装|第一议题|学懂弄通|创新理论|理论学习|学思践悟",
    "政治建设": "两个维护|两个确立|政治判断力|政治领悟力|政治执行力|政治站位|政治能力|政治体检|政治建设|四个意识|政治生态|政治生活|民主集中制|政治监督|讲政治",
    "一岗双责": "一岗双责|分管领域|分管部门|分管单位",
    "主体责任": "主体责任|责任落实|第一责任人|责任清单|任务清单|压紧压实|压实责任|管党治党|管党治政|责任制",
    "问责考核": "问责|考核|约谈|责任追究|督导检查",
    "贯通协同": "纪检监察|派驻|贯通协同|各类监督|监督合力|人大监督|民主监督|审计监督、统计监督|巡视巡察|巡察",
    "四风": "八项规定|四风|正风肃纪|实施细则|享乐主义|奢靡之风|公款吃喝|违规吃喝|违规收送|隐形变异|节点|节假日|酒驾醉驾",
    "形式主义官僚主义": "形式主义|官僚主义|服务意识|工作效能|推诿扯皮|办事拖拉|文山会海|表态多|调门高|层层加码|痕迹管理",
    "基层减负": "基层减负|减轻基层负担|精文减会|文风会风|督查检查考核|减负",
    "过紧日子": "过紧日子|三公|一般性支出|厉行节约|勤俭节约|楼堂馆所|公务接待|公务用车",
    "政绩观": "政绩观|政绩|形象工程|面子工程|盲目举债",
    "干部担当": "担当|容错纠错|三个区分开来|干事创业|为担当者担当|敢作善为|不作为|慢作为",
    "重点领域风险": "重点领域|关键环节|权力集中、资金密集|资金密集|资源富集",
    "财政资金": "财政资金|专项资金|预算|直达资金|资金监管|财经纪律|财会监督|惠民惠农|补贴资金",
    "审计": "审计",
    "公共资源交易": "公共资源交易|招投标|招标投标|政府采购|围标串标|交易平台",
    "工程项目": "工程建设|工程项目|重大项目|项目建设|基础设施|项目审批|项目资金",
    "国资国企": "国有企业|国企|国资|国有资产|平台公司",
    "土地资源": "土地|矿产|自然资源|耕地|征地拆迁",
    "地方债务": "债务|化债|隐性债务|举债",
    "放管服": "放管服|营商环境|审批|政务服务|简政放权|市场主体|一网通办|亲清|涉企|惠企|助企",
    "政务公开": "政务公开|公开为常态|信息公开|阳光下运行|公开透明",
    "依法行政": "依法行政|法治政府|行政执法|重大行政决策|合法性审查|法律顾问|执法",
    "权力制约": "权力运行|权力清单|制度笼子|内控|三重一大|议事规则|分事行权|分岗设权|分级授权|制约",
    "群众身边": "群众身边|急难愁盼|民生领域|乡村振兴|农民工工资|惠民|医保基金|养老",
    "以案促改": "以案促改|以案促治|以案为鉴|标本兼治|查改治|类案|同类问题|举一反三",
    "警示教育": "警示教育|警示|反面典型|忏悔|旁听庭审|廉政教育",
    "惩治腐败": "腐败|零容忍|受贿|行贿|违纪违法|反腐|查处|惩治|不敢腐|案件",
    "廉洁文化": "廉洁文化|家风|家教|亲属|身边人|廉洁家庭|清廉",
    "廉洁自律": "廉洁自律|慎独|慎微|慎初|拒腐防变|思想防线|底线|红线|清正廉洁|廉洁从政",
    "干部监督": "干部队伍|日常监督|谈心谈话|咬耳扯袖|第一种形态|严管厚爱|教育管理",
    # off-genre subjects: present in mined speeches, not the matter of a clean-government speech
    "经济增长": "经济增长|稳增长|固定资产投资|地区生产总值|GDP|招商引资|项目落地|经济运行",
    "安全生产": "安全生产|安全隐患",
    "信访维稳": "信访|维稳|社会稳定",
    "疫情防控": "疫情",
}
SUBJECTS: tuple[str, ...] = tuple(_SUBJECTS)
OFF_GENRE: frozenset[str] = frozenset({"经济增长", "安全生产", "信访维稳", "疫情防控"})

# Targets and figures that belong to an economic work report, not to a clean-government speech.
_GROWTH_RE = re.compile(r"增长【|增长\d|【X%】以上|固定资产投资|地区生产总值|GDP|经济发展总体平稳|稳增长")
# Broken joins a speech never says.
_BROKEN_JOIN_RE = re.compile(r"(深入|扎实|认真)(开展|推进|贯彻)\1")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        subject: re.compile("|".join(re.escape(w) for w in sorted(words.split("|"), key=len, reverse=True)))
        for subject, words in _SUBJECTS.items()
    }


def lead_sentence(text: str) -> str:
    """The first sentence (up to 。！？；) of a text."""
    match = re.match(r"[^。！？；]*[。！？；]?", text)
    return match.group(0) if match else text


def subjects_of(text: str, *, limit: int = 3) -> tuple[str, ...]:
    """Subjects of a text, best first: a hit in the lead sentence counts three times, ties in table order."""
    lead = lead_sentence(text)
    scored = []
    for index, (subject, pattern) in enumerate(_patterns().items()):
        hits = len(pattern.findall(text)) + 3 * len(pattern.findall(lead))
        if hits:
            scored.append((-hits, index, subject))
    return tuple(subject for _, _, subject in sorted(scored)[:limit])


def subject_scores(text: str) -> dict[str, int]:
    """Keyword hits per subject in a text (the lead sentence counted like the rest)."""
    scores = {subject: len(pattern.findall(text)) for subject, pattern in _patterns().items()}
    return {subject: hits for subject, hits in scores.items() if hits}


def main_subject(text: str) -> str | None:
    found = subjects_of(text, limit=1)
    return found[0] if found else None


def off_genre(text: str) -> str | None:
    """Why a text does not belong in a clean-government speech by default, or None."""
    if _BROKEN_JOIN_RE.search(text):
        return "语句衔接有误"
    if _GROWTH_RE.search(text):
        return "经济增长指标"
    subject = main_subject(text)
    if subject in OFF_GENRE:
        return f"非本文体（{subject}）"
    return None
