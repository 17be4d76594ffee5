"""The `drafter` process ends quickly (drafter.cli.run: no last collection pass; when nothing is left to
run at exit, no taking apart of every object). It must still end as Python would: everything written
out, the exit code kept, exit handlers run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DRAFT = ["draft", "-y", "2026", "-l", "汉中市", "--level", "市", "--format", "txt"]


def _drafter(*args: str, code: str | None = None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONUNBUFFERED", None)  # output to a pipe is written in blocks, as it mostly is
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "drafter", *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd)


def test_a_draft_to_a_pipe_is_written_out_whole(tmp_path: Path) -> None:
    piped = _drafter(*DRAFT, "-o", "-", cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    written = _drafter(*DRAFT, "-o", "draft.txt", cwd=tmp_path)
    assert written.returncode == 0 and "已生成" in written.stderr + written.stdout
    text = (tmp_path / "draft.txt").read_text(encoding="utf-8")
    assert len(text) > 5000 and piped.stdout.rstrip("\n") == text.rstrip("\n")


def test_exit_codes_are_kept(tmp_path: Path) -> None:
    usage = _drafter("draft", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 2 and "没有这个选项" in usage.stderr
    missing = _drafter("lint", str(tmp_path / "无此文件.txt"), cwd=tmp_path)
    assert missing.returncode == 1 and "无此文件" in missing.stderr


def test_exit_handlers_still_run(tmp_path: Path) -> None:
    mark = tmp_path / "ran"
    code = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(mark)!r}).write_text, 'yes')\n"
        "sys.argv = ['drafter', *sys.argv[1:]]\n"
        "from drafter.cli import run\n"
        "run()\n"
    )
    done = _drafter("--version", code=code, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("drafter ")
    assert mark.read_text() == "yes"


def test_what_is_left_in_the_output_buffers_is_written(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import drafter.cli\n"
        "cli = sys.modules['drafter.cli.app']\n"
        "def command():\n"  # a command that leaves its output in the buffers (a pipe's is written in blocks)
        "    print('写到标准输出', end='')\n"
        "    print('写到标准错误', end='', file=sys.stderr)\n"
        "    raise SystemExit(3)\n"
        "cli.app = command\n"
        "cli.run()\n"
    )
    done = _drafter(code=code, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (3, "写到标准输出", "写到标准错误")
