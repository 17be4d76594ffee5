"""Reading speeches: encodings detected (not assumed), .docx with Word's automatic numbering, and a
clear message naming the file for anything unreadable — while `drafter mine` goes on with the rest."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from speechdocs import SPEECH, speech_docx, write_docx
from typer.testing import CliRunner

from drafter.cli import app
from drafter.errors import SourceError
from drafter.read.sources import read_source

runner = CliRunner()
TEXT = "\n".join(SPEECH)


@pytest.mark.parametrize(
    ("encoding", "data", "detected"),
    [
        ("utf-8", TEXT.encode("utf-8"), "utf-8"),
        ("utf-8-sig", TEXT.encode("utf-8-sig"), "utf-8-sig"),
        ("gbk", TEXT.encode("gbk"), "gb18030"),
        ("gb18030", TEXT.encode("gb18030"), "gb18030"),
        ("utf-16", TEXT.encode("utf-16"), "utf-16"),
        ("utf-16-be-bom", b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_text_encodings_are_detected(tmp_path: Path, encoding: str, data: bytes, detected: str) -> None:
    path = tmp_path / f"speech-{encoding}.txt"
    path.write_bytes(data)
    source = read_source(path)
    assert source.encoding == detected
    assert [line.text for line in source.lines] == SPEECH
    assert [line.number for line in source.lines] == list(range(1, len(SPEECH) + 1))


def test_crlf_and_blank_lines_keep_file_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("\r\n\r\n".join(SPEECH).encode("gbk"))
    source = read_source(path)
    assert source.lines[0].number == 1 and source.lines[1].number == 3
    assert source.lines[-1].text == SPEECH[-1]


def test_docx_automatic_numbering_is_put_back(tmp_path: Path) -> None:
    path = speech_docx(tmp_path / "speech.docx")
    assert "一、" not in "".join(p.text for p in Document(str(path)).paragraphs)  # not in the runs
    texts = [line.text for line in read_source(path).lines]
    assert texts == SPEECH


def test_docx_numbering_through_a_based_on_style(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "styled.docx",
        [
            ("同志们：", None),
            ("要以更高的站位，深化认识", "styled"),
            ("正文一。", None),
            ("要以更实的举措，强化监督", "styled"),
        ],
    )
    texts = [line.text for line in read_source(path, clean=False).lines]
    assert texts == [
        "同志们：",
        "第一，要以更高的站位，深化认识",
        "正文一。",
        "第二，要以更实的举措，强化监督",
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "不支持旧版 Word"),
        ("empty.txt", b"", "文件是空的"),
        ("blank.txt", b" \n\n \n", "文件是空的"),
        ("binary.txt", bytes(range(256)) * 8, "二进制文件"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "不是有效的 .docx"),
    ],
)
def test_unreadable_files_name_the_file(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert message in caught.value.message
    assert caught.value.path == path


def test_docx_without_body_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nobody.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(SourceError, match="缺少正文"):
        read_source(path)


def test_mine_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(TEXT.encode("gbk"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "broken.docx").write_bytes(b"PK garbage")
    (folder / ".hidden.txt").write_bytes(b"\xff\xfe\x00")  # passed over silently
    bank = tmp_path / "bank"
    result = runner.invoke(app, ["mine", str(folder), "--bank", str(bank)])
    assert result.exit_code == 0, result.output
    for name in ("empty.txt", "scan.pdf", "broken.docx"):
        assert name in result.stderr
    assert ".hidden.txt" not in result.stderr
    assert "错误：" in result.stderr
    assert "读取讲话稿 1 篇，3 个未能读取" in result.stdout
    assert (bank / "point.yaml").is_file()


def test_mine_with_nothing_readable_fails(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(
        app,
        [
            "mine",
            str(tmp_path / "empty.txt"),
            str(tmp_path / "missing.txt"),
            "--bank",
            str(tmp_path / "bank"),
        ],
    )
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "empty.txt" in result.stderr
    assert "没有读到任何讲话稿" in result.stderr
    assert not (tmp_path / "bank").exists()
