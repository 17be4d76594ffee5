"""Export stage (.docx): the Word package, built with python-docx: drafter's GB/T 9704 styles, page,
settings, fonts and page-number footers, or an office's own template (``reference``).

The only module that imports python-docx. All layout lives in named paragraph styles (Title,
Subtitle, Salutation, heading 1-3, Normal), so an office template can replace it; runs carry only what is
theirs: bold lead-ins, yellow placeholders, the East Asian hint (``wordml``). ``docx_file`` is the entry:
it keeps the default package, built here once, and splices each draft's body into it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Twips
from lxml import etree

from drafter.errors import ExportError
from drafter.export.layout import FontConfig, Paragraph
from drafter.export.wordml import (
    BODY_SIZE,
    CHAR_SPACING,
    FOOTER_DISTANCE,
    FOOTER_LINE,
    HEADER_DISTANCE,
    LINE_PITCH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    STYLES,
    TITLE_CHARS,
    TITLE_LINE,
    TITLE_SIZE,
    body_xml,
    quoteattr,
)

# The fonts offices without the GB2312-era fonts have under another name (fontTable altName).
_ALT_NAMES = {
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "方正小标宋简体": "宋体",
    "方正小标宋_GBK": "宋体",
}

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_KEEP_STYLES = {"DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}


# --- entry point -------------------------------------------------------------------------------


def build_package(
    paragraphs: list[Paragraph],
    *,
    fonts: FontConfig,
    bold_leads: bool = False,
    reference: Path | None = None,
    title: str = "",
    now: dt.datetime | None = None,
) -> bytes:
    """The .docx bytes for the paragraphs, every part made by python-docx. ``now``: the created and
    modified time (UTC, whole seconds; the current time when None). Raises ExportError for an unusable
    reference file."""
    if reference is None:
        doc = Document()
        _drop_template_extras(doc)
        _install_styles(doc, fonts)
        _set_page(doc)
        _set_settings(doc)
        style_ids = {kind: spec.style_id for kind, spec in STYLES.items()}
        add_numbers = True
    else:
        doc = _open_reference(reference)
        style_ids = _reference_styles(doc, fonts)
        add_numbers = not _has_footer_text(doc)
    _clear_body(doc)
    _write_body(
        doc, paragraphs, style_ids, bold_leads=bold_leads, title_chars=_title_chars(doc, style_ids["title"])
    )
    if add_numbers:
        _add_page_numbers(doc, fonts)
    _add_font_table_entries(doc, fonts)
    _set_properties(doc, title, now)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- styles ------------------------------------------------------------------------------------


def _rfonts(east_asia: str, latin: str) -> str:
    ea, la = quoteattr(east_asia), quoteattr(latin)
    return f'<w:rFonts w:ascii={la} w:eastAsia={ea} w:hAnsi={la} w:cs={ea} w:hint="eastAsia"/>'


def _size(pt: int) -> str:
    return f'<w:sz w:val="{pt * 2}"/><w:szCs w:val="{pt * 2}"/>'


_LANG = '<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
_NO_INDENT = '<w:ind w:left="0" w:right="0" w:firstLineChars="0" w:firstLine="0"/>'
_EXACT = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'


def _style_xml(fonts: FontConfig) -> dict[str, str]:
    """styleId -> w:style XML for every style drafter defines (pPr/rPr children in schema order)."""

    def rpr(font: str, size: int = BODY_SIZE, extra: str = "", spacing: int | None = None) -> str:
        space = "" if spacing is None else f'<w:spacing w:val="{spacing}"/>'
        return f"<w:rPr>{_rfonts(font, fonts.latin_for(font))}{extra}{space}{_size(size)}{_LANG}</w:rPr>"

    def para(style_id: str, name: str, ppr: str, run: str, *, head: str = "") -> str:
        default = ' w:default="1"' if style_id == "Normal" else ""
        based = "" if style_id == "Normal" else '<w:basedOn w:val="Normal"/>'
        return (
            f'<w:style {nsdecls("w")} w:type="paragraph"{default} w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>{based}{head}<w:qFormat/><w:pPr>{ppr}</w:pPr>{run}</w:style>'
        )

    next_normal = '<w:next w:val="Normal"/>'
    return {
        "Normal": para(
            "Normal",
            "Normal",
            '<w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
            f'{_EXACT}<w:ind w:firstLineChars="200" w:firstLine="{BODY_SIZE * 40}"/><w:jc w:val="both"/>',
            rpr(fonts.body, spacing=CHAR_SPACING),
        ),
        "Title": para(
            "Title",
            "Title",
            '<w:keepNext/><w:keepLines/><w:snapToGrid w:val="0"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{TITLE_LINE}" w:lineRule="exact"/>'
            f'{_NO_INDENT}<w:jc w:val="center"/>',
            rpr(fonts.title, TITLE_SIZE, '<w:b w:val="0"/><w:bCs w:val="0"/>', spacing=0),
            head='<w:next w:val="Subtitle"/>',
        ),
        "Subtitle": para(
            "Subtitle",
            "Subtitle",
            f'<w:keepNext/>{_NO_INDENT}<w:jc w:val="center"/>',
            rpr(fonts.byline, extra='<w:i w:val="0"/><w:iCs w:val="0"/>'),
            head=next_normal,
        ),
        "Salutation": para(
            "Salutation",
            "Salutation",
            f'<w:keepNext/>{_NO_INDENT}<w:jc w:val="left"/>',
            rpr(fonts.body),
            head=next_normal,
        ),
        **{
            f"Heading{n}": para(
                f"Heading{n}",
                f"heading {n}",
                f'<w:keepNext/><w:outlineLvl w:val="{n - 1}"/>',
                rpr(font, extra='<w:b w:val="0"/><w:bCs w:val="0"/>'),
                head=next_normal,
            )
            for n, font in ((1, fonts.heading1), (2, fonts.heading2), (3, fonts.heading3))
        },
        "Footer": para(
            "Footer",
            "footer",
            f'<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{FOOTER_LINE}" '
            f'w:lineRule="exact"/>{_NO_INDENT}',
            rpr(fonts.page_number, PAGE_NUMBER_SIZE, spacing=0),
        ),
        "Header": para(
            "Header",
            "header",
            f'<w:snapToGrid w:val="0"/>{_NO_INDENT}<w:jc w:val="center"/>',
            rpr(fonts.body),
        ),
    }


def _install_styles(doc: DocumentObject, fonts: FontConfig) -> None:
    """Replace the template's styles with drafter's; docDefaults carry the body font, no theme fonts.

    A new styles element replaces the template's: removing its 160 unused styles one by one costs more
    than building the whole part."""
    part = doc.part._styles_part  # noqa: SLF001  (python-docx has no public setter for a part's XML)
    old = part.element
    body = fonts.body
    new = old.makeelement(old.tag, attrib=dict(old.attrib), nsmap=old.nsmap)
    new.append(
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_rfonts(body, fonts.latin_for(body))}"
            f"{_size(BODY_SIZE)}{_LANG}</w:rPr></w:rPrDefault>"
            '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            "</w:pPrDefault></w:docDefaults>"
        )
    )
    style_tag, id_attr, defaults_tag = qn("w:style"), qn("w:styleId"), qn("w:docDefaults")
    for child in list(old):  # the template's other parts (latent styles) and the styles drafter keeps
        if child.tag != defaults_tag and (child.tag != style_tag or child.get(id_attr) in _KEEP_STYLES):
            new.append(child)
    for xml in _style_xml(fonts).values():
        new.append(parse_xml(xml))
    _strip_theme_fonts(new)
    part._element = new  # noqa: SLF001


def _strip_theme_fonts(root: etree._Element) -> None:
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(qn(f"w:{attr}"), None)


def _reference_styles(doc: DocumentObject, fonts: FontConfig) -> dict[str, str]:
    """kind -> styleId: the reference's own style where it has one by name, drafter's otherwise."""
    styles = doc.styles.element
    by_name: dict[str, str] = {}
    ids: set[str] = set()
    for style in styles.findall(qn("w:style")):
        style_id = style.get(qn("w:styleId")) or ""
        ids.add(style_id)
        name_el = style.find(qn("w:name"))
        if style.get(qn("w:type")) == "paragraph" and name_el is not None:
            by_name.setdefault((name_el.get(qn("w:val")) or "").lower(), style_id)
    ours = _style_xml(fonts)
    normal_id = by_name.get("normal", "Normal")
    result: dict[str, str] = {}
    for kind, spec in STYLES.items():
        if spec.name.lower() in by_name:
            result[kind] = by_name[spec.name.lower()]
            continue
        element = parse_xml(ours[spec.style_id])
        new_id = spec.style_id
        while new_id in ids:
            new_id += "0"
        element.set(qn("w:styleId"), new_id)
        based = element.find(qn("w:basedOn"))
        if based is not None:
            based.set(qn("w:val"), normal_id)
        for nxt in element.findall(qn("w:next")):
            nxt.set(qn("w:val"), by_name.get(nxt.get(qn("w:val"), "").lower(), normal_id))
        if spec.style_id == "Normal":
            element.attrib.pop(qn("w:default"), None)
        _fit_to_reference(element, kind)
        styles.append(element)
        ids.add(new_id)
        by_name[spec.name.lower()] = new_id
        result[kind] = new_id
    result["closing"] = result["body"]
    return result


def _fit_to_reference(style: etree._Element, kind: str) -> None:
    """A style added to an office template keeps its layout but takes the template's body type:
    only the title keeps its size; headings and byline keep their face; the rest inherit all."""
    run = style.find(qn("w:rPr"))
    if run is None or kind == "title":
        return
    if kind in ("salutation", "body"):
        style.remove(run)
        return
    for tag in ("w:spacing", "w:sz", "w:szCs", "w:lang"):
        for child in run.findall(qn(tag)):
            run.remove(child)


# --- page setup, settings, parts ----------------------------------------------------------------


def _set_page(doc: DocumentObject) -> None:
    section = doc.sections[-1]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(HEADER_DISTANCE), Twips(FOOTER_DISTANCE)
    section.gutter = Mm(0)
    sect_pr = section._sectPr
    for grid in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(grid)
    grid = parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{LINE_PITCH}"/>')
    tail = sect_pr.find(qn("w:printerSettings"))
    if tail is None:
        sect_pr.append(grid)
    else:
        tail.addprevious(grid)


def _set_settings(doc: DocumentObject) -> None:
    """Chinese theme-font language; Word 2013+ layout (no "compatibility mode" banner)."""
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _drop_template_extras(doc: DocumentObject) -> None:
    """python-docx's template carries an English thumbnail, stylesWithEffects and a bibliography
    customXml part: drop them (parts no relationship reaches are not saved)."""
    package_rels = doc.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(r_id)
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.rels.pop(r_id)


def _add_font_table_entries(doc: DocumentObject, fonts: FontConfig) -> None:
    """Declare drafter's fonts (GB2312 charset, Windows alt names) so Word substitutes sensibly."""
    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    names = [fonts.title, fonts.byline, fonts.body, fonts.heading1, fonts.heading2, fonts.heading3]
    names.append(fonts.page_number)
    for name in dict.fromkeys(names):
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        if name in _ALT_NAMES:
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): _ALT_NAMES[name]})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "fixed"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_properties(doc: DocumentObject, title: str, now: dt.datetime | None) -> None:
    props = doc.core_properties
    props.title = title[:255]
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.subject = "讲话稿"
    props.keywords = ""
    props.language = "zh-CN"
    props.revision = 1
    if now is None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now


def _title_chars(doc: DocumentObject, style_id: str) -> int:
    """Full-width characters per title line: the text block's width over the title style's size."""
    section = doc.sections[-1]
    if section.page_width is None or section.left_margin is None or section.right_margin is None:
        return TITLE_CHARS
    width = section.page_width - section.left_margin - section.right_margin  # EMU
    size = _style_size(doc, style_id) or TITLE_SIZE
    return max(8, int(width / 12700 / size)) if width > 0 else TITLE_CHARS


def _style_size(doc: DocumentObject, style_id: str) -> float | None:
    """The font size (pt) a paragraph style resolves to through basedOn, then docDefaults."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    seen: set[str] = set()
    current: str | None = style_id
    while current and current not in seen:
        seen.add(current)
        style = by_id.get(current)
        if style is None:
            break
        size = style.find(f"{{{_W_NS}}}rPr/{{{_W_NS}}}sz")
        if size is not None and (size.get(qn("w:val")) or "").isdigit():
            return int(size.get(qn("w:val"))) / 2
        based = style.find(qn("w:basedOn"))
        current = based.get(qn("w:val")) if based is not None else None
    default = styles.find(f"{{{_W_NS}}}docDefaults/{{{_W_NS}}}rPrDefault/{{{_W_NS}}}rPr/{{{_W_NS}}}sz")
    if default is not None and (default.get(qn("w:val")) or "").isdigit():
        return int(default.get(qn("w:val"))) / 2
    return None


# --- reference documents -----------------------------------------------------------------------

_TEMPLATE_TYPE = b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
_DOTX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _open_reference(path: Path) -> DocumentObject:
    """Open an office's .docx/.dotx template. Raises ExportError naming the file."""
    hint = "请给出用 Word 或 WPS 保存的 .docx 或 .dotx 模板文件。"
    if path.is_dir():
        raise ExportError("参考模板路径是一个文件夹", path=path, hint=hint)
    if not path.is_file():
        raise ExportError("参考模板文件不存在", path=path, hint=hint)
    if path.suffix.lower() in (".doc", ".dot", ".wps", ".wpt"):
        raise ExportError(
            "参考模板必须是 .docx 或 .dotx 格式", path=path, hint="请先在 Word 或 WPS 中另存为 .docx。"
        )
    try:
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            types = archive.read("[Content_Types].xml")
            if _DOTX_TYPE in types or _TEMPLATE_TYPE in types:
                data = _as_document(archive)
        doc = Document(io.BytesIO(data))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise ExportError(f"无法读取参考模板：文件已损坏或不是 Word 文件（{e}）", path=path, hint=hint) from e
    doc.element.body.get_or_add_sectPr()  # a template without page setup still gets a section
    return doc


def _as_document(archive: zipfile.ZipFile) -> bytes:
    """A template's bytes with its main part relabelled as a document (python-docx opens only those)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(_DOTX_TYPE, _DOCX_TYPE).replace(_TEMPLATE_TYPE, _DOCX_TYPE)
            target.writestr(info, data)
    return out.getvalue()


def _has_footer_text(doc: DocumentObject) -> bool:
    section = doc.sections[-1]
    footers = [section.footer, section.even_page_footer, section.first_page_footer]
    for footer in footers:
        if footer.is_linked_to_previous:
            continue
        xml = footer._element.xml
        if "PAGE" in xml or any(p.text.strip() for p in footer.paragraphs):
            return True
    return False


def _clear_body(doc: DocumentObject) -> None:
    """Remove every body element but the final section properties."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


# --- body --------------------------------------------------------------------------------------


def _write_body(
    doc: DocumentObject,
    paragraphs: list[Paragraph],
    style_ids: dict[str, str],
    *,
    bold_leads: bool,
    title_chars: int,
) -> None:
    """Append the paragraphs before the body's section properties, built as one XML text and parsed
    once (python-docx's per-element API would spend most of the export's time on schema lookups)."""
    text = body_xml(paragraphs, style_ids, bold_leads=bold_leads, title_chars=title_chars)
    if not text:
        return
    body = doc.element.body
    built = parse_xml(f"<w:body {nsdecls('w')}>{text}</w:body>")
    sect_pr = body.find(qn("w:sectPr"))
    for element in list(built):
        if sect_pr is None:
            body.append(element)
        else:
            sect_pr.addprevious(element)


# --- page numbers ------------------------------------------------------------------------------


def _add_page_numbers(doc: DocumentObject, fonts: FontConfig) -> None:
    """Page numbers "— N —" in 四号 宋体: odd pages right, even pages left, one character in from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[-1]
    indent = PAGE_NUMBER_SIZE * 20
    for footer, jc, side, sample in (
        (section.footer, "right", "right", "1"),
        (section.even_page_footer, "left", "left", "2"),
    ):
        footer.is_linked_to_previous = False
        element = footer._element
        for p in element.findall(qn("w:p")):
            element.remove(p)
        element.append(_page_number_xml(fonts, jc=jc, indent=f'w:{side}="{indent}"', sample=sample))


def _page_number_xml(fonts: FontConfig, *, jc: str, indent: str, sample: str) -> etree._Element:
    font = fonts.page_number
    rpr = f'<w:rPr>{_rfonts(font, fonts.latin_for(font))}<w:spacing w:val="0"/>{_size(PAGE_NUMBER_SIZE)}</w:rPr>'

    def run(inner: str) -> str:
        return f"<w:r>{rpr}{inner}</w:r>"

    return parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Footer"/><w:snapToGrid w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{FOOTER_LINE}" w:lineRule="exact"/>'
        f'<w:ind {indent} w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{jc}"/></w:pPr>'
        + run('<w:t xml:space="preserve">— </w:t>')
        + run('<w:fldChar w:fldCharType="begin"/>')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>')
        + run(f"<w:t>{sample}</w:t>")
        + run('<w:fldChar w:fldCharType="end"/>')
        + run('<w:t xml:space="preserve"> —</w:t>')
        + "</w:p>"
    )
