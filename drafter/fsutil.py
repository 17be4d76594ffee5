"""Atomic file writes: a temp file in the target folder, fsync, then rename. Never a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
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


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it replaces ``path`` atomically, on any error it vanishes."""
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ExportError(
            f"无法在目标文件夹中写入：{e.strerror or e}",
            path=path.parent,
            hint="请检查文件夹是否存在、是否可写、磁盘是否已满。",
        ) from e
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                tmp.chmod(path.stat().st_mode & 0o777)
        else:
            with contextlib.suppress(OSError):
                tmp.chmod(0o644)
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
