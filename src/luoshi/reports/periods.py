"""The period a report or bulletin covers, as an office names it. Pure: no database.

Accepted spellings (``parse_period``): ``2026`` / ``2026年`` (a year), ``2026-11`` / ``2026年11月``
(a month), ``2026Q4`` / ``2026-Q4`` / ``2026年第四季度`` (a quarter), ``2026-W48`` (an ISO week).
Anything else raises ``ValueError`` with a message for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from luoshi.core.i18n import gettext
from luoshi.tasks import periods as P

_ZH_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True)
class ReportPeriod:
    key: str
    label: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> ReportPeriod:
    raw = (text or "").strip().replace(" ", "")
    if match := re.fullmatch(r"(\d{4})年?", raw):
        year = int(match.group(1))
        return ReportPeriod(f"{year}", gettext("%(year)s年", year=year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    if match := re.fullmatch(r"(\d{4})(?:-|年)(\d{1,2})月?", raw):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            p = P.period_for(P.MONTHLY, None, dt.date(year, month, 1))
            return ReportPeriod(p.key, p.label, p.start, p.end)
    if match := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", raw) or re.fullmatch(r"(\d{4})年?第([一二三四1-4])季度", raw):
        year, q = int(match.group(1)), match.group(2)
        quarter = _ZH_QUARTER.get(q) or int(q)
        p = P.period_for(P.QUARTERLY, None, dt.date(year, quarter * 3, 1))
        return ReportPeriod(p.key, p.label, p.start, p.end)
    if match := re.fullmatch(r"(\d{4})-?W(\d{1,2})", raw, flags=re.IGNORECASE):
        year, week = int(match.group(1)), int(match.group(2))
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            pass
        else:
            p = P.period_for(P.WEEKLY, None, monday)
            return ReportPeriod(p.key, p.label, p.start, p.end)
    raise ValueError(gettext("无法识别的期间“%(text)s”（示例：2026-11、2026Q4、2026-W48、2026）", text=text))


def current_month(today: dt.date) -> ReportPeriod:
    return parse_period(f"{today.year}-{today.month:02d}")


def chinese_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, no leading zeros (2026年11月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"
