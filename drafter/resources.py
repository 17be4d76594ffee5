"""Where the bundled templates and phrase bank live (inside the wheel, or at the repository root), and
where and how drafter keeps its caches."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # Installed wheel: hatchling force-includes templates/ and phrasebank/ as drafter/_bundled/NAME.
    installed = _PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    # Source checkout or editable install: the folders sit at the repository root.
    return _PACKAGE_DIR.parent / name


@cache
def bundled_templates_dir() -> Path:
    return _bundled("templates")


@cache
def bundled_bank_dir() -> Path:
    return _bundled("phrasebank")


def read_package_data(name: str) -> str:
    """Text of a file in drafter/data (UTF-8)."""
    from importlib import resources  # not at import: most commands read no package data

    return resources.files("drafter").joinpath("data", name).read_text(encoding="utf-8")


NO_CACHE_ENV = "DRAFTER_NO_CACHE"


def user_cache_dir(name: str) -> Path | None:
    """$XDG_CACHE_HOME/drafter/NAME (or ~/.cache/drafter/NAME); None when caching is off or there is no home."""
    import os

    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / "drafter" / name
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        return None
    return home / ".cache" / "drafter" / name


def write_cache_file(target: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a cache file: ``data`` (or its pieces as they come) through a temporary file beside
    ``target``, then renamed over it. Best effort: a folder that cannot be made or written, or a piece
    that cannot be made (ValueError, TypeError, RecursionError), leaves nothing behind and no error."""
    import contextlib
    import os

    folder = target.parent
    tmp = folder / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
        tmp.replace(target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if not isinstance(e, OSError | ValueError | TypeError | RecursionError):
            raise
