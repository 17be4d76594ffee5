"""Bad input never hurts: every case through the CLI.

Each case checks the exit code (1 for bad input, 2 for a usage error, 130 for Ctrl-C), a Chinese
message naming the file (and line) with a hint, no traceback, no partial output file, and the bank
byte for byte unchanged. Cases already covered elsewhere (see test_cli_draft, test_sources,
test_compose, test_bank_*, test_lint, test_export) are not repeated here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from speechdocs import SPEECH
from typer.testing import CliRunner, Result

from drafter.cli import app

DATA = Path(__file__).parent / "data"
MINI_BANK = DATA / "compose_bank"
TEXT = "\n".join(SPEECH) + "\n"
DRAFT = ["draft", "-y", "2026", "-l", "汉中市", "--level", "市"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\0" * 64
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64
CJK = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (temp files included) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_refused(
    result: Result,
    *fragments: str,
    code: int = 1,
    where: Path | str | None = None,
    line: int | None = None,
) -> None:
    """Exit code, a Chinese message naming the file (and line), a hint, no traceback."""
    err = result.stderr
    assert result.exit_code == code, (result.exit_code, result.output, err)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Traceback" not in err
    message = next(line_ for line_ in err.splitlines() if line_.startswith("错误："))
    assert CJK.search(message), message
    assert "提示：" in err, err
    if where is not None:
        assert f"{where}:{line}:" in message if line is not None else str(where) in message, message
    for fragment in fragments:
        assert fragment in err, (fragment, err)


# --- speech files: lint, outline, mine and draft --avoid --------------------------------------------


def _docx(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


BAD_FILES: dict[str, tuple[str, bytes | None, str]] = {
    "missing": ("没有这个文件.txt", None, "不存在"),
    "image": ("照片.png", PNG, "不支持的文件类型"),
    "image-named-txt": ("照片.txt", PNG, "二进制文件"),
    "empty-txt": ("空.txt", b"", "文件是空的"),
    "blank-txt": ("空白.txt", " \r\n\u3000\n".encode(), "文件中没有文字"),
    "empty-docx": ("空.docx", b"", "文件是空的"),
    "docx-not-a-zip": ("坏.docx", b"this is not a zip file at all", "不是有效的 .docx"),
    "docx-is-a-jpeg": ("照片.docx", JPEG, "不是有效的 .docx"),
    "old-word-doc": ("旧稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "另存为"),
}


def _bad_file(tmp_path: Path, case: str) -> Path:
    name, data, _ = BAD_FILES[case]
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", BAD_FILES)
@pytest.mark.parametrize("command", ["lint", "outline", "mine", "avoid"])
def test_bad_speech_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    path = _bad_file(tmp_path, case)
    bank = tmp_path / "bank"
    before = snapshot(tmp_path)
    if command == "lint":
        result = run("lint", str(path))
    elif command == "outline":
        result = run("outline", str(path))
    elif command == "mine":
        result = run("mine", str(path), "--bank", str(bank))
    else:
        result = run(*DRAFT, "--bank", str(MINI_BANK), "--avoid", str(path), "-o", "稿.docx")
    assert_refused(result, BAD_FILES[case][2], where=path)
    assert snapshot(tmp_path) == before  # no output, no bank, no temp file
    if command == "mine":
        assert "没有读到任何讲话稿" in result.stderr and not bank.exists()


def test_old_word_doc_says_how_to_convert(tmp_path: Path) -> None:
    path = _bad_file(tmp_path, "old-word-doc")
    result = run("outline", str(path))
    assert_refused(result, "不支持旧版 Word 的 .doc 文件", where=path)
    assert "另存为」.docx" in result.stderr and "soffice --headless --convert-to docx" in result.stderr


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"[Content_Types].xml": b"<Types/>", "junk.bin": os.urandom(256)}, "缺少正文"),
        ({"word/document.xml": b"<w:document><w:body><w:p>"}, "内容损坏"),
        ({"word/document.xml": b"\xff\xfe garbage \x00"}, "内容损坏"),
        (
            {
                "word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
                "word/numbering.xml": b"<broken",
            },
            "内容损坏",
        ),
    ],
    ids=["zip-of-junk", "truncated-xml", "binary-xml", "broken-numbering"],
)
@pytest.mark.parametrize("command", ["lint", "outline", "mine"])
def test_docx_that_is_a_zip_of_junk(
    tmp_path: Path, members: dict[str, bytes], message: str, command: str
) -> None:
    path = _docx(tmp_path / "讲话.docx", members)
    extra = ["--bank", str(tmp_path / "bank")] if command == "mine" else []
    assert_refused(run(command, str(path), *extra), message, where=path)
    assert not (tmp_path / "bank").exists()


@pytest.mark.parametrize("command", ["lint", "outline", "avoid"])
def test_a_folder_where_a_file_is_expected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "讲话稿.txt"
    folder.mkdir()
    if command == "avoid":
        result = run(*DRAFT, "--bank", str(MINI_BANK), "--avoid", str(folder), "-o", "稿.txt")
    else:
        result = run(command, str(folder))
    assert_refused(result, "文件夹", where=folder)
    assert [p.name for p in tmp_path.iterdir()] == ["讲话稿.txt"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--params", "参数文件路径是一个文件夹"),
        ("--templates-file", "模板文件夹不存在"),
        ("--bank-file", "语料库应当是一个文件夹"),
        ("-o", "输出路径是一个文件夹"),
        ("--report", "输出路径是一个文件夹"),
    ],
)
def test_folders_and_files_mixed_up_in_draft_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "文件夹.md"  # a folder with a file's name
    folder.mkdir()
    plain = tmp_path / "文件.txt"
    plain.write_text("x", encoding="utf-8")
    args = {
        "--params": ["--params", str(folder)],
        "--templates-file": ["--templates", str(plain)],
        "--bank-file": ["--bank", str(plain)],
        "-o": ["-o", str(folder)],
        "--report": ["-o", "稿.txt", "--report", str(folder)],
    }[option]
    before = snapshot(tmp_path)
    assert_refused(run(*DRAFT, *args), message)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--params", "参数文件不存在"),
        ("--templates", "模板文件夹不存在"),
        ("--bank", "语料库文件夹不存在"),
        ("--reference-docx", "参考模板文件不存在"),
    ],
)
def test_missing_paths_in_draft_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "没有这个"
    assert_refused(run(*DRAFT, option, str(missing), "-o", "稿.docx"), message, where=missing)
    assert list(tmp_path.iterdir()) == []


def _unreadable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Reading ``path`` fails as it would without permission (root can read anything, so simulate)."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.parametrize("command", ["lint", "outline", "mine"])
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    path = tmp_path / "讲话.txt"
    path.write_text(TEXT, encoding="utf-8")
    _unreadable(monkeypatch, path)
    extra = ["--bank", str(tmp_path / "bank")] if command == "mine" else []
    assert_refused(run(command, str(path), *extra), "没有读取权限", where=path)
    assert not (tmp_path / "bank").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files without permission")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    path = tmp_path / "讲话.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        assert_refused(run("outline", str(path)), "没有读取权限", where=path)
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("command", ["lint", "outline", "mine"])
def test_a_50_megabyte_text_file_is_refused_at_once(tmp_path: Path, command: str) -> None:
    path = tmp_path / "合订本.txt"
    block = (TEXT * 40).encode("utf-8")
    with path.open("wb") as handle:
        for _ in range(50 * 2**20 // len(block) + 1):
            handle.write(block)
    assert path.stat().st_size >= 50 * 2**20
    extra = ["--bank", str(tmp_path / "bank")] if command == "mine" else []
    start = time.perf_counter()
    result = run(command, str(path), *extra)
    assert time.perf_counter() - start < 5
    assert_refused(result, "文件过大", "拆分", where=path)
    assert not (tmp_path / "bank").exists()


ENCODINGS = {
    "gbk": TEXT.encode("gbk"),
    "gb18030": TEXT.encode("gb18030"),
    "utf-16-le-bom": TEXT.encode("utf-16"),
    "utf-16-be-bom": b"\xfe\xff" + TEXT.encode("utf-16-be"),
    "utf-16-le-no-bom": TEXT.encode("utf-16-le"),
    "utf-8-bom-crlf": TEXT.replace("\n", "\r\n").encode("utf-8-sig"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_gbk_and_utf16_speeches_read_like_utf8(tmp_path: Path, encoding: str) -> None:
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(TEXT, encoding="utf-8")
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(ENCODINGS[encoding])
    expected = run("outline", str(utf8), "--json")
    assert expected.exit_code == 0
    result = run("outline", str(other), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout
    lint_utf8 = run("lint", str(utf8), "--format", "json", "-y", "2023")
    lint_other = run("lint", str(other), "--format", "json", "-y", "2023")
    assert lint_other.exit_code == lint_utf8.exit_code
    assert lint_other.stdout.replace(str(other), "F") == lint_utf8.stdout.replace(str(utf8), "F")


def test_gbk_speech_as_avoid(tmp_path: Path) -> None:
    avoid = tmp_path / "去年.txt"
    avoid.write_bytes(TEXT.encode("gbk"))
    result = run(*DRAFT, "--bank", str(MINI_BANK), "--avoid", str(avoid), "-o", str(tmp_path / "稿.txt"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "稿.txt").read_text(encoding="utf-8").startswith("在汉中市人民政府")


# --- YAML: a bank and a --params file ---------------------------------------------------------------

GOOD_ENTRY = "- id: point-good0001\n  role: point\n  topics: [作风建设]\n  text: 要持之以恒纠治“四风”。\n"
BROKEN_BANKS: dict[str, tuple[bytes, int | None, str]] = {
    "unclosed-bracket": (
        f"entries:\n{GOOD_ENTRY}- id: point-bad00001\n  topics: [作风建设\n  text: x\n".encode(),
        8,
        "YAML 语法错误",
    ),
    "tab-indent": (f"entries:\n{GOOD_ENTRY}\t- id: point-bad00001\n".encode(), 6, "YAML 语法错误"),
    "bad-quote": (
        f'entries:\n{GOOD_ENTRY}- id: point-bad00001\n  text: "没有结束的引号\n'.encode(),
        None,
        "YAML 语法错误",
    ),
    "gbk-file": (f"entries:\n{GOOD_ENTRY}".encode("gbk"), None, "不是 UTF-8"),
    "top-level-list": (GOOD_ENTRY.encode(), 1, "顶层应当是映射"),
    "entries-not-a-list": (b"entries: 42\n", None, "entries 应当是列表"),
    "skeletons-not-a-list": (f"entries:\n{GOOD_ENTRY}skeletons: 5\n".encode(), None, "skeletons 应当是列表"),
    "skeleton-bad-parts": (
        f"entries:\n{GOOD_ENTRY}skeletons:\n- id: sk1\n  parts: 5\n".encode(),
        7,
        "骨架 sk1",
    ),
    "unknown-role": (
        f"entries:\n{GOOD_ENTRY}- id: point-bad00001\n  role: sermon\n  text: x\n".encode(),
        6,
        "未知角色",
    ),
    "bad-years": (
        f"entries:\n{GOOD_ENTRY}- id: point-bad00001\n  role: point\n  years: 2025-2021\n  text: x\n".encode(),
        6,
        "years",
    ),
    "bad-date": (
        f"entries:\n{GOOD_ENTRY}- id: point-bad00001\n  role: point\n  note: 2021-13-45\n  text: x\n".encode(),
        None,
        "无法识别的值",
    ),
}


@pytest.mark.parametrize("case", BROKEN_BANKS)
@pytest.mark.parametrize("command", ["draft", "bank-list", "mine"])
def test_malformed_bank_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    bank = tmp_path / "bank"
    bank.mkdir()
    data, line, message = BROKEN_BANKS[case]
    broken = bank / "point.yaml"
    broken.write_bytes(data)
    speech = tmp_path / "讲话.txt"
    speech.write_text(TEXT, encoding="utf-8")
    before = snapshot(tmp_path)
    if command == "draft":
        result = run(*DRAFT, "--bank", str(bank), "-o", "稿.docx")
    elif command == "bank-list":
        result = run("bank", "list", "--bank", str(bank))
    else:
        result = run("mine", str(speech), "--bank", str(bank))
    assert_refused(result, message, where=broken, line=line)
    assert snapshot(tmp_path) == before  # the bank byte for byte, and no draft


PARAMS: dict[str, tuple[bytes, int | None, str]] = {
    "binary": (bytes(range(256)) * 4, None, "参数文件无法读取"),
    "a-list": (b"- 2026\n- \xe6\xb1\x89\xe4\xb8\xad\n", 1, "映射"),
    "tab": ("year: 2026\n\tlocality: 汉中市\n".encode(), 2, "YAML 语法错误"),
    "python-tag": (b"year: !!python/object/apply:os.system [ls]\n", 1, "YAML 语法错误"),
    "year-text": ("year: 二〇二六\nlocality: 汉中市\nlevel: 市\n".encode(), 1, "「year」的值应当是整数"),
    "year-float": ("year: 2026.5\nlocality: 汉中市\nlevel: 市\n".encode(), 1, "「year」的值应当是整数"),
    "points-list": (
        "year: 2026\nlocality: 汉中市\nlevel: 市\npoints: [4]\n".encode(),
        4,
        "「points」的值应当是整数",
    ),
    "speaker-number": (
        "year: 2026\nlocality: 汉中市\nlevel: 市\nspeaker: {name: 张三}\n".encode(),
        4,
        "「speaker」",
    ),
    "province-list": (
        "year: 2026\nlocality: 汉中市\nlevel: 市\nprovince: [陕西省]\n".encode(),
        4,
        "「province」",
    ),
    "fonts-number": ("year: 2026\nlocality: 汉中市\nlevel: 市\nfonts: 5\n".encode(), 4, "「fonts」"),
    "avoid-number": ("year: 2026\nlocality: 汉中市\nlevel: 市\navoid: [1, 2]\n".encode(), 4, "「avoid」"),
    "bold-leads-text": (
        'year: 2026\nlocality: 汉中市\nlevel: 市\nbold_leads: "no"\n'.encode(),
        4,
        "true 或 false",
    ),
    "plenum-mapping": ("year: 2026\nlocality: 汉中市\nlevel: 市\nplenum: {a: 1}\n".encode(), 4, "「plenum」"),
}


@pytest.mark.parametrize("case", PARAMS)
def test_malformed_params_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    monkeypatch.chdir(tmp_path)
    data, line, message = PARAMS[case]
    params = tmp_path / "参数.yaml"
    params.write_bytes(data)
    before = snapshot(tmp_path)
    result = run("draft", "--params", str(params), "--bank", str(MINI_BANK), "-o", "稿.txt")
    assert_refused(result, message, where=params, line=line)
    assert snapshot(tmp_path) == before


def test_params_values_of_the_right_shape_are_used(tmp_path: Path) -> None:
    params = tmp_path / "参数.yaml"
    params.write_text(
        "year: '2025'\nlocality: 城固县\nlevel: 县\nprovince:\nspeaker: 张三\ntopics: 作风建设, 惩治腐败\n"
        f"bank: {MINI_BANK}\nbold_leads: false\n",
        encoding="utf-8",
    )
    out = tmp_path / "稿.txt"
    result = run("draft", "--params", str(params), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("在城固县人民政府") and "张三" in text
    assert "二十届中央纪委四次全会" in text  # year "2025" given as text


# A bank that covers only 2019–2020, only 县, only 作风建设 (the bundled bank left out).
NARROW = """\
entries:
- {id: heading-n001, role: heading, topics: [作风建设], levels: [县], years: 2019-2020, text: 从严正风肃纪，持之以恒纠治“四风”}
- {id: point-n001, role: point, topics: [作风建设], levels: [县], years: 2019-2020, text: 持之以恒纠正“四风”。要紧盯节点，严查违反中央八项规定精神问题。}
- {id: point-n002, role: point, topics: [作风建设], levels: [县], years: 2019-2020, text: 要在基层减负上持续发力。精简会议文件，切实为基层减负。}
"""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-y", "2026", "-l", "城固县", "--level", "县"], "适合 2026 年、县级的工作要点不足"),
        (["-y", "2019", "-l", "汉中市", "--level", "市"], "适合 2019 年、市级的工作要点不足"),
        (
            ["-y", "2019", "-l", "城固县", "--level", "县", "-t", "惩治腐败"],
            "没有适合 2019 年、县级的「惩治腐败」要点",
        ),
    ],
    ids=["no-entry-for-year", "no-entry-for-level", "no-entry-for-topic"],
)
def test_bank_without_entries_for_the_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    empty = tmp_path / "no-bundled-bank"
    empty.mkdir()
    monkeypatch.setattr("drafter.bank.load.bundled_bank_dir", lambda: empty)
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "narrow.yaml").write_text(NARROW, encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("draft", *args, "--bank", str(bank), "-o", str(tmp_path / "稿.txt"))
    assert_refused(result, message, "drafter mine")
    assert snapshot(tmp_path) == before


# --- parameters ---------------------------------------------------------------------------------------

BAD_VALUES = {
    "year-2017": (["-y", "2017"], 1, "年份 2017 超出支持范围"),
    "year-2031": (["-y", "2031"], 1, "年份 2031 超出支持范围"),
    "year-text": (["-y", "明年"], 2, "--year / -y 的值「明年」不是整数"),
    "level-empty": (["--level", ""], 1, "缺少 --level"),
    "level-province": (["--level", "省级"], 1, "市、县、区"),
    "points-0": (["--points", "0"], 1, "意见条数 0 无效"),
    "points-2": (["--points", "2"], 1, "3、4、5"),
    "points-6": (["--points", "6"], 1, "3、4、5"),
    "points-text": (["--points", "四"], 2, "不是整数"),
    "topics-repeated": (["-t", "作风建设,作风建设"], 1, "重复的主题"),
    "topics-too-many": (["-t", "作风建设,惩治腐败,权力监督,政治建设,担当落实"], 1, "个工作部分"),
    "topics-unknown": (["-t", "招商引资"], 1, "未知主题"),
    "length-0": (["--length", "0"], 1, "目标字数 0 超出范围"),
    "length-negative": (["--length", "-5"], 1, "目标字数 -5 超出范围"),
    "length-huge": (["--length", "99999999"], 1, "超出范围"),
    "length-text": (["--length", "一万"], 2, "--length 的值「一万」不是整数"),
    "seed-negative": (["--seed", "-1"], 1, "随机种子 -1 无效"),
    "seed-huge": (["--seed", str(2**64)], 1, "随机种子"),
    "seed-text": (["--seed", "lucky"], 2, "--seed 的值「lucky」不是整数"),
    "meeting-0": (["--meeting-no", "0"], 1, "会议届次 0 无效"),
    "meeting-100": (["--meeting-no", "100"], 1, "会议届次 100 无效"),
    "locality-latin": (["-l", "Hanzhong"], 1, "地名"),
    "font-bad": (["--font", "仿宋"], 1, "--font 写法不对"),
}


@pytest.mark.parametrize("case", BAD_VALUES)
def test_invalid_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    monkeypatch.chdir(tmp_path)
    args, code, message = BAD_VALUES[case]
    given = dict(zip(["-y", "-l", "--level"], ["2026", "汉中市", "市"], strict=True))
    rest: list[str] = []
    index = 0
    while index < len(args):  # the case's own -y / -l / --level replace the defaults
        if args[index] in given:
            given[args[index]] = args[index + 1]
        else:
            rest += args[index : index + 2]
        index += 2
    base = [item for key, value in given.items() for item in (key, value)]
    result = run("draft", *base, *rest, "--bank", str(MINI_BANK), "-o", "稿.txt")
    assert_refused(result, message, code=code)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "没有这个选项：--bogus"),
        (["draftt"], "没有这个命令：draftt"),
        (["draft", "--yaer", "2026"], "您是不是要用"),
        (["draft", "-y"], "选项 -y 后面缺少值"),
        (["draft", "extra"], "多余的参数：extra"),
        (["mine", "x.txt"], "缺少选项 --bank / -b"),
        (["lint"], "缺少参数 文件..."),
        (["bank", "list", "--limit", "0"], "超出允许的范围"),
        (["lint", "x.txt", "--year", "2026年"], "不是整数"),
    ],
)
def test_usage_errors_are_chinese_with_exit_code_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert_refused(result, message, "-h」查看用法", code=2)
    assert "Usage:" not in result.stderr and "Error:" not in result.stderr


# --- templates ----------------------------------------------------------------------------------------

HEADER = "{#- drafter: review=part1 -#}\n@title {{ title }}\n"
TEMPLATES = {
    "syntax": (HEADER + "{% for p in parts %}\n{{ p.topic }\n", 4, "模板语法错误"),
    "unclosed-block": (HEADER + "{% if year %}\n同志们\n", 4, "模板语法错误"),
    "undefined": (HEADER + "\n{{ no_such_name }}\n", 4, "未定义"),
    "undefined-attribute": (HEADER + "{{ review.nothing_here }}\n", 3, "未定义"),
    "mro": (HEADER + "{{ ''.__class__.__mro__ }}\n", 3, "不允许"),
    "attr-filter": (HEADER + "{{ ''|attr('__class__') }}\n", 3, "不允许"),
    "attr-concat": (HEADER + "{{ title|attr('__cla' ~ 'ss__') }}\n", 3, "不允许"),
    "str-format": (HEADER + "{{ '{0.__class__.__mro__}'.format(title) }}\n", 3, "不允许"),
    "format-map": (HEADER + "{{ '{x.__class__}'.format_map({'x': title}) }}\n", 3, "不允许"),
    "globals": (HEADER + "{{ cycler.__init__.__globals__ }}\n", 3, "不允许"),
    "self": (HEADER + "{{ self.__init__ }}\n", 3, "不允许"),
    "division-by-zero": (HEADER + "{{ 1 / 0 }}\n", 3, "模板渲染出错"),
    "huge-range": (HEADER + "{{ range(10**9)|list|length }}\n", 3, "模板渲染出错"),
    "recursion": (HEADER + "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n", 3, "模板渲染出错"),
    "include-outside": (HEADER + "{% include '../../../../etc/passwd' %}\n", 3, "模板渲染出错"),
    "bad-header": ("{#- drafter: review=later -#}\n@title {{ title }}\n", 1, "review=later"),
}


@pytest.mark.parametrize("case", TEMPLATES)
def test_bad_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    monkeypatch.chdir(tmp_path)
    body, line, message = TEMPLATES[case]
    folder = tmp_path / "模板"
    folder.mkdir()
    template = folder / "坏模板.j2"
    template.write_text(body, encoding="utf-8")
    before = snapshot(tmp_path)
    result = run(
        *DRAFT, "--bank", str(MINI_BANK), "--templates", str(folder), "--template", "坏模板", "-o", "稿.docx"
    )
    assert_refused(result, message, where=template, line=line)
    assert snapshot(tmp_path) == before


def test_template_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    template = folder / "旧.j2"
    template.write_bytes((HEADER + "同志们：\n").encode("gbk"))
    result = run(*DRAFT, "--bank", str(MINI_BANK), "--templates", str(folder), "-o", str(tmp_path / "稿.txt"))
    assert_refused(result, "UTF-8", where=template)
    assert not (tmp_path / "稿.txt").exists()


# --- output -------------------------------------------------------------------------------------------


def test_report_in_a_missing_folder_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "稿.docx"
    result = run(*DRAFT, "--bank", str(MINI_BANK), "-o", str(out), "--report", str(tmp_path / "无" / "r.md"))
    assert_refused(result, "输出文件夹不存在")
    assert list(tmp_path.iterdir()) == []


def test_existing_report_is_kept_and_the_draft_not_written(tmp_path: Path) -> None:
    report = tmp_path / "报告.md"
    report.write_text("我的批注", encoding="utf-8")
    out = tmp_path / "稿.docx"
    result = run(*DRAFT, "--bank", str(MINI_BANK), "-o", str(out), "--report", str(report))
    assert_refused(result, "文件已存在", "--force", where=report)
    assert snapshot(tmp_path) == {"报告.md": "我的批注".encode()}


def test_report_with_a_wrong_suffix(tmp_path: Path) -> None:
    result = run(
        *DRAFT, "--bank", str(MINI_BANK), "-o", str(tmp_path / "稿.txt"), "--report", str(tmp_path / "r.pdf")
    )
    assert_refused(result, ".md 或 .json", where=tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_for_real(tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run(*DRAFT, "--bank", str(MINI_BANK), "-o", str(folder / "稿.docx"))
        assert_refused(result, "没有写入权限", where=folder)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_read_only_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a user (not root) sees it: the permission check refuses before anything is composed."""
    folder = tmp_path / "只读"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        "drafter.fsutil.os.access", lambda p, mode: False if Path(p) == folder else real_access(p, mode)
    )
    result = run(*DRAFT, "--bank", str(MINI_BANK), "-o", str(folder / "稿.docx"))
    assert_refused(result, "没有写入权限", where=folder)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_folder_that_refuses_the_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """The folder passes the check but creating the temp file fails (a network share, a full disk)."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("drafter.fsutil.tempfile.mkstemp", refuse)
    result = run(*DRAFT, "--bank", str(MINI_BANK), "-o", str(tmp_path / f"稿.{fmt}"))
    assert_refused(result, "无法在目标文件夹中写入", where=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_while_writing_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "稿.docx"
    out.write_bytes(b"last week's draft")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("drafter.fsutil.os.fsync", full)
    result = run(*DRAFT, "--bank", str(MINI_BANK), "-o", str(out), "--force")
    assert_refused(result, "写入失败", where=out)
    assert snapshot(tmp_path) == {"稿.docx": b"last week's draft"}


# --- Ctrl-C -------------------------------------------------------------------------------------------


def test_ctrl_c_in_process_during_a_draft_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "稿.docx"
    out.write_bytes(b"keep me")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("drafter.fsutil.os.fsync", interrupted)
    result = run(*DRAFT, "--bank", str(MINI_BANK), "-o", str(out), "--force")
    assert result.exit_code == 130 and "已中断" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == {"稿.docx": b"keep me"}


HARNESS = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path

    ready, pause_at = Path(sys.argv[1]), int(sys.argv[2])
    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == pause_at:  # mid-write: the temp file holds part of the output
            ready.write_text("writing", encoding="utf-8")
            time.sleep(120)
        real_fsync(fd)

    os.fsync = fsync
    from drafter.cli import app

    sys.argv = ["drafter", *sys.argv[3:]]
    app()
    """
)


def _interrupt(
    tmp_path: Path, args: list[str], *, pause_at: int = 1, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run drafter in a real process, wait until it is in the middle of writing, send SIGINT."""
    harness = tmp_path.parent / f"{tmp_path.name}-harness.py"
    harness.write_text(HARNESS, encoding="utf-8")
    ready = tmp_path.parent / f"{tmp_path.name}-ready"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen(
        [sys.executable, str(harness), str(ready), str(pause_at), *args],
        cwd=cwd or tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                out, err = proc.communicate(timeout=30)
                pytest.fail(f"never reached the write: {proc.returncode}\n{out}\n{err}")
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGINT semantics")


def _assert_interrupted(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 130, (done.returncode, done.stderr)
    assert "已中断" in done.stderr and "Traceback" not in done.stderr


@posix_only
def test_ctrl_c_mid_write_of_a_new_draft(tmp_path: Path) -> None:
    done = _interrupt(tmp_path, [*DRAFT, "--bank", str(MINI_BANK), "-o", "稿.docx"])
    _assert_interrupted(done)
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_ctrl_c_mid_write_over_an_existing_draft(tmp_path: Path) -> None:
    (tmp_path / "稿.md").write_text("我改过的稿子", encoding="utf-8")
    done = _interrupt(tmp_path, [*DRAFT, "--bank", str(MINI_BANK), "-o", "稿.md", "--force"])
    _assert_interrupted(done)
    assert snapshot(tmp_path) == {"稿.md": "我改过的稿子".encode()}


@posix_only
def test_ctrl_c_mid_bank_edit(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "point.yaml").write_text(f"# 我的语料\nentries:\n{GOOD_ENTRY}", encoding="utf-8")
    before = snapshot(tmp_path)
    text = "要持续深化政府系统党风廉政建设，推动全面从严治党向纵深发展。"
    done = _interrupt(
        tmp_path,
        ["bank", "add", "--bank", str(bank), "--role", "point", "--topic", "主体责任", "--text", text],
    )
    _assert_interrupted(done)
    assert snapshot(tmp_path) == before


@posix_only
@pytest.mark.parametrize("pause_at", [1, 2])
def test_ctrl_c_mid_mine_leaves_the_bank_as_it_was(tmp_path: Path, pause_at: int) -> None:
    """Mining writes several files; an interrupt at the first or the second leaves all of them as they were."""
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "point.yaml").write_text(f"# 我的语料\nentries:\n{GOOD_ENTRY}", encoding="utf-8")
    speech = tmp_path / "讲话.txt"
    speech.write_text(TEXT, encoding="utf-8")
    before = snapshot(tmp_path)
    done = _interrupt(tmp_path, ["mine", str(speech), "--bank", str(bank)], pause_at=pause_at)
    _assert_interrupted(done)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["lint", "outline", "mine", "-o", "--bank", "--params"])
def test_a_path_the_system_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """A file name longer than the file system allows: the OS error becomes a message, not a traceback."""
    monkeypatch.chdir(tmp_path)
    name = "长" * 200 + (".docx" if command == "-o" else ".txt")  # 600+ bytes: ENAMETOOLONG
    if command in ("lint", "outline"):
        result = run(command, name)
    elif command == "mine":
        result = run("mine", name, "--bank", "bank")
    else:
        result = run(*DRAFT, command, name, *(["-o", "稿.docx"] if command != "-o" else []))
    assert_refused(result, "过长" if command != "--params" else "无法读取参数文件", where=name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["lint", "outline", "mine"])
def test_symbol_font_characters_in_a_speech(tmp_path: Path, command: str) -> None:
    """Private-use characters (symbol fonts; also what the miner uses for its own tokens) are no crash."""
    path = tmp_path / "讲话.txt"
    path.write_text(TEXT.replace("坚决查处", "坚决\ue101\ue100查处\uf0b7"), encoding="utf-8")
    extra = ["--bank", str(tmp_path / "bank")] if command == "mine" else []
    result = run(command, str(path), *extra)
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    if command == "mine":
        assert result.exit_code == 0, result.stderr
        texts = (tmp_path / "bank" / "point.yaml").read_text(encoding="utf-8")
        assert "坚决查处利益输送问题" in texts and "\ue101" not in texts
