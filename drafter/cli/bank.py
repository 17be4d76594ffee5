"""CLI commands for this stage (being built)."""
