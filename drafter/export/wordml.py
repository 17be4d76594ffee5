"""Export stage (.docx): WordprocessingML as text: the page geometry and paragraph styles of drafter's
GB/T 9704 layout, and the body paragraphs of a draft. No python-docx and no lxml: a draft's .docx is this
text spliced into a package python-docx built once (``docx_file``); ``word`` builds that package.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import NamedTuple

from drafter.export.layout import Paragraph, break_title
from drafter.facts.vocab import PLACEHOLDER_RE

# --- page geometry (twips: 1/20 pt) ------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM = 2098, 1984  # 37 mm, 35 mm
MARGIN_LEFT, MARGIN_RIGHT = 1587, 1474  # 28 mm, 26 mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_SIZE, TITLE_SIZE, PAGE_NUMBER_SIZE = 16, 22, 14  # 三号, 二号, 四号 (pt)
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips = 28.95 pt: exact line spacing
# Character spacing (twips) that fits 28 三号 characters in 156 mm: -6 = -0.3 pt (28 x 15.7 pt =
# 439.6 pt of 442.25). A line grid (docGrid "lines"), not a character grid: LibreOffice gives a
# character wider than a grid cell two cells. One twip below the tightest fit (-5), because
# LibreOffice drops a hanging line-end "，" when a justified line has under ~2 pt to spare.
CHAR_SPACING = math.floor(TEXT_WIDTH / CHARS_PER_LINE - BODY_SIZE * 20) - 1
TITLE_LINE = 700  # 35 pt: exact spacing of title lines (22 pt type does not fit the 28.95 pt grid)
FOOTER_LINE = 320  # 16 pt: exact spacing of the page-number line
FOOTER_DISTANCE = 1247  # 22 mm: puts the page number ~7 mm below the text block
HEADER_DISTANCE = 851  # 15 mm
TITLE_CHARS = TEXT_WIDTH // (TITLE_SIZE * 20)  # 20 full-width characters per title line


class StyleSpec(NamedTuple):
    name: str  # w:name as Word stores it (built-in heading names are lower-case)
    style_id: str


# Paragraph kind -> the built-in Word style it uses ("closing" shares the body's).
STYLES = {
    "title": StyleSpec("Title", "Title"),
    "byline": StyleSpec("Subtitle", "Subtitle"),
    "salutation": StyleSpec("Salutation", "Salutation"),
    "heading1": StyleSpec("heading 1", "Heading1"),
    "heading2": StyleSpec("heading 2", "Heading2"),
    "heading3": StyleSpec("heading 3", "Heading3"),
    "body": StyleSpec("Normal", "Normal"),
}


def escape_text(text: str) -> str:
    """XML character data as lxml writes it (html.escape would import html.entities at every start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """An attribute value, quoted and escaped."""
    return '"' + escape_text(value).replace('"', "&quot;").replace("'", "&#x27;") + '"'


def body_xml(
    paragraphs: list[Paragraph], style_ids: dict[str, str], *, bold_leads: bool, title_chars: int
) -> str:
    """The body's paragraphs as one XML text (w: prefix, no namespace declarations): the elements
    python-docx's add_paragraph/add_run would make, in lxml's serialization (so the text can be spliced
    into a saved document.xml unparsed). A blank line separates the head (title, bylines) from the rest."""
    style_ids = {**style_ids, "closing": style_ids["body"]}
    parts: list[str] = []
    in_head = True
    has_head = any(p.kind in ("title", "byline") for p in paragraphs)
    for para in paragraphs:
        if in_head and para.kind not in ("title", "byline"):
            in_head = False
            if has_head:
                parts.append(_paragraph_xml(style_ids["body"], ""))  # the blank line before 同志们：
        style_id = style_ids.get(para.kind, style_ids["body"])
        if para.kind == "title":
            lines = [
                part for given in para.text.split("\n") for part in break_title(given, max_chars=title_chars)
            ]
            runs = _BREAK_RUN.join(_runs_xml(line, lead="") for line in lines)
        else:
            runs = _runs_xml(para.text, lead=para.lead if bold_leads else "")
        parts.append(_paragraph_xml(style_id, runs))
    return "".join(parts)


_HINT = '<w:rFonts w:hint="eastAsia"/>'
_BREAK_RUN = f"<w:r><w:rPr>{_HINT}</w:rPr><w:br/></w:r>"  # a line break inside the title


def _paragraph_xml(style_id: str, runs: str) -> str:
    return f"<w:p><w:pPr><w:pStyle w:val={quoteattr(style_id)}/></w:pPr>{runs}</w:p>"


def _runs_xml(text: str, *, lead: str) -> str:
    """The runs of one paragraph line: every run has the East Asian hint; the lead is bold, 【…】 yellow."""
    out = []
    for piece, bold, placeholder in _segments(text, lead):
        props = (
            _HINT
            + ("<w:b/><w:bCs/>" if bold else "")
            + ('<w:highlight w:val="yellow"/>' if placeholder else "")
        )
        out.append(f"<w:r><w:rPr>{props}</w:rPr>{_run_content(piece)}</w:r>")
    return "".join(out)


def _run_content(text: str) -> str:
    """python-docx's run text: a tab is <w:tab/>, a line break <w:br/>, the rest <w:t> (space-preserving
    when it starts or ends with white space)."""
    out = []
    for chunk in _RUN_SPECIAL.split(text):
        if chunk == "\t":
            out.append("<w:tab/>")
        elif chunk in ("\r", "\n"):
            out.append("<w:br/>")
        elif chunk:
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            out.append(f"<w:t{space}>{escape_text(chunk)}</w:t>")
    return "".join(out)


_RUN_SPECIAL = re.compile(r"([\t\r\n])")


def _segments(text: str, lead: str) -> Iterator[tuple[str, bool, bool]]:
    """(text, bold, placeholder) pieces: the lead (a prefix of text) bold, 【…】 highlighted."""
    bold_end = len(lead) if lead and text.startswith(lead) else 0
    cuts = {0, len(text), bold_end}
    spans = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    for start, end in spans:
        cuts.update((start, end))
    points = sorted(cuts)
    for start, end in zip(points, points[1:], strict=False):
        if start < end:
            marked = any(s <= start and end <= e for s, e in spans)
            yield text[start:end], start < bold_end, marked
