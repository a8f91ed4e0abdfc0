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

import datetime as dt
import re
from dataclasses import dataclass

from .dates import field_deadline, find_deadline, ongoing
from .structure import Para

# Column kinds, tried in this order on each header cell (配合单位 before 单位, 工作措施 before 工作).
_COLUMNS = (
    ("seq", re.compile(r"^(?:序号|编号|序)$")),
    # 进度安排: the milestones of the row (①2月上旬前…②3月底前…③5月底前…): the last is its time limit
    ("schedule", re.compile(r"进度安排|时间安排|进度计划|推进计划|时序安排|节点安排|时间进度")),
    ("skip", re.compile(r"进展|进度|完成情况|落实情况|推进情况|执行情况|整改情况|备注|说明|成效|督查情况|存在的?不足")),
    ("leader", re.compile(r"(?:责任|牵头|分管|联系|包抓|包保)(?:县|市|区)?领导|责任人")),
    ("lead", re.compile(r"(?:牵头|主办|主责)(?:责任)?(?:单位|部门)")),
    ("co", re.compile(r"(?:配合|协办|参与|协同|协作)(?:责任)?(?:单位|部门)")),
    ("units", re.compile(r"责任(?:单位|部门|科室|处室)|^(?:被督查|被检查|所属|涉及)?(?:单位|部门)(?:名称)?$")),
    ("deadline", re.compile(r"(?:完成|办结|整改)(?:时限|时间)|时间节点|^时限$|^完成期限$")),
    ("measures", re.compile(r"具体措施|工作措施|主要措施|^措施$|目标要求|工作目标|整改(?:要求|措施|目标)|工作要求|具体内容|推进措施|工作举措")),
    ("task", re.compile(r"重点(?:工作|任务)|工作任务|目标任务|主要内容|任务名称|工作内容|任务内容|主要任务|工作事项|^事项$|^任务$|项目名称"
                        r"|^(?:存在|发现|反馈)?(?:的)?问题(?:清单|描述)?$|督查发现问题|问题表现|(?:实事|重点|建设)?项目$|^(?:民生)?实事$")),
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
    if not ({"task", "measures"} & kinds) or not ({"lead", "co", "units", "deadline", "leader", "schedule"} & kinds):
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


def rows_of(text: str, paras: list[Para], start: int, cols: dict[int, str], width: int = 0,
            doc=None) -> tuple[list[Row], int]:
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
        if rows and len(rows[-1].cells) < n and len(rows[-1].cells) + len(cells) <= n \
                and not _starts_row(cells, cols) and _next_cells(doc, rows[-1], cells, cols):
            rows[-1].cells.extend(cells)  # 1｜任务。 / 县教育局｜各街道｜12月底前: the row's next cells
            rows[-1].paras.append(p)
        elif rows and len(rows[-1].cells) < n and len(rows[-1].cells) + len(cells) - 1 <= n \
                and not _starts_row(cells, cols):
            _join(rows[-1], p, cells)
        elif rows and _fills_above(doc, rows[-1], cells, cols):
            _fill(rows[-1], p, cells, cols)
        else:
            rows.append(Row([p], cells))
        i += 1
    return rows, i


_OWNER_KINDS = ("lead", "co", "units")


def _cell_fits(doc, kind: str | None, t: str) -> bool:
    """Whether a non-empty cell can stand in a column of ``kind`` by what it holds."""
    if kind in _OWNER_KINDS:
        return doc._unit_cell(t)
    if kind == "deadline":
        return _is_limit(doc, t)
    if kind == "leader":
        return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}(?:[、，,][\u4e00-\u9fff]{2,4})*", t)) and not doc._unit_cell(t)
    return False


def _next_cells(doc, row: Row, cells, cols: dict[int, str]) -> bool:
    """A line of cells after a row that stopped at the end of a cell (its last cell complete, 。 or a
    unit or a limit), whose cells each hold what the columns after it name (units, a time limit, a
    leader): the row's unit cell copied onto a line of its own, not the rest of its last cell."""
    if doc is None:
        return False
    last = next((t for _a, _b, t in reversed(row.cells) if t), "")
    if not last or last[-1:] in "，、；,;：:（(":
        return False
    base = len(row.cells)
    filled = [(cols.get(base + k), t) for k, (_a, _b, t) in enumerate(cells) if t]
    return bool(filled) and all(_cell_fits(doc, kind, t) for kind, t in filled)


def _fills_above(doc, row: Row, cells, cols: dict[int, str]) -> bool:
    """A line of the table with no number and no task or measures of its own, whose cells stand in the
    owner, leader and time columns the row above left empty (1｜任务｜｜ / ｜｜县教育局｜12月底前): the rest
    of that row, written a line lower."""
    if doc is None:
        return False
    # (a .docx repeats a vertically merged cell in every row it spans: 1｜任务｜｜ / 1｜任务｜县教育局｜…)
    filled = [(ci, t) for ci, (_a, _b, t) in enumerate(cells)
              if t and not (ci < len(row.cells) and row.cells[ci][2] == t and cols.get(ci) not in _OWNER_KINDS)]
    if not filled:
        return False
    for ci, t in filled:
        kind = cols.get(ci)
        if kind not in _OWNER_KINDS + ("deadline", "leader") or not _cell_fits(doc, kind, t):
            return False
        if kind not in _OWNER_KINDS and ci < len(row.cells) and row.cells[ci][2]:
            return False
    # only while the row above still lacks an owner or a time limit it has a column for
    return any(not (ci < len(row.cells) and row.cells[ci][2]) for ci, _t in filled)


def _fill(row: Row, p: Para, cells, cols: dict[int, str]) -> None:
    while len(row.cells) < len(cells):
        a = row.cells[-1][1] if row.cells else p.start
        row.cells.append((a, a, ""))
    for ci, (a, b, t) in enumerate(cells):
        a0, _b0, t0 = row.cells[ci]
        if not t or t == t0 and cols.get(ci) not in _OWNER_KINDS:
            continue
        row.cells[ci] = (a, b, t) if not t0 else (a0, b, t0 + "、" + t)
    row.paras.append(p)


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
        rows, i = rows_of(doc.text, paras, i + 1, cols, len(head), doc)
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
        elif row.cells[ci][2] and kind in ("lead", "co", "units"):
            a, _b, t = got[kind]  # a unit cell written one unit a line
            got[kind] = (a, row.cells[ci][1], t + "、" + row.cells[ci][2])
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
    if "deadline" not in got and "schedule" in got:
        a, b, t = got["schedule"]
        last = _last_limit(t, doc.issued)
        if last:
            got["deadline"] = (a, b, last)
    s, e = min(c[0] for c in own), max(c[1] for c in own)
    fields = [(_FIELD_OF[k], got[k][2], got[k][0], got[k][1]) for k in ("lead", "units", "co", "leader", "deadline")
              if k in got]
    idx = doc.add(s, e, "assignment", extra_fields=fields, conf_bonus=0.4)
    if idx is None:
        return
    cand = doc.cands[idx]
    year = _plan_year(doc.text)
    words = cand.deadline_text or ""
    if year and _MONTH.search(words) and not _YEAR_NAMED.search(words):
        # a table under a title naming its year (2023年度重点工作清单) sets its months in that year,
        # whenever the page was dated
        cand.deadline = field_deadline(cand.deadline_text, dt.date(year, 1, 1))[1]
    task = got.get("task") or above.get("task")
    if "measures" in got:
        cand.measures = got["measures"][2]
        cand.title = doc.title(got["measures"][2] if merged else task[2])
    else:
        cand.measures = task[2]
        cand.title = doc.title(task[2])


_MILESTONE_CUT = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩；;。\n]")
_PLAN_TITLE = re.compile(r"(?P<y>(?:19|20)\d{2})年度?[^\n。，,]{0,40}?(?:清单|计划|要点|任务|方案|台账|安排)")
_MONTH = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_YEAR_NAMED = re.compile(r"\d{4}\s*年|[本下次上明今去]\s*[年月]")


def _last_limit(cell: str, issued: dt.date | None) -> str | None:
    """The time limit of a schedule cell: that of its last milestone that names one."""
    last = None
    for piece in _MILESTONE_CUT.split(cell):
        words, _d = find_deadline(piece, issued)
        if words:
            last = words
    return last


def _plan_year(text: str) -> int | None:
    """The year a plan or list names in its title (the head of the text), e.g. 开化县2023年度重点工作清单."""
    m = _PLAN_TITLE.search(text, 0, 300)
    return int(m.group("y")) if m else None


# -- tables pasted one cell a line, without column bars ------------------------------------------

_SEQ_LINE = re.compile(r"^\s*(?:序\s*号|编\s*号)\s*$")
_NOTE_LINE = re.compile(r"^\s*(?:备注|注|说明|附件|附表)\s*[：:\d]")
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
            # a row runs to the next number: a cell of several units is written one unit a line, and
            # a merged number may hold two tasks each with its own time limit
            while k < len(paras) and (k - j < n or _extra_cell(doc, paras[k].text)) and paras[k].kind == "text" \
                    and not (_ROW_NUMBER.match(paras[k].text) and int(_ROW_NUMBER.match(paras[k].text).group(1)) == expect + 1):
                if k - j > 1 and (_ENUM_LINE.match(paras[k].text) or _NOTE_LINE.match(paras[k].text)):
                    break
                k += 1
            cells = [(q.start + len(q.text) - len(q.text.lstrip()), q.end - (len(q.text) - len(q.text.rstrip())),
                      q.text.strip()) for q in paras[j:k]]
            for q in paras[j:k]:
                q.kind = "cell"
            if len(cells) == n and _fits(doc, cells, cols):
                _emit(doc, Row(paras[j:k], cells), cols, above)
            else:
                for part in _sub_rows(doc, cells, cols):
                    _emit(doc, Row(paras[j:k], part), _cols_by_content(doc, part, cols), above)
            expect, j = expect + 1, k
        i = j


def _extra_cell(doc, t: str) -> bool:
    """A line past the header's width that still belongs to the row: a unit, a time limit, or a
    second task of the same number (a short sentence, not a paragraph after the table)."""
    t = t.strip()
    return bool(t) and (doc._unit_cell(t) or _is_limit(doc, t) or _task_cell(doc, t)) and len(t) <= 60


def _task_cell(doc, t: str) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", t)) >= 4 and not doc._unit_cell(t) and not _is_limit(doc, t)


def _sub_rows(doc, cells, cols: dict[int, str]) -> list[list[tuple[int, int, str]]]:
    """The rows one number holds: a task cell after the row already has its task and time limit
    starts another row (`5` / 开工建设县老年养护楼。/ 县民政局 / 5月底前动工 / 开工建设老年大学。/ 12月底前),
    which takes the cells it leaves empty from the row above. Its number cell is left empty."""
    if "deadline" not in cols.values():
        return [cells]
    parts, cur, task, limit = [], [cells[0]], False, False
    for c in cells[1:]:
        if _task_cell(doc, c[2]) and task and limit:
            parts.append(cur)
            cur, task, limit = [(c[0], c[0], "")], False, False
        task = task or _task_cell(doc, c[2])
        limit = limit or _is_limit(doc, c[2])
        cur.append(c)
    parts.append(cur)
    return parts


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
    return len(t) <= 16 and (field_deadline(t, doc.issued)[1] is not None or ongoing(t))


def _cols_by_content(doc, cells, cols: dict[int, str]) -> dict[int, str]:
    """Columns of a row that lost a cell: the long cell is the task (then the measures, if the header
    has them), cells of unit names the owners in header order, a time limit the deadline."""
    wanted = [k for _c, k in sorted(cols.items()) if k != "skip"]
    owners = [k for k in wanted if k in ("lead", "units", "co")]
    out: dict[int, str] = {0: "seq"}
    texts = [k for k in wanted if k in ("task", "measures")]
    last_owner = None
    for ci, (_a, _b, t) in enumerate(cells[1:], start=1):
        if "deadline" in wanted and "deadline" not in out.values() and _is_limit(doc, t):
            out[ci] = "deadline"
        elif doc._unit_cell(t) and (owners or last_owner):
            # one unit a line: the units past the header's owner columns join the last of them
            out[ci] = last_owner = owners.pop(0) if owners else last_owner
        elif "leader" in wanted and "leader" not in out.values() and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", t):
            out[ci] = "leader"
        elif texts and len(re.findall(r"[\u4e00-\u9fff]", t)) >= 4:
            out[ci] = texts.pop(0)
    return out


# -- tables pasted with spaces between the cells --------------------------------------------------

_SPACED_ROW = re.compile(r"^\s*(\d{1,3})[.、．]?(?=\s)")
# a row's number as its first cell (1、 1. 1．): never a cell broken after its 、
_SPACED_NUMBER = re.compile(r"\d{1,3}[.、．]")
_BLANKS = re.compile(r"[ \t\u3000\u00a0]+")


def _spaced_cells(p: Para) -> list[tuple[int, int, str]]:
    """The cells of a line whose cells are separated by runs of blanks; a cell broken after a comma or
    a 、 (…城南街道、 县住建局) is one cell."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in list(_BLANKS.finditer(p.text)) + [None]:
        a, b = pos, (m.start() if m else len(p.text))
        if b > a:
            t = p.text[a:b]
            if out and (out[-1][2][-1:] in "，、,；;：:（(" or t[:1] in "，、,；;）)") \
                    and not (len(out) == 1 and _SPACED_NUMBER.fullmatch(out[0][2])):
                s0, _e0, t0 = out[-1]
                out[-1] = (s0, p.start + b, p.text[s0 - p.start:b])
            else:
                out.append((p.start + a, p.start + b, t))
        pos = m.end() if m else len(p.text)
    return out


def read_spaced_lines(doc) -> None:
    """A table pasted with blanks between its cells (a 民生实事 or 重点任务分解 table copied from a page or a
    PDF): a header line of column names only (`序号 项目名称 主要内容 牵头单位 配合单位 完成时限`), then rows
    that open with their number; a row may run over several lines (its unit and time cells on a line
    of their own). Read like a table pasted one cell a line: by position when the row has the header's
    cells and they fit, else by what each cell holds."""
    paras = doc.paras
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.kind != "text" or not _BLANKS.search(p.text.strip()) or len(p.text) > 120:
            i += 1
            continue
        head = _spaced_cells(p)
        cols = header(doc.text, head) if len(head) >= 3 else None
        if cols is None or len(cols) != len(head) or cols.get(0) != "seq":
            i += 1
            continue
        n = len(head)
        j, expect, above = i + 1, 1, {}
        rows: list[list[Para]] = []
        while j < len(paras) and paras[j].kind == "text":
            m = _SPACED_ROW.match(paras[j].text)
            if m and int(m.group(1)) == expect:
                rows.append([paras[j]])
                expect += 1
            elif rows and not _ENUM_LINE.match(paras[j].text) and not _NOTE_LINE.match(paras[j].text) and (
                    sum(len(_spaced_cells(q)) for q in rows[-1]) < n
                    or all(_extra_cell(doc, t) for _a, _b, t in _spaced_cells(paras[j]))):
                rows[-1].append(paras[j])
            else:
                break
            j += 1
        if not rows:
            i += 1
            continue
        p.kind = "cell"
        for row in rows:
            cells = []
            for c in (c for q in row for c in _spaced_cells(q)):
                if cells and cells[-1][2][-1:] in "，、,；;：:（(" \
                        and not (len(cells) == 1 and _SPACED_NUMBER.fullmatch(cells[0][2])):
                    cells[-1] = (cells[-1][0], c[1], cells[-1][2] + c[2])  # a cell broken after its comma
                else:
                    cells.append(c)
            first = _SPACED_ROW.match(row[0].text)
            a0 = row[0].start + first.start(1)
            cells[0] = (a0, a0 + len(first.group(1)), first.group(1))
            for q in row:
                q.kind = "cell"
            if len(cells) == n and _fits(doc, cells, cols):
                _emit(doc, Row(row, cells), cols, above)
            else:
                for part in _sub_rows(doc, cells, cols):
                    _emit(doc, Row(row, part), _cols_by_content(doc, part, cols), above)
        i = j
