"""Decompression bombs (luoshi.core.archives): every .xlsx/.docx import refuses an archive that
declares too much before openpyxl or python-docx sees it, with a message and nothing changed.

The bombs are built in memory: a real workbook or document plus one zero-filled member written
with deflate, a few kilobytes on disk. The limits are lowered where a realistic size would make
the test slow; the ratio limit catches a small bomb at its default."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.test import override_settings
from docx import Document
from openpyxl import Workbook

from luoshi.core.archives import ArchiveError, ArchiveLimits, archive_limits, check_archive
from luoshi.core.spreadsheets import SpreadsheetError, read_table, workbook_bytes
from luoshi.core.errors import Invalid
from luoshi.directives.documents import DocumentError, read_document
from luoshi.directives.models import Directive
from luoshi.indicators import services as indicator_services
from luoshi.indicators.models import Observation
from luoshi.orgs import services as org_services
from luoshi.orgs.models import Unit

from .test_parser_cli import run_parse

MB = 1024 * 1024


def _xlsx(rows=(["名称"], ["甲"])) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    return workbook_bytes(wb)


def _docx(text="一是县城管局要在3月15日前完成整治。") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bomb(data: bytes, *, member: str, zeros: int = 0, extra_members: int = 0) -> bytes:
    """`data` (a zip) with `member` replaced by `zeros` zero bytes, plus tiny extra members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
        with target.open(member, "w", force_zip64=True) as handle:
            chunk = bytes(MB)
            for start in range(0, zeros, MB):
                handle.write(chunk[: min(MB, zeros - start)])
        for i in range(extra_members):
            target.writestr(f"customXml/item{i}.xml", "<a/>")
    return out.getvalue()


def test_it_takes_the_limits_from_settings():
    with override_settings(ARCHIVE_MAX_TOTAL_BYTES=1, ARCHIVE_MAX_MEMBER_BYTES=2, ARCHIVE_MAX_RATIO=3, ARCHIVE_MAX_MEMBERS=4):
        assert archive_limits() == ArchiveLimits(1, 2, 3, 4)


def test_it_lets_ordinary_office_files_through():
    check_archive(_xlsx())
    check_archive(_docx())


def test_it_refuses_a_small_member_that_inflates_far_beyond_its_size_at_the_default_limits():
    data = bomb(_xlsx(), member="xl/sharedStrings.xml", zeros=3 * MB)
    assert len(data) < 64 * 1024
    with pytest.raises(ArchiveError, match="压缩比异常"):
        check_archive(data)


@pytest.mark.parametrize(
    "limits, build, message",
    [
        (ArchiveLimits(max_member_bytes=MB, max_ratio=10**9), dict(zeros=2 * MB), "其中一个部件达 2.0 MB，上限为 1.0 MB"),
        (ArchiveLimits(max_total_bytes=MB, max_ratio=10**9), dict(zeros=MB), "解压后过大（1.0 MB"),
        (ArchiveLimits(max_members=20), dict(extra_members=20), "超过上限 20 个"),
    ],
)
def test_it_refuses_each_limit_by_name(limits, build, message):
    with pytest.raises(ArchiveError, match=re.escape(message)):
        check_archive(bomb(_xlsx(), member="xl/media/image1.bin", **build), limits)


def test_it_refuses_what_is_not_a_zip():
    with pytest.raises(ArchiveError):
        check_archive(b"PK\x03\x04 not really")


@override_settings(ARCHIVE_MAX_MEMBER_BYTES=MB)
def test_it_refuses_a_bomb_in_every_spreadsheet_import(cast, units):
    data = bomb(_xlsx([["名称"], ["甲"]]), member="xl/sharedStrings.xml", zeros=2 * MB)
    with pytest.raises(SpreadsheetError, match="解压后过大"):
        read_table(data, {"name": ["名称"]}, ["name"])
    before = Unit.objects.count()
    report = org_services.directory_import(actor=cast["admin"], data=data)
    assert not report.ok and "解压后过大" in str(report.errors[0])
    assert Unit.objects.count() == before


@override_settings(ARCHIVE_MAX_MEMBER_BYTES=MB)
def test_it_says_the_indicator_dry_run_is_not_ok(cast):
    sup = cast["supervisor"]
    indicator_set = indicator_services.set_create(actor=sup, name="炸弹", tier_size=2, flag_rank=3)
    rows = [["城市", "指标", "期间", "值"], ["甲", "纳税", "2025", 1]]
    data = bomb(_xlsx(rows), member="xl/worksheets/sheet2.xml", zeros=2 * MB)
    for dry_run in (True, False):
        out = indicator_services.observations_import(
            actor=sup, indicator_set=indicator_set, data=data, filename="bomb.xlsx", dry_run=dry_run
        )
        assert not out.ok
        assert "解压后过大" in str(out.errors[0])
    assert not Observation.objects.filter(indicator__indicator_set=indicator_set).exists()


def test_it_refuses_a_word_bomb_on_upload(cast):
    from luoshi.directives import services as directive_services

    data = bomb(_docx(), member="word/document.xml", zeros=3 * MB)
    with pytest.raises(DocumentError, match="压缩比异常"):
        read_document("通知.docx", data)
    with pytest.raises(Invalid, match="压缩比异常"):
        directive_services.directive_create(
            actor=cast["supervisor"], issued_on=dt.date(2026, 3, 1), filename="通知.docx", data=data
        )
    assert not Directive.objects.exists()


def test_it_refuses_a_word_bomb_in_the_console_parser(tmp_path):
    (tmp_path / "bomb.docx").write_bytes(bomb(_docx(), member="word/document.xml", zeros=3 * MB))
    result = run_parse("bomb.docx", "--date", "2024-03-01", cwd=tmp_path)
    assert result.returncode != 0
    assert "压缩比异常" in result.stderr
