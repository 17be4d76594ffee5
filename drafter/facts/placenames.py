"""Shared knowledge: the short form of a place name, as writers use it in slogans (汉中 for 汉中市)."""

from __future__ import annotations

import re

_AUTONOMOUS = r"^([\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,8}?族)+自治(?:县|州|旗)$"
_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "新区",
    "林区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "州",
    "盟",
)


def short_place_name(name: str) -> str:
    """汉中市 -> 汉中, 城固县 -> 城固, 汉台区 -> 汉台, 峨边彝族自治县 -> 峨边; 沛县 stays 沛县."""
    name = name.strip()
    # only an autonomous county's name can match (a CJK range takes milliseconds to compile)
    if name.endswith(("自治县", "自治州", "自治旗")) and (m := re.match(_AUTONOMOUS, name)):
        return m.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
