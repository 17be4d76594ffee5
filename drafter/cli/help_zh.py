"""Help in Chinese, frame included: Typer (and the click it vendors) write "Usage:", "Options",
"Arguments", "Commands", "[required]", "[default: …]", "[OPTIONS]", "<int>" and ranges like "x>=1".

Typer takes its section and bracket words through ``gettext`` (``typer.core._``); the click it vendors
has them as literals. Each is replaced at the one place it is made, so wrapping and alignment still
work; ``tests/test_help_chinese.py`` walks every command's help for English frame words.
"""

from __future__ import annotations

import re
from typing import Any

import typer.core
from typer._click import core as click_core
from typer._click import formatting as click_formatting
from typer._click import types as click_types

# typer.core's gettext messages (section titles and the bracketed extras of an option)
MESSAGES = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "required": "必填",
    "[required]": "[必填]",
    "default: {default}": "默认：{default}",
    "[default: {}]": "[默认：{}]",
    "env var: {var}": "环境变量：{var}",
    "[env var: {}]": "[环境变量：{}]",
    "(deprecated) ": "（已停用）",
    "(dynamic)": "（运行时决定）",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
    "Error": "错误",
}
USAGE_PREFIX = "用法："
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
TYPE_METAVARS = {
    "int": "整数",
    "integer": "整数",
    "float": "数字",
    "str": "文字",
    "text": "文字",
    "path": "路径",
    "file": "文件",
    "filename": "文件",
    "directory": "文件夹",
    "boolean": "是/否",
    "bool": "是/否",
    "uuid": "UUID",
}
# compiled on first use (re's cache): only help and usage text need them
_TYPE_METAVAR = r"<(\w+)>"
_installed = False
_EXTRAS = r"\[[^\[\]]*\]$"
_ANSI = r"\033\[[;?0-9]*[a-zA-Z]"


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (ANSI codes left out, wide characters count two)."""
    import unicodedata

    plain = re.sub(_ANSI, "", text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def _metavar(text: str) -> str:
    return re.sub(_TYPE_METAVAR, lambda m: f"<{TYPE_METAVARS.get(m.group(1).lower(), m.group(1))}>", text)


def _describe_range(self: Any) -> str:
    """``2018<=x<=2030`` -> 范围 2018–2030; ``x>=1`` -> 至少 1."""
    low, high = self.min, self.max
    if low is not None and high is not None and not self.min_open and not self.max_open:
        return f"范围：{low}–{high}"
    parts = []
    if low is not None:
        parts.append(f"大于 {low}" if self.min_open else f"至少 {low}")
    if high is not None:
        parts.append(f"小于 {high}" if self.max_open else f"至多 {high}")
    return "，".join(parts)


# a bracketed extra ([默认：40]), an ASCII word, a run of spaces, or one other character: the units a
# line may break between
_TOKEN = r"\[[^\[\]\n]{0,40}\]|[!-~]+| +|."
_NO_LINE_START = set("，。、；：？！）」』”’》〉】…,.;:?!)]")


def _fill(text: str, width: int, first: str, rest: str) -> str:
    """Greedy line filling by display width; Chinese text breaks between characters, never before
    closing punctuation."""
    lines: list[str] = []
    line, used, indent = first, display_width(first), display_width(first)
    for token in re.findall(_TOKEN, text, re.S):
        if token.isspace():
            if used > indent:
                line, used = line + token, used + len(token)
            continue
        size = display_width(token)
        if used + size > width and used > indent and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = rest, display_width(rest)
            indent = used
        line, used = line + token, used + size
    lines.append(line.rstrip())
    return "\n".join(lines)


def _join(lines: list[str]) -> str:
    """Lines of one paragraph as one: a space between ASCII words, none between Chinese characters."""
    out = ""
    for line in (part.strip() for part in lines):
        if out and line and (out[-1].isascii() or line[0].isascii()):
            out += " "
        out += line
    return out


def wrap_text(
    text: str,
    width: int = 78,
    initial_indent: str = "",
    subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """click's wrap_text, measuring display width (a Chinese character takes two columns)."""
    text = text.expandtabs()
    if not preserve_paragraphs:
        return _fill(_join(text.splitlines()), width, initial_indent, subsequent_indent)
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = block.splitlines()
        if not lines:
            continue
        if lines[0].strip() == "\b":  # click's marker: keep the lines as written
            out.append("\n".join(initial_indent + line for line in lines[1:]))
            continue
        out.append(_fill(_join(lines), width, initial_indent, subsequent_indent))
    return "\n\n".join(out)


def install() -> None:
    """Patch the frame words once (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    typer.core._ = translate  # type: ignore[attr-defined]

    write_usage = click_formatting.HelpFormatter.write_usage

    def write_usage_zh(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    click_formatting.HelpFormatter.write_usage = write_usage_zh  # type: ignore[method-assign]

    param_metavar = click_core.Parameter.make_metavar

    def make_metavar_zh(self: Any, *args: Any, **kwargs: Any) -> str:
        return _metavar(param_metavar(self, *args, **kwargs))

    click_core.Parameter.make_metavar = make_metavar_zh  # type: ignore[method-assign]

    argument_metavar = typer.core.TyperArgument.make_metavar

    def argument_metavar_zh(self: Any, ctx: Any, *, usage: bool = False) -> str:
        # typer writes a required argument as {FILE} in the usage line; plain FILE reads better
        if usage and self.required and self.metavar is not None and not self.metavar.startswith("["):
            return str(self.metavar)
        return _metavar(argument_metavar(self, ctx, usage=usage))

    typer.core.TyperArgument.make_metavar = argument_metavar_zh  # type: ignore[method-assign]
    click_types._NumberRangeBase._describe_range = _describe_range  # type: ignore[method-assign]

    def write_heading_zh(self: Any, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    click_formatting.HelpFormatter.write_heading = write_heading_zh  # type: ignore[method-assign]
    # columns line up by display width: a Chinese character takes two columns
    click_formatting.term_len = display_width  # type: ignore[attr-defined,assignment]
    click_formatting.wrap_text = wrap_text  # type: ignore[assignment]

    for param_cls in (typer.core.TyperOption, typer.core.TyperArgument):
        record = param_cls.get_help_record

        def get_help_record(self: Any, ctx: Any, _record: Any = record) -> tuple[str, str] | None:
            found = _record(self, ctx)
            if found is None:
                return None
            names, text = found
            return names, re.sub(_EXTRAS, lambda m: m.group(0).replace("; ", "；"), text)

        param_cls.get_help_record = get_help_record  # type: ignore[method-assign]

    for cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        original = cls.collect_usage_pieces

        def collect_usage_pieces(self: Any, ctx: Any, _original: Any = original) -> list[str]:
            if self.options_metavar == "[OPTIONS]":
                self.options_metavar = OPTIONS_METAVAR
            if getattr(self, "subcommand_metavar", None) in (
                "COMMAND [ARGS]...",
                "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...",
            ):
                self.subcommand_metavar = SUBCOMMAND_METAVAR
            return list(_original(self, ctx))

        cls.collect_usage_pieces = collect_usage_pieces  # type: ignore[method-assign]
