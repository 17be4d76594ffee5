"""The one library entry point, used by the CLI and the web page alike: draft options in (the names of
``drafter draft`` and ``--params``), resolved and validated once; a Draft or the file's bytes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.draft.context import DraftParams
from drafter.errors import ContextError, ExportError
from drafter.export.layout import FontConfig
from drafter.models import Draft

FORMATS = ("docx", "md", "txt")
REPORT_FORMATS = {".md": "md", ".json": "json"}
DEFAULT_POINTS = 4
DEFAULT_LENGTH = 7000


@dataclass(frozen=True)
class DraftOptions:
    """Everything one draft needs, resolved: the draft's parameters plus where it reads and writes."""

    params: DraftParams
    banks: tuple[Path, ...] = ()
    templates: Path | None = None
    avoid: Path | None = None
    output: Path | None = None
    fmt: str = "docx"
    report: Path | None = None
    fonts: FontConfig = field(default_factory=FontConfig)
    reference_docx: Path | None = None
    bold_leads: bool = False


def split_topics(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Topics from "a,b" / "a，b" / "a、b" strings or lists of them, in order."""
    if not value:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        for piece in str(item).replace("，", ",").replace("、", ",").split(","):
            if piece.strip():
                out.append(piece.strip())
    return tuple(out)


def parse_fonts(values: list[str] | dict[str, str] | None) -> dict[str, str]:
    """``["body=仿宋", …]`` or a mapping -> {part: font}. Raises ContextError for a malformed item."""
    if not values:
        return {}
    if isinstance(values, dict):
        return {str(k): str(v) for k, v in values.items()}
    fonts = {}
    for item in values:
        key, sep, name = item.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise ContextError(
                f"--font 写法不对：「{item}」", hint="写成 --font 部位=字体名，例如 --font body=仿宋。"
            )
        fonts[key.strip()] = name.strip()
    return fonts


def _as_int(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as e:
        raise ContextError(f"{name} 应当是整数，而不是「{value}」") from e


def _or_default(value: int | None, default: int) -> int:
    # `value or default` would turn --points 0 / --length 0 into the default instead of an error
    return default if value is None else value


def _path(value: Any) -> Path | None:
    return Path(value) if value not in (None, "") else None


def format_for_output(output: Path | None, fmt: str | None) -> str:
    """The output format: the one asked for, else the output file's extension, else docx."""
    from drafter.export.write import format_for_path

    out_fmt = fmt or (format_for_path(output) if output else None) or "docx"
    if out_fmt not in FORMATS:
        raise ExportError(f"输出格式「{out_fmt}」无效", hint="--format 可选：docx、md、txt。")
    return out_fmt


def resolve_options(values: Mapping[str, Any], *, params_file: Path | None = None) -> DraftOptions:
    """Merge a --params file under ``values`` (None = not given), apply defaults and validate.

    Raises ContextError (missing or malformed values, params file problems) or ExportError (formats).
    """
    from drafter.draft.params import EXTRA_KEYS, load_params_file

    given: dict[str, Any] = {}
    if params_file is not None:
        given.update(load_params_file(params_file, allowed=(*DraftParams.field_names(), *EXTRA_KEYS)))
    given.update({k: v for k, v in values.items() if v is not None and v != []})
    for required, flag in (("year", "--year"), ("locality", "--locality"), ("level", "--level")):
        if given.get(required) in (None, ""):
            raise ContextError(
                f"缺少 {flag}", hint="例如：drafter draft --year 2026 --locality 汉中市 --level 市"
            )
    params = DraftParams(
        year=_as_int("year", given["year"]) or 0,
        locality=str(given["locality"]),
        level=str(given["level"]),
        province=given.get("province"),
        meeting_no=_as_int("meeting_no", given.get("meeting_no")),
        speaker=given.get("speaker"),
        date=str(given["date"]) if given.get("date") else None,
        points=_or_default(_as_int("points", given.get("points")), DEFAULT_POINTS),
        topics=split_topics(given.get("topics")),
        length=_or_default(_as_int("length", given.get("length")), DEFAULT_LENGTH),
        seed=_as_int("seed", given.get("seed")),
        template=given.get("template"),
        plenum=given.get("plenum"),
        state_council=given.get("state_council"),
    )
    output = _path(given.get("output"))
    report = _path(given.get("report"))
    if report is not None and report.suffix.lower() not in REPORT_FORMATS:
        raise ExportError("报告文件应以 .md 或 .json 结尾", path=report, hint="例如 --report 初稿报告.md。")
    fonts_from_file = (
        values.get("fonts") is None and params_file is not None and given.get("fonts") is not None
    )
    fonts = FontConfig.from_mapping(
        parse_fonts(given.get("fonts")), path=params_file if fonts_from_file else None
    )
    return DraftOptions(
        params=params,
        banks=tuple(Path(p) for p in (given.get("bank") or [])),
        templates=_path(given.get("templates")),
        avoid=_path(given.get("avoid")),
        output=output,
        fmt=format_for_output(output, given.get("format")),
        report=report,
        fonts=fonts,
        reference_docx=_path(given.get("reference_docx")),
        bold_leads=bool(given.get("bold_leads")),
    )


def default_output_name(locality: str, year: int, fmt: str) -> str:
    return f"{locality}{year}年政府廉政工作会议讲话（初稿）.{fmt}"


def make_draft(options: DraftOptions) -> Draft:
    """Compose the draft: context, the layered bank, the templates, --avoid. Raises UserError subclasses."""
    from drafter.bank import load_bank
    from drafter.draft.compose import compose_draft
    from drafter.draft.context import build_context
    from drafter.read.sources import read_source

    context = build_context(options.params)
    bank = load_bank(user_dirs=list(options.banks))
    avoid_texts = (read_source(options.avoid).text,) if options.avoid is not None else ()
    return compose_draft(context, bank, templates_dir=options.templates, avoid_texts=avoid_texts)


def output_path(options: DraftOptions, *, cwd: Path | None = None) -> Path:
    """Where the draft goes: ``-o``, else the default name in ``cwd``."""
    from drafter.draft.context import build_context

    if options.output is not None:
        return options.output
    context = build_context(options.params)
    return (cwd or Path.cwd()) / default_output_name(context.locality, context.year, options.fmt)


def write_draft_files(
    options: DraftOptions, *, force: bool = False, cwd: Path | None = None
) -> tuple[Path, Draft]:
    """Compose the draft and write it (and its --report); both targets are checked before composing."""
    from drafter.draft.report import render_report
    from drafter.export.write import write_draft
    from drafter.fsutil import check_writable_target, write_text_atomic

    out_path = output_path(options, cwd=cwd)
    check_writable_target(out_path, force=force)
    if options.report is not None:
        check_writable_target(options.report, force=force)
    draft = make_draft(options)
    written = write_draft(
        draft,
        out_path,
        fmt=options.fmt,
        force=force,
        reference_docx=options.reference_docx,
        fonts=options.fonts,
        bold_leads=options.bold_leads,
    )
    if options.report is not None:
        write_text_atomic(options.report, render_report(draft, REPORT_FORMATS[options.report.suffix.lower()]))
    return written, draft
