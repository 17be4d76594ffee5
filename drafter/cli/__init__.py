"""CLI layer: Typer only. Each submodule registers the commands of one stage on ``app``."""

from drafter.cli import bank, draft, lint, mine, serve  # noqa: F401  (registers commands)
from drafter.cli.app import app

__all__ = ["app"]
