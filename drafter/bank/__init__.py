"""Bank stage: YAML files of entries and skeletons (the only yaml importers)."""

from drafter.bank.load import load_bank, load_bank_dir
from drafter.bank.schema import ROLES, entry_from_mapping, entry_to_mapping

__all__ = ["ROLES", "entry_from_mapping", "entry_to_mapping", "load_bank", "load_bank_dir"]
