"""The Typer app and its one error handler: a UserError prints in Chinese to stderr and exits 1."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from drafter import __version__
from drafter.errors import UserError


def print_user_error(error: UserError) -> None:
    where = error.location()
    message = f"{where}: {error.message}" if where else error.message
    typer.echo(f"错误：{message}", err=True)
    if error.hint:
        typer.echo(f"提示：{error.hint}", err=True)


def _with_chinese_help(original: Any) -> Any:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = "显示帮助并退出。"
        return option

    return get_help_option


# Every command's -h/--help says so in Chinese.
for _cls in (TyperCommand, TyperGroup):
    _cls.get_help_option = _with_chinese_help(_cls.get_help_option)  # type: ignore[method-assign]


class DrafterGroup(TyperGroup):
    """Root command group: turns UserError and Ctrl-C into a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as e:
            print_user_error(e)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("已中断：没有写入任何不完整的文件。", err=True)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=DrafterGroup,
    name="drafter",
    help="drafter：政府廉政工作会议讲话初稿生成工具。挖掘范文、管理语料库、生成公文格式初稿、检查讲话稿。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"drafter {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", "-V", help="显示版本号并退出。", callback=_version, is_eager=True
    ),
) -> None:
    """drafter：政府廉政工作会议讲话初稿生成工具。"""


def echo_err(message: str) -> None:
    typer.echo(message, err=True)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
