"""The .xlsx written as it is sent (core/xlsxstream.py)."""

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from luoshi.core.xlsxstream import sheet_name, xlsx_stream


def test_it_sends_the_header_before_reading_any_row_and_rows_before_the_last():
    read = []

    def rows():
        for n in range(20_000):
            read.append(n)
            yield [f"〔2026〕1-{n}", "推进重点项目建设" * 3, n]

    chunks = xlsx_stream("台账", ["编号", "工作任务", "序号"], rows())
    first = next(chunks)
    assert first.startswith(b"PK") and read == []
    sent = len(first)
    while len(read) < 20_000:
        sent += len(next(chunks))
        if len(read) < 10_000 and sent > len(first) + 1000:
            break  # bytes of rows left before half of them were read
    assert len(read) < 10_000


def test_it_writes_a_workbook_openpyxl_reads_with_text_dates_numbers_and_a_frozen_header():
    rows = [
        ["=HYPERLINK(\"http://x\")", dt.date(2026, 12, 31), 24.8, 3, None, "a\x00b<&>"],
        ["+1", dt.datetime(2026, 1, 2, 8, 30), float("nan"), True, "", "  空格  "],
    ]
    content = b"".join(xlsx_stream("指标/对标:表[2026]", ["名称", "时限", "数值", "整数", "空", "文本"], rows, widths=[20, 12]))
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.title == "指标 对标 表 2026"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet.column_dimensions["A"].width == 20
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == dt.datetime(2026, 12, 31) and sheet["B2"].number_format == "yyyy\\-mm\\-dd"
    assert sheet["C2"].value == 24.8 and sheet["D2"].value == 3 and sheet["E2"].value is None
    assert sheet["F2"].value == "ab<&>"
    assert sheet["A3"].value == "+1" and sheet["C3"].value == "nan" and sheet["D3"].value is True
    assert sheet["B3"].value == dt.datetime(2026, 1, 2, 8, 30)
    assert sheet["F3"].value == "  空格  "


def test_it_names_a_sheet_as_excel_allows():
    assert sheet_name("") == "Sheet1"
    assert sheet_name("a" * 40) == "a" * 31
    assert sheet_name("'x'") == "x"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_it_opens_in_libreoffice(tmp_path):
    path = tmp_path / "board.xlsx"
    path.write_bytes(b"".join(xlsx_stream("台账", ["编号", "工作任务"], [["〔2026〕1-1", "推进项目"], ["〔2026〕1-2", "=1+1"]])))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    assert (tmp_path / "board.csv").read_text(encoding="utf-8", errors="replace").splitlines() == ["编号,工作任务", "〔2026〕1-1,推进项目", "〔2026〕1-2,=1+1"]


def test_it_keeps_a_quote_in_the_sheet_name():
    content = b"".join(xlsx_stream('报表"2026"', ["名称"], [["甲"]]))
    assert openpyxl.load_workbook(io.BytesIO(content)).active.title == '报表"2026"'
