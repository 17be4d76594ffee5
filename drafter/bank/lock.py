"""Bank stage: one writer at a time per bank folder.

Every command that writes a bank (``bank add/remove/lock/reject/generalize``, ``mine``) holds an exclusive lock for
the folder while it reads, checks and writes, so a concurrent edit is never lost. The lock is a file
lock from the ``filelock`` library (fcntl / msvcrt: the system releases it if the process dies). Its
file lives outside the bank, in ``<temp>/drafter-locks/<hash of the folder's real path>.lock``, so the
bank folder holds nothing but the user's files. A second writer waits up to ``LOCK_TIMEOUT`` seconds,
then fails naming the holder (written beside the lock, ``….who``, while it is held).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from drafter.errors import BankError

LOCK_DIR_ENV = "DRAFTER_LOCK_DIR"
LOCK_TIMEOUT = 30.0  # seconds; DRAFTER_LOCK_TIMEOUT overrides
_held: dict[Path, int] = {}  # folders this process holds, with a nesting count


def lock_dir() -> Path:
    """Where lock files live: DRAFTER_LOCK_DIR, else ``drafter-locks`` in the system temp folder
    (shared by every user of the machine, like /tmp itself)."""
    env = os.environ.get(LOCK_DIR_ENV)
    folder = Path(env) if env else Path(tempfile.gettempdir()) / "drafter-locks"
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not env:
                folder.chmod(0o1777)  # every user may lock, no one may remove another's lock file
        except OSError as e:
            raise BankError(
                f"无法创建锁文件夹：{e.strerror or e}",
                path=folder,
                hint=f"请检查临时文件夹的权限，或用环境变量 {LOCK_DIR_ENV} 指定一个可写的文件夹。",
            ) from e
    return folder


def lock_path(folder: Path) -> Path:
    """The lock file of a bank folder (by its real path, so every spelling of it shares one lock)."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return lock_dir() / f"bank-{digest}.lock"


def lock_timeout() -> float:
    raw = os.environ.get("DRAFTER_LOCK_TIMEOUT")
    try:
        return max(0.0, float(raw)) if raw else LOCK_TIMEOUT
    except ValueError:
        return LOCK_TIMEOUT


def _who(lock: Path) -> Path:
    return lock.with_suffix(".who")


def _holder(lock: Path) -> str:
    """Who holds the lock, as written by the holder; empty if unknown."""
    try:
        info = json.loads(_who(lock).read_text(encoding="utf-8"))
        return f"进程 {info['pid']}（{info['host']}，{info['command']}，{info['since']} 起）"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _write_holder(lock: Path, folder: Path) -> None:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join(["drafter", *sys.argv[1:3]]),
        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
        "bank": str(folder),
    }
    with contextlib.suppress(OSError):
        _who(lock).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


@contextlib.contextmanager
def bank_lock(folder: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the bank folder's write lock (re-entrant within this process; the folder need not exist
    yet). Raises BankError when another writer keeps it past ``timeout`` seconds."""
    from filelock import FileLock, Timeout

    folder = Path(folder)
    key = folder.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    wait = lock_timeout() if timeout is None else timeout
    path = lock_path(key)
    lock = FileLock(str(path), timeout=wait, mode=0o666)
    try:
        lock.acquire()
    except Timeout:
        who = _holder(path)
        raise BankError(
            f"语料库正被另一个命令修改，等待 {wait:g} 秒后仍未释放" + (f"：{who}" if who else ""),
            path=folder,
            hint="请等那个命令结束后再试；若它已卡住，可结束该进程（锁会随进程结束自动释放）。",
        ) from None
    except OSError as e:
        raise BankError(
            f"无法锁定语料库文件夹：{e.strerror or e}",
            path=path,
            hint=f"请检查 {path.parent} 的写入权限，或用环境变量 {LOCK_DIR_ENV} 指定一个可写的文件夹。",
        ) from e
    _held[key] = 1
    try:
        _write_holder(path, key)
        yield
    finally:
        del _held[key]
        with contextlib.suppress(OSError):
            _who(path).unlink()
        lock.release()
