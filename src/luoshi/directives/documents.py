"""Reading an uploaded directive (.txt in UTF-8/GB18030, .docx) into the plain text the parser and
the decomposition page work on. No database here; errors carry a message for the user."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from django.utils.translation import gettext as _

from luoshi.core.archives import ArchiveError, check_archive

from .parsing import ParseError, read_text

SUPPORTED = (".txt", ".docx")


class DocumentError(ValueError):
    """The file cannot be read as a directive; the message is for the user."""


def text_fingerprint(text: str) -> str:
    """The same words give the same fingerprint, however the text was pasted or saved: every kind
    of whitespace (line breaks, full-width spaces, indents) is dropped before hashing."""
    return hashlib.sha256(re.sub(r"\s+", "", normalise_text(text)).encode("utf-8")).hexdigest()


def normalise_text(text: str) -> str:
    """One line ending and no NUL (PostgreSQL refuses it), so that the offsets the parser reports
    are offsets into exactly the text we store and show."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def read_document(filename: str, data: bytes) -> str:
    name = (filename or "").lower().strip()
    if not data:
        raise DocumentError(_("文件是空的。"))
    if name.endswith(".docx"):
        text = _read_docx(data)
    elif name.endswith(".txt") or not name:
        try:
            text = read_text(data)
        except ParseError as exc:
            raise DocumentError(str(exc)) from exc
    elif name.endswith(".doc") or name.endswith(".wps"):
        raise DocumentError(_("不支持旧版 Word（.doc）文件，请在 Word/WPS 中另存为 .docx 后上传。"))
    else:
        raise DocumentError(_("不支持的文件类型：请上传 .txt（UTF-8 或 GB18030 编码）或 .docx 文件。"))
    text = normalise_text(text).strip("\n")
    if not text.strip():
        raise DocumentError(_("文件中没有可识别的正文。"))
    return text


def _read_docx(data: bytes) -> str:
    """Paragraphs and table rows in document order; table cells joined by tabs, which the parser
    reads as a flattened 分工方案 table."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentError(_("无法读取：这不是 .docx 格式的 Word 文件（旧版 .doc 请先另存为 .docx）。"))
    try:
        check_archive(data)
    except ArchiveError as exc:
        raise DocumentError(str(exc)) from exc
    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                for row in Table(child, document).rows:
                    cells: list[str] = []
                    seen = None
                    for cell in row.cells:
                        # A cell merged across columns repeats in every column it spans: keep it once.
                        # Two neighbouring cells that only hold the same text (two empty cells) stay
                        # two, so the columns keep their places.
                        if cell._tc is seen:
                            continue
                        seen = cell._tc
                        cells.append(" ".join(cell.text.split()))
                    lines.append("\t".join(cells))
    except DocumentError:
        raise
    except Exception as exc:  # python-docx raises many kinds for damaged packages
        raise DocumentError(_("无法读取：Word 文件已损坏或格式不正确。")) from exc
    return "\n".join(lines)
