"""Subjects below topics: what one paragraph is about (放管服, 基层减负, 审计 …), in one table.

A draft deploys each subject once across its task parts, so two parts never say the same thing. Some
subjects are off-genre for a clean-government speech (growth targets, 安全生产/信访 add-ons): a point
whose main subject is one of them is not used by default.
"""

from __future__ import annotations

import re
from functools import cache

from drafter.facts.memo import TextMemo

# subject -> keywords ("|"-separated plain substrings). Order breaks ties: the more specific first.
_SUBJECTS: dict[str, str] = {
    "学习教育": "学习教育|主题教育|不忘初心、牢记使命",
    "理论武装": "理论武装|第一议题|学懂弄通|创新理论|理论学习|学思践悟",
    "政治建设": "政治纪律|政治规矩|两个维护|两个确立|政治判断力|政治领悟力|政治执行力|政治站位|政治能力|政治体检|政治建设|四个意识|政治生态|政治生活|民主集中制|政治监督|讲政治",
    "一岗双责": "一岗双责|分管领域|分管部门|分管单位",
    "主体责任": "主体责任|责任落实|第一责任人|责任清单|任务清单|压紧压实|压实责任|管党治党|管党治政|责任制",
    "问责考核": "问责|考核|约谈|责任追究|督导检查",
    "贯通协同": "纪检监察|派驻|贯通协同|各类监督|监督合力|人大监督|民主监督|审计监督、统计监督|巡视巡察|巡察",
    "四风": "八项规定|四风|正风肃纪|实施细则|享乐主义|奢靡之风|公款吃喝|违规吃喝|违规收送|隐形变异|节点|节假日|酒驾醉驾",
    "形式主义官僚主义": "调查研究|形式主义|官僚主义|服务意识|工作效能|推诿扯皮|办事拖拉|文山会海|表态多|调门高|层层加码|痕迹管理",
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
    "干部监督": "干部队伍|日常监督|谈心谈话|廉政谈话|提醒谈话|咬耳扯袖|第一种形态|严管厚爱|教育管理",
    # off-genre subjects: present in mined speeches, not the matter of a clean-government speech
    "经济增长": "经济增长|稳增长|固定资产投资|地区生产总值|GDP|招商引资|项目落地|经济运行|纾困|稳工业|文旅|游客|税源|财源|收过头税|非法金融|房地产领域",
    "安全生产": "安全生产|安全隐患",
    "信访维稳": "信访|维稳|社会稳定",
    "疫情防控": "疫情",
    "业务培训": "教育培训|政策培训|业务培训|专项培训|培训计划|规范化培训",
    "统计监督": "统计监督|统计造假|统计数据|数据质量|统计",
    "生态环保": "环境保护|生态环境|环保督察|污染防治|污染",
}
SUBJECTS: tuple[str, ...] = tuple(_SUBJECTS)
OFF_GENRE: frozenset[str] = frozenset(
    {"经济增长", "安全生产", "信访维稳", "疫情防控", "业务培训", "统计监督", "生态环保"}
)

# Targets and figures that belong to an economic work report, not to a clean-government speech.
_GROWTH_RE = re.compile(r"增长【|增长\d|【X%】以上|固定资产投资|地区生产总值|GDP|经济发展总体平稳|稳增长")
# Broken joins a speech never says.
_BROKEN_JOIN_RE = re.compile(r"(深入|扎实|认真)(开展|推进|贯彻)\1")
# A fragment leaning on a quotation, a speech or a context the draft does not carry.
_DANGLING_RE = re.compile(r"上述|以上(要求|几点)|前面(讲|说|提到)|这次会议|本次会议")
# Words that lean on a quotation: fine only after the quotation itself, in the same text.
_LEANS_ON_QUOTE_RE = re.compile(r"殷切希望|谆谆教导|重要讲话精神")
_QUOTED_RE = re.compile(r"(指出|强调|要求)[，：:]?“")
# Agency names a speech after the 2018 institutional reform no longer uses.
_OLD_AGENCY_RE = re.compile(r"法制(办|部门|等部门|机构)|财政、法制|行政监察|工商(登记|部门|局|行政)")
# Speed-of-service wording: a point built on it belongs to a work report unless it speaks of power.
_SPEED_RE = re.compile(
    r"压缩[^。，]{0,12}时间|审批效率|提速|多评合一|多审合一|一件事一次办|最多跑一次|一网通办|容缺|联合验收"
)
# A clean-government point on 放管服 must be about integrity, not about reform or speed of service.
_INTEGRITY_ANGLE_RE = re.compile(
    r"廉|腐|寻租|吃拿卡要|亲清|暗箱|利益输送|以权谋私|权钱|插手|设租|违纪|人为干预|权力运行|违规收费"
)


def lead_sentence(text: str) -> str:
    """The first sentence (up to 。！？；) of a text."""
    match = re.match(r"[^。！？；]*[。！？；]?", text)
    return match.group(0) if match else text


@cache
def _keywords() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(subject, its keywords longest first) in table order."""
    return tuple(
        (subject, tuple(sorted(words.split("|"), key=len, reverse=True)))
        for subject, words in _SUBJECTS.items()
    )


LEAD_ENDS = "。！？；"  # what ends a lead sentence (lead_sentence)


@cache
def _index() -> tuple[tuple[str, frozenset[str] | None, tuple[str, ...]], ...]:
    """(subject, the first two characters of each of its keywords, its keywords) in table order; None
    instead of the openings when a keyword is shorter than two characters (no opening to test)."""
    return tuple(
        (subject, frozenset(w[:2] for w in words) if all(len(w) >= 2 for w in words) else None, words)
        for subject, words in _keywords()
    )


@cache
def _lead_safe() -> bool:
    """No keyword holds a character that ends a lead sentence: a hit that begins in the lead ends there."""
    return not any(c in w for _, words in _keywords() for w in words for c in LEAD_ENDS)


def _hits(text: str, words: tuple[str, ...], lead_end: int = 0) -> tuple[int, int]:
    """Non-overlapping keyword hits, scanning left to right and taking the longest keyword where several
    begin (what a regex alternation of the keywords, longest first, finds; no regex to compile): (hits in
    the text, hits that end by ``lead_end``). Every place a keyword occurs is found with ``str.find``,
    then the scan takes them in order."""
    found: list[tuple[int, int]] = []  # (where, -length): a sort puts the longest first where several begin
    for word in words:
        at = text.find(word)
        while at != -1:
            found.append((at, -len(word)))
            at = text.find(word, at + 1)
    if not found:
        return 0, 0
    found.sort()
    count = in_lead = end = 0
    for at, minus_size in found:
        if at >= end:
            end = at - minus_size
            count += 1
            if end <= lead_end:
                in_lead += 1
    return count, in_lead


Counts = tuple[tuple[str, int, int], ...]  # (subject, hits in the text, hits in its lead sentence)

# Texts are judged again and again (each draft asks of every candidate, lint of every sentence): the
# answers are kept per text, in a bounded memo (emptied when full), so a long-running server never grows
# without limit. The bank's load cache hands in the counts it keeps for its entries (remember_counts).
_MEMO: TextMemo[Counts] = TextMemo()


def _counts(text: str) -> Counts:
    found = _MEMO.get(text)
    if found is None:
        found = subject_counts(text)
        _MEMO.keep(text, found)
    return found


def remember_counts(text: str, counts: Counts) -> None:
    """Keep ``counts`` as what ``subject_counts(text)`` gives (worked out earlier, e.g. in a cache)."""
    _MEMO.keep(text, counts)


def subject_counts(text: str) -> Counts:
    """(subject, hits in the text, hits in its lead sentence) for every subject the text names, in
    table order. A subject none of whose keywords opens with a pair of characters the text holds is
    passed over at once; the text's lead-sentence hits are those of its first hits that end in the lead
    (exact while no keyword holds 。！？；, else the lead is scanned on its own)."""
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    lead = lead_sentence(text)
    safe = _lead_safe()
    out = []
    for subject, openings, words in _index():
        if openings is not None and openings.isdisjoint(pairs):
            continue
        hits, in_lead = _hits(text, words, len(lead))
        if hits:
            out.append((subject, hits, in_lead if safe else _hits(lead, words)[0]))
    return tuple(out)


def subjects_of(text: str, *, limit: int = 3) -> tuple[str, ...]:
    """Subjects of a text, best first: a hit in the lead sentence counts three times, ties in table order."""
    return subjects_by_counts(_counts(text), limit=limit)


def subjects_by_counts(counts: Counts, *, limit: int = 3) -> tuple[str, ...]:
    """``subjects_of`` a text, from its ``subject_counts``."""
    # the counts are in table order and the sort is stable: ties stay in table order
    ranked = sorted(counts, key=lambda count: -(count[1] + 3 * count[2]))
    return tuple(subject for subject, _, _ in ranked[:limit])


def subject_scores(text: str) -> dict[str, int]:
    """Keyword hits per subject in a text (the lead sentence counted like the rest)."""
    return {subject: hits for subject, hits, _ in _counts(text)}


def main_subject(text: str) -> str | None:
    found = subjects_of(text, limit=1)
    return found[0] if found else None


def off_genre(text: str) -> str | None:
    """Why a text does not belong in a clean-government speech by default, or None."""
    if _BROKEN_JOIN_RE.search(text):
        return "语句衔接有误"
    if _GROWTH_RE.search(text):
        return "经济增长指标"
    if _DANGLING_RE.search(text):
        return "依赖原文上下文"
    if (found := _LEANS_ON_QUOTE_RE.search(text)) and not _QUOTED_RE.search(text[: found.start()]):
        return "依赖原文上下文"
    if _OLD_AGENCY_RE.search(text):
        return "机构名称过时"
    subject = main_subject(text)
    if subject in OFF_GENRE:
        return f"非本文体（{subject}）"
    # 放管服 in a clean-government speech: integrity at least half as often as reform wording
    angle = len(_INTEGRITY_ANGLE_RE.findall(text))
    hits = subject_scores(text).get("放管服", 0) if subject == "放管服" else 0
    if (hits >= 2 and angle * 2 < hits) or (_SPEED_RE.search(text) and not angle):
        return "非本文体（政务服务提速）"
    return None
