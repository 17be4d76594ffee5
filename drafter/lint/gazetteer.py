"""The bundled gazetteer of China's divisions (drafter/data/gazetteer.tsv, from jionlp's division list,
built by scripts/build_gazetteer.py) and the ordinary words that contain or straddle a short name
(gazetteer_words.txt). Used by the ``place`` rule and by ``draft``'s check of a bare place name (城固);
a module of its own so that the latter loads none of the lint rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from drafter.resources import read_package_data

__all__ = ["Division", "Gazetteer", "load_gazetteer"]


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province / city / county
    parent: str
    aliases: tuple[str, ...]
    matched: tuple[str, ...]  # aliases matched on their own


@dataclass(frozen=True)
class Gazetteer:
    divisions: dict[str, Division]  # by code
    by_name: dict[str, tuple[str, ...]]  # name or alias -> codes
    words: frozenset[str]  # names and masks, looked up by length
    lengths: tuple[int, ...]  # longest first
    masks: frozenset[str]
    bigrams: frozenset[str]

    def scan(self, text: str, pos: int) -> tuple[int, str] | None:
        """The first name or mask at or after ``pos`` (longest at its position)."""
        for start in range(pos, len(text) - 1):
            for length in self.lengths:
                word = text[start : start + length]
                if len(word) == length and word in self.words:
                    return start, word
        return None

    def lineage(self, code: str) -> list[Division]:
        out: list[Division] = []
        while code and code in self.divisions and len(out) < 6:  # a damaged table must not loop
            division = self.divisions[code]
            out.append(division)
            code = division.parent
        return out

    def province_of(self, code: str) -> Division:
        return self.lineage(code)[-1]

    def children(self, code: str) -> list[str]:
        return [d.code for d in self.divisions.values() if d.parent == code]


@cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer (package data). Raises OSError only if the package is damaged."""
    divisions: dict[str, Division] = {}
    by_name: dict[str, list[str]] = {}
    names: set[str] = set()
    for raw in read_package_data("gazetteer.tsv").splitlines():
        if not raw or raw.startswith("#"):
            continue
        code, name, level, parent, aliases, matched = raw.split("\t")
        division = Division(code, name, level, parent, _split(aliases), _split(matched))
        divisions[code] = division
        for n in (name, *division.aliases):
            by_name.setdefault(n, []).append(code)
        if len(name) >= 3:  # 和县, 兴县: too short to tell from ordinary text
            names.add(name)
        names.update(division.matched)
        if name.endswith("自治州"):
            names.update(a for a in division.aliases if a.endswith("州"))
    masks: set[str] = set()
    bigrams: set[str] = set()
    for raw in read_package_data("gazetteer_words.txt").splitlines():
        kind, _, word = raw.partition("\t")
        if kind == "mask":
            masks.add(word)
        elif kind == "bigram":
            bigrams.add(word)
    words = frozenset(names | masks)
    return Gazetteer(
        divisions,
        {k: tuple(v) for k, v in by_name.items()},
        words,
        tuple(sorted({len(w) for w in words}, reverse=True)),
        frozenset(masks),
        frozenset(bigrams),
    )


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(",") if v)
