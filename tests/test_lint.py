"""`drafter lint`: every rule on speeches built here, the raw seeds, the CLI and the gazetteer."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drafter.bank import load_bank
from drafter.cli import app
from drafter.lint import RULES, analyze_source, lint_path, lint_source
from drafter.lint.places import allowed_codes, find_places, load_gazetteer, resolve_locality
from drafter.models import Finding, SourceLine, SourceText
from drafter.read.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
runner = CliRunner()

# A clean 2023 speech of 汉中市: no rule finds anything in it.
CLEAN = [
    "在汉中市人民政府廉政工作会议上的讲话",
    "同志们：",
    "今天，我们召开市政府廉政工作会议，主要任务是：深入学习贯彻党的二十大精神，全面贯彻落实二十届中央纪委二次全会、"
    "国务院第一次廉政工作会议精神，总结2022年全市政府系统党风廉政建设工作，安排部署2023年重点任务。下面，我讲三点意见。",
    "一、认清形势，切实增强政府廉政工作的责任感",
    "过去一年，全市政府系统认真落实全面从严治党要求，党风廉政建设取得新成效。一是政治建设不断加强。二是作风建设持续深化。"
    "三是权力监督更加有力。",
    "在看到成绩的同时，我们也要清醒地认识到存在的问题：一是主体责任落实还有差距；二是重点领域风险依然存在。",
    "今年是全面贯彻党的二十大精神的开局之年，做好今年的工作意义重大。",
    "二、突出重点，持续强化权力运行监督",
    "（一）加强财政资金监管。一要严格预算管理，把每一笔钱都用在刀刃上。二要强化审计监督，紧盯重大项目和重点资金。",
    "（二）规范公共资源交易。要全面推行电子化交易，让权力在阳光下运行。",
    "三、从严正风肃纪，推动政府系统作风持续好转",
    "一要持之以恒纠治“四风”，坚决防止反弹回潮。",
    "二要切实为基层减负，精简会议文件和各类检查。",
    "三要强化督查问责，对不作为、乱作为的严肃追责。",
    "同志们，全面从严治党永远在路上。让我们在市委的坚强领导下，为汉中高质量发展提供坚强保障！",
]
TARGET = {"year": 2023, "locality": "汉中市", "level": "市"}


def speech(lines: list[str]) -> SourceText:
    return SourceText(
        Path("讲话.txt"), "utf-8", tuple(SourceLine(i, t) for i, t in enumerate(lines, start=1))
    )


def tiny(*paragraphs: str) -> list[str]:
    """A speech of a salutation and a few paragraphs."""
    return ["同志们：", *paragraphs]


def lint_lines(lines: list[str], **options: object) -> list[Finding]:
    return lint_source(speech(lines), **options)  # type: ignore[arg-type]


def with_line(index: int, text: str, base: list[str] = CLEAN) -> list[str]:
    """CLEAN with line ``index`` (1-based) replaced."""
    lines = list(base)
    lines[index - 1] = text
    return lines


def of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_clean_speech_has_no_findings() -> None:
    assert lint_lines(CLEAN, **TARGET) == []
    assert lint_lines(CLEAN) == []  # year, level inferred; places only warned about


def test_every_rule_is_documented_with_a_severity() -> None:
    assert set(RULES) == {
        *("dirt", "count", "repeat", "year", "level", "place", "placeholder", "punctuation"),
        *("scope", "placename", "levelfit", "typo"),
    }
    for severity, description in RULES.values():
        assert severity in ("error", "warning", "error/warning") and description


# --- the raw seeds (issue 7's acceptance) ------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings() -> dict[str, list[Finding]]:
    return {path.name[:3]: lint_path(path) for path in sorted(SEEDS.glob("*.txt"))}


def test_seed_001_plenum_on_opening_line_and_twentieth_congress_in_review(
    seed_findings: dict[str, list[Finding]],
) -> None:
    year = of(seed_findings["001"], "year")
    opening = [f for f in year if f.line == 2 and "十九届中央纪委二次全会" in f.message]
    assert opening and opening[0].severity == "error" and "十九届中央纪委六次全会" in opening[0].message
    assert any(f.line == 2 and "国务院第四次廉政工作会议" in f.message for f in year)
    congress = [f for f in year if f.line == 5 and "二十大后" in f.message]
    assert congress and "2021" in congress[0].message
    assert any(f.line == 24 and "决胜全面小康" in f.message for f in year)


def test_seed_002_ad_block(seed_findings: dict[str, list[Finding]]) -> None:
    dirt = of(seed_findings["002"], "dirt")
    assert [(f.line, f.severity) for f in dirt] == [(1, "error"), (18, "error"), (43, "error")]
    assert "第 1–9 行" in dirt[0].message


def test_seed_003_both_repeated_sentences(seed_findings: dict[str, list[Finding]]) -> None:
    repeats = of(seed_findings["003"], "repeat")
    assert [f.line for f in repeats] == [5, 22]
    assert "紧盯重大项目及重点工作" in repeats[0].message
    assert "要落实行政执法“三项制度”" in repeats[1].message


def test_seed_000_placeholder_in_announcement(seed_findings: dict[str, list[Finding]]) -> None:
    line6 = [f for f in of(seed_findings["000"], "placeholder") if f.line == 6]
    assert line6 and "以下X个方面" in line6[0].message and line6[0].severity == "warning"


def test_seeds_places_are_real_places_only(seed_findings: dict[str, list[Finding]]) -> None:
    named = {
        key: sorted({f.message.split("“")[1].split("”")[0] for f in of(found, "place")})
        for key, found in seed_findings.items()
    }
    assert named == {
        "000": ["云南省"],  # “清廉云南” is a quotation
        "001": ["内蒙古"],
        "002": ["许昌市"],
        "003": ["云南省", "剑川县", "安康市", "陕西省", "青海省"],
        "004": [],
    }


def test_seeds_meeting_years_are_inferred() -> None:
    years = {
        path.name[:3]: analyze_source(read_source(path, clean=False)).year
        for path in sorted(SEEDS.glob("*.txt"))
    }
    assert years == {"000": 2021, "001": 2022, "002": 2020, "003": 2023, "004": 2023}


def test_seed_003_with_its_locality_flags_only_other_provinces() -> None:
    found = of(lint_path(SEEDS / "003_c1f2ed010dd07385.txt", locality="汉滨区", level="县"), "place")
    names = sorted({f.message.split("“")[1].split("”")[0] for f in found})
    assert names == ["云南省", "剑川县", "青海省"]  # 安康市 and 陕西省 are its own city and province
    assert {f.severity for f in found} == {"error"}


# --- count -------------------------------------------------------------------------------------


def test_count_announced_points_against_parts() -> None:
    found = of(lint_lines(with_line(3, CLEAN[2].replace("三点意见", "四点意见")), **TARGET), "count")
    assert len(found) == 1 and found[0].line == 3 and found[0].severity == "error"
    assert "四点意见" in found[0].message and "3 个部分" in found[0].message


@pytest.mark.parametrize(
    ("index", "text", "line", "words"),
    [
        (11, "四、从严正风肃纪，推动政府系统作风持续好转", 11, ["跳号", "“三、”"]),
        (11, "二、从严正风肃纪，推动政府系统作风持续好转", 11, ["重复", "“二、”"]),
        (10, "（三）规范公共资源交易。要全面推行电子化交易，让权力在阳光下运行。", 10, ["跳号", "“（二）”"]),
        (13, "一要切实为基层减负，精简会议文件和各类检查。", 14, ["跳号", "“二要”"]),  # restarts, then skips
        (13, "三要切实为基层减负，精简会议文件和各类检查。", 13, ["跳号", "“二要”"]),
        (14, "二要强化督查问责，对不作为、乱作为的严肃追责。", 14, ["重复"]),
        (14, "五要强化督查问责，对不作为、乱作为的严肃追责。", 14, ["跳号", "“三要”", "“四要”"]),
    ],
)
def test_count_numbering_at_every_level(index: int, text: str, line: int | None, words: list[str]) -> None:
    found = of(lint_lines(with_line(index, text), **TARGET), "count")
    if line is None:
        assert found == []
        return
    assert found and found[0].line == line and found[0].severity == "error"
    for word in words:
        assert word in found[0].message


def test_count_inline_points_gap_repeat_and_order() -> None:
    base = "过去一年，全市政府系统党风廉政建设取得新成效。"
    cases = {
        "一是政治建设不断加强。二是作风建设持续深化。二是权力监督更加有力。": "重复",
        "一是政治建设不断加强。二是作风建设持续深化。四是权力监督更加有力。": "跳号",
        "一是政治建设不断加强。三是作风建设持续深化。二是权力监督更加有力。": "跳号",
    }
    for items, word in cases.items():
        found = of(lint_lines(with_line(5, base + items), **TARGET), "count")
        assert found and found[0].line == 5 and word in found[0].message, items
    found = of(
        lint_lines(with_line(5, base + "一是政治建设。三是作风建设。二是权力监督。"), **TARGET), "count"
    )
    assert any("颠倒" in f.message for f in found)


def test_count_numbering_restarts_under_each_parent() -> None:
    lines = [
        "一、第一部分",
        "（一）第一节。一要甲。二要乙。",
        "（二）第二节。一要丙。二要丁。三要戊。",
        "二、第二部分",
        "（一）第一节。",
        "1.第一条。",
        "2.第二条。",
        "（二）第二节。",
        "1.第一条。",
        "3.第三条。",
    ]
    found = of(lint_lines(lines, year=2023), "count")
    assert [(f.line, f.severity) for f in found] == [(10, "error")]
    assert "“2.”" in found[0].message


def test_count_mixed_point_styles_is_a_warning() -> None:
    found = of(
        lint_lines(
            with_line(5, "一是政治建设不断加强。二要作风建设持续深化。三要权力监督更加有力。"), **TARGET
        ),
        "count",
    )
    assert [(f.line, f.severity) for f in found] == [(5, "warning")]


def test_count_ignores_words_that_only_look_like_markers() -> None:
    text = "这是第一要务，也是统一是非标准的前提。一是一、二是二，实事求是。"
    assert of(lint_lines(with_line(7, text), **TARGET), "count") == []


# --- repeat ------------------------------------------------------------------------------------


def test_repeat_sentence_across_paragraphs_and_whole_paragraph() -> None:
    lines = [*CLEAN[:-1], "要切实为基层减负，精简会议文件和各类检查，让干部把精力用在抓落实上。", CLEAN[-1]]
    lines[12] = "二要切实为基层减负，精简会议文件和各类检查，让干部把精力用在抓落实上。"
    found = of(lint_lines(lines, **TARGET), "repeat")
    assert [f.line for f in found] == [15] and "第 13 行" in found[0].message

    doubled = [*CLEAN[:-1], CLEAN[9], CLEAN[-1]]
    found = of(lint_lines(doubled, **TARGET), "repeat")
    assert [(f.line, f.severity) for f in found] == [(15, "error")] and "整段与第 10 行重复" in found[
        0
    ].message


def test_repeat_ignores_short_stock_sentences() -> None:
    lines = with_line(7, CLEAN[6] + "大家讲得都很好。大家讲得都很好。")
    assert of(lint_lines(lines, **TARGET), "repeat") == []


# --- placeholder -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filler",
    ["X", "XX", "XXX", "×", "**", "****", "*.*%", "【X】", "【X亿元】", "【地名】", "Ｘ"],
)
def test_placeholder_spellings(filler: str) -> None:
    found = of(
        lint_lines(with_line(7, f"今年全市减税降费{filler}亿元，新增市场主体{filler}户。"), **TARGET),
        "placeholder",
    )
    assert len(found) == 1 and found[0].line == 7 and found[0].severity == "warning"
    assert filler in found[0].message


def test_placeholder_leaves_real_figures_and_latin_words_alone() -> None:
    text = "开通12345热线，办结率达到100%，3×4的算式除外，参加COP15大会和PPP项目评审。"
    assert of(lint_lines(with_line(7, text), **TARGET), "placeholder") == []


# --- year --------------------------------------------------------------------------------------


def test_year_wrong_plenum_and_state_council_for_given_year() -> None:
    found = of(lint_lines(CLEAN, year=2024, locality="汉中市"), "year")
    messages = " ".join(f.message for f in found if f.line == 3)
    assert "二十届中央纪委三次全会" in messages and "国务院第二次廉政工作会议" in messages
    assert any("说明会议在 2023 年" in f.message for f in found)  # 安排部署2023年 vs --year 2024
    assert all(f.severity == "error" for f in found)


@pytest.mark.parametrize(
    ("form", "year", "wrong"),
    [
        ("二十届中纪委二次全会", 2023, False),
        ("二十届中央纪委第二次全体会议", 2023, False),
        ("中央纪委二十届二次全会", 2023, False),
        ("二十届中纪委二次全会", 2024, True),
        ("十九届中纪委二次全会", 2023, True),
        ("中央纪委六次全会", 2022, False),
        ("中央纪委五次全会", 2022, True),
        ("二十届中纪委二次全会", 2028, False),  # 2028's plenum is unknown: never guessed
    ],
)
def test_year_plenum_forms(form: str, year: int, wrong: bool) -> None:
    line = f"认真学习贯彻{form}精神，安排部署{year}年重点任务。"
    found = [f for f in of(lint_lines(with_line(3, line), year=year), "year") if form in f.message]
    assert bool(found) == wrong


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("要统筹疫情防控和经济社会发展，常态化做好疫情防控工作。", 2024),
        ("今年是“十四五”规划开局之年，要开好局起好步。", 2023),
        ("要坚决打赢脱贫攻坚战，决胜全面建成小康社会。", 2021),
        ("李克强总理强调，庸政懒政怠政也是一种腐败。", 2024),
        ("李强总理强调，要建设人民满意的廉洁政府。", 2022),
        ("要培育发展新质生产力，推动高质量发展。", 2023),
    ],
)
def test_year_stale_phrases(sentence: str, year: int) -> None:
    found = of(lint_lines(with_line(7, sentence), year=year), "year")
    assert any(f.line == 7 and f.severity == "error" for f in found), [f.message for f in found]


def test_year_premier_in_the_year_his_government_ended_is_only_a_warning() -> None:
    # early-2023 documents still name 李克强总理: a warning, not an error (an error from 2024)
    found = of(lint_lines(with_line(7, "李克强总理强调，庸政懒政怠政也是一种腐败。"), year=2023), "year")
    assert [(f.line, f.severity) for f in found] == [(7, "warning")]


def test_year_allowances() -> None:
    review = "去年，我们认真贯彻十九届中央纪委六次全会精神，统筹疫情防控和经济社会发展。"
    assert of(lint_lines(tiny(review), year=2023), "year") == []
    assert of(lint_lines(tiny(review.replace("去年，", "")), year=2023), "year") != []
    consolidate = "要巩固“不忘初心、牢记使命”主题教育成果，深入开展党史学习教育。"
    assert of(lint_lines(tiny(consolidate), year=2021), "year") == []
    assert of(lint_lines(tiny(consolidate.replace("巩固", "开展")), year=2021), "year") != []
    planning = "要科学谋划“十四五”发展，做好规划编制工作。"
    assert of(lint_lines(tiny(planning), year=2020), "year") == []
    welcome = "要以优异成绩迎接党的二十大胜利召开。"
    assert of(lint_lines(tiny(welcome), year=2022), "year") == []


def test_year_event_placed_before_it_happened() -> None:
    line = "在2021年查处的案件中，首次违纪行为发生在二十大后的有【X】件。"
    found = of(lint_lines(with_line(7, line)), "year")  # no meeting year needed
    assert [f.line for f in found] == [7] and "2021" in found[0].message and "二十大后" in found[0].message
    ok = "在2023年查处的案件中，首次违纪行为发生在二十大后的有【X】件。"
    assert of(lint_lines(tiny(ok), year=2024), "year") == []


def test_year_inferred_from_text_and_contradicting_label() -> None:
    result = analyze_source(speech(CLEAN))
    assert result.year == 2023 and "安排部署2023年" in (result.year_basis or "")
    lines = with_line(7, "今年是“十四五”规划的开局之年，做好今年的工作意义重大。")
    found = of(lint_lines(lines), "year")
    assert any(f.line == 7 and "2021 年" in f.message for f in found)
    found = of(lint_lines(with_line(7, "2022年是“十四五”规划开局之年。")), "year")
    assert any(f.line == 7 and "自相矛盾" in f.message for f in found)


def test_year_unknown_means_no_year_findings() -> None:
    lines = ["同志们：", "要统筹疫情防控和经济社会发展，落实十九届中央纪委二次全会精神。"]
    result = analyze_source(speech(lines))
    assert result.year is None and of(list(result.findings), "year") == []


# --- level and place ---------------------------------------------------------------------------


def test_level_words_of_another_level() -> None:
    lines = [
        line.replace("全市", "全县").replace("市委", "县委").replace("市政府", "县政府") for line in CLEAN
    ]
    lines[12] = "二要切实为基层减负，全市政府系统要精简会议文件和各类检查。"
    found = of(lint_lines(lines, year=2023, locality="城固县"), "level")
    assert [(f.line, f.severity) for f in found] == [(13, "error")]
    assert "全市政府系统" in found[0].message and "全县政府系统" in found[0].message
    warned = of(lint_lines(lines, year=2023), "level")  # level inferred from the text: a warning
    assert [(f.line, f.severity) for f in warned] == [(13, "warning")]


def test_level_ordinary_words_are_not_level_words() -> None:
    text = "要发挥资本市场和基本市场机制作用，在本区域内统筹推进，城市直接管理的单位和市直部门都要落实。"
    found = of(lint_lines(tiny(text), year=2023, level="区"), "level")
    assert [f.message.split("”")[0] for f in found] == ["“市直部门"]


def test_place_other_city_is_an_error_with_locality_and_a_warning_without() -> None:
    lines = with_line(7, "要学习借鉴安康市和许昌的经验，结合陕西实际和城固县做法抓好落实。")
    found = of(lint_lines(lines, **TARGET), "place")
    assert sorted(f.message.split("“")[1].split("”")[0] for f in found) == ["安康市", "许昌"]
    assert {f.severity for f in found} == {"error"}
    warned = of(lint_lines(lines, year=2023), "place")  # home read from the title: 汉中市人民政府
    assert {f.severity for f in warned} == {"warning"} and len(warned) == 2 and "据标题" in warned[0].message
    unknown = of(lint_lines(tiny(lines[6]), year=2023), "place")
    assert sorted(f.message.split("“")[1].split("”")[0] for f in unknown) == [
        "城固县",
        "安康市",
        "许昌",
        "陕西",
    ]


COMMON_WORDS = (
    "通过 安全 和平 新区 高新区 经开区 开发区 长治久安 大同小异 四平八稳 推广安全 聚焦作风 面临夏季 确定西部 "
    "各自贡献 确保山区 投资阳光 巩固原有 放松原则 关怀化解 平安顺利 出海口 东南通道 新乡村 新乡贤 文山会海 "
    "北京时间 幸福安康 各位来宾 朝阳产业 城区 郊区 区域 县域 市场 基本市场 延安精神 遵义会议 井冈山精神 "
    "红船精神 长江经济带 黄河流域 京津冀 粤港澳大湾区 长三角 乡村振兴 一网通办 枫桥经验 城关镇 东南 西北 "
    "中原 江南 江淮 孙中山 大理石 复合肥 世界大同 诚信阳光 平衡水 经济宁 集中卫生 境内江河 适宜春季"
)


def test_place_common_speech_vocabulary_is_not_a_place() -> None:
    assert [(w, find_places(w)) for w in COMMON_WORDS.split() if find_places(w)] == []


def test_place_names_are_found_in_context() -> None:
    text = "学习借鉴剑川县、许昌、内蒙古和汉中市的做法，推动山东营商环境优化，建设清廉云南。"
    assert [w for _s, _e, w in find_places(text)] == ["剑川县", "许昌", "内蒙古", "汉中市", "山东", "云南"]


def test_gazetteer_size_and_locality_resolution() -> None:
    gazetteer = load_gazetteer()
    levels = [d.level for d in gazetteer.divisions.values()]
    assert levels.count("province") == 31 and levels.count("city") >= 320 and levels.count("county") >= 2800
    assert resolve_locality("汉中") == resolve_locality("汉中市") == resolve_locality("陕西省汉中市")
    allowed = {gazetteer.divisions[c].name for c in allowed_codes(resolve_locality("城固县"))}
    assert {"城固县", "汉中市", "陕西省"} <= allowed and "安康市" not in allowed
    assert len(resolve_locality("长安区")) == 2  # 西安 and 石家庄 both have one
    assert resolve_locality("不存在的地方") == ()


# --- dirt and punctuation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "仅供学习交流，禁止外传",
        "更多资料请加QQ群：123456789",
        "联系电话：0916-2345678",
        "微信：abc123 下载后可编辑",
    ],
)
def test_dirt_lines(line: str) -> None:
    found = of(lint_lines([*CLEAN[:5], line, *CLEAN[5:]], **TARGET), "dirt")
    assert [(f.line, f.severity) for f in found] == [(6, "error")]
    # an ad line is dirt only: no other rule reports it
    assert [
        f for f in lint_lines([*CLEAN[:5], line, *CLEAN[5:]], **TARGET) if f.line == 6 and f.rule != "dirt"
    ] == []


def test_dirt_block_and_inline_signature() -> None:
    lines = ["仅供学习 禁止外传", "某某文库", "自建平台、实时分享", "", "会员群：  免费QQ群：", *CLEAN]
    found = of(lint_lines(lines, **TARGET), "dirt")
    assert [(f.line, f.severity) for f in found] == [(1, "error")] and "第 1–5 行" in found[0].message
    signed = with_line(7, CLEAN[6] + "某某整理，咨询QQ206157060")
    assert [f.line for f in of(lint_lines(signed, **TARGET), "dirt")] == [7]


def test_punctuation_half_width_and_unmatched_pairs() -> None:
    cases = {
        "习近平总书记指出, 要全面从严治党。": "半角标点",
        "主要任务是:贯彻落实会议精神。": "半角标点",
        "要落实“三项制度，健全裁量基准。": "没有配对",
        "要落实三项制度”，健全裁量基准。": "多了一个",
        "认真学习《条例（试行》，抓好落实。": "交错",
        '落实(试行）办法，推进"放管服"改革。': "半角引号",
    }
    for text, word in cases.items():
        found = of(lint_lines(with_line(7, text), **TARGET), "punctuation")
        assert found and found[0].line == 7 and found[0].severity == "warning", text
        assert any(word in f.message for f in found), (text, [f.message for f in found])
    assert (
        of(lint_lines(with_line(7, "会议于8:30开始，使用Word 2016, Excel等软件。"), **TARGET), "punctuation")
        == []
    )


# --- reading files and the CLI -----------------------------------------------------------------


def test_lint_path_reads_gbk_and_keeps_file_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "旧稿.txt"
    lines = ["", "", *with_line(13, "三要切实为基层减负，精简会议文件和各类检查。")]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    found = of(lint_path(path, **TARGET), "count")  # type: ignore[arg-type]
    assert [f.line for f in found] == [15, 16] and found[0].file == str(path)


def test_lint_path_reads_docx_paragraph_numbers(tmp_path: Path) -> None:
    document = Document()
    for text in with_line(11, "四、从严正风肃纪，推动政府系统作风持续好转"):
        document.add_paragraph(text)
    path = tmp_path / "初稿.docx"
    document.save(str(path))
    found = of(lint_path(path, **TARGET), "count")  # type: ignore[arg-type]
    assert [f.line for f in found] == [11]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_cli_text_output_summary_and_exit_codes(tmp_path: Path) -> None:
    clean = _write(tmp_path, "好稿.txt", CLEAN)
    result = runner.invoke(app, ["lint", str(clean), "--year", "2023", "--locality", "汉中市"])
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.stdout and "共检查 1 个文件：0 个错误，0 个警告" in result.stdout

    warned = _write(tmp_path, "待填.txt", with_line(7, "今年新增市场主体XX户。"))
    result = runner.invoke(app, ["lint", str(warned), "-y", "2023"])
    assert result.exit_code == 0 and f"{warned}:7: warning [placeholder]" in result.stdout

    bad = _write(tmp_path, "错稿.txt", with_line(11, "四、从严正风肃纪，推动政府系统作风持续好转"))
    result = runner.invoke(app, ["lint", str(clean), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:11: error [count] 序号跳号" in result.stdout
    assert "共检查 2 个文件：1 个错误" in result.stdout


def test_cli_json_output(tmp_path: Path) -> None:
    bad = _write(tmp_path, "错稿.txt", with_line(7, "今年新增市场主体XX户。要统筹疫情防控和经济社会发展。"))
    result = runner.invoke(app, ["lint", str(bad), "--format", "json", "--year", "2024"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert {"file", "line", "rule", "severity", "message"} == set(rows[0])
    assert {(r["line"], r["rule"], r["severity"]) for r in rows} >= {
        (7, "year", "error"),
        (7, "placeholder", "warning"),
    }
    assert all(r["file"] == str(bad) for r in rows)


def test_cli_bad_input_is_a_chinese_message(tmp_path: Path) -> None:
    good = _write(tmp_path, "好稿.txt", CLEAN)
    missing = tmp_path / "没有.txt"
    result = runner.invoke(app, ["lint", str(missing), str(good), "-y", "2023"])
    assert result.exit_code == 1 and "文件不存在" in result.stderr and "Traceback" not in result.output
    assert "共检查 1 个文件：0 个错误，0 个警告，1 个文件无法读取" in result.stdout
    for args, word in (
        (["--format", "xml"], "--format"),
        (["--level", "省"], "--level"),
        (["--year", "12"], "年份"),
    ):
        result = runner.invoke(app, ["lint", str(good), *args])
        assert result.exit_code == 1 and word in result.stderr and "错误：" in result.stderr
    result = runner.invoke(app, ["lint", "--help"])
    assert result.exit_code == 0 and "检查讲话稿" in result.stdout


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(
                list(
                    "一二三四五是要、，。；：“”（）《》()XX*×【】0123456789年第市县区全我省安康汉中疫情十九届中央纪委次全会国务院廉政工作会议今年是开局之年QQ\n "
                )
            ),
            max_size=40,
        ),
        max_size=12,
    )
)
def test_never_crashes_on_any_text(lines: list[str]) -> None:
    result = analyze_source(speech(lines))
    for finding in result.findings:
        assert finding.severity in ("error", "warning") and finding.rule in RULES and finding.line >= 1


def test_many_parts_and_huge_numbers_do_not_crash() -> None:
    lines = ["同志们：", "下面，我讲三点意见。", *[f"{n}、第{n}部分" for n in ["一", "二", "三", "五"] * 30]]
    found = of(lint_lines(lines, year=2023), "count")
    assert found[0].line == 2 and "120 个部分" in found[0].message
    assert sum("跳号" in f.message for f in found) == 30  # 三、 then 五、, in each of the 30 runs


def test_home_locality_is_read_from_the_title() -> None:
    lines = ["在城固县人民政府廉政工作会议上的讲话", "同志们：", "要学习借鉴汉中市、陕西省和安康市的经验。"]
    found = of(lint_lines(lines, year=2023), "place")
    assert [(f.severity, f.message.split("“")[1].split("”")[0]) for f in found] == [("warning", "安康市")]
    assert "城固县（陕西省）（据标题）" in found[0].message


def test_dirt_words_inside_a_speech_sentence_are_speech() -> None:
    text = "要严厉打击倒卖文物、非法集资等违法犯罪行为，切实维护人民群众合法权益，营造安全稳定的社会环境。"
    assert of(lint_lines(with_line(7, text), **TARGET), "dirt") == []
    signed = with_line(7, text + "酷乐文行整理，咨询QQ206157060")
    found = of(lint_lines(signed, **TARGET), "dirt")
    assert [f.line for f in found] == [7] and "QQ206157060" in found[0].message


# --- every default draft passes ----------------------------------------------------------------

DRAFT_PLACES = {"市": "汉中市", "县": "城固县", "区": "汉台区"}


@cache
def _bundled_bank_has_points() -> bool:
    return any(entry.role == "point" for entry in load_bank().entries)


@pytest.mark.parametrize("level", list(DRAFT_PLACES))
@pytest.mark.parametrize("year", range(2019, 2031))
def test_default_drafts_have_no_errors(tmp_path: Path, year: int, level: str) -> None:
    out = tmp_path / "初稿.txt"
    locality = DRAFT_PLACES[level]
    args = [
        "draft",
        "--year",
        str(year),
        "--locality",
        locality,
        "--level",
        level,
        "--format",
        "txt",
        "-o",
        str(out),
    ]
    if not _bundled_bank_has_points():
        pytest.skip("the bundled phrase bank (phrasebank/) has no points yet")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for options in ({"year": year, "locality": locality, "level": level}, {}):
        errors = [f for f in lint_path(out, **options) if f.severity == "error"]  # type: ignore[arg-type]
        assert errors == [], "\n".join(f"{f.line}: [{f.rule}] {f.message}" for f in errors)


def test_count_announcement_the_outline_does_not_read() -> None:
    opening = CLEAN[2].replace("下面，我讲三点意见。", "今年要突出抓好四个方面的工作。")
    found = of(lint_lines(with_line(3, opening), **TARGET), "count")
    assert [(f.line, f.severity) for f in found] == [(3, "error")] and "抓好四个方面" in found[0].message


def test_place_with_an_unknown_locality_only_warns() -> None:
    found = of(lint_lines(tiny("要学习借鉴安康市的经验。"), year=2023, locality="某某市"), "place")
    assert [(f.line, f.severity) for f in found] == [(2, "warning")] and "地名表中没有“某某市”" in found[
        0
    ].message
