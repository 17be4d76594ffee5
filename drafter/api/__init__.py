"""The one library entry point, used by the CLI and the web page alike: draft options in (the names of
``drafter draft`` and ``--params``), resolved and validated once; a Draft, its JSON or the file's bytes
out. ``options`` resolves, ``drafting`` composes and writes, ``editing`` serves the web page's paragraph
edits, ``checking`` lints pasted or uploaded speeches, ``browsing`` searches the bank read-only."""

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
