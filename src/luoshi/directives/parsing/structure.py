"""Text structure: paragraphs, sentence pieces, field lines, table rows and the outline.

Enumerators count only at the start of a paragraph (一、 （一） 第一， 一要 一是 1. 1、 （1） ①) or at the
start of a sentence / clause inside one (第一， 一要 一是 （1） ①), and only in sequence: a style starts at
1 and continues with n+1. So 稳居全国第五 (inside a sentence), 第一要务 (一要 preceded by 第, not at a
start) and a lone 三是 never make outline items.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .model import OutlineItem
from .numerals import cn_to_int

_CN = r"[一二三四五六七八九十]{1,3}"
# (style, regex, allowed inline)
_ENUMS: list[tuple[str, re.Pattern, bool]] = [
    ("part", re.compile(rf"({_CN})、"), False),
    ("paren_cn", re.compile(rf"[（(]({_CN})[）)]"), False),
    ("di", re.compile(rf"第({_CN})[，,、：:]"), True),
    ("yao", re.compile(rf"({_CN})要(?![求素点务害闻件])"), True),
    ("shi", re.compile(rf"({_CN})是(?![否非])"), True),
    ("num_dot", re.compile(r"(\d{1,2})[.．](?![\d.．])"), False),
    ("num_dun", re.compile(r"(\d{1,2})、"), False),
    ("paren_num", re.compile(r"[（(](\d{1,2})[）)]"), True),
    ("circ", re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"), True),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_PARA_RE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")
# Web pages pasted as one line: a top-level enumerator after a sentence end (or a run of spaces)
# starts a new paragraph, as it would have on the page.
_VIRTUAL_BREAK = re.compile(
    # (?!\s) after a space: a long run of blanks (an empty table row's tabs) is tried once, not
    # from each of its characters
    r"(?:(?<=[。！？!?])|(?<=\s)(?!\s))\s*(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|\d{1,2}[.．、](?![\d.．])))"
)
# Page furniture of government web pages: never a task, never part of one.
_FURNITURE_KEYS = (
    r"发布时间|发布日期|更新时间|信息来源|文章来源|稿件来源|来源|发布者|发布机构|阅读次数|浏览次数|访问次数|"
    r"点击数|点击量|点击率|阅读量|浏览量|访问量|审核人|审核|责任编辑|编辑|校对|供稿|摄影|撰稿|初审|复审|终审|"
    r"作者|字号|字体大小|字体|索引号|分类|时间|日期"
)
_FURNITURE_HINTS = (
    "位置", "时间", "日期", "来源", "作者", "次数", "点击", "阅读", "浏览", "访问", "审核", "编辑", "校对", "供稿",
    "摄影", "撰稿", "审", "字号", "字体", "索引", "分类", "打印", "关闭", "返回", "分享", "扫一扫", "纠错", "收藏", "发布",
    "日印", "抄送", "分送", "本期发",
)
_FURNITURE = re.compile(
    r"(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]?\s*[^\s>＞»/\\]+(?:\s*[>＞»/\\]+\s*[^\s>＞»/\\]+)*"
    rf"|(?<![\u4e00-\u9fff])(?:{_FURNITURE_KEYS})\s*[:：]\s*(?:\d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|[^\s，。；;,]{0,20}?(?=\s|$|[，。；;,]|(?:" + _FURNITURE_KEYS + r")\s*[:：]))"
    r"(?:\s*(?:放大|缩小|大|中|小|默认)(?=\s|$))*"
    r"|(?:发布时间|阅读次数|浏览次数|访问量|点击数|责任编辑)\s*[:：]\s*[^\s，。；;,]{0,20}?(?=\s|$|(?:"
    + _FURNITURE_KEYS + r")\s*[:：])"
    r"|[【\[]?(?:打印本页|打印此页|关闭窗口|关闭本页|返回顶部|分享到|扫一扫在手机打开当前页|我要打印|我要纠错)[】\]]?"
    r"|[【\[](?:打印|关闭|收藏|字体[:：]?\s*大\s*中\s*小|字号[:：]?\s*大\s*中\s*小)[】\]]"
    # the imprint of an official document (版记): 抄送：…, 本期发：…, …办公室 2021年8月16日印
    r"|(?m:^[ \t\u3000]*(?:抄送|分送|本期发|本期发送|发送)[ \t\u3000]*[:：][^\n]*$)"
    r"|(?m:^[ \t\u3000]*[^\s，。；;,：:]{2,30}[ \t\u3000]*\d{4}[ \t\u3000]*年[ \t\u3000]*\d{1,2}[ \t\u3000]*月"
    r"[ \t\u3000]*\d{1,2}[ \t\u3000]*日[ \t\u3000]*印发?[ \t\u3000]*$)"
)
_TERM_RE = re.compile(r"[。！？!?；;：:]+[”’\"」』）)]*")
# Field names as offices write them (牵头责任单位, 协同责任单位, 牵头负责领导 …); parse_fields reports
# each under its plain form (牵头单位, 配合单位, 责任单位, 责任领导, 完成时限).
FIELD_NAMES = (
    "(?:牵头|主办|主责)(?:责任|负责)?(?:单位|部门)|(?:协同|配合|协办|参与|协作)(?:责任)?(?:单位|部门)|"
    "责任(?:单位|部门)|(?:责任|牵头|分管|联系|包抓)(?:负责)?(?:市|县|区)?领导|责任人|"
    "(?:完成|办结)(?:时限|时间)|时间节点"
)
_FIELD_CANON = (
    (re.compile(r"^(?:牵头|主办|主责)"), "牵头单位"),
    (re.compile(r"^(?:协同|配合|协办|参与|协作)"), "配合单位"),
    (re.compile(r"^责任(?:单位|部门)"), "责任单位"),
    (re.compile(r"领导$|^责任人"), "责任领导"),
    (re.compile(r"时限|时间|节点"), "完成时限"),
)


def field_name(key: str) -> str:
    """The plain form of a field name (牵头责任单位 → 牵头单位)."""
    if re.search(r"领导$", key):
        return "责任领导"
    for rx, name in _FIELD_CANON:
        if rx.search(key):
            return name
    return key
_FIELD_LINE = re.compile(rf"^[（(]?\s*(?:{FIELD_NAMES})\s*[：:]")
# (a value keeps a short bracket of its own: 各街办（新区）, 各镇（街道）, before the bracket, round or square,
# that closes the field: [牵头单位:X;责任单位:Y]; fields laid out on one line end where a space is followed by
# the next field's name and colon, known or not: 责任单位:市公安局 项目责任人:王某 实际完成情况:…)
_FIELD_ITEM = re.compile(
    rf"(?P<k>{FIELD_NAMES})\s*[：:]\s*(?P<v>(?:[（(][^（）()：:\n]{{1,12}}[）)]"
    rf"|(?!(?:{FIELD_NAMES})\s*[：:])(?![ \t\u3000]+[\u4e00-\u9fff]{{2,8}}[：:])[^）)\]】］\n])*)"
)
_CELL_SEP = re.compile(r"\t+|\s*[｜|]\s*")
_HEADER_KEYS = {
    "seq": re.compile(r"^(?:序号|编号|序)$"),
    "task": re.compile(r"(?:重点工作|工作任务|任务名称|工作内容|任务内容|主要任务|工作事项|事项|任务)"),
    "measures": re.compile(r"(?:具体措施|工作措施|主要措施|措施|目标要求|工作目标)"),
    "leader": re.compile(r"(?:责任领导|牵头领导|分管领导|联系领导)"),
    "lead": re.compile(r"(?:牵头单位|主办单位|牵头部门)"),
    "units": re.compile(r"(?:责任单位|配合单位|协办单位|责任部门|参与单位)"),
    "deadline": re.compile(r"(?:完成时限|完成时间|时限|时间节点|办结时间)"),
}
# 提高认识，压实责任 asks for something (提高/统一/深化 + 认识), so it opens no narrative part
_NARRATIVE_HEAD = re.compile(r"回顾|意义|成就|成绩|(?<!提高)(?<!统一)(?<!深化)认识|过去|总结|形势|基本情况|情况通报")
_LEAD_OK = re.compile(r"^[^，,、；;：:的了]{4,16}[。]$")


@dataclass
class Piece:
    start: int
    end: int
    para: int
    index: int  # position in its paragraph
    text: str
    last: bool = False


@dataclass
class Para:
    start: int
    end: int
    text: str
    kind: str = "text"  # text | field | table | furniture
    fields: list[tuple[str, str, int, int]] = field(default_factory=list)
    cells: list[tuple[int, int]] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class Node:
    """An outline item plus what the candidate builder needs to know about it."""

    item: OutlineItem
    para: int
    scope: str  # para | inline
    style: str
    heading_end: int  # end of heading piece
    region_end: int = 0
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    narrative: bool = False


def paragraphs(text: str) -> list[Para]:
    out: list[Para] = []
    for m in _PARA_RE.finditer(text):
        s, e = m.start(), m.end()
        pos = s
        line = text[s:e]
        furniture = _FURNITURE.finditer(text, s, e) if any(k in line for k in _FURNITURE_HINTS) else ()
        for f in furniture:
            if f.end() <= f.start():
                continue
            _text_paras(text, pos, f.start(), out)
            out.append(Para(f.start(), f.end(), text[f.start():f.end()], kind="furniture"))
            pos = f.end()
        _text_paras(text, pos, e, out)
    return out


def _text_paras(text: str, s: int, e: int, out: list[Para]) -> None:
    cuts = [s] + [b.end() for b in _VIRTUAL_BREAK.finditer(text, s, e) if s < b.end() < e] + [e]
    for a, b in zip(cuts, cuts[1:]):
        raw = text[a:b]
        ls = len(raw) - len(raw.lstrip())
        rs = len(raw.rstrip())
        if rs <= ls:
            continue
        out.append(Para(a + ls, a + rs, text[a + ls:a + rs]))


# "会议强调，一是…；二是…", "书记要求，一要…": an enumerator after a lead-in clause (or a comma)
# starts its own piece, so the outline sees it at a clause start.
_INLINE_CUT = re.compile(
    r"(?<=[，,])\s*(?=(?:[一二三四五六七八九十]{1,3}(?:要(?![求素点务害闻件])|是(?![否非]))|第[一二三四五六七八九十]{1,3}[，,、]))"
    # 会议明确，(1)…。(2)…: a numbered list opened by the decision's own lead-in, where the comma
    # stands for the colon a list would have after it
    r"|(?<=(?:明确|决定|议定|要求|强调|研究|同意)[，,])\s*(?=[（(]1[）)])"
)


def split_pieces(text: str, para: Para, pi: int) -> list[Piece]:
    pieces = []
    pos = para.start
    body = para.text
    base = para.start
    cuts = sorted({base + m.end() for m in _TERM_RE.finditer(body)} | {base + m.end() for m in _INLINE_CUT.finditer(body)})
    if "（" in body or "(" in body:
        remarks = _remarks(body)
        if remarks:
            starts = [a for a, _b in remarks]
            cuts = [c for c in cuts if not _inside(remarks, starts, c - base)]
    for e in cuts:
        if e <= pos:
            continue
        _add_piece(text, pieces, pos, e, pi)
        pos = e
    if pos < para.end:
        _add_piece(text, pieces, pos, para.end, pi)
    if pieces:
        pieces[-1].last = True
    return pieces


def _remarks(body: str) -> list[tuple[int, int]]:
    """Closed （…） remarks of a paragraph, at most 120 characters long (one pass, outermost pairs):
    a remark such as （办公室设在…，联系电话：…） does not end the sentence it stands in."""
    out, opened = [], []
    for i, ch in enumerate(body):
        if ch in "（(":
            opened.append(i)
        elif ch in "）)" and opened:
            a = opened.pop()
            if not opened and i - a <= 120:
                out.append((a, i))
    return out


def _inside(remarks: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    k = bisect.bisect_right(starts, pos - 1) - 1
    return k >= 0 and remarks[k][0] < pos <= remarks[k][1]


def _add_piece(text: str, pieces: list[Piece], s: int, e: int, pi: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        pieces.append(Piece(s, e, pi, len(pieces), text[s:e]))


def parse_fields(seg: str, offset: int) -> list[tuple[str, str, int, int]]:
    out = []
    for m in _FIELD_ITEM.finditer(seg):
        # (牵头单位: | X |: a record pasted with its cell bars, which are no part of the value)
        raw = m.group("v").rstrip().rstrip("；;，,。 \t|｜").rstrip()
        v = raw.lstrip(" \t|｜").strip()
        vs = offset + m.start("v") + (len(raw) - len(raw.lstrip(" \t|｜")))
        out.append((field_name(m.group("k")), v, vs, vs + len(v)))
    return out


def classify(text: str, paras: list[Para]) -> None:
    for pi, p in enumerate(paras):
        if p.kind == "furniture":
            continue
        if _FIELD_LINE.match(p.text):
            p.kind = "field"
            p.fields = parse_fields(p.text, p.start)
            continue
        cells = []
        if "\t" in p.text or "|" in p.text or "｜" in p.text:
            pos = 0
            for m in _CELL_SEP.finditer(p.text):
                cells.append((pos, m.start()))
                pos = m.end()
            cells.append((pos, len(p.text)))
            cells = [(p.start + a, p.start + b) for a, b in cells]
            if sum(1 for a, b in cells if b > a) >= 3:
                p.kind = "table"
                p.cells = cells
                continue
        p.pieces = split_pieces(text, p, pi)


def table_header(text: str, p: Para) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for ci, (a, b) in enumerate(p.cells):
        cell = text[a:b].strip()
        if not cell or len(cell) > 12:
            continue
        for key, rx in _HEADER_KEYS.items():
            if key not in cols and rx.search(cell):
                if key == "task" and _HEADER_KEYS["measures"].search(cell):
                    continue
                cols[key] = ci
                break
    if "task" in cols and ("lead" in cols or "units" in cols or "deadline" in cols or "leader" in cols):
        return cols
    return None


def _match_enum(text: str, pos: int, inline: bool):
    # "会议交办了以下事项：1.…；2.…": after a colon or semicolon a numbered item is a list item too
    listed = inline and text[max(0, pos - 1):pos] in ("：", ":", "；", ";")
    for style, rx, allowed_inline in _ENUMS:
        if inline and not allowed_inline and not (listed and style in ("num_dot", "num_dun")):
            continue
        m = rx.match(text, pos)
        if not m:
            continue
        g = m.group(1)
        n = _CIRCLED.index(g) + 1 if style == "circ" else cn_to_int(g)
        if n is None or not (1 <= n <= 99):
            continue
        # "1." followed by nothing textual is a number, not an item
        if m.end() >= len(text) or text[m.end()] in "\n":
            continue
        return style + ("@i" if inline else ""), n, m
    return None


def _excerpt_starts_at(style: str, scope: str, stack: list[list], last_num: dict[str, int]) -> bool:
    """A page of a long report may start inside its second level: (八)著力搞好社会建设。… opening a
    paragraph, with no enumerated item before it (only lead sentences such as 有针对性解决热点民生。
    left from the item before) is the first item of the outline, whatever its number. Only for （八）,
    whose bracketed Chinese numeral at the start of a paragraph is never anything but an item."""
    return (style == "paren_cn" and scope == "para" and style not in last_num
            and all(entry[0] == "lead" for entry in stack))


def build_outline(text: str, paras: list[Para]) -> list[Node]:
    nodes: list[Node] = []
    stack: list[list] = []  # [style, number, scope, node_index]
    last_num: dict[str, int] = {}

    def accept(style: str, n: int, scope: str) -> int | None:
        idx = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == style), None)
        if idx is not None:
            if n == stack[idx][1] + 1 or n == 1:
                del stack[idx:]
                return idx + 1
            return None
        if n == 1 or (scope == "para" and n == last_num.get(style, -5) + 1):
            if scope == "para":
                while stack and stack[-1][2] == "inline":
                    stack.pop()
            return len(stack) + 1
        if style == "part" and scope == "para" and not stack and style not in last_num and heading_line:
            return 1  # an excerpt may start at 三、: the first top-level heading, whatever its number
        if _excerpt_starts_at(style, scope, stack, last_num):
            return 1
        return None

    def push(style: str, n: int | None, scope: str, level: int, label: str, s: int, e: int, pi: int, kind: str):
        del stack[level - 1:]
        item = OutlineItem(level=level, label=label, text=text[s:e], start=s, end=e, kind=kind, number=n)
        nodes.append(Node(item=item, para=pi, scope=scope, style=style, heading_end=e))
        stack.append([style, n or 0, scope, len(nodes) - 1])
        if n is not None:
            last_num[style] = n

    for pi, p in enumerate(paras):
        while stack and stack[-1][2] == "inline":
            stack.pop()
        if p.kind != "text" or not p.pieces:
            continue
        first = p.pieces[0]
        heading_line = len(p.pieces) == 1 and len(p.text) <= 40 and p.text[-1] not in "。！？!?；;"
        hit = _match_enum(text, first.start, inline=False)
        enumerated = False
        if hit:
            style, n, m = hit
            level = accept(style, n, "para")
            if level is not None:
                kind = "part" if style == "part" else "enum"
                push(style, n, "para", level, m.group(0).rstrip("，,、：:"), first.start, first.end, pi, kind)
                enumerated = True
        for k, pc in enumerate(p.pieces):
            if k == 0 and enumerated:
                continue
            if k > 0:
                h = _match_enum(text, pc.start, inline=True)
                if h:
                    style, n, m = h
                    level = accept(style, n, "inline")
                    if level is not None:
                        push(style, n, "inline", level, m.group(0).rstrip("，,、：:"), pc.start, pc.end, pi, "inline")
                        continue
            # lead sentences: "突出重点事项攻坚。" opening a paragraph, "要着力推进创新发展。" inside one
            if pc.last:
                continue
            body = pc.text
            if (k == 0 and not enumerated and _LEAD_OK.match(body)) or (
                k > 0 and body.startswith("要") and _LEAD_OK.match(body[1:]) and len(body) <= 16
            ):
                para_levels = [i for i, e in enumerate(stack) if e[2] == "para"]
                base = (para_levels[-1] + 1) if para_levels else 0
                idx = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == "lead"), None)
                level = idx + 1 if idx is not None else min(len(stack), base) + 1
                push("lead", None, "inline", level, "", pc.start, pc.end, pi, "lead")

    # regions, parents, narrative flags
    open_: list[int] = []
    for i, nd in enumerate(nodes):
        while open_:
            top = nodes[open_[-1]]
            if top.item.level >= nd.item.level or (top.scope == "inline" and top.para != nd.para):
                open_.pop()
            else:
                break
        nd.parent = open_[-1] if open_ else None
        if nd.parent is not None:
            nodes[nd.parent].children.append(i)
        open_.append(i)
    n_text = len(text)
    for i, nd in enumerate(nodes):
        end = n_text
        for j in range(i + 1, len(nodes)):
            if nodes[j].item.level <= nd.item.level:
                end = nodes[j].item.start
                break
        if nd.scope == "inline":
            end = min(end, paras[nd.para].end)
            if nd.style.endswith("@i"):
                nxt = next((nodes[j] for j in range(i + 1, len(nodes)) if nodes[j].style == nd.style
                            and nodes[j].para == nd.para and nodes[j].item.number == (nd.item.number or 0) + 1), None)
                prev = next((nodes[j] for j in range(i - 1, -1, -1) if nodes[j].style == nd.style
                             and nodes[j].para == nd.para and nodes[j].item.number == (nd.item.number or 0) - 1), None)
                # （1）X问题。…。（2）Y问题。…: numbered items of several sentences each; the last runs on
                # to the end of its paragraph as the others ran on to the next number
                whole = nd.style.startswith("paren_num") and prev is not None \
                    and text.count("。", prev.item.start, nd.item.start) >= 2
                if nxt is None and not whole:  # the last item of an inline enumeration ends with its sentence
                    stop = text.find("。", nd.item.start, end)
                    end = min(end, stop + 1) if stop >= 0 else end
        nd.region_end = end
        nd.narrative = bool(
            (nd.item.level == 1 and nd.item.kind == "part" and _NARRATIVE_HEAD.search(nd.item.text))
            or (nd.parent is not None and nodes[nd.parent].narrative)
        )
    return nodes
