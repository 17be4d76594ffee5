"""Issue 14: nothing lost, nothing overwritten by surprise. Every case runs the installed console script
(a real process, as a user would), checks the exit code, the Chinese message and what is on disk."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from speechdocs import SPEECH

ROOT = Path(__file__).resolve().parent.parent
DRAFTER = Path(sys.executable).parent / "drafter"
DRAFT = ["draft", "-y", "2026", "-l", "汉中市", "--level", "市"]
TEXT = "\n".join(SPEECH) + "\n"
ENGLISH = re.compile(r"Traceback|Error:|Usage:")


def cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DRAFTER), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *fragments: str, code: int = 1) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert not ENGLISH.search(result.stderr), result.stderr
    assert result.stderr.startswith("错误："), result.stderr
    assert "提示：" in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


# --- 1. devices, FIFOs and sockets are never replaced ---------------------------------------------


def _full_device(tmp_path: Path) -> Path:
    """A node of /dev/full's device. As root, a new node in tmp_path, so that a regression replaces
    that node and never the system's /dev/full; otherwise /dev/full itself (/dev is not writable)."""
    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        return node
    except (OSError, AttributeError):
        if hasattr(os, "geteuid") and os.geteuid() == 0 or not Path("/dev/full").exists():
            pytest.skip("cannot make a device node here")
        return Path("/dev/full")


def test_output_onto_a_device_is_refused_even_with_force(tmp_path: Path) -> None:
    device = _full_device(tmp_path)
    for extra in ([], ["--force"]):
        result = cli(*DRAFT, "-o", device, *extra)
        assert_refused(result, "设备")
        assert stat.S_ISCHR(device.stat().st_mode)
        assert "已生成" not in result.stdout
    # through a symbolic link too
    link = tmp_path / "链接.docx"
    link.symlink_to(device)
    assert_refused(cli(*DRAFT, "-o", link, "--force"), "设备")
    assert stat.S_ISCHR(device.stat().st_mode) and link.is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_output_onto_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "管道.docx"
    os.mkfifo(fifo)
    for extra in ([], ["--force"]):
        assert_refused(cli(*DRAFT, "-o", fifo, *extra), "管道")
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    report = tmp_path / "报告.md"
    os.mkfifo(report)
    assert_refused(cli(*DRAFT, "-o", tmp_path / "初稿.docx", "--report", report, "--force"), "管道")
    assert stat.S_ISFIFO(report.stat().st_mode)
    assert not (tmp_path / "初稿.docx").exists()


def test_output_onto_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s.docx"
    if len(str(path)) > 100:
        pytest.skip("socket path too long")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert_refused(cli(*DRAFT, "-o", path, "--force"), "套接字")
        assert stat.S_ISSOCK(path.stat().st_mode)
    finally:
        server.close()


# --- 2. concurrent bank writers lose nothing ------------------------------------------------------


def _add_args(bank: Path, n: int) -> list[str]:
    text = f"第{n}项：要坚持不懈纠治“四风”，驰而不息推进作风建设，确保第{n}项整改任务落地见效。"
    return [str(DRAFTER), "bank", "add", "--bank", str(bank), "-r", "point", "-t", "作风建设", "--text", text]


def test_twenty_concurrent_bank_adds_keep_every_entry(tmp_path: Path) -> None:
    bank = tmp_path / "我的语料库"
    env = {**os.environ, "DRAFTER_LOCK_TIMEOUT": "300"}  # a slow machine queues longer; nothing may be lost
    procs = [
        subprocess.Popen(_add_args(bank, n), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for n in range(20)
    ]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        outs.append((proc.returncode, out.decode(), err.decode()))
    assert all(code == 0 for code, _, _ in outs), outs
    ids = {out.strip() for _, out, _ in outs}
    assert len(ids) == 20
    listed = cli("bank", "list", "--bank", bank, "--role", "point", "--text", "整改任务落地见效")
    assert listed.returncode == 0, listed.stderr
    assert {line.split()[0] for line in listed.stdout.splitlines()} == ids
    assert cli("bank", "check", "--bank", bank).returncode == 0


def test_mine_and_bank_add_at_once_keep_both(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    speech = tmp_path / "讲话.txt"
    speech.write_text(TEXT, encoding="utf-8")
    mine = subprocess.Popen(
        [str(DRAFTER), "mine", str(speech), "--bank", str(bank)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    adds = [
        subprocess.Popen(_add_args(bank, n), stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(5)
    ]
    results = [(p.communicate(timeout=180), p.returncode) for p in [mine, *adds]]
    assert all(code == 0 for _, code in results), results
    ids = {out.decode().strip() for (out, _), _ in results[1:]}
    text = "".join(p.read_text(encoding="utf-8") for p in bank.glob("*.yaml"))
    assert all(f"id: {entry_id}" in text for entry_id in ids)
    assert "财政资金" in text  # mined from the speech
    assert cli("bank", "check", "--bank", bank).returncode == 0


def test_a_second_writer_waits_then_names_the_holder(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from drafter.bank.lock import bank_lock\n"
            f"with bank_lock({str(bank)!r}):\n    print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = cli(*_add_args(bank, 1)[1:], env={**os.environ, "DRAFTER_LOCK_TIMEOUT": "1"})
        assert time.monotonic() - started < 20
        assert_refused(result, "正被另一个命令修改", f"进程 {holder.pid}")
        assert not list(bank.glob("*.yaml"))
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]


# --- 3. two outputs on one file ---------------------------------------------------------------------


def test_report_on_the_output_path_is_refused_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "初稿.md"
    result = cli(*DRAFT, "-o", out, "--report", tmp_path / "sub" / ".." / "初稿.md", "--force")
    assert_refused(result, "同一个文件")
    assert not out.exists()
    # a hard link is the same file too
    out.write_text("原稿\n", encoding="utf-8")
    (tmp_path / "链接.md").hardlink_to(out)
    assert_refused(cli(*DRAFT, "-o", out, "--report", tmp_path / "链接.md", "--force"), "同一个文件")
    assert out.read_text(encoding="utf-8") == "原稿\n"


def test_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    avoid = tmp_path / "去年.txt"
    avoid.write_text(TEXT, encoding="utf-8")
    assert_refused(cli(*DRAFT, "--avoid", avoid, "-o", avoid, "--force"), "输入")
    assert avoid.read_text(encoding="utf-8") == TEXT


# --- 4. a Markdown draft reads back as a speech --------------------------------------------------


def test_markdown_draft_round_trip(tmp_path: Path) -> None:
    md, txt = tmp_path / "初稿.md", tmp_path / "初稿.txt"
    assert cli(*DRAFT, "-o", md).returncode == 0
    assert cli(*DRAFT, "-o", txt).returncode == 0
    outline_md = cli("outline", md, "--json")
    outline_txt = cli("outline", txt, "--json")
    assert outline_md.returncode == 0, outline_md.stderr
    assert outline_md.stdout == outline_txt.stdout
    assert "# " not in outline_md.stdout
    assert '"announced": 4' in outline_md.stdout
    lint = cli("lint", md)
    assert lint.returncode == 0, lint.stdout
    assert "[count]" not in lint.stdout


def test_markdown_emphasis_and_lists_are_understood(tmp_path: Path) -> None:
    md = tmp_path / "讲话.md"
    lines = ["# " + SPEECH[0], "", SPEECH[1], "", SPEECH[2], ""]
    for line in SPEECH[3:]:
        if line.startswith(("一、", "二、", "三、")):
            lines += ["## **" + line + "**", ""]
        elif line.startswith(("一要", "二要")):
            lines += ["- *" + line + "*", ""]
        else:
            lines += [line, ""]
    md.write_text("\n".join(lines), encoding="utf-8")
    result = cli("outline", md, "--json")
    assert result.returncode == 0, result.stderr
    assert '"title": "在全县政府廉政工作会议上的讲话"' in result.stdout
    assert "**" not in result.stdout and '"heading": "- ' not in result.stdout
    assert result.stdout.count('"heading"') == 3
    assert '"压实主体责任"' in result.stdout and '"announced": 3' in result.stdout


# --- 5. UTF-16 without a BOM -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_by_every_reader(tmp_path: Path, encoding: str) -> None:
    speech = tmp_path / "讲话.txt"
    speech.write_bytes(TEXT.encode(encoding))
    assert cli("outline", speech).returncode == 0
    lint = cli("lint", speech)
    assert "二进制" not in lint.stderr and lint.returncode in (0, 1) and "共检查 1 个文件" in lint.stdout
    assert cli("mine", speech, "--bank", tmp_path / "bank").returncode == 0
    assert cli(*DRAFT, "--avoid", speech, "-o", tmp_path / "初稿.txt").returncode == 0
    # not one ASCII character, so not one zero byte
    pure = tmp_path / "纯中文.txt"
    pure.write_bytes(SPEECH[2].replace("，", "，").encode(encoding))
    out = cli("outline", pure, "--json")
    assert out.returncode == 0 and "讲三点意见" in out.stdout or 'announced": 3' in out.stdout, out


# --- 6. a mismatched or foreign extension -------------------------------------------------------------


def test_pdf_output_is_an_error(tmp_path: Path) -> None:
    result = cli(*DRAFT, "-o", tmp_path / "初稿.pdf")
    assert_refused(result, ".pdf")
    assert not list(tmp_path.iterdir())


# --- 7. scripts run from a plain checkout ----------------------------------------------------------


def test_rebuild_bank_without_drafter_says_so(tmp_path: Path) -> None:
    probe = ["python3", "-c", "import drafter.cli"]
    if (
        subprocess.run(probe, capture_output=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}).returncode
        == 0
    ):
        pytest.skip("the system python3 has drafter installed")
    checkout = tmp_path / "drafter"
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    result = subprocess.run(
        ["bash", str(checkout / "scripts" / "rebuild-bank")],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "No module" not in result.stderr
    assert "错误：找不到 drafter" in result.stderr and "pip install" in result.stderr


def test_rebuild_bank_uses_the_checkouts_venv(tmp_path: Path) -> None:
    checkout = tmp_path / "drafter"
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "drafter").symlink_to(DRAFTER)
    shutil.copytree(ROOT / "seeds", checkout / "seeds")
    shutil.copytree(ROOT / "phrasebank", checkout / "phrasebank")
    result = subprocess.run(
        ["bash", str(checkout / "scripts" / "rebuild-bank"), "--dry-run"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "预演" in result.stdout


def test_build_gazetteer_with_missing_inputs_has_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_gazetteer.py"),
            str(tmp_path / "无.txt"),
            str(tmp_path / "无2.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "错误：找不到文件" in result.stderr


# --- 8. locality and level must agree ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("locality", "level", "right"),
    [
        ("城固县", "市", "县"),
        ("城固", "市", "县"),
        ("汉中市", "县", "市"),
        ("汉台区", "市", "区"),
        ("汉中", "区", "市"),
    ],
)
def test_locality_and_level_disagree(tmp_path: Path, locality: str, level: str, right: str) -> None:
    result = cli("draft", "-y", "2026", "-l", locality, "--level", level, "-o", tmp_path / "x.docx")
    assert_refused(result, "不一致", f"--level {right}")
    assert not (tmp_path / "x.docx").exists()
    speech = tmp_path / "s.txt"
    speech.write_text(TEXT, encoding="utf-8")
    assert_refused(cli("lint", speech, "-l", locality, "--level", level), "不一致")


@pytest.mark.parametrize(
    ("locality", "level", "expected"),
    [
        ("城固", "县", "城固县人民政府县长"),
        ("吉林", "市", "吉林市人民政府市长"),
        ("朝阳", "县", "朝阳县人民政府县长"),
    ],
)
def test_locality_and_level_agree(tmp_path: Path, locality: str, level: str, expected: str) -> None:
    """A bare name that some place of that level has (吉林市 beside 吉林省) is accepted."""
    result = cli("draft", "-y", "2026", "-l", locality, "--level", level, "-o", tmp_path / "x.txt")
    assert result.returncode == 0, result.stderr
    assert expected in (tmp_path / "x.txt").read_text(encoding="utf-8")


def test_a_province_is_not_a_locality(tmp_path: Path) -> None:
    assert_refused(
        cli("draft", "-y", "2026", "-l", "陕西", "--level", "市", "-o", tmp_path / "x.txt"),
        "省",
        "--province",
    )
    assert not (tmp_path / "x.txt").exists()


# --- 9. duplicate ids fail every command that loads the bank --------------------------------------


def _dup_bank(folder: Path) -> Path:
    folder.mkdir()
    entry = "- id: point-dup00001\n  role: point\n  topics: [作风建设]\n  text: {}\n"
    (folder / "a.yaml").write_text(
        "entries:\n" + entry.format("要持续纠治“四风”，坚决防止反弹回潮。"), encoding="utf-8"
    )
    (folder / "b.yaml").write_text(
        "# 另一个文件\nentries:\n" + entry.format("要持续纠治形式主义、官僚主义顽疾。"), encoding="utf-8"
    )
    return folder


def test_duplicate_ids_fail_draft_mine_and_add(tmp_path: Path) -> None:
    bank = _dup_bank(tmp_path / "bank")
    before = {p.name: p.read_bytes() for p in bank.iterdir()}
    speech = tmp_path / "s.txt"
    speech.write_text(TEXT, encoding="utf-8")
    for args in (
        [*DRAFT, "--bank", bank, "-o", tmp_path / "x.docx"],
        ["mine", speech, "--bank", bank],
        _add_args(bank, 1)[1:],
        ["bank", "list", "--bank", bank],
    ):
        result = cli(*args)
        assert_refused(result, "point-dup00001", f"{bank / 'a.yaml'}:2", f"{bank / 'b.yaml'}:3")
    assert {p.name: p.read_bytes() for p in bank.iterdir() if p.suffix == ".yaml"} == before
    assert not (tmp_path / "x.docx").exists()


# --- 10. YAML dates ---------------------------------------------------------------------------------


def test_unquoted_yaml_date_prints_in_chinese(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("year: 2026\nlocality: 汉中市\nlevel: 市\ndate: 2026-03-05\n", encoding="utf-8")
    out = tmp_path / "x.txt"
    assert cli("draft", "--params", params, "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "（2026年3月5日）" in text and "2026-03-05" not in text


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_params_file_in_any_encoding_the_readers_know(tmp_path: Path, encoding: str) -> None:
    params = tmp_path / "参数.yaml"
    params.write_bytes("year: 2026\nlocality: 城固县\nlevel: 县\nspeaker: 张三\n".encode(encoding))
    out = tmp_path / "x.txt"
    result = cli("draft", "--params", params, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "张三" in out.read_text(encoding="utf-8")


# --- 11. broken pipe --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["bank list", "bank stats", "bank schema", "bank search 作风"])
def test_broken_pipe_is_quiet(command: str) -> None:
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{DRAFTER}' {command} | head -1 >/dev/null"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr
    assert "错误" not in result.stderr
    # the reader gone before the first line: every write meets a closed pipe
    proc = subprocess.Popen([str(DRAFTER), *command.split()], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0, err
    assert err == "", err


# --- 12. -o - is standard output --------------------------------------------------------------------


def test_dash_output_is_stdout(tmp_path: Path) -> None:
    docx = subprocess.run([str(DRAFTER), *DRAFT, "-o", "-"], capture_output=True, cwd=tmp_path, timeout=120)
    assert docx.returncode == 0, docx.stderr.decode()
    assert docx.stdout.startswith(b"PK")
    import io

    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(docx.stdout)).namelist()
    assert "已生成：标准输出" in docx.stderr.decode()
    md = cli(*DRAFT, "-o", "-", "--format", "md", cwd=tmp_path)
    assert md.stdout.startswith("# 在汉中市人民政府廉政工作会议上的讲话")
    assert not list(tmp_path.iterdir())  # no file named "-"


# --- 13. lint: dedupe and the same option checks as draft --------------------------------------------


def test_lint_lists_each_finding_once(tmp_path: Path) -> None:
    speech = tmp_path / "s.txt"
    sentence = "全市政府系统要加强作风建设。"
    speech.write_text("一、加强作风建设\n" + sentence * 6 + "\n", encoding="utf-8")
    result = cli("lint", speech, "-l", "城固县")
    findings = [line for line in result.stdout.splitlines() if line.startswith(str(speech))]
    assert findings and len(findings) == len(set(findings)), result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--year", "1999"], "2018–2030"),
        (["--year", "2031"], "2018–2030"),
        (["-l", "汉中🎉"], "不像"),
        (["--level", "省"], "市、县、区"),
    ],
)
def test_lint_validates_options_like_draft(tmp_path: Path, args: list[str], fragment: str) -> None:
    speech = tmp_path / "s.txt"
    speech.write_text(TEXT, encoding="utf-8")
    assert_refused(cli("lint", speech, *args), fragment)
    assert_refused(cli(*[a for a in DRAFT if a not in ()], *args, "-o", tmp_path / "x.docx"), fragment)


# --- 14. mine reports no change, and its record file is documented -----------------------------------


def test_mine_twice_says_nothing_changed(tmp_path: Path) -> None:
    speech = tmp_path / "s.txt"
    speech.write_text(TEXT, encoding="utf-8")
    bank = tmp_path / "bank"
    first = cli("mine", speech, "--bank", bank)
    assert first.returncode == 0 and "已写入" in first.stdout
    before = {p.name: p.stat().st_mtime_ns for p in bank.iterdir()}
    second = cli("mine", speech, "--bank", bank)
    assert second.returncode == 0
    assert "没有变化" in second.stdout and "改动文件 0 个" not in second.stdout
    assert {p.name: p.stat().st_mtime_ns for p in bank.iterdir() if p.suffix == ".yaml"} == {
        k: v for k, v in before.items() if k.endswith(".yaml")
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in {p.name for p in bank.iterdir() if p.name.startswith(".")}:
        assert name in readme, f"{name} is not documented in README"


# --- 16. Ctrl-C after the file is written --------------------------------------------------------


def test_ctrl_c_after_writing_is_not_both_done_and_interrupted(tmp_path: Path) -> None:
    for trial in range(3):
        out = tmp_path / f"初稿{trial}.docx"
        proc = subprocess.Popen(
            [str(DRAFTER), *DRAFT, "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()  # 已生成 … : the file is on disk
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
        said_done = "已生成" in line + rest
        assert said_done and out.exists()
        assert proc.returncode == 0, (proc.returncode, err)
        assert "中断" not in err and "中止" not in err and "Traceback" not in err


# --- around the edges --------------------------------------------------------------------------------


def test_a_linked_output_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "真稿.md"
    real.write_text("旧稿\n", encoding="utf-8")
    link = tmp_path / "链接.md"
    link.symlink_to(real)
    assert cli(*DRAFT, "-o", link, "--force").returncode == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# 在汉中市")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_docx_to_a_terminal_is_refused(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        proc = subprocess.run(
            [str(DRAFTER), *DRAFT, "-o", "-"],
            stdout=slave,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 1 and "终端" in proc.stderr and "--format md" in proc.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_inputs_that_are_not_regular_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "管道.txt"
    os.mkfifo(fifo)
    for args in (["lint", fifo], ["outline", fifo], [*DRAFT, "--avoid", fifo, "-o", tmp_path / "x.docx"]):
        result = cli(*args)
        assert result.returncode == 1 and "不是普通文件" in result.stderr, result
    params = tmp_path / "参数.yaml"
    os.mkfifo(params)
    assert_refused(cli("draft", "--params", params), "不是普通文件")
