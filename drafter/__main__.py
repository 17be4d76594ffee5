"""`python -m drafter` runs the CLI."""

from drafter.cli import run

run()
