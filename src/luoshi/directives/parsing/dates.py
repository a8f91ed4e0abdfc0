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
_MQ = r"(?:底|末|中下旬|上中旬|中旬|上旬|下旬|份)"
_BEFORE = r"(?:前(?!后)|之前|以前|内|以内)"  # 6月1日前后 is around 1 June, not before it
# 9月20前: a day without 日 only when a limit follows it (not 6月1前后, around 1 June)
_BEFORE_DAY = r"(?:前|之前|以前)(?!后)"
_TO = r"(?:至|到|—|－|-|~|～)"

# Checked first so that the long alternation is only tried where an expression can start.
_STARTS = r"(?=[0-9今本明年次下全上第一二三四五六七八九十当月这周后两春元清劳端中国“\"节双即立马限主汛入雨夏麦秋冬供采开星半])"
# A season or event whose date differs by place and year (汛期前, 秋收前, 开学前): a limit kept as words.
_SEASON = r"(?:主汛期|汛期|入汛|汛|雨季|夏收|三夏|麦收|秋收|秋冬季|冬季|入冬|供暖季?|采暖季?|开学|春耕|春播)"
_PATTERN = re.compile(
    _STARTS + "(?:" + "|".join(
        [
            # 2025年3月至5月 / 2025年3月1日至2025年5月31日: a period ends at its end
            rf"(?P<y24>\d{{4}})年{_N}月(?:{_N}[日号])?{_TO}(?:(?P<y24b>\d{{4}})年)?(?P<m24>{_N})月"
            rf"(?:(?P<d24>{_N})[日号]|(?P<q24>{_MQ}))?(?P<b24>{_BEFORE})?",
            # 2026年6月30日前 / 2026年6月30前
            rf"(?P<y1>\d{{4}})年(?P<m1>{_N})月(?P<d1>{_N})(?:[日号]|(?={_BEFORE_DAY}))(?P<b1>{_BEFORE})?",
            # 2026年6月底前
            rf"(?P<y2>\d{{4}})年(?P<m2>{_N})月(?P<q2>{_MQ})?(?P<b2>{_BEFORE})?",
            # 2026年上半年 / 2026年一季度 / 2026年底前 / 2035年
            rf"(?P<y3>\d{{4}})年(?P<p3>上半年|下半年|{_Q}|年底|年末|底|末)?(?:(?<=季度)[末底])?(?P<b3>{_BEFORE})?(?!以来|[0-9])",
            # 今年/明年 (+ part)
            rf"(?<![半])(?P<r4>今明两年|今年|本年度内|本年度|年度内|本年|明年|年内|次年|下一年)(?!以来|年初|初)"
            rf"(?:(?P<p4>上半年|下半年|{_Q}|年底|年末|底|末)(?:(?<=季度)[末底])?|(?P<m4>{_N})月(?:(?P<d4>{_N})[日号]|(?P<q4>{_MQ}))?)?"
            rf"(?P<b4>{_BEFORE})?",
            # 年底前 / 年末 / 全年 (not 去年底, 前年底, 上年末, nor 去年年底, 上年年末, 去年全年: a year past)
            rf"(?<![去前上])(?<!去年)(?<!前年)(?<!上年)(?P<r5>年底|年末|全年)(?!岁)(?P<b5>{_BEFORE})?",
            # 上半年 / 一季度 (not 去年上半年, 上年一季度: a part of a year past)
            rf"(?<![前去])(?<!去年)(?<!前年)(?<!上年)(?P<p6>上半年|下半年|{_Q})(?P<b6>{_BEFORE}|末|底)?",
            # 3月至5月 / 3至5月 / 3月1日至5月31日 / 3月—5月底: a period ends at its end
            rf"(?<![\d年]){_N}(?:月(?:{_N}[日号])?)?{_TO}(?P<m23>{_N})月(?:(?P<d23>{_N})[日号]|(?P<q23>{_MQ}))?"
            rf"(?P<b23>{_BEFORE})?",
            # 4月10日至15日: a period of days in one month ends on its last day
            rf"(?<![\d年])(?P<m26>{_N})月{_N}[日号]?{_TO}(?P<d26>{_N})[日号](?P<b26>{_BEFORE})?",
            # 8月15日前 / 8月15前
            rf"(?<![\d年])(?P<m7>{_N})月(?P<d7>{_N})(?:[日号](?:[（(](?:星期|周)[一二三四五六日天][）)])?|(?={_BEFORE_DAY}))"
            rf"(?P<b7>{_BEFORE})?",
            # 8月底前 / 9月中旬
            rf"(?<![\d年])(?P<m8>{_N})月(?:(?P<q8>{_MQ})(?P<b8a>{_BEFORE})?|(?P<b8>{_BEFORE}))",
            # 2026.6.30 / 2026-06-30 / 2026/6/30 (as tables and forms write a date)
            r"(?<![\d.．/-])(?P<y20>\d{4})[.．/-](?P<m20>\d{1,2})[.．/-](?P<d20>\d{1,2})(?![\d.．/-]?\d)"
            rf"(?P<b20>{_BEFORE})?",
            # 次月5日前 / 下月10日前: that day of the next month
            rf"(?P<r21>次月|下月|下个月)(?P<d21>{_N})[日号](?P<b21>{_BEFORE})?",
            # 下周例会前: the day before the next weekly meeting, held on the directive's weekday
            r"(?P<r17>(?:下周|下次|下一次)(?:例会|周例会|调度会|交办会|办公会|会议)(?:召开)?(?:前|之前))",
            # 本月底 / 下月 (500元月底前: an amount, then the end of this month; 元月内: January; 数月内: no limit)
            rf"(?P<r9>本月|当月|(?<![0-9一二三四五六七八九十个半正腊])(?<!(?<![\d零一二三四五六七八九十百千万亿两])元)(?:月底|月末|(?<![数几多每])月(?=内))|下月|下个月)"
            rf"(?P<q9>底|末|初|中下旬|上中旬|上旬|中旬|下旬)?(?P<b9>{_BEFORE})?",
            # 本季度内 / 本季度末 / 下季度: the end of this quarter or the next
            rf"(?P<r27>本季度|本季|当季|下季度|下一季度|下个季度)(?P<q27>末|底)?(?P<b27>{_BEFORE})?",
            # 本周五前 / 下周一
            r"(?P<r13>本周|这周|下周)(?P<wd13>[一二三四五六日天])(?P<b13>前|之前)?",
            # 周五前 / 星期三之前: the next such day
            r"(?<![每上本这下])(?:周|星期)(?P<wd25>[一二三四五六日天])(?P<b25>前|之前)",
            # 本周 / 下周
            rf"(?P<r10>本周|这周|周内|下周|下个星期|本星期)(?P<b10>{_BEFORE})?",
            # 明天 / 后天
            r"(?P<r11>明天|明日|后天)",
            # 10日内 / 3个工作日内 / 2个月内 / 2周内 / 限期15日内
            # 48小时内 / 限期一周: hours count as days begun; after 限期 the period needs no 内
            r"(?:(?P<lim12>限期|限)(?=[\d一二三四五六七八九十两]{1,3}(?:个|小时|日|天|周|星期|年))|(?<![\d一二三四五六七八九十两])"
            r"(?=[\d一二三四五六七八九十两]{1,3}(?:个工作日|个自然日|个月|个星期|个小时|小时|日|天|周|星期|年)(?:内|以内)))"
            r"(?P<n12>\d{1,3}|[一二三四五六七八九十两]{1,3})"
            r"(?P<u12>个工作日|个自然日|个月|个星期|个小时|小时|日|天|周|星期|年)(?P<b12>内|以内)?",
            # 半个月内 / 半年内 / 限期半个月
            r"(?:(?P<lim28>限期|限)|(?<![\d一二三四五六七八九十两个]))(?P<h28>半个月|半月|半年)(?P<b28>内|以内)?",
            # 春节前 / 国庆节前 / 节前 / “两节”前
            r"(?P<f14>春节|元旦|清明节?|五一|劳动节|端午节?|中秋节?|国庆节?|[“\"]?两节[”\"]?|节)(?:假期)?(?P<b14>前(?!后)|之前)",
            # 年前: before the Spring Festival (not 三年前, 多年前)
            r"(?<![一二三四五六七八九十两几多\d今去明前后本当])(?P<r18>年前)(?![后])",
            # 15日前: that day of the month
            r"(?:(?<=本月)|(?<=当月)|(?<![月\d个]))(?P<d19>\d{1,2})[日号](?P<b19>前|之前)",
            # 双过半: half the year's work and half the investment by 30 June
            r"(?P<r15>[“\"]?双过半[”\"]?)",
            # 即日起 / 立即 / 马上: at once, from the day of the directive
            r"(?P<r16>即日起|立即|立刻|即刻)",
            # 汛期前 / 入汛前 / 秋收前 / 开学前
            rf"(?P<s22>{_SEASON}(?:来临|到来)?(?:之)?前(?!后))",
        ]
    ) + ")"
)


def _eom(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_part(year: int, month: int, q: str | None) -> dt.date:
    if q == "上旬":
        return dt.date(year, month, 10)
    if q in ("中旬", "上中旬"):
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


# A date named without a year that passed less than this long before the confirmed date stays in
# its year: the document came out after its meeting (9月3日召开, published 9月10日, 9月5日前…),
# and an overdue limit shows; a year later would hide it.
_RECENT = dt.timedelta(days=31)


def _rollover(d: dt.date, issued: dt.date, build) -> dt.date:
    """A month/quarter named without a year that passed long before the issue date means next year's."""
    if d < issued - _RECENT:
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
        if g["y24"]:
            y = int(g["y24b"] or g["y24"])
            if not _valid_year(y):
                return None, False
            mo = cn_to_int(g["m24"])
            return (dt.date(y, mo, cn_to_int(g["d24"])) if g["d24"] else _month_part(y, mo, g["q24"])), True
        if g["m26"]:
            if issued is None:
                return None, True
            mo, day = cn_to_int(g["m26"]), cn_to_int(g["d26"])
            if not mo or not day:
                return None, False
            build = lambda yy: dt.date(yy, mo, day)  # noqa: E731
            try:
                return _rollover(build(issued.year), issued, build), True
            except ValueError:
                return None, False
        if g["m23"]:
            if issued is None:
                return None, True
            mo, day, q = cn_to_int(g["m23"]), g["d23"] and cn_to_int(g["d23"]), g["q23"]
            build = (lambda yy: dt.date(yy, mo, day)) if day else (lambda yy: _month_part(yy, mo, q))  # noqa: E731
            return _rollover(build(issued.year), issued, build), True
        if g["s22"]:
            return None, True
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
            y = issued.year + (1 if g["r4"] in ("明年", "次年", "下一年", "今明两年") else 0)
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
            month = _add_months(issued.replace(day=1), 1 if g["r9"] in ("下月", "下个月") else 0)
            q = "上旬" if g["q9"] == "初" else g["q9"]
            return _month_part(month.year, month.month, q), True
        if g["r27"]:
            if issued is None:
                return None, True
            end = _eom(issued.year, (issued.month - 1) // 3 * 3 + 3)
            if g["r27"].startswith("下"):
                end = _add_months(end.replace(day=1), 3)
                end = _eom(end.year, end.month)
            return end, True
        if g["h28"]:
            if not (g["b28"] or g["lim28"]):
                return None, False  # 半年时间: a length, not a limit
            if issued is None:
                return None, True
            if g["h28"] == "半年":
                return _add_months(issued, 6), True
            return issued + dt.timedelta(days=15), True
        if g["r13"]:
            if issued is None:
                return None, True
            wd = "一二三四五六日".index(g["wd13"].replace("天", "日"))
            monday = issued - dt.timedelta(days=issued.weekday())
            if g["r13"] == "下周":
                monday += dt.timedelta(days=7)
            return monday + dt.timedelta(days=wd), True
        if g["wd25"]:
            if issued is None:
                return None, True
            wd = "一二三四五六日".index(g["wd25"].replace("天", "日"))
            return issued + dt.timedelta(days=(wd - issued.weekday()) % 7), True
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
            if not (g["b12"] or g["lim12"]):
                return None, False  # 3天, 两年: a length, not a limit, without 内 or 限期
            if issued is None:
                return None, True
            n = cn_to_int(g["n12"].replace("两", "二"))
            if n is None:
                return None, False
            unit = g["u12"]
            if unit in ("小时", "个小时"):
                return issued + dt.timedelta(days=-(-n // 24)), True
            if unit in ("星期", "个星期"):
                unit = "周"
            if unit == "个月":
                return _add_months(issued, n), True
            if unit == "年":
                return _add_months(issued, 12 * n), True
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
        if g["f14"]:
            if issued is None:
                return None, True
            return _before_festival(g["f14"].strip("“”\""), issued), True
        if g["r15"]:
            return (dt.date(issued.year, 6, 30) if issued else None), True
        if g["r16"]:
            # 即日起: due from the day the directive is confirmed, as offices register it; 立即 (发现问题立即
            # 整改) says how soon, not by when: its words are kept without a date
            return (issued if g["r16"] == "即日起" else None), True
        if g["r18"]:
            return (_before_festival("春节", issued) if issued else None), True
        if g["d19"]:
            if issued is None:
                return None, True
            day = cn_to_int(g["d19"])
            first = issued.replace(day=1)
            for k in (0, 1):
                month = _add_months(first, k)
                if 1 <= day <= calendar.monthrange(month.year, month.month)[1] and month.replace(day=day) >= issued:
                    return month.replace(day=day), True
            return None, True
        if g["r17"]:
            return (issued + dt.timedelta(days=6) if issued else None), True
        if g["y20"]:
            y = int(g["y20"])
            return (dt.date(y, int(g["m20"]), int(g["d20"])) if _valid_year(y) else None), _valid_year(y)
        if g["r21"]:
            if issued is None:
                return None, True
            nxt = _add_months(issued.replace(day=1), 1)
            return nxt.replace(day=cn_to_int(g["d21"])), True
    except (ValueError, TypeError, OverflowError):
        return None, False
    return None, False


# Lunar festivals by year (春节, 端午, 中秋), as published in the State Council holiday notices.
_LUNAR = {
    2010: ("02-14", "06-16", "09-22"), 2011: ("02-03", "06-06", "09-12"), 2012: ("01-23", "06-23", "09-30"),
    2013: ("02-10", "06-12", "09-19"), 2014: ("01-31", "06-02", "09-08"), 2015: ("02-19", "06-20", "09-27"),
    2016: ("02-08", "06-09", "09-15"), 2017: ("01-28", "05-30", "10-04"), 2018: ("02-16", "06-18", "09-24"),
    2019: ("02-05", "06-07", "09-13"), 2020: ("01-25", "06-25", "10-01"), 2021: ("02-12", "06-14", "09-21"),
    2022: ("02-01", "06-03", "09-10"), 2023: ("01-22", "06-22", "09-29"), 2024: ("02-10", "06-10", "09-17"),
    2025: ("01-29", "05-31", "10-06"), 2026: ("02-17", "06-19", "09-25"), 2027: ("02-06", "06-09", "09-15"),
    2028: ("01-26", "05-28", "10-03"), 2029: ("02-13", "06-16", "09-22"), 2030: ("02-03", "06-05", "09-12"),
}


def _festival(name: str, year: int) -> dt.date | None:
    core = name if name == "春节" else name.rstrip("节")
    fixed = {"元旦": (1, 1), "清明": (4, 4), "五一": (5, 1), "劳动": (5, 1), "国庆": (10, 1), "两": (1, 1)}
    if core in fixed:
        return dt.date(year, *fixed[core])
    column = {"春节": 0, "端午": 1, "中秋": 2}.get(core)
    lunar = _LUNAR.get(year)
    if column is None or lunar is None:
        return None
    md = lunar[column]
    return dt.date(year, int(md[:2]), int(md[3:]))


def _before_festival(name: str, issued: dt.date) -> dt.date | None:
    """The day before the festival next to come (节前: whichever festival comes first)."""
    if name == "节":
        names = ["元旦", "春节", "清明", "五一", "端午", "中秋", "国庆"]
    elif name == "两节":
        names = ["元旦", "春节"]
    else:
        names = [name]
    best = None
    for n in names:
        for year in (issued.year, issued.year + 1):
            f = _festival(n, year)
            if f is not None and f - dt.timedelta(days=1) >= issued:
                day = f - dt.timedelta(days=1)
                best = day if best is None or day < best else best
                break
    return best


# 元月: January, not an amount in 元 before 月底 (500元月底前, 五百元月底前)
_YUANYUE = re.compile(r"(?<![单纪公美日万亿角\d零一二三四五六七八九十百千两])元月(?=\d|[一二三四五六七八九十底末份中上下前])")
_CN_YEAR = re.compile(r"[〇○零Ｏ一二三四五六七八九]{4}(?=[ \t\u3000]*年)")
# Full-width digits read as ASCII (one character for one, so offsets hold).
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# Spaces inside a date as typeset or pasted (9 月 20 日前, 2025 年 9 月, 9 月 20 前), never between two
# digits (序号 1 9月底前 is not 19月): around 年/月/日, and then between a month's day and its 前.
_WS = r"[ \t\u3000\xa0]+"
_DATE_SPACES = (
    re.compile(rf"(?<=[年月]){_WS}(?=[0-9一二三四五六七八九十])|(?<=[0-9一二三四五六七八九十]){_WS}(?=[年月日号])"
               rf"|(?<=[年月日号]){_WS}(?=[底末前中上下内])"),
    re.compile(rf"(?:(?<=月\d)|(?<=月\d\d)){_WS}(?=(?:之|以)?前)"),
)
# 次月5日前报送: the month after each reporting period — how often to report, not a limit.
_NEXT_MONTH_REPORT = re.compile(r"[^，。；,;\n]{0,8}?(?:报送|上报|报告|提交|反馈|报)")


# 9月3日(上午)，市政府召开…: the day a meeting was held, after its date
# (no other date between: in 1月30日电（记者…）1月28日下午，…主持 the meeting is on the 28th, the 30th is the dispatch)
_EVENT_TAIL = r"(?:上午|下午|晚上|晚|早上|晚间)?[，,]?(?:(?!\d{1,2}[ \u3000]*月[ \u3000]*\d{1,2}[ \u3000]*日)[^。\n]){0,60}?" \
              r"(?:召开|主持|举行|开展了|召集)"
_EVENT_AFTER = re.compile(_EVENT_TAIL)


def held_on(text: str, end: int) -> bool:
    """Whether the date that ends at ``end`` in ``text`` is the day something was held (8月22日，县长主持召开…)."""
    return bool(_EVENT_AFTER.match(text, end))


# 2024年工作目标, 明年的工作, 今年经济运行: a year that names what the work is about, not a limit
_TOPIC_AFTER = re.compile(r"度?(?:的)?(?:工作|目标|任务|计划|重点|思路|经济|财政|预算|决算|民生|政府工作|开局|收官|投资|"
                          r"实事|为民|指标|形势|运行|情况|数据|考核|是)")
# 纳入今年…计划, 完成全年…任务, 谋划明年…, 工作谋划和明年开局: a year after a verb that takes it as its object's
# time (or joined to such an object) names what the work is, not by when it is due
_OBJECT_BEFORE = re.compile(r"(?:纳入|列入|编入|对照|围绕|按照|结合|根据|完成|做好|抓好|谋划|落实|实现|部署|安排|总结|"
                            r"确定|分解|制定|制订|明确|统筹|研究|审议|把握|[和与及、])$")
# 2023-2025年, 2019—2023年, 2024至2026年: the years of a plan or a programme
_YEAR_RANGE_BEFORE = re.compile(r"\d{4}年?\s*[-—–－~～至到]\s*$")

# 每月5日前 / 每月底 / 每周五 / 每季度末 / 每半月: a cadence (报送周期), never a deadline.
_CADENCE_BEFORE = re.compile(r"每(?:个)?(?:月|周|星期|季度?|半月|半年|年|旬)?(?:的)?$")
_CADENCE = re.compile(
    r"每(?:个)?(?P<unit>月|周|星期|季度?|半月|半年|年|旬|天|日)(?:的)?"
    r"(?P<when>末月\d{1,2}[日号]|初|末|底|中旬|上旬|下旬|\d{1,2}[日号]|[一二三四五六七八九十]{1,3}[日号]|[一二三四五六日天])?"
    r"(?:前|之前|以前)?"
)
_CADENCE_UNIT = {"月": "月报", "周": "周报", "星期": "周报", "季": "季报", "季度": "季报", "半月": "半月报",
                 "半年": "半年报", "年": "年报", "旬": "旬报", "天": "日报", "日": "日报"}
# 长期坚持 / 持续推进 / 常态化推进: an ongoing duty, with no time limit.
_ONGOING = re.compile(r"^(?:长期|持续|常态化|常年|全年持续|长期坚持|持续推进|持续开展|常态化推进|长效)")


# 次月5日前报送 / 次月10号前上报: each month's report due in the month after.
_NEXT_MONTH_CADENCE = re.compile(rf"次月(?:{_N})[日号](?:前|之前|以前)?(?={_NEXT_MONTH_REPORT.pattern})")


def find_cadence(text: str) -> tuple[str | None, str | None]:
    """The reporting cadence a directive sets (每月5日前报送 → ("每月5日前", "月报")), or (None, None)."""
    if not isinstance(text, str):
        return None, None
    m = _CADENCE.search(text)
    if m:
        return m.group(0), _CADENCE_UNIT[m.group("unit")]
    m = _NEXT_MONTH_CADENCE.search(text.translate(_FULLWIDTH))
    if m:
        return text[m.start():m.end()], "月报"
    return None, None


# 11月 / 9月投入使用 / 5月开工: in a deadline cell a month, alone or with the milestone it marks
_BARE_MONTH = re.compile(
    rf"^(?:(?P<y>\d{{4}})年)?(?P<m>{_N})月份?(?:前|底|内)?"
    r"(?:完成|建成|完工|竣工|开工|动工|启动|投入使用|投用|投产|运行|到位|见效|办结|验收)?$"
)
_MONTH_DAY = re.compile(r"^(?P<m>\d{1,2})[.．](?P<d>\d{1,2})(?:前|之前)?$")
# 2026.6 / 2026-06 / 2026/6: a year and a month, as spreadsheets abbreviate a month's end
_YEAR_MONTH = re.compile(r"^(?P<y>\d{4})[.．/-](?P<m>\d{1,2})(?:前|之前|底|底前|月底前?)?$")


def ongoing(value: str) -> bool:
    """Whether a 完成时限 cell says the duty has no end (长期坚持, 持续推进, 常态化): words, no date."""
    return bool(_ONGOING.match((value or "").strip()))


def field_deadline(value: str, issued: dt.date | None) -> tuple[str | None, dt.date | None]:
    """The deadline of a 完成时限 field or table cell: the value as written and its date.

    A cell may say what a sentence would not: a bare month (`11月` = the end of November), a year and
    month (`2026.6`, the end of June 2026), a month and day (`6.30`), or that the duty is ongoing (`长期坚持`, `持续推进`: kept as text, no date)."""
    v = (value or "").strip()
    if not v:
        return None, None
    if _ONGOING.match(v):
        return v, None
    found = find_deadline(v, issued)
    if found[0] is not None:
        return found
    compact = re.sub(r"\s+", "", v)
    m = _BARE_MONTH.match(compact)
    if m:
        mo = cn_to_int(m.group("m"))
        if mo and 1 <= mo <= 12:
            if m.group("y"):
                return v, _eom(int(m.group("y")), mo)
            if issued is not None:
                return v, _rollover(_eom(issued.year, mo), issued, lambda yy: _eom(yy, mo))
        return v, None
    m = _YEAR_MONTH.match(compact)
    if m:
        mo = int(m.group("m"))
        return v, (_eom(int(m.group("y")), mo) if 1 <= mo <= 12 else None)
    m = _MONTH_DAY.match(compact)
    if m and issued is not None:
        try:
            mo, day = int(m.group("m")), int(m.group("d"))
            d = dt.date(issued.year, mo, day)
            return v, _rollover(d, issued, lambda yy: dt.date(yy, mo, day))
        except ValueError:
            return v, None
    return v, None


def _compact(text: str) -> tuple[str, list[int] | None]:
    """The text as dates are matched in it, and where each of its characters stands in `text`
    (None when nothing was removed)."""
    text = text.translate(_FULLWIDTH)
    if "元月" in text:
        text = _YUANYUE.sub("1月", text)  # 元月底前: January (same length)
    if "年" in text:
        # 二〇二五年六月底前: a year in Chinese digits, read digit for digit (same length)
        text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[ch] for ch in m.group(0)), text)
    idx = None
    for pattern in _DATE_SPACES:
        if pattern.search(text) is None:
            continue
        keep = [True] * len(text)
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                keep[i] = False
        kept = [i for i, k in enumerate(keep) if k]
        idx = kept if idx is None else [idx[i] for i in kept]
        text = "".join(text[i] for i in kept)
    return text, idx


# a limit for starting a work (6月底前开工) and one for finishing it (12月底前完工)
_STARTS_WORK = re.compile(r"[^，,；;。、\d]{0,4}?(?:全面|全部|陆续)?(?:开工|动工|开建|启动|开始)")
_COMPLETES = re.compile(r"[^，,；;。、\d]{0,4}?(?:全面|全部|基本)?(?:完工|竣工|建成|完成|投用|投产|投运|交付|办结)")


def find_deadline(text: str, issued: dt.date | None) -> tuple[str | None, dt.date | None]:
    """The time limit of a directive: (text as written, resolved date or None).

    When several expressions occur, one marked as a limit (…前, …底, …内, a period's end) wins over a
    bare one; otherwise the first. Expressions that do not resolve to a valid date are reported
    without date; so are limits that name no day (立即, 汛期前).
    """
    words, date, _end = find_deadline_at(text, issued)
    return words, date


def find_deadline_at(text: str, issued: dt.date | None) -> tuple[str | None, dt.date | None, int | None]:
    """As find_deadline, with where the limit's words end in ``text`` (None when there is none)."""
    orig = text
    text, idx = _compact(text)
    best = None
    best_rank = -1
    started = None
    for m in _PATTERN.finditer(text):
        date, ok = _resolve(m, issued)
        if not ok:
            continue
        s = m.group(0)
        if _CADENCE_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            continue  # 每月5日前报送, 每月底前: a reporting cadence, not a time limit
        if m.group("r21") == "次月" and _NEXT_MONTH_REPORT.match(text, m.end()):
            continue  # 次月5日前报送: a reporting cadence (find_cadence), not a time limit
        limit = s.endswith(("前", "内"))  # 月底前开始打桩: a limit for starting, not a start
        if not m.group("r16") and (
                text[m.end():m.end() + 1] == "起" or (text[m.end():m.end() + 2] in ("开始", "以来") and not limit)):
            continue  # a start (明天起, 本月起), not a limit
        if m.group("y3") and not (m.group("p3") or m.group("b3")) and issued is not None and date is not None \
                and date < issued:
            continue  # 关于2024年财政决算的意见: a past year names a topic, not a time limit
        bare_year = (m.group("y3") and not (m.group("p3") or m.group("b3"))) or (
            m.group("r4") and not (m.group("p4") or m.group("m4") or m.group("b4")) and m.group("r4") not in ("年内", "年度内", "本年度内"))
        if bare_year and _TOPIC_AFTER.match(text, m.end()):
            continue  # 分解2024年工作目标, 谋划好明年的工作: the year of a topic
        if (bare_year or m.group("r5") == "全年" and not m.group("b5")) and (
                _OBJECT_BEFORE.search(text, max(0, m.start() - 3), m.start()) or text[m.end():m.end() + 1] == "的"):
            continue  # 纳入今年计划, 完成全年固投任务, 全年的目标任务: the year the work belongs to, no limit
            # (冲刺全年目标任务 stays: to reach the year's targets is due by its end)
        if m.group("y3") and not (m.group("p3") or m.group("b3")) and _YEAR_RANGE_BEFORE.search(
                text, max(0, m.start() - 8), m.start()):
            continue  # 三年行动计划（2023-2025年）: the years of a plan, not a limit
        bare_period = (m.group("p6") and not m.group("b6")) or (m.group("r10") in ("本周", "这周", "下周", "本星期", "下个星期")
                                                                and not m.group("b10")) \
            or (m.group("r9") in ("本月", "当月", "下月", "下个月") and not (m.group("q9") or m.group("b9"))) \
            or (m.group("r27") and not (m.group("q27") or m.group("b27")))
        if bare_period and (_TOPIC_AFTER.match(text, m.end()) or text[m.end():m.end() + 1] in ("的", "、")
                            or text[max(0, m.start() - 1):m.start()] == "、"):
            continue  # 安排部署二季度经济工作, 对本周重点工作进行安排, 列出一年、半年、一季度…计划: a period named, no limit
        if (m.group("m7") and not m.group("b7") or m.group("y1") and not m.group("b1")) \
                and _EVENT_AFTER.match(text, m.end()):
            continue  # 8月22日，县长主持召开…: the day of the meeting, not a limit
        if m.group("r16"):
            rank = 0  # 即日起, 立即 only when nothing else sets a limit
        elif m.group("f14") == "节":
            rank = 1  # 开展节前安全检查，春节前完成: a festival named is the limit over 节前 said in passing
        elif m.group("m23") or m.group("y24") or m.group("m26"):
            rank = 2  # 3月至5月: the period's end is the limit
        else:
            rank = 2 if re.search(r"(前|底|末)$", s) or (s.endswith("内") and not (m.group("n12") or m.group("h28"))) else 1
        end = m.end() if idx is None else idx[m.end() - 1] + 1
        words = orig[m.start():end] if idx is None else orig[idx[m.start()]:end]
        if rank == 2 and started is not None and _COMPLETES.match(text, m.end()):
            best, best_rank = (words, date, end), rank  # 6月底前开工、12月底前完工: the work is due when done
            break
        if rank > best_rank:
            best, best_rank = (words, date, end), rank
            if rank == 2:
                if started is None and _STARTS_WORK.match(text, m.end()):
                    started = m.end()  # a limit for starting: a later limit for finishing wins
                    continue
                break
    if best is None:
        return None, None, None
    return best


# -- the document's own date ----------------------------------------------------------------------

_CN_DIGIT = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
             "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_SIGN_DATE = re.compile(
    r"^[ \t\u3000]*(?P<y>\d{4}|[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日[ \t\u3000]*$",
    re.M,
)
_PAGE_DATE = re.compile(
    r"(?:(?P<key>成文日期|发文日期|印发日期|发布时间|发布日期|公开日期|发文时间|发表时间|更新时间|日期|时间)\s*[:：]"
    r"|(?P<key2>发布于)\s*[:：]?)\s*[|｜]?\s*"
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
    # 2023-04-10 15:30 来源：… — a page's date and time on a line of their own, as news pages print them
    r"|^[ \t\u3000]*(?P<key3>)(?P<y3>\d{4})[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2})[ \t\u3000]+\d{1,2}:\d{2}",
    re.M,
)
_LEAD_DATE = re.compile(r"(?:(?P<y>\d{4})[ \u3000]*年[ \u3000]*)?(?P<m>\d{1,2})[ \u3000]*月[ \u3000]*(?P<d>\d{1,2})[ \u3000]*日"
                        + _EVENT_TAIL)
_WENHAO = re.compile(r"[〔\[［【(（](?P<y>\d{4})[〕\]］】)）]\s*(?:第\s*)?\d{1,4}\s*号")
_PAGE_KEYS = ("成文日期", "发文日期", "印发日期", "发布时间", "发布日期", "发布于", "发文时间", "公开日期", "日期", "时间",
              "发表时间", "更新时间", "页面日期")


def _page_key(m: re.Match) -> str:
    return m.group("key") or m.group("key2") or "页面日期"


def _cn_year(y: str) -> int | None:
    if y.isdigit():
        return int(y)
    digits = "".join(_CN_DIGIT.get(ch, "") for ch in y)
    return int(digits) if len(digits) == 4 else None


def _date_or_none(y: int | None, m: str, d: str) -> dt.date | None:
    try:
        mo, da = cn_to_int(m), cn_to_int(d)
        if y is None or mo is None or da is None or not _valid_year(y):
            return None
        return dt.date(y, mo, da)
    except (ValueError, TypeError):
        return None


def detect_date(text: str, assume_year: int | None = None) -> dict | None:
    """The date a document gives itself, with its evidence: the signature line (2024年3月5日 on a
    line of its own), the meeting in its lead sentence (9月3日，市政府召开…), the page's 成文日期 /
    发布时间, or only the year of its 文号 (〔2024〕7号). Returns None when the text names none."""
    if not isinstance(text, str) or not text:
        return None
    given, text = text, text.translate(_FULLWIDTH)  # ２０２３年４月１０日: one character for one
    head = text[:4000]
    page = None
    for m in _PAGE_DATE.finditer(head):
        if m.group("key3") is not None:
            d = _date_or_none(int(m.group("y3")), m.group("m3"), m.group("d3"))
        else:
            d = _date_or_none(int(m.group("y")), m.group("m"), m.group("d"))
        if d and (page is None or _PAGE_KEYS.index(_page_key(m)) < _PAGE_KEYS.index(_page_key(page[0]))):
            page = (m, d)
    wen = _WENHAO.search(head)
    wen_year = int(wen.group("y")) if wen and _valid_year(int(wen.group("y"))) else None

    def result(d, year, m, source):
        return {"date": d, "year": year, "text": given[m.start():m.end()].strip(), "start": m.start(), "end": m.end(),
                "source": source}

    signs = [m for m in _SIGN_DATE.finditer(text)]
    for m in reversed(signs):
        y = _cn_year(m.group("y"))
        d = _date_or_none(y, m.group("m"), m.group("d"))
        if d:
            return result(d, d.year, m, "落款")
    lead = _LEAD_DATE.search(text[:1500])
    if lead:
        y = int(lead.group("y")) if lead.group("y") else None
        if y is None and page is not None:
            y = page[1].year - (1 if cn_to_int(lead.group("m")) and cn_to_int(lead.group("m")) > page[1].month else 0)
        if y is None:
            y = wen_year or assume_year
        d = _date_or_none(y, lead.group("m"), lead.group("d"))
        if d or y is None:
            return result(d, y, lead, "会议日期")
    if page is not None:
        return result(page[1], page[1].year, page[0], _page_key(page[0]))
    if wen_year:
        return result(None, wen_year, wen, "文号")
    return None
