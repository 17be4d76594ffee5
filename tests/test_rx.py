"""drafter.rx: the faster character-class compiling gives exactly CPython's compiled patterns."""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
import sys
from re import _compiler, _parser
from typing import Any

import pytest

import drafter
import drafter.mine
from drafter import rx


def _code(pattern: str, flags: int, optimize: Any) -> list[int]:
    saved = _compiler._optimize_charset
    _compiler._optimize_charset = optimize
    try:
        return _compiler._code(_parser.parse(pattern, flags), flags)
    finally:
        _compiler._optimize_charset = saved


def _drafter_patterns() -> list[re.Pattern[str]]:
    """Every compiled pattern a drafter module holds at module level (alone or in a tuple, list or dict)."""
    found: dict[tuple[str, int], re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(drafter.__path__, "drafter."):
        if info.name.startswith(("drafter.web", "drafter.cli.serve", "drafter.__main__")):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            items = value.values() if isinstance(value, dict) else value
            candidates = items if isinstance(value, tuple | list | dict) else [value]
            for item in candidates:
                parts = item if isinstance(item, tuple) else (item,)
                for part in parts:
                    if isinstance(part, re.Pattern) and isinstance(part.pattern, str):
                        found[(part.pattern, part.flags)] = part
    return list(found.values())


def test_installed_on_the_checked_versions() -> None:
    if sys.version_info[:2] not in rx.CHECKED:
        pytest.skip("not a checked Python version: CPython's own function stays")
    assert _compiler._optimize_charset is rx._optimize_charset  # importing drafter.mine put it in
    assert rx.speed_up_charsets() is True  # a second call changes nothing
    assert _compiler._optimize_charset is rx._optimize_charset
    assert rx.original_optimize_charset() is not rx._optimize_charset


def test_drafter_patterns_compile_to_the_same_code() -> None:
    patterns = _drafter_patterns()
    assert len(patterns) > 150
    original = rx.original_optimize_charset()
    big = 0
    for pattern in patterns:
        flags = pattern.flags & ~re.UNICODE  # parse() adds it back for str patterns
        fast = _code(pattern.pattern, flags, rx._optimize_charset)
        assert fast == _code(pattern.pattern, flags, original), pattern.pattern
        big += "\\u4e00-\\u9fff" in pattern.pattern or "\u4e00-\u9fff" in pattern.pattern
    assert big >= 15  # the CJK classes the change is for are among them


def _random_class(rng: random.Random) -> str:
    points = [0x20, 0x41, 0xFF, 0x100, 0x3000, 0x4E00, 0x9FFF, 0xFF01, 0xFFFF, 0x10000, 0x20000, 0x10FFFF]
    items = []
    for _ in range(rng.randint(1, 6)):
        a = rng.choice(points) + rng.randint(0, 40)
        a = min(a, 0x10FFFF)
        if rng.random() < 0.6:
            b = min(a + rng.choice([1, 5, 200, 300, 20000, 70000]), 0x10FFFF)
            items.append(f"\\U{a:08x}-\\U{b:08x}")
        else:
            items.append(f"\\U{a:08x}")
    if rng.random() < 0.3:
        items.append(rng.choice(["\\d", "\\s", "\\w", "a-z"]))
    return ("[^" if rng.random() < 0.3 else "[") + "".join(items) + "]"


@pytest.mark.parametrize("flags", [0, re.IGNORECASE, re.ASCII])
def test_generated_classes_compile_to_the_same_code(flags: int) -> None:
    rng = random.Random(flags)
    original = rx.original_optimize_charset()
    for _ in range(300):
        pattern = _random_class(rng)
        if flags & re.ASCII and "\\U" in pattern and rng.random() < 0.5:
            pattern = pattern.replace("\\d", "")
        assert _code(pattern, flags, rx._optimize_charset) == _code(pattern, flags, original), pattern


def test_a_cjk_class_matches_as_before() -> None:
    pattern = re.compile("[\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e“”]+")
    assert pattern.fullmatch("全面从严治党，“两个维护”！")
    assert not pattern.search("abc 123")
    assert re.compile("[^\u4e00-\u9fff]").findall("廉a政1") == ["a", "1"]
