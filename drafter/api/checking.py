"""Library API: lint a pasted or uploaded speech (the same JSON as ``drafter lint --format json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drafter.api.options import as_int
from drafter.errors import ContextError

LINT_TEXT_MAX_CHARS = 500_000  # a long speech is ~20,000 characters


def read_upload(data: bytes, filename: str) -> tuple[Path, list[str]]:
    """The lines of an uploaded speech held in memory (.txt in any encoding drafter reads, or .docx),
    as ``drafter lint`` numbers them, and its bare file name (a label, never opened).
    Raises SourceError."""
    from drafter.errors import SourceError
    from drafter.read.sources import _LINE_BREAK, decode_text, read_docx_paragraphs

    label = Path(Path(str(filename)).name or "上传的文件.txt")
    suffix = label.suffix.lower()
    if suffix == ".docx":
        return label, read_docx_paragraphs(data, path=label)
    if suffix in (".txt", ".text", ".md", ""):
        return label, _LINE_BREAK.split(decode_text(data, path=label)[0])
    if suffix == ".doc":
        raise SourceError(
            "不支持旧版 Word 的 .doc 文件", path=label, hint="请用 Word 或 WPS「另存为」.docx 后再上传。"
        )
    raise SourceError(
        f"不支持的文件类型「{suffix}」", path=label, hint="请上传 .txt 或 .docx 文件，或直接粘贴文字。"
    )


def lint_speech(
    *,
    text: str | None = None,
    data: bytes | None = None,
    filename: str = "粘贴的文字.txt",
    year: Any = None,
    locality: Any = None,
    level: Any = None,
) -> list[dict[str, object]]:
    """Lint a pasted text or an uploaded .txt/.docx held in memory: the findings as ``drafter lint
    --format json`` prints them. ``filename`` only labels the findings and picks the reader; nothing
    is read from disk. Raises SourceError / ContextError."""
    from drafter.errors import SourceError
    from drafter.lint import analyze_source
    from drafter.models import SourceLine, SourceText
    from drafter.read.sources import _LINE_BREAK

    label = Path(Path(str(filename)).name or "粘贴的文字.txt")
    if data is not None:
        label, texts = read_upload(data, str(filename))
    elif isinstance(text, str):
        texts = _LINE_BREAK.split(text)
    else:
        raise ContextError("没有要检查的内容", hint="请粘贴讲话稿文字（text），或上传 .txt / .docx 文件。")
    if sum(len(t) for t in texts) > LINT_TEXT_MAX_CHARS:
        raise SourceError(
            f"文字超过 {LINT_TEXT_MAX_CHARS // 10000} 万字，不像一篇讲话稿",
            path=label,
            hint="请只检查一篇讲话。",
        )
    if not any(t.strip() for t in texts):
        raise SourceError("没有文字可检查", path=label, hint="请确认粘贴或上传的讲话稿中有正文。")
    source = SourceText(
        path=label, encoding="upload", lines=tuple(SourceLine(i, t) for i, t in enumerate(texts, start=1))
    )
    year_value = as_int("year", year)
    for name, value in (("locality", locality), ("level", level)):
        if value is not None and not isinstance(value, str):
            raise ContextError(f"{name} 应当是文字", hint="请检查这一项的写法。")
    result = analyze_source(
        source, year=year_value, locality=locality or None, level=level or None, file=label.name
    )
    return [f.to_json() for f in result.findings]
