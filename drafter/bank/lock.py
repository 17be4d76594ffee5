"""Bank stage: one writer at a time per bank folder.

Every command that writes a bank (``bank add/remove/lock/reject``, ``mine``) holds an exclusive lock on
``<bank>/.drafter.lock`` (the ``filelock`` library: fcntl/msvcrt, released by the OS if the process dies)
while it reads, checks and writes, so a concurrent edit is never lost. A second writer waits up to
``LOCK_TIMEOUT`` seconds, then fails naming the holder (from ``<bank>/.drafter.lock.who``).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from drafter.errors import BankError

LOCK_FILE = ".drafter.lock"
WHO_FILE = ".drafter.lock.who"
LOCK_TIMEOUT = 30.0  # seconds; DRAFTER_LOCK_TIMEOUT overrides
_held: dict[Path, int] = {}  # folders this process holds, with a nesting count


def lock_timeout() -> float:
    raw = os.environ.get("DRAFTER_LOCK_TIMEOUT")
    try:
        return max(0.0, float(raw)) if raw else LOCK_TIMEOUT
    except ValueError:
        return LOCK_TIMEOUT


def _holder(folder: Path) -> str:
    """Who holds the lock, as written by the holder; empty if unknown."""
    try:
        info = json.loads((folder / WHO_FILE).read_text(encoding="utf-8"))
        return f"进程 {info['pid']}（{info['host']}，{info['command']}，{info['since']} 起）"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _write_holder(folder: Path) -> None:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join(["drafter", *sys.argv[1:3]]),
        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    with contextlib.suppress(OSError):
        (folder / WHO_FILE).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


@contextlib.contextmanager
def bank_lock(folder: Path, *, timeout: float | None = None, parents: bool = False) -> Iterator[bool]:
    """Hold the bank folder's write lock (re-entrant within this process); yields whether this call
    created the folder (its parent must exist unless ``parents``). Raises BankError when another writer
    keeps it past ``timeout``."""
    from filelock import FileLock, Timeout

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise BankError("语料库应当是一个文件夹", path=folder, hint="--bank 请给出存放 .yaml 文件的文件夹。")
    created = False
    if not folder.is_dir():
        if not parents and not folder.parent.is_dir():
            raise BankError(
                "语料库文件夹不存在，它的上级文件夹也不存在",
                path=folder,
                hint="请先创建这个文件夹，或检查 --bank 的路径。",
            )
        try:
            folder.mkdir(parents=parents)
            created = True
        except FileExistsError:  # another writer made it a moment ago
            pass
        except OSError as e:
            raise BankError(f"无法创建语料库文件夹：{e.strerror or e}", path=folder) from e
    key = folder.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield created
        finally:
            _held[key] -= 1
        return
    wait = lock_timeout() if timeout is None else timeout
    lock = FileLock(str(key / LOCK_FILE), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        who = _holder(key)
        raise BankError(
            f"语料库正被另一个命令修改，等待 {wait:g} 秒后仍未释放" + (f"：{who}" if who else ""),
            path=folder,
            hint="请等那个命令结束后再试；若它已卡住，可结束该进程（锁会随进程结束自动释放）。",
        ) from None
    except OSError as e:
        raise BankError(
            f"无法锁定语料库文件夹：{e.strerror or e}", path=folder, hint="请检查文件夹的写入权限。"
        ) from e
    _held[key] = 1
    try:
        _write_holder(key)
        yield created
    finally:
        del _held[key]
        with contextlib.suppress(OSError):
            (key / WHO_FILE).unlink()
        lock.release()
