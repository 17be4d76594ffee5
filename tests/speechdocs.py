"""Test helpers for the mining tests: a small speech, and .docx files built by hand with Word's
automatic numbering (numPr in paragraphs and in heading styles), so the numbers are not in the runs."""

from __future__ import annotations

import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# A short speech in the seeds' manner (fictional, no real place): title, salutation, opening with
# "下面，我讲三点意见", review and problems in part one, parts with （一） and 一要 points, closing.
SPEECH = [
    "在全县政府廉政工作会议上的讲话",
    "同志们：",
    "今天我们召开县政府廉政工作会议，主要任务是深入学习贯彻二十届中央纪委二次全会精神，安排部署今年政府系统廉政建设工作。下面，我讲三点意见。",
    "一、认清形势，切实增强做好廉政工作的责任感",
    "过去一年，全县政府系统认真落实全面从严治党要求，党风廉政建设取得新成效。一是政治建设持续加强。坚持第一议题制度，深入学习贯彻党的二十大精神。二是作风建设扎实推进。全县共查处违反中央八项规定精神问题12起，处理18人。",
    "看到成绩的同时，我们也要清醒地认识到存在的问题。一是责任落实还有差距。个别单位主体责任压得不实。二是监督管理还有短板。重点领域监管仍有漏洞。",
    "二、突出重点，扎实推进政府系统廉政建设",
    "（一）加强财政资金监管。要严格预算约束，全县减免税费2.38亿元，确保每一笔资金安全使用。",
    "（二）强化重点领域监管。要紧盯工程建设、公共资源交易等领域，坚决查处利益输送问题。",
    "三、压实责任，推动全面从严治党向纵深发展",
    "一要压实主体责任。各级政府和部门党组要认真履行主体责任，县政府班子成员要落实“一岗双责”。",
    "二要强化监督制约。要自觉接受县人大及其常委会的监督，让权力在阳光下运行。",
    "同志们，让我们在县委的坚强领导下，不断开创政府系统党风廉政建设新局面！",
]


def write_docx(path: Path, paragraphs: list[tuple[str, str | None]]) -> Path:
    """A .docx whose paragraphs carry automatic numbering instead of typed numbers.

    ``kind`` per paragraph: None (plain), "h1" (numPr ilvl 0 -> 一、), "h2" (numPr ilvl 1 -> （一）),
    "styled" (the "TaskHeading" style, numbered through the style it is based on -> 第一，).
    """
    body = []
    for text, kind in paragraphs:
        ppr = ""
        if kind == "h1":
            ppr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        elif kind == "h2":
            ppr = '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        elif kind == "styled":
            ppr = '<w:pPr><w:pStyle w:val="TaskHeading"/><w:outlineLvl w:val="0"/></w:pPr>'
        # Split the text over two runs, as Word often does.
        half = len(text) // 2
        runs = f"<w:r><w:t>{_esc(text[:half])}</w:t></w:r><w:r><w:t>{_esc(text[half:])}</w:t></w:r>"
        body.append(f"<w:p>{ppr}{runs}</w:p>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'
        + "".join(body)
        + "<w:sectPr/></w:body></w:document>"
    )
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W_NS}">'
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="1">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1，"/></w:lvl>'
        "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        "</w:numbering>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="paragraph" w:styleId="NumberedHeading"><w:name w:val="Numbered Heading"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="TaskHeading"><w:name w:val="Task Heading"/>'
        '<w:basedOn w:val="NumberedHeading"/></w:style>'
        "</w:styles>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/numbering.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
        '<Override PartName="/word/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
        'Target="numbering.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/_rels/document.xml.rels", doc_rels)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", numbering)
        archive.writestr("word/styles.xml", styles)
    return path


def speech_docx(path: Path) -> Path:
    """SPEECH as a .docx: headings and （一） points numbered by Word, not typed."""
    paragraphs: list[tuple[str, str | None]] = []
    for text in SPEECH:
        if text[:2] in ("一、", "二、", "三、"):
            paragraphs.append((text[2:], "h1"))
        elif text.startswith(("（一）", "（二）")):
            paragraphs.append((text[3:], "h2"))
        else:
            paragraphs.append((text, None))
    return write_docx(path, paragraphs)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
