"""Export stage: the public API: write a Draft as .docx, .md or .txt (atomic), or render md/txt text.

The .docx comes from ``drafter.export.docx_file`` (python-docx itself only in ``drafter.export.word``).
"""

from __future__ import annotations

from pathlib import Path

from drafter.errors import ExportError
from drafter.export.layout import FontConfig, clean_text, draft_paragraphs
from drafter.fsutil import check_writable_target, write_bytes_atomic, write_text_atomic
from drafter.models import Draft

FORMATS: tuple[str, ...] = ("docx", "md", "txt")
_SUFFIX_FORMAT = {".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt", ".text": "txt"}
_MD_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### ", "heading3": "#### "}


def render_text(draft: Draft, fmt: str) -> str:
    """The draft as Markdown (``md``) or plain text (``txt``), one paragraph per line.

    Both keep exactly the draft's text. Raises ExportError for another format.
    """
    paragraphs = [p for p in draft_paragraphs(draft) if p.text.strip() or p.kind != "title"]
    texts = [(p.kind, p.text.replace("\n", "") if p.kind == "title" else p.text) for p in paragraphs]
    if fmt == "txt":
        return "".join(text + "\n" for _, text in texts)
    if fmt == "md":
        return "\n\n".join(_MD_PREFIX.get(kind, "") + text for kind, text in texts) + "\n"
    raise ExportError(f"不支持的文本格式「{fmt}」", hint="文本预览只支持 md 和 txt。")


def draft_bytes(
    draft: Draft,
    fmt: str,
    *,
    reference_docx: Path | None = None,
    fonts: FontConfig | None = None,
    bold_leads: bool = False,
) -> bytes:
    """The draft's file content in memory: .docx (the same GB/T 9704 layout as write_draft) or UTF-8
    md/txt. Raises ExportError for an unknown format or an unreadable ``reference_docx``."""
    if fmt == "docx":
        from drafter.export.docx_file import build_docx

        return build_docx(
            draft_paragraphs(draft),
            fonts=fonts or FontConfig(),
            bold_leads=bold_leads,
            reference=Path(reference_docx) if reference_docx is not None else None,
            title=clean_text(draft.title),
        )
    if fmt not in FORMATS:
        raise ExportError(f"不支持的输出格式「{fmt}」", hint="可选 docx、md、txt。")
    if reference_docx is not None:
        raise ExportError("--reference-docx 只用于 docx 输出", hint="请去掉该选项，或改用 --format docx。")
    return render_text(draft, fmt).encode("utf-8")


# --- writing ----------------------------------------------------------------------------------


def format_for_path(path: Path) -> str | None:
    """The format a file name asks for (``.docx`` -> docx, ``.md`` -> md, ``.txt`` -> txt), else None."""
    return _SUFFIX_FORMAT.get(Path(path).suffix.lower())


def check_suffix_matches(path: Path, fmt: str) -> None:
    """Raises ExportError when the file name asks for another format than ``fmt`` (初稿.md as docx)."""
    named = format_for_path(path)
    if named is not None and named != fmt:
        raise ExportError(
            f"文件扩展名「{path.suffix}」与输出格式「{fmt}」不一致",
            path=path,
            hint=f"请把文件名改为 .{fmt} 结尾，或改用 --format {named}。",
        )


def write_draft(
    draft: Draft,
    path: Path,
    *,
    fmt: str = "docx",
    force: bool = False,
    reference_docx: Path | None = None,
    fonts: FontConfig | None = None,
    bold_leads: bool = False,
) -> Path:
    """Write the draft atomically to ``path`` as docx, md or txt and return the path.

    Raises ExportError for an unknown format, a suffix that names another format, an existing file
    without ``force``, a missing folder, or an unreadable ``reference_docx``.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ExportError(f"不支持的输出格式「{fmt}」", hint="--format 可选 docx、md、txt。")
    check_suffix_matches(path, fmt)
    check_writable_target(path, force=force)
    if fmt == "docx":
        data = draft_bytes(draft, "docx", reference_docx=reference_docx, fonts=fonts, bold_leads=bold_leads)
        write_bytes_atomic(path, data)
    else:
        if reference_docx is not None:
            raise ExportError(
                "--reference-docx 只用于 docx 输出", hint="请去掉该选项，或改用 --format docx。"
            )
        write_text_atomic(path, render_text(draft, fmt))
    return path
