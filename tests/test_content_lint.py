"""`drafter lint` content rules (scope, placename, levelfit, typo): planted in a real draft, each defect is
reported at its line with what to write instead; default and seeded drafts 2019-2030 have none."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.bank import load_bank
from drafter.cli import app
from drafter.draft.compose import compose_draft
from drafter.draft.context import DraftParams, build_context
from drafter.export.write import write_draft
from drafter.facts.typos import correct_typos, find_typos
from drafter.lint import lint_source
from drafter.models import Bank, Draft, Finding, SourceLine, SourceText

runner = CliRunner()
PLACES = {"市": "汉中市", "县": "城固县", "区": "汉台区"}
CONTENT_RULES = ("scope", "placename", "levelfit", "typo")


@cache
def _bank() -> Bank:
    return load_bank()


@cache
def _draft(year: int, level: str, seed: int | None = None, province: str | None = None) -> Draft:
    params = DraftParams(year=year, locality=PLACES[level], level=level, seed=seed, province=province)
    return compose_draft(build_context(params), _bank())


def _lint(lines: list[str], **options: object) -> list[Finding]:
    source = SourceText(Path("稿.txt"), "utf-8", tuple(SourceLine(i, t) for i, t in enumerate(lines, 1)))
    return lint_source(source, **options)  # type: ignore[arg-type]


def _planted(draft: Draft, sentence: str) -> tuple[list[str], int]:
    """The draft's lines with ``sentence`` added to the end of a body paragraph in the middle."""
    lines = [b.text for b in draft.blocks]
    body = [i for i, b in enumerate(draft.blocks) if b.kind == "body"]
    index = body[len(body) // 2]
    lines[index] = lines[index] + sentence
    return lines, index + 1


PLANTED = [
    # (level, sentence, rule, words the message must hold)
    ("县", "要推行县长营商环境“三本账”、企业帮扶“六个一”。", "scope", ["“三本账”", "【本地做法名称】"]),
    ("县", "要紧盯省委、县委十项规定的落实。", "scope", ["十项规定", "中央八项规定"]),
    (
        "县",
        "要落实好《宝鸡市优化营商环境条例》。",
        "scope",
        ["《宝鸡市优化营商环境条例》", "【本地条例名称】"],
    ),
    ("市", "要以“高质量项目推进年”活动为抓手。", "scope", ["推进年"]),
    ("市", "最近，我们在落实结余资金方面取得了初步成效。", "scope", ["最近", "删去"]),
    ("市", "今年以来市政府常务会议基本实现以视频会形式召开。", "scope", ["今年以来", "过去一年"]),
    ("区", "各金融机构仅今年上半年就新增贷款【X亿元】。", "scope", ["上半年"]),
    ("区", "要认真总结我区几次疫情处置探索实践。", "scope", ["几次疫情"]),
    (
        "县",
        "推动党风廉政建设取得新成效，谱写中国式现代化城固县建设新篇章。",
        "placename",
        ["建设的城固新篇章"],
    ),
    (
        "县",
        "以实实在在的整改成效优化营商环境，为城固县未来发展奠定坚实基础。",
        "placename",
        ["为全县未来发展"],
    ),
    ("县", "严肃查处【X】名县处级干部。", "levelfit", ["县处级干部", "科级干部"]),
    ("区", "探索建立市县乡村四级联动的电子化交易平台。", "levelfit", ["市县乡村四级"]),
    ("市", "对照中省市部署要求，总结过去一年工作。", "levelfit", ["中省市", "中省"]),
    ("市", "既节省了大家路上和侯会时间，又提高了会议效率。", "typo", ["侯会", "候会"]),
    ("县", "尤其在是在依法行政方面还有差距。", "typo", ["尤其是在"]),
    ("区", "截止【X月X日】，共办结信访件【X】件。", "typo", ["截至"]),
    ("市", "既使工作再忙，也要坚持学习。", "typo", ["即使"]),
]


@pytest.mark.parametrize(("level", "sentence", "rule", "words"), PLANTED)
def test_planted_defect_is_reported_at_its_line(
    level: str, sentence: str, rule: str, words: list[str]
) -> None:
    draft = _draft(2025, level, seed=4)
    lines, number = _planted(draft, sentence)
    findings = [f for f in _lint(lines, year=2025, locality=PLACES[level], level=level) if f.rule == rule]
    assert [f.line for f in findings] == [number] * len(findings) and findings, findings
    assert all(f.severity == "warning" for f in findings)
    message = " ".join(f.message for f in findings)
    for word in words:
        assert word in message, message


def test_cli_reports_file_and_line(tmp_path: Path) -> None:
    draft = _draft(2026, "县", seed=2)
    lines, number = _planted(draft, "今年“五一”，游客接待量刷新纪录，节省了侯会时间。")
    path = tmp_path / "稿.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(path), "-y", "2026", "-l", "城固县", "--level", "县"])
    assert result.exit_code == 0, result.stdout  # warnings only
    assert f"{path}:{number}: warning [scope] " in result.stdout
    assert f"{path}:{number}: warning [typo] 错别字“侯会”" in result.stdout
    result = runner.invoke(app, ["lint", str(path), "-y", "2026", "--level", "县", "--format", "json"])
    found = {(f["line"], f["rule"]) for f in json.loads(result.stdout)}
    assert {(number, "scope"), (number, "typo")} <= found


def test_level_fit_depends_on_the_speech_level() -> None:
    line = ["同志们：", "严肃查处【X】名县处级干部，对照中省市部署要求抓好落实。"]
    city = [f.message for f in _lint(line, level="市") if f.rule == "levelfit"]
    county = [f.message for f in _lint(line, level="县") if f.rule == "levelfit"]
    assert len(city) == 1 and city[0].startswith("“中省市”不适合市级讲话")
    assert len(county) == 1 and county[0].startswith("“县处级干部”不适合县级讲话")


def test_own_and_provincial_documents_are_not_another_places() -> None:
    line = [
        "同志们：",
        "认真贯彻《陕西省优化营商环境条例》和《汉中市文明行为促进条例》，借鉴《南昌市优化营商环境条例》。",
    ]
    found = [f.message for f in _lint(line, locality="城固县", level="县") if f.rule == "scope"]
    assert len(found) == 1 and found[0].startswith("《南昌市优化营商环境条例》")
    assert len([f for f in _lint(line) if f.rule == "scope"]) == 3  # place unknown: all are flagged


def test_a_name_said_several_times_is_reported_once_per_line() -> None:
    line = ["同志们：", "推动“一联三帮”落实，确保“一联三帮”不搞花架子，市“一联三帮”工作组要带头。"]
    assert len([f for f in _lint(line) if f.rule == "scope"]) == 1


def test_typo_list_corrects_and_leaves_correct_text_alone() -> None:
    assert correct_typos("节省了侯会时间，尤其在是在审批环节，截止2025年底，其它单位") == (
        "节省了候会时间，尤其是在审批环节，截至2025年底，其他单位"
    )
    for text in ("报名截止日期为3月5日。", "候选人", "即使", "尤其是在", "截止时间"):
        assert find_typos(text) == [], text


@pytest.mark.parametrize("level", list(PLACES))
def test_default_and_seeded_drafts_have_no_content_findings(level: str) -> None:
    for year in range(2019, 2031):
        for seed, province in ((None, None), (1, "陕西省"), (2, None)):
            draft = _draft(year, level, seed, province)
            findings = _lint([b.text for b in draft.blocks], year=year, locality=PLACES[level], level=level)
            bad = [f for f in findings if f.rule in CONTENT_RULES or f.severity == "error"]
            assert bad == [], (year, level, seed, bad)


def test_province_shows_in_the_draft() -> None:
    plain = [_draft(2026, "县", seed) for seed in range(6)]
    shaanxi = [_draft(2026, "县", seed, "陕西省") for seed in range(6)]
    assert not any("陕西" in d.text for d in plain)
    assert any("为谱写中国式现代化建设的陕西新篇章贡献城固力量" in d.text for d in shaanxi)
    assert any("谱写中国式现代化建设的城固新篇章" in d.text for d in plain)
    assert not any("城固县建设新篇章" in d.text or "为城固县未来发展" in d.text for d in plain + shaanxi)


def test_closing_goal_and_template_values() -> None:
    from drafter.draft.context import closing_goal, new_chapter

    assert closing_goal(2026, "城固", None) == "为城固高质量发展提供坚强保障"
    assert closing_goal(2026, "城固", "陕西省") == "为谱写中国式现代化建设的陕西新篇章贡献城固力量"
    assert new_chapter(2021, "瑞丽", "云南省") == "为谱写云南高质量发展新篇章贡献瑞丽力量"
    values = build_context(DraftParams(2026, "瑞丽市", "市", province="云南省")).as_template_vars()
    assert values["locality_short"] == "瑞丽" and values["province_short"] == "云南"
    assert values["closing_goal"].endswith("贡献瑞丽力量") and values["w"]["简称"] == "瑞丽"


def test_exported_draft_text_passes_lint_rules_too(tmp_path: Path) -> None:
    path = tmp_path / "稿.txt"
    write_draft(_draft(2024, "区", seed=5), path, fmt="txt")
    result = runner.invoke(app, ["lint", str(path), "-y", "2024", "-l", "汉台区", "--level", "区"])
    assert result.exit_code == 0
    assert not any(f"[{rule}]" in result.stdout for rule in CONTENT_RULES)


def test_one_character_county_and_national_reforms_are_not_false_hits() -> None:
    findings = _lint(["同志们：", "要深入推进高效办成一件事改革，奋力谱写洋县新篇章。"], year=2026)
    assert [f for f in findings if f.rule in ("placename", "scope")] == []
    # the place is read as the real name, not with the verb before it
    found = _lint(["同志们：", "奋力谱写中国式现代化汉阴县建设新篇章。"], year=2026)
    assert [f.message for f in found if f.rule == "placename"] == [
        "“中国式现代化汉阴县建设新篇章”：口号中地名用简称，写成“中国式现代化建设的汉阴新篇章”"
    ]
