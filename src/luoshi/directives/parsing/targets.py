"""Quantitative and ranking targets: 进入全省第一方阵, 21项指标中11项排名在10位以后, 增长5%左右 …"""

from __future__ import annotations

import re

_RANK_IN = re.compile(
    r"(?P<pre>至少|力争|确保|努力|争取|稳居|保持)?(?:要|必须|能够|将)?"
    r"(?P<verb>进入|迈入|跻身|走在|位居|稳居|保持在?|达到)"
    r"(?P<obj>(?:全国|全省|全市|全区|全县|中部地区|同类城市)(?:第一方阵|第一梯队|前列|前\d{1,2}[位名]|前[一二三四五六七八九十]{1,2}[位名]?|第一))"
)
_RANKED = re.compile(
    r"(?P<n>\d{1,3})项指标中[，,]?\s*(?:我们|我市|济源)?有?\s*(?P<k>\d{1,3})项排名在(?P<r>\d{1,3})位(?:以后|之后|以外)"
)
_NUMERIC = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|％|个百分点|万亿元|亿元|万元|元|亿斤|万吨|吨|万亩|亩|公里|万人次|万人|人次|人|万户|户|"
    r"万家|家|个|项|所|套|万千瓦|千瓦|班次|列|天|次|条|座|处|万个|万套|平方公里)"
)
_CLAUSE_SPLIT = re.compile(r"[，,；;。！？：:]")
_NUM_CONTEXT = re.compile(
    r"(增长|达到|突破|超过|提高|降低|下降|控制在|新增|新建|建成|完成|实施|培育|开行|新改建|改造|力争|不低于|以上|左右|以内|稳定在)"
)


def find_targets(text: str) -> list[str]:
    """Targets as short phrases, normalised (modal verbs and filler dropped)."""
    out: list[str] = []
    for m in _RANKED.finditer(text):
        out.append(f"{m.group('n')}项指标中{m.group('k')}项排名在{m.group('r')}位以后")
    for m in _RANK_IN.finditer(text):
        pre = m.group("pre") or ""
        verb = m.group("verb")
        if pre == verb:
            pre = ""
        out.append(f"{pre}{verb}{m.group('obj')}")
    for clause in _CLAUSE_SPLIT.split(text):
        clause = clause.strip()
        if not clause or len(clause) > 40 or not _NUMERIC.search(clause) or not _NUM_CONTEXT.search(clause):
            continue
        if re.search(r"\d{4}年|\d+月|\d+日", clause) and not re.search(r"%|亿|万|以上|左右", clause):
            continue  # a date, not a target
        pieces = [p for p in clause.split("、") if _NUMERIC.search(p)] if "、" in clause else [clause]
        for piece in pieces:
            piece = piece.strip()
            if piece and not any(piece in t or t in piece for t in out):
                out.append(piece)
    seen, uniq = set(), []
    for t in out:
        if t not in seen:
            seen.add(t)
            uniq.append(t)
    return uniq
