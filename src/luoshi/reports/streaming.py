"""Tables that stream: the task board as CSV (UTF-8 with BOM, so Excel opens the Chinese right) or
.xlsx, row by row, so an export of 20,000 tasks starts at once and holds little in memory.

CSV goes out as it is written. XlsxWriter in constant_memory mode writes each row to disk as it
comes and keeps none; the .xlsx (a zip) can only be sent once it is closed, so its bytes follow the
last row, read back in chunks. Both take a queryset, so any list (the board, the ledger) can use them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

import xlsxwriter
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from luoshi.core.spreadsheets import neutralise, sheet_title
from luoshi.tasks import workflow
from luoshi.tasks.health import render_reasons

BOM = "\ufeff"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 500
CHUNK = 64 * 1024


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The BOM and the header at once, then the rows in batches of BATCH lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutralise(cell) for cell in header])
    # The header leaves before the first row is read: the download starts at once.
    yield buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    count = 0
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
        count += 1
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(title: str, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()) -> Iterator[bytes]:
    """One sheet: a bold header frozen at the top, then the rows; dates as dates."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        # XlsxWriter turns any string beginning with = into a live formula unless told not to;
        # the neutraliser below is the rule, this is the belt to its braces.
        options = {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "strings_to_formulas": False}
        book = xlsxwriter.Workbook(path, options)
        sheet = book.add_worksheet(sheet_title(title))
        bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [neutralise(cell) for cell in header], bold)
        for number, row in enumerate(rows, start=1):
            for col, cell in enumerate(row):
                if isinstance(cell, dt.date):
                    sheet.write_datetime(number, col, dt.datetime.combine(cell, dt.time()), date)
                elif cell is None:
                    continue
                else:
                    sheet.write(number, col, neutralise(cell))
        book.close()
        with open(path, "rb") as produced:
            while chunk := produced.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def response(fmt: str, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence], widths=()) -> StreamingHttpResponse:
    if fmt == "csv":
        streamed, content_type = csv_chunks(header, rows), CSV
    else:
        streamed, content_type = xlsx_chunks(title, header, rows, widths), XLSX
    answer = StreamingHttpResponse(streamed, content_type=content_type)
    answer["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}.{fmt}')}"
    return answer


def _percent(value) -> str:
    return "" if value is None else f"{value:.0f}%"


def task_table(tasks) -> tuple[list[str], Iterator[list], list[int]]:
    """The board's columns for every task of `tasks` (a queryset), read in chunks."""
    header = [
        _("任务编号"), _("来源文件"), _("工作任务"), _("牵头单位"), _("责任单位"), _("完成时限"),
        _("状态"), _("红黄绿灯"), _("亮灯原因"), _("序时进度"), _("完成进度"),
    ]
    widths = [16, 24, 40, 16, 24, 12, 10, 8, 40, 9, 9]
    queryset = tasks.select_related("lead_unit", "directive").prefetch_related("co_units")

    def rows():
        for task in queryset.iterator(chunk_size=1000):
            yield [
                task.citation,
                task.directive.title if task.directive_id else "",
                task.title,
                task.lead_unit.display_name if task.lead_unit_id else "",
                "、".join(unit.display_name for unit in task.co_units.all()),
                task.deadline or task.deadline_text,
                str(workflow.STATE_LABELS.get(task.status, task.status)),
                task.get_health_display(),
                render_reasons(task.health_reasons or ()),
                _percent(task.expected_percent),
                _percent(task.progress_percent),
            ]

    return header, rows(), widths
