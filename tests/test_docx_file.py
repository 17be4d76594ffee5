"""Issue 16: a draft's .docx is python-docx's default package (built once, cached per font set) with the
body and core properties spliced in. Every part must be byte for byte what python-docx saves itself."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from conftest import probe
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

import drafter.export.docx_file as docx_file
from drafter.export.docx_file import build_docx
from drafter.export.layout import FontConfig, Paragraph, clean_text
from drafter.export.word import build_package


@pytest.fixture(autouse=True)
def _fresh_process_packages() -> None:
    """Each test starts as a new process would: no package in memory (the cache is under its own HOME)."""
    docx_file._packages.clear()


NOW = dt.datetime(2026, 11, 27, 9, 30, 5)
KINDS = ["title", "byline", "salutation", "heading1", "heading2", "heading3", "body", "closing"]


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _same_as_python_docx(paragraphs: list[Paragraph], fonts: FontConfig, bold: bool, title: str) -> None:
    ours = build_docx(paragraphs, fonts=fonts, bold_leads=bold, title=title, now=NOW)
    theirs = build_package(paragraphs, fonts=fonts, bold_leads=bold, title=title, now=NOW)
    assert _members(ours) == _members(theirs)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            st.text(alphabet=st.sampled_from(list("一是要全市【X】 \t\u3000&<>\"'；。\n")) | st.characters()),
            st.integers(0, 4),
        ),
        max_size=6,
    ),
    st.booleans(),
    st.text(alphabet=st.sampled_from(list("汉中市&<>\"' 讲话【】\n")) | st.characters(), max_size=300),
)
def test_every_part_is_what_python_docx_saves(
    given_paragraphs: list[tuple[str, str, int]], bold: bool, title: str
) -> None:
    paragraphs = [Paragraph(k, t, t[:n]) for k, raw, n in given_paragraphs for t in [clean_text(raw)]]
    _same_as_python_docx(paragraphs, FontConfig(), bold, clean_text(title))


def test_other_fonts_get_their_own_package() -> None:
    paragraphs = [
        Paragraph("title", "关于加强廉政建设的讲话", ""),
        Paragraph("body", "一是压实责任。", "一是"),
    ]
    for fonts in (FontConfig(), FontConfig(body="宋体", latin="Times New Roman"), FontConfig(title="黑体")):
        _same_as_python_docx(paragraphs, fonts, True, "讲话")
    assert len(_cache_files()) == 3


def test_text_xml_cannot_carry_goes_through_python_docx() -> None:
    """Not cleaned (a caller's own paragraphs): the same outcome as python-docx, error or file."""
    for text in ("控制字符\x01在此", "回车\r换行"):
        paragraphs = [Paragraph("body", text, "")]
        outcomes = []
        for build in (build_docx, build_package):
            try:
                outcomes.append(_members(build(paragraphs, fonts=FontConfig(), now=NOW)))
            except Exception as e:  # noqa: BLE001  (whatever python-docx/lxml raise, both raise it)
                outcomes.append(type(e).__name__)
        assert outcomes[0] == outcomes[1]


def _cache_files() -> list[Path]:
    home = Path(os.environ["HOME"])
    return sorted((home / ".cache" / "drafter" / "docx").glob("*.docx"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other key", "reshaped"])
def test_a_damaged_cached_package_is_built_again(damage: str) -> None:
    paragraphs = [Paragraph("salutation", "同志们：", ""), Paragraph("body", "一要落实责任。", "一要")]
    expected = _members(build_package(paragraphs, fonts=FontConfig(), now=NOW))
    docx_file._packages.clear()
    assert _members(build_docx(paragraphs, fonts=FontConfig(), now=NOW)) == expected
    [cached] = _cache_files()
    data = cached.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.comment  # the key
        assert b"<w:body><w:sectPr" in archive.read("word/document.xml")  # an empty body
    if damage == "garbage":
        cached.write_bytes(b"not a zip")
    elif damage == "truncated":
        cached.write_bytes(data[: len(data) // 2])
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                part = src.read(info)
                if damage == "reshaped" and info.filename == "word/document.xml":
                    part = part.replace(b"<w:body>", b"<w:body><w:p/>")
                dst.writestr(info, part)
            dst.comment = b"another key" if damage == "other key" else src.comment
        cached.write_bytes(out.getvalue())
    docx_file._packages.clear()
    assert _members(build_docx(paragraphs, fonts=FontConfig(), now=NOW)) == expected
    assert _members(build_docx(paragraphs, fonts=FontConfig(), now=NOW)) == expected
    with zipfile.ZipFile(cached) as archive:  # written anew
        assert archive.testzip() is None and b"<w:p/>" not in archive.read("word/document.xml")


def test_no_cache_writes_nothing_and_gives_the_same_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    docx_file._packages.clear()
    paragraphs = [Paragraph("body", "全面从严治党。", "")]
    ours = build_docx(paragraphs, fonts=FontConfig(), now=NOW)
    assert _cache_files() == []
    assert _members(ours) == _members(build_package(paragraphs, fonts=FontConfig(), now=NOW))


def test_a_warm_draft_imports_neither_python_docx_nor_lxml(tmp_path: Path) -> None:
    args = ("draft", "-y", "2026", "-l", "汉中市", "--level", "市", "--force")
    first, modules = probe(*args, "-o", str(tmp_path / "一.docx"))
    assert first.returncode == 0, first.stderr
    assert "docx" in modules  # the package is built once
    second, modules = probe(*args, "--seed", "7", "-o", str(tmp_path / "二.docx"))
    assert second.returncode == 0, second.stderr
    assert not {m for m in modules if m.split(".")[0] in ("docx", "lxml")}
    doc = Document(str(tmp_path / "二.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "同志们：" in text and "汉中市" in text
    assert doc.core_properties.title.startswith("在汉中市") and doc.core_properties.created.year >= 2026
    assert doc.sections[0].page_height.mm == pytest.approx(297, abs=0.1)  # the package's page setup
    assert [s.name for s in doc.styles if s.name == "Title"] == ["Title"]
