"""Read stage: splitting text into sentences (kept apart from cleaning, so a draft that only splits
sentences loads no cleaning rules)."""

from __future__ import annotations

import re
from functools import lru_cache

_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*|[^。！？!?]+$")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ (closing quotes stay with their sentence)."""
    return [s for s in _SENTENCE.findall(text) if s.strip()]


_OPEN_QUOTES = "“‘《「『"
_CLOSE_QUOTES = "”’》」』"
_ENDS = "。！？!?"


_QUOTE_OR_END = re.compile(f"[{re.escape(_OPEN_QUOTES + _CLOSE_QUOTES + _ENDS)}]")
_END_RUN = re.compile(r"[。！？!?”’」』）)]*")


def split_sentences_quoted(text: str) -> list[str]:
    """Sentences like ``split_sentences``, but a quotation (“…。…。”) stays inside one sentence.

    Unbalanced quotes fall back to ``split_sentences``. (Cached: mining splits the same paragraph for its
    lead, its segments, its quotes and its generalisation.)
    """
    return list(_split_quoted(text))


@lru_cache(maxsize=4096)
def _split_quoted(text: str) -> tuple[str, ...]:
    out: list[str] = []
    depth = 0
    start = 0
    pos = 0
    # Jump from one quote or sentence end to the next (a character loop was a quarter of mining time).
    while (found := _QUOTE_OR_END.search(text, pos)) is not None:
        i = found.start()
        ch = text[i]
        pos = i + 1
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and i > 0 and text[i - 1] in _ENDS:
                out.append(text[start:pos])
                start = pos
        elif depth == 0:
            pos = _END_RUN.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
            out.append(text[start:pos])
            start = pos
    if depth:
        return tuple(split_sentences(text))
    if start < len(text):
        out.append(text[start:])
    return tuple(s for s in out if s.strip())
