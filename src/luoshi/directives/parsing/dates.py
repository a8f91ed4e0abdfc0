"""Deadlines: find the time limit a directive sets and resolve it against the issue date.

Relative expressions (明天, 本周, 年底前, 明年, 8月底 …) need the date the user confirmed for the
directive; without it they are reported as text with no date. Absolute ones (2035年, 2026年6月30日)
resolve on their own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .numerals import cn_to_int

_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_Q = r"(?:第?[一二三四1-4]季度)"
_MQ = r"(?:底|末|中旬|上旬|下旬|份)"
_BEFORE = r"(?:前|之前|以前|内|以内)"

_PATTERN = re.compile(
    "|".join(
        [
            # 2026年6月30日前
            rf"(?P<y1>\d{{4}})年(?P<m1>{_N})月(?P<d1>{_N})[日号](?P<b1>{_BEFORE})?",
            # 2026年6月底前
            rf"(?P<y2>\d{{4}})年(?P<m2>{_N})月(?P<q2>{_MQ})?(?P<b2>{_BEFORE})?",
            # 2026年上半年 / 2026年一季度 / 2026年底前 / 2035年
            rf"(?P<y3>\d{{4}})年(?P<p3>上半年|下半年|{_Q}|年底|年末|底|末)?(?P<b3>{_BEFORE})?(?!以来|[0-9])",
            # 今年/明年 (+ part)
            rf"(?P<r4>今年|本年|明年|年内|次年|本年度|下一年)(?!以来|年初|初)"
            rf"(?:(?P<p4>上半年|下半年|{_Q}|年底|年末|底|末)|(?P<m4>{_N})月(?:(?P<d4>{_N})[日号]|(?P<q4>{_MQ}))?)?"
            rf"(?P<b4>{_BEFORE})?",
            # 年底前 / 年末 / 全年
            rf"(?P<r5>年底|年末|全年)(?P<b5>{_BEFORE})?",
            # 上半年 / 一季度
            rf"(?P<p6>上半年|下半年|{_Q})(?P<b6>{_BEFORE}|末|底)?",
            # 8月15日前
            rf"(?<![\d年])(?P<m7>{_N})月(?P<d7>{_N})[日号](?:[（(](?:星期|周)[一二三四五六日天][）)])?(?P<b7>{_BEFORE})?",
            # 8月底前 / 9月中旬
            rf"(?<![\d年])(?P<m8>{_N})月(?:(?P<q8>{_MQ})(?P<b8a>{_BEFORE})?|(?P<b8>{_BEFORE}))",
            # 本月底 / 下月
            rf"(?P<r9>本月|当月|月底|月末|下月|下个月)(?P<q9>底|末)?(?P<b9>{_BEFORE})?",
            # 本周五前 / 下周一
            r"(?P<r13>本周|这周|下周)(?P<wd13>[一二三四五六日天])(?P<b13>前|之前)?",
            # 本周 / 下周
            rf"(?P<r10>本周|这周|周内|下周|下个星期|本星期)(?P<b10>{_BEFORE})?",
            # 明天 / 后天
            r"(?P<r11>明天|明日|后天)",
            # 10日内 / 3个工作日内 / 2个月内 / 2周内
            r"(?P<n12>\d{1,3}|[一二三四五六七八九十两]{1,3})(?P<u12>个工作日|个自然日|个月|日|天|周)(?P<b12>内|以内)",
        ]
    )
)


def _eom(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_part(year: int, month: int, q: str | None) -> dt.date:
    if q == "上旬":
        return dt.date(year, month, 10)
    if q == "中旬":
        return dt.date(year, month, 20)
    return _eom(year, month)


def _part_of_year(year: int, part: str | None) -> dt.date:
    if not part or part in ("年底", "年末", "底", "末", "下半年"):
        return dt.date(year, 12, 31)
    if part == "上半年":
        return dt.date(year, 6, 30)
    q = cn_to_int(part.replace("第", "").replace("季度", ""))
    if q and 1 <= q <= 4:
        return _eom(year, q * 3)
    return dt.date(year, 12, 31)


def _add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _rollover(d: dt.date, issued: dt.date, build) -> dt.date:
    """A month/quarter named without a year that already passed means next year's."""
    if d < issued:
        try:
            return build(issued.year + 1)
        except ValueError:
            return d
    return d


def _valid_year(y: int) -> bool:
    return 1990 <= y <= 2100


def _resolve(m: re.Match, issued: dt.date | None) -> tuple[dt.date | None, bool]:
    """Returns (date or None, is_deadline_like). Raises nothing on odd input (returns None)."""
    g = m.groupdict()
    try:
        if g["y1"]:
            y, mo, d = int(g["y1"]), cn_to_int(g["m1"]), cn_to_int(g["d1"])
            return (dt.date(y, mo, d) if _valid_year(y) else None), True
        if g["y2"]:
            y, mo = int(g["y2"]), cn_to_int(g["m2"])
            if not _valid_year(y):
                return None, False
            if g["b2"] in ("前", "之前", "以前") and not g["q2"]:
                return dt.date(y, mo, 1) - dt.timedelta(days=1), True
            return _month_part(y, mo, g["q2"]), True
        if g["y3"]:
            y = int(g["y3"])
            if not _valid_year(y):
                return None, False
            return _part_of_year(y, g["p3"]), bool(g["p3"] or g["b3"]) or True
        if g["r4"]:
            if issued is None:
                return None, True
            y = issued.year + (1 if g["r4"] in ("明年", "次年", "下一年") else 0)
            if g["m4"]:
                mo = cn_to_int(g["m4"])
                if g["d4"]:
                    return dt.date(y, mo, cn_to_int(g["d4"])), True
                return _month_part(y, mo, g["q4"]), True
            return _part_of_year(y, g["p4"]), True
        if g["r5"]:
            return (dt.date(issued.year, 12, 31) if issued else None), True
        if g["p6"]:
            if issued is None:
                return None, True
            part = g["p6"]
            d = _part_of_year(issued.year, part)
            return _rollover(d, issued, lambda yy: _part_of_year(yy, part)), True
        if g["m7"]:
            if issued is None:
                return None, True
            mo, day = cn_to_int(g["m7"]), cn_to_int(g["d7"])
            d = dt.date(issued.year, mo, day)
            return _rollover(d, issued, lambda yy: dt.date(yy, mo, day)), True
        if g["m8"]:
            if issued is None:
                return None, True
            mo, q = cn_to_int(g["m8"]), g["q8"]
            if g["b8"] in ("前", "之前", "以前") and not q:
                build = lambda yy: dt.date(yy, mo, 1) - dt.timedelta(days=1)  # noqa: E731
            else:
                build = lambda yy: _month_part(yy, mo, q)  # noqa: E731
            return _rollover(build(issued.year), issued, build), True
        if g["r9"]:
            if issued is None:
                return None, True
            if g["r9"] in ("下月", "下个月"):
                nxt = _add_months(issued.replace(day=1), 1)
                return _eom(nxt.year, nxt.month), True
            return _eom(issued.year, issued.month), True
        if g["r13"]:
            if issued is None:
                return None, True
            wd = "一二三四五六日".index(g["wd13"].replace("天", "日"))
            monday = issued - dt.timedelta(days=issued.weekday())
            if g["r13"] == "下周":
                monday += dt.timedelta(days=7)
            return monday + dt.timedelta(days=wd), True
        if g["r10"]:
            if issued is None:
                return None, True
            sunday = issued + dt.timedelta(days=6 - issued.weekday())
            if g["r10"] in ("下周", "下个星期"):
                sunday += dt.timedelta(days=7)
            return sunday, True
        if g["r11"]:
            if issued is None:
                return None, True
            return issued + dt.timedelta(days=2 if g["r11"] == "后天" else 1), True
        if g["n12"]:
            if issued is None:
                return None, True
            n = cn_to_int(g["n12"].replace("两", "二"))
            if n is None:
                return None, False
            unit = g["u12"]
            if unit == "个月":
                return _add_months(issued, n), True
            if unit == "周":
                return issued + dt.timedelta(days=7 * n), True
            if unit == "个工作日":
                d, left = issued, n
                while left > 0:
                    d += dt.timedelta(days=1)
                    if d.weekday() < 5:
                        left -= 1
                return d, True
            return issued + dt.timedelta(days=n), True
    except (ValueError, TypeError, OverflowError):
        return None, False
    return None, False


def find_deadline(text: str, issued: dt.date | None) -> tuple[str | None, dt.date | None]:
    """The time limit of a directive: (text as written, resolved date or None).

    When several expressions occur, one marked as a limit (…前, …底, …内) wins over a bare one;
    otherwise the first. Expressions that do not resolve to a valid date are reported without date.
    """
    best = None
    best_rank = -1
    for m in _PATTERN.finditer(text):
        date, ok = _resolve(m, issued)
        if not ok:
            continue
        s = m.group(0)
        if text[m.end():m.end() + 1] == "起" or text[m.end():m.end() + 2] in ("开始", "以来"):
            continue  # a start (明天起, 本月起), not a limit
        rank = 2 if re.search(r"(前|底|末)$", s) or (s.endswith("内") and not m.group("n12")) else 1
        if rank > best_rank:
            best, best_rank = (s, date), rank
            if rank == 2:
                break
    if best is None:
        return None, None
    return best
