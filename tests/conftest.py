"""Shared fixtures: an isolated HOME and no user bank from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("DRAFTER_BANK", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # the bank load cache goes under the isolated HOME
    monkeypatch.delenv("DRAFTER_NO_CACHE", raising=False)
