"""Library API: compose a draft from resolved options and write it (file, --report, standard output)."""

from __future__ import annotations

from pathlib import Path

from drafter.api.options import REPORT_FORMATS, DraftOptions, default_output_name
from drafter.errors import ExportError
from drafter.fsutil import is_stdout
from drafter.models import Bank, Draft


def make_draft(options: DraftOptions, *, bank: Bank | None = None) -> Draft:
    """Compose the draft: context, the layered bank (or ``bank``, already loaded and perhaps narrowed),
    the templates, --avoid. Raises UserError subclasses."""
    from drafter.bank import load_bank
    from drafter.bank.load import paused_gc
    from drafter.draft.compose import compose_draft
    from drafter.draft.context import build_context
    from drafter.read.sources import read_source

    context = build_context(options.params)
    # the collector would walk a large bank's columns again and again; a draft makes little garbage
    with paused_gc():
        if bank is None:
            bank = load_bank(user_dirs=list(options.banks))
        avoid_texts = (read_source(options.avoid).text,) if options.avoid is not None else ()
        return compose_draft(context, bank, templates_dir=options.templates, avoid_texts=avoid_texts)


def output_path(options: DraftOptions, *, cwd: Path | None = None) -> Path:
    """Where the draft goes: ``-o``, else the default name in ``cwd``."""
    from drafter.draft.context import build_context

    if options.output is not None:
        return options.output
    context = build_context(options.params)
    return (cwd or Path.cwd()) / default_output_name(context.locality, context.year, options.fmt)


def draft_bytes(draft: Draft, options: DraftOptions) -> bytes:
    """The draft as the bytes of its file (.docx, or UTF-8 .md / .txt), without writing anything."""
    from drafter.export.layout import clean_text, draft_paragraphs
    from drafter.export.write import render_text

    if options.fmt != "docx":
        if options.reference_docx is not None:
            raise ExportError(
                "--reference-docx 只用于 docx 输出", hint="请去掉该选项，或改用 --format docx。"
            )
        return render_text(draft, options.fmt).encode("utf-8")
    from drafter.export.docx_file import build_docx

    return build_docx(
        draft_paragraphs(draft),
        fonts=options.fonts,
        bold_leads=options.bold_leads,
        reference=options.reference_docx,
        title=clean_text(draft.title),
    )


def _check_stdout(fmt: str) -> None:
    """A .docx is binary: not onto a terminal. Raises ExportError."""
    import sys

    if fmt == "docx" and sys.stdout is not None and sys.stdout.isatty():
        raise ExportError(
            "标准输出是终端，Word 文件（二进制内容）不能直接显示",
            hint="请重定向到文件或管道（drafter draft … -o - > 初稿.docx），或加 --format md / txt 在屏幕上查看。",
        )


def write_stdout(data: bytes) -> None:
    """Bytes to standard output (``-o -``), binary-safe; a closed pipe is left to the caller."""
    import sys

    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout (tests, IDEs)
        sys.stdout.write(data.decode("utf-8", errors="replace"))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    stream.write(data)
    stream.flush()
    from drafter.fsutil import mark_written

    mark_written()


def write_draft_files(
    options: DraftOptions, *, force: bool = False, cwd: Path | None = None
) -> tuple[Path, Draft]:
    """Compose the draft and write it (and its --report); both targets are checked before composing."""
    from drafter.draft.report import render_report
    from drafter.export.write import write_draft
    from drafter.fsutil import check_distinct, check_writable_target, write_text_atomic

    out_path = output_path(options, cwd=cwd)
    if options.report is not None:
        check_distinct({"-o/--output": out_path, "--report": options.report})
        check_writable_target(options.report, force=force)
    if is_stdout(out_path):
        _check_stdout(options.fmt)
        draft = make_draft(options)
        write_stdout(draft_bytes(draft, options))
        if options.report is not None:
            write_text_atomic(
                options.report, render_report(draft, REPORT_FORMATS[options.report.suffix.lower()])
            )
        return out_path, draft
    check_writable_target(out_path, force=force)
    draft = make_draft(options)
    written = write_draft(
        draft,
        out_path,
        fmt=options.fmt,
        force=force,
        reference_docx=options.reference_docx,
        fonts=options.fonts,
        bold_leads=options.bold_leads,
    )
    if options.report is not None:
        write_text_atomic(options.report, render_report(draft, REPORT_FORMATS[options.report.suffix.lower()]))
    return written, draft
