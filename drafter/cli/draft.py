"""CLI: `drafter draft` (and `drafter templates`): parameters -> context -> compose -> export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from drafter.cli.app import app
from drafter.errors import ContextError, ExportError

FORMATS = ("docx", "md", "txt")
REPORT_FORMATS = {".md": "md", ".json": "json"}


def _split_topics(value: str | list[str] | None) -> tuple[str, ...]:
    if not value:
        return ()
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        for piece in str(item).replace("，", ",").replace("、", ",").split(","):
            if piece.strip():
                out.append(piece.strip())
    return tuple(out)


def _parse_fonts(values: list[str] | dict[str, str] | None) -> dict[str, str]:
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


def default_output_name(locality: str, year: int, fmt: str) -> str:
    return f"{locality}{year}年政府廉政工作会议讲话（初稿）.{fmt}"


@app.command("draft")
def draft_command(
    year: int | None = typer.Option(None, "--year", "-y", help="会议召开的年份（2018–2030），例如 2026。"),
    locality: str | None = typer.Option(None, "--locality", "-l", help="地名，例如 汉中市、城固县、汉台区。"),
    level: str | None = typer.Option(None, "--level", help="层级：市、县 或 区。"),
    province: str | None = typer.Option(None, "--province", help="所在省份，例如 陕西省。"),
    meeting_no: int | None = typer.Option(
        None, "--meeting-no", help="本届政府第几次廉政工作会议；不写则标题不带届次。"
    ),
    speaker: str | None = typer.Option(
        None, "--speaker", help="讲话人署名，例如「汉中市人民政府市长　张三」。"
    ),
    date: str | None = typer.Option(None, "--date", help="讲话日期，例如 2026年3月5日。"),
    points: int | None = typer.Option(None, "--points", "-n", help="讲几点意见：3、4 或 5（默认 4）。"),
    topics: list[str] | None = typer.Option(
        None, "--topics", "-t", help="工作部分的主题，按顺序，用逗号分隔；可选主题见 README。"
    ),
    length: int | None = typer.Option(None, "--length", help="目标字数（默认约 9000）。"),
    seed: int | None = typer.Option(None, "--seed", help="随机种子：同样的参数和种子生成完全相同的初稿。"),
    template: str | None = typer.Option(
        None, "--template", help="骨架模板名称（drafter templates 可列出）。"
    ),
    templates_dir: Path | None = typer.Option(None, "--templates", help="自己的模板文件夹，优先于自带模板。"),
    bank: list[Path] | None = typer.Option(
        None, "--bank", help="自己的语料库文件夹，优先于自带语料库（可多次给出）。"
    ),
    params_file: Path | None = typer.Option(None, "--params", help="参数文件（YAML），命令行的值优先。"),
    avoid: Path | None = typer.Option(
        None, "--avoid", help="上一年的讲话稿（.docx 或 .txt），尽量不重复其中的段落。"
    ),
    report: Path | None = typer.Option(
        None, "--report", help="另存一份报告（.md 或 .json）：每段的来源和每个待填占位符。"
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="输出文件；默认为「地名+年份+年政府廉政工作会议讲话（初稿）」。"
    ),
    force: bool = typer.Option(False, "--force", "-f", help="覆盖已存在的输出文件。"),
    fmt: str | None = typer.Option(None, "--format", help="输出格式：docx（默认）、md 或 txt。"),
    reference_docx: Path | None = typer.Option(
        None, "--reference-docx", help="单位自己的 Word 模板，沿用其样式、字体和页面设置。"
    ),
    font: list[str] | None = typer.Option(
        None, "--font", help="替换字体，写成 部位=字体名，可多次给出（见 README）。"
    ),
    bold_leads: bool | None = typer.Option(
        None, "--bold-leads/--no-bold-leads", help="“一是”“一要”等领起句加粗。"
    ),
    plenum: str | None = typer.Option(
        None, "--plenum", help="当年中央纪委全会的名称（数据中未确认的年份可自行给出）。"
    ),
    state_council: str | None = typer.Option(
        None, "--state-council", help="当年国务院廉政工作会议的名称（同上）。"
    ),
) -> None:
    """生成一篇政府廉政工作会议讲话初稿（默认 Word 公文格式）。"""
    from drafter.bank import load_bank
    from drafter.draft.compose import compose_draft
    from drafter.draft.context import DraftParams, build_context
    from drafter.draft.params import EXTRA_KEYS, load_params_file
    from drafter.draft.report import render_report
    from drafter.export.layout import FontConfig
    from drafter.export.write import format_for_path, write_draft
    from drafter.fsutil import check_writable_target, write_text_atomic
    from drafter.read.sources import read_source

    given: dict[str, Any] = {}
    if params_file is not None:
        given.update(load_params_file(params_file, allowed=(*DraftParams.field_names(), *EXTRA_KEYS)))
    cli_values = {
        "year": year,
        "locality": locality,
        "level": level,
        "province": province,
        "meeting_no": meeting_no,
        "speaker": speaker,
        "date": date,
        "points": points,
        "topics": topics or None,
        "length": length,
        "seed": seed,
        "template": template,
        "plenum": plenum,
        "state_council": state_council,
        "bank": bank or None,
        "templates": templates_dir,
        "avoid": avoid,
        "report": report,
        "output": output,
        "format": fmt,
        "reference_docx": reference_docx,
        "fonts": font or None,
        "bold_leads": bold_leads,
    }
    given.update({k: v for k, v in cli_values.items() if v is not None})
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
        points=_or_default(_as_int("points", given.get("points")), 4),
        topics=_split_topics(given.get("topics")),
        length=_or_default(_as_int("length", given.get("length")), 9000),
        seed=_as_int("seed", given.get("seed")),
        template=given.get("template"),
        plenum=given.get("plenum"),
        state_council=given.get("state_council"),
    )
    context = build_context(params)

    out_path = Path(given["output"]) if given.get("output") else None
    out_fmt = given.get("format")
    if out_fmt is None:
        out_fmt = (format_for_path(out_path) if out_path else None) or "docx"
    if out_fmt not in FORMATS:
        raise ExportError(f"输出格式「{out_fmt}」无效", hint="--format 可选：docx、md、txt。")
    if out_path is None:
        out_path = Path.cwd() / default_output_name(context.locality, context.year, out_fmt)
    force_write = bool(force)
    check_writable_target(out_path, force=force_write)
    report_path = Path(given["report"]) if given.get("report") else None
    if report_path is not None:
        if report_path.suffix.lower() not in REPORT_FORMATS:
            raise ExportError(
                "报告文件应以 .md 或 .json 结尾", path=report_path, hint="例如 --report 初稿报告.md。"
            )
        check_writable_target(report_path, force=force_write)
    fonts_from_file = font is None and params_file is not None and given.get("fonts") is not None
    fonts = FontConfig.from_mapping(
        _parse_fonts(given.get("fonts")), path=params_file if fonts_from_file else None
    )
    reference = Path(given["reference_docx"]) if given.get("reference_docx") else None

    user_banks = [Path(p) for p in (given.get("bank") or [])]
    loaded_bank = load_bank(user_dirs=user_banks)
    avoid_texts: tuple[str, ...] = ()
    if given.get("avoid"):
        avoid_texts = (read_source(Path(given["avoid"])).text,)
    user_templates = Path(given["templates"]) if given.get("templates") else None
    draft = compose_draft(context, loaded_bank, templates_dir=user_templates, avoid_texts=avoid_texts)

    written = write_draft(
        draft,
        out_path,
        fmt=out_fmt,
        force=force_write,
        reference_docx=reference,
        fonts=fonts,
        bold_leads=bool(given.get("bold_leads")),
    )
    if report_path is not None:
        write_text_atomic(report_path, render_report(draft, REPORT_FORMATS[report_path.suffix.lower()]))
    body = sum(len(b.text) for b in draft.blocks if b.kind not in ("title", "byline"))
    placeholders = sum(b.text.count("【") for b in draft.blocks)
    typer.echo(f"已生成：{written}（正文约 {body} 字，待填【】占位符 {placeholders} 处）")
    if report_path is not None:
        typer.echo(f"报告：{report_path}")
    for note in draft.notes:
        typer.echo(f"提示：{note}", err=True)


@app.command("templates")
def templates_command(
    templates_dir: Path | None = typer.Option(None, "--templates", help="自己的模板文件夹。"),
) -> None:
    """列出可用的骨架模板（不写 --template 时，按种子在自带模板中选一个）。"""
    from drafter.draft.compose import list_templates

    for info in list_templates(templates_dir):
        typer.echo(f"{info.name}\t{info.description}\t{info.path}")
