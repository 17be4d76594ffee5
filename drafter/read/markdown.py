"""Read stage, Markdown: a .md speech (drafter's own ``--format md`` output, or one written by hand) as
the plain paragraphs of a speech, one output line per input line so line numbers stay the file's own.

Understood: ATX headings (``# 标题``), setext underlines, block quotes, bullet lists, emphasis
(``**加粗**``, ``*斜体*``, ``__ __``, ``_ _``), inline code, links and images, backslash escapes,
thematic breaks, HTML comments and tags, and a front matter block. Ordered-list numbers (``1.``) are kept: in a speech they are its
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
# * works inside words (as in CommonMark); _ only away from ASCII letters and digits (snake_case stays)
_EMPHASIS = re.compile(
    r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)|(?<![A-Za-z0-9_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![A-Za-z0-9_])"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_COMMENT = re.compile(r"<!--.*?-->")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_FRONT_MATTER = re.compile(r"^(?:---|\+\+\+)\s*$")


# 查处**起、增长*.*%: stars that stand for unfilled numbers in a speech (drafter lint reports them) are
# kept; emphasis holds words, and does not start with a unit
_UNIT_START = set("%％‰万亿元个人次起件家项名条座所户亩吨米天倍位批处宗笔")
_WORDY = re.compile(r"[A-Za-z\u3400-\u9fff]")


def _emphasized(whole: str, inner: str) -> str:
    if not _WORDY.search(inner) or inner[0] in _UNIT_START:
        return whole
    return inner


def inline_text(text: str) -> str:
    """One line's Markdown inline syntax removed: emphasis, code, links, images, escapes."""
    text = _TAG.sub("", _COMMENT.sub("", text))
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested **_x_**
        text = _STRONG.sub(lambda m: _emphasized(m.group(0), m.group(2)), text)
        text = _EMPHASIS.sub(lambda m: _emphasized(m.group(0), m.group(1) or m.group(2)), text)
    text = _ESCAPE.sub(r"\1", text)
    return text.rstrip()


def markdown_lines(lines: list[str]) -> list[str]:
    """The speech text of each Markdown line (blank for syntax-only lines), same count as ``lines``."""
    out: list[str] = []
    fenced = False
    front = _front_matter_end(lines)
    for index, raw in enumerate(lines):
        if index <= front:  # YAML/TOML front matter (--- … ---) is not part of the speech
            out.append("")
            continue
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


def _front_matter_end(lines: list[str]) -> int:
    """Index of the line closing a front matter block that opens the file, else -1."""
    if not lines or not _FRONT_MATTER.match(lines[0]):
        return -1
    for index in range(1, min(len(lines), 60)):
        if lines[index].strip() == lines[0].strip():
            return index
    return -1
