"""`drafter bank export`: a bank as a 素材汇编 a reviewer reads in Word (or Markdown)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from drafter.bank.load import load_bank_dir
from drafter.cli import app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BUNDLED = Path(__file__).resolve().parent.parent / "phrasebank"
runner = CliRunner()


@pytest.fixture(scope="module")
def mined_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bank = tmp_path_factory.mktemp("fresh") / "bank"
    result = runner.invoke(app, ["mine", str(SEEDS / "003_c1f2ed010dd07385.txt"), "--bank", str(bank)])
    assert result.exit_code == 0, result.stderr
    return bank


def test_export_docx_reads_as_a_material_collection(mined_bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "素材汇编.docx"
    result = runner.invoke(app, ["bank", "export", "-o", str(out), "--bank", str(mined_bank)])
    assert result.exit_code == 0, result.stderr
    entries = {e.id: e for e in load_bank_dir(mined_bank)[0]}
    assert f"已导出 {len(entries)} 条" in result.stdout
    doc = Document(str(out))
    paragraphs = [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs]
    texts = [t for _, t in paragraphs]
    assert texts[0] == "bank素材汇编"
    assert texts[1].startswith(f"共 {len(entries)} 条；待审（标有提示）")
    guide = next(t for t in texts[2:5] if t)  # the byline may be followed by a blank line
    assert guide.startswith("说明：") and "drafter bank review" in guide
    headings1 = [t for s, t in paragraphs if s == "Heading 1"]
    assert "要点段落（point）" in headings1 and headings1.index("开场（opening）") < headings1.index(
        "结尾（closing）"
    )
    assert any(s == "Heading 2" and t == "放管服改革" for s, t in paragraphs)
    for entry in entries.values():
        meta = next(t for t in texts if t.startswith(entry.id + "　"))
        assert f"出处：{entry.source[0]}" in meta and "年份：" in meta and "层级：" in meta
        assert entry.text in texts
    flagged = next(e for e in entries.values() if "“三本账”" in e.text)
    at = texts.index(next(t for t in texts if t.startswith(flagged.id + "　")))
    assert texts[at + 1].startswith("【提示】") and "本地：“三本账”" in texts[at + 1]
    assert texts[at + 2] == flagged.text
    body = next(p for p in doc.paragraphs if p.text == flagged.text)
    assert body.style is not None and body.style.name == "Normal"  # the draft's 仿宋 body style
    normal = doc.styles["Normal"].element.rPr
    assert normal is not None and normal.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.sections[0].page_width is not None and round(doc.sections[0].page_width.mm) == 210  # A4


def test_export_markdown_and_safety(mined_bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇编.md"
    assert runner.invoke(app, ["bank", "export", "-o", str(out)]).exit_code == 0  # the bundled bank
    text = out.read_text(encoding="utf-8")
    assert (
        text.startswith("# 内置语料库素材汇编") and "## 要点段落（point）" in text and "### 作风建设" in text
    )
    bundled = [e for e in load_bank_dir(BUNDLED)[0] if not e.rejected]
    assert all(f"**{e.id}　" in text for e in bundled)
    rejected = [e for e in load_bank_dir(BUNDLED)[0] if e.rejected]
    assert rejected and not any(f"**{e.id}　" in text for e in rejected)

    result = runner.invoke(app, ["bank", "export", "-o", str(out)])
    assert result.exit_code == 1 and "文件已存在" in result.stderr  # never overwritten without --force
    assert out.read_text(encoding="utf-8") == text
    assert runner.invoke(app, ["bank", "export", "-o", str(out), "--all", "-f"]).exit_code == 0
    assert all(f"**{e.id}　" in out.read_text(encoding="utf-8") for e in rejected)
    result = runner.invoke(app, ["bank", "export", "-o", str(tmp_path / "汇编.pdf")])
    assert result.exit_code == 1 and ".docx 或 .md" in result.stderr
    result = runner.invoke(app, ["bank", "export", "-o", str(tmp_path / "无此文件夹" / "a.docx")])
    assert result.exit_code == 1 and "输出文件夹不存在" in result.stderr
