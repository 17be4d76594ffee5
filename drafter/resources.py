"""Where the bundled templates and phrase bank live: inside the wheel, or at the repository root."""

from __future__ import annotations

from functools import cache
from importlib import resources
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
    return resources.files("drafter").joinpath("data", name).read_text(encoding="utf-8")
