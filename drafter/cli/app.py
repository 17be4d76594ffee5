"""The Typer app and its one error handler: a UserError prints in Chinese to stderr and exits 1."""

from __future__ import annotations

import atexit
import contextlib
import errno
import gc
import importlib
import os
import re
import sys
import threading
from collections.abc import Iterable
from typing import Any

import typer
from typer._click.exceptions import UsageError as UsageError_
from typer.core import TyperCommand, TyperGroup

from drafter import __version__
from drafter.cli.help_zh import install as install_chinese_help
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


# Every command's -h/--help says so in Chinese, and the help's frame (用法、选项、参数、命令) too.
for _cls in (TyperCommand, TyperGroup):
    _cls.get_help_option = _with_chinese_help(_cls.get_help_option)  # type: ignore[method-assign]
install_chinese_help()


# --- usage errors in Chinese (typer 0.29 vendors click as typer._click; its messages are English) ---

# Patterns of click's English messages, compiled on first use (only a usage error needs them).
_NOT_A = r"^'?(?P<value>.*?)'? is not a valid (?P<kind>[a-z ]+)\.?$"
_NOT_IN_RANGE = r"^(?P<value>.*?) is not in the range (?P<range>.+?)\.?$"
_NOT_ONE_OF = r"^'?(?P<value>.*?)'? is not (?:one of )?(?P<choices>'.+)\.?$"
_NO_COMMAND = r"^No such command '(?P<name>.*?)'\.(?: Did you mean '(?P<guess>.*?)'\?)?"
_EXTRA = r"^Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)$"
_KINDS = {"int": "整数", "integer": "整数", "float": "数字", "int range": "整数", "float range": "数字"}


def _param_name(error: Any) -> str:
    param = getattr(error, "param", None)
    if param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            return str(param.human_readable_name)
        return " / ".join(param.opts)
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, str):
        return hint
    return " / ".join(hint) if hint else "参数"


def _bad_value(message: str) -> str:
    if m := re.match(_NOT_A, message, re.S):
        kind = _KINDS.get(m.group("kind"))
        if kind:
            return f"值「{m.group('value')}」不是{kind}"
        if m.group("kind") == "boolean":
            return f"值「{m.group('value')}」不是 true 或 false"
    if m := re.match(_NOT_IN_RANGE, message, re.S):
        return f"值 {m.group('value')} 超出允许的范围（{m.group('range')}）"
    if m := re.match(_NOT_ONE_OF, message, re.S):
        return f"值「{m.group('value')}」不是可选的值（{m.group('choices')}）"
    return f"值无效（{message}）"


def usage_error_text(error: UsageError_) -> tuple[str, str]:
    """A click usage error as a Chinese message and hint (exit code 2)."""
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "drafter"
    hint = f"运行「{command} -h」查看用法。"
    name = type(error).__name__
    message = error.message
    if name == "NoSuchOption":
        option = getattr(error, "option_name", "")
        possible = sorted(getattr(error, "possibilities", None) or ())
        if possible:
            hint = f"您是不是要用 {'、'.join(possible)}？" + hint
        return f"没有这个选项：{option}", hint
    if name == "BadOptionUsage":
        option = getattr(error, "option_name", "")
        if "requires" in message:
            return f"选项 {option} 后面缺少值", hint
        if "does not take a value" in message:
            return f"选项 {option} 不接受值", hint
    if name == "MissingParameter":
        kind = getattr(error, "param_type", None) or getattr(
            getattr(error, "param", None), "param_type_name", ""
        )
        return f"缺少{'参数' if kind == 'argument' else '选项'} {_param_name(error)}", hint
    if name == "BadParameter":
        return f"{_param_name(error)} 的{_bad_value(message)}", hint
    if m := re.match(_NO_COMMAND, message, re.S):
        if m.group("guess"):
            hint = f"您是不是要用 {m.group('guess')}？" + hint
        return f"没有这个命令：{m.group('name')}", hint
    if m := re.match(_EXTRA, message, re.S):
        return f"多余的参数：{m.group('args')}", hint
    if message.startswith("Missing command"):
        return "缺少命令", hint
    return f"命令行用法有误：{error.format_message()}", hint


def _print_usage_error(error: UsageError_) -> None:
    message, hint = usage_error_text(error)
    typer.echo(f"错误：{message}", err=True)
    typer.echo(f"提示：{hint}", err=True)


# Command name -> the module that registers it, in the order `drafter --help` lists them. Only the invoked
# command's module is imported and only that command built; help, completion and an unknown name build all.
COMMAND_MODULES = {
    "draft": "drafter.cli.draft",
    "templates": "drafter.cli.draft",
    "lint": "drafter.cli.lint",
    "mine": "drafter.cli.mine",
    "outline": "drafter.cli.mine",
    "serve": "drafter.cli.serve",
    "bank": "drafter.cli.bank",
}


class LazyGroup(TyperGroup):
    """A group that builds a subcommand (typer's introspection of its parameters) only when it is asked
    for; a listing (help, completion) or an unknown name (for the suggestion) builds them all. Give a
    sub-app ``cls=LazyGroup`` to have it built so (``drafter bank``)."""

    source: typer.Typer | None = None  # the Typer whose registered commands this group builds
    settings: dict[str, Any] | None = None  # the root app's: typer passes them down to every command

    def registered(self) -> dict[str, Any]:
        """name -> CommandInfo or TyperInfo, in typer's order (commands, then sub-apps)."""
        import typer.main

        found: dict[str, Any] = {}
        if self.source is not None:
            for info in self.source.registered_commands:
                assert info.callback is not None
                found.setdefault(info.name or typer.main.get_command_name(info.callback.__name__), info)
            for group in self.source.registered_groups:
                if group.name:
                    found.setdefault(group.name, group)
        return found

    def build(self, name: str) -> None:
        if name in self.commands:
            return
        info = self.registered().get(name)
        if info is not None:
            self.commands[name] = _build_command(info, self.settings or {})

    def build_all(self) -> None:
        for name in self.registered():
            self.build(name)

    def known(self) -> Iterable[str]:
        return self.registered()

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        self.build(cmd_name)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: Any) -> list[str]:
        self.build_all()
        order = {name: i for i, name in enumerate(self.known())}
        return sorted(super().list_commands(ctx), key=lambda name: order.get(name, len(order)))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.known():  # a typo or an option: suggest from every command
            self.build_all()
        return super().resolve_command(ctx, args)


def _build_command(info: Any, settings: dict[str, Any]) -> Any:
    """The click command of a registered command, or the group of a sub-app (lazy if its cls is)."""
    import copy

    import typer.main
    from typer.models import TyperInfo

    short, markup = settings.get("pretty_exceptions_short", True), settings.get("rich_markup_mode")
    if not isinstance(info, TyperInfo):
        return typer.main.get_command_from_info(info, pretty_exceptions_short=short, rich_markup_mode=markup)
    suggest = settings.get("suggest_commands", True)
    source = info.typer_instance
    assert source is not None
    lazy = isinstance(source.info.cls, type) and issubclass(source.info.cls, LazyGroup)
    if lazy:  # the group with its settings and none of its commands; they are built when asked for
        shell, info = copy.copy(source), copy.copy(info)
        shell.registered_commands, shell.registered_groups = [], []
        info.typer_instance = shell
    group = typer.main.get_group_from_info(
        info, pretty_exceptions_short=short, rich_markup_mode=markup, suggest_commands=suggest
    )
    if isinstance(group, LazyGroup):
        group.source, group.settings = source, settings
    return group


class DrafterGroup(LazyGroup):
    """Root command group: imports a command's module (COMMAND_MODULES) and builds the command only when
    it is asked for; turns UserError, usage errors and Ctrl-C into a Chinese message and an exit code (1
    for a UserError, 2 for a usage error, 130 for Ctrl-C)."""

    def build(self, name: str) -> None:
        module = COMMAND_MODULES.get(name)
        if module is None or name in self.commands:
            return
        importlib.import_module(module)
        self.source = app
        self.settings = {
            "pretty_exceptions_short": app.pretty_exceptions_short,
            "rich_markup_mode": app.rich_markup_mode,
            "suggest_commands": app.suggest_commands,
        }
        super().build(name)

    def build_all(self) -> None:
        for name in COMMAND_MODULES:
            self.build(name)

    def known(self) -> Iterable[str]:
        return COMMAND_MODULES

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except UsageError_ as e:
            if type(e).__name__ == "NoArgsIsHelpError":
                raise
            _print_usage_error(e)
            raise typer.Exit(2) from None

    def invoke(self, ctx: Any) -> Any:
        from drafter.fsutil import finish_after_write

        try:
            # a Ctrl-C once the output is on disk: the command finishes (已生成, exit 0) rather than also
            # saying 已中断; kept to the process's end unless drafter runs inside another program (a test)
            with finish_after_write(keep=sys.stdout is sys.__stdout__):
                return super().invoke(ctx)
        except UserError as e:
            print_user_error(e)
            raise typer.Exit(1) from None
        except UsageError_ as e:
            if type(e).__name__ == "NoArgsIsHelpError":
                raise
            _print_usage_error(e)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("已中断：没有写入任何不完整的文件。", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `drafter bank list | head -1`: the reader has all it wants
            _silence_stdout()
            raise typer.Exit(0) from None
        except OSError as e:  # a path the system refuses before drafter could name the problem
            print_user_error(os_error(e))
            raise typer.Exit(1) from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


_OS_ERRORS = {
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统是只读的",
    errno.EIO: "读写出错",
    errno.EINVAL: "文件名无效",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
}


def os_error(error: OSError) -> UserError:
    """An operating-system error on a path, as a UserError in Chinese."""
    reason = _OS_ERRORS.get(error.errno or 0) or f"系统错误：{error.strerror or error}"
    return UserError(
        f"无法访问：{reason}",
        path=error.filename if isinstance(error.filename, str) else None,
        hint="请检查路径（长度、系统不允许的字符）、权限和磁盘空间。",
    )


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


def run() -> None:
    """The ``drafter`` command: the CLI in a process of its own, which ends with it."""
    code: int | str | None = 0
    try:
        app()
    except SystemExit as end:
        code = end.code
    # The process ends here. Its objects need no last pass of the cyclic collector, nor, when nothing
    # is left to run at exit (no exit handlers, no other thread), taking apart one by one (tens of
    # milliseconds with a large bank loaded). Every file drafter writes is closed by now.
    gc.freeze()
    pending = getattr(atexit, "_ncallbacks", lambda: 1)()
    if pending == 0 and threading.active_count() == 1 and (code is None or isinstance(code, int)):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code or 0)
    sys.exit(code)
