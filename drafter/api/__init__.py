"""The one library entry point, used by the CLI and the web page alike: draft options in (the names of
``drafter draft`` and ``--params``), resolved and validated once; a Draft, its JSON or the file's bytes
out. ``options`` resolves, ``drafting`` composes and writes, ``editing`` serves the web page's paragraph
edits, ``checking`` lints pasted or uploaded speeches, ``browsing`` searches the bank read-only."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drafter.api.browsing import search_bank_entries, web_meta
    from drafter.api.checking import LINT_TEXT_MAX_CHARS, lint_speech, read_upload
    from drafter.api.drafting import draft_bytes, make_draft, output_path, write_draft_files, write_stdout
    from drafter.api.editing import (
        alternatives,
        blocks_from_json,
        draft_from_json,
        draft_to_json,
        renumber_blocks,
        web_draft,
        web_export,
        web_options,
        web_renumber,
    )
    from drafter.api.options import (
        DEFAULT_POINTS,
        FORMATS,
        REPORT_FORMATS,
        DraftOptions,
        check_place,
        default_output_name,
        resolve_options,
    )
    from drafter.draft.context import DEFAULT_LENGTH

# Imported on first use, so `drafter draft` loads neither the web page's editing nor the checking code.
_LAZY = {
    "DEFAULT_LENGTH": "drafter.draft.context",
    "DEFAULT_POINTS": "drafter.api.options",
    "DraftOptions": "drafter.api.options",
    "FORMATS": "drafter.api.options",
    "LINT_TEXT_MAX_CHARS": "drafter.api.checking",
    "REPORT_FORMATS": "drafter.api.options",
    "alternatives": "drafter.api.editing",
    "blocks_from_json": "drafter.api.editing",
    "check_place": "drafter.api.options",
    "default_output_name": "drafter.api.options",
    "draft_bytes": "drafter.api.drafting",
    "draft_from_json": "drafter.api.editing",
    "draft_to_json": "drafter.api.editing",
    "lint_speech": "drafter.api.checking",
    "make_draft": "drafter.api.drafting",
    "output_path": "drafter.api.drafting",
    "read_upload": "drafter.api.checking",
    "renumber_blocks": "drafter.api.editing",
    "resolve_options": "drafter.api.options",
    "search_bank_entries": "drafter.api.browsing",
    "web_draft": "drafter.api.editing",
    "web_export": "drafter.api.editing",
    "web_meta": "drafter.api.browsing",
    "web_options": "drafter.api.editing",
    "web_renumber": "drafter.api.editing",
    "write_draft_files": "drafter.api.drafting",
    "write_stdout": "drafter.api.drafting",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'drafter.api' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_LENGTH",
    "DEFAULT_POINTS",
    "FORMATS",
    "LINT_TEXT_MAX_CHARS",
    "REPORT_FORMATS",
    "DraftOptions",
    "alternatives",
    "blocks_from_json",
    "check_place",
    "default_output_name",
    "draft_bytes",
    "draft_from_json",
    "draft_to_json",
    "lint_speech",
    "make_draft",
    "output_path",
    "read_upload",
    "renumber_blocks",
    "resolve_options",
    "search_bank_entries",
    "web_draft",
    "web_export",
    "web_meta",
    "web_options",
    "web_renumber",
    "write_draft_files",
    "write_stdout",
]
