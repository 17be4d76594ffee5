"""CLI: `drafter serve`: the local web page (draft, swap paragraphs, check, download)."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.cli.app import app


@app.command("serve")
def serve_command(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="监听地址（默认 127.0.0.1，只允许本机访问）。改成其他地址时网页没有登录，请谨慎。",
        show_default=False,
    ),
    port: int = typer.Option(
        8765,
        "--port",
        "-p",
        min=0,
        max=65535,
        help="端口（默认 8765；0 表示任选一个空闲端口）。",
        show_default=False,
    ),
    bank: list[Path] | None = typer.Option(
        None, "--bank", "-b", help="自己的语料库文件夹（可多次给出），优先于自带语料库。"
    ),
    templates_dir: Path | None = typer.Option(None, "--templates", help="自己的模板文件夹，优先于自带模板。"),
    no_browser: bool = typer.Option(False, "--no-browser", help="不自动打开浏览器。"),
) -> None:
    """打开本地网页：填写参数生成初稿，逐段换一段、锁定、删除，检查讲话稿，下载 Word 文件。"""
    from drafter.web.server import serve  # lazy: `drafter --help` must not load the web framework

    serve(
        host=host,
        port=port,
        banks=tuple(bank or ()),
        templates=templates_dir,
        open_browser=not no_browser,
        say=typer.echo,
    )
