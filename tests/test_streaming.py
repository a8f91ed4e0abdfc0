"""The board streamed as CSV (UTF-8 with BOM) and .xlsx (reports/streaming.py)."""

import csv
import io

import openpyxl
from django.http import StreamingHttpResponse

from luoshi.reports import streaming

from .test_reports_world import build


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_sends_the_header_before_reading_any_row():
    read = []

    def rows():
        for n in range(20_000):
            read.append(n)
            yield [n, "任务"]

    chunks = streaming.csv_chunks(["编号", "工作任务"], rows())
    first = next(chunks)
    assert first == "\ufeff编号,工作任务\r\n".encode("utf-8") and read == []
    second = next(chunks)
    assert len(read) == streaming.BATCH and second.count(b"\r\n") == streaming.BATCH
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == 20_000 - streaming.BATCH


def test_it_writes_an_xlsx_row_by_row_that_excel_opens():
    content = b"".join(streaming.xlsx_chunks("台账", ["编号", "工作任务"], ([f"〔2026〕1-{n}", "任务"] for n in range(1, 2001))))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 2001 and [c.value for c in sheet[1]] == ["编号", "工作任务"]
    assert sheet["A2001"].value == "〔2026〕1-2000"


def test_it_streams_the_board_as_csv_with_the_boards_filters(cast, units, login):
    world = build(cast, units)
    response = login(cast["supervisor"]).get("/reports/export/board.csv", {"health": "red"})
    assert isinstance(response, StreamingHttpResponse) and response["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["任务编号", "来源文件", "工作任务"]
    assert sorted(row[2] for row in rows[1:]) == sorted([world["red"].title, world["other"].title])
    assert {row[0] for row in rows[1:]} == {world["red"].code, world["other"].code}


def test_it_streams_the_board_as_xlsx_within_the_viewers_scope(cast, units, login):
    world = build(cast, units)
    response = login(cast["owner"]).get("/reports/export/board.xlsx")
    assert isinstance(response, StreamingHttpResponse)
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    titles = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert world["red"].title in titles and world["other"].title not in titles  # 教育局 is not the owner's unit


def test_it_rounds_percentages_as_the_board_does():
    # Python's format rounds half to even (12.5 → "12"); the board shows 13%.
    assert [streaming._percent(v) for v in (12.5, 0.5, 40, None)] == ["13%", "1%", "40%", ""]
