"""drafter bank add/remove/lock/reject: validated, atomic, and every other byte of the file kept."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import make_bank
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drafter.bank.check import check_bank_dir
from drafter.bank.load import load_bank_dir
from drafter.bank.splice import append_entry_text, format_scalar, remove_entry_text, set_flag_text
from drafter.cli import app

SCHEMA_LINE = "# yaml-language-server: $schema=../docs/phrasebank.schema.json\n"
POINT = (
    SCHEMA_LINE
    + """\
# 要点段落：我自己整理的
entries:
- id: point-a00001
  role: point
  topics: [作风建设]
  text: 持之以恒落实中央八项规定精神，坚决纠治“四风”。   # 好用
- id: point-a00002
  role: point
  topics: [主体责任, 担当落实]
  levels: ['县', "区"]
  years: 2023-
  text: "{全市}各级党组织要扛牢管党治党政治责任。"
  source:
  - 000_286e9747093eda74.txt:12
# 列表结束
"""
)
OPENING = (
    SCHEMA_LINE
    + """\
entries:
  - id: opening-b00001
    role: opening
    topics: [政治建设]
    text: 这次会议的主要任务是，深入学习贯彻{中央纪委全会}精神。

  - id: opening-b00002
    role: opening
    text: 刚才，几位同志作了很好的发言，我都同意。

skeletons:
  - id: skel-000
    parts: []
"""
)
NEW_TEXT = "各级领导干部要带头严守八项规定，带头过紧日子。"


@pytest.fixture
def bundled(tmp_path: Path, use_as_bundled_bank: Callable[[Path], Path]) -> Path:
    """A stand-in bundled bank with one entry."""
    quote = (
        SCHEMA_LINE + "entries:\n- id: quote-z00001\n  role: quote\n  topics: [廉洁文化]\n"
        "  text: 习近平总书记强调，要一体推进不敢腐、不能腐、不想腐。\n  source: [001.txt:3]\n"
    )
    return use_as_bundled_bank(make_bank(tmp_path / "bundled", {"quote.yaml": quote}))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def entries_by_id(folder: Path) -> dict[str, object]:
    entries, _ = load_bank_dir(folder)
    return {e.id: e for e in entries}


def add(bank: Path, *extra: str, text: str = NEW_TEXT, role: str = "point") -> str:
    code, out, err = run(
        "bank", "add", "--bank", str(bank), "--role", role, "--topic", "作风建设", *extra, "--text", text
    )
    assert code == 0, out + err
    return out.strip()


# --- the "done when" ------------------------------------------------------------------


def test_add_then_remove_leaves_every_file_byte_identical(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT, "opening.yaml": OPENING})
    point = bank / "point.yaml"
    point.write_bytes(
        point.read_bytes().replace(
            b"entries:\n", b"entries:\n# \xe6\x88\x91\xe5\x8a\xa0\xe7\x9a\x84\xe6\xb3\xa8\xe9\x87\x8a\n"
        )
    )
    before = snapshot(bank)
    new_id = add(bank)
    assert new_id.startswith("point-u") and "\n" not in new_id
    after_add = point.read_text(encoding="utf-8")
    assert "# 我加的注释\n" in after_add
    assert after_add.startswith(before["point.yaml"].decode("utf-8").split("# 列表结束")[0])
    assert entries_by_id(bank)[new_id].text == NEW_TEXT  # type: ignore[attr-defined]
    assert check_bank_dir(bank).ok
    code, out, err = run("bank", "remove", new_id, "--bank", str(bank))
    assert code == 0, out + err
    assert new_id in out
    assert snapshot(bank) == before


def test_add_keeps_everything_else_and_appends_one_entry(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    new_id = add(bank, "--level", "县", "--years", "2024-2026", "--source", "我的笔记")
    text = (bank / "point.yaml").read_text(encoding="utf-8")
    head, tail = POINT.split("# 列表结束\n")
    assert text.startswith(head) and text.endswith("# 列表结束\n")
    block = text[len(head) : -len("# 列表结束\n")]
    assert block == (
        f"- id: {new_id}\n  role: point\n  topics: [作风建设]\n  levels: [县]\n  years: 2024-2026\n"
        f"  text: {NEW_TEXT}\n  source: [我的笔记]\n"
    )


# --- file shapes: add then remove is byte-identical -------------------------------------------

SHAPES = {
    "indented, blank-line separated, skeletons after": OPENING,
    "crlf": POINT.replace("\n", "\r\n"),
    "no final newline": POINT.rstrip("\n"),
    "no final newline after an entry": POINT.replace("# 列表结束\n", "").rstrip("\n"),
    "entries: null with a comment": SCHEMA_LINE + "entries:   # 还没有条目\n# 以后再加\nskeletons: []\n",
    "block scalar last": POINT.replace("# 列表结束\n", "")
    + "- id: point-a00003\n  role: point\n  text: |\n    第一行\n\n",
    "empty note last": POINT.replace("# 列表结束\n", "")
    + "- id: point-a00003\n  role: point\n  text: 好\n  note:\n",
    "flow entry last": POINT.replace("# 列表结束\n", "") + "- {id: point-a00003, role: point, text: 好}\n",
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_round_trip_on_file_shapes(tmp_path: Path, text: str) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": text})
    before = snapshot(bank)
    old = entries_by_id(bank)
    new_id = add(bank)
    now = entries_by_id(bank)
    assert set(now) == set(old) | {new_id}
    assert all(now[k] == v for k, v in old.items())
    assert now[new_id].role == "point" and now[new_id].topics == ("作风建设",)  # type: ignore[attr-defined]
    assert check_bank_dir(bank).ok
    code, out, err = run("bank", "remove", new_id, "--bank", str(bank))
    assert code == 0, out + err
    assert snapshot(bank) == before


@pytest.mark.parametrize("text", ["# 还是空的\n", "", "skeletons: []"])
def test_add_to_a_file_without_entries_then_remove_leaves_an_empty_key(tmp_path: Path, text: str) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": text})
    new_id = add(bank)
    run("bank", "remove", new_id, "--bank", str(bank))
    assert (bank / "point.yaml").read_text(encoding="utf-8") == (
        text + "\n" if text and not text.endswith("\n") else text
    ) + "entries:\n"


def test_add_into_empty_flow_list_then_remove_keeps_the_data(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": "entries: []   # 空\nskeletons: []\n"})
    new_id = add(bank)
    assert (bank / "point.yaml").read_text(encoding="utf-8").startswith("entries:   # 空\n- id: ")
    run("bank", "remove", new_id, "--bank", str(bank))
    assert yaml.safe_load((bank / "point.yaml").read_text(encoding="utf-8")) == {
        "entries": None,
        "skeletons": [],
    }


def test_remove_middle_and_first_entries(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"opening.yaml": OPENING, "point.yaml": POINT})
    run("bank", "remove", "opening-b00001", "--bank", str(bank))
    assert (bank / "opening.yaml").read_text(encoding="utf-8") == OPENING.replace(
        "  - id: opening-b00001\n    role: opening\n    topics: [政治建设]\n"
        "    text: 这次会议的主要任务是，深入学习贯彻{中央纪委全会}精神。\n\n",
        "",
    )
    run("bank", "remove", "point-a00002", "--bank", str(bank))
    assert (bank / "point.yaml").read_text(encoding="utf-8") == POINT.replace(
        POINT[POINT.index("- id: point-a00002") : POINT.index("# 列表结束")], ""
    )


# --- lock and reject ---------------------------------------------------------------------------


def test_lock_inserts_one_line_and_undo_removes_it(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    before = snapshot(bank)
    code, out, _ = run("bank", "lock", "point-a00001", "--bank", str(bank))
    assert code == 0 and "已锁定 point-a00001" in out
    text = (bank / "point.yaml").read_text(encoding="utf-8")
    assert text == POINT.replace("# 好用\n", "# 好用\n  locked: true\n")
    assert entries_by_id(bank)["point-a00001"].locked  # type: ignore[attr-defined]
    code, out, _ = run("bank", "lock", "point-a00001", "--bank", str(bank))
    assert code == 0 and "已经是锁定状态" in out
    code, out, _ = run("bank", "lock", "point-a00001", "--bank", str(bank), "--undo")
    assert code == 0 and "取消锁定" in out
    assert snapshot(bank) == before


def test_reject_replaces_a_false_value_only(tmp_path: Path) -> None:
    text = POINT.replace("  years: 2023-\n", "  years: 2023-\n  rejected: false   # 先留着\n")
    bank = make_bank(tmp_path / "bank", {"point.yaml": text})
    code, _, _ = run("bank", "reject", "point-a00002", "--bank", str(bank))
    assert code == 0
    assert (bank / "point.yaml").read_text(encoding="utf-8") == text.replace(
        "rejected: false", "rejected: true"
    )
    run("bank", "reject", "point-a00002", "--bank", str(bank), "--undo")
    assert (bank / "point.yaml").read_text(encoding="utf-8") == text


def test_lock_clears_reject(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    run("bank", "reject", "point-a00002", "--bank", str(bank))
    code, _, err = run("bank", "lock", "point-a00002", "--bank", str(bank))
    assert code == 0 and "同时取消了它的弃用标记" in err
    entry = entries_by_id(bank)["point-a00002"]
    assert entry.locked and not entry.rejected  # type: ignore[attr-defined]
    assert check_bank_dir(bank).ok


def test_lock_of_a_bundled_entry_copies_it_into_the_user_bank(tmp_path: Path, bundled: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    bundled_before = snapshot(bundled)
    code, out, _ = run("bank", "lock", "quote-z00001", "--bank", str(bank))
    assert code == 0, out
    assert "来自内置语料库（只读）" in out and "覆盖" in out and str(bank / "quote.yaml") in out
    assert snapshot(bundled) == bundled_before
    copy = (bank / "quote.yaml").read_text(encoding="utf-8")
    assert copy.startswith(SCHEMA_LINE)  # header copied from the bank's other files
    entry = entries_by_id(bank)["quote-z00001"]
    assert entry.locked and entry.source == ("001.txt:3",)  # type: ignore[attr-defined]
    code, out, _ = run("bank", "show", "quote-z00001", "--bank", str(bank))
    assert "状态：锁定" in out and "被上面的同 id 条目覆盖" in out


def test_reject_of_a_bundled_entry_via_env(
    tmp_path: Path, bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = tmp_path / "new-bank"  # does not exist yet: created
    monkeypatch.setenv("DRAFTER_BANK", str(bank))
    code, out, err = run("bank", "reject", "quote-z00001")
    assert code == 0, out + err
    assert "已新建语料库文件夹" in err
    assert entries_by_id(bank)["quote-z00001"].rejected  # type: ignore[attr-defined]
    code, out, _ = run("bank", "search", "不敢腐")
    assert "quote-z00001" not in out
    code, out, _ = run("bank", "search", "不敢腐", "--all")
    assert "quote-z00001" in out and "[弃用]" in out


# --- refusals: exit 1, a Chinese message, nothing written -------------------------------------


def test_bundled_bank_is_read_only(tmp_path: Path, bundled: Path) -> None:
    before = snapshot(bundled)
    code, _, err = run("bank", "add", "--role", "point", "--topic", "作风建设", "--text", NEW_TEXT)
    assert code == 1 and "内置语料库是只读的" in err and "--bank" in err
    code, _, err = run("bank", "add", "--bank", str(bundled), "--role", "point", "--text", NEW_TEXT)
    assert code == 1 and "只读" in err
    code, _, err = run("bank", "remove", "quote-z00001", "--bank", str(tmp_path / "mine"))
    assert code == 1 and "不能删除" in err and "drafter bank reject quote-z00001" in err
    code, _, err = run("bank", "lock", "quote-z00001", "--bank", str(tmp_path))  # holds the bundled bank
    assert code == 1 and "包含了内置语料库" in err
    assert snapshot(bundled) == before


BAD_ADDS = {
    "unknown role": (["--role", "paragraph", "--text", NEW_TEXT], "未知角色"),
    "unknown topic": (["--role", "point", "--topic", "廉政", "--text", NEW_TEXT], "未知主题"),
    "unknown level": (["--role", "point", "--level", "省", "--text", NEW_TEXT], "未知层级"),
    "reversed years": (["--role", "point", "--years", "2026-2020", "--text", NEW_TEXT], "起止颠倒"),
    "raw figure": (["--role", "point", "--text", "查处案件XX起。"], "待填数字"),
    "unknown slot": (["--role", "point", "--text", "{全国}各地要严守纪律。"], "未知槽位"),
    "no topic found": (["--role", "point", "--text", "今天天气很好。"], "无法从文字判断主题"),
    "same text twice": (
        ["--role", "point", "--text", "持之以恒落实中央八项规定精神，坚决纠治“四风”。"],
        "已有同样文字",
    ),
    "bad file name": (["--role", "point", "--file", "../x.yaml", "--text", NEW_TEXT], "文件名不对"),
}


@pytest.mark.parametrize(("args", "message"), BAD_ADDS.values(), ids=BAD_ADDS.keys())
def test_bad_add_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    before = snapshot(bank)
    code, _, err = run("bank", "add", "--bank", str(bank), *args)
    assert code == 1 and message in err and "Traceback" not in err
    assert snapshot(bank) == before


def test_flow_style_entries_list_is_refused(tmp_path: Path) -> None:
    text = "entries: [{id: point-a1, role: point, text: 好}]\n"
    bank = make_bank(tmp_path / "bank", {"point.yaml": text})
    code, _, err = run(
        "bank", "add", "--bank", str(bank), "--role", "point", "--topic", "作风建设", "--text", NEW_TEXT
    )
    assert code == 1 and "块式列表" in err
    code, _, err = run("bank", "lock", "point-a1", "--bank", str(bank))
    assert code == 1 and "流式写法" in err
    assert (bank / "point.yaml").read_text(encoding="utf-8") == text


def test_broken_file_is_never_edited(tmp_path: Path) -> None:
    broken = POINT.replace("  role: point\n  topics: [作风建设]", "  role: point\n   topics: [作风建设]")
    bank = make_bank(tmp_path / "bank", {"point.yaml": broken})
    code, _, err = run("bank", "lock", "point-a00001", "--bank", str(bank))
    assert code == 1 and f"{bank / 'point.yaml'}:" in err
    assert (bank / "point.yaml").read_text(encoding="utf-8") == broken


def test_unknown_id(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    for command in ("remove", "lock", "reject"):
        code, _, err = run("bank", command, "point-nope", "--bank", str(bank))
        assert code == 1 and "找不到 id 为「point-nope」的条目" in err


def test_keep_chomped_block_scalar_is_preserved_or_refused(tmp_path: Path) -> None:
    text = (
        POINT.replace("# 列表结束\n", "") + "- id: point-a00003\n  role: point\n  text: |+\n    第一行\n\n\n"
    )
    bank = make_bank(tmp_path / "bank", {"point.yaml": text})
    before = entries_by_id(bank)
    code, _, _ = run("bank", "lock", "point-a00003", "--bank", str(bank))
    after = entries_by_id(bank)
    if code == 0:
        assert after["point-a00003"].text == before["point-a00003"].text  # type: ignore[attr-defined]
    else:
        assert (bank / "point.yaml").read_text(encoding="utf-8") == text


def test_interrupted_write_leaves_the_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    before = snapshot(bank)

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    code, _, err = run(
        "bank", "add", "--bank", str(bank), "--role", "point", "--topic", "作风建设", "--text", NEW_TEXT
    )
    assert code == 130 and "已中断" in err
    assert snapshot(bank) == before  # no half-written file, no temp file left


def test_add_prints_what_it_stored(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    code, out, err = run(
        "bank", "add", "--bank", str(bank), "--role", "point", "--text", "全县各乡镇要落实主体责任。"
    )
    assert code == 0
    new_id = out.strip()
    assert "保存的正文：{全市}{各县区}要落实主体责任。" in err
    assert "按关键词归为：主体责任" in err
    assert entries_by_id(bank)[new_id].text == "{全市}{各县区}要落实主体责任。"  # type: ignore[attr-defined]


def test_add_to_a_new_file(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", {"point.yaml": POINT})
    code, out, err = run(
        "bank",
        "add",
        "--bank",
        str(bank),
        "--role",
        "closing",
        "--file",
        "mine.yaml",
        "--text",
        "同志们，让我们以更加饱满的精神状态，推动{全市}党风廉政建设取得新成效！",
    )
    assert code == 0, err
    assert "已新建文件" in err
    assert (
        (bank / "mine.yaml").read_text(encoding="utf-8").startswith(SCHEMA_LINE + "entries:\n- id: closing-u")
    )
    assert check_bank_dir(bank).ok


# --- the splice functions ------------------------------------------------------------------------

SAFE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("中文八项规定，。：、；“”‘’（）《》!?:#-'\" {}【】X0123456789abc\\/|>&*%@`[]")
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_format_scalar_reads_back_the_same(value: str) -> None:
    assert yaml.safe_load(f"k: {format_scalar(value)}") == {"k": value}
    assert yaml.safe_load(f"k: [{format_scalar(value, flow=True)}]") == {"k": [value]}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SAFE_TEXT, st.sampled_from(list(SHAPES.values())))
def test_append_then_remove_is_identity(value: str, text: str) -> None:
    mapping = {"id": "point-u123456", "role": "point", "topics": ["作风建设"], "text": value, "note": value}
    path = Path("point.yaml")
    added = append_entry_text(text, mapping, path=path)
    data = yaml.safe_load(added)
    assert data["entries"][-1] == mapping
    assert remove_entry_text(added, "point-u123456", path=path) == text
    locked = set_flag_text(added, "point-u123456", "locked", True, path=path)
    assert yaml.safe_load(locked)["entries"][-1] == {**mapping, "locked": True}
    assert set_flag_text(locked, "point-u123456", "locked", False, path=path) == added


def test_round_trip_on_a_copy_of_the_bundled_bank(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent.parent / "phrasebank"
    if not (source / "point.yaml").exists():
        pytest.skip("内置语料库尚未生成")
    bank = tmp_path / "copy"
    shutil.copytree(source, bank)
    point = bank / "point.yaml"
    lines = point.read_text(encoding="utf-8").split("\n")
    lines.insert(2, "# 写作者加的注释")
    point.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot(bank)
    new_id = add(bank, text="各级领导干部要带头严守中央八项规定精神，坚决反对特权思想和特权现象。")
    assert "# 写作者加的注释\n" in point.read_text(encoding="utf-8")
    assert check_bank_dir(bank).ok
    code, out, _ = run("bank", "search", "坚决反对特权思想", "--bank", str(bank))
    assert new_id in out
    for args in (["lock", new_id], ["lock", new_id, "--undo"], ["remove", new_id]):
        code, out, err = run("bank", *args, "--bank", str(bank))
        assert code == 0, out + err
    assert snapshot(bank) == before
