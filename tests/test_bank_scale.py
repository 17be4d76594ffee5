"""Bank at scale: `bank check` reuses its results for unchanged files (--full re-checks), stats and
search give the same answers by their fast paths, and the bank index agrees with a plain scan."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.bank import check as check_module
from drafter.bank.cache import check_cache_dir, write_cached_check
from drafter.cli import app
from tests.conftest import make_bank

SCHEMA_LINE = "# yaml-language-server: $schema=../docs/phrasebank.schema.json\n"
POINT = (
    SCHEMA_LINE
    + """\
entries:
- id: point-a00001
  role: point
  topics: [作风建设]
  text: 持之以恒落实中央八项规定精神，坚决纠治“四风”。
- id: point-a00002
  role: point
  topics: [主体责任, 担当落实]
  levels: [县, 区]
  years: 2023-
  text: "{全市}各级党组织要扛牢管党治党政治责任。"
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
"""
)


def _age(folder: Path, seconds: float = 3600) -> None:
    """Date every file back: only files unchanged for a while are cached."""
    then = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (then, then))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = make_bank(tmp_path / "bank", {"point.yaml": POINT, "opening.yaml": OPENING})
    _age(folder)
    return folder


# --- bank check and its cache ---------------------------------------------------------------------


def test_an_unchanged_file_is_not_checked_again(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check_module.check_bank_dir(bank)
    assert first.ok and first.entries == 3
    folder = check_cache_dir()
    assert folder is not None and len(list(folder.glob("*.json"))) == 2

    def fail(self: object, text: str) -> None:
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(check_module._FileChecker, "check", fail)
    again = check_module.check_bank_dir(bank)
    assert again == first
    with pytest.raises(AssertionError, match="parsed again"):
        check_module.check_bank_dir(bank, full=True)


def test_a_changed_file_is_checked_again(bank: Path) -> None:
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 0, out
    broken = POINT.replace("role: point\n  topics: [作风建设]", "role: pont\n  topics: [作风建设]")
    (bank / "point.yaml").write_text(broken, encoding="utf-8")
    _age(bank, seconds=1800)  # settled again, but with another mtime and size
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1
    assert f"{bank / 'point.yaml'}:4: 未知角色「pont」" in out


def test_a_same_size_edit_with_the_same_mtime_is_seen_through_the_inode(bank: Path) -> None:
    assert check_module.check_bank_dir(bank).ok
    path = bank / "opening.yaml"
    st = path.stat()
    replaced = bank / "opening.new"
    replaced.write_text(OPENING.replace("政治建设", "政治建没"), encoding="utf-8")  # same length
    os.utime(replaced, ns=(st.st_atime_ns, st.st_mtime_ns))
    replaced.replace(path)  # an editor's save: a new inode
    report = check_module.check_bank_dir(bank)
    assert [(p.line, p.message) for p in report.problems] == [
        (5, "未知主题「政治建没」，是不是「政治建设」？")
    ]


def test_full_rechecks_every_file(bank: Path) -> None:
    """A stored result stands for an unchanged file; --full ignores it and checks the text."""
    assert check_module.check_bank_dir(bank).ok
    path = bank / "opening.yaml"
    fake = {
        "problems": [[3, "只在缓存里的问题"]],
        "ids": [["opening-b00001", 3]],
        "skeleton_ids": [],
        "entries": 1,
    }
    write_cached_check(path, path.stat(), fake)
    code, out, _ = run("bank", "check", "--bank", str(bank))
    assert code == 1 and f"{path}:3: 只在缓存里的问题" in out
    code, out, _ = run("bank", "check", "--bank", str(bank), "--full")
    assert code == 0 and "只在缓存里的问题" not in out and "3 个条目" in out


def test_duplicates_across_cached_files_are_still_found(bank: Path) -> None:
    assert check_module.check_bank_dir(bank).ok
    make_bank(bank, {"later.yaml": OPENING})  # the same id in a third file
    _age(bank)
    for _ in range(2):  # cold, then with all three files cached
        report = check_module.check_bank_dir(bank)
        assert [(p.path.name, p.line) for p in report.problems] == [("opening.yaml", 3)]
        assert "重复" in report.problems[0].message and "later.yaml:3" in report.problems[0].message


def test_a_damaged_check_cache_is_ignored(bank: Path) -> None:
    first = check_module.check_bank_dir(bank)
    folder = check_cache_dir()
    assert folder is not None
    for cached in folder.glob("*.json"):
        lines = cached.read_text(encoding="utf-8").splitlines()
        cached.write_text(lines[0] + '\n{"problems": [[1]], "ids": [], "skeleton_ids": [], "entries": 1}')
    assert check_module.check_bank_dir(bank) == first


def test_no_cache_switch_writes_no_check_results(bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    assert check_module.check_bank_dir(bank).ok
    assert check_cache_dir() is None
    monkeypatch.delenv("DRAFTER_NO_CACHE")
    folder = check_cache_dir()
    assert folder is not None and not folder.exists()
