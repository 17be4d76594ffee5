"""Shared: faster compiling of regular expressions with large character classes (CJK ranges).

CPython's ``re`` (3.11-3.13) builds a class such as ``[\\u4e00-\\u9fff]`` by setting 20,992 bytes of a map
one at a time in Python and then slices the 64 K map into 256 chunks in a Python loop: 0.2-1 ms per class,
and drafter compiles ~160 such classes at start (a third of ``drafter mine``'s start-up compiling).
``speed_up_charsets()`` puts in a copy of ``re._compiler._optimize_charset`` that sets a range with one
slice and numbers the chunks with a dict: the compiled patterns are exactly the same (the tests compare
the code of every drafter pattern and of generated classes with the original's). Only on the Python
versions whose function was checked to be this one; elsewhere nothing changes.

The function below is CPython's (PSF licence) with those two loops changed.
"""

from __future__ import annotations

import sys
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
