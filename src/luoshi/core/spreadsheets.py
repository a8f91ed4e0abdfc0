"""Reading and writing office spreadsheets the way supervision offices lay them out.

Reading is defensive: a broken file, a huge file or a sheet without the expected header gives a
SpreadsheetError whose message the user can act on; it never raises anything else. Writing puts a
title row, (optionally merged) headers, 序号, column widths, a frozen header and A4 landscape print
setup with the header repeated on every page, and neutralises text that a spreadsheet program would
otherwise run as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from copy import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _

from .archives import ArchiveError, check_archive, human_size
from .errors import Invalid
from .xlsxstream import sheet_name
from .i18n import gettext

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_ERRORS = 500
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(Invalid):
    """The file cannot be read as a spreadsheet; the message is for the user."""


@dataclass(frozen=True)
class RowError:
    """One problem found in an import file. ``row`` is the row as Excel shows it (None or 0: the
    file as a whole), ``column`` the header text, ``sheet`` the worksheet. Every import (the
    directory, the decomposition table, indicator observations) reports with this one class."""

    row: int | None
    message: str
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(gettext("工作表“%(sheet)s”", sheet=self.sheet))
        if self.row:
            where.append(gettext("第%(row)s行", row=self.row))
        if self.column:
            where.append(gettext("“%(column)s”列", column=self.column))
        if not where:
            return self.message
        return gettext("%(where)s：%(message)s", where=gettext("，").join(where), message=self.message)


@dataclass(frozen=True)
class ImportLimits:
    """The limits every import applies (settings ``UPLOAD_MAX_BYTES``, ``IMPORT_MAX_ROWS`` and
    ``IMPORT_MAX_ERRORS``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_errors: int = DEFAULT_MAX_ERRORS


def import_limits() -> ImportLimits:
    """The configured limits; the defaults when Django is not configured (plain tests, scripts)."""
    if not settings.configured:
        return ImportLimits()
    return ImportLimits(
        max_bytes=getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES),
        max_rows=getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS),
        max_errors=getattr(settings, "IMPORT_MAX_ERRORS", DEFAULT_MAX_ERRORS),
    )


class RowErrors(list):
    """Row errors collected up to a limit; past it they are counted, and :meth:`finish` adds one
    line saying how many were left out, so a hopeless file does not produce a page of thousands."""

    def __init__(self, max_errors: int | None = None):
        super().__init__()
        self.max_errors = import_limits().max_errors if max_errors is None else max_errors
        self.dropped = 0

    def add(self, row: int | None, message: str, column: str | None = None, sheet: str | None = None) -> None:
        if len(self) < self.max_errors:
            self.append(RowError(row=row, message=message, column=column, sheet=sheet))
        else:
            self.dropped += 1

    def finish(self) -> RowErrors:
        if self.dropped:
            self.append(RowError(row=None, message=gettext("另有%(n)s处错误未列出", n=self.dropped)))
            self.dropped = 0
        return self


@dataclass
class ImportReport:
    """What an import did or would do. When `errors` is non-empty nothing was saved."""

    errors: RowErrors = field(default_factory=RowErrors)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, message: str, column: str = "", sheet: str = "") -> None:
        self.errors.add(row, message, column=column or None, sheet=sheet or None)


def read_upload(upload, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read an uploaded file into memory, refusing one larger than `max_bytes` without reading it."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise SpreadsheetError(
            _("文件过大（%(size)s），上限为 %(limit)s。") % {"size": human_size(size), "limit": human_size(max_bytes)}
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SpreadsheetError(_("文件过大，上限为 %(limit)s。") % {"limit": human_size(max_bytes)})
    return data


def open_workbook(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES):
    """Open .xlsx bytes read-only, values not formulas, once the archive is within the limits
    (core.archives) so that a small file declaring gigabytes never reaches openpyxl."""
    from openpyxl import load_workbook

    if len(data) > max_bytes:
        raise SpreadsheetError(_("文件过大，上限为 %(limit)s。") % {"limit": human_size(max_bytes)})
    if not data:
        raise SpreadsheetError(_("文件是空的。"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("无法读取：这不是 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。"))
    try:
        check_archive(data)
    except ArchiveError as exc:
        raise SpreadsheetError(str(exc)) from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for damaged packages
        raise SpreadsheetError(_("无法读取：Excel 文件已损坏或格式不正确。"))


def count_rows(data: bytes) -> int:
    """About how many rows an upload holds, cheaply, to decide whether its import runs as a
    background job: an .xlsx's rows over all sheets as their dimensions declare them (counted when
    a sheet declares none), a text file's lines. 0 when the file cannot be read: the import
    itself then says why, at once."""
    if data[:4] != b"PK\x03\x04":
        return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    try:
        wb = open_workbook(data, max_bytes=len(data))
    except SpreadsheetError:
        return 0
    total = 0
    try:
        for ws in wb.worksheets:
            declared = ws.max_row
            total += declared if declared is not None else sum(1 for _row in ws.iter_rows(values_only=True))
    except Exception:  # a damaged sheet: the import reports it
        return 0
    finally:
        wb.close()
    return total


def clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.replace("\u3000", " ").strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
            # The apostrophe `neutralise` put before text that would run as a formula: without
            # it an exported file would not read back as the same text.
            value = value[1:]
        return value or None
    return value


def find_header(rows: Sequence[Sequence[Any]], columns: dict[str, Sequence[str]], required: Iterable[str], *, scan: int = 10):
    """Find the header among the first `scan` rows (title rows come first in office files).

    `columns` maps a field key to the header texts that name it. Returns (index of the header's
    last row, {key: column index}); raises SpreadsheetError naming the missing columns. A two-row
    header — a merged group label over its own sub-headers, the other headers merged down, as
    `write_table` lays it out — reads as one: the row below joins when it names further columns
    and has nothing under a column the row above already named, so a data row never does."""
    required = list(required)
    best: tuple[int, dict[str, int]] | None = None
    head = [_header_keys(row, columns) for row in rows[: scan + 1]]
    for index in range(min(scan, len(rows))):
        found = head[index]
        below = rows[index + 1] if index + 1 < len(rows) else ()
        if index + 1 < len(head) and _continues(below, found, head[index + 1]):
            joined = {**head[index + 1], **found}
            if all(key in joined for key in required):
                return index + 1, joined
        if all(key in found for key in required):
            return index, found
        if best is None or len(found) > len(best[1]):
            best = (index, found)
    missing = [columns[key][0] for key in required if not best or key not in best[1]]
    raise SpreadsheetError(_("找不到表头，缺少列：%(columns)s。") % {"columns": "、".join(missing)})


def _header_keys(row: Sequence[Any], columns: dict[str, Sequence[str]]) -> dict[str, int]:
    """{key: column index} of the header texts in one row, the first column naming a key winning."""
    texts = [normalise_header(cell) for cell in row]
    found: dict[str, int] = {}
    for key, names in columns.items():
        wanted = {normalise_header(name) for name in names}
        for col, text in enumerate(texts):
            if text and text in wanted:
                found[key] = col
                break
    return found


def _continues(below: Sequence[Any], above: dict[str, int], below_keys: dict[str, int]) -> bool:
    """Whether `below` is the second row of a header whose first row named `above`."""
    named = set(above.values())
    if not named or any(cell is not None and col in named for col, cell in enumerate(below)):
        return False
    return any(key not in above for key in below_keys)


def normalise_header(value: Any) -> str:
    if value is None:
        return ""
    return "".join(str(value).split()).replace("（", "(").replace("）", ")").lower()


def sheet_values(ws, *, max_rows: int | None = None) -> list[tuple]:
    """The sheet's rows as tuples of cleaned cells, trailing empty rows dropped."""
    max_rows = import_limits().max_rows if max_rows is None else max_rows
    rows = []
    for row in ws.iter_rows(values_only=True):
        rows.append(tuple(clean_cell(cell) for cell in row))
        if len(rows) > max_rows:
            raise SpreadsheetError(_("行数过多：每个工作表最多 %(limit)d 行。") % {"limit": max_rows})
    while rows and all(cell is None for cell in rows[-1]):
        rows.pop()
    return rows


def parse_date(value: Any) -> dt.date:
    """A date cell as offices type it: a real date, 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日."""
    import re

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        raise ValueError(_("“%(value)s”不是有效日期（示例：2026-12-31）") % {"value": text})
    try:
        return dt.date(*(int(group) for group in match.groups()))
    except ValueError:
        raise ValueError(_("“%(value)s”不是有效日期（示例：2026-12-31）") % {"value": text})


# --- the steps every import takes --------------------------------------------------------------


def read_table(data: bytes, columns: dict[str, Sequence[str]], required: Iterable[str]):
    """Open an uploaded .xlsx within the limits and find the header of its first sheet.

    Returns (rows, index of the header's last row, {key: column index}). Raises SpreadsheetError
    for the user."""
    limits = import_limits()
    wb = open_workbook(data, max_bytes=limits.max_bytes)
    if not wb.worksheets:
        raise SpreadsheetError(_("无法读取：Excel 文件已损坏或格式不正确。"))
    rows = sheet_values(wb.worksheets[0], max_rows=limits.max_rows)
    index, cols = find_header(rows, columns, required)
    return rows, index, cols


def length_problems(model, values: dict[str, Any], labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(message, column) for every text value longer than its model field's max_length. Checked with
    the other row checks, so a dry run fails exactly as the import would, rather than the database
    refusing the row halfway through the write (PostgreSQL) or keeping more than the column
    promises (SQLite)."""
    problems = []
    for name, value in values.items():
        try:
            limit = getattr(model._meta.get_field(name), "max_length", None)
        except FieldDoesNotExist:
            continue
        if limit and isinstance(value, str) and len(value) > limit:
            column = (labels or {}).get(name) or str(model._meta.get_field(name).verbose_name)
            problems.append(
                (_("“%(column)s”过长（%(length)d 字），最多 %(limit)d 字") % {"column": column, "length": len(value), "limit": limit}, column)
            )
    return problems


def apply_import(report, apply, *, dry_run: bool = False):
    """The last step of every import, once every row has been checked: nothing is written when any
    row failed, a dry run stops here, and otherwise ``apply(report)`` writes in one transaction. A
    row error that ``apply`` itself records (a cycle only visible once written, say) rolls all of
    it back. ``report`` is any object with an ``errors`` list."""
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        apply(report)
        if report.errors:
            transaction.set_rollback(True)
    return report


# --- writing ---------------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """Text that begins with = + - @ (or a tab or carriage return before one) would run as a
    formula in Excel, WPS or a CSV import: prefix an apostrophe so it stays text. Numbers and dates
    pass through. Every cell every export writes — titles, headers, rows, CSV alike — goes through
    here; sheet names through :func:`sheet_title`."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def sheet_title(text: str) -> str:
    """A worksheet name by the one rule for names (core.xlsxstream.sheet_name: no []:*?/\\, not
    blank, 31 characters), without a leading formula prefix: a name may not begin with an
    apostrophe, so the prefixes are dropped rather than quoted."""
    return sheet_name(sheet_name(str(text)).lstrip("".join(FORMULA_PREFIXES) + "' "))


@dataclass
class Column:
    header: str
    width: float = 14
    group: str | None = None  # columns sharing a group get a merged header above their own
    wrap: bool = True


def write_table(ws, *, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], subtitle: str = "", numbered: bool = True) -> None:
    """Lay out one office table on worksheet `ws`."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    cols = ([Column(_("序号"), 6, wrap=False)] if numbered else []) + list(columns)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.cell(row=1, column=1, value=neutralise(title)).font = Font(name="方正小标宋简体", size=18, bold=True)
    ws.cell(row=1, column=1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    ws.row_dimensions[1].height = 36
    row = 2
    if subtitle:
        ws.cell(row=row, column=1, value=neutralise(subtitle)).alignment = Alignment(horizontal="left", vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(cols))
        row += 1

    has_groups = any(col.group for col in cols)
    header_rows = 2 if has_groups else 1
    top = row
    bold = Font(name="黑体", size=11, bold=True)
    for index, col in enumerate(cols, start=1):
        if has_groups and col.group:
            ws.cell(row=top + 1, column=index, value=neutralise(col.header))
        else:
            ws.cell(row=top, column=index, value=neutralise(col.header))
            if has_groups:
                ws.merge_cells(start_row=top, start_column=index, end_row=top + 1, end_column=index)
        ws.column_dimensions[get_column_letter(index)].width = col.width
    if has_groups:
        index = 1
        while index <= len(cols):
            group = cols[index - 1].group
            end = index
            while group and end < len(cols) and cols[end].group == group:
                end += 1
            if group:
                ws.cell(row=top, column=index, value=neutralise(group))
                if end > index:
                    ws.merge_cells(start_row=top, start_column=index, end_row=top, end_column=end)
            index = end + 1
    for r in range(top, top + header_rows):
        for c in range(1, len(cols) + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = bold, centre, border

    body = Font(name="仿宋_GB2312", size=11)
    first = top + header_rows
    r = first
    # Styling a cell makes openpyxl hash every style object; doing that once per column (and per
    # date/non-date cell) and copying the resulting style ids keeps a 20,000-row ledger to seconds.
    styled: dict[tuple[int, bool], Any] = {}
    for number, values in enumerate(rows, start=1):
        values = ([number] if numbered else []) + list(values)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=neutralise(value))
            key = (c, isinstance(value, dt.date))
            if key in styled:
                cell._style = copy(styled[key])
                continue
            cell.font, cell.border = body, border
            wrap = cols[c - 1].wrap if c - 1 < len(cols) else True
            cell.alignment = Alignment(vertical="center", wrap_text=wrap, horizontal="center" if not wrap else "left")
            if key[1]:
                cell.number_format = "yyyy-mm-dd"
            styled[key] = copy(cell._style)
        r += 1

    ws.freeze_panes = ws.cell(row=first, column=1)
    ws.print_title_rows = f"{top}:{first - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
