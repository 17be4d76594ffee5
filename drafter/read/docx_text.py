"""Plain text of a .docx body, with automatic numbering restored (stdlib XML, no python-docx)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from drafter.facts.numerals import to_chinese

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SAFE_PARSER_LIMIT = 64 * 1024 * 1024  # refuse absurdly large XML parts


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    abstract_levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_to_abstract: dict[str, str] = field(default_factory=dict)
    num_starts: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> startOverride
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)
    heading_level: dict[str, int] = field(default_factory=dict)  # styleId -> 1, 2 … for Word heading styles


def docx_paragraph_texts(archive: zipfile.ZipFile) -> list[str]:
    """One string per body paragraph (tables' paragraphs included, in order)."""
    document = _parse(archive, "word/document.xml")
    numbering = _read_numbering(archive)
    counters: dict[tuple[str, int], int] = {}
    texts: list[str] = []
    body = document.find(f"{W}body")
    if body is None:
        return texts
    headings = _Headings()
    for para in body.iter(f"{W}p"):
        text = _paragraph_text(para)
        marker = _number_marker(para, numbering, counters)
        if not marker and text.strip():
            marker = headings.marker(
                _paragraph_heading_level(para, numbering), text, first=not _texts_seen(texts)
            )
        texts.append(marker + text if marker and not text.startswith(marker) else text)
    return texts


def _texts_seen(texts: list[str]) -> bool:
    return any(t.strip() for t in texts)


_HEADING_NAME = re.compile(r"(?i)^(?:heading|标题)\s*([1-9])$")
_ALREADY_MARKED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、．]|第[一二三四五六七八九十]{1,3}[，、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])"
)
_TITLE_TEXT = re.compile(r"(讲话|发言|致辞|报告|讲稿)\s*([（(][^）)]*[）)])?\s*$")


def _heading_style_level(style: ET.Element) -> int | None:
    """1, 2 … for a Word heading style (Heading 1 / 标题 1, or a style with an outline level)."""
    name = style.find(f"{W}name")
    if name is not None and (m := _HEADING_NAME.match(name.get(f"{W}val", "").strip())):
        return int(m.group(1))
    outline = style.find(f"{W}pPr/{W}outlineLvl")
    if outline is not None and style.get(f"{W}type", "paragraph") == "paragraph":
        level = _int(outline.get(f"{W}val", "9"), 9) + 1
        return level if level <= 9 else None
    return None


def _paragraph_heading_level(para: ET.Element, numbering: _Numbering) -> int | None:
    ppr = para.find(f"{W}pPr")
    if ppr is None:
        return None
    outline = ppr.find(f"{W}outlineLvl")
    if outline is not None:
        level = _int(outline.get(f"{W}val", "9"), 9) + 1
        return level if level <= 9 else None
    style = ppr.find(f"{W}pStyle")
    return numbering.heading_level.get(style.get(f"{W}val", "")) if style is not None else None


class _Headings:
    """Word heading styles made into the markers a speech's headings are written with: level 1 一、,
    level 2 （一）. A styled title (the first paragraph, or one ending in 讲话) gets none."""

    def __init__(self) -> None:
        self.counts = [0, 0]

    def marker(self, level: int | None, text: str, *, first: bool) -> str:
        if level not in (1, 2) or first or _ALREADY_MARKED.match(text) or _TITLE_TEXT.search(text):
            return ""
        if level == 1:
            self.counts = [self.counts[0] + 1, 0]
            return f"{to_chinese(self.counts[0])}、" if self.counts[0] < 100 else ""
        self.counts[1] += 1
        return f"（{to_chinese(self.counts[1])}）" if self.counts[1] < 100 else ""


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element:
    info = archive.getinfo(name)
    if info.file_size > _SAFE_PARSER_LIMIT:
        raise ValueError(f"{name} 过大")
    try:
        return ET.fromstring(archive.read(name))
    except ET.ParseError as e:
        raise ValueError(f"{name} 不是有效的 XML（{e}）") from e


def _paragraph_text(para: ET.Element) -> str:
    parts: list[str] = []
    for node in para.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append(" ")
    return "".join(parts)


def _read_numbering(archive: zipfile.ZipFile) -> _Numbering:
    result = _Numbering()
    names = set(archive.namelist())
    if "word/numbering.xml" in names:
        root = _parse(archive, "word/numbering.xml")
        for abstract in root.findall(f"{W}abstractNum"):
            aid = abstract.get(f"{W}abstractNumId", "")
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(f"{W}lvl"):
                ilvl = _int(lvl.get(f"{W}ilvl", "0"))
                level = _Level()
                if (fmt := lvl.find(f"{W}numFmt")) is not None:
                    level.fmt = fmt.get(f"{W}val", "decimal")
                if (text := lvl.find(f"{W}lvlText")) is not None:
                    level.text = text.get(f"{W}val", "")
                if (start := lvl.find(f"{W}start")) is not None:
                    level.start = _int(start.get(f"{W}val", "1"), 1)
                levels[ilvl] = level
            result.abstract_levels[aid] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            num_id = num.get(f"{W}numId", "")
            if ref is not None:
                result.num_to_abstract[num_id] = ref.get(f"{W}val", "")
            for override in num.findall(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    ilvl = _int(override.get(f"{W}ilvl", "0"))
                    result.num_starts.setdefault(num_id, {})[ilvl] = _int(start.get(f"{W}val", "1"), 1)
    if "word/styles.xml" in names:
        styles = _parse(archive, "word/styles.xml")
        own: dict[str, tuple[str, int]] = {}
        based_on: dict[str, str] = {}
        for style in styles.findall(f"{W}style"):
            style_id = style.get(f"{W}styleId", "")
            if (heading := _heading_style_level(style)) is not None:
                result.heading_level[style_id] = heading
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                own[style_id] = _num_pr_values(num_pr)
            parent = style.find(f"{W}basedOn")
            if parent is not None:
                based_on[style_id] = parent.get(f"{W}val", "")
        for style_id in {*own, *based_on}:
            # A heading style inherits its numbering from the style it is based on (Heading 2 <- Heading 1).
            seen: set[str] = set()
            current = style_id
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based_on.get(current, "")
            if current in own and own[current][0]:
                result.style_num[style_id] = own[current]
    return result


def _num_pr_values(num_pr: ET.Element) -> tuple[str, int]:
    num_id_el = num_pr.find(f"{W}numId")
    ilvl_el = num_pr.find(f"{W}ilvl")
    num_id = num_id_el.get(f"{W}val", "") if num_id_el is not None else ""
    ilvl = _int(ilvl_el.get(f"{W}val", "0")) if ilvl_el is not None else 0
    return num_id, ilvl


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _number_marker(para: ET.Element, numbering: _Numbering, counters: dict[tuple[str, int], int]) -> str:
    ppr = para.find(f"{W}pPr")
    if ppr is None:
        return ""
    num_id, ilvl = "", 0
    num_pr = ppr.find(f"{W}numPr")
    if num_pr is not None:
        num_id, ilvl = _num_pr_values(num_pr)
    else:
        style = ppr.find(f"{W}pStyle")
        if style is not None:
            num_id, ilvl = numbering.style_num.get(style.get(f"{W}val", ""), ("", 0))
    if not num_id or num_id == "0":
        return ""
    abstract = numbering.num_to_abstract.get(num_id)
    levels = numbering.abstract_levels.get(abstract or "", {})
    level = levels.get(ilvl)
    if level is None or level.fmt in ("none", "bullet"):
        return ""
    starts = numbering.num_starts.get(num_id, {})
    # A list that restarts (startOverride) is its own sequence; otherwise lists of one abstract share it.
    key = num_id if starts else (abstract or num_id)
    start = starts.get(ilvl, level.start)
    counters[(key, ilvl)] = counters.get((key, ilvl), start - 1) + 1
    for deeper in [k for k in counters if k[0] == key and k[1] > ilvl]:
        del counters[deeper]

    def value(match: re.Match[str]) -> str:
        lvl_index = int(match.group(1)) - 1
        lvl = levels.get(lvl_index, _Level())
        count = counters.get((key, lvl_index), lvl.start)
        return _format_number(count, lvl.fmt)

    return re.sub(r"%(\d)", value, level.text)


_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def _format_number(n: int, fmt: str) -> str:
    if fmt == "ideographTraditional" and 0 < n <= len(_TRADITIONAL):
        return _TRADITIONAL[n - 1]
    if fmt == "chineseLegalSimplified" and 0 < n < 10:
        return _LEGAL[n]
    if fmt.startswith(("chinese", "ideograph", "japaneseCounting", "taiwaneseCounting")) and 0 < n < 100:
        return to_chinese(n)
    if fmt == "decimalEnclosedCircle" and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "lowerLetter" and 0 < n <= 26:
        return chr(ord("a") + n - 1)
    if fmt == "upperLetter" and 0 < n <= 26:
        return chr(ord("A") + n - 1)
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 40:
        roman = "".join(s * c for s, c in zip(("x", "ix", "v", "iv", "i"), _roman_counts(n), strict=True))
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


def _roman_counts(n: int) -> tuple[int, int, int, int, int]:
    tens, rest = divmod(n, 10)
    nine = 1 if rest == 9 else 0
    five = 1 if 5 <= rest < 9 else 0
    four = 1 if rest == 4 else 0
    ones = 0 if nine or four else rest - 5 * five
    return tens, nine, five, four, ones
