"""drafter bank list/search/show/stats, and the layering of --bank / DRAFTER_BANK over the bundled bank."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_bank
from typer.testing import CliRunner

from drafter.bank.query import bank_stats, excerpt, filter_entries, make_filter
from drafter.cli import app
from drafter.errors import BankError
from drafter.models import Entry, YearRange

POINT = """\
entries:
- id: point-a00001
  role: point
  topics: [作风建设]
  text: 持之以恒落实中央八项规定精神，坚决纠治“四风”，锲而不舍抓好作风建设，以优良作风凝心聚力、干事创业。
  source: [000_286e9747093eda74.txt:12, 003_c1f2ed010dd07385.txt:40]
- id: point-a00002
  role: point
  topics: [主体责任, 作风建设]
  levels: [县, 区]
  years: 2023-
  text: "{全市}各级党组织要扛牢管党治党政治责任，严格执行八项规定。"
- id: point-a00003
  role: point
  topics: [财政资金]
  years: 2021-2022
  text: 加强财政资金监管，今年全市压减一般性支出【X】%。
  locked: true
- id: point-a00004
  role: point
  topics: [作风建设]
  text: 八项规定不是只管一阵子的规定。
  rejected: true
"""
CLOSING = """\
entries:
- id: closing-c00001
  role: closing
  text: 同志们，让我们推动{全市}党风廉政建设不断取得新成效！
"""


@pytest.fixture(autouse=True)
def bundled(tmp_path: Path, use_as_bundled_bank: Callable[[Path], Path]) -> Path:
    """A stand-in bundled bank, so the figures below do not depend on the mined one."""
    return use_as_bundled_bank(
        make_bank(tmp_path / "bundled", {"point.yaml": POINT, "closing.yaml": CLOSING})
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def ids(stdout: str) -> list[str]:
    return [line.split("  ")[0] for line in stdout.splitlines() if line.strip()]


# --- search and list ---------------------------------------------------------------------------


def test_search_lists_entries_containing_the_text() -> None:
    code, out, err = run("bank", "search", "八项规定")
    assert code == 0
    assert ids(out) == ["point-a00001", "point-a00002"]  # point-a00004 is rejected
    assert "共 2 条" in err
    first = out.splitlines()[0].split("  ")
    assert first[:3] == ["point-a00001", "point", "作风建设"]
    assert first[3].startswith("持之以恒落实中央八项规定精神") and first[3].endswith("…")


def test_search_all_includes_rejected_with_a_mark() -> None:
    code, out, _ = run("bank", "search", "八项规定", "--all")
    assert ids(out) == ["point-a00001", "point-a00002", "point-a00004"]
    assert "[弃用]八项规定不是只管一阵子的规定。" in out


def test_search_matches_slots_by_their_level_words() -> None:
    _, out, _ = run("bank", "search", "全县各级党组织")
    assert ids(out) == ["point-a00002"]
    _, out, _ = run("bank", "search", "{全市}各级")
    assert ids(out) == ["point-a00002"]


def test_search_regex_and_bad_regex() -> None:
    _, out, _ = run("bank", "search", "--regex", r"压减.*【X】%")
    assert ids(out) == ["point-a00003"]
    assert "[锁定]" in out
    code, out, err = run("bank", "search", "(未闭合", "-E")
    assert code == 1 and "正则表达式写法不对" in err
    code, out, _ = run("bank", "search", "(未闭合")  # plain text: no regex meaning
    assert code == 0 and ids(out) == []


def test_search_without_hits() -> None:
    code, out, err = run("bank", "search", "不存在的说法")
    assert code == 0 and out == "" and "没有符合条件的条目" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ["point-a00001", "point-a00002", "point-a00003", "closing-c00001"]),
        (["--role", "closing"], ["closing-c00001"]),
        (["--topic", "作风建设"], ["point-a00001", "point-a00002"]),
        (["--topic", "作风建设", "--topic", "主体责任"], ["point-a00002"]),
        (["--level", "市"], ["point-a00001", "point-a00003", "closing-c00001"]),
        (["--year", "2022"], ["point-a00001", "point-a00003", "closing-c00001"]),
        (["--year", "2026", "--level", "区"], ["point-a00001", "point-a00002", "closing-c00001"]),
        (["--text", "财政"], ["point-a00003"]),
        (["--text", "^同志们", "--regex"], ["closing-c00001"]),
        (["--all", "--role", "point"], ["point-a00001", "point-a00002", "point-a00003", "point-a00004"]),
    ],
)
def test_list_filters(args: list[str], expected: list[str]) -> None:
    code, out, _ = run("bank", "list", *args)
    assert code == 0
    assert sorted(ids(out)) == sorted(expected)


def test_list_limit_full_and_width() -> None:
    code, out, err = run("bank", "list", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 1 and "只列出前 1 条" in err
    _, out, _ = run("bank", "list", "--role", "point", "--topic", "财政资金", "--full")
    assert out.rstrip("\n").endswith("加强财政资金监管，今年全市压减一般性支出【X】%。")
    _, out, _ = run("bank", "list", "--role", "closing", "--width", "10")
    assert out.rstrip("\n").endswith("  同志们，让我们推动…")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "paragraph"], "未知角色"),
        (["--topic", "廉政"], "未知主题"),
        (["--level", "省"], "未知层级"),
        (["--year", "1999"], "超出范围"),
    ],
)
def test_list_rejects_unknown_filter_values(args: list[str], message: str) -> None:
    code, _, err = run("bank", "list", *args)
    assert code == 1 and message in err and "提示：" in err


# --- show -------------------------------------------------------------------------------------


def test_show_prints_the_entry_with_its_sources(bundled: Path) -> None:
    code, out, _ = run("bank", "show", "point-a00001")
    assert code == 0
    assert "id：point-a00001" in out
    assert "角色：point（" in out and "主题：作风建设" in out and "年份：不限" in out
    assert "  000_286e9747093eda74.txt:12\n  003_c1f2ed010dd07385.txt:40\n" in out
    assert f"位置：{bundled / 'point.yaml'}:2  内置语料库（正在使用）" in out
    assert out.rstrip("\n").endswith(
        "  持之以恒落实中央八项规定精神，坚决纠治“四风”，锲而不舍抓好作风建设，以优良作风凝心聚力、干事创业。"
    )


def test_show_years_levels_and_unknown_id() -> None:
    _, out, _ = run("bank", "show", "point-a00002")
    assert "层级：县、区" in out and "年份：2023-" in out and "出处：（无）" in out
    code, _, err = run("bank", "show", "point-nope")
    assert code == 1 and "找不到 id 为「point-nope」的条目" in err


# --- layering ----------------------------------------------------------------------------------

USER = """\
entries:
- id: point-a00001
  role: point
  topics: [作风建设]
  text: 我自己改写的作风建设段落，仍然讲八项规定。
- id: point-u00001
  role: point
  topics: [廉洁文化]
  text: 大力弘扬新时代廉洁文化。
"""


def test_user_bank_overrides_the_bundled_one(tmp_path: Path, bundled: Path) -> None:
    user = make_bank(tmp_path / "user", {"mine.yaml": USER})
    _, out, _ = run("bank", "search", "八项规定", "--bank", str(user), "--full")
    assert ids(out) == ["point-a00001", "point-a00002"]
    assert "我自己改写的作风建设段落" in out and "持之以恒" not in out
    _, out, _ = run("bank", "show", "point-a00001", "--bank", str(user))
    assert f"位置：{user / 'mine.yaml'}:2  用户语料库（正在使用）" in out
    assert f"位置：{bundled / 'point.yaml'}:2  内置语料库（被上面的同 id 条目覆盖）" in out


def test_env_bank_is_a_layer_and_bank_option_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = make_bank(tmp_path / "env", {"mine.yaml": USER})
    first = make_bank(
        tmp_path / "first", {"a.yaml": USER.replace("我自己改写的", "命令行给的").split("- id: point-u")[0]}
    )
    monkeypatch.setenv("DRAFTER_BANK", str(env))
    _, out, _ = run("bank", "list", "--full")
    assert "大力弘扬新时代廉洁文化" in out and "我自己改写的" in out
    _, out, _ = run("bank", "list", "--full", "--bank", str(first))
    assert "命令行给的作风建设段落" in out and "我自己改写的" not in out and "大力弘扬新时代廉洁文化" in out


def test_missing_user_bank_is_a_user_error(tmp_path: Path) -> None:
    code, _, err = run("bank", "list", "--bank", str(tmp_path / "nope"))
    assert code == 1 and "语料库文件夹不存在" in err and "Traceback" not in err


# --- stats -------------------------------------------------------------------------------------


def test_stats_counts_by_role_topic_level_and_year(bundled: Path) -> None:
    code, out, _ = run("bank", "stats")
    assert code == 0
    lines = [line.split() for line in out.splitlines()]
    assert ["条目：4（锁定", "1，弃用", "0）"] in lines
    assert ["point", "3", "要点段落（不含“一是/一要/（一）”编号）"] in lines
    assert next(line[:2] for line in lines if line[:1] == ["closing"]) == ["closing", "1"]
    assert ["作风建设", "2"] in lines and ["主体责任", "1"] in lines and ["财政资金", "1"] in lines
    assert ["市级", "3"] in lines and ["县级", "4"] in lines
    assert ["不限", "2"] in lines and ["2021-2022", "1"] in lines and ["2023-", "1"] in lines
    assert ["2021", "3"] in lines and ["2023", "3"] in lines and ["2018", "2"] in lines
    assert ["4", str(bundled)] in lines
    _, out, _ = run("bank", "stats", "--all", "--topic", "作风建设")
    assert "条目：3（锁定 0，弃用 1）" in out


def test_stats_and_filters_as_functions() -> None:
    entries = [
        Entry(id="a", text="八项规定", role="point", topics=("作风建设",), years=YearRange(2021, 2022)),
        Entry(id="b", text="{全市}八项规定", role="quote", topics=("作风建设", "主体责任"), levels=("县",)),
        Entry(id="c", text="别的", role="point", rejected=True),
    ]
    stats = bank_stats(entries)
    assert stats.by_role == {"point": 2, "quote": 1}
    assert stats.by_level == {"市": 2, "县": 3, "区": 2}
    assert stats.by_year[2021] == 3 and stats.by_year[2023] == 2
    assert [e.id for e in filter_entries(entries, make_filter(text="全县八项"))] == ["b"]
    assert [e.id for e in filter_entries(entries, make_filter(year=2023))] == ["b"]
    with pytest.raises(BankError):
        make_filter(text="[", regex=True)
    assert excerpt("一二三四五六", 4) == "一二三…"
    assert excerpt("一二\n三", 10) == "一二 三"


def test_every_bank_command_has_chinese_help() -> None:
    for command in ("check", "list", "search", "show", "stats", "add", "remove", "lock", "reject", "schema"):
        code, out, _ = run("bank", command, "--help")
        assert code == 0 and "--bank" in out or command == "schema"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in out), command


def test_unbuildable_value_is_a_user_error_when_loading(tmp_path: Path) -> None:
    user = make_bank(
        tmp_path / "user",
        {"a.yaml": "entries:\n- id: point-x1\n  role: point\n  text: 好\n  note: 2021-13-45\n"},
    )
    code, _, err = run("bank", "list", "--bank", str(user))
    assert code == 1 and "无法识别的值" in err and "Traceback" not in err


def test_loading_pauses_the_garbage_collector_only_while_it_runs(tmp_path: Path) -> None:
    import gc

    from drafter.bank.load import load_bank_dir, paused_gc

    good = make_bank(tmp_path / "good", {"a.yaml": USER})
    bad = make_bank(tmp_path / "bad", {"a.yaml": "entries:\n- id: x\n  role: nope\n  text: 好\n"})
    assert len(load_bank_dir(good)[0]) == 2 and gc.isenabled()
    with pytest.raises(BankError):
        load_bank_dir(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def _stats_one_by_one(entries: list[Entry], roots: list[Path]) -> dict[str, object]:
    """bank stats as plain per-entry counting (the definition the fast counting must agree with)."""
    from drafter.models import MAX_YEAR, MIN_YEAR

    def count(keys: list[object]) -> dict[object, int]:
        out: dict[object, int] = {}
        for key in keys:
            out[key] = out.get(key, 0) + 1
        return out

    resolved = [r.resolve() for r in roots]
    return {
        "total": len(entries),
        "locked": sum(1 for e in entries if e.locked),
        "rejected": sum(1 for e in entries if e.rejected),
        "by_role": count([e.role for e in entries]),
        "by_topic": count([t for e in entries for t in e.topics]),
        "by_level": count([v for e in entries for v in e.levels]),
        "by_years": count(["不限" if e.years == YearRange() else str(e.years) for e in entries]),
        "by_year": {y: sum(1 for e in entries if y in e.years) for y in range(MIN_YEAR, MAX_YEAR + 1)},
        "by_root": {
            r: sum(1 for e in entries if e.file is not None and e.file.resolve().is_relative_to(r))
            for r in resolved
        },
    }


def test_fast_filters_and_counts_agree_with_entry_by_entry(tmp_path: Path) -> None:
    from drafter.bank import load_bank
    from drafter.bank.query import EntryFilter

    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    layered = load_bank(user_dirs=[bank])
    searches: list[dict[str, object]] = [
        {},
        {"include_rejected": True},
        {"text": "八项规定"},
        {"text": "八项规定", "include_rejected": True},
        {"text": "全县"},  # only in the rendered {全市}
        {"text": "县各级", "level": "县"},
        {"text": "规定.*精神", "regex": True},
        {"text": r"\d", "regex": True},
        {"text": "作风", "role": "point", "topics": ["作风建设"], "year": 2022},
        {"text": "没有这段文字"},
    ]
    for criteria in searches:
        entry_filter = make_filter(**criteria)  # type: ignore[arg-type]
        slow = [
            e for e in layered.entries if EntryFilter(**{**entry_filter.__dict__, "literal": None}).matches(e)
        ]
        assert filter_entries(layered, entry_filter) == slow, criteria
        assert filter_entries(list(layered.entries), entry_filter) == slow, criteria
        assert filter_entries(iter(layered.entries), entry_filter) == slow, criteria
        stats = bank_stats(slow, roots=layered.roots)
        expected = _stats_one_by_one(slow, list(layered.roots))
        assert {name: getattr(stats, name) for name in expected} == expected, criteria
    found = [e.id for e in filter_entries(layered, make_filter(text="全县"))]
    assert "point-a00002" in found and "point-a00001" not in found


def test_stats_of_a_cached_bank_read_its_columns_and_build_no_entry(tmp_path: Path) -> None:
    import os
    import time

    from drafter.bank import load_bank
    from drafter.bank.query import select_table
    from drafter.bank.rows import EntryTable

    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    then = time.time() - 3600
    for path in bank.rglob("*.yaml"):
        os.utime(path, (then, then))  # settled: cached on first load
    load_bank(user_dirs=[bank])
    for criteria in [{}, {"include_rejected": True}, {"role": "point"}, {"level": "县", "year": 2024}]:
        layered = load_bank(user_dirs=[bank])
        assert isinstance(layered.entries, EntryTable)
        loaded = (
            layered.entries.built()
        )  # the cached user layer: none (the test's bundled bank is not cached)
        assert loaded < len(layered.entries) - 3
        table = select_table(layered, make_filter(**criteria))  # type: ignore[arg-type]
        assert isinstance(table, EntryTable)
        stats = bank_stats(table, roots=layered.roots)
        assert layered.entries.built() == loaded, criteria
        entries = filter_entries(layered, make_filter(**criteria))  # type: ignore[arg-type]
        assert list(table) == entries
        assert stats == bank_stats(entries, roots=layered.roots), criteria
        expected = _stats_one_by_one(entries, list(layered.roots))
        assert {name: getattr(stats, name) for name in expected} == expected, criteria
    with pytest.raises(ValueError):
        select_table(layered, make_filter(text="八项"))
    code, out, _ = run("bank", "stats", "--bank", str(bank), "--all")
    assert code == 0 and "条目：" in out
