"""Shared knowledge helper: answers kept per text, with a bound, so a long-running server never grows
without limit. Facts that the load cache keeps for an entry are handed to the memo of the module that
works them out (``remember_*``), so a draft does not work them out again."""

from __future__ import annotations

from typing import Generic, TypeVar

V = TypeVar("V")


class TextMemo(Generic[V]):
    """At most ``size`` answers; when full, all are dropped at once (cheap, and the texts of one draft come
    back within that draft)."""

    def __init__(self, size: int = 1 << 16) -> None:
        self._found: dict[str, V] = {}
        self._size = size

    def get(self, text: str) -> V | None:
        return self._found.get(text)

    def keep(self, text: str, value: V) -> None:
        if len(self._found) >= self._size:
            self._found.clear()
        self._found[text] = value

    def clear(self) -> None:
        self._found.clear()
