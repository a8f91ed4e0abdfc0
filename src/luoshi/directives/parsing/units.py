"""Units named in a directive: the caller's directory (names, short names, aliases) plus generic
forms the parser knows (宣传部门, 市委党校, 督查局, 各部门各单位, 镇（街道）…).

A generic form is mapped to a directory unit when exactly one directory unit's name or alias
equals or contains the form's core (宣传部门 → 党工委宣传部 / alias 宣传部); otherwise the form is
reported as written (normalised). Nothing is reported that is not in the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .model import UnitName

# Department stems a city/county government commonly has (short forms as used in speech).
_DEPTS = (
    "发展和改革委员会|发展改革委|发改委|财政局|住房和城乡建设局|住建局|教育局|教体局|公安局|民政局|"
    "人力资源和社会保障局|人社局|自然资源和规划局|自然资源局|生态环境局|交通运输局|交通局|水利局|"
    "农业农村局|商务局|文化广电和旅游局|文广旅局|文旅局|卫生健康委员会|卫健委|卫生健康委|应急管理局|应急局|"
    "市场监督管理局|市场监管局|统计局|审计局|税务局|城市管理局|城管局|工业和信息化局|工信局|科技局|"
    "大数据管理局|大数据局|行政审批和政务信息管理局|行政审批局|政务服务中心|营商环境办|营商办|信访局|"
    "医疗保障局|医保局|退役军人事务局|林业局|气象局|供电公司|宣传部|组织部|统战部|政法委|编办|"
    "督查局|督查室|政府办公室|政府办|党委办公室|党委办|融媒体中心|投资促进局|招商局|金融局|"
    "城乡规划局|规划局|住房保障中心|消防救援大队|消防救援支队|国资委|机关事务管理局|司法局|"
    "纪工委|纪委监委|纪委|总工会|团委|妇联|残联|科协|住建委|交通运输委"
)
_FIELDS = (
    "宣传|组织|统战|政法|财政|公安|教育|民政|住建|交通|交通运输|水利|农业农村|农业|应急|应急管理|生态环境|环保|"
    "市场监管|税务|人社|自然资源|发改|发展改革|统计|审计|文旅|文化|旅游|商务|工信|科技|卫健|卫生健康|卫生|"
    "城管|信访|医保|司法|金融|国资|林业|气象|消防|住房保障|规划|行业主管|主管|监管|行业"
)

# (regex, core used to map onto the directory or None for collective forms)
_GENERIC: list[tuple[str, str | None]] = [
    (r"(?:示范区)?党工委办公室", "党工委办公室"),
    (r"(?:示范区)?管委会办公室", "管委会办公室"),
    (r"(?:市委|县委|区委|党工委|市|县|区)?党校", "党校"),
    (r"(?:示范区|市|县|区)?人大工委", "人大工委"),
    (r"(?:示范区|市|县|区)?政协工委", "政协工委"),
    (r"(?:示范区)?管委会", "管委会"),
    (r"(?:示范区)?党工委", "党工委"),
    (r"(?:各级各部门|各部门各单位|各部门、各单位|各单位各部门)", None),
    (r"(?:各|有关|相关)?(?:县（市、区）|县\(市、区\)|镇（街道）|镇\(街道\)|乡镇（街道）|乡（镇）|乡\(镇\))", None),
    (r"各(?:乡镇|镇|县区|区县|街道|部门|单位|科室|企业)", None),
    (r"(?:有关|相关)(?:部门单位|部门和单位|部门|单位)", None),
    (r"(?:各)?(?:牵头部门|牵头单位|责任部门|责任单位|配合单位|主要承担部门|承担部门)", None),
    (rf"(?:{_FIELDS})部门", "FIELD"),
    (r"各(?:区|县|县区|区县|乡镇|县（市、区）)(?:人民)?政府", None),
    (rf"(?:示范区|市|县|区|镇|乡)?(?:人民)?(?:政府)?(?:{_DEPTS})", "DEPT"),
]
_GENERIC_RE = re.compile("|".join(f"({p})" for p, _ in _GENERIC))
# Units of a higher level are mentioned (按照省委宣传部统一安排, 与省直部门做好对接) but never assigned.
_HIGHER = re.compile(r"(?:省|省委|省政府|省直|中央|国家|国务院|全国|党中央|中共中央)$")
_PREFIX = re.compile(r"^(?:示范区|[\u4e00-\u9fff]{1,4}?(?:市|县|区|镇|乡|街道))")


def normalize(name: str) -> str:
    """The comparison key for unit names: NFKC, no spaces, Chinese brackets."""
    s = unicodedata.normalize("NFKC", name or "")
    s = re.sub(r"\s+", "", s)
    return s.replace("(", "（").replace(")", "）")


def display(name: str) -> str:
    s = re.sub(r"\s+", "", name or "")
    return s.replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    name: str  # what the parser reports
    collective: bool
    directory: bool


class UnitMatcher:
    def __init__(self, units: Sequence[UnitName] = ()):
        self.units = [u for u in units if isinstance(u, UnitName) and normalize(u.name)]
        forms: dict[str, str] = {}
        for u in self.units:
            name = display(u.name)
            keys = [u.name, *[a for a in (u.aliases or ()) if isinstance(a, str)]]
            short = _PREFIX.sub("", normalize(u.name))
            if len(short) >= 3 and short != normalize(u.name):
                keys.append(short)
            for k in keys:
                k = display(k)
                if len(k) >= 2:
                    forms.setdefault(k, name)
        self.forms = forms
        self._dir_re = (
            re.compile("|".join(re.escape(k) for k in sorted(forms, key=len, reverse=True))) if forms else None
        )

    def words(self) -> list[str]:
        return list(self.forms)

    def canonical(self, surface: str) -> str | None:
        """Directory unit for a name written in a field (牵头单位：市发改委) or None."""
        s = display(surface)
        if s in self.forms:
            return self.forms[s]
        short = _PREFIX.sub("", s)
        if short in self.forms:
            return self.forms[short]
        return None

    def _map_generic(self, surface: str, core: str | None) -> str:
        if core is None or not self.units:
            return display(surface)
        if core == "FIELD":
            core = surface[:-2]  # 宣传部门 → 宣传
        elif core == "DEPT":
            core = _PREFIX.sub("", display(surface))
        exact, contains = [], []
        for u in self.units:
            names = [display(u.name), *[display(a) for a in u.aliases or ()]]
            if any(n == core or n == display(surface) for n in names):
                exact.append(u)
            elif any(core in n for n in names):
                contains.append(u)
        pool = exact or contains
        if len(pool) == 1:
            return display(pool[0].name)
        if len(pool) > 1:
            shortest = min(len(display(u.name)) for u in pool)
            best = [u for u in pool if len(display(u.name)) == shortest]
            if len(best) == 1:
                return display(best[0].name)
        return display(surface)

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping unit mentions in ``text`` in order (directory names win over generic
        forms on overlap; longer wins)."""
        found: list[Mention] = []
        if self._dir_re is not None:
            for m in self._dir_re.finditer(text):
                if _HIGHER.search(text[max(0, m.start() - 4):m.start()]):
                    continue
                found.append(Mention(m.start(), m.end(), m.group(0), self.forms[m.group(0)], False, True))
        taken = [(f.start, f.end) for f in found]
        for m in _GENERIC_RE.finditer(text):
            s, e = m.start(), m.end()
            if any(not (e <= a or s >= b) for a, b in taken):
                continue
            if _HIGHER.search(text[max(0, s - 4):s]):
                continue
            idx = m.lastindex - 1 if m.lastindex else 0
            core = _GENERIC[idx][1]
            surface = m.group(0)
            if core == "DEPT" and surface in ("宣传部", "组织部") and text[e:e + 1] == "门":
                continue
            found.append(Mention(s, e, surface, self._map_generic(surface, core), core is None, False))
        found.sort(key=lambda f: f.start)
        return found


def split_units(value: str) -> list[str]:
    """'市财政局、市住建局；市教育局' → ['市财政局', '市住建局', '市教育局']."""
    parts = re.split(r"[、，,；;／/]+|\s{2,}", value or "")
    out = []
    for p in parts:
        p = re.sub(r"^\s*(?:和|及|以及)", "", p.strip())
        p = re.sub(r"[。．.]+$", "", p).strip()
        if p and p not in out:
            out.append(p)
    return out
