"""Library API: search the bank read-only, and what the page offers (topics, roles, templates, defaults)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drafter.api.options import DEFAULT_POINTS, as_int
from drafter.draft.context import DEFAULT_LENGTH
from drafter.errors import ContextError
from drafter.models import LEVELS


def search_bank_entries(
    *,
    banks: tuple[Path, ...] = (),
    text: str | None = None,
    role: str | None = None,
    topic: str | None = None,
    year: Any = None,
    level: str | None = None,
    offset: Any = 0,
    limit: Any = 50,
) -> dict[str, Any]:
    """Read-only bank search for the page: {total, entries: [...]}, by id. Raises BankError/ContextError."""
    from drafter.bank import load_bank
    from drafter.bank.query import filter_entries, make_filter

    first = as_int("offset", offset) or 0
    count = as_int("limit", limit) or 50
    if first < 0 or not 1 <= count <= 200:
        raise ContextError("分页参数无效", hint="offset ≥ 0，limit 为 1–200。")
    entry_filter = make_filter(
        role=role or None,
        topics=(topic,) if topic else (),
        level=level or None,
        year=as_int("year", year),
        text=text or None,
    )
    bank = load_bank(user_dirs=list(banks))
    found = sorted(filter_entries(bank.entries, entry_filter), key=lambda e: e.id)
    return {
        "total": len(found),
        "offset": first,
        "entries": [
            {
                "id": e.id,
                "role": e.role,
                "text": e.text,
                "topics": list(e.topics),
                "levels": list(e.levels),
                "years": str(e.years),
                "source": list(e.source),
                "style": e.style,
                "note": e.note,
                "file": e.file.name if e.file is not None else None,
                "line": e.line,
            }
            for e in found[first : first + count]
        ],
    }


def web_meta(*, banks: tuple[Path, ...] = (), templates: Path | None = None) -> dict[str, Any]:
    """What the page's form offers: topics, templates, roles, levels, years, defaults."""
    from drafter.bank.schema import ROLES
    from drafter.draft.compose import list_templates
    from drafter.facts.topics import TOPICS
    from drafter.models import MAX_YEAR, MIN_YEAR

    return {
        "topics": list(TOPICS),
        "templates": [{"name": t.name, "description": t.description} for t in list_templates(templates)],
        "roles": list(ROLES),
        "role_labels": dict(ROLES),
        "levels": list(LEVELS),
        "years": [MIN_YEAR, MAX_YEAR],
        "defaults": {"points": DEFAULT_POINTS, "length": DEFAULT_LENGTH},
    }
