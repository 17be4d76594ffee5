"""Issue 14, item 15: help and usage errors in Chinese, frame included, through the installed script;
defaults and ranges shown; README and help say the same thing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main

from drafter.cli import app

ROOT = Path(__file__).resolve().parent.parent
DRAFTER = Path(sys.executable).parent / "drafter"
# the words of click's and typer's English frame
FRAME = re.compile(
    r"Usage|Options|Arguments|Commands|required|default|OPTIONS|COMMAND|ARGS|env var|Show this message"
    r"|Error|Try |Aborted|Missing|No such|Got unexpected|is not a valid|<int>|<str>|<path>|<text>|x>=|<=x"
)
# every word of the frame is Chinese
CHINESE_FRAME = ("用法：", "选项：")


def command_paths() -> list[list[str]]:
    """Every command and group, nested ``bank …`` included."""
    out: list[list[str]] = [[]]

    def walk(command: object, path: list[str]) -> None:
        # click's own interface: the root group builds its commands only when asked for them
        if not hasattr(command, "list_commands"):
            return
        ctx = typer.Context(command)  # type: ignore[arg-type]
        for name in sorted(command.list_commands(ctx)):
            out.append([*path, name])
            walk(command.get_command(ctx, name), [*path, name])

    walk(typer.main.get_command(app), [])
    return out


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DRAFTER), *args], capture_output=True, text=True, timeout=60)


def test_every_help_is_chinese_frame_and_all() -> None:
    paths = command_paths()
    assert ["bank", "add"] in paths and ["lint"] in paths and len(paths) >= 15
    for path in paths:
        result = run(*path, "--help")
        assert result.returncode == 0, (path, result.stderr)
        text = result.stdout
        assert not FRAME.search(text), (path, FRAME.search(text), text)
        for word in CHINESE_FRAME:
            assert word in text, (path, word, text)
        if not path or path == ["bank"]:
            assert "命令：" in text and "命令 [参数]..." in text


def test_required_and_defaults_are_marked_in_chinese() -> None:
    add = run("bank", "add", "-h").stdout
    assert "[必填]" in add
    listing = run("bank", "list", "-h").stdout
    assert "[默认：40；至少 8]" in listing
    lint = run("lint", "-h").stdout
    assert "[默认：text]" in lint


def test_help_lines_fit_the_width() -> None:
    from drafter.cli.help_zh import display_width

    for path in (["draft"], ["lint"], ["bank", "add"], ["templates"], ["mine"]):
        for line in run(*path, "-h").stdout.splitlines():
            assert display_width(line) <= 80, (path, line)


def test_ranges_and_defaults_are_shown_in_draft_help() -> None:
    from drafter.draft.context import DEFAULT_LENGTH, MAX_LENGTH, MIN_LENGTH
    from drafter.models import MAX_YEAR, MIN_YEAR

    text = "".join(run("draft", "-h").stdout.split())  # lines may break anywhere in Chinese text
    assert f"{MIN_YEAR}–{MAX_YEAR}" in text
    assert f"{MIN_LENGTH}–{MAX_LENGTH}（默认{DEFAULT_LENGTH}）" in text
    assert "1–99" in text
    assert "（默认4）" in text
    assert "必填" in text


def test_lint_usage_takes_several_files() -> None:
    usage = run("lint", "-h").stdout.splitlines()[0]
    assert usage == "用法：drafter lint [选项] 文件..."
    assert "讲话稿..." in run("mine", "-h").stdout.splitlines()[0]


def test_help_columns_line_up_by_display_width() -> None:
    from drafter.cli.help_zh import display_width

    lines = [line for line in run("lint", "-h").stdout.splitlines() if line.startswith("  -")]
    columns = set()
    for line in lines:
        m = re.match(r"  \S.*?\s{2,}(?=\S)", line)
        assert m, line
        columns.add(display_width(m.group(0)))
    assert len(lines) >= 4 and len(columns) == 1, lines


def test_templates_help_and_readme_agree() -> None:
    help_text = "".join(run("templates", "-h").stdout.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `--template`"))
    for claim in ("讲话骨架", "标题样式", "没有骨架时", "按种子"):
        assert claim in help_text, claim
        assert claim in row, claim


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["bank"],
        ["nosuch"],
        ["draft", "--year", "abc"],
        ["draft", "--nosuch"],
        ["draft", "--year"],
        ["lint"],
        ["bank", "add"],
        ["bank", "list", "--limit", "0"],
        ["outline", "a", "b"],
        ["bank", "show"],
        ["bank", "--"],
        ["draft", "--bold-leads=yes"],
        ["lint", "x", "--format"],
    ],
)
def test_usage_errors_are_chinese(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode in (0, 2), result
    text = result.stdout + result.stderr
    assert not FRAME.search(text), (args, text)
    assert re.search(r"[\u4e00-\u9fff]", text)
