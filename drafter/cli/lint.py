"""CLI: `drafter lint FILE...`: check speeches (drafts or hand-written) and list what looks wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from drafter.cli.app import app, print_user_error
from drafter.errors import ContextError, UserError

if TYPE_CHECKING:
    from drafter.lint import LintResult

FORMATS = ("text", "json")


@app.command("lint")
def lint_command(
    files: list[Path] = typer.Argument(
        ...,
        metavar="文件...",
        help="要检查的讲话稿（.txt、.md 或 .docx），可以给多个。",
        show_default=False,
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        "-y",
        help="会议召开的年份，2018–2030；不写则从文中推断（如“安排部署2022年”“今年是…”）。",
    ),
    locality: str | None = typer.Option(
        None, "--locality", "-l", help="本地地名，如 汉中市、城固县；给出后外地地名和其他层级说法按错误报告。"
    ),
    level: str | None = typer.Option(
        None, "--level", help="层级：市、县 或 区；不写则按地名或文中说法推断。"
    ),
    fmt: str = typer.Option("text", "--format", help="输出格式：text（默认，逐条列出并汇总）或 json。"),
) -> None:
    """检查讲话稿：序号与“讲N点意见”、重复句段、未填占位符、年份错误、层级和外地地名、广告水印、标点。
    发现错误（error）时退出码为 1。"""
    from drafter.api import check_place
    from drafter.lint import analyze_path

    if fmt not in FORMATS:
        raise ContextError(f"输出格式「{fmt}」无效", hint="--format 可选：text、json。")
    check_place(locality, level, year=year, command="lint")  # the same checks as draft

    results = []
    unreadable = 0
    for path in files:
        try:
            results.append(analyze_path(path, year=year, locality=locality, level=level))
        except ContextError:
            raise
        except UserError as e:  # one unreadable file does not stop the others
            print_user_error(e)
            unreadable += 1

    findings = [f for result in results for f in result.findings]
    if fmt == "json":
        typer.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            typer.echo(f"{f.file}:{f.line}: {f.severity} [{f.rule}] {f.message}")
        if findings:
            typer.echo("")
        for result in results:
            typer.echo(_summary_line(result))
        errors = sum(r.errors for r in results)
        warnings = sum(r.warnings for r in results)
        failed = f"，{unreadable} 个文件无法读取" if unreadable else ""
        typer.echo(f"共检查 {len(results)} 个文件：{errors} 个错误，{warnings} 个警告{failed}。")
    if unreadable or any(r.errors for r in results):
        raise typer.Exit(1)


def _summary_line(result: LintResult) -> str:
    year = (
        f" {result.year} 年会议（{result.year_basis}）"
        if result.year is not None
        else "会议年份未能确定（可用 --year 指定）"
    )
    basis = result.level_basis
    level = f"{result.level}级（{basis}）" if result.level else "层级未能确定（可用 --level 指定）"
    counts = f"{result.errors} 个错误，{result.warnings} 个警告" if result.findings else "没有发现问题"
    return f"{result.file}：按{year}、{level}检查：{counts}。"
