"""CLI: `drafter draft` (and `drafter templates`): parameters -> context -> compose -> export."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.cli.app import app


@app.command("draft")
def draft_command(
    year: int | None = typer.Option(
        None, "--year", "-y", help="会议召开的年份，2018–2030，例如 2026（必填，也可写在 --params 文件中）。"
    ),
    locality: str | None = typer.Option(
        None, "--locality", "-l", help="地名，例如 汉中市、城固县、汉台区（必填）；须与 --level 一致。"
    ),
    level: str | None = typer.Option(
        None, "--level", help="层级：市、县 或 区（必填）；决定“全市/全县/全区”等口径。"
    ),
    province: str | None = typer.Option(None, "--province", help="所在省份，例如 陕西省；不写则留【省份】。"),
    meeting_no: int | None = typer.Option(
        None, "--meeting-no", help="本届政府第几次廉政工作会议，1–99；不写则标题不带届次。"
    ),
    speaker: str | None = typer.Option(
        None, "--speaker", help="讲话人署名，例如「汉中市人民政府市长　张三」；不写则留【姓名】。"
    ),
    date: str | None = typer.Option(
        None, "--date", help="讲话日期，例如 2026年3月5日；不写则留【X】月【X】日。"
    ),
    points: int | None = typer.Option(None, "--points", "-n", help="讲几点意见：3、4 或 5（默认 4）。"),
    topics: list[str] | None = typer.Option(
        None, "--topics", "-t", help="工作部分的主题，按顺序，用逗号分隔；可选主题见 README。"
    ),
    length: int | None = typer.Option(
        None,
        "--length",
        help="目标字数，3000–30000（默认 7000，约 20–25 分钟的讲话；切题语料不足时宁短勿凑）。",
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        help="随机种子，0–4294967295：同样的参数和种子生成完全相同的初稿；不写时由年份、地名、层级决定。",
    ),
    template: str | None = typer.Option(
        None,
        "--template",
        help="骨架模板名称（drafter templates 可列出）；不写时按种子仿照语料库中一篇范文的结构（讲话骨架）。",
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
        None,
        "--output",
        "-o",
        help="输出文件（.docx、.md 或 .txt）；写 - 则输出到标准输出。默认为当前文件夹中的「地名+年份+年政府廉政工作会议讲话（初稿）.docx」。",
    ),
    force: bool = typer.Option(
        False, "--force", "-f", help="覆盖已存在的普通文件（设备、管道等始终拒绝写入）。"
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="输出格式：docx、md 或 txt；不写时按 -o 的扩展名，否则为 docx。"
    ),
    reference_docx: Path | None = typer.Option(
        None, "--reference-docx", help="单位自己的 Word 模板，沿用其样式、字体和页面设置。"
    ),
    font: list[str] | None = typer.Option(
        None, "--font", help="替换字体，写成 部位=字体名，可多次给出（见 README）。"
    ),
    bold_leads: bool | None = typer.Option(
        None, "--bold-leads/--no-bold-leads", help="“一是”“一要”等领起句加粗（默认不加粗）。"
    ),
    plenum: str | None = typer.Option(
        None, "--plenum", help="当年中央纪委全会的名称（数据中未确认的年份可自行给出）。"
    ),
    state_council: str | None = typer.Option(
        None, "--state-council", help="当年国务院廉政工作会议的名称（同上）。"
    ),
) -> None:
    """生成一篇政府廉政工作会议讲话初稿（默认 Word 公文格式）。"""
    from drafter.api import resolve_options, write_draft_files

    options = resolve_options(
        {
            "year": year,
            "locality": locality,
            "level": level,
            "province": province,
            "meeting_no": meeting_no,
            "speaker": speaker,
            "date": date,
            "points": points,
            "topics": topics,
            "length": length,
            "seed": seed,
            "template": template,
            "plenum": plenum,
            "state_council": state_council,
            "bank": bank,
            "templates": templates_dir,
            "avoid": avoid,
            "report": report,
            "output": output,
            "format": fmt,
            "reference_docx": reference_docx,
            "fonts": font,
            "bold_leads": bold_leads,
        },
        params_file=params_file,
    )
    from drafter.fsutil import is_stdout

    written, draft = write_draft_files(options, force=force)
    to_stderr = is_stdout(written)  # the draft itself is on standard output
    body = sum(len(b.text) for b in draft.blocks if b.kind not in ("title", "byline"))
    placeholders = sum(b.text.count("【") for b in draft.blocks)
    where = "标准输出" if to_stderr else str(written)
    typer.echo(f"已生成：{where}（正文约 {body} 字，待填【】占位符 {placeholders} 处）", err=to_stderr)
    if options.report is not None:
        typer.echo(f"报告：{options.report}", err=to_stderr)
    for note in draft.notes:
        typer.echo(f"提示：{note}", err=True)


@app.command("templates")
def templates_command(
    templates_dir: Path | None = typer.Option(None, "--templates", help="自己的模板文件夹。"),
) -> None:
    """列出可用的骨架模板。draft 不写 --template 时，按种子从语料库的“讲话骨架”中选一篇范文的结构，并用与其标题样式相符的模板；语料库中没有骨架时，按种子在这些模板中选一个。"""
    from drafter.draft.compose import list_templates

    for info in list_templates(templates_dir):
        typer.echo(f"{info.name}\t{info.description}\t{info.path}")
