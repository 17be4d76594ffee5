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
"""

from __future__ import annotations

import sys
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
