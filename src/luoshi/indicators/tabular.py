"""Reading indicator observations from .csv / .xlsx files (pure: csv + openpyxl, no Django).

``read_observations(source)`` returns an :class:`ImportResult` that unpacks as
``(observations, specs_found, errors)``. **If any row is wrong, observations and specs are empty**
and ``errors`` lists every problem found (row number, column, message in Chinese) — callers must
save nothing when ``errors`` is non-empty.

Layouts
-------
* **long** (.csv or .xlsx, first sheet): one row per (entity, indicator, period). Headers, English
  or Chinese, case-insensitive, full-width characters accepted:

  ==========  ==================================================  ========
  field       accepted headers                                    required
  ==========  ==================================================  ========
  entity      entity, city, 城市, 单位, 主体, 地区                  yes
  indicator   indicator, code, 指标, 指标代码, 指标编码           yes
  period      period, 期间, 时期, 年度, 期别                      yes
  value       value, 值, 数值                                     one of
  score       score, 得分, 分数                                   value /
  rank        rank, 排名, 名次                                    score /
                                                                  rank
  direction   direction, 方向, 指标方向                           no
  weight      weight, 权重                                        no
  unit        unit, 计量单位, 单位(计量)                           no
  name        name, 指标名称                                      no
  target_rank target_rank, 目标排名, 目标位次                     no
  ==========  ==================================================  ========

  Note "单位" alone means the *entity* (a unit of government); the measurement unit is
  "计量单位" / "单位(计量)" / "unit". Other columns (备注 …) are ignored.
  ``direction``, ``weight``, ``unit``, ``name`` and ``target_rank`` describe the indicator: they may
  be repeated on every row of that indicator, but two different non-blank values for the same
  indicator are an error. An indicator whose direction is never given defaults to "higher"
  (越高越好) and is listed in ``ImportResult.warnings``.

* **wide** (.xlsx only): one sheet per period (sheet name = period); row 1 = header, its first cell
  labels the entity column (any text, e.g. 城市) and the others are indicator codes/names; one row
  per entity. Rows right under the header whose first cell is 方向/direction, 权重/weight,
  计量单位/unit, 指标名称/name or 目标排名/target_rank give that property per indicator column
  (conflicts across sheets are errors). A blank cell in the grid means "no observation".

Cell values
-----------
* Numbers: Excel numbers are taken as they are, except that a cell formatted as a percentage
  (0.12 shown as 12%) becomes 12 — percentages are always in percentage points. Text is normalised
  (NFKC: full-width digits ０-９, ．, ，, ％, － become ASCII; U+2212 minus too) and then accepted
  as: plain decimals (``-1.5``, ``.5``, ``1e3``), thousands separators in groups of three
  (``1,234.5`` → 1234.5), a trailing percent sign (``12%`` → 12). Anything else (``abc``,
  ``1,2.3``, ``1,23``, ``3.5天``, ``NaN``, ``inf``) is an error — units are not stripped, a comma
  is never read as a decimal point.
* Explicit "no data" markers (``-``, ``—``, ``/``, ``无``, ``暂无``, ``缺``, ``未公布``, ``N/A``,
  ``NA``, ``null``) give a missing value. In the long layout a *blank* value/score/rank triple is
  a missing value too, as statistics offices write it, listed with its row in ``warnings``; in the
  wide layout a blank cell is simply no observation.
* Ranks: positive integers (``3``, ``3.0``, ``第3位``, ``第3名``). Published scores: 0–100.
* Directions: higher / lower, 正向 / 逆向, 越高越好 / 越低越好, 高 / 低, 越大越好 / 越小越好,
  + / −. Weights: numbers ≥ 0.
* Periods: text (normalised, stripped); Excel numbers 2024 / 2024.0 → "2024"; Excel dates →
  ISO "2025-06-30". Entities and indicator codes: NFKC-normalised and stripped.

Files: .csv in UTF-8 (with or without BOM) or GB18030 (tried in that order), comma-, tab- or
semicolon-separated (sniffed from the header line); .xlsx. Empty files, binary files, old .xls,
corrupt .xlsx, files without a header row, and more than ``max_rows`` data rows are reported as
errors (row None = the file as a whole).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import os
import re
import unicodedata
from decimal import Decimal
from collections.abc import Iterator
from dataclasses import dataclass, field

from luoshi.core import spreadsheets
from luoshi.core.i18n import gettext, gettext_noop
from luoshi.core.spreadsheets import RowError, RowErrors

from .scoring import HIGHER, LOWER, IndicatorSpec, Observation

__all__ = [
    "RowError",
    "ImportResult",
    "read_observations",
    "parse_number",
    "parse_direction",
    "format_errors",
    "MISSING_MARKERS",
    "DEFAULT_MAX_ROWS",
]

# The limits are the ones every import applies (luoshi.core.spreadsheets.import_limits); these
# names stay for callers that show them.
DEFAULT_MAX_ROWS = spreadsheets.DEFAULT_MAX_ROWS
DEFAULT_MAX_BYTES = spreadsheets.DEFAULT_MAX_BYTES

MISSING_MARKERS = frozenset({"-", "--", "—", "——", "–", "/", "无", "暂无", "缺", "缺失", "未公布", "n/a", "na", "null", "none"})
_EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"})


class _Missing:
    """Sentinel: the cell holds an explicit no-data marker."""

    def __repr__(self) -> str:  # pragma: no cover
        return "MISSING"


MISSING = _Missing()


@dataclass
class ImportResult:
    """Unpacks as ``observations, specs, errors = result``. ``warnings`` holds non-fatal notes
    (e.g. indicators whose direction defaulted to higher-is-better); ``layout`` is long or wide."""

    observations: list[Observation] = field(default_factory=list)
    specs: dict[str, IndicatorSpec] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layout: str = ""
    # Which indicator properties the file actually stated ({code: {"direction", "weight", …}}), so
    # an importer can tell a stated direction from the higher-is-better default.
    given: dict[str, frozenset[str]] = field(default_factory=dict)

    def __iter__(self) -> Iterator:
        return iter((self.observations, self.specs, self.errors))

    @property
    def ok(self) -> bool:
        return not self.errors


def format_errors(errors: list[RowError]) -> str:
    """The row-by-row report, one line per error."""
    return "\n".join(str(e) for e in errors)


# --------------------------------------------------------------------------------------------
# Cell parsing
# --------------------------------------------------------------------------------------------

_NUM_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NUM_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_RANK_TEXT = re.compile(r"第?\s*(\d+)\s*[位名]?")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def parse_number(raw: object, *, percent_format: bool = False) -> float | _Missing:
    """Parse a cell into a float (see the module docstring for the accepted forms).

    Returns :data:`MISSING` for an explicit no-data marker; raises ``ValueError`` with a Chinese
    message otherwise. ``percent_format``: the Excel cell is formatted as a percentage (×100).
    """
    if isinstance(raw, bool):
        raise ValueError(gettext("“%(raw)s”不是数字", raw=raw))
    if isinstance(raw, (int, float)):
        x = float(raw)
        if not math.isfinite(x):
            raise ValueError(gettext("数值无效（无穷大或非数）"))
        # ×100 on the shortest decimal repr, so 0.2 → 20.0 (not 20.000000000000004)
        return float(Decimal(repr(x)) * 100) if percent_format else x
    if isinstance(raw, (_dt.date, _dt.datetime, _dt.time)):
        raise ValueError(gettext("“%(raw)s”是日期，不是数字", raw=raw))
    text = _norm(str(raw))
    if text in _EXCEL_ERRORS:
        raise ValueError(gettext("单元格为Excel错误值“%(text)s”", text=text))
    if text.lower() in MISSING_MARKERS:
        return MISSING
    body = text
    percent = body.endswith("%")
    if percent:
        body = body[:-1].rstrip()
    if _NUM_PLAIN.fullmatch(body):
        x = float(body)
    elif _NUM_GROUPED.fullmatch(body):
        x = float(body.replace(",", ""))
    else:
        raise ValueError(gettext("无法识别的数字“%(raw)s”（只接受如 1234.5、1,234.5、12%% 的写法，不带单位）", raw=raw))
    if not math.isfinite(x):
        raise ValueError(gettext("数值“%(raw)s”超出范围", raw=raw))
    return x


_DIRECTIONS = {
    "higher": HIGHER, "high": HIGHER, "up": HIGHER, "+": HIGHER, "正向": HIGHER, "正": HIGHER,
    "越高越好": HIGHER, "越大越好": HIGHER, "高": HIGHER, "高优": HIGHER,
    "lower": LOWER, "low": LOWER, "down": LOWER, "-": LOWER, "逆向": LOWER, "逆": LOWER,
    "负向": LOWER, "越低越好": LOWER, "越小越好": LOWER, "低": LOWER, "低优": LOWER,
}


def parse_direction(raw: object) -> str:
    """'higher' or 'lower' from the accepted spellings; ``ValueError`` otherwise."""
    key = _norm(str(raw)).lower()
    if key in _DIRECTIONS:
        return _DIRECTIONS[key]
    raise ValueError(gettext("无法识别的方向“%(raw)s”（应为 正向/逆向、越高越好/越低越好 或 higher/lower）", raw=raw))


def _parse_rank(raw: object) -> int | _Missing:
    if isinstance(raw, str):
        t = _norm(raw)
        if t.lower() in MISSING_MARKERS:
            return MISSING
        m = _RANK_TEXT.fullmatch(t)
        if m and (t[0] == "第" or t[-1] in "位名"):
            raw = m.group(1)
    x = parse_number(raw)
    if x is MISSING:
        return MISSING
    if x != int(x) or x < 1:
        raise ValueError(gettext("排名应为正整数，不是“%(raw)s”", raw=raw))
    return int(x)


def _parse_score(raw: object, percent_format: bool) -> float | _Missing:
    x = parse_number(raw, percent_format=percent_format)
    if x is not MISSING and not (0 <= x <= 100):
        raise ValueError(gettext("得分应在0到100之间，不是“%(raw)s”", raw=raw))
    return x


def _parse_weight(raw: object) -> float:
    x = parse_number(raw)
    if x is MISSING or x < 0:
        raise ValueError(gettext("权重应为不小于0的数字，不是“%(raw)s”", raw=raw))
    return x


def _parse_target(raw: object) -> int:
    r = _parse_rank(raw)
    if r is MISSING:
        raise ValueError(gettext("目标排名应为正整数，不是“%(raw)s”", raw=raw))
    return r


def _text(raw: object) -> str:
    """Entity / indicator / period text. Whole Excel numbers lose their ".0"; dates become ISO."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, _dt.datetime):
        return raw.date().isoformat() if raw.time() == _dt.time() else raw.isoformat()
    if isinstance(raw, _dt.date):
        return raw.isoformat()
    return _norm(str(raw))


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------

_ALIASES = {
    "entity": ("entity", "city", "城市", "单位", "主体", "地区"),
    "indicator": ("indicator", "code", "指标", "指标代码", "指标编码"),
    "period": ("period", "期间", "时期", "年度", "期别"),
    "value": ("value", "值", "数值"),
    "score": ("score", "得分", "分数"),
    "rank": ("rank", "排名", "名次"),
    "direction": ("direction", "方向", "指标方向"),
    "weight": ("weight", "权重"),
    "unit": ("unit", "计量单位", "单位(计量)"),
    "name": ("name", "指标名称"),
    "target_rank": ("target_rank", "目标排名", "目标位次"),
}
_HEADER = {alias: f for f, aliases in _ALIASES.items() for alias in aliases}
_FIELD_LABEL = {
    "entity": gettext_noop("城市/单位"), "indicator": gettext_noop("指标"), "period": gettext_noop("期间"),
    "value": gettext_noop("值"), "score": gettext_noop("得分"), "rank": gettext_noop("排名"),
    "direction": gettext_noop("方向"), "weight": gettext_noop("权重"), "unit": gettext_noop("计量单位"),
    "name": gettext_noop("指标名称"), "target_rank": gettext_noop("目标排名"),
}


def _field(name: str) -> str:
    return gettext(_FIELD_LABEL[name])
_SPEC_FIELDS = ("direction", "weight", "unit", "name", "target_rank")


def _header_key(raw: object) -> str:
    return re.sub(r"\s+", "", _norm("" if raw is None else str(raw))).lower()


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


class _Abort(Exception):
    """The file cannot be read any further (error already recorded)."""


class _Collector:
    def __init__(self) -> None:
        self.errors = RowErrors()

    def add(self, row: int | None, column: str | None, message: str, sheet: str | None = None) -> None:
        self.errors.add(row, message, column=column, sheet=sheet)

    def fatal(self, message: str, row: int | None = None, sheet: str | None = None) -> None:
        self.add(row, None, message, sheet)
        raise _Abort

    def finish(self) -> list[RowError]:
        return self.errors.finish()


@dataclass
class _Cell:
    value: object
    percent: bool = False


def _load_bytes(source, filename: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = filename or ""
    elif isinstance(source, (str, os.PathLike)):
        name = filename or os.fspath(source)
        with open(source, "rb") as fh:
            data = fh.read(max_bytes + 1)
    else:  # file-like (e.g. a Django UploadedFile)
        name = filename or getattr(source, "name", "") or ""
        data = source.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    return data, name


def read_observations(source, *, filename: str | None = None, layout: str = "auto",
                      max_rows: int | None = None, max_bytes: int | None = None,
                      sheets: list[str] | None = None) -> ImportResult:
    """Read a .csv/.xlsx file of observations.

    ``source``: a path, ``bytes`` (then pass ``filename`` so the extension is known; otherwise the
    content is sniffed) or a binary file object. ``layout``: ``"auto"`` (csv → long; xlsx → long if
    the first sheet's header has entity, indicator and period columns, else wide), ``"long"`` or
    ``"wide"``. ``sheets``: for wide .xlsx, the sheet names (periods) to read (default all).
    ``max_rows`` caps the number of data rows (all sheets together); it and ``max_bytes`` default
    to the limits every import applies (settings ``IMPORT_MAX_ROWS``, ``UPLOAD_MAX_BYTES``).

    Any error → ``ImportResult([], {}, errors)``. A path that cannot be opened raises ``OSError``
    (it is the caller's problem, not the file's content).
    """
    if layout not in ("auto", "long", "wide"):
        raise ValueError("layout must be auto, long or wide")
    limits = spreadsheets.import_limits()
    max_rows = limits.max_rows if max_rows is None else max_rows
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    col = _Collector()
    result = ImportResult()
    try:
        data, name = _load_bytes(source, filename, max_bytes)
        if len(data) > max_bytes:
            col.fatal(gettext("文件超过大小上限（%(mb)sMB）", mb=max_bytes // (1024 * 1024)))
        if not data.strip():
            col.fatal(gettext("文件为空"))
        ext = os.path.splitext(name)[1].lower()
        if ext == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            col.fatal(gettext("不支持旧版Excel(.xls)文件，请另存为.xlsx或.csv"))
        is_xlsx = ext in (".xlsx", ".xlsm") or (ext not in (".csv", ".txt") and data[:4] == b"PK\x03\x04")
        if is_xlsx:
            _read_xlsx(data, layout, max_rows, sheets, col, result)
        else:
            if layout == "wide":
                col.fatal(gettext("宽表格式（每期一个工作表）只支持.xlsx文件"))
            rows = _csv_rows(data, col)
            result.layout = "long"
            _read_long(rows, None, max_rows, col, result)
    except _Abort:
        pass
    errors = col.finish()
    if errors:
        return ImportResult([], {}, errors, result.warnings, result.layout)
    return result


def _csv_rows(data: bytes, col: _Collector) -> Iterator[tuple[int, list[_Cell]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        col.fatal(gettext("文件是UTF-16编码，请另存为UTF-8或GB18030编码的CSV"))
    if b"\x00" in data:
        col.fatal(gettext("文件不是文本CSV（含有二进制内容）；请上传.csv或.xlsx文件"))
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict") if _decodes(data[3:], "utf-8") else None
    else:
        text = None
        for enc in ("utf-8", "gb18030"):
            if _decodes(data, enc):
                text = data.decode(enc)
                break
    if text is None:
        col.fatal(gettext("无法识别文件编码（应为UTF-8或GB18030），请另存为UTF-8编码的CSV"))
    first = text.split("\n", 1)[0]
    delim = max((",", "\t", ";"), key=first.count) if any(d in first for d in ",\t;") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)

    def gen():
        try:
            for i, row in enumerate(reader, 1):
                yield i, [_Cell(v) for v in row]
        except csv.Error as exc:
            col.fatal(gettext("CSV格式错误：%(error)s", error=exc), row=reader.line_num)

    return gen()


def _decodes(data: bytes, enc: str) -> bool:
    try:
        data.decode(enc)
    except UnicodeDecodeError:
        return False
    return True


def _open_xlsx(data: bytes, col: _Collector):
    """Opened by the one spreadsheet opener, so the size and package checks are those of every import."""
    try:
        return spreadsheets.open_workbook(data, max_bytes=len(data))
    except spreadsheets.SpreadsheetError as exc:
        col.fatal(str(exc))


def _sheet_rows(ws) -> Iterator[tuple[int, list[_Cell]]]:
    for i, row in enumerate(ws.iter_rows(), 1):
        cells = []
        for c in row:
            v = getattr(c, "value", None)
            fmt = getattr(c, "number_format", "") or ""
            cells.append(_Cell(v, isinstance(v, (int, float)) and "%" in fmt))
        yield i, cells


def _read_xlsx(data, layout, max_rows, sheets, col, result) -> None:
    wb = _open_xlsx(data, col)
    try:
        worksheets = list(wb.worksheets)
        if not worksheets:
            col.fatal(gettext("Excel文件中没有工作表"))
        if layout == "auto":
            first_header = None
            for _, cells in _sheet_rows(worksheets[0]):
                if any(not _blank(c.value) for c in cells):
                    first_header = cells
                    break
            if first_header is None:
                col.fatal(gettext("第一个工作表是空的，找不到表头"), sheet=worksheets[0].title)
            fields = {_HEADER.get(_header_key(c.value)) for c in first_header}
            layout = "long" if {"entity", "indicator", "period"} <= fields else "wide"
        result.layout = layout
        if layout == "long":
            _read_long(_sheet_rows(worksheets[0]), worksheets[0].title, max_rows, col, result)
        else:
            if sheets is not None:
                names = {ws.title for ws in worksheets}
                for s in sheets:
                    if s not in names:
                        col.add(None, None, gettext("Excel文件中没有名为“%(sheet)s”的工作表", sheet=s))
                worksheets = [ws for ws in worksheets if ws.title in set(sheets)]
            _read_wide(worksheets, max_rows, col, result)
    finally:
        wb.close()


def _first_header(rows) -> tuple[int, list[_Cell]] | None:
    for i, cells in rows:
        if any(not _blank(c.value) for c in cells):
            return i, cells
    return None


class _SpecBuilder:
    """Collects per-indicator properties, reporting conflicts."""

    def __init__(self, col: _Collector) -> None:
        self.col = col
        self.props: dict[str, dict[str, tuple[object, int | None, str | None]]] = {}
        self.order: dict[str, None] = {}

    def see(self, code: str) -> None:
        self.order.setdefault(code, None)
        self.props.setdefault(code, {})

    def set(self, code: str, fld: str, value: object, row: int | None, sheet: str | None, column: str) -> None:
        self.see(code)
        have = self.props[code].get(fld)
        if have is None:
            self.props[code][fld] = (value, row, sheet)
        elif have[0] != value:
            where = (gettext("工作表“%(sheet)s”", sheet=have[2]) if have[2] and have[2] != sheet else "") + (
                gettext("第%(row)s行", row=have[1]) if have[1] else ""
            )
            self.col.add(row, column, gettext(
                "指标“%(code)s”的%(field)s“%(value)s”与%(where)s的“%(other)s”不一致",
                code=code, field=_field(fld), value=_show(value), where=where, other=_show(have[0]),
            ), sheet)

    def build(self, result: ImportResult) -> None:
        defaulted = []
        for code in self.order:
            p = {k: v[0] for k, v in self.props[code].items()}
            result.given[code] = frozenset(p)
            if "direction" not in p:
                defaulted.append(code)
            try:
                result.specs[code] = IndicatorSpec(
                    code=code, name=p.get("name", ""), direction=p.get("direction", HIGHER),
                    weight=p.get("weight", 1.0), unit=p.get("unit", ""), target_rank=p.get("target_rank"),
                )
            except ValueError as exc:  # pragma: no cover - inputs are validated above
                self.col.add(None, None, gettext("指标“%(code)s”定义无效：%(error)s", code=code, error=exc))
        if defaulted:
            result.warnings.append(gettext("以下指标未指定方向，按正向（越高越好）处理：%(codes)s", codes="、".join(defaulted)))


def _show(v: object) -> str:
    if v == HIGHER:
        return gettext("正向")
    if v == LOWER:
        return gettext("逆向")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read_long(rows, sheet, max_rows, col, result) -> None:
    found = _first_header(rows)
    if found is None:
        col.fatal(gettext("找不到表头（文件没有内容）"), sheet=sheet)
    hrow, header = found
    cols: dict[str, int] = {}
    labels: dict[str, str] = {}
    for j, c in enumerate(header):
        if _blank(c.value):
            continue
        fld = _HEADER.get(_header_key(c.value))
        if fld is None:
            continue
        if fld in cols:
            col.add(hrow, str(c.value).strip(), gettext("与“%(column)s”列重复（都表示%(field)s）", column=labels[fld], field=_field(fld)), sheet)
            continue
        cols[fld] = j
        labels[fld] = str(c.value).strip()
    missing = [f for f in ("entity", "indicator", "period") if f not in cols]
    if missing:
        col.fatal(gettext(
            "表头缺少必需的列：%(fields)s（表头应包含 城市/单位、指标、期间 和 值/得分/排名 之一）",
            fields="、".join(_field(f) for f in missing),
        ), row=hrow, sheet=sheet)
    if not any(f in cols for f in ("value", "score", "rank")):
        col.fatal(gettext("表头缺少数据列：需要“值”“得分”“排名”中的至少一列"), row=hrow, sheet=sheet)

    specs = _SpecBuilder(col)
    seen: dict[tuple[str, str, str], int] = {}
    obs: list[Observation] = []
    blank_rows: list[int] = []
    n = 0

    def get(cells, fld):
        j = cols.get(fld)
        if j is None or j >= len(cells):
            return _Cell(None)
        return cells[j]

    for i, cells in rows:
        if all(_blank(c.value) for c in cells):
            continue
        n += 1
        if n > max_rows:
            col.fatal(gettext("数据行数超过上限（%(n)s行），请拆分文件", n=max_rows), sheet=sheet)
        ok = True
        extra = [j for j in range(len(header), len(cells)) if not _blank(cells[j].value)]
        extra += [j for j in range(min(len(header), len(cells))) if _blank(header[j].value) and not _blank(cells[j].value)]
        if extra:
            message = gettext("第%(column)s列有数据但没有表头", column=min(extra) + 1)
            if sheet is None:
                message += gettext("（CSV中带千位分隔符的数字须加引号，如\"1,234.5\"）")
            col.add(i, None, message, sheet)
            ok = False
        key_parts = {}
        for fld in ("entity", "indicator", "period"):
            v = get(cells, fld).value
            if _blank(v):
                col.add(i, labels[fld], gettext("%(field)s为空", field=_field(fld)), sheet)
                ok = False
            else:
                t = _text(v)
                if not t:
                    col.add(i, labels[fld], gettext("%(field)s为空", field=_field(fld)), sheet)
                    ok = False
                key_parts[fld] = t
        parsed: dict[str, object] = {}
        for fld in ("value", "score", "rank"):
            if fld not in cols:
                continue
            c = get(cells, fld)
            if _blank(c.value):
                continue
            try:
                if fld == "value":
                    parsed[fld] = parse_number(c.value, percent_format=c.percent)
                elif fld == "score":
                    parsed[fld] = _parse_score(c.value, c.percent)
                else:
                    parsed[fld] = _parse_rank(c.value)
            except ValueError as exc:
                col.add(i, labels[fld], str(exc), sheet)
                ok = False
                parsed[fld] = MISSING
        if ok and not parsed:
            # Statistics offices leave a cell empty where they have no figure: the same as "-".
            blank_rows.append(i)
        for fld in _SPEC_FIELDS:
            if fld not in cols:
                continue
            v = get(cells, fld).value
            if _blank(v):
                continue
            try:
                if fld == "direction":
                    pv = parse_direction(v)
                elif fld == "weight":
                    pv = _parse_weight(v)
                elif fld == "target_rank":
                    pv = _parse_target(v)
                else:
                    pv = _text(v)
            except ValueError as exc:
                col.add(i, labels[fld], str(exc), sheet)
                ok = False
                continue
            if "indicator" in key_parts:
                specs.set(key_parts["indicator"], fld, pv, i, sheet, labels[fld])
        if len(key_parts) < 3:
            continue
        key = (key_parts["entity"], key_parts["indicator"], key_parts["period"])
        specs.see(key[1])
        if key in seen:
            col.add(i, None, gettext("与第%(row)s行重复（%(entity)s，%(indicator)s，%(period)s）", row=seen[key], entity=key[0], indicator=key[1], period=key[2]), sheet)
            continue
        seen[key] = i
        if not ok or col.errors:
            continue  # keep validating; nothing is returned anyway
        def val(f):
            v = parsed.get(f)
            return None if v is MISSING else v
        obs.append(Observation(key[0], key[1], key[2], val("value"), val("score"), val("rank")))
    if n == 0:
        col.add(None, None, gettext("文件只有表头，没有数据行"), sheet)
    if blank_rows:
        present = "、".join(labels[f] for f in ("value", "score", "rank") if f in cols)
        result.warnings.append(
            gettext("第%(rows)s行的%(columns)s为空，按缺失值处理（同“-”或“无”）", rows="、".join(map(str, blank_rows)), columns=present)
        )
    specs.build(result)
    result.observations = obs


_WIDE_SPEC_ROWS = {
    "方向": "direction", "指标方向": "direction", "direction": "direction",
    "权重": "weight", "weight": "weight",
    "计量单位": "unit", "单位(计量)": "unit", "unit": "unit",
    "指标名称": "name", "name": "name",
    "目标排名": "target_rank", "目标位次": "target_rank", "target_rank": "target_rank",
}


def _read_wide(worksheets, max_rows, col, result) -> None:
    specs = _SpecBuilder(col)
    obs: list[Observation] = []
    periods_seen: dict[str, str] = {}
    n = 0
    data_sheets = 0
    for ws in worksheets:
        sheet = ws.title
        period = _norm(sheet)
        if not period:
            col.add(None, None, gettext("工作表名称为空，无法作为期间"), sheet)
            continue
        if period in periods_seen:
            col.add(None, None, gettext("期间“%(period)s”与工作表“%(sheet)s”重复", period=period, sheet=periods_seen[period]), sheet)
            continue
        periods_seen[period] = sheet
        rows = _sheet_rows(ws)
        found = _first_header(rows)
        if found is None:
            result.warnings.append(gettext("工作表“%(sheet)s”为空，已跳过", sheet=sheet))
            continue
        data_sheets += 1
        hrow, header = found
        codes: dict[int, str] = {}
        entity_label = gettext("城市") if _blank(header[0].value) else _text(header[0].value)
        seen_codes: dict[str, int] = {}
        bad_cols: set[int] = set()  # already reported in the header: don't report every cell again
        for j, c in enumerate(header[1:], 1):
            if _blank(c.value):
                continue
            code = _text(c.value)
            if code in seen_codes:
                col.add(hrow, code, gettext("指标列“%(code)s”重复", code=code), sheet)
                bad_cols.add(j)
                continue
            seen_codes[code] = j
            codes[j] = code
            specs.see(code)
        if not codes:
            col.add(hrow, None, gettext("表头没有指标列（第一列为城市，其后各列为指标）"), sheet)
            continue
        entities: dict[str, int] = {}
        in_spec_rows = True
        for i, cells in rows:
            if all(_blank(c.value) for c in cells):
                continue
            first = cells[0].value if cells else None
            fld = _WIDE_SPEC_ROWS.get(_header_key(first)) if in_spec_rows and not _blank(first) else None
            if fld is not None:
                for j, code in codes.items():
                    if j >= len(cells) or _blank(cells[j].value):
                        continue
                    v = cells[j].value
                    try:
                        pv = (parse_direction(v) if fld == "direction" else _parse_weight(v) if fld == "weight"
                              else _parse_target(v) if fld == "target_rank" else _text(v))
                    except ValueError as exc:
                        col.add(i, code, str(exc), sheet)
                        continue
                    specs.set(code, fld, pv, i, sheet, code)
                continue
            in_spec_rows = False
            n += 1
            if n > max_rows:
                col.fatal(gettext("数据行数超过上限（%(n)s行），请拆分文件", n=max_rows), sheet=sheet)
            if _blank(first):
                col.add(i, entity_label, gettext("%(field)s为空", field=entity_label), sheet)
                continue
            entity = _text(first)
            if entity in entities:
                col.add(i, entity_label, gettext("“%(entity)s”与第%(row)s行重复", entity=entity, row=entities[entity]), sheet)
                continue
            entities[entity] = i
            for j in range(1, len(cells)):
                c = cells[j]
                if _blank(c.value):
                    continue
                code = codes.get(j)
                if j in bad_cols:
                    continue
                if code is None:
                    col.add(i, None, gettext("第%(column)s列有数据但表头没有指标名称", column=j + 1), sheet)
                    continue
                try:
                    v = parse_number(c.value, percent_format=c.percent)
                except ValueError as exc:
                    col.add(i, code, str(exc), sheet)
                    continue
                if not col.errors:
                    obs.append(Observation(entity, code, period, None if v is MISSING else v))
    if data_sheets == 0 and not col.errors:
        col.add(None, None, gettext("没有包含数据的工作表"))
    elif not obs and not col.errors:
        col.add(None, None, gettext("没有数据行"))
    specs.build(result)
    result.observations = obs
