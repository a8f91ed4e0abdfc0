"""Tables that stream: the task board as CSV (UTF-8 with BOM, so Excel opens the Chinese right) or
.xlsx, row by row, so an export of 20,000 tasks starts at once and holds little in memory.

CSV goes out as it is written; so does the .xlsx (`core.xlsxstream` zips the sheet as its rows
come). Both take a queryset, so any list (the board, the ledger) can use them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from luoshi.core.spreadsheets import neutralise, sheet_title
from luoshi.core.xlsxstream import xlsx_stream
from luoshi.orgs.models import Unit
from luoshi.tasks import workflow
from luoshi.tasks.health import render_reasons
from luoshi.tasks.models import Health, Task, citation_of
from luoshi.tasks.templatetags.task_board import whole_percent

BOM = "\ufeff"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 500
CHUNK_ROWS = 2000


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
    # The stream writes text as inline strings, never formulas; the neutraliser still quotes what
    # would become one if the cell were edited or the sheet saved as CSV.
    cells = ([neutralise(cell) for cell in row] for row in rows)
    return xlsx_stream(sheet_title(title), [neutralise(cell) for cell in header], cells, widths)


def response(fmt: str, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence], widths=()) -> StreamingHttpResponse:
    if fmt == "csv":
        streamed, content_type = csv_chunks(header, rows), CSV
    else:
        streamed, content_type = xlsx_chunks(title, header, rows, widths), XLSX
    answer = StreamingHttpResponse(streamed, content_type=content_type)
    answer["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}.{fmt}')}"
    return answer


def _percent(value) -> str:
    # Rounded as the board rounds it (half up), so 12.5 is 13% on the page and in the file.
    return "" if value is None else f"{whole_percent(value)}%"


def task_table(tasks) -> tuple[list[str], Iterator[list], list[int]]:
    """The board's columns for every task of `tasks` (a queryset), read in chunks.

    Rows are read as values, not models, and every label is translated once per export: at
    20,000 rows building model instances and translating each row's labels took most of the time."""
    header = [
        _("任务编号"), _("来源文件"), _("工作任务"), _("牵头单位"), _("责任单位"), _("完成时限"),
        _("状态"), _("红黄绿灯"), _("亮灯原因"), _("序时进度"), _("完成进度"),
    ]
    widths = [16, 24, 40, 16, 24, 12, 10, 8, 40, 9, 9]
    fields = (
        "pk", "code", "number", "directive__title", "title", "lead_unit_id", "deadline", "deadline_text",
        "status", "health", "health_reasons", "expected_percent", "progress_percent",
    )

    def rows():
        # Units in the directory's order, so co-units are listed as the task page lists them.
        directory = list(Unit.objects.values_list("pk", "short_name", "name"))
        units = {pk: short or name for pk, short, name in directory}
        rank = {pk: n for n, (pk, _short, _name) in enumerate(directory)}
        states = {state: str(label) for state, label in workflow.STATE_LABELS.items()}
        healths = {value: str(label) for value, label in Health.choices}
        chunk: list[tuple] = []
        for values in tasks.prefetch_related(None).values_list(*fields).iterator(chunk_size=CHUNK_ROWS):
            chunk.append(values)
            if len(chunk) == CHUNK_ROWS:
                yield from _task_rows(chunk, units, rank, states, healths)
                chunk = []
        yield from _task_rows(chunk, units, rank, states, healths)

    return header, rows(), widths


def _task_rows(chunk, units, rank, states, healths) -> Iterator[list]:
    co: dict[int, list[int]] = defaultdict(list)
    through = Task.co_units.through.objects.filter(task_id__in=[values[0] for values in chunk])
    for task_id, unit_id in through.values_list("task_id", "unit_id"):
        co[task_id].append(unit_id)
    for pk, code, number, directive, title, lead, deadline, deadline_text, status, health, entries, expected, progress in chunk:
        yield [
            citation_of(code, number),
            directive or "",
            title,
            units.get(lead, "") if lead else "",
            "、".join(units[unit] for unit in sorted(co.get(pk, ()), key=rank.__getitem__)),
            deadline or deadline_text,
            states.get(status, status),
            healths.get(health, health),
            render_reasons(entries),
            _percent(expected),
            _percent(progress),
        ]
