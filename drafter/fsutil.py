"""Atomic file writes: a temp file in the target folder, fsync, then rename. Never a half-written file."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from drafter.errors import ExportError


def check_writable_target(path: Path, *, force: bool) -> None:
    """Raise ExportError if ``path`` exists (without force), is a folder, or its folder is missing."""
    if path.is_dir():
        raise ExportError("输出路径是一个文件夹", path=path, hint="请用 -o 给出文件名，例如 -o 讲话.docx。")
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


def _temp_beside(path: Path) -> tuple[int, Path]:
    """A new temp file in the target's folder (same file system, so the rename is atomic)."""
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
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _copy_mode(path, tmp)
        tmp.replace(path)
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


def write_files_atomic(files: Mapping[Path, bytes]) -> None:
    """Write several files all or nothing: every file is staged as a temp file beside its target first;
    only when all are on disk are they renamed into place, with Ctrl-C held back until the renames are
    done. An error or Ctrl-C while staging leaves every target as it was. Raises ExportError."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path = Path(path)
            fd, tmp = _temp_beside(path)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _copy_mode(path, tmp)
        with _sigint_held():
            while staged:
                tmp, path = staged[0]
                tmp.replace(path)
                staged.pop(0)
    except OSError as e:
        raise ExportError(f"写入失败：{e.strerror or e}", path=staged[0][1] if staged else None) from e
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()


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
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if caught:
        raise KeyboardInterrupt
