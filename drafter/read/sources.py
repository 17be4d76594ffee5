"""Read stage, sources: read a speech (.txt in any common encoding, or .docx) into numbered paragraphs.

Cleaning (ads, watermarks, contact lines, page furniture, repeated sentences, punctuation) lives in
``drafter.read.clean``; ``read_source(path, clean=True)`` applies it.
"""

from __future__ import annotations

import re
from pathlib import Path

from drafter.errors import SourceError
from drafter.models import SourceLine, SourceText

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown")
DOCX_SUFFIX = ".docx"
SUPPORTED = (*TEXT_SUFFIXES, DOCX_SUFFIX)
MAX_BYTES = 64 * 1024 * 1024  # a .docx (pictures and all)
# A .txt: one speech is well under 1 MB; a collection of speeches given as one file may reach this. It is
# read whole (mining 32 MB in one file peaks near 120 MB); a folder of files is mined file by file.
TEXT_MAX_BYTES = 32 * 1024 * 1024

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def read_source(path: Path, *, clean: bool = True) -> SourceText:
    """Read one speech. Raises SourceError naming the file for anything it cannot read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise SourceError("文件不存在", path=path, hint="请检查路径和文件名。")
    if path.is_dir():
        raise SourceError("这是一个文件夹，不是讲话稿文件", path=path, hint="请给出 .txt 或 .docx 文件。")
    if not path.is_file():  # a FIFO would block and /dev/zero never end
        raise SourceError(
            "这不是普通文件（设备、命名管道或套接字），不能当作讲话稿读取",
            path=path,
            hint="请给出保存在磁盘上的 .txt、.md 或 .docx 文件。",
        )
    if suffix == ".doc":
        raise SourceError(
            "不支持旧版 Word 的 .doc 文件",
            path=path,
            hint="请用 Word 或 WPS「另存为」.docx，或运行 soffice --headless --convert-to docx 文件名.doc。",
        )
    if suffix not in SUPPORTED:
        raise SourceError(
            f"不支持的文件类型「{suffix or '无扩展名'}」",
            path=path,
            hint="drafter 只读取 .txt（UTF-8、GBK/GB18030、UTF-16）和 .docx 文件。",
        )
    try:
        size = path.stat().st_size
        limit = MAX_BYTES if suffix == DOCX_SUFFIX else TEXT_MAX_BYTES
        if size > limit:
            raise SourceError(
                f"文件过大（{size / (1024 * 1024):.0f} MB）",
                path=path,
                hint=f"单个{'.docx' if suffix == DOCX_SUFFIX else '文本'}文件不超过 {limit // (1024 * 1024)} MB；"
                "更大的讲话合集请拆分成多个文件放进一个文件夹（drafter mine 逐个文件读取）。",
            )
        data = path.read_bytes()
    except PermissionError as e:
        raise SourceError("没有读取权限", path=path, hint="请检查文件权限。") from e
    except OSError as e:
        raise SourceError(f"无法读取文件：{e.strerror or e}", path=path) from e
    if not data.strip():
        raise SourceError("文件是空的", path=path, hint="请确认文件中有讲话正文。")

    if suffix == DOCX_SUFFIX:
        texts, encoding = read_docx_paragraphs(data, path=path), "docx"
    else:
        text, encoding = decode_text(data, path=path)
        texts = _LINE_BREAK.split(text)
        if suffix in MARKDOWN_SUFFIXES:
            from drafter.read.markdown import markdown_lines

            texts = markdown_lines(texts)
    lines = tuple(SourceLine(i, t) for i, t in enumerate(texts, start=1))
    if not any(line.text.strip() for line in lines):
        raise SourceError("文件中没有文字", path=path, hint="请确认文件中有讲话正文。")
    source = SourceText(path=path, encoding=encoding, lines=lines)
    if clean:
        from drafter.read.clean import clean_source

        source = clean_source(source)
    return source


def decode_text(data: bytes, *, path: Path) -> tuple[str, str]:
    """Decode bytes (the one decoding path of every reader): BOM, then UTF-16 without BOM, strict UTF-8,
    GB18030, then charset detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", path), "utf-16"
    if b"\x00" in data[:4096]:
        guessed = _guess_utf16_without_bom(data)
        if guessed is None:
            raise SourceError(
                "这是二进制文件（如图片、压缩包），不是文本",
                path=path,
                hint="请给出讲话稿的 .txt 或 .docx 文件。",
            )
        return data.decode(guessed), guessed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    # UTF-16 without BOM and without a single ASCII character (no zero byte) also decodes as GB18030,
    # to nonsense: keep whichever reads more like Chinese prose
    guessed = _guess_utf16_without_bom(data, threshold=0.97)
    if guessed is not None and (not text or _plausible(data.decode(guessed)) > _plausible(text)):
        return data.decode(guessed), guessed
    if text:
        return text, "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    raise SourceError(
        "无法识别文件编码",
        path=path,
        hint="请用记事本或 WPS 另存为 UTF-8 编码的 .txt 后再试。",
    )


def _decode(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise SourceError(
            f"文件标记为 {encoding} 编码，但第 {e.start} 字节处无法解码",
            path=path,
            hint="文件可能已损坏；请重新另存为 UTF-8 编码的 .txt。",
        ) from e


def _plausible(text: str) -> float:
    """The share of characters that are usual in a Chinese speech: common (GB2312) hanzi, Chinese and
    ASCII punctuation, digits, letters and whitespace."""
    sample = text[:4000]
    if not sample:
        return 0.0
    good = 0
    for ch in sample:
        if ch.isascii():
            good += ch.isprintable() or ch in "\r\n\t"
        elif ch == "\u3000" or ch.isprintable():
            try:
                ch.encode("gb2312")
                good += 1
            except UnicodeEncodeError:
                good += ch in "\u2014\u2026\u00b7"
    return good / len(sample)


def _guess_utf16_without_bom(data: bytes, *, threshold: float = 0.9) -> str | None:
    """utf-16-le or utf-16-be when one of them reads as text, else None."""
    if len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            score = _plausible(data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if score >= threshold and (best is None or score > best[0]):
            best = (score, encoding)
    return best[1] if best else None


def read_docx_paragraphs(data: bytes, *, path: Path) -> list[str]:
    """Paragraph texts of a .docx body, with Word's automatic numbering (一、 （一） 1.) put back."""
    import io
    import zipfile  # here: mining .txt files does not need it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except zipfile.BadZipFile as e:
        raise SourceError(
            "不是有效的 .docx 文件（文件已损坏或不是 Word 文档）",
            path=path,
            hint="请用 Word 或 WPS 打开后重新另存为 .docx。",
        ) from e
    if "word/document.xml" not in names:
        raise SourceError(
            ".docx 文件中缺少正文（word/document.xml）",
            path=path,
            hint="请用 Word 或 WPS 打开后重新另存为 .docx。",
        )
    from drafter.read.docx_text import docx_paragraph_texts

    try:
        return docx_paragraph_texts(archive)
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as e:
        raise SourceError(
            f".docx 文件内容损坏：{e}",
            path=path,
            hint="请用 Word 或 WPS 打开后重新另存为 .docx。",
        ) from e
