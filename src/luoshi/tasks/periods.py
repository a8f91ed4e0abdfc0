"""Report cadences and reporting periods (周报 / 月报 / 季报). Pure: no database; labels are
translated through :mod:`luoshi.core.i18n` (Chinese when Django is not configured).

A task that reports progress has a *cadence* and a *due day*:

============  =====================================  ==========================  ============
cadence       period                                 due_day                     example
============  =====================================  ==========================  ============
``weekly``    ISO week, Monday..Sunday               ISO weekday 1 (Mon)..7 (Sun) 每周五前 → 5
``monthly``   calendar month                         day of month 1..31           每月28日前 → 28
``quarterly`` calendar quarter (Q1 = Jan..Mar)       day of the quarter's last    每季度末月25日前 → 25
                                                     month 1..31
``none``      no periodic reports                    ignored                      无需定期报送
============  =====================================  ==========================  ============

Decisions (each one is tested):

* The due date always lies inside its own period: the report for November is due on 28 November,
  the report for week 48 on that week's Friday. A monthly/quarterly due day past the end of the month
  is clamped to the month's last day (31 → 30 November, 29 → 28 February in a common year).
* ``due_day=None`` means "by the last day of the period" (weekly: Sunday; monthly: month end;
  quarterly: quarter end).
* The due date is inclusive: a report submitted *on* the due date is on time;
  :func:`is_late` is ``submitted_on > period.due``.
* Weekly keys and labels use the ISO week-numbering year: 2027-01-03 is in ``2026-W53``
  (2026 has 53 ISO weeks) and 2025-12-29 is in ``2026-W01``. Keys sort chronologically within
  one cadence.
* :func:`periods_between` is the calendar fact: every period that overlaps ``[start, end]``
  (both inclusive). :func:`due_periods` is the obligation: the periods whose due date has *passed*
  (``due < today``; on the due day itself the report is not yet missing) and whose due date is on
  or after ``start`` (a period whose due date came before the task began is not owed).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from luoshi.core.i18n import gettext, gettext_noop

WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
NONE = "none"
CADENCES = (WEEKLY, MONTHLY, QUARTERLY, NONE)
PERIODIC_CADENCES = (WEEKLY, MONTHLY, QUARTERLY)

_WEEKDAY_FROM_ZH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
# One msgid per weekday / month / quarter: the Chinese numerals do not carry over into English.
_WEEKLY_DUE = {
    1: gettext_noop("每周一前"), 2: gettext_noop("每周二前"), 3: gettext_noop("每周三前"), 4: gettext_noop("每周四前"),
    5: gettext_noop("每周五前"), 6: gettext_noop("每周六前"), 7: gettext_noop("每周日前"),
}
_MONTH_LABELS = {
    1: gettext_noop("%(year)s年1月"), 2: gettext_noop("%(year)s年2月"), 3: gettext_noop("%(year)s年3月"),
    4: gettext_noop("%(year)s年4月"), 5: gettext_noop("%(year)s年5月"), 6: gettext_noop("%(year)s年6月"),
    7: gettext_noop("%(year)s年7月"), 8: gettext_noop("%(year)s年8月"), 9: gettext_noop("%(year)s年9月"),
    10: gettext_noop("%(year)s年10月"), 11: gettext_noop("%(year)s年11月"), 12: gettext_noop("%(year)s年12月"),
}
_QUARTER_LABELS = {
    1: gettext_noop("%(year)s年第一季度"), 2: gettext_noop("%(year)s年第二季度"),
    3: gettext_noop("%(year)s年第三季度"), 4: gettext_noop("%(year)s年第四季度"),
}
_KEY_PATTERNS = {
    "weekly": re.compile(r"(\d{4})-W(\d{2})"),
    "monthly": re.compile(r"(\d{4})-(\d{2})"),
    "quarterly": re.compile(r"(\d{4})Q([1-4])"),
}


def week_label(iso_year: int, week: int) -> str:
    return gettext("%(year)s年第%(week)s周", year=iso_year, week=week)


def month_label(year: int, month: int) -> str:
    return gettext(_MONTH_LABELS[month], year=year)


def quarter_label(year: int, quarter: int) -> str:
    return gettext(_QUARTER_LABELS[quarter], year=year)


#: The cadences whose period keys have a format of their own, so a key alone tells its cadence.
KEY_CADENCES = ("weekly", "quarterly", "monthly")


def label_for_key(cadence: str, key: str) -> str:
    """The label of the period with ``key`` (as stored on reports and health reasons), in the
    active language; the key itself when it does not match the cadence's format."""
    pattern = _KEY_PATTERNS.get(cadence)
    match = pattern.fullmatch(key) if pattern else None
    if not match:
        return key
    year, number = int(match.group(1)), int(match.group(2))
    if cadence == WEEKLY and 1 <= number <= 53:
        return week_label(year, number)
    if cadence == MONTHLY and 1 <= number <= 12:
        return month_label(year, number)
    if cadence == QUARTERLY:
        return quarter_label(year, number)
    return key


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. Ordered by (start, ...), so sorting a list of periods of one cadence
    puts them in time order."""

    start: date
    end: date
    due: date
    key: str
    cadence: str

    @property
    def label(self) -> str:
        # Built when shown, in the reader's language: the sweep and the scoreboard make tens of
        # thousands of periods and never show one.
        return label_for_key(self.cadence, self.key)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _check(cadence: str, due_day: int | None) -> None:
    if cadence not in CADENCES:
        raise ValueError(gettext("未知的报送周期：%(cadence)r", cadence=cadence))
    if due_day is None or cadence == NONE:
        return
    if isinstance(due_day, bool) or not isinstance(due_day, int):
        raise ValueError(gettext("报送截止日必须是整数：%(day)r", day=due_day))
    high = 7 if cadence == WEEKLY else 31
    if not 1 <= due_day <= high:
        raise ValueError(gettext("报送截止日超出范围（1–%(high)s）：%(day)s", high=high, day=due_day))


def _clamped(year: int, month: int, day: int | None) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day is None else min(day, last))


def period_for(cadence: str, due_day: int | None, day: date) -> Period:
    """The period of ``cadence`` that contains ``day``. Raises ``ValueError`` for ``'none'``."""
    # Checked before the remembered answers are looked in: True is a key equal to 1 there.
    _check(cadence, due_day)
    return _period_for(cadence, due_day, day)


# Asked for every task by the rules and by the sweep's reminders, for days most tasks share;
# periods are frozen, so the same answer may be handed out again.
@functools.lru_cache(maxsize=16384)
def _period_for(cadence: str, due_day: int | None, day: date) -> Period:
    if cadence == WEEKLY:
        iso_year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return Period(
            start=start,
            end=start + timedelta(days=6),
            due=start + timedelta(days=(7 if due_day is None else due_day) - 1),
            key=f"{iso_year}-W{week:02d}",
            cadence=WEEKLY,
        )
    if cadence == MONTHLY:
        return Period(
            start=date(day.year, day.month, 1),
            end=_clamped(day.year, day.month, None),
            due=_clamped(day.year, day.month, due_day),
            key=f"{day.year}-{day.month:02d}",
            cadence=MONTHLY,
        )
    if cadence == QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        last_month = quarter * 3
        return Period(
            start=date(day.year, last_month - 2, 1),
            end=_clamped(day.year, last_month, None),
            due=_clamped(day.year, last_month, due_day),
            key=f"{day.year}Q{quarter}",
            cadence=QUARTERLY,
        )
    raise ValueError(gettext("无需定期报送的任务没有报送期"))


def periods_between(cadence: str, due_day: int | None, start: date, end: date) -> list[Period]:
    """Every period overlapping ``[start, end]`` (inclusive), in time order. Empty for ``'none'``
    or when ``end < start``."""
    _check(cadence, due_day)
    if cadence == NONE or end < start:
        return []
    result = []
    current = period_for(cadence, due_day, start)
    while current.start <= end:
        result.append(current)
        current = period_for(cadence, due_day, current.end + timedelta(days=1))
    return result


def due_periods(cadence: str, due_day: int | None, start: date, today: date) -> list[Period]:
    """The periods for which a report should exist by ``today``: due date on or after ``start``
    and strictly before ``today``. In time order; empty for ``'none'``."""
    _check(cadence, due_day)  # before the remembered answers, as in period_for
    return list(_due_periods(cadence, due_day, start, today))


# The sweep asks this for every task, twice; tasks share their cadence and mostly their start
# month, so most answers are already known (periods are frozen, the tuple cannot be changed).
@functools.lru_cache(maxsize=16384)
def _due_periods(cadence: str, due_day: int | None, start: date, today: date) -> tuple[Period, ...]:
    return tuple(
        period
        for period in periods_between(cadence, due_day, start, today)
        if start <= period.due < today
    )


def is_late(period: Period, submitted_on: date) -> bool:
    """A report is late when submitted after the due date (the due date itself is on time)."""
    return submitted_on > period.due


def describe_cadence(cadence: str, due_day: int | None) -> str:
    """The cadence as an office writes it: 每周五前, 每月28日前, 每季度末月25日前, 无需定期报送
    (in the active language)."""
    _check(cadence, due_day)
    if cadence == WEEKLY:
        return gettext(_WEEKLY_DUE[7 if due_day is None else due_day])
    if cadence == MONTHLY:
        return gettext("每月底前") if due_day is None else gettext("每月%(day)s日前", day=due_day)
    if cadence == QUARTERLY:
        return gettext("每季度末前") if due_day is None else gettext("每季度末月%(day)s日前", day=due_day)
    return gettext("无需定期报送")


_PATTERNS = (
    (re.compile(r"每(?:周|星期)([一二三四五六日天七1-7])"), WEEKLY),
    (re.compile(r"每季度?末月(\d{1,2})[日号]"), QUARTERLY),
    (re.compile(r"每季度?末"), QUARTERLY),
    (re.compile(r"每(?:个)?月(?:的)?(\d{1,2})[日号]"), MONTHLY),
    (re.compile(r"每(?:个)?月(?:底|末)"), MONTHLY),
)


def parse_cadence(text: str) -> tuple[str, int | None] | None:
    """Read a cadence from text such as 每周五前报送, 每月28日前, 每季度末月25日前, 每月底前.
    Returns ``(cadence, due_day)`` or ``None`` when the text names no cadence. The inverse of
    :func:`describe_cadence` for every value it produces (except ``'none'``)."""
    for pattern, cadence in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if not match.groups():
            return cadence, None
        raw = match.group(1)
        day = _WEEKDAY_FROM_ZH[raw] if raw in _WEEKDAY_FROM_ZH else int(raw)
        try:
            _check(cadence, day)
        except ValueError:
            return None
        return cadence, day
    return None
