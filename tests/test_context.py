"""Context: year facts, level vocabulary, parameter validation."""

from __future__ import annotations

import pytest

from drafter.draft.context import DraftParams, build_context
from drafter.errors import ContextError
from drafter.facts.calendar import year_facts

PLENUMS = {
    2019: ("十九届中央纪委三次全会", "国务院第二次廉政工作会议"),
    2020: ("十九届中央纪委四次全会", "国务院第三次廉政工作会议"),
    2021: ("十九届中央纪委五次全会", "国务院第四次廉政工作会议"),
    2022: ("十九届中央纪委六次全会", "国务院第五次廉政工作会议"),
    2023: ("二十届中央纪委二次全会", "国务院第一次廉政工作会议"),
    2024: ("二十届中央纪委三次全会", "国务院第二次廉政工作会议"),
    2025: ("二十届中央纪委四次全会", "国务院第三次廉政工作会议"),
    2026: ("二十届中央纪委五次全会", "国务院第四次廉政工作会议"),
}


def _ctx(**kw: object):  # type: ignore[no-untyped-def]
    base = {"year": 2026, "locality": "汉中市", "level": "市"}
    return build_context(DraftParams(**{**base, **kw}))  # type: ignore[arg-type]


@pytest.mark.parametrize("year", sorted(PLENUMS))
def test_year_facts_match_the_calendar(year: int) -> None:
    ctx = _ctx(year=year)
    assert (ctx.slots["中央纪委全会"], ctx.slots["国务院廉政工作会议"]) == PLENUMS[year]
    assert ctx.slots["上年"] == str(year - 1)


def test_unknown_facts_become_placeholders_not_guesses() -> None:
    ctx = _ctx(year=2027)
    assert ctx.slots["中央纪委全会"].startswith("【") and "六" not in ctx.slots["中央纪委全会"]
    assert "【X】" in ctx.slots["国务院廉政工作会议"]
    ctx = _ctx(year=2027, plenum="二十届中央纪委六次全会")
    assert ctx.slots["中央纪委全会"] == "二十届中央纪委六次全会"
    assert year_facts(2029).premier is None


def test_plan_years() -> None:
    assert _ctx(year=2026).as_template_vars()["plan"] == "十五五"
    assert _ctx(year=2026).as_template_vars()["plan_phase"] == "开局之年"
    assert _ctx(year=2025).as_template_vars()["plan_phase"] == "收官之年"
    assert _ctx(year=2021).as_template_vars()["plan"] == "十四五"


@pytest.mark.parametrize(
    ("level", "words"),
    [
        ("市", ("全市", "市委", "副市长", "各县区", "市直")),
        ("县", ("全县", "县委", "副县长", "各乡镇", "县直")),
        ("区", ("全区", "区委", "副区长", "各街道", "区直")),
    ],
)
def test_level_vocabulary(level: str, words: tuple[str, ...]) -> None:
    slots = _ctx(
        level=level, locality="汉台区" if level == "区" else "城固县" if level == "县" else "汉中市"
    ).slots
    assert (slots["全市"], slots["市委"], slots["副市长"], slots["各县区"], slots["市直"]) == words


def test_title_and_byline() -> None:
    ctx = _ctx(meeting_no=3)
    assert ctx.title == "在汉中市人民政府第三次廉政工作会议上的讲话"
    assert _ctx().title == "在汉中市人民政府廉政工作会议上的讲话"
    assert ctx.byline[1] == "（2026年【X】月【X】日）"
    assert _ctx(locality="城固", level="县").locality == "城固县"


@pytest.mark.parametrize(
    ("kw", "message", "hint_part"),
    [
        ({"year": 1899}, "年份 1899", "2018–2030"),
        ({"level": "省"}, "层级", "市、县、区"),
        ({"points": 9}, "意见条数 9", "3、4、5"),
        ({"topics": ("外星人",)}, "未知主题：外星人", "作风建设"),
        ({"length": 10}, "目标字数", "7000"),
        ({"seed": -1}, "随机种子", "0–"),
        ({"locality": "Hanzhong"}, "不像行政区划", "汉中市"),
    ],
)
def test_bad_values_list_the_valid_choices(kw: dict[str, object], message: str, hint_part: str) -> None:
    with pytest.raises(ContextError) as info:
        _ctx(**kw)
    assert message in info.value.message
    assert hint_part in (info.value.hint or "")
