"""Read stage: splitting text into sentences (kept apart from cleaning, so a draft that only splits
sentences loads no cleaning rules)."""

from __future__ import annotations

import re
from array import array
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
    bounds = _split_quoted(text)
    return [text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]


@lru_cache(maxsize=512)  # mining asks again within a unit and its neighbours
def _split_quoted(text: str) -> array[int]:
    """Where the sentences of ``text`` start and end (start, end, start, end, …): kept as offsets, a
    quarter of the memory of the sentences themselves."""
    bounds = array("L")
    for start, stop in _quoted_spans(text):
        if not text[start:stop].isspace() and start < stop:
            bounds.append(start)
            bounds.append(stop)
    return bounds


# Without an opening quote every quote level stays 0 and the spans below are these tokens: a 》 right after
# a sentence end (on its own), a run up to a sentence end with the end's run, or the rest of the text.
_OPEN_QUOTE = re.compile(f"[{re.escape(_OPEN_QUOTES)}]")
_FLAT_SPAN = re.compile(r"(?<=[。！？!?])》|[^。！？!?]*[。！？!?][。！？!?”’」』）)]*|[^。！？!?]+")


def first_sentence_quoted(text: str) -> str:
    """``split_sentences_quoted(text)[0]`` ("" for a text without one), without splitting the rest of a
    text that holds no quotation (and without keeping its split)."""
    if _OPEN_QUOTE.search(text):
        return (split_sentences_quoted(text) or [""])[0]
    for found in _FLAT_SPAN.finditer(text):
        if not found.group().isspace():
            return found.group()
    return ""


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    if not _OPEN_QUOTE.search(text):  # most sentences and many paragraphs: the spans in one pass
        return [m.span() for m in _FLAT_SPAN.finditer(text)]
    out: list[tuple[int, int]] = []
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
                out.append((start, pos))
                start = pos
        elif depth == 0:
            pos = _END_RUN.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
            out.append((start, pos))
            start = pos
    if depth:
        return [m.span() for m in _SENTENCE.finditer(text)]  # split_sentences' pieces
    if start < len(text):
        out.append((start, len(text)))
    return out
