"""Export, rendered: LibreOffice turns a generated .docx into a PDF; pages, text, page numbers, grid.

Skipped, with the reason shown by ``pytest -ra``, where ``soffice`` or ``pdftotext`` is missing.
Fonts: tests/data/fonts.conf maps the 公文 font names to the free Noto CJK / AR PL fonts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import load_sample
from typer.testing import CliRunner

from drafter.cli import app
from drafter.export.write import write_draft
from drafter.models import Draft

DATA = Path(__file__).parent / "data"
MM = 72 / 25.4  # PDF points per millimetre

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装：跳过渲染测试"),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="poppler-utils（pdftotext）未安装：跳过渲染测试"
    ),
]


def cjk_fonts_present() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


def render_pdf(docx: Path, workdir: Path) -> Path:
    """soffice --headless --convert-to pdf with a private profile (parallel runs do not collide)."""
    env = dict(os.environ, FONTCONFIG_FILE=str(DATA / "fonts.conf"), HOME=str(workdir))
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    pdf = workdir / (docx.stem + ".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stderr + done.stdout
    return pdf


@dataclass(frozen=True)
class Line:
    text: str
    x0: float  # mm from the page's left edge
    y0: float  # mm from the page's top edge
    x1: float
    y1: float


def pdf_lines(pdf: Path) -> list[list[Line]]:
    """Text lines per page with their boxes, from pdftotext -bbox-layout."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        lines = []
        for x0, y0, x1, y1, body in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S
        ):
            text = "".join(re.findall(r">([^<]*)</word>", body))
            lines.append(Line(text, float(x0) / MM, float(y0) / MM, float(x1) / MM, float(y1) / MM))
        pages.append(lines)
    return pages


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else len(pdf_lines(pdf))


PAGE_NUMBER = re.compile(r"—\s*(\d+)\s*—")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Draft, Path]:
    workdir = tmp_path_factory.mktemp("render")
    draft = load_sample()
    docx = write_draft(draft, workdir / "sample.docx", bold_leads=True)
    return draft, render_pdf(docx, workdir)


def test_page_count_is_sane(rendered: tuple[Draft, Path]) -> None:
    draft, pdf = rendered
    chars = sum(len(b.text) for b in draft.blocks)
    # 22 x 28 = 616 characters a page at most; short paragraphs and headings waste some
    assert chars / 616 <= page_count(pdf) <= chars / 616 * 1.6 + 1


def test_body_text_is_all_there(rendered: tuple[Draft, Path]) -> None:
    draft, pdf = rendered
    text = "".join(
        line.text for page in pdf_lines(pdf) for line in page if not PAGE_NUMBER.fullmatch(line.text)
    )
    for block in draft.blocks:
        assert re.sub(r"\s", "", block.text) in text, block.text[:30]


def test_page_numbers_odd_right_even_left_7mm_below_text(rendered: tuple[Draft, Path]) -> None:
    _, pdf = rendered
    pages = pdf_lines(pdf)
    assert len(pages) >= 2
    for number, lines in enumerate(pages, start=1):
        marks = [line for line in lines if PAGE_NUMBER.fullmatch(line.text)]
        assert len(marks) == 1, (number, [m.text for m in marks])
        mark = marks[0]
        assert PAGE_NUMBER.fullmatch(mark.text).group(1) == str(number)  # type: ignore[union-attr]
        if number % 2:  # odd: right, one character (4.9 mm) in from the text block's right edge
            assert 210 - 26 - mark.x1 == pytest.approx(4.9, abs=1.5)
        else:  # even: left
            assert mark.x0 - 28 == pytest.approx(4.9, abs=1.5)
        assert mark.y0 - (297 - 35) == pytest.approx(7, abs=2)
    assert PAGE_NUMBER.fullmatch(next(t.text for t in pages[1] if PAGE_NUMBER.fullmatch(t.text)))


@pytest.mark.skipif(not cjk_fonts_present(), reason="没有中文字体（fonts-noto-cjk）：跳过行数、字数检查")
def test_full_pages_have_22_lines_of_28_characters(rendered: tuple[Draft, Path]) -> None:
    _, pdf = rendered
    pages = pdf_lines(pdf)
    body = [line for line in pages[1] if not PAGE_NUMBER.fullmatch(line.text)]
    assert len(body) == 22
    pitches = [b.y0 - a.y0 for a, b in zip(body, body[1:], strict=False)]
    # glyph boxes differ a little between faces (楷体 sits lower): the mean pitch is exact
    assert all(p * MM == pytest.approx(28.95, abs=1.0) for p in pitches)
    assert sum(pitches) / len(pitches) * MM == pytest.approx(28.95, abs=0.1)
    # a full line: 28 characters (ASCII digits count half) plus at most one hanging punctuation mark
    lines = [line for page in pages for line in page if not PAGE_NUMBER.fullmatch(line.text)]
    full = [line for line in lines if line.x0 < 29 and line.x1 > 183]
    assert len(full) >= 10

    def width(text: str) -> float:
        return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)

    counts = [width(line.text.rstrip("，。、；：”）！？")) for line in full]
    # 28 fit; fewer where a line holds half-width digits or 避头尾 pushed a character down
    assert max(counts) == 28 and sum(c >= 27 for c in counts) >= 0.6 * len(full), counts
    assert all(line.x0 == pytest.approx(28, abs=0.5) for line in full)


def test_first_page_layout(rendered: tuple[Draft, Path]) -> None:
    _, pdf = rendered
    first = pdf_lines(pdf)[0]
    assert [line.text for line in first[:2]] == ["在汉中市人民政府", "第三次廉政工作会议上的讲话"]
    for line in first[:4]:  # title and byline centred on the 156 mm text block
        assert (line.x0 + line.x1) / 2 == pytest.approx(28 + 156 / 2, abs=2)
    assert first[2].text.replace(" ", "") == "汉中市人民政府市长【姓名】"
    salutation = next(line for line in first if line.text == "同志们：")
    assert salutation.x0 == pytest.approx(28, abs=0.5)  # flush left
    # a blank line between the date line and 同志们：
    assert (salutation.y0 - first[3].y0) * MM == pytest.approx(2 * 28.95, abs=1)
    body = first[first.index(salutation) + 1]
    assert body.x0 - 28 == pytest.approx(2 * 16 / MM, abs=1)  # 2-character first-line indent


def test_the_2026_hanzhong_draft_from_the_cli(tmp_path: Path) -> None:
    """The issue's acceptance draft: drafter draft --year 2026 --locality 汉中市 --level 市."""
    args = ["draft", "--year", "2026", "--locality", "汉中市", "--level", "市", "--seed", "7", "--bold-leads"]
    args += ["--bank", str(DATA / "compose_bank")]
    runner = CliRunner()
    for name in ("draft.docx", "draft.txt"):
        result = runner.invoke(app, [*args, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    paragraphs = (tmp_path / "draft.txt").read_text(encoding="utf-8").splitlines()
    assert paragraphs[0] == "在汉中市人民政府廉政工作会议上的讲话"  # no ordinal given: none in the title
    pdf = render_pdf(tmp_path / "draft.docx", tmp_path)
    pages = pdf_lines(pdf)
    assert 1 <= len(pages) <= 40
    text = "".join(line.text for page in pages for line in page if not PAGE_NUMBER.fullmatch(line.text))
    for paragraph in paragraphs:
        assert re.sub(r"\s", "", paragraph) in text, paragraph[:30]
    first = pages[0]
    assert first[0].text == paragraphs[0]
    assert (first[0].x0 + first[0].x1) / 2 == pytest.approx(28 + 156 / 2, abs=2)
    assert first[1].text.replace(" ", "") == paragraphs[1].replace("\u3000", "")
    if len(pages) > 1:
        mark = next(line for line in pages[1] if PAGE_NUMBER.fullmatch(line.text))
        assert PAGE_NUMBER.fullmatch(mark.text).group(1) == "2" and mark.x1 < 105  # type: ignore[union-attr]
