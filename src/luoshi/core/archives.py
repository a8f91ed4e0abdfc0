"""The one check every uploaded .xlsx or .docx passes before openpyxl or python-docx opens it.

Both formats are zip archives, and a zip declares in its central directory how large each member
will be once inflated. A decompression bomb is a few megabytes declaring gigabytes (one 2 GB cell,
a 3 GB document.xml). Reading the directory costs almost nothing, so the limits are checked there:
the total, the largest member, each large member's compression ratio and the number of members.
The declared sizes can be trusted because Python's zipfile, which both libraries read through,
stops inflating a member at its declared size and then fails its checksum.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import Invalid

# A member this small cannot hurt whatever its ratio; tiny XML parts routinely compress 100:1.
RATIO_FLOOR_BYTES = 1024 * 1024


class ArchiveError(Invalid):
    """The archive exceeds a limit or is not a zip at all; the message is for the user."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_total_bytes: int = 200 * 1024 * 1024
    max_member_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 200
    max_members: int = 2000


def archive_limits() -> ArchiveLimits:
    """The configured limits (settings ``ARCHIVE_MAX_*``); the defaults outside Django."""
    default = ArchiveLimits()
    if not settings.configured:
        return default
    return ArchiveLimits(
        max_total_bytes=getattr(settings, "ARCHIVE_MAX_TOTAL_BYTES", default.max_total_bytes),
        max_member_bytes=getattr(settings, "ARCHIVE_MAX_MEMBER_BYTES", default.max_member_bytes),
        max_ratio=getattr(settings, "ARCHIVE_MAX_RATIO", default.max_ratio),
        max_members=getattr(settings, "ARCHIVE_MAX_MEMBERS", default.max_members),
    )


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def check_archive(data: bytes, limits: ArchiveLimits | None = None) -> None:
    """Raise ArchiveError when `data` is not a zip or would inflate past a limit; return None
    otherwise. Nothing is decompressed."""
    limits = limits or archive_limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise ArchiveError(_("无法读取：文件不是有效的 Office 文档（.xlsx/.docx）。")) from exc
    if len(members) > limits.max_members:
        raise ArchiveError(
            _("文件内部包含 %(n)d 个部件，超过上限 %(limit)d 个，已拒绝。") % {"n": len(members), "limit": limits.max_members}
        )
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.max_member_bytes:
            raise ArchiveError(
                _("文件解压后过大：其中一个部件达 %(size)s，上限为 %(limit)s，已拒绝。")
                % {"size": human_size(member.file_size), "limit": human_size(limits.max_member_bytes)}
            )
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise ArchiveError(
                _("文件压缩比异常（超过 %(limit)d 倍），疑似压缩炸弹，已拒绝。") % {"limit": limits.max_ratio}
            )
    if total > limits.max_total_bytes:
        raise ArchiveError(
            _("文件解压后过大（%(size)s），上限为 %(limit)s，已拒绝。")
            % {"size": human_size(total), "limit": human_size(limits.max_total_bytes)}
        )
