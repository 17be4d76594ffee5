"""CLI layer: Typer only. Each submodule registers the commands of one stage on ``app``; the root group
imports a submodule only when one of its commands is invoked (``COMMAND_MODULES`` in ``app.py``)."""

from drafter.cli.app import app, run

__all__ = ["app", "run"]
