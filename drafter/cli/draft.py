"""CLI: drafter draft (being built)."""
