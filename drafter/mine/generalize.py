"""Mine stage, mining rules: make one speech's sentence portable to every city, county and year.

- the speaker's own level words become slots ({全市}, {市委}, {各县区} …; ``drafter.facts.vocab``);
- the year's references become year slots ({中央纪委全会}, {国务院廉政工作会议}, {党的大会},
  {五年规划}, {年份}, {上年}); provincial and local meeting ordinals are dropped;
- figures in any spelling (X, XX, ×, *, **.*%, 34起, 2.38亿元, 3月5日) become one placeholder
  【X】 (money and percentages keep a hint: 【X亿元】, 【X%】);
- the speaker's own place (×市, 对于X来说) becomes {地名}, a provincial regulation 《云南省…》 {省};
- a clause naming another place or a person (瑞丽, 内蒙古, 姜山书记, XXX省长), a local ranking
  (全省第一, 倒数第一) or a region-specific matter (边境管控) is dropped, and with it the sentence when
  nothing else is left.

``generalize_unit`` works sentence by sentence and clause by clause (；), and inside a clause may drop
one comma-separated segment that names a local meeting ("全面落实…市第八次党代会各项部署，").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from drafter.facts.calendar import known_years, year_facts
from drafter.facts.vocab import generalize_level_words
from drafter.models import LEVELS
from drafter.read.sentences import split_sentences_quoted
from drafter.read.years import arabic_years
from drafter.rx import Prefilter, Screened, headed, quick

_CN = "[一二三四五六七八九十]"
_XS = "[X×*＊✕Ｘ]"  # the spellings of a figure to fill
_XRUN = re.compile(rf"{_XS}+(?:[.．]{_XS}+)?")

PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南"
    "|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PROVINCE = re.compile(rf"(?<!幸)(?:{PROVINCES})(?!时间|路|大学)")
_PROVINCE_REG = re.compile(rf"《(?:{PROVINCES})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?")

# Places and people named in the seeds and other names a miner must never carry into a bank.
KNOWN_PLACES = ("瑞丽", "许昌", "安康", "剑川", "城关镇", "民主镇", "COP", "汉中")
KNOWN_PEOPLE = ("姜山", "王俊强")
_KNOWN_NAMES = re.compile("|".join(map(re.escape, (*KNOWN_PLACES, *KNOWN_PEOPLE))))
ALLOWED_PEOPLE = ("习近平", "李克强", "李强", "毛泽东", "邓小平", "江泽民", "胡锦涛")
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余"
    "潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_TITLES = "书记|省长|市长|县长|区长|州长|主任|部长|局长|同志|总理|主席"
_PERSON = re.compile(
    rf"(?:^|(?<=[，。；：、“（\s]))([{_SURNAMES}][\u4e00-\u9fff]{{1,2}})(?:{_TITLES})(?=[，。、在代指强提要的说曾])"
    rf"|([{_SURNAMES}][\u4e00-\u9fff]{{1,2}})等(?:严重)?违(?:纪|法)"
)
_X_PERSON = re.compile(rf"{_XS}+(?:{_TITLES})")
# A person named by the given name alone with a title (国宗书记, 宗平局长, 战书书记、克志省长): one or two
# characters at a clause start, none of which a post or a group of people is written with.
_SHORT_TITLES = "书记|省长|市长|县长|区长|州长|局长|厅长|处长|主任|部长|镇长|乡长|同志|委员长|主席|总理"
_SHORT_PERSON = re.compile(
    rf"(?:^|(?<=[，。；：、“（\s和与及同据请向]))([\u4e00-\u9fff]{{1,2}})(?:{_SHORT_TITLES})"
    r"(?=[，。、；在也还曾多亲专对到来莅和与等指强提要说讲的])"
)
_NOT_A_NAME = re.compile(
    r"[委部局厅处科组会员级位各副总长党司所院校村区县市省镇乡街社们些个老女好这那有几多该本我全原前现"
    r"第一二三四五六七八九十导层关年青轻干众体分常务专职执行任领兼代理班子机构团队席]"
    r"|公安|财政|审计|教育|民政|司法|税务|统计|交通|水利|商务|林业|文旅|信访|环保|国土|规划|卫生|发改|人社|住建"
    r"|广大|基层|机关|有关|相关|党员|青年|所有"
)
_X_OTHER_PLACE = re.compile(rf"{_XS}+(?:特区|镇|乡|村|街道|社区|中学|小学|医院|片区|民主镇)")
_X_LEVEL_PLACE = re.compile(rf"{_XS}+(省|市|县|区|州)")
_X_PERSONAL = re.compile(rf"(?:到|在|赴|来){_XS}+(?:工作|任职|调研)|清廉{_XS}+")
_X_OWN_PLACE_AFTER = re.compile(
    rf"{_XS}+(?=来说|而言|高质量|全面振兴|生态|实际|未来|的事情|开启|上下|人民|大地|经济社会|发展|建设新篇章)"
)
# The speaker's place in a slogan: writers say 谱写中国式现代化建设的汉阴新篇章, 为全县未来发展.
_NEW_CHAPTER = re.compile(rf"谱写(?:中国式现代化)?(?:建设的)?{_XS}+(?:[市县区])?(?:建设|发展)?新篇章")
_OWN_FUTURE = re.compile(rf"为{_XS}+(?:[市县区])?(?=(?:未来|长远|经济社会)发展)")
_UNIT_CHARS = "年月日个项条万亿件人起户场份次名家千百多余倍元公里亩套所批类期天小时分吨座栋辆岁位届大块处%．."
_X_OWN_PLACE_BEFORE = re.compile(
    rf"(?<=对于|护航|推动|实现|提升|结合|指导|服务)({_XS}+)(?=[\u4e00-\u9fff])(?![{_UNIT_CHARS}])"
)

_LOCAL_ORDINAL = re.compile(
    rf"[省市县区州]第{_CN}+次党代(?:会|表大会)|{_CN}+届[省市县区州]委(?!员)|[省市县区州]委{_CN}+届{_CN}+次全(?:体)?会"
    rf"|{_XS}+现场办公会|{_CN}+届{_CN}+次全会"
)
# A comma segment that starts like this is one of several parallel actions and may go.
_DROPPABLE = re.compile(
    r"^(实现|推动|推进|加快|加强|强化|深化|确保|坚持|持续|全面|努力|着力|切实|不断|进一步|提升|提高|完善|健全|落实"
    r"|扎实|积极|大力|严格|坚决|做好|抓好|为|以|把|谱写|开创|迅速|有效|认真|在|弘扬|打造|集中|统筹|深入|全力|狠抓"
    r"|抓紧|主动|及时|紧紧|牢牢|千方百计|坚定|慎终如始)(?!.*(指出|强调|发言))"
)
_EVENT = re.compile(
    rf"{_CN}+届全国人大|全国人大{_CN}+次会议|前天|昨天|今天上午|今天下午|上周|日前|代表团审议|考察{_XS}+|处理决定"
)
_LOCAL_ORDINAL_CONJUNCT = re.compile(rf"[和及、]省第{_CN}+次党代(?:会|表大会)|和考察{_XS}+重要讲话")
_FIRST_IN = re.compile(r"在全[省国市](?:范围内)?(?:率先|首家|首个)(?=[\u4e00-\u9fff])")
_RANKING = re.compile(
    r"倒数第|排名|位居全[省国市]|全[省国市]第[一二三四五六七八九十\d]|名列|走在全[省国市]前列"
)
_REGION_SPECIFIC = re.compile(
    r"边境|边疆|边关|国门|强边固防|自贸试验区|“三线”|“三变”|高原特色|全面振兴新突破|清廉[\u4e00-\u9fff]{2}(?=”)"
    r"|示范区建设|三个示范区"
)

# Year references that become year slots.
_PLENUM = re.compile(rf"(?:十[八九]|二十[一二]?)届中(?:央)?纪委{_CN}+次全(?:体)?会(?:议)?")
_STATE_COUNCIL = re.compile(rf"国务院第{_CN}+次廉政工作(?:电视电话)?会议")
_ATTRIBUTION = re.compile(r"在[^，。；“”]{0,6}$")  # "在" just before a meeting name: a quote's occasion
_PROVINCIAL_PLENUM = re.compile(rf"{_CN}+届省纪委{_CN}+次全(?:体)?会(?:议)?")
_PROVINCIAL_MEETING = re.compile(rf"省政府第{_CN}+次廉政工作")
_LOCAL_PLENUM = re.compile(rf"{_CN}+届([市县区])纪委{_CN}+次全(?:体)?会(?:议)?")
_LOCAL_MEETING = re.compile(rf"([市县区])政府第{_CN}+次廉政工作")
_CONGRESS = re.compile(r"党的(?:十[六七八九]|二十[一二]?)大(?=精神|、[^，。]{0,24}精神|和[^，。]{0,24}精神)")
_PLAN = re.compile(r"十[三四五六]五")
_PLAN_BOUND = re.compile(r"开局|收官|起步|第一年|最后一年|编制|谋划")
_CONGRESS_BOUND = re.compile(r"开局|胜利召开|即将召开|胜利闭幕|召开前")

# A local document's title: never carried over with another place's name (nor invented for one).
_LOCAL_TITLE = re.compile(rf"《{_XS}+[市县区州][^《》]{{2,40}}》")
_PROVINCE_TITLE = re.compile(
    rf"《(?:{PROVINCES})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?[^《》]{{2,40}}》"
)
LOCAL_TITLE_SLOT = "【本地条例名称】"
PROVINCE_TITLE_SLOT = "【本省条例名称】"

# Figures.
# Digits inside a quotation are the quoted words (“不是只管5年、10年的规定”), not figures to fill.
_QUOTED_NUMBER = re.compile(r"(?<=“)[^“”]*\d[^“”]*(?=”)")
_KEEP_NUMBERS = re.compile(r"12345|24小时|7×24|5G|PPP")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=年)")
_DATE = re.compile(r"(?<![\d.])\d{1,2}月\d{1,2}日")
_MONTH = re.compile(r"(?<![\d.])\d{1,2}(?=月(?:份|底|初|中旬|上旬|下旬|末)?)")
_HINT_UNITS = "亿元|万元|千元|元|万户|万人|亿|万|%|‰|个百分点"
_NUMBER = re.compile(rf"(?<![A-Za-z0-9.．])(?:\d+(?:[.．]\d+)?|{_XS}+(?:[.．]{_XS}+)?)(?:({_HINT_UNITS}))?")
_FIGURE_YEAR_CTX = re.compile(rf"(?:安排|部署){_XS}+年")
_RAW_LEFT = re.compile(rf"{_XS}|\d+")
_ANY_FIGURE = re.compile(rf"\d|{_XS}|PPP")  # nothing below can match a clause without one
_FIGURE_CHAR = re.compile(rf"[\d{_XS[1:-1]}]")  # a digit or an X: with PPP, what _ANY_FIGURE finds

_DEPARTMENTS = (
    "财政局|审计局|发改委|发展改革委|发展和改革委员会|人社局|人力资源和社会保障局|生态环境局|自然资源局|住建局"
    "|交通运输局|农业农村局|水利局|商务局|卫健委|卫生健康委|教育局|民政局|司法局|公安局|应急管理局|市场监管局"
    "|统计局|税务局|医保局|林业局|文旅局|政务服务中心|政务服务管理局|行政审批局|国资委|金融办|信访局"
)
_LEVEL_CHAR = {"市": "市", "县": "县", "区": "区"}
_SUPERIOR_CONJUNCT = re.compile(
    r"(?:(?<=省委)|(?<=省政府)|(?<=省纪委)|(?<=纪委监委)|(?<=市委))[、和及与](?:市委|市政府|市纪委监委|市纪委)"
    r"(?=[、，和及]|工作|决策|统一|部署|廉政|的)|(?<=省委)市委|(?<=省委、)市委(?=、)"
    r"|(?<=省长)和市长|(?<=省)、市(?=召开)"
)
_SUPERIOR_WORDS = re.compile(
    r"全市(?!场)|(?<![城都])市委|市政府|市纪委|市直|(?<![省地])市级|市人大|市政协|我市|(?<![城都超])市长"
)
_TOWN_WORDS = re.compile(r"(?<![城])镇(?!压|定|静|守|痛)")


@dataclass(frozen=True)
class Locale:
    """What the miner knows about the speech a text comes from."""

    level: str | None = None  # 市/县/区: whose words become slots
    year: int | None = None  # the meeting year: 2021年 -> {上年} in a 2022 speech
    place: str | None = None  # the speaker's own place without its 市/县/区 (赤水): never in an entry


@dataclass
class Generalized:
    """A generalised unit: its text, the years and levels it suits, and what was dropped (and why)."""

    text: str
    pins: frozenset[int] = frozenset()  # the only years it suits, when it cites one year's meeting
    levels: tuple[str, ...] = LEVELS
    dropped: list[str] = field(default_factory=list)
    kept_share: float = 1.0


class _Drop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _pin_years(name: str) -> frozenset[int]:
    """The meeting years whose 中央纪委全会 or 国务院廉政工作会议 is ``name`` (国务院第一次: 2018, 2023)."""
    name = name.replace("中纪委", "中央纪委").replace("电视电话", "")
    return frozenset(
        year for year in known_years() if name in (year_facts(year).plenum, year_facts(year).state_council)
    )


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


_TOKEN = re.compile("[\ue100-\ue8ff]")


class _Tokens:
    """Final text kept aside in private-use characters while the level words are generalised."""

    def __init__(self) -> None:
        self.values: list[str] = []

    def put(self, value: str) -> str:
        self.values.append(value)
        return chr(0xE100 + len(self.values) - 1)

    def restore(self, text: str) -> str:
        if not self.values:  # nothing was put aside (the text holds no private-use character)
            return text
        return _TOKEN.sub(lambda m: self.values[ord(m.group(0)) - 0xE100], text)


_X_CHAR = re.compile(_XS)
_NEEDS_NO_X = (_RANKING, _REGION_SPECIFIC, _EVENT)


# A text holding none of the needles of the patterns below has no problem (drafter.rx): most clauses.
# The X patterns need an X (_X_CHAR); the superior's words count in a 县/区 speech only.
_PROBLEM_PATTERNS = (_LOCAL_ORDINAL, _KNOWN_NAMES, _PROVINCE, _X_CHAR, *_NEEDS_NO_X, _PERSON, _SHORT_PERSON)
_MAY_HAVE_PROBLEM = Prefilter(*_PROBLEM_PATTERNS)
_MAY_HAVE_PROBLEM_BELOW_CITY = Prefilter(*_PROBLEM_PATTERNS, _SUPERIOR_WORDS)
_S_LOCAL_ORDINAL_CONJUNCT = Screened(_LOCAL_ORDINAL_CONJUNCT)
_S_FIRST_IN = Screened(_FIRST_IN)
_S_SUPERIOR_CONJUNCT = Screened(_SUPERIOR_CONJUNCT)


_S_LOCAL_ORDINAL = Screened(_LOCAL_ORDINAL)
_S_SUPERIOR_WORDS = Screened(_SUPERIOR_WORDS)
_S_KNOWN_NAMES = Screened(_KNOWN_NAMES)
_S_PROVINCE = Screened(_PROVINCE)
_S_OTHERS = tuple(  # (pattern, reason, whether it needs an X)
    (Screened(pattern), reason, pattern not in _NEEDS_NO_X)
    for pattern, reason in (
        (_X_PERSON, "人名"),
        (_X_OTHER_PLACE, "外地地名"),
        (_X_PERSONAL, "个人经历或专有地名"),
        (_RANKING, "地方排名"),
        (_REGION_SPECIFIC, "地域性内容"),
        (_EVENT, "特定事件"),
    )
)
_S_PERSON = Screened(_PERSON)
_S_SHORT_PERSON = Screened(_SHORT_PERSON)


def _problem(text: str, level: str | None) -> tuple[str, bool] | None:
    """Why a text cannot be made portable, and whether dropping its segment anywhere is safe."""
    may = _MAY_HAVE_PROBLEM_BELOW_CITY if level in ("县", "区") else _MAY_HAVE_PROBLEM
    if not may.test(text) and "《{省}" not in text:  # (_PROVINCE is tried with 《{省} taken out)
        return None
    # each pattern tried only on a text that holds one of its needles, in its quick form (drafter.rx)
    if m := _S_LOCAL_ORDINAL.search(text):
        return f"本地会议届次「{m.group(0)}」", True
    if level in ("县", "区") and "市" in text and (m := _S_SUPERIOR_WORDS.search(text)):
        return f"上级“{m.group(0)}”（县区讲话中指所在的市）", False
    if m := _S_KNOWN_NAMES.search(text):
        return f"地名或人名「{m.group(0)}」", False
    if m := _S_PROVINCE.search(text.replace("《{省}", "")):
        return f"外地地名「{m.group(0)}」", False
    has_x = _X_CHAR.search(text) is not None  # the X patterns cannot match without one
    for pattern, reason, needs_x in _S_OTHERS:
        if (has_x or not needs_x) and (m := pattern.search(text)):
            return f"{reason}「{m.group(0)}」", False
    for m in _S_PERSON.finditer(text):
        name = m.group(1) or m.group(2)
        if not any(name.startswith(allowed) for allowed in ALLOWED_PEOPLE):
            return f"人名「{m.group(0)}」", False
    for m in _S_SHORT_PERSON.finditer(text):  # (its needles are the titles)
        name = m.group(1)
        if not _NOT_A_NAME.search(name) and not any(allowed.endswith(name) for allowed in ALLOWED_PEOPLE):
            return f"人名「{m.group(0)}」", False
    for m in _X_LEVEL_PLACE.finditer(text) if has_x else ():
        if m.group(1) != (level or "市") and text[m.end() : m.end() + 1] not in ("长", "委"):
            return f"外地地名「{m.group(0)}」", False
    return None


_AFTER_COMMA = re.compile(r"(?<=，)")
_ENDING = re.compile(r"[。！？!?][”’）)]*$")
_SLOT = re.compile(r"\{[^{}]*\}")


def _without_problems(clause: str, level: str | None) -> str:
    """The clause minus the comma segments that cannot be kept; raise _Drop when that would break it.

    A segment naming a local meeting may go from anywhere ("全面落实…市第八次党代会各项部署，");
    other segments only from the end, and at least half the clause must stay.
    """
    found = _problem(clause, level)
    if found is None:
        return clause
    reason = found[0]
    segments = _AFTER_COMMA.split(clause)
    if len(segments) < 3 or _problem(segments[0], level):
        raise _Drop(reason)
    problems = [_problem(s, level) for s in segments]
    last_good = max(i for i, p in enumerate(problems) if p is None)
    for index, problem in enumerate(problems):
        if (
            problem is not None
            and index < last_good
            and not problem[1]
            and not _DROPPABLE.match(segments[index])
        ):
            raise _Drop(reason)  # a subject or a speech act in the middle: what is left would not read
    kept = [s for s, p in zip(segments, problems, strict=True) if p is None]
    end = clause[-1] if clause[-1] in "。！？；" else ""
    text = "".join(kept).rstrip("，")
    if len(kept) < 2 or len(text) < 0.5 * len(clause):
        raise _Drop(reason)
    if end and not text.endswith(end):
        text += end
    if _problem(text, level):  # a problem that spanned segments
        raise _Drop(reason)
    return text


def _figure(match: re.Match[str]) -> str:
    unit = match.group(1)
    if unit and unit != "个百分点":
        return f"【X{unit}】"
    return "【X】" + (unit or "")


def _figures(clause: str, tokens: _Tokens, locale: Locale) -> str:
    """Numbers that belong to an idiom or to a quotation stay; this and last year become year slots;
    other figures 【X】."""
    clause = _KEEP_NUMBERS.sub(lambda m: tokens.put(m.group(0)), clause)
    clause = _QUOTED_NUMBER.sub(lambda m: tokens.put(m.group(0)), clause)

    def year(m: re.Match[str]) -> str:
        value = int(m.group(1))
        if locale.year is not None and value == locale.year:
            return tokens.put("{年份}")
        if locale.year is not None and value == locale.year - 1:
            return tokens.put("{上年}")
        return tokens.put("【X】")

    clause = _YEAR.sub(year, clause)
    clause = _DATE.sub(lambda m: tokens.put("【X月X日】"), clause)
    clause = _MONTH.sub(lambda m: tokens.put("【X】"), clause)
    clause = _NUMBER.sub(lambda m: tokens.put(_figure(m)), clause)
    if m := _RAW_LEFT.search(clause):
        raise _Drop(f"无法处理的数字或占位符「{m.group(0)}」")
    return clause


def generalize_clause(clause: str, locale: Locale, pins: list[frozenset[int]]) -> str:
    """One clause made portable. Raises _Drop with the reason when it cannot be."""
    level = locale.level
    if locale.place and (m := _place_pattern(locale.place).search(clause)):
        raise _Drop(f"本地地名「{m.group(0)}」")
    # Each rewrite is tried only on a clause that holds one of its needles (drafter.rx): most hold none.
    clause = _S_LOCAL_ORDINAL_CONJUNCT.sub("", clause)
    clause = _S_FIRST_IN.sub("", clause)
    if level in ("县", "区"):  # the superior city named in a list: 省委、省政府和市委、市政府 -> 省委、省政府
        clause = _S_SUPERIOR_CONJUNCT.sub("", clause)
    if "《" in clause:  # every title pattern opens with 《
        clause = _LOCAL_TITLE.sub(LOCAL_TITLE_SLOT, clause)
        clause = _PROVINCE_TITLE.sub(PROVINCE_TITLE_SLOT, clause)
        clause = _PROVINCE_REG.sub("《{省}", clause)
    clause = _without_problems(clause, level)

    tokens = _Tokens()

    # Year references.
    def meeting(m: re.Match[str], slot: str) -> str:
        if _ATTRIBUTION.search(clause[: m.start()]):
            years = _pin_years(m.group(0))
            if years:
                pins.append(years)
            return tokens.put(m.group(0))
        return tokens.put("{" + slot + "}")

    if "次" in clause:  # every meeting name below has its ordinal (…第N次…, …N次全会)
        clause = _PLENUM.sub(lambda m: meeting(m, "中央纪委全会"), clause)
        clause = _STATE_COUNCIL.sub(lambda m: meeting(m, "国务院廉政工作会议"), clause)
        clause = _PROVINCIAL_PLENUM.sub(lambda m: tokens.put("省纪委全会"), clause)
        clause = _PROVINCIAL_MEETING.sub(lambda m: tokens.put("省政府廉政工作"), clause)
        clause = _LOCAL_PLENUM.sub(
            lambda m: tokens.put("{市纪委}全会" if m.group(1) == level else f"{m.group(1)}纪委全会"), clause
        )
        clause = _LOCAL_MEETING.sub(
            lambda m: tokens.put("{市政府}廉政工作" if m.group(1) == level else f"{m.group(1)}政府廉政工作"),
            clause,
        )
    if "党的" in clause and not _CONGRESS_BOUND.search(clause):
        clause = _CONGRESS.sub(lambda m: tokens.put("{党的大会}"), clause)
    if "五" in clause and not _PLAN_BOUND.search(clause):
        clause = _PLAN.sub(lambda m: tokens.put("{五年规划}"), clause)
    has_figure = _FIGURE_CHAR.search(clause) is not None or "PPP" in clause  # _ANY_FIGURE, quicker
    if has_figure:
        clause = _FIGURE_YEAR_CTX.sub(lambda m: m.group(0)[:2] + tokens.put("{年份}") + "年", clause)

    # The speaker's own place.
    if "《" in clause:
        clause = _PROVINCE_REG.sub("《{省}", clause)
        clause = clause.replace("《{省}", "《" + tokens.put("{省}"))
    if has_figure:  # XX市, XX高质量发展 …: the place written as a figure to fill
        clause = _NEW_CHAPTER.sub(lambda m: tokens.put("{新篇章}"), clause)  # 谱写…XX建设新篇章
        clause = _OWN_FUTURE.sub(lambda m: "为" + tokens.put("{全市}"), clause)  # 为XX未来发展 -> 为全县…
        clause = _X_LEVEL_PLACE.sub(lambda m: tokens.put("{地名}"), clause)
        clause = _X_OWN_PLACE_AFTER.sub(lambda m: tokens.put("{地名}"), clause)
        clause = _X_OWN_PLACE_BEFORE.sub(lambda m: tokens.put("{地名}"), clause)

    # Figures: numbers that belong to the idiom stay, the rest become placeholders.
    if has_figure:
        clause = _figures(clause, tokens, locale)

    # Level words of the speaker's own level; department names lose their level prefix.
    if level is not None and (patterns := _level_patterns(level))[3].test(clause):
        department, listed_department, own_departments, _ = patterns
        clause = department.sub("", clause)
        clause = listed_department.sub("", clause)
        if own_departments.search(clause):
            clause = own_departments.sub(tokens.put("{市直}"), clause)
    clause = generalize_level_words(clause, level=level)
    return tokens.restore(clause)


@cache
def _place_pattern(place: str) -> re.Pattern[str]:
    """The speaker's own place: its name, and its one-character short form where a visit or a stay is
    told (莅赤调研, 来赤工作, 在赤期间)."""
    short = re.escape(place[0])
    return re.compile(
        headed(rf"{re.escape(place)}|(?<=[莅来赴驻留返回抵在离])({short})(?=[调视考检指工任落期后时])")
    )


@cache
def _level_patterns(level: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], Prefilter]:
    """A level's own prefix on department names (县财政局 -> 财政局) and on 有关部门 (-> {市直}), and
    the test a clause must pass for any of them to match."""
    patterns = (
        re.compile(headed(rf"(?<![\u4e00-\u9fff]){level}(?=(?:{_DEPARTMENTS})|“)")),
        re.compile(headed(rf"(?<=[，、和及与]){level}(?=(?:{_DEPARTMENTS}))")),
        re.compile(headed(rf"(?<![\u4e00-\u9fff]){level}(?=有关部门|相关部门|各部门)")),
    )
    return (*patterns, Prefilter(*patterns))


_CLAUSE_MARKS = re.compile("[“‘《”’》；;]")


@lru_cache(maxsize=512)  # (repeats come close together: see candidates.CACHE_SIZE)
def _clause(clause: str, locale: Locale) -> tuple[str | None, str, tuple[frozenset[int], ...]]:
    """``generalize_clause`` kept per clause: (its text, or None and why it was dropped, and the years it
    added to ``pins`` either way). A speech's units share sentences: a point and its 要… runs, a line
    and the quotation or summing-up sentence taken from it."""
    pins: list[frozenset[int]] = []
    try:
        return generalize_clause(clause, locale, pins), "", tuple(pins)
    except _Drop as e:
        return None, e.reason, tuple(pins)


def _clauses(sentence: str) -> list[str]:
    """A sentence split after each ；outside quotes."""
    if "；" not in sentence and ";" not in sentence:  # most sentences: one clause
        return [sentence] if sentence.strip() else []
    out: list[str] = []
    depth = 0
    start = 0
    for found in _CLAUSE_MARKS.finditer(sentence):  # from one quote or ；to the next
        index = found.start()
        ch = sentence[index]
        if ch in "“‘《":
            depth += 1
        elif ch in "”’》":
            depth = max(0, depth - 1)
        elif ch in "；;" and depth == 0:
            out.append(sentence[start : index + 1])
            start = index + 1
    if start < len(sentence):
        out.append(sentence[start:])
    return [c for c in out if c.strip()]


def _join_clauses(clauses: list[str], ending: str) -> str:
    text = "".join(clauses).strip()
    if ending and text and text[-1] in "；;，,":
        text = text[:-1] + ending
    elif ending and text and text[-1] not in "。！？!?”’）)":
        text += ending
    return text


def generalize_unit(text: str, locale: Locale, *, keep_first: bool = True) -> Generalized:
    """A unit (paragraph, item, sentence) made portable.

    ``keep_first``: the unit is rejected when its first sentence (its lead) cannot be kept. A rejected
    unit comes back with an empty ``text``; ``dropped`` says why.
    """
    text = _PRIVATE_USE.sub("", text)  # symbol-font characters; the range _Tokens uses for its tokens
    text = arabic_years(text)  # 一九九五年 is slotted like 1995年
    sentences = split_sentences_quoted(text) or [text]
    kept: list[str] = []
    dropped: list[str] = []
    pins: list[frozenset[int]] = []
    kept_chars = 0
    for index, sentence in enumerate(sentences):
        ending_match = _ENDING.search(sentence.strip())
        ending = ending_match.group(0)[0] if ending_match else ""
        clauses = _clauses(sentence.strip())
        out: list[str] = []
        for position, clause in enumerate(clauses):
            done, reason, cited = _clause(clause, locale)
            pins.extend(cited)
            if done is not None:
                out.append(done)
            else:
                dropped.append(reason)
                if index == 0 and position == 0 and keep_first:
                    return Generalized("", dropped=dropped, kept_share=0.0)
        if not out:
            if index == 0 and keep_first:
                return Generalized("", dropped=dropped, kept_share=0.0)
            continue
        kept_chars += sum(len(c) for c in out)
        kept.append(_join_clauses(out, ending or ("。" if len(out) < len(clauses) else "")))
    result = "".join(kept).strip()
    if not result:
        return Generalized("", dropped=dropped, kept_share=0.0)
    share = min(1.0, kept_chars / max(1, len(text)))
    pinned = frozenset.intersection(*pins) if pins else frozenset()
    return Generalized(result, pinned, levels_for(result, locale), dropped, share)


# Words holding the level's character that are not level words (城市, 社区, 县域 …).
_ORDINARY = {
    "市": "城市|市场|超市|市民|都市|市政|省市|市县|县市|门市|上市|夜市|集市|复市",
    "县": "县域|市县|县市|县乡|县处级|郡县",
    "区": "区域|社区|园区|景区|片区|辖区|城区|地区|山区|小区|街区|区分|区别|区间|灾区|库区|矿区|牧区|示范区|开发区|新区|自贸区|保护区",
}
_ORDINARY_WORDS = {level: re.compile(words) for level, words in _ORDINARY.items()}


def levels_for(text: str, locale: Locale) -> tuple[str, ...]:
    """The levels a generalised text suits.

    A 县/区 speech naming its superior 市 (市委, 全市) suits 县 and 区; a text still holding its own
    level's character outside a slot (全国法治政府建设示范县) suits that level only.
    """
    plain = _SLOT.sub("", text) if "{" in text else text
    level = locale.level
    if level is None:
        return LEVELS
    own = _ORDINARY_WORDS[level].sub("", plain) if level in plain else plain
    if level in own or "《{地名}" in text:  # a local regulation: only a place of this level has one
        return (level,)
    if (
        level in ("县", "区")
        and _MAY_NAME_SUPERIOR.test(plain)
        and (quick(_SUPERIOR_WORDS).search(plain) or _TOWN_WORDS.search(plain))
    ):
        return ("县", "区")
    return LEVELS


_MAY_NAME_SUPERIOR = Prefilter(_SUPERIOR_WORDS, _TOWN_WORDS)
