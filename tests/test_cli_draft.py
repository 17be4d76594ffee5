"""`drafter draft` as a user runs it: CliRunner and the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from drafter.cli import app

DATA = Path(__file__).parent / "data"
MINI_BANK = DATA / "compose_bank"
DEFAULT_NAME = "汉中市2026年政府廉政工作会议讲话（初稿）.docx"
runner = CliRunner()


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _console_script() -> str:
    beside = Path(sys.executable).parent / "drafter"
    found = str(beside) if beside.exists() else shutil.which("drafter")
    if not found:
        pytest.fail("the drafter console script is not installed next to this Python")
    return found


def test_version_and_chinese_help() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("drafter ")
    result = runner.invoke(app, ["draft", "--help"])
    assert result.exit_code == 0
    assert "会议召开的年份" in result.stdout and "--locality" in result.stdout


def test_console_script_writes_the_default_draft(tmp_path: Path) -> None:
    """The issue's acceptance run: an empty folder, the installed script, the bundled bank."""
    env = {k: v for k, v in os.environ.items() if k != "DRAFTER_BANK"}
    cmd = [_console_script(), "draft", "--year", "2026", "--locality", "汉中市", "--level", "市"]
    done = subprocess.run(
        cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / DEFAULT_NAME
    assert [p.name for p in tmp_path.iterdir()] == [DEFAULT_NAME]
    text = _docx_text(out)
    assert len(text) >= 5000
    assert "汉中市" in text and "同志们：" in text
    assert "二十届中央纪委五次全会" in text and "十五五" in text
    before = out.read_bytes()
    again = subprocess.run(
        cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert again.returncode == 1
    assert "错误：" in again.stderr and "--force" in again.stderr and "Traceback" not in again.stderr
    assert out.read_bytes() == before


def test_existing_file_is_kept_without_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "稿.txt"
    target.write_text("我的修改稿", encoding="utf-8")
    args = [
        "draft",
        "-y",
        "2026",
        "-l",
        "城固县",
        "--level",
        "县",
        "--bank",
        str(MINI_BANK),
        "-o",
        str(target),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "文件已存在" in result.stderr
    assert target.read_text(encoding="utf-8") == "我的修改稿"
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("在城固县人民政府廉政工作会议上的讲话")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["稿.txt"]  # no temp files left


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_formats_and_default_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["draft", "-y", "2025", "-l", "汉台区", "--level", "区", "--bank", str(MINI_BANK), "--format", fmt]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    out = tmp_path / f"汉台区2025年政府廉政工作会议讲话（初稿）.{fmt}"
    text = out.read_text(encoding="utf-8")
    assert "全区政府系统" in text and "区委" in text and "全市" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-y", "1899", "-l", "汉中市", "--level", "市"], "年份 1899"),
        (["-y", "2026", "-l", "汉中市", "--level", "省"], "市、县、区"),
        (["-y", "2026", "-l", "汉中市", "--level", "市", "--points", "9"], "3、4、5"),
        (["-y", "2026", "-l", "汉中市", "--level", "市", "-t", "外星人"], "未知主题"),
        (["-y", "2026", "-l", "汉中市", "--level", "市", "--template", "无此模板"], "可用模板"),
        (["-l", "汉中市", "--level", "市"], "缺少 --year"),
        (["-y", "2026", "-l", "汉中市", "--level", "市", "--format", "pdf"], "docx、md、txt"),
        (["-y", "2026", "-l", "汉中市", "--level", "市", "-o", "/no/such/folder/x.docx"], "输出文件夹不存在"),
    ],
)
def test_bad_values_are_clear_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["draft", *args, "--bank", str(MINI_BANK)])
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：") and message in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []


def test_params_file_and_command_line_wins(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("year: 2024\nlocality: 城固县\nlevel: 县\nmeeting-no: 2\npoints: 3\n", encoding="utf-8")
    out = tmp_path / "稿.txt"
    result = runner.invoke(
        app, ["draft", "--params", str(params), "-y", "2025", "--bank", str(MINI_BANK), "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("在城固县人民政府第二次廉政工作会议上的讲话")
    assert "二十届中央纪委四次全会" in text  # 2025 from the command line, not 2024 from the file
    assert "我讲三点意见" in text


def test_params_file_errors_name_file_and_line(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("year: 2026\nlocality: [汉中市\n", encoding="utf-8")
    result = runner.invoke(app, ["draft", "--params", str(params)])
    assert result.exit_code == 1 and f"{params}:" in result.stderr and "YAML" in result.stderr
    params.write_text("year: 2026\ncolour: red\n", encoding="utf-8")
    result = runner.invoke(app, ["draft", "--params", str(params)])
    assert result.exit_code == 1 and f"{params}:2:" in result.stderr and "colour" in result.stderr


def test_report_lists_sources_and_placeholders(tmp_path: Path) -> None:
    out, report = tmp_path / "稿.txt", tmp_path / "报告.json"
    args = ["draft", "-y", "2026", "-l", "汉中市", "--level", "市", "--bank", str(MINI_BANK), "-o", str(out)]
    result = runner.invoke(app, [*args, "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["year"] == 2026 and data["locality"] == "汉中市"
    mined = [p for p in data["paragraphs"] if p["entries"]]
    assert len(mined) >= len(data["paragraphs"]) // 2
    by_number = {p["paragraph"]: p["text"] for p in data["paragraphs"]}
    assert data["placeholders"]
    for hole in data["placeholders"]:
        assert hole["text"].startswith("【") and hole["context"] in by_number[hole["paragraph"]]
    md = tmp_path / "报告.md"
    assert runner.invoke(app, [*args, "--force", "--report", str(md)]).exit_code == 0
    assert "## 待填占位符" in md.read_text(encoding="utf-8")


def test_templates_lists_bundled_and_user_templates(tmp_path: Path) -> None:
    (tmp_path / "我的.j2").write_text("{#- drafter: review=before desc=本单位格式 -#}\n", encoding="utf-8")
    result = runner.invoke(app, ["templates", "--templates", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert names[0] == "我的" and {"标准", "第一式", "分条式"} <= set(names)
    assert "本单位格式" in result.stdout
