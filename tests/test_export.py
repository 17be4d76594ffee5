"""Export: every layout property read back from the XML of a generated .docx; md/txt previews."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import mammoth
import pytest
from conftest import load_sample
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from drafter.errors import ExportError
from drafter.export.layout import FontConfig, break_title
from drafter.export.write import format_for_path, render_text, write_draft
from drafter.facts.vocab import PLACEHOLDER_RE
from drafter.models import Block, Draft
from drafter.read.sources import read_source

DATA = Path(__file__).parent / "data"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


SAMPLE = load_sample()


class Package:
    """The XML parts of a written .docx."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.names = set(archive.namelist())
            self.raw = {n: archive.read(n) for n in self.names}
        self.document = etree.fromstring(self.raw["word/document.xml"])
        self.styles = etree.fromstring(self.raw["word/styles.xml"])
        self.settings = etree.fromstring(self.raw["word/settings.xml"])

    def part(self, name: str) -> etree._Element:
        return etree.fromstring(self.raw[name])

    def style(self, style_id: str) -> etree._Element:
        found = self.styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        assert found is not None, style_id
        return found

    def paragraphs(self) -> list[tuple[str, str]]:
        """(styleId, text) per body paragraph; a w:br counts as a line break."""
        result = []
        for p in self.document.find("w:body", NS).findall("w:p", NS):
            style = p.find("w:pPr/w:pStyle", NS)
            parts = []
            for node in p.iter(q("t"), q("br")):
                parts.append("\n" if node.tag == q("br") else node.text or "")
            result.append((style.get(q("val")) if style is not None else "", "".join(parts)))
        return result

    def runs(self) -> list[etree._Element]:
        return list(self.document.iter(q("r")))


def attr(element: etree._Element | None, path: str, name: str) -> str | None:
    assert element is not None
    found = element.find(path, NS)
    return None if found is None else found.get(q(name))


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "讲话.docx"
    write_draft(SAMPLE, path, bold_leads=True)
    return path


@pytest.fixture(scope="module")
def pkg(sample_docx: Path) -> Package:
    return Package(sample_docx)


# --- page ---------------------------------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins_and_a_22_line_grid(pkg: Package) -> None:
    sect = pkg.document.find("w:body/w:sectPr", NS)
    assert attr(sect, "w:pgSz", "w") == "11906" and attr(sect, "w:pgSz", "h") == "16838"
    mm = {k: int(attr(sect, "w:pgMar", k) or 0) / 56.6929 for k in ("top", "bottom", "left", "right")}
    assert mm == pytest.approx({"top": 37, "bottom": 35, "left": 28, "right": 26}, abs=0.05)
    assert attr(sect, "w:docGrid", "type") == "lines"
    pitch = int(attr(sect, "w:docGrid", "linePitch") or 0)
    text_height = 16838 - int(attr(sect, "w:pgMar", "top") or 0) - int(attr(sect, "w:pgMar", "bottom") or 0)
    assert text_height // pitch == 22 and pitch / 20 == pytest.approx(28.95, abs=0.05)


def test_body_style_fits_28_characters_and_22_lines(pkg: Package) -> None:
    normal = pkg.style("Normal")
    assert normal.get(q("default")) == "1"
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert spacing.get(q("lineRule")) == "exact" and spacing.get(q("line")) == "579"
    assert spacing.get(q("before")) == "0" and spacing.get(q("after")) == "0"
    assert attr(normal, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(normal, "w:pPr/w:ind", "firstLine") == "640"  # 2 x 16 pt fallback
    assert attr(normal, "w:pPr/w:jc", "val") == "both"
    assert attr(normal, "w:pPr/w:widowControl", "val") == "0"
    assert attr(normal, "w:rPr/w:sz", "val") == "32" and attr(normal, "w:rPr/w:szCs", "val") == "32"
    advance = 320 + int(attr(normal, "w:rPr/w:spacing", "val") or 0)  # twips per 三号 character
    sect = pkg.document.find("w:body/w:sectPr", NS)
    width = 11906 - int(attr(sect, "w:pgMar", "left") or 0) - int(attr(sect, "w:pgMar", "right") or 0)
    assert width / 56.6929 == pytest.approx(156, abs=0.05)
    assert width // advance == 28


def test_fonts_fill_every_slot_without_theme_fonts(pkg: Package) -> None:
    expected = {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Subtitle": "楷体_GB2312",
        "Salutation": "仿宋_GB2312",
        "Heading1": "黑体",
        "Heading2": "楷体_GB2312",
        "Heading3": "仿宋_GB2312",
    }
    for style_id, font in expected.items():
        fonts = pkg.style(style_id).find("w:rPr/w:rFonts", NS)
        assert fonts is not None, style_id
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(q(slot)) == font, (style_id, slot)
        assert fonts.get(q("hint")) == "eastAsia"
        assert attr(pkg.style(style_id), "w:rPr/w:lang", "eastAsia") == "zh-CN"
    defaults = pkg.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attr(defaults, "w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(defaults, "w:rFonts", "ascii") == "仿宋_GB2312"
    assert attr(defaults, "w:lang", "val") == "zh-CN" and attr(defaults, "w:sz", "val") == "32"
    for name in ("word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        assert b"Theme=" not in pkg.raw[name] and b"cstheme" not in pkg.raw[name], name
    assert "word/stylesWithEffects.xml" not in pkg.names and "docProps/thumbnail.jpeg" not in pkg.names
    # every run in the body asks for the East Asian font for ambiguous “ ” …… —
    assert all(attr(r, "w:rPr/w:rFonts", "hint") == "eastAsia" for r in pkg.runs())
    lang = pkg.settings.find("w:themeFontLang", NS)
    assert lang is not None and lang.get(q("eastAsia")) == "zh-CN"
    mode = pkg.settings.find("w:compat/w:compatSetting[@w:name='compatibilityMode']", NS)
    assert mode is not None and mode.get(q("val")) == "15"


def test_font_table_declares_gb2312_fonts_with_windows_alternatives(pkg: Package) -> None:
    table = pkg.part("word/fontTable.xml")
    fangsong = table.find("w:font[@w:name='仿宋_GB2312']", NS)
    assert attr(fangsong, "w:altName", "val") == "仿宋"
    assert attr(fangsong, "w:charset", "val") == "86"
    assert table.find("w:font[@w:name='方正小标宋简体']", NS) is not None


def test_title_byline_and_salutation(pkg: Package) -> None:
    title = pkg.style("Title")
    assert attr(title, "w:rPr/w:sz", "val") == "44"  # 二号
    assert attr(title, "w:pPr/w:jc", "val") == "center"
    assert attr(title, "w:pPr/w:ind", "firstLineChars") == "0"
    assert attr(title, "w:rPr/w:b", "val") == "0"
    byline = pkg.style("Subtitle")
    assert attr(byline, "w:pPr/w:jc", "val") == "center" and attr(byline, "w:rPr/w:i", "val") == "0"
    salutation = pkg.style("Salutation")
    assert attr(salutation, "w:pPr/w:jc", "val") == "left"
    assert attr(salutation, "w:pPr/w:ind", "firstLine") == "0"
    paras = pkg.paragraphs()
    assert paras[:5] == [
        ("Title", "在汉中市人民政府\n第三次廉政工作会议上的讲话"),
        ("Subtitle", "汉中市人民政府市长　【姓名】"),
        ("Subtitle", "（2026年【X】月【X】日）"),
        ("Normal", ""),  # the blank line
        ("Salutation", "同志们："),
    ]


def test_heading_styles(pkg: Package) -> None:
    for n in (1, 2, 3):
        style = pkg.style(f"Heading{n}")
        assert attr(style, "w:name", "val") == f"heading {n}"
        assert attr(style, "w:pPr/w:outlineLvl", "val") == str(n - 1)
        assert attr(style, "w:basedOn", "val") == "Normal"
        assert style.find("w:pPr/w:keepNext", NS) is not None
        assert attr(style, "w:rPr/w:b", "val") == "0"
        assert style.find("w:rPr/w:color", NS) is None


def test_every_block_becomes_one_paragraph_in_its_style(pkg: Package) -> None:
    style_of = {
        "heading1": "Heading1",
        "heading2": "Heading2",
        "heading3": "Heading3",
        "body": "Normal",
        "closing": "Normal",
    }
    expected = [(style_of[b.kind], b.text) for b in SAMPLE.blocks if b.kind in style_of]
    assert pkg.paragraphs()[5:] == expected


def test_bold_lead_ins(pkg: Package, tmp_path: Path) -> None:
    bold = ["".join(r.itertext()) for r in pkg.runs() if r.find("w:rPr/w:b", NS) is not None]
    leads = [b.lead for b in SAMPLE.blocks if b.lead]
    assert bold == leads and len(leads) == 3
    assert all(
        r.find("w:rPr/w:bCs", NS) is not None for r in pkg.runs() if r.find("w:rPr/w:b", NS) is not None
    )
    plain = tmp_path / "plain.docx"
    write_draft(SAMPLE, plain)
    assert not [r for r in Package(plain).runs() if r.find("w:rPr/w:b", NS) is not None]


def test_placeholders_are_highlighted_yellow_and_nothing_else(pkg: Package) -> None:
    marked = [r for r in pkg.runs() if r.find("w:rPr/w:highlight", NS) is not None]
    assert {attr(r, "w:rPr/w:highlight", "val") for r in marked} == {"yellow"}
    marked_text = ["".join(r.itertext()) for r in marked]
    assert all(PLACEHOLDER_RE.fullmatch(t) for t in marked_text)
    expected = [m.group() for b in SAMPLE.blocks for m in PLACEHOLDER_RE.finditer(b.text)]
    assert marked_text == expected and len(expected) >= 6
    # highlighted text keeps the style's colour (readable): no colour anywhere in runs
    assert not list(pkg.document.iter(q("color")))


def test_page_numbers_odd_right_even_left(pkg: Package) -> None:
    assert pkg.settings.find("w:evenAndOddHeaders", NS) is not None
    sect = pkg.document.find("w:body/w:sectPr", NS)
    rels = etree.fromstring(pkg.raw["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = {
        f.get(q("type")): targets[
            f.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        ]
        for f in sect.findall("w:footerReference", NS)
    }
    assert set(refs) == {"default", "even"}
    for kind, side, jc in (("default", "right", "right"), ("even", "left", "left")):
        footer = pkg.part("word/" + refs[kind])
        p = footer.find("w:p", NS)
        assert attr(p, "w:pPr/w:jc", "val") == jc
        assert attr(p, "w:pPr/w:ind", side) == "280"  # one 四号 character in from the edge
        instr = "".join(t.text for t in footer.iter(q("instrText")))
        assert instr.strip() == "PAGE"
        assert [f.get(q("fldCharType")) for f in footer.iter(q("fldChar"))] == ["begin", "separate", "end"]
        text = "".join(t.text for t in footer.iter(q("t")))
        assert re.fullmatch(r"— \d —", text)
        for run in footer.iter(q("r")):
            assert attr(run, "w:rPr/w:rFonts", "eastAsia") == "宋体"
            assert attr(run, "w:rPr/w:rFonts", "ascii") == "宋体"
            assert attr(run, "w:rPr/w:sz", "val") == "28"  # 四号
    # about 7 mm below the text block: footer distance + the 16 pt line = 35 mm - 7 mm
    footer_mm = int(attr(sect, "w:pgMar", "footer") or 0) / 56.6929
    assert footer_mm + 16 / 72 * 25.4 == pytest.approx(35 - 7, abs=0.5)


def test_core_properties(sample_docx: Path) -> None:
    props = docx.Document(str(sample_docx)).core_properties
    assert props.title == SAMPLE.title
    assert props.language == "zh-CN"
    assert props.author == "" and "python-docx" not in (props.comments or "")


# --- options --------------------------------------------------------------------------------------


def test_font_config_from_mapping_and_latin_slot(tmp_path: Path) -> None:
    fonts = FontConfig.from_mapping({"正文": "仿宋", "heading1": "方正黑体_GBK", "西文": "Times New Roman"})
    assert fonts.body == "仿宋" and fonts.heading1 == "方正黑体_GBK" and fonts.title == "方正小标宋简体"
    path = tmp_path / "fonts.docx"
    write_draft(SAMPLE, path, fonts=fonts)
    pkg = Package(path)
    normal = pkg.style("Normal").find("w:rPr/w:rFonts", NS)
    assert normal.get(q("eastAsia")) == "仿宋" and normal.get(q("ascii")) == "Times New Roman"
    assert normal.get(q("hAnsi")) == "Times New Roman"
    assert attr(pkg.style("Heading1"), "w:rPr/w:rFonts", "eastAsia") == "方正黑体_GBK"


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"body_font": "仿宋"}, "未知的字体项"),
        ({"正文": "  "}, "字体名无效"),
        ({"title": "a\x00b"}, "字体名无效"),
    ],
)
def test_font_config_rejects_bad_items(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(ExportError, match=message) as info:
        FontConfig.from_mapping(mapping, path=Path("params.yaml"))
    assert info.value.path == Path("params.yaml") and info.value.hint


def test_refuses_existing_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(b"keep me")
    with pytest.raises(ExportError, match="已存在"):
        write_draft(SAMPLE, path)
    assert path.read_bytes() == b"keep me"
    write_draft(SAMPLE, path, force=True)
    assert zipfile.is_zipfile(path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]  # no temp file left


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [("a.md", "docx", "不一致"), ("a.docx", "pdf", "不支持的输出格式"), ("a.txt", "md", "不一致")],
)
def test_format_errors(tmp_path: Path, name: str, fmt: str, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        write_draft(SAMPLE, tmp_path / name, fmt=fmt)
    assert not list(tmp_path.iterdir())


def test_format_for_path() -> None:
    assert format_for_path(Path("x.DOCX")) == "docx" and format_for_path(Path("x.md")) == "md"
    assert format_for_path(Path("x.txt")) == "txt" and format_for_path(Path("x.out")) is None


def test_control_characters_never_reach_the_xml(tmp_path: Path) -> None:
    dirty = Draft(
        title="在\x00汉中市\x1b廉政工作会议上的讲话",
        blocks=(
            Block("body", "第一行\x07文字\ufffe。\r\n第二行\x0b第三行\u2028第四行"),
            Block("heading1", "一、\x08标题\x7f"),
        ),
        year=2026,
        locality="汉中市",
        level="市",
    )
    path = tmp_path / "dirty.docx"
    write_draft(dirty, path)
    pkg = Package(path)
    for data in pkg.raw.values():
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|&#x?[0-9a-f]+;", data, re.I)
    assert pkg.paragraphs() == [
        ("Title", "在汉中市廉政工作会议上的讲话"),
        ("Normal", ""),
        ("Normal", "第一行文字。"),
        ("Normal", "第二行"),
        ("Normal", "第三行"),
        ("Normal", "第四行"),
        ("Heading1", "一、标题"),
    ]


# --- reference documents --------------------------------------------------------------------------


def make_reference(path: Path, *, with_page_numbers: bool = False) -> Path:
    """An office template: 宋体 12 pt Normal, a red heading 1, 25 mm margins."""
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = docx.shared.Pt(12)
    heading = doc.styles["Heading 1"]
    heading.font.color.rgb = docx.shared.RGBColor(0xC0, 0, 0)
    section = doc.sections[0]
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, docx.shared.Mm(25))
    if with_page_numbers:
        section.footer.paragraphs[0].text = "第 PAGE 页"
    doc.add_paragraph("模板里的示例文字，不应出现在初稿中。")
    doc.save(str(path))
    return path


def test_reference_docx_supplies_styles_and_page_setup(tmp_path: Path) -> None:
    ref = make_reference(tmp_path / "模板.docx")
    out = tmp_path / "out.docx"
    write_draft(SAMPLE, out, reference_docx=ref)
    result = docx.Document(str(out))
    section = result.sections[0]
    assert round(section.left_margin.mm) == 25 and round(section.top_margin.mm) == 25
    assert result.styles["Normal"].font.size == docx.shared.Pt(12)
    assert result.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0xC0, 0, 0)
    texts = [p.text for p in result.paragraphs]
    assert "模板里的示例文字，不应出现在初稿中。" not in texts
    # the template's 26 pt Title on a 166 mm line holds 18 characters: the title is broken
    assert texts[0] == "在汉中市人民政府\n第三次廉政工作会议上的讲话"
    assert "同志们：" in texts and result.paragraphs[-1].text == SAMPLE.blocks[-1].text
    # a style the template lacks is added (Salutation); the template's own are kept by name
    styles = {p.text: p.style.name for p in result.paragraphs}
    heading = next(b.text for b in SAMPLE.blocks if b.kind == "heading1")
    assert styles["同志们："] == "Salutation" and styles[heading] == "Heading 1"
    salutation = result.styles["Salutation"]
    assert salutation.font.size is None and salutation.font.name is None  # the template's body type
    # no page numbers in the template: drafter adds its own
    assert result.settings.odd_and_even_pages_header_footer
    assert "PAGE" in section.footer._element.xml


def test_reference_footer_is_kept(tmp_path: Path) -> None:
    ref = make_reference(tmp_path / "模板.docx", with_page_numbers=True)
    out = tmp_path / "out.docx"
    write_draft(SAMPLE, out, reference_docx=ref)
    result = docx.Document(str(out))
    assert result.sections[0].footer.paragraphs[0].text == "第 PAGE 页"
    assert not result.settings.odd_and_even_pages_header_footer


def test_reference_without_page_setup(tmp_path: Path) -> None:
    ref = make_reference(tmp_path / "模板.docx")
    doc = docx.Document(str(ref))
    doc.element.body.remove(doc.element.body.sectPr)
    doc.save(str(ref))
    out = write_draft(SAMPLE, tmp_path / "out.docx", reference_docx=ref)
    assert docx.Document(str(out)).paragraphs[-1].text == SAMPLE.blocks[-1].text


def test_reference_dotx_template_is_accepted(tmp_path: Path) -> None:
    ref = make_reference(tmp_path / "模板.docx")
    dotx = tmp_path / "模板.dotx"
    with zipfile.ZipFile(ref) as src, zipfile.ZipFile(dotx, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(info, data)
    out = tmp_path / "out.docx"
    write_draft(SAMPLE, out, reference_docx=dotx)
    assert round(docx.Document(str(out)).sections[0].left_margin.mm) == 25


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.docx", b"not a zip", "无法读取参考模板"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "docx 或 .dotx"),
        ("missing.docx", None, "不存在"),
        ("empty.docx", b"PK\x05\x06" + b"\0" * 18, "已损坏或不是 Word 文件"),
    ],
)
def test_bad_reference_is_a_user_error(tmp_path: Path, name: str, data: bytes | None, message: str) -> None:
    ref = tmp_path / name
    if data is not None:
        ref.write_bytes(data)
    out = tmp_path / "out.docx"
    with pytest.raises(ExportError, match=message) as info:
        write_draft(SAMPLE, out, reference_docx=ref)
    assert info.value.path == ref and info.value.hint
    assert not out.exists()


# --- text previews --------------------------------------------------------------------------------


def test_txt_keeps_the_text_one_paragraph_per_line() -> None:
    assert render_text(SAMPLE, "txt").splitlines() == [b.text for b in SAMPLE.blocks]


def test_md_marks_title_and_headings() -> None:
    md = render_text(SAMPLE, "md")
    paragraphs = md.rstrip("\n").split("\n\n")
    assert paragraphs[0] == "# 在汉中市人民政府第三次廉政工作会议上的讲话"
    assert paragraphs[1:4] == ["汉中市人民政府市长　【姓名】", "（2026年【X】月【X】日）", "同志们："]
    prefix = {"heading1": "## ", "heading2": "### ", "heading3": "#### "}
    assert paragraphs == [
        prefix.get(b.kind, "# " if b.kind == "title" else "") + b.text for b in SAMPLE.blocks
    ]


def test_text_formats_written_to_disk(tmp_path: Path) -> None:
    for fmt in ("md", "txt"):
        path = write_draft(SAMPLE, tmp_path / f"draft.{fmt}", fmt=fmt)
        assert path.read_text(encoding="utf-8") == render_text(SAMPLE, fmt)
    with pytest.raises(ExportError, match="只用于 docx"):
        write_draft(SAMPLE, tmp_path / "x.md", fmt="md", reference_docx=tmp_path / "r.docx")


def test_a_line_break_in_the_title_is_where_the_docx_breaks(tmp_path: Path) -> None:
    draft = Draft(
        "在汉中市人民政府第三次廉政工作会议上的讲话",
        (
            Block("title", "在汉中市人民政府第三次\n廉政工作会议上的讲话"),
            Block("body", "正文。"),
        ),
        2026,
        "汉中市",
        "市",
    )
    assert render_text(draft, "txt").splitlines()[0] == "在汉中市人民政府第三次廉政工作会议上的讲话"
    assert render_text(draft, "md").startswith("# 在汉中市人民政府第三次廉政工作会议上的讲话\n\n")
    path = write_draft(draft, tmp_path / "t.docx")
    assert Package(path).paragraphs()[0] == ("Title", "在汉中市人民政府第三次\n廉政工作会议上的讲话")


def test_title_falls_back_to_draft_title() -> None:
    draft = Draft("在汉中市人民政府廉政工作会议上的讲话", (Block("body", "正文。"),), 2026, "汉中市", "市")
    assert render_text(draft, "txt") == "在汉中市人民政府廉政工作会议上的讲话\n正文。\n"


# --- readers --------------------------------------------------------------------------------------


def test_drafter_reads_its_own_docx_back(sample_docx: Path) -> None:
    lines = [line.text for line in read_source(sample_docx, clean=False).lines]
    assert lines[0] == "在汉中市人民政府 第三次廉政工作会议上的讲话"  # the title's line break
    assert [t for t in lines[1:] if t] == [b.text for b in SAMPLE.blocks[1:]]


def test_mammoth_reads_without_errors(sample_docx: Path) -> None:
    with sample_docx.open("rb") as handle:
        result = mammoth.convert_to_html(handle)
    assert not [m for m in result.messages if m.type == "error"]
    assert (
        "<h1>一、提高政治站位" in result.value and "<strong>一要从严查处腐败问题。</strong>" in result.value
    )


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc 未安装：跳过 pandoc 读取检查")
def test_pandoc_reads_without_errors(sample_docx: Path) -> None:
    done = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(sample_docx)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "同志们：" in done.stdout and SAMPLE.blocks[-1].text in done.stdout


# --- titles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("在汉中市人民政府廉政工作会议上的讲话", ["在汉中市人民政府廉政工作会议上的讲话"]),
        ("在汉中市人民政府第三次廉政工作会议上的讲话", ["在汉中市人民政府", "第三次廉政工作会议上的讲话"]),
        ("在2026年汉中市人民政府廉政工作会议上的讲话", ["在2026年汉中市人民政府", "廉政工作会议上的讲话"]),
        (
            "在汉中市人民政府第【X】次廉政工作会议上的讲话",
            ["在汉中市人民政府", "第【X】次廉政工作会议上的讲话"],
        ),
        (
            "在汉中市人民政府第三次廉政工作会议暨全市政府系统党风廉政建设工作推进会上的讲话",
            ["在汉中市人民政府", "第三次廉政工作会议暨全市政府系统", "党风廉政建设工作推进会上的讲话"],
        ),
    ],
)
def test_break_title(title: str, lines: list[str]) -> None:
    assert break_title(title, max_chars=20) == lines


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("在汉中市人民政府第三次廉政工作会议上的讲话暨，、【X】 2026年"), max_size=80
    )
)
def test_break_title_never_loses_text(title: str) -> None:
    lines = break_title(title, max_chars=20)
    assert "".join(lines) == title.strip()
    assert all(line for line in lines) or title.strip() == ""


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["title", "byline", "salutation", "heading1", "heading2", "heading3", "body", "closing"]
            ),
            st.text(max_size=60),
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_any_text_gives_a_readable_docx(blocks: list[tuple[str, str]], bold: bool) -> None:
    draft = Draft("题目", tuple(Block(k, t, lead=t[:3]) for k, t in blocks), 2026, "汉中市", "市")  # type: ignore[arg-type]
    from drafter.export.docx_file import build_docx
    from drafter.export.layout import draft_paragraphs

    data = build_docx(draft_paragraphs(draft), fonts=FontConfig(), bold_leads=bold)
    reread = docx.Document(io.BytesIO(data))
    assert reread.paragraphs
    for fmt in ("md", "txt"):
        assert isinstance(render_text(draft, fmt), str)


# --- the body and styles built as XML text are what python-docx's own API makes (issue 16) -----------


def _api_body(paragraphs: list[tuple[str, str, str]], style_ids: dict[str, str], bold: bool) -> list[bytes]:
    """The body paragraphs as python-docx's add_paragraph/add_run/font API writes them."""
    from drafter.export.wordml import _segments

    doc = docx.Document()
    for kind, text, lead in paragraphs:
        p = doc.add_paragraph()
        p._p.get_or_add_pPr().get_or_add_pStyle().set(q("val"), style_ids[kind])
        for i, line in enumerate(text.split("\n") if kind == "title" else [text]):
            if i:
                brk = p.add_run()
                brk._r.get_or_add_rPr().get_or_add_rFonts().set(q("hint"), "eastAsia")
                brk.add_break()
            for piece, is_bold, marked in _segments(line, lead if bold and kind != "title" else ""):
                run = p.add_run(piece)
                r_pr = run._r.get_or_add_rPr()
                r_pr.get_or_add_rFonts().set(q("hint"), "eastAsia")
                if is_bold:
                    run.font.bold = True
                    r_pr.get_or_add_bCs()
                if marked:
                    r_pr.get_or_add_highlight().set(q("val"), "yellow")
    return [etree.tostring(p) for p in doc.element.body.findall(q("p"))]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["byline", "heading1", "heading3", "body", "closing"]),
            st.text(
                alphabet=st.sampled_from(list("一是要全市【X】作风 \t\u3000&<>\"'；。")) | st.characters(),
                max_size=40,
            ),
            st.integers(0, 4),
        ),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_body_xml_is_what_python_docx_would_write(
    given_paragraphs: list[tuple[str, str, int]], bold: bool
) -> None:
    from drafter.export.docx_file import build_docx
    from drafter.export.layout import Paragraph, clean_text
    from drafter.export.wordml import STYLES as _STYLES

    paragraphs = [("title", "汉中市2026年\n政府廉政工作会议上的讲话", "")]
    paragraphs += [(k, t, t[:n]) for k, raw, n in given_paragraphs for t in clean_text(raw).split("\n")]
    data = build_docx([Paragraph(*p) for p in paragraphs], fonts=FontConfig(), bold_leads=bold)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(q("body"))
    assert body is not None
    ours = [etree.tostring(p) for p in body.findall(q("p"))]
    style_ids = {kind: spec.style_id for kind, spec in _STYLES.items()} | {"closing": "Normal"}
    # the blank line drafter puts between the head (title, bylines) and the rest
    head = next((i for i, p in enumerate(paragraphs) if p[0] not in ("title", "byline")), len(paragraphs))
    if head < len(paragraphs):
        paragraphs.insert(head, ("body", "", ""))
    expected = _api_body(paragraphs, style_ids, bold)
    assert ours == expected
    assert body[-1].tag == q("sectPr")


def test_styles_part_is_the_template_less_the_styles_drafter_replaces() -> None:
    from drafter.export.word import _KEEP_STYLES, _install_styles, _style_xml

    fonts = FontConfig(body="宋体", latin="Times New Roman")
    ours = docx.Document()
    _install_styles(ours, fonts)
    template = docx.Document().styles.element
    kept = [
        etree.tostring(c, encoding="unicode")
        for c in template
        if c.tag != q("docDefaults") and (c.tag != q("style") or c.get(q("styleId")) in _KEEP_STYLES)
    ]
    root = ours.styles.element
    assert (root.tag, dict(root.attrib), root.nsmap) == (template.tag, dict(template.attrib), template.nsmap)
    children = [etree.tostring(c, encoding="unicode") for c in root]
    assert children[0].startswith("<w:docDefaults") and 'w:eastAsia="宋体"' in children[0]
    assert len(children) == 1 + len(kept) + len(_style_xml(fonts))
    for mine, theirs in zip(children[1 : 1 + len(kept)], kept, strict=True):  # as the template has them,
        assert mine == re.sub(r' w:(?:ascii|hAnsi|eastAsia|cs)Theme="[^"]*"', "", theirs)  # less theme fonts
    assert [c.get(q("styleId")) for c in root[1 + len(kept) :]] == list(_style_xml(fonts))
    assert all("Theme=" not in c for c in children)  # no theme fonts anywhere


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("\r\n\t\v\f\x1c\x1d\x1e\x85\u2028\u2029\x00\x08\x1f\x7f\x9f\u3000 中文【X】")
        )
        | st.sampled_from(
            ["\ud800", "\udfff", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\ufdcf", "\U0001f600"]
        )
        | st.characters(),
        max_size=30,
    )
)
def test_clean_text_is_the_two_substitutions(text: str) -> None:
    """clean_text uses translation tables; the definition: breaks to \\n, then XML-illegal characters out."""
    from drafter.export.layout import clean_text

    breaks = re.compile("\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
    illegal = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
    assert clean_text(text) == illegal.sub("", breaks.sub("\n", text))
