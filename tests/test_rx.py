"""drafter.rx: the faster character-class compiling gives exactly CPython's compiled patterns."""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
import sys
from pathlib import Path
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
    assert rx.speed_up_charsets() is True  # what `drafter mine` does first
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


# --- compiled patterns kept between runs ------------------------------------------------------------

_SAMPLES = [
    (r"(?P<year>\d{4})年(?:[\u4e00-\u9fff]{2,4})(市|县|区)", 0),
    (r"^要(?!求|素)[^。]{0,20}。$", re.MULTILINE),
    (r"[a-z]+ (?:x|y)\b", re.IGNORECASE),
    (r"(?s)“(?P<q>[^”]*)”.", 0),
]
_TEXTS = ["2023年全面从严市委", "要坚持。\n要求。\n要抓好落实。", "ABC X abc y", "他说“好”。\n再说"]


@pytest.fixture
def fresh_cache(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """rx's pattern cache as in a new process, its file under tmp_path; everything put back afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(_compiler, "compile", _compiler.compile)
    monkeypatch.setattr("atexit.register", lambda f: f)

    def new_process() -> None:
        monkeypatch.setattr(rx, "_known", {})
        monkeypatch.setattr(rx, "_used", set())
        monkeypatch.setattr(rx, "_fresh", 0)
        monkeypatch.setattr(rx, "_cache_file", None)
        if rx._original_compile is not None:
            _compiler.compile = rx._original_compile
        monkeypatch.setattr(rx, "_original_compile", None)

    new_process()
    return new_process


def _compile_all() -> list[re.Pattern[str]]:
    return [_compiler.compile(pattern, flags) for pattern, flags in _SAMPLES]  # not through re's own cache


def test_compiled_patterns_come_back_from_the_cache(fresh_cache: Any, tmp_path: Any) -> None:
    original = _compiler.compile
    assert rx.keep_compiled_patterns() is True
    first = _compile_all()
    assert rx._fresh == len(_SAMPLES)
    rx.save_compiled_patterns()
    [saved] = (tmp_path / "drafter" / "patterns").glob("re-*.marshal")

    fresh_cache()  # the next run
    assert rx.keep_compiled_patterns() is True
    again = _compile_all()
    assert rx._fresh == 0  # every one from the file
    for (pattern, flags), cached, made in zip(_SAMPLES, again, first, strict=True):
        plain = original(pattern, flags)
        assert (cached.pattern, cached.flags, cached.groups, cached.groupindex) == (
            plain.pattern,
            plain.flags,
            plain.groups,
            plain.groupindex,
        )
        for text in _TEXTS:
            assert [m.span() for m in cached.finditer(text)] == [m.span() for m in plain.finditer(text)]
            assert [m.groups() for m in cached.finditer(text)] == [m.groups() for m in made.finditer(text)]
    rx.save_compiled_patterns()  # nothing new: the file is left as it is
    assert saved.stat().st_size > 0


def test_a_damaged_cache_is_passed_over(fresh_cache: Any, tmp_path: Any) -> None:
    rx.keep_compiled_patterns()
    _compile_all()
    rx.save_compiled_patterns()
    [saved] = (tmp_path / "drafter" / "patterns").glob("re-*.marshal")

    saved.write_bytes(b"\x00garbage")
    fresh_cache()
    assert rx.keep_compiled_patterns() is True
    assert [p.findall(_TEXTS[0]) for p in _compile_all()] == [
        re.compile(p, f).findall(_TEXTS[0]) for p, f in _SAMPLES
    ]
    assert rx._fresh == len(_SAMPLES)
    rx.save_compiled_patterns()  # a good file again

    # An entry whose code _sre refuses is compiled as usual.
    fresh_cache()
    rx.keep_compiled_patterns()
    key = (_SAMPLES[0][0], _SAMPLES[0][1])
    flags, code, *rest = rx._known[key]
    rx._known[key] = (flags, [99999, *code[1:]], *rest)
    assert _compiler.compile(*key).findall(_TEXTS[0]) == re.compile(*key).findall(_TEXTS[0])
    assert rx._fresh == 1


def test_the_mine_command_takes_its_patterns_from_the_cache(tmp_path: Any) -> None:
    import os
    import subprocess

    seed = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]
    code = (
        "import sys\n"
        "from drafter import rx\n"
        "from drafter.cli import app\n"
        "sys.argv[0] = 'drafter'\n"
        "try:\n"
        "    app()\n"
        "finally:\n"
        "    print('compiled', rx.COUNTS['compiled'], 'cached', rx.COUNTS['cached'], file=sys.stderr)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    counts = []
    for run in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code, "mine", str(seed), "--bank", str(tmp_path / f"bank{run}")],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        counts.append(done.stderr.strip().splitlines()[-1].split())
    assert int(counts[0][1]) > 100  # the first run compiles them (then saves them at exit) ...
    assert int(counts[1][1]) == 0 and int(counts[1][3]) > 100  # ... the second takes them all from the file
    assert (tmp_path / "bank0" / "point.yaml").read_bytes() == (
        tmp_path / "bank1" / "point.yaml"
    ).read_bytes()
