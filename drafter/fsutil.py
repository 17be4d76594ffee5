"""Atomic file writes: a temp file in the target folder, fsync, then rename. Never a half-written file."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from drafter.errors import ExportError

STDOUT = "-"  # ``-o -``: write to standard output


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDOUT


def _special_kind(path: Path) -> str | None:
    """What a non-regular file is (设备, 管道 …), or None for a regular file or no file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def refuse_special(path: Path) -> None:
    """Raise ExportError if ``path`` is a device, FIFO or socket: drafter writes only regular files (a
    rename would replace the node itself), whatever --force says."""
    kind = _special_kind(Path(path))
    if kind is not None:
        raise ExportError(
            f"输出目标是{kind}，不是普通文件，未写入",
            path=path,
            hint="drafter 只写普通文件：请换一个文件名（如 -o 讲话.docx），或移走这个设备或管道；"
            "初稿要输出到屏幕或管道请用 -o -。",
        )


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (links, .., symlinks and hard links included)."""
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
    except (OSError, RuntimeError):  # a name too long, a symlink loop: compare the names
        return os.path.normcase(os.path.normpath(Path.cwd() / a)) == os.path.normcase(
            os.path.normpath(Path.cwd() / b)
        )


def check_distinct(outputs: Mapping[str, Path | None], inputs: Mapping[str, Path | None] = {}) -> None:  # noqa: B006
    """Raise ExportError if two outputs, or an output and an input, of one command are the same file.
    Keys are the option names shown to the user (``-o``, ``--report`` …); None and ``-`` are skipped."""
    named = [(k, Path(v)) for k, v in outputs.items() if v is not None and not is_stdout(v)]
    sources = [(k, Path(v)) for k, v in inputs.items() if v is not None and not is_stdout(v)]
    for i, (name, path) in enumerate(named):
        for other, other_path in named[i + 1 :]:
            if same_file(path, other_path):
                raise ExportError(
                    f"{name} 和 {other} 指向同一个文件，后写的会覆盖先写的，未写入任何文件",
                    path=path,
                    hint=f"请给 {other} 另取一个文件名。",
                )
        for other, other_path in sources:
            if same_file(path, other_path):
                raise ExportError(
                    f"输出 {name} 和输入 {other} 是同一个文件，写入会毁掉输入，未写入任何文件",
                    path=path,
                    hint=f"请给 {name} 另取一个文件名。",
                )


def check_writable_target(path: Path, *, force: bool) -> None:
    """Raise ExportError if ``path`` exists (without force), is a folder, a device, FIFO or socket (even
    with force), or its folder is missing."""
    if path.is_dir():
        raise ExportError("输出路径是一个文件夹", path=path, hint="请用 -o 给出文件名，例如 -o 讲话.docx。")
    refuse_special(path)
    if path.exists() and not force:
        raise ExportError(
            "文件已存在，未覆盖", path=path, hint="如需覆盖请加 --force，或用 -o 指定另一个文件名。"
        )
    folder = path.parent
    if not folder.exists():
        raise ExportError(
            "输出文件夹不存在", path=folder, hint="请先创建该文件夹，或用 -o 指定已有的文件夹。"
        )
    if not os.access(folder, os.W_OK):
        raise ExportError("输出文件夹没有写入权限", path=folder, hint="请换一个可写的文件夹，或检查权限。")


def through_link(path: Path) -> Path:
    """The file a symbolic link points to, so that a write replaces that file and the link stays a link."""
    try:
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError:
        return path


def _temp_beside(path: Path) -> tuple[int, Path]:
    """A new temp file in the target's folder (same file system, so the rename is atomic)."""
    refuse_special(path)  # checked again at write time: the rename would replace a device node
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ExportError(
            f"无法在目标文件夹中写入：{e.strerror or e}",
            path=path.parent,
            hint="请检查文件夹是否存在、是否可写、磁盘是否已满。",
        ) from e
    return fd, Path(tmp_name)


def _copy_mode(target: Path, tmp: Path) -> None:
    """The replaced file keeps its permissions; a new one gets 0644."""
    with contextlib.suppress(OSError):
        tmp.chmod(target.stat().st_mode & 0o777 if target.exists() else 0o644)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it replaces ``path`` atomically, on any error it vanishes."""
    path = through_link(Path(path))
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _copy_mode(path, tmp)
        with _sigint_held():
            tmp.replace(path)
            mark_written()
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    try:
        with atomic_writer(path) as handle:
            handle.write(data)
    except OSError as e:
        raise ExportError(f"写入失败：{e.strerror or e}", path=path, hint="请检查磁盘空间和权限。") from e


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_files_atomic(files: Mapping[Path, bytes | str | Callable[[], bytes | str | Iterable[str]]]) -> None:
    """Write several files all or nothing: every file is staged as a temp file beside its target first;
    only when all are on disk are they renamed into place, with Ctrl-C held back until the renames are
    done. An error or Ctrl-C while staging (also one raised by a function giving a file's content when
    it is staged) leaves every target as it was. Text (or a function's chunks of text) is written as
    UTF-8 a slice at a time. Raises ExportError."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path = through_link(Path(path))
            fd, tmp = _temp_beside(path)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                _write_data(handle, data() if callable(data) else data)
                handle.flush()
                os.fsync(handle.fileno())
            _copy_mode(path, tmp)
        with _sigint_held():
            while staged:
                tmp, path = staged[0]
                tmp.replace(path)
                staged.pop(0)
            mark_written()
    except OSError as e:
        raise ExportError(f"写入失败：{e.strerror or e}", path=staged[0][1] if staged else None) from e
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()


_TEXT_SLICE = 1 << 20  # characters encoded at a time


def _write_data(handle: BinaryIO, data: bytes | str | Iterable[str]) -> None:
    if isinstance(data, bytes):
        handle.write(data)
        return
    for text in (data,) if isinstance(data, str) else data:
        for start in range(0, len(text), _TEXT_SLICE):  # not the whole text's bytes at once
            handle.write(text[start : start + _TEXT_SLICE].encode("utf-8"))


_finish_after_write = False


@contextlib.contextmanager
def finish_after_write(*, keep: bool = True) -> Iterator[None]:
    """Inside, the first completed write makes the process ignore Ctrl-C: the output is on disk, so the
    command finishes and says so (已生成, exit 0) rather than reporting an interruption as well. With
    ``keep`` (a real process, about to exit) Ctrl-C stays ignored; else the previous handler returns."""
    global _finish_after_write
    previous = signal.getsignal(signal.SIGINT)
    _finish_after_write = True
    try:
        yield
    finally:
        _finish_after_write = False
        if not keep and previous is not None and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            with contextlib.suppress(ValueError):  # not the main thread
                signal.signal(signal.SIGINT, previous)


def mark_written() -> None:
    if _finish_after_write:
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back for a moment (main thread only); raise it afterwards."""
    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    except ValueError:  # not the main thread: nothing to hold back
        yield
        return
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # mark_written() may have set it
            signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if caught and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        raise KeyboardInterrupt
