"""Stage: lint. A speech (a draft from drafter or one written by hand) -> a list of Findings.

Rules (id, severity): count (error), repeat (error), placeholder (warning), year (error),
level and place (error when the target is given, else warning), dirt (error), punctuation (warning).
Lines are the file's own: the speech is read without cleaning, so ads and repeats stay visible.

Imported lazily: ``drafter.lint.gazetteer`` (used by ``draft`` to check a bare place name) must not bring
in every rule's patterns, so this package only names what ``drafter.lint.analyze`` defines.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drafter.lint.analyze import RULES, LintResult, analyze_path, analyze_source, lint_path, lint_source

__all__ = ["RULES", "LintResult", "analyze_path", "analyze_source", "lint_path", "lint_source"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'drafter.lint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module("drafter.lint.analyze"), name)
    globals()[name] = value
    return value
