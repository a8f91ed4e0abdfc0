"""Tables of a 责任清单, 分工方案 or 督查通报: one candidate per table row.

A table arrives as lines of cells separated by tabs (a .docx table, a spreadsheet pasted as text)
or by `｜`/`|`. The header row names the columns (序号, 工作任务/重点任务, 具体措施, 牵头单位,
责任单位/配合单位, 完成时限/时间节点, 责任领导; a 督查通报 writes 单位｜存在问题｜整改要求); each row below
it is one accountable action with its columns mapped to title, measures, units, leader and deadline.

Offices' tables are rarely clean:
* a cell holding a line break splits its row over several lines (`1 重点任务 培育壮大特色产业，` /
  `推动食用菌产业扩规提质 县农业农村局 12月31日前`): lines are joined while the row has fewer cells
  than the header;
* a merged cell (a task spanning several measure rows) is written once and left empty in the rows
  below it: such a row keeps its own measures and takes the task, units, leader and deadline it
  leaves empty from the row above;
* consecutive tabs stand for empty cells, so cells are counted one tab at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import field_deadline
from .structure import Para

# Column kinds, tried in this order on each header cell (配合单位 before 单位, 工作措施 before 工作).
_COLUMNS = (
    ("seq", re.compile(r"^(?:序号|编号|序)$")),
    ("skip", re.compile(r"进展|进度|完成情况|落实情况|推进情况|执行情况|整改情况|备注|说明|成效|督查情况|存在的?不足")),
    ("leader", re.compile(r"(?:责任|牵头|分管|联系|包抓|包保)(?:县|市|区)?领导|责任人")),
    ("lead", re.compile(r"(?:牵头|主办|主责)(?:责任)?(?:单位|部门)")),
    ("co", re.compile(r"(?:配合|协办|参与|协同|协作)(?:责任)?(?:单位|部门)")),
    ("units", re.compile(r"责任(?:单位|部门|科室|处室)|^(?:被督查|被检查|所属|涉及)?(?:单位|部门)(?:名称)?$")),
    ("deadline", re.compile(r"(?:完成|办结|整改)(?:时限|时间)|时间节点|^时限$|^完成期限$")),
    ("measures", re.compile(r"具体措施|工作措施|主要措施|^措施$|目标要求|工作目标|整改(?:要求|措施|目标)|工作要求|具体内容|推进措施|工作举措")),
    ("task", re.compile(r"重点(?:工作|任务)|工作任务|目标任务|主要内容|任务名称|工作内容|任务内容|主要任务|工作事项|^事项$|^任务$|项目名称"
                        r"|^(?:存在|发现|反馈)?(?:的)?问题(?:清单|描述)?$|督查发现问题|问题表现|(?:实事|重点|建设)?项目$")),
)
_FIELD_OF = {"lead": "牵头单位", "co": "配合单位", "units": "责任单位", "leader": "责任领导", "deadline": "完成时限"}
_RULE_CELL = re.compile(r"^[-—=:：\s]*$")
_NUMBER = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.、．]?$")
_ENUM_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|附件|附表)")


@dataclass
class Row:
    paras: list[Para]
    cells: list[tuple[int, int, str]]  # start, end, stripped text


def header(text: str, cells: list[tuple[int, int, str]]) -> dict[int, str] | None:
    """Column index → kind when the row is a table header naming a task column and at least one of
    the owner, deadline or leader columns; else None."""
    cols: dict[int, str] = {}
    for ci, (_a, _b, cell) in enumerate(cells):
        name = re.sub(r"\s+", "", cell)
        if not name or len(name) > 12:
            continue
        for kind, rx in _COLUMNS:
            if not rx.search(name):
                continue
            if kind == "task" and "task" in cols.values() and "measures" not in cols.values():
                kind = "measures"  # 民生实事项目｜主要任务: the second task-like column details the first
            if kind == "skip" or kind not in cols.values():
                cols[ci] = kind
                break
    kinds = set(cols.values())
    if not ({"task", "measures"} & kinds) or not ({"lead", "co", "units", "deadline", "leader"} & kinds):
        return None
    if "task" not in kinds:
        # 单位｜存在问题｜整改要求 without a task column: the measures column is the task
        ci = next(i for i, k in cols.items() if k == "measures")
        cols[ci] = "task"
    return cols


def split_cells(text: str, p: Para) -> list[tuple[int, int, str]]:
    """Cells of one line, an empty cell for every consecutive separator (also the leading ones a
    paragraph's own text leaves out)."""
    start = text.rfind("\n", 0, p.start) + 1
    t = text[start:p.end]
    sep = re.compile(r"\t" if "\t" in t else r"[｜|]")
    out, pos = [], 0
    for m in sep.finditer(t):
        out.append(_cell(t, start, pos, m.start()))
        pos = m.end()
    out.append(_cell(t, start, pos, len(t)))
    return out


def _cell(line: str, base: int, a: int, b: int) -> tuple[int, int, str]:
    raw = line[a:b]
    lead = len(raw) - len(raw.lstrip())
    value = raw.strip()
    return base + a + lead, base + a + lead + len(value), value


def _has_sep(p: Para) -> bool:
    return "\t" in p.text or "|" in p.text or "｜" in p.text


def rows_of(text: str, paras: list[Para], start: int, cols: dict[int, str], width: int = 0) -> tuple[list[Row], int]:
    """The rows after a header at paras[start - 1] of `width` cells, up to the end of the table; lines
    of a row split by a line break inside a cell are joined. Returns the rows and the index after
    the table."""
    # columns the header names but no field is read from (一季度｜二季度…) still make a row's width
    n = max(max(cols) + 1, width)
    rows: list[Row] = []
    i = start
    while i < len(paras):
        p = paras[i]
        if p.kind not in ("table", "text") or not p.text.strip():
            if p.kind == "furniture" or not p.text.strip():
                i += 1
                continue
            break
        if not _has_sep(p):
            # a line without cells belongs to the row above only while that row is incomplete
            if rows and len(rows[-1].cells) < n and _continues(rows[-1], p):
                _join(rows[-1], p, [(p.start, p.end, p.text.strip())])
                i += 1
                continue
            break
        cells = split_cells(text, p)
        if len(cells) > n + 1:
            break  # another table, or a line of tab-aligned text
        if all(_RULE_CELL.match(t) for _a, _b, t in cells):
            p.kind = "cell"  # | --- | --- |: the rule under a header written in Markdown
            i += 1
            continue
        if rows and len(rows[-1].cells) < n and len(rows[-1].cells) + len(cells) - 1 <= n \
                and not _starts_row(cells, cols):
            _join(rows[-1], p, cells)
        else:
            rows.append(Row([p], cells))
        i += 1
    return rows, i


def _continues(row: Row, p: Para) -> bool:
    """A line without cells after an incomplete row: the rest of its last cell, not the paragraph
    after the table (一、…, or a sentence of its own)."""
    if _ENUM_LINE.match(p.text):
        return False
    last = next((t for _a, _b, t in reversed(row.cells) if t), "")
    return last[-1:] in "，、；,;" or (len(p.text.strip()) <= 40 and "。" not in p.text)


def _starts_row(cells, cols) -> bool:
    seq = next((ci for ci, k in cols.items() if k == "seq"), None)
    return seq is not None and seq < len(cells) and bool(_NUMBER.match(cells[seq][2]))


def _join(row: Row, p: Para, cells: list[tuple[int, int, str]]) -> None:
    """The last cell of the row goes on in the first cell of the next line."""
    a, _b, t = row.cells[-1]
    a2, b2, t2 = cells[0]
    if not t:
        row.cells[-1] = (a2, b2, t2)
    elif t2:
        row.cells[-1] = (a, b2, t + t2)
    row.cells.extend(cells[1:])
    row.paras.append(p)


def read_tables(doc) -> None:
    """Every table of the document (lines of ≥ 3 cells under a header): one candidate per row."""
    paras = doc.paras
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.kind != "table":
            i += 1
            continue
        head = split_cells(doc.text, p)
        cols = header(doc.text, head)
        if cols is None:
            i += 1
            continue
        rows, i = rows_of(doc.text, paras, i + 1, cols, len(head))
        p.kind = "cell"
        above: dict[str, tuple[int, int, str]] = {}
        for row in rows:
            for q in row.paras:
                q.kind = "cell"
            _emit(doc, row, cols, above)


def _emit(doc, row: Row, cols: dict[int, str], above: dict) -> None:
    got: dict[str, tuple[int, int, str]] = {}
    for ci, kind in cols.items():
        if kind in ("seq", "skip") or ci >= len(row.cells):
            continue
        if row.cells[ci][2] and kind not in got:
            got[kind] = row.cells[ci]
    own = [got[k] for k in ("task", "measures") if k in got]
    if not own:
        return
    seq = next((ci for ci, k in cols.items() if k == "seq"), None)
    no_number = seq is not None and (seq >= len(row.cells) or not row.cells[seq][2])
    # the task cell spans this row too: left empty, repeated (a .docx merged cell), or a row without
    # a number of its own
    merged = "task" in above and ("task" not in got or got["task"][2] == above["task"][2] or no_number)
    if merged:
        for kind in ("lead", "co", "units", "leader", "deadline"):
            if kind not in got and kind in above:
                got[kind] = above[kind]
    else:
        above.clear()
        above.update(got)
    s, e = min(c[0] for c in own), max(c[1] for c in own)
    fields = [(_FIELD_OF[k], got[k][2], got[k][0], got[k][1]) for k in ("lead", "units", "co", "leader", "deadline")
              if k in got]
    idx = doc.add(s, e, "assignment", extra_fields=fields, conf_bonus=0.4)
    if idx is None:
        return
    cand = doc.cands[idx]
    task = got.get("task") or above.get("task")
    if "measures" in got:
        cand.measures = got["measures"][2]
        cand.title = doc.title(got["measures"][2] if merged else task[2])
    else:
        cand.measures = task[2]
        cand.title = doc.title(task[2])


# -- tables pasted one cell a line, without column bars ------------------------------------------

_SEQ_LINE = re.compile(r"^\s*(?:序\s*号|编\s*号)\s*$")
_NOTE_LINE = re.compile(r"^\s*(?:备注|注|说明|附件|附表)\s*[：:\d]")
_ONGOING_CELL = re.compile(r"^(?:长期|持续|常态化|常年|长效)")
_ROW_NUMBER = re.compile(r"^\s*(\d{1,3})[.、．]?\s*$")


def read_cell_lines(doc) -> None:
    """A table copied from a web page often arrives one cell a line: `序号`, `重点任务`, `牵头单位`,
    `完成时限`, then `1`, `…任务…`, `县发改委`, `6月底前`, `2`, …. The header run names the columns;
    each row opens with its number (1, 2, 3 … in order). A row with as many cells as the header is read
    by position; one that lost an empty cell is read by what its cells hold."""
    paras = doc.paras
    i = 0
    while i < len(paras):
        if paras[i].kind != "text" or not _SEQ_LINE.match(paras[i].text):
            i += 1
            continue
        cols: dict[int, str] = {0: "seq"}
        j = i + 1
        while j < len(paras) and paras[j].kind == "text" and not _ROW_NUMBER.match(paras[j].text):
            name = re.sub(r"\s+", "", paras[j].text)
            kind = next((k for k, rx in _COLUMNS if len(name) <= 12 and rx.search(name)), None)
            if kind is None or kind != "skip" and kind in cols.values():
                break
            cols[j - i] = kind
            j += 1
        kinds = set(cols.values())
        if j >= len(paras) or not _ROW_NUMBER.match(paras[j].text) or int(_ROW_NUMBER.match(paras[j].text).group(1)) != 1 \
                or not ({"task", "measures"} & kinds) or not ({"lead", "co", "units", "deadline", "leader"} & kinds):
            i += 1
            continue
        if "task" not in kinds:
            cols[next(c for c, k in cols.items() if k == "measures")] = "task"
        n = len(cols)
        for q in paras[i:j]:
            q.kind = "cell"
        expect, above = 1, {}
        while j < len(paras):
            m = _ROW_NUMBER.match(paras[j].text) if paras[j].kind == "text" else None
            if not m or int(m.group(1)) != expect:
                break
            k = j + 1
            while k < len(paras) and k - j < n and paras[k].kind == "text" and not (
                    _ROW_NUMBER.match(paras[k].text) and int(_ROW_NUMBER.match(paras[k].text).group(1)) == expect + 1):
                if k - j > 1 and (_ENUM_LINE.match(paras[k].text) or _NOTE_LINE.match(paras[k].text)):
                    break
                k += 1
            cells = [(q.start + len(q.text) - len(q.text.lstrip()), q.end - (len(q.text) - len(q.text.rstrip())),
                      q.text.strip()) for q in paras[j:k]]
            for q in paras[j:k]:
                q.kind = "cell"
            row_cols = cols if len(cells) == n and _fits(doc, cells, cols) else _cols_by_content(doc, cells, cols)
            _emit(doc, Row(paras[j:k], cells), row_cols, above)
            expect, j = expect + 1, k
        i = j


def _fits(doc, cells, cols: dict[int, str]) -> bool:
    """Whether a row's cells read by position hold what their columns name."""
    for ci, kind in cols.items():
        t = cells[ci][2]
        if kind == "deadline" and t and not _is_limit(doc, t):
            return False
        if kind == "leader" and t and not re.fullmatch(r"[\u4e00-\u9fff]{2,4}(?:[、，,][\u4e00-\u9fff]{2,4})*", t):
            return False
        if kind in ("lead", "units", "co") and t and not doc._unit_cell(t):
            return False
    return True


def _is_limit(doc, t: str) -> bool:
    return len(t) <= 16 and (field_deadline(t, doc.issued)[1] is not None or bool(_ONGOING_CELL.match(t)))


def _cols_by_content(doc, cells, cols: dict[int, str]) -> dict[int, str]:
    """Columns of a row that lost a cell: the long cell is the task (then the measures, if the header
    has them), cells of unit names the owners in header order, a time limit the deadline."""
    wanted = [k for _c, k in sorted(cols.items()) if k != "skip"]
    owners = [k for k in wanted if k in ("lead", "units", "co")]
    out: dict[int, str] = {0: "seq"}
    texts = [k for k in wanted if k in ("task", "measures")]
    for ci, (_a, _b, t) in enumerate(cells[1:], start=1):
        if "deadline" in wanted and "deadline" not in out.values() and _is_limit(doc, t):
            out[ci] = "deadline"
        elif owners and doc._unit_cell(t):
            out[ci] = owners.pop(0)
        elif "leader" in wanted and "leader" not in out.values() and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", t):
            out[ci] = "leader"
        elif texts and len(re.findall(r"[\u4e00-\u9fff]", t)) >= 4:
            out[ci] = texts.pop(0)
    return out
