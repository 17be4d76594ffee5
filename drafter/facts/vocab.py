"""The speaking level's vocabulary as slots: one bank entry serves 市, 县 and 区.

A slot is written ``{全市}`` in bank text: the 市 form in braces, rendered per level
(全市 / 全县 / 全区). Year-fact slots ({中央纪委全会} …) are filled by ``drafter.draft.context``.
"""

from __future__ import annotations

import re
from functools import cache

from drafter.models import LEVELS
from drafter.rx import Prefilter, headed

# slot -> (市, 县, 区) forms; the slot's name is its 市 form.
LEVEL_SLOTS: dict[str, tuple[str, str, str]] = {
    "全市": ("全市", "全县", "全区"),
    "市委": ("市委", "县委", "区委"),
    "市政府": ("市政府", "县政府", "区政府"),
    "市纪委监委": ("市纪委监委", "县纪委监委", "区纪委监委"),
    "市人大": ("市人大", "县人大", "区人大"),
    "市长": ("市长", "县长", "区长"),
    "副市长": ("副市长", "副县长", "副区长"),
    "各县区": ("各县区", "各乡镇", "各街道"),
    "市直": ("市直", "县直", "区直"),
    "我市": ("我市", "我县", "我区"),
    "本市": ("本市", "本县", "本区"),
    "市级": ("市级", "县级", "区级"),
    "市县两级": ("市县两级", "县乡两级", "区街两级"),
    "市域": ("市域", "县域", "区域"),
    "市纪委": ("市纪委", "县纪委", "区纪委"),
    "市政协": ("市政协", "县政协", "区政协"),
}

# Slots for the place and the year's facts (filled by drafter.draft.context).
PLACE_SLOTS = ("地名", "简称", "省", "新篇章")  # 简称: 汉中 for 汉中市, in slogans (…的汉中新篇章)
YEAR_SLOTS = (
    "年份",  # 2026
    "上年",  # 2025
    "中央纪委全会",  # 二十届中央纪委五次全会
    "国务院廉政工作会议",  # 国务院第四次廉政工作会议
    "总理",  # 李强
    "五年规划",  # 十五五
    "学习教育",  # the year's campaign
    "党的大会",  # 党的二十大
)
ALL_SLOTS: tuple[str, ...] = (*LEVEL_SLOTS, *PLACE_SLOTS, *YEAR_SLOTS)

SLOT_RE = re.compile(r"\{([^{}\s]{1,12})\}")
PLACEHOLDER_RE = re.compile(r"【[^【】\n]{0,20}】")

# Surface forms a miner turns into a slot: context guards keep ordinary words (社区直接, 园区长期,
# 全市场, 基本市场) from being taken for level words. Longest form first, so 市县两级 wins over 市级.
_BEN_GUARD = "(?<![基资成根样日版文脚剧课账书原])"
_SURFACE_EXCEPTIONS = {
    "全市": r"全市(?!场)",
    "全区": r"全区(?!域)",
    "区域": r"(?<![各全本我])区域(?=$)",  # never mined: 区域 is an ordinary word
    "市级": r"(?<![省地])市级",
    "县级": r"(?<![省市地])县级(?!市)",
    "区级": r"(?<![省市社])区级",
    "市委": r"(?<![城都])市委(?!员)",
    "区委": r"(?<![社园景辖])区委(?!员)",
    "市直": r"(?<![城都超])市直(?![接播观线达])",
    "区直": r"(?<![社园景辖城片小校军])区直(?![接播观线达])",
    "市长": r"(?<![社园景辖城片小校军都超街])市长(?![期效远久足治廊])",
    "区长": r"(?<![社园景辖城片小校军都超街])区长(?![期效远久足治廊])",
    "县长": r"县长(?![期效远久足治廊])",
    "本市": _BEN_GUARD + r"本市(?![场域])",
    "本区": _BEN_GUARD + r"本区(?!域)",
    "本县": _BEN_GUARD + r"本县",
}
# Other spellings of the subordinate units (各县区 / 各乡镇 / 各街道), per speaking level.
_ALIASES: dict[str, tuple[str, ...]] = {
    "市": ("各县（市、区）", "各县（区）", "各县市区", "各县市", "(?<!各)(?<!全市)县区(?![域])"),
    "县": ("各乡镇（街道）", "各镇（街）", "各乡街", "各镇街", "各镇(?![长村])"),
    "区": ("各乡镇（街道）", "各镇（街）", "各乡街", "各镇街", "各乡镇"),
}


def render_slots(text: str, values: dict[str, str]) -> str:
    """Replace every ``{slot}`` with its value; unknown slots are left as they are."""
    return SLOT_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def level_values(level: str) -> dict[str, str]:
    """{slot: word} for one level (市/县/区)."""
    index = LEVELS.index(level)  # type: ignore[arg-type]
    return {slot: forms[index] for slot, forms in LEVEL_SLOTS.items()}


@cache
def _surface_pattern(level: str | None = None) -> tuple[re.Pattern[str], dict[str, str]]:
    """The level words of one speaking level (or of all levels) and the slot each stands for."""
    surface_to_slot: dict[str, str] = {}
    indexes = range(len(LEVELS)) if level is None else (LEVELS.index(level),)  # type: ignore[arg-type]
    for slot, forms in LEVEL_SLOTS.items():
        for index in indexes:
            if forms[index] != "区域":  # too common a word to generalise
                surface_to_slot.setdefault(forms[index], slot)
    alternatives = [
        _SURFACE_EXCEPTIONS.get(form, re.escape(form))
        for form in sorted(surface_to_slot, key=len, reverse=True)
    ]
    aliases = _ALIASES.values() if level is None else (_ALIASES[level],)
    alias_patterns = [a for group in aliases for a in group]
    # headed: tried only where a level word can begin (the same matches; drafter.rx)
    pattern = re.compile(headed("|".join(f"(?:{a})" for a in (*alias_patterns, *alternatives))))
    return pattern, surface_to_slot


def generalize_level_words(text: str, *, level: str | None = None) -> str:
    """Turn level words (全县, 县委, 副市长, 各乡镇 …) into their slots ({全市}, {市委}, {各县区} …).

    With ``level`` (the speaker's own 市/县/区), only that level's words are turned: in a 县 speech
    市委 names the superior city and stays as it is. Without it, every level's words are turned.
    """
    pattern, surface_to_slot = _surface_pattern(level)
    if not _level_words_test(level).test(text):  # most texts hold none (one quick search; drafter.rx)
        return text
    return pattern.sub(lambda m: "{" + surface_to_slot.get(m.group(0), "各县区") + "}", text)


@cache
def _level_words_test(level: str | None) -> Prefilter:
    return Prefilter(_surface_pattern(level)[0])
