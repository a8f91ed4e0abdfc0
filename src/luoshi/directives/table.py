"""The 任务分解表 spreadsheet: one layout for the page's export, `luoshi parse --xlsx` and the import.

No database here: rows come in as plain tuples, so the CLI can write the table straight from the
parser's result without Django models."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from luoshi.core.spreadsheets import Column, sheet_title, workbook_bytes, write_table


@dataclass
class Row:
    title: str
    measures: str = ""
    lead_leader: str = ""
    lead_unit: str = ""
    co_units: Sequence[str] = ()
    deadline: dt.date | None = None
    deadline_text: str = ""
    section: str = ""
    start: int | None = None
    end: int | None = None

    @property
    def source(self) -> str:
        where = self.section
        if self.start is not None and self.end is not None:
            span = _("原文第%(start)d–%(end)d字") % {"start": self.start + 1, "end": self.end}
            where = f"{where} {span}".strip()
        return where

    @property
    def deadline_cell(self):
        # A real date cell where the date is known (offices sort and filter on it); the words as
        # written where it is not (长期坚持, 持续推进).
        return self.deadline or self.deadline_text or ""


def columns() -> list[Column]:
    group = _("责任分工")
    return [
        Column(_("工作任务"), 28),
        Column(_("具体措施"), 60),
        Column(_("牵头领导"), 10, group=group),
        Column(_("牵头单位"), 16, group=group),
        Column(_("责任单位"), 22, group=group),
        Column(_("完成时限"), 13),
        Column(_("来源"), 18),
    ]


def workbook(*, title: str, rows: Iterable[Row], subtitle: str = "") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(_("任务分解表"))
    values = (
        (r.title, r.measures, r.lead_leader, r.lead_unit, "、".join(r.co_units), r.deadline_cell, r.source) for r in rows
    )
    write_table(ws, title=title, subtitle=subtitle, columns=columns(), rows=values)
    return workbook_bytes(wb)


def title_cell(citation: str, title: str) -> str:
    """The 工作任务 cell of a published row: its task's number, one space, the title. The import
    takes exactly this prefix off again (`split_title`), so the number is what matches the row."""
    return f"{citation} {title}".strip()


def split_title(cell: str, citations: Container[str]) -> tuple[str, str]:
    """(number, title) when `cell` begins with one of `citations` and a space, as `title_cell`
    writes it; ("", cell) otherwise. Only numbers of the directive's own tasks count, so a title
    that merely starts with a figure is read as it stands."""
    head, space, rest = cell.partition(" ")
    if space and head in citations and rest.strip():
        return head, rest.strip()
    return "", cell


# --- reading back -----------------------------------------------------------------------------

IMPORT_COLUMNS = {
    "title": ["工作任务", "重点工作", "任务", "主要任务", "任务名称"],
    "measures": ["具体措施", "工作措施", "主要措施", "措施"],
    "lead_leader": ["牵头领导", "责任领导", "分管领导"],
    "lead_unit": ["牵头单位", "牵头部门"],
    "co_units": ["责任单位", "配合单位", "协办单位", "责任部门"],
    "deadline": ["完成时限", "完成时间", "时间节点", "时限"],
    "source": ["来源"],
}
REQUIRED = ("title", "lead_unit")

SPAN = re.compile(r"原文第(\d+)[–—-](\d+)字")


def span_of(source) -> tuple[int, int] | None:
    match = SPAN.search(str(source or ""))
    if not match:
        return None
    start, end = int(match.group(1)) - 1, int(match.group(2))
    return (start, end) if 0 <= start < end else None
