"""Read stage, Markdown: a .md speech (drafter's own ``--format md`` output, or one written by hand) as
the plain paragraphs of a speech, one output line per input line so line numbers stay the file's own.

Understood: ATX headings (``# 标题``), setext underlines, block quotes, bullet lists, emphasis
(``**加粗**``, ``*斜体*``, ``__ __``, ``_ _``), inline code, links and images, backslash escapes,
thematic breaks and HTML comments. Ordered-list numbers (``1.``) are kept: in a speech they are its
own numbering.
"""

from __future__ import annotations

import re

_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_COMMENT = re.compile(r"<!--.*?-->")


def inline_text(text: str) -> str:
    """One line's Markdown inline syntax removed: emphasis, code, links, images, escapes."""
    text = _COMMENT.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested **_x_**
        text = _STRONG.sub(r"\2", text)
        text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    return text.rstrip()


def markdown_lines(lines: list[str]) -> list[str]:
    """The speech text of each Markdown line (blank for syntax-only lines), same count as ``lines``."""
    out: list[str] = []
    fenced = False
    for index, raw in enumerate(lines):
        if _FENCE.match(raw):
            fenced = not fenced
            out.append("")
            continue
        if fenced:
            out.append(raw)
            continue
        heading = _ATX.match(raw)
        if heading:
            out.append(inline_text(heading.group(1) or ""))
            continue
        if _RULE.match(raw) or (_SETEXT.match(raw) and index and out and out[-1].strip()):
            out.append("")
            continue
        line = _QUOTE.sub("", raw)
        line = _BULLET.sub("", line, count=1)
        out.append(inline_text(line))
    return out
