"""Bytes → text: UTF-8 (with or without BOM) or GB18030, line endings normalised to \\n."""

from __future__ import annotations

from luoshi.core.i18n import gettext, gettext_noop

from .errors import ParseError

_BOM = b"\xef\xbb\xbf"
MESSAGE = gettext_noop("无法识别文件编码：请使用 UTF-8 或 GB18030 编码的文本文件")


def read_text(data: bytes) -> str:
    """Decode an uploaded text file. Only the line endings are changed (\\r\\n and \\r → \\n), so
    character offsets computed on the returned string stay valid for every later step."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError(gettext("无法读取文件：需要字节内容"))
    raw = bytes(data)
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(gettext(MESSAGE)) from exc
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise ParseError(gettext(MESSAGE)) from exc
    if "\x00" in text:
        # UTF-16 and binary files decode "successfully" as GB18030/UTF-8 full of NULs.
        raise ParseError(gettext(MESSAGE))
    return text.replace("\r\n", "\n").replace("\r", "\n")
