"""Mine stage, scope: find text bound to one place or one moment, and content that fits some levels only.

Pure functions over one text (a bank entry, a speech's line):

- ``scope_flags``: local program and campaign names (a quoted name with a count such as “三本账”,
  “六个一”; 省委、县委十项规定; “…推进年”活动; a branded local platform 省“电子政务云”), local
  documents (《X市…条例》, 《{地名}…》), time deixis (最近, 今年以来, 今年初, 上半年, 目前正在, 正在起草,
  近期, 今年“五一”), references to episodes the text does not contain (几次疫情处置), and quotations
  left with a placeholder (中央八项规定不是只管【X】年…). Each flag says why and what to write instead.
- ``level_misfits``: phrasing that fits only some levels (县处级干部 is a city's case, 市县乡村四级联动 a
  city's platform, 对照中省市部署 a county's or district's words).

National terms that also hold a count (“两个维护”, “四风”, “三个区分开来”, 中央八项规定 …) are known
and never flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.models import LEVELS
from drafter.rx import Prefilter, Screened

ScopeKind = str  # "本地" | "时效" | "事件" | "引语"

KIND_LABELS: dict[str, str] = {
    "本地": "只属于某地的做法、活动或文件",
    "时效": "只属于某个时刻的说法",
    "事件": "提到了正文里没有交代的事",
    "引语": "引语残缺，须按原话恢复",
}

# Slots a writer fills in when generalising a local name (docs/phrasebank.md).
LOCAL_NAME_SLOT = "【本地做法名称】"
LOCAL_REGULATION_SLOT = "【本地条例名称】"


@dataclass(frozen=True)
class ScopeFlag:
    """One place- or moment-bound phrase in a text: where, what kind, why, and what to write instead."""

    kind: ScopeKind
    match: str
    start: int
    end: int
    reason: str
    instead: str = ""

    @property
    def label(self) -> str:
        """The short form stored in an entry's ``scope`` field: ``本地：“三本账”``."""
        return f"{self.kind}：{self.match}"


# --- national terms with a count (never local) ----------------------------------------------------

NATIONAL_NUMBERED = frozenset(
    [
        "两个维护",
        "两个确立",
        "四个意识",
        "四个自信",
        "四个全面",
        "五位一体",
        "四风",
        "三个区分开来",
        "一岗双责",
        "双随机、一公开",
        "双随机一公开",
        "一公开",
        "四个不摘",
        "五证合一",
        "多证合一",
        "一照一码",
        "两证整合",
        "三证合一",
        "三重一大",
        "两学一做",
        "三严三实",
        "三会一课",
        "四种形态",
        "两不愁三保障",
        "两不愁",
        "三保障",
        "四下基层",
        "八项规定",
        "第一议题",
        "四个服从",
        "五个必须",
        "七个有之",
        "两面人",
        "两个结合",
        "两个一百年",
        "两个大局",
        "三个代表",
        "一带一路",
        "三大攻坚战",
        "两个毫不动摇",
        "一案双查",
        "一案三查",
        "两个责任",
        "两个务必",
        "三个务必",
        "最多跑一次",
        "一网通办",
        "一件事一次办",
        "高效办成一件事",
        "一件事",
        "一次办",
        "一窗受理",
        "一网统管",
        "一枚印章管审批",
        "跨省通办",
        "好差评",
        "三公",
        "三公经费",
        "三资",
        "三农",
        "一把手",
        "一票否决",
        "六稳",
        "六保",
        "六稳六保",
        "三不",
        "三不腐",
        "不敢腐、不能腐、不想腐",
        "一体推进不敢腐、不能腐、不想腐",
        "三个一批",
        "两个作用",
        "双减",
        "放管服",
        "两个先行",
        "三新一高",
        "三个转变",
        "一体推进",
        "两个永远",
        "四个不摘",
        "五个一批",
        "两个覆盖",
        "四个对照",
        "四个找一找",
        "三个没有变",
        "四个必须",
        "四个坚持",
        "两个根本",
        "一线",
        "一把手和领导班子",
        "三个能力",
        "七个方面",
        "九个以案",
        "十个明确",
        "十四个坚持",
        "十三个方面",
        "六个必须坚持",
        "两个至关重要",
        "一以贯之",
        "五个到位",
        "四个伟大",
        "三大战略",
        "四项监督",
        "两个担当",
        "三项制度",
        "十五条",
        "一张网",
        "三管三必须",
        "两个比重",
        "一网通管",
        "一事一议",
        "一村一品",
        "一县一策",
        "两个提高",
        "三个规定",
        "四个清单",
        "五个坚持",
        "一法一条例",
        "两法衔接",
        *("一张图", "三项机制", "三个以案", "十个坚持", "三张清单", "两张清单", "六个严禁", "八个严禁"),
        *("一国两制", "两个全覆盖", "三步走", "两个一百年"),
    ]
)

_CN_COUNT = "一二三四五六七八九十两双百千万"
_MEASURE = "个项条本张颗部台大类件道级点句招字步清单联"
# A quoted name holding a count: “三本账”, “六个一”, “一颗印章管审批”, “五个一”机制.
_QUOTED = re.compile(r"“([^“”]{1,16})”")
_COUNTED_NAME = re.compile(rf"[{_CN_COUNT}]+[{_MEASURE}]|[{_CN_COUNT}]个[{_CN_COUNT}]|[{_CN_COUNT}]本")
# An unquoted count of rules other than the central eight (省委、县委十项规定).
_LOCAL_RULES = re.compile(rf"(?<![央八])(?<!中央)[{_CN_COUNT}]{{1,3}}(?<!八)(?<!\d)项规定")
# An unquoted counted system or mechanism: 七个考核评价体系, 五个一机制.
_COUNTED_SYSTEM = re.compile(
    rf"(?<![第{_CN_COUNT}])[二三四五六七八九十]{{1,2}}个[\u4e00-\u9fff]{{1,6}}?(?:体系|机制|平台|台账|专班|模式|工程)"
)
# A campaign year: “高质量项目推进年”活动, 作风整治年行动, 能力作风建设年.
_CAMPAIGN_YEAR = re.compile(
    r"“[^“”]{2,14}年”(?:活动|行动)?|(?<![\d〇零一二三四五六七八九十周])(?:[\u4e00-\u9fff]{2,10}?"
    r"(?:推进|提升|攻坚|整治|建设|落实|服务|效能|质量|作风|突破|招商|执行|能力|创新)年)(?:活动|行动)"
)
# A local branded platform or coined campaign: 省“电子政务云”, 市长营商环境“三本账”, 民生领域整治铸廉行动.
_OWNED_BRAND = re.compile(r"(?:[省市县区]|\{(?:地名|省|我市|市委|市政府|市长)\})“([^“”]{2,12})”")
_COINED_CAMPAIGN = re.compile(r"[\u4e00-\u9fff]{0,8}[铸护守育润清倡崇]廉(?:行动|工程|计划|品牌)")
# A document of one place: 《宝鸡市优化营商环境条例》, 《{地名}…》, 《{省}…》, 《XX市…》.
_PLACE_PREFIX = r"(?:\{地名\}|\{省\}|[XＸ×*]+[省市县区州]|[\u4e00-\u9fff]{2,8}?(?<![城都超门上])(?:省|市|县|区|州|自治区))"
_LOCAL_DOCUMENT = re.compile(rf"《{_PLACE_PREFIX}[^《》]{{2,40}}》")
_NOT_A_PLACE = re.compile(r"^《(?:中华人民共和国|中国共产党|关于|全国|城市|城乡|市场|社区|地区|行政区)")

# Time deixis: said at one moment only.
_MOMENT = re.compile(
    r"最近[，,]|最近一个时期|今年以来|年初以来|今年初|今年年初|今年上半年|上半年以来|今年前[一二三四五六七八九十]+个?月"
    r"|仅今年|截至目前|(?:目前|现在)正在|正在[^。；，]{0,12}?(?:起草|制定|修订|筹备)|近期[，,]|近日|日前|前不久|不久前"
    r"|刚刚(?:过去|结束|召开|闭幕)|(?:今年|去年|这次|刚刚过去的|前不久的?)“?(?:五一|十一|国庆|春节|元旦|端午|中秋|清明)”?"
    r"|目前[，,](?:\{(?:我市|全市)\}|[我全][市县区]|我们)"
)
# Episodes the draft does not contain: 几次疫情处置, 这次疫情, 上述案例.
_EPISODE = re.compile(
    r"(?:几次|这次|此次|那次|上次|这轮|本轮|前几次)(?:疫情|事件|事故|洪灾|灾害|汛情|火灾|处置|检查|巡视|巡察|督查|审计|暗访)"
    r"|刚才(?:通报|播放|讲到|提到)的(?:案例|案件|问题|情况)|前面(?:提到|讲到|说到)的(?:案例|问题)"
)
# A leader's quotation whose words were replaced by a placeholder.
_DAMAGED_QUOTE = re.compile(r"习近平[^。！？]{0,14}?(?:强调|指出|说|要求|提出)[^。！？]*?【[^】]*】")

_S_CAMPAIGN_YEAR = Screened(_CAMPAIGN_YEAR)
_S_LOCAL_RULES = Screened(_LOCAL_RULES)
_S_COUNTED_SYSTEM = Screened(_COUNTED_SYSTEM)
_S_COINED_CAMPAIGN = Screened(_COINED_CAMPAIGN)
_S_MOMENT = Screened(_MOMENT)
_S_EPISODE = Screened(_EPISODE)
_S_OWNED_BRAND = Screened(_OWNED_BRAND)
_MAY_ANY = Prefilter(
    _LOCAL_DOCUMENT,
    _DAMAGED_QUOTE,
    _CAMPAIGN_YEAR,
    _OWNED_BRAND,
    _QUOTED,
    _LOCAL_RULES,
    _COUNTED_SYSTEM,
    _COINED_CAMPAIGN,
    _MOMENT,
    _EPISODE,
)

_LEAD_VERB = re.compile(r"(?:深入|持续|扎实|全面|认真|大力)?(?:开展|实施|推进|组织|深化|落实|以|在)")
_TRAILING = "，,“"

_MOMENT_INSTEAD = {
    "最近": "删去“最近，”，或写成近年来的一般情况",
    "今年以来": "改写成去年的工作（“过去一年”），或删去",
    "今年初": "删去这句，或写明所指文件的年份并核实是否仍然适用",
    "上半年": "会议在年初召开：改为“过去一年”，或删去",
    "正在": "写成要做的事（“要……”），或删去",
    "近期": "删去“近期，”",
}


def _moment_instead(text: str) -> str:
    for key, instead in _MOMENT_INSTEAD.items():
        if key in text:
            return instead
    return "改写成不依赖时间的说法，或删去"


def _national(name: str) -> bool:
    name = name.strip("“”")
    return name in NATIONAL_NUMBERED or any(part in NATIONAL_NUMBERED for part in re.split(r"[、，]", name))


def scope_flags(text: str) -> list[ScopeFlag]:
    """The place- and moment-bound phrases in ``text``, in text order (at most one flag per span)."""
    flags: list[ScopeFlag] = []
    if not _MAY_ANY.test(text):  # none of the patterns below can match: most texts (drafter.rx)
        return flags

    def add(kind: str, m: re.Match[str], reason: str, instead: str) -> None:
        start, end = m.span()
        lead = _LEAD_VERB.match(text, start, end)
        if lead:
            start = lead.end()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if any(f.start < end and start < f.end for f in flags):
            return
        flags.append(ScopeFlag(kind, text[start:end], start, end, reason, instead))

    for m in _LOCAL_DOCUMENT.finditer(text):
        if _NOT_A_PLACE.match(m.group(0)):
            continue
        add("本地", m, "本地的法规文件，别处没有同名文件", f"写成 {LOCAL_REGULATION_SLOT}，或删去")
    for m in _DAMAGED_QUOTE.finditer(text):
        hole = text.index("【", m.start())
        start = max(m.start(), text.rfind("，", 0, hole) + 1, hole - 16)
        close = text.index("】", hole) + 1
        if not any(f.start < close and start < f.end for f in flags):
            reason, instead = "引语中的原话被换成了待填占位符", "按原话恢复（如“五年、十年”），不要留【】"
            flags.append(ScopeFlag("引语", text[start:close], start, close, reason, instead))
    # The patterns below are tried only on a text that holds one of their needles (drafter.rx).
    for m in _S_CAMPAIGN_YEAR.finditer(text):
        add("本地", m, "本地的年度活动名称", f"写成 {LOCAL_NAME_SLOT}，或改成一般说法")
    for m in _S_OWNED_BRAND.finditer(text):
        if not _national(m.group(1)):
            add("本地", m, "本地的工作品牌或平台名称", f"写成 {LOCAL_NAME_SLOT}，或改成一般说法")
    for m in _QUOTED.finditer(text):
        name = m.group(1)
        if _COUNTED_NAME.search(name) and not _national(name):
            add("本地", m, "带数字的本地做法名称", f"写成 {LOCAL_NAME_SLOT}，或改成一般说法")
    for m in _S_LOCAL_RULES.finditer(text):
        add("本地", m, "地方自定的规定（中央的是八项规定）", "删去，或写成“中央八项规定及其实施细则精神”")
    for m in _S_COUNTED_SYSTEM.finditer(text) if "个" in text else ():
        if not _national(m.group(0)):
            add("本地", m, "带数字的本地机制名称", f"写成 {LOCAL_NAME_SLOT}，或改成一般说法")
    for m in _S_COINED_CAMPAIGN.finditer(text):
        add("本地", m, "本地自定的专项行动名称", f"写成 {LOCAL_NAME_SLOT}，或改成一般说法")
    for m in _S_MOMENT.finditer(text):
        add("时效", m, "只在讲话当时成立的说法", _moment_instead(m.group(0)))
    for m in _S_EPISODE.finditer(text):
        add("事件", m, "提到了正文没有交代的具体事件", "删去，或写成一般说法")
    flags.sort(key=lambda f: f.start)
    return flags


def scope_labels(text: str) -> tuple[str, ...]:
    """The distinct ``scope`` labels of a text (what mining stores on an entry)."""
    return tuple(dict.fromkeys(flag.label for flag in scope_flags(text)))


# --- levels ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelMisfit:
    match: str
    start: int
    end: int
    levels: tuple[str, ...]  # the levels the phrase fits
    reason: str
    instead: dict[str, str]  # level -> what to write instead ("" when the sentence should go)


_LEVEL_RULES: tuple[tuple[re.Pattern[str], tuple[str, ...], str, dict[str, str]], ...] = (
    (
        re.compile(r"县处级(?:干部|领导干部)?|(?<!县)处级(?:干部|领导干部)"),
        ("市",),
        "县处级干部由市级以上纪检监察机关管辖，县、区不查处",
        {"县": "科级干部", "区": "科级干部"},
    ),
    (
        re.compile(r"市县乡村?[三四五]级|市县乡三级|市县乡村四级|市、县、乡(?:、村)?[三四]级"),
        ("市",),
        "“市县乡村”几级联动是市级的部署",
        {"县": "县乡村三级", "区": "区街社区三级"},
    ),
    (
        re.compile(r"中省市(?!县)"),
        ("县", "区"),
        "“中省市”包括本级，市级讲话说“中省”",
        {"市": "中省"},
    ),
)


_MAY_MISFIT = Prefilter(*(rule[0] for rule in _LEVEL_RULES))


def level_misfits(text: str) -> list[LevelMisfit]:
    """Phrases of ``text`` that fit only some levels, in text order."""
    found: list[LevelMisfit] = []
    if not _MAY_MISFIT.test(text):  # most texts hold none of the rules' words (drafter.rx)
        return found
    for pattern, levels, reason, instead in _LEVEL_RULES:
        for m in pattern.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            found.append(LevelMisfit(m.group(0), m.start(), m.end(), levels, reason, instead))
    found.sort(key=lambda f: f.start)
    return found


def fitting_levels(text: str, levels: tuple[str, ...] = LEVELS) -> tuple[str, ...]:
    """``levels`` narrowed to those every level-bound phrase of ``text`` fits."""
    out = tuple(levels)
    for misfit in level_misfits(text):
        out = tuple(level for level in out if level in misfit.levels)
    return out
