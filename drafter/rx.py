"""Shared: regular expressions compiled faster at start-up, the same patterns in every way.

``speed_up_charsets()``: CPython's ``re`` (3.11-3.13) builds a class such as ``[\\u4e00-\\u9fff]`` by setting
20,992 bytes of a map one at a time in Python and then slices the 64 K map into 256 chunks in a Python
loop: 0.2-1 ms per class, and drafter compiles ~160 such classes. It puts in a copy of
``re._compiler._optimize_charset`` that sets a range with one slice and numbers the chunks with a dict:
the compiled code is exactly the same (the tests compare the code of every drafter pattern and of
generated classes with the original's). Only on the Python versions whose function was checked to be
this one; elsewhere nothing changes. That function below is CPython's (PSF licence) with those two loops
changed.

``keep_compiled_patterns()``: what ``.pyc`` files are for modules, for patterns. The compiled code of
each pattern (what ``re`` hands to ``_sre.compile``) is kept in the user cache, one file per Python build,
and taken from there in the next run instead of parsing and compiling the pattern again (~300 patterns:
~70 ms -> ~2 ms). ``_sre.compile`` checks the code it is given, and anything unexpected (a damaged file,
another Python) falls back to compiling as usual.

Both change the ``re`` module of the whole process, so only the ``drafter mine`` command (a process of
its own) turns them on; importing drafter's modules changes nothing.

Quick tests that never change a result (mining runs dozens of patterns over every clause and entry, and
most texts hold nothing that any of them could match):

- ``needles(pattern)``: strings read from the pattern's own parse, one of which every text it matches
  holds; ``Prefilter(p, q, …).test(text)`` is false only for a text holding none of them (``in`` for up to
  three needles, else one search for all); ``Screened(pattern)`` searches only a text that passes;
  ``Screen(patterns).which(text)`` names the patterns that may match, from one search for all needles.
- ``headed(pattern)`` / ``quick(pattern)``: a pattern that ``re`` must try in full at every place of a
  text (one opening with a lookbehind, or with alternatives not all opening with a character) behind a
  test of its first characters: the same matches, found sooner.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

CHECKED = ((3, 11), (3, 12), (3, 13))  # _optimize_charset is the same text in these versions


def speed_up_charsets() -> bool:
    """Install the faster ``_optimize_charset`` (once); returns whether it is in place."""
    if sys.version_info[:2] not in CHECKED:
        return False
    from re import _compiler

    if getattr(_compiler._optimize_charset, "__module__", "") == __name__:
        return True
    if _compiler._optimize_charset.__code__.co_argcount != 4:  # pragma: no cover - not the checked one
        return False
    global _ORIGINAL
    _ORIGINAL = _compiler._optimize_charset
    _compiler._optimize_charset = _optimize_charset
    return True


_ORIGINAL: Any = None


def original_optimize_charset() -> Any:
    """CPython's own function (for the tests)."""
    from re import _compiler

    return _ORIGINAL or _compiler._optimize_charset


def _optimize_charset(  # noqa: C901, PLR0912
    charset: Any, iscased: Any = None, fixup: Any = None, fixes: Any = None
) -> tuple[Any, bool]:
    from re._compiler import _bytes_to_codes, _mk_bitmap
    from re._constants import BIGCHARSET, CHARSET, LITERAL, NEGATE, RANGE, RANGE_UNI_IGNORE

    # internal: optimize character set
    out = []
    tail = []
    charmap = bytearray(256)
    hascased = False
    for op, av in charset:
        while True:
            try:
                if op is LITERAL:
                    if fixup:
                        lo = fixup(av)
                        charmap[lo] = 1
                        if fixes and lo in fixes:
                            for k in fixes[lo]:
                                charmap[k] = 1
                        if not hascased and iscased(av):
                            hascased = True
                    else:
                        charmap[av] = 1
                elif op is RANGE:
                    r = range(av[0], av[1] + 1)
                    if fixup:
                        if fixes:
                            for i in map(fixup, r):
                                charmap[i] = 1
                                if i in fixes:
                                    for k in fixes[i]:
                                        charmap[k] = 1
                        else:
                            for i in map(fixup, r):
                                charmap[i] = 1
                        if not hascased:
                            hascased = any(map(iscased, r))
                    else:
                        # changed: one slice (as far as the map goes), then IndexError as the loop had
                        stop = min(av[1] + 1, len(charmap))
                        if av[0] < stop:
                            charmap[av[0] : stop] = b"\x01" * (stop - av[0])
                        if stop <= av[1]:
                            raise IndexError
                elif op is NEGATE:
                    out.append((op, av))
                else:
                    tail.append((op, av))
            except IndexError:
                if len(charmap) == 256:
                    # character set contains non-UCS1 character codes
                    charmap += b"\0" * 0xFF00
                    continue
                # Character set contains non-BMP character codes.
                if fixup:
                    hascased = True
                    if op is RANGE:
                        op = RANGE_UNI_IGNORE
                tail.append((op, av))
            break

    # compress character map
    runs: Any = []
    q = 0
    while True:
        p = charmap.find(1, q)
        if p < 0:
            break
        if len(runs) >= 2:
            runs = None
            break
        q = charmap.find(0, p)
        if q < 0:
            runs.append((p, len(charmap)))
            break
        runs.append((p, q))
    if runs is not None:
        # use literal/range
        for p, q in runs:
            if q - p == 1:
                out.append((LITERAL, p))
            else:
                out.append((RANGE, (p, q - 1)))
        out += tail
        # if the case was changed or new representation is more compact
        if hascased or len(out) < len(charset):
            return out, hascased
        # else original character set is good enough
        return charset, hascased

    # use bitmap
    if len(charmap) == 256:
        data = _mk_bitmap(charmap)
        out.append((CHARSET, data))
        out += tail
        return out, hascased

    # A big charset: the 64 K bitmap in chunks of 256, equal chunks numbered once in order of first
    # appearance (changed: the numbering is a dict's insertion order instead of a loop).
    whole = bytes(charmap)
    chunks = list(map(whole.__getitem__, map(slice, range(0, 65536, 256), range(256, 65792, 256))))
    comps = {chunk: block for block, chunk in enumerate(dict.fromkeys(chunks))}
    mapping = bytearray(map(comps.__getitem__, chunks))
    block = len(comps)
    data = _mk_bitmap(bytearray(b"".join(comps)))
    data[0:0] = [block] + _bytes_to_codes(mapping)
    out.append((BIGCHARSET, data))
    out += tail
    return out, hascased


# --- compiled patterns kept between runs ------------------------------------------------------------

CACHE_CAP = 4000  # patterns kept in the file; beyond it, only those of the last run are kept
_known: dict[tuple[str, int], tuple[Any, ...]] = {}  # (pattern, flags) -> _sre.compile's other arguments
_used: set[tuple[str, int]] = set()
_fresh = 0  # patterns compiled since the file was read or last written
COUNTS = {"cached": 0, "compiled": 0}  # this process's patterns: taken from the file, compiled here
_cache_file: Path | None = None
_original_compile: Any = None


def _patterns_file() -> Path | None:
    import _sre
    import hashlib

    from drafter.resources import user_cache_dir

    folder = user_cache_dir("patterns")
    if folder is None:
        return None
    build = f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{_sre.MAXREPEAT}|{_sre.MAXGROUPS}"
    return folder / f"re-{hashlib.sha1(build.encode()).hexdigest()[:16]}.marshal"


def keep_compiled_patterns(*, at_exit: bool = True) -> bool:
    """Take compiled patterns from the user cache and keep the new ones there at exit (see the module's
    text; ``at_exit=False``: the caller calls ``save_compiled_patterns``). Returns whether it is in place
    (not on other Pythons, nor when caching is off)."""
    global _cache_file, _original_compile
    if _original_compile is not None:
        return True
    if sys.implementation.name != "cpython" or sys.version_info[:2] not in CHECKED:
        return False
    path = _patterns_file()
    if path is None:
        return False
    import atexit
    import marshal
    from re import _compiler

    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        data = None
    if isinstance(data, dict):
        _known.update(data)
    _cache_file = path
    _original_compile = _compiler.compile
    _compiler.compile = _compile
    if at_exit:
        atexit.register(save_compiled_patterns)
    return True


def _compile(p: Any, flags: int = 0) -> Any:
    """``re._compiler.compile``, taking a str pattern's compiled code from the cache when it is there."""
    global _fresh
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    if type(p) is not str or not isinstance(flags, int) or flags & _compiler.SRE_FLAG_DEBUG:
        return _original_compile(p, flags)
    flags = int(flags)  # a RegexFlag, when called directly
    key = (p, flags)
    found = _known.get(key)
    if found is not None:
        try:
            compiled = _sre.compile(p, *found)
        except Exception:  # noqa: BLE001 - a damaged entry: compile it as usual
            _known.pop(key, None)
        else:
            _used.add(key)
            COUNTS["cached"] += 1
            return compiled
    # re._compiler.compile, keeping the arguments it hands to _sre.compile (plain ints, for marshal)
    parsed = _parser.parse(p, flags)
    code = list(map(int, _compiler._code(parsed, flags)))
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    arguments = (
        int(flags | parsed.state.flags),
        code,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )
    compiled = _sre.compile(p, *arguments)
    _known[key] = arguments
    _used.add(key)
    _fresh += 1
    COUNTS["compiled"] += 1
    return compiled


def save_compiled_patterns() -> None:
    """Write the cache file when this run compiled patterns it did not hold (at exit; best effort)."""
    global _fresh
    if _cache_file is None or not _fresh:
        return
    import marshal

    from drafter.resources import write_cache_file

    kept = _known if len(_known) <= CACHE_CAP else {key: _known[key] for key in _used if key in _known}
    try:
        data = marshal.dumps(kept)
    except ValueError:  # pragma: no cover - only ints, strs, tuples, lists and dicts are put there
        return
    write_cache_file(_cache_file, data)
    _fresh = 0


# --- needles: the words a pattern cannot match without ----------------------------------------------

NEEDLE_CAP = 64  # at most this many strings in a needle set (and in any set built on the way)


class _Unknown(Exception):
    """The analysis cannot say (a construct it does not follow, a set grown too large)."""


def needles(pattern: Any) -> frozenset[str] | None:
    """Strings of which every text that ``pattern`` (a compiled str pattern) matches holds one, found from
    the pattern's own parse: ``r"“[^“”]{2,14}年”|…(?:推进|提升)年(?:活动|行动)"`` -> {年”, 年活动, 年行动}.
    None when there is no such short list (a pattern that may match almost anything, or the empty string).

    A text that holds none of them cannot match, so ``any(n in text for n in found)`` is a test that
    never turns a match away: a prefilter that keeps results exactly the same. Longer and fewer strings
    are preferred (a rarer test); a needle that holds another is left out (the shorter one does)."""
    if not isinstance(pattern.pattern, str):
        return None
    return _needles(pattern.pattern, pattern.flags)


@lru_cache(maxsize=1024)
def _needles(pattern: str, flags: int) -> frozenset[str] | None:
    parsed = _parse(pattern, flags)
    if parsed is None or flags & re.IGNORECASE:
        return None
    from re import _constants as sre

    try:
        found = _Needles(sre).required(parsed)
    except _Unknown:
        return None
    if not found or "" in found:
        return None
    return frozenset(n for n in found if not any(o != n and o in n for o in found))


@lru_cache(maxsize=1024)
def _parse(pattern: str, flags: int) -> list[Any] | None:
    """``re``'s parse of a pattern (its top-level items); None when it ignores case (inline flags
    included) or when that private module has changed."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        if (flags | parsed.state.flags) & re.IGNORECASE:
            return None
        return list(parsed)
    except Exception:  # noqa: BLE001 - no parse: no needles, no head (nothing changes)
        return None


class _Needles:
    """The walk over a parsed pattern (``re._parser``'s (op, argument) items)."""

    def __init__(self, sre: Any) -> None:
        self.sre = sre
        self.repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))

    def exact(self, items: list[Any]) -> set[str]:
        """Every string ``items`` can match (a superset will do): raises _Unknown when not a short list."""
        out = {""}
        for item in items:
            out = self._product(out, self._exact_item(item))
        return out

    @staticmethod
    def _product(left: set[str], right: set[str]) -> set[str]:
        if len(left) * len(right) > NEEDLE_CAP:
            raise _Unknown
        return {a + b for a in left for b in right}

    def _exact_item(self, item: tuple[Any, Any]) -> set[str]:
        sre = self.sre
        op, av = item
        if op is sre.LITERAL:
            return {chr(av)}
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            return {""}  # zero-width
        if op is sre.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < NEEDLE_CAP:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    raise _Unknown  # NEGATE, a category, a wide range
            if len(chars) > NEEDLE_CAP:
                raise _Unknown
            return chars
        if op is sre.SUBPATTERN:
            self._check_flags(av[1])
            return self.exact(list(av[3]))
        if op is sre.BRANCH:
            out: set[str] = set()
            for alternative in av[1]:
                out |= self.exact(list(alternative))
                if len(out) > NEEDLE_CAP:
                    raise _Unknown
            return out
        if op in self.repeats:
            low, high, inner = av
            if high is sre.MAXREPEAT or high > 8:
                raise _Unknown
            one = self.exact(list(inner))
            out = {""} if low == 0 else set()
            power = {""}
            for count in range(1, high + 1):
                power = self._product(power, one)
                if count >= low:
                    out |= power
            if len(out) > NEEDLE_CAP:
                raise _Unknown
            return out
        raise _Unknown  # ANY, CATEGORY, NOT_LITERAL, a group reference, an atomic group …

    def _check_flags(self, add_flags: int) -> None:
        if add_flags & re.IGNORECASE:
            raise _Unknown

    def required(self, items: list[Any]) -> set[str] | None:
        """Strings of which every match of ``items`` holds one (None: none known)."""
        candidates: list[set[str]] = []
        run: list[set[str]] = []  # the exact sets of consecutive items (zero-width ones included)
        for item in [*items, None]:
            try:
                part = None if item is None else self._exact_item(item)
            except _Unknown:
                part = None
            if item is not None and item[0] is self.sre.ASSERT:
                # a lookahead: the text holds what comes before it followed by what it looks at
                # (then the run goes on from the same place); a lookbehind: what it looks at followed
                # by what comes after it (a run of its own from here)
                direction, inner = item[1]
                try:
                    seen = self.exact(list(inner))
                except _Unknown:
                    seen = None
                if seen is not None and direction > 0:
                    candidates.extend(self._runs([*run, seen], ending=True))
                elif seen is not None:
                    candidates.extend(self._runs(run))
                    run = [seen]
                continue
            if part is not None:
                run.append(part)
                continue
            # a repeat (at least once) of a short list: its first time ends a run, its last starts one
            repeated = self._repeated(item)
            candidates.extend(
                self._runs(run) if repeated is None else self._runs([*run, repeated], ending=True)
            )
            run = [] if repeated is None else [repeated]
            if item is not None and (inner := self._required_item(item)) is not None:
                candidates.append(inner)
        if not candidates:
            return None
        # rarer first: the shortest needle as long as possible (counted up to 3 characters), then the
        # fewest needles, then the longest
        return max(
            candidates, key=lambda found: (min(3, min(map(len, found))), -len(found), min(map(len, found)))
        )

    def _repeated(self, item: tuple[Any, Any] | None) -> set[str] | None:
        """What one time of a repeat that comes at least once can match (None: not a short list)."""
        if item is None or item[0] not in self.repeats:
            return None
        low, _high, inner = item[1]
        try:
            return self.exact(list(inner)) if low >= 1 else None
        except _Unknown:
            return None

    def _runs(self, run: list[set[str]], *, ending: bool = False) -> list[set[str]]:
        """The strings of each stretch of ``run`` (a text that matches holds one of each stretch's);
        ``ending``: only the stretches that end with the last part."""
        out = []
        for start in range(len(run)):
            found = {""}
            for index in range(start, len(run)):
                try:
                    found = self._product(found, run[index])
                except _Unknown:
                    break
                if "" not in found and (not ending or index == len(run) - 1):
                    out.append(found)
        return out

    def _required_item(self, item: tuple[Any, Any]) -> set[str] | None:
        sre = self.sre
        op, av = item
        if op is sre.SUBPATTERN:
            self._check_flags(av[1])
            return self.required(list(av[3]))
        if op is sre.BRANCH:
            out: set[str] = set()
            for alternative in av[1]:
                found = self.required(list(alternative))
                if found is None:
                    return None
                out |= found
            return out if len(out) <= NEEDLE_CAP else None
        if op in self.repeats:
            low, _high, inner = av
            return self.required(list(inner)) if low >= 1 else None
        return None


class Prefilter:
    """``Prefilter(p, q, …).test(text)``: false only when none of the patterns can match ``text`` (it holds
    none of their needles), true otherwise and whenever one of them has no needles. One search over the
    needles (or one ``in`` for a single needle) instead of the patterns' own, slower searches: a pattern
    that opens with a lookbehind, a wide class or many alternatives is tried at every place of a text.

    Built on the first test (the patterns' parse is not paid at import)."""

    __slots__ = ("patterns", "test")

    def __init__(self, *patterns: Any) -> None:
        self.patterns = patterns
        self.test: Any = self._build_and_test

    def _build_and_test(self, text: str) -> bool:
        self.test = prefilter_test(self.patterns)
        return bool(self.test(text))


def prefilter_test(patterns: Any) -> Any:
    """The test of ``Prefilter`` (a callable taking the text, returning something true or false)."""
    found: set[str] = set()
    for pattern in patterns:
        own = needles(pattern)
        if own is None:
            return _always
        found |= own
    found = {n for n in found if not any(o != n and o in n for o in found)}
    if not found:  # no patterns: nothing can match
        return _never
    first, *rest = sorted(found)
    if not rest:  # a few needles: as many ``in`` (no pattern to compile)
        return lambda text: first in text
    if len(rest) == 1:
        second = rest[0]
        return lambda text: first in text or second in text
    if len(rest) == 2:
        second, third = rest
        return lambda text: first in text or second in text or third in text
    return re.compile(_trie(found)).search


def _trie(words: set[str]) -> str:
    """One pattern matching where any of ``words`` (none holding another) begins, written as a tree
    (甲乙|甲丙 -> 甲(?:乙|丙)): fewer alternatives to try at each place than a flat list."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})

    def write(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + write(node[ch]) for ch in sorted(node)]
        if len(branches) <= 1:
            return "".join(branches)
        return "(?:" + "|".join(branches) + ")"

    return write(tree)


def _always(text: str) -> bool:
    return True


def _never(text: str) -> bool:
    return False


# --- a pattern's first characters --------------------------------------------------------------------

_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Every character a match of ``pattern`` can begin with; None when that is not a short list (a
    dot, a category, a wide class, a pattern that can match the empty string, ignored case)."""
    if flags & re.IGNORECASE:
        return None
    parsed = _parse(pattern, flags)
    if parsed is None:
        return None
    from re import _constants as sre

    walk = _Needles(sre)

    def first(items: list[Any]) -> tuple[set[str], bool]:  # (characters, can it match nothing)
        out: set[str] = set()
        for item in items:
            op, av = item
            if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
                continue  # zero-width: the match begins with what follows
            if op is sre.SUBPATTERN:
                walk._check_flags(av[1])
                parts = [first(list(av[3]))]
            elif op is sre.BRANCH:
                parts = [first(list(alternative)) for alternative in av[1]]
            elif op in walk.repeats:
                chars, empty = first(list(av[2]))
                parts = [(chars, empty or av[0] == 0)]
            else:
                parts = [(walk._exact_item(item), False)]  # one character: a literal or a short class
            for chars, _ in parts:
                out |= {c[:1] for c in chars}
            if not any(empty for _, empty in parts):
                return out, False
        return out, True

    try:
        chars, empty = first(parsed)
    except _Unknown:
        return None
    if empty or "" in chars or len(chars) > NEEDLE_CAP:
        return None
    return frozenset(chars)


def headed(pattern: str, flags: int = 0) -> str:
    """``pattern`` behind a test of its first characters, ``(?=[…])``, when they are a short list and
    ``re`` finds no prefix of its own (a pattern that opens with a lookbehind, or with alternatives not
    all opening with a character): the same matches, but tried only where one can begin instead of in
    full at every place of a text. Otherwise ``pattern`` as it is (a head would hide ``re``'s prefix)."""
    chars = first_chars(pattern, flags)
    if chars is None or _GLOBAL_FLAGS.match(pattern) or _has_prefix(pattern, flags):
        return pattern
    return f"(?=[{''.join(map(re.escape, sorted(chars)))}])(?:{pattern})"


def _has_prefix(pattern: str, flags: int) -> bool:
    """Whether ``re`` scans for the pattern's first character itself (its search prefix: a literal, a
    class, or alternatives that each open with a literal; see ``re._compiler._compile_info``)."""
    from re import _constants as sre

    items = _parse(pattern, flags) or []
    while items and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][3])
    if not items:
        return False
    op, av = items[0]
    if op in (sre.LITERAL, sre.IN, sre.AT):  # (an anchored pattern is tried at its anchor only)
        return True
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1:
        return av[2][0][0] in (sre.LITERAL, sre.IN)  # X+…: re's single-character repeat is as quick
    return op is sre.BRANCH and all(alt and list(alt)[0][0] is sre.LITERAL for alt in av[1])


# id(pattern) -> (pattern, its quick form): by id, since hashing a pattern hashes its whole compiled code
_QUICK: dict[int, tuple[Any, Any]] = {}


def quick(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, or the same pattern compiled ``headed`` when that finds its matches faster (kept)."""
    found = _QUICK.get(id(pattern))
    if found is None or found[0] is not pattern:
        text = headed(pattern.pattern, pattern.flags)
        found = (pattern, pattern if text == pattern.pattern else re.compile(text, pattern.flags))
        _QUICK[id(pattern)] = found  # holds the pattern: its id stays its own
    return found[1]  # type: ignore[no-any-return]


class Screened:
    """A pattern's ``search``, ``finditer`` and ``sub``, tried only on a text that holds one of its
    needles (``Prefilter``) and then in its ``quick`` form: the same results, sooner for most texts."""

    __slots__ = ("pattern", "_test", "_fast")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._test = Prefilter(pattern)
        self._fast: re.Pattern[str] | None = None

    def _quick(self) -> re.Pattern[str]:
        if self._fast is None:
            self._fast = quick(self.pattern)
        return self._fast

    def search(self, text: str) -> re.Match[str] | None:
        return self._quick().search(text) if self._test.test(text) else None

    def finditer(self, text: str) -> Any:
        return self._quick().finditer(text) if self._test.test(text) else iter(())

    def sub(self, repl: Any, text: str) -> str:
        return self._quick().sub(repl, text) if self._test.test(text) else text


class Screen:
    """``Screen(patterns).which(text)``: the indexes of the patterns that may match ``text`` (each pattern
    holding a needle in it, and those without needles), from one search for all their needles: a list of
    patterns tried on long texts no longer needs a search of each text per pattern.

    The search finds the longest needle at each place it stops, leaving out what a found needle covers;
    a needle in ``text`` either begins a found one (the needles a found one begins with count) or begins
    inside a found one (so the needles that may begin inside a found one count too). More patterns than
    match, never fewer. Built on the first use."""

    __slots__ = ("patterns", "_search", "_owners", "_always")

    def __init__(self, patterns: Any) -> None:
        self.patterns = tuple(patterns)
        self._search: Any = None

    def _build(self) -> None:
        owners: dict[str, set[int]] = {}
        always: set[int] = set()
        for index, pattern in enumerate(self.patterns):
            found = needles(pattern)
            if found is None:
                always.add(index)
            for needle in found or ():
                owners.setdefault(needle, set()).add(index)
        by_first: dict[str, list[str]] = {}
        for needle in owners:
            by_first.setdefault(needle[0], []).append(needle)
        self._owners = {}
        for found_needle in owners:
            counted: set[int] = set()
            for k in range(1, len(found_needle) + 1):  # needles it begins with
                counted |= owners.get(found_needle[:k], set())
            for d in range(1, len(found_needle)):  # needles that may begin inside it
                rest = found_needle[d:]
                for other in by_first.get(rest[0], ()):
                    if other.startswith(rest) or rest.startswith(other):
                        counted |= owners[other]
            self._owners[found_needle] = frozenset(counted)
        self._always = frozenset(always)
        longest_first = sorted(owners, key=lambda n: (-len(n), n))
        self._search = re.compile("|".join(map(re.escape, longest_first)) or "(?!)").findall

    def which(self, text: str) -> frozenset[int]:
        if self._search is None:
            self._build()
        found = set(self._search(text))
        return self._always.union(*map(self._owners.__getitem__, found)) if found else self._always
