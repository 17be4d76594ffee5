"""Export stage (.docx): the entry. Output paragraphs -> a GB/T 9704-style 讲话稿 Word file.

The default layout's package (styles, page, settings, fonts, page-number footers) is built by python-docx
(``word``) once per font set and kept in the user cache as a .docx with an empty body. A draft is that
package with its body (``wordml``) and core properties spliced in: the same bytes python-docx would save,
without importing python-docx and lxml, which took a third of a draft's time. An office's template
(``reference``) goes through python-docx every time.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import astuple
from pathlib import Path

from drafter import __version__
from drafter.export.layout import FontConfig, Paragraph, clean_text
from drafter.export.wordml import STYLES, TITLE_CHARS, body_xml, escape_text

FORMAT = 1
_DOCUMENT, _CORE = "word/document.xml", "docProps/core.xml"
_STYLE_IDS = {kind: spec.style_id for kind, spec in STYLES.items()}
# What the package is built with, to find again in its saved parts: the title (private-use characters,
# never in a title drafter writes) and the created/modified time.
_MARK_TITLE = "\ue0a0drafter-title\ue0a1"
_MARK_TIME = dt.datetime(2000, 1, 1)
_BODY_AT = b"<w:body><w:sectPr"  # the body is empty: the paragraphs go before its section properties

# this process's packages, by font set (None: python-docx's package is not of the expected shape)
_packages: dict[FontConfig, dict[str, bytes] | None] = {}


def build_docx(
    paragraphs: Iterable[Paragraph],
    *,
    fonts: FontConfig,
    bold_leads: bool = False,
    reference: Path | None = None,
    title: str = "",
    now: dt.datetime | None = None,
) -> bytes:
    """The .docx bytes for the paragraphs. ``now``: the created and modified time (naive UTC; the current
    time when None). Raises ExportError for an unusable reference file."""
    paragraphs = list(paragraphs)
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0, tzinfo=None)
    parts = None if reference is not None or not _plain(title, paragraphs) else _package(fonts)
    if parts is None:
        from drafter.export.word import build_package

        return build_package(
            paragraphs, fonts=fonts, bold_leads=bold_leads, reference=reference, title=title, now=now
        )
    body = body_xml(paragraphs, _STYLE_IDS, bold_leads=bold_leads, title_chars=TITLE_CHARS)
    document = parts[_DOCUMENT]
    at = document.index(_BODY_AT) + len(b"<w:body>")
    core = (
        parts[_CORE]
        .replace(_MARK_TITLE.encode(), escape_text(title[:255]).encode())
        .replace(_w3c(_MARK_TIME), _w3c(now))
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # as python-docx saves
        for name, data in parts.items():
            if name == _DOCUMENT:
                data = document[:at] + body.encode() + document[at:]
            elif name == _CORE:
                data = core
            archive.writestr(name, data)
    return out.getvalue()


def _plain(title: str, paragraphs: list[Paragraph]) -> bool:
    """Text XML carries as it is: what clean_text leaves alone (it also turns a carriage return into a
    line break). Anything else goes through python-docx, which says what is wrong."""
    texts = [title, *(p.text for p in paragraphs), *(p.lead for p in paragraphs)]
    return all(clean_text(t) == t for t in texts)


def _w3c(when: dt.datetime) -> bytes:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def _package(fonts: FontConfig) -> dict[str, bytes] | None:
    """The default package's parts in saved order, from this process, the user cache or python-docx;
    None when python-docx's package does not have the expected shape (then python-docx builds every draft; asked once)."""
    if fonts in _packages:
        return _packages[fonts]
    from drafter.resources import user_cache_dir, write_cache_file

    key = _key(fonts)
    folder = user_cache_dir("docx")
    target = None if folder is None else folder / f"{zlib.crc32(key.encode()):08x}.docx"
    found = None
    if target is not None:
        try:
            found = _parts(target.read_bytes(), key)
        except OSError:
            found = None
    if found is None:
        from drafter.export.word import build_package

        data = build_package([], fonts=fonts, title=_MARK_TITLE, now=_MARK_TIME)
        found = _parts(data)
        if found is not None and target is not None:
            write_cache_file(target, _with_comment(data, key))
    _packages[fonts] = found
    return found


def _parts(data: bytes, key: str | None = None) -> dict[str, bytes] | None:
    """A saved package's parts, when it has the expected shape (and, from the cache, the key)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if key is not None and archive.comment != key.encode():
                return None
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        return None
    document, core = parts.get(_DOCUMENT, b""), parts.get(_CORE, b"")
    shaped = (
        document.count(b"<w:body>") == 1
        and _BODY_AT in document
        and core.count(_MARK_TITLE.encode()) == 1
        and core.count(_w3c(_MARK_TIME)) == 2
    )
    return parts if shaped else None


def _with_comment(data: bytes, key: str) -> bytes:
    """The package with the cache key as its zip comment (a copy read back checks it)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.comment = key.encode()
    return out.getvalue()


def _key(fonts: FontConfig) -> str:
    """What the package depends on: drafter, the font set, and the code that builds it (drafter's
    modules, python-docx and lxml, by their files' size and time)."""
    import importlib.util

    here = Path(__file__).resolve().parent
    files = [here / "word.py", here / "wordml.py"]
    for name in ("docx", "lxml"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
            if name == "docx":
                files.append(Path(spec.origin).parent / "templates" / "default.docx")
    stats = []
    for path in files:
        try:
            st = path.stat()
            stats.append([str(path), st.st_size, st.st_mtime_ns])
        except OSError:
            stats.append([str(path), None, None])
    return json.dumps([__version__, FORMAT, astuple(fonts), stats], ensure_ascii=True)
