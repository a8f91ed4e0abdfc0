"""The one definition of every date, period and score fact about tasks. Pure: plain values in,
plain values out; no queries, no models, no settings. Pages, the API, the exports, the bulletin and
the sweep all read these facts from here, so one question has one answer everywhere.

Dates
=====
* ``as_of`` — the day a task's clock is read at: the earliest of ``today``, the day it was closed
  (已销号) and the day its clock stopped (a closure was requested and is waiting for the office).
  See :func:`clock_date`.
* Overdue (:func:`overdue_days`): the deadline day itself is on time; every day after it up to and
  including ``as_of`` is one day overdue. Counted in calendar days, or in working days when the
  office counts that way (Monday to Friday, less ``holidays``, plus the weekend ``workdays`` an
  office makes up — 调休). A task without a deadline is never overdue.
* Days left (:func:`days_left`): ``deadline − as_of`` in the same unit; negative when overdue
  (then it is ``−overdue_days``), 0 on the deadline day.
* :func:`deadline_status` names the state a page shows: ``overdue`` (逾期N天), ``due_today``
  (今日到期), ``near`` (还有N天, within ``near_days`` inclusive), ``later``, ``none`` (no deadline).

Plans (:func:`plan_problems`)
=============================
Every path that sets a start, a deadline or a cadence (task form, API, decomposition rows,
publication, spreadsheet import, extension) checks the same things, with the same messages:

* the deadline is not before the start; the start is ``start_on``, or — for a task without one —
  the day it is (or will be) published, since publication starts the clock;
* the cadence is one of ``weekly``, ``monthly``, ``quarterly``, ``none``;
* the due day is empty or an integer within 1..7 (weekly) or 1..31 (monthly, quarterly); a due
  day for ``none`` is refused (a task that reports ad hoc has no due day).

Report periods
==============
* Reports are owed from :func:`reporting_from`: the later of the start and the publication day.
* :func:`periods_owed`: the periods of the cadence whose due date is on or after that day and
  strictly before ``as_of`` (on the due day itself a report is not yet missing; after closure or a
  closure request nothing more is owed).
* :func:`unreported_periods`: the owed periods without a report (a late report counts as a
  report); :func:`missed_in_a_row`: the unreported ones counted back from the most recent owed
  period, stopping at the first reported one — the figure health uses.
* :func:`is_on_time`: submitted on or before the due date.

A unit's tasks
==============
:func:`belongs_to` — a unit works on a task when it leads it or is one of its co-units; what a unit
answers for (scores, rankings, per-unit counts in bulletins) are the tasks it *leads*
(``lead_only=True``), so every task is counted once, under its lead unit.

A unit's score for a month
==========================
:func:`unit_month_figures` gathers, from plain per-task facts (:class:`TaskMonthFacts`) of the
tasks a unit leads, the figures of the formula and :func:`unit_score` applies it::

    score = W_on_time × 按时报送率 + W_completion × 完成率 − W_overdue × 逾期任务数 − W_actions × 督办加权次数

with ``last_day = min(month_end, today)``:

* a task closed before the month began takes no part;
* reports owed: every lead-unit period due within the month and before ``today`` (``due <=
  month_end`` and ``due < today``), plus every earlier owed period still without a report when the
  month began (a backlog stays owed, and late, until it is reported); on time when first submitted
  on or before its due date — a carried-over period never is;
* tasks due: those whose deadline has passed by ``last_day`` (``deadline < last_day``, or
  ``deadline <= month_end`` for a month that is over) and those closed within the month before
  their deadline; done: those closed on or before ``last_day``. A task whose deadline is still
  ahead and that is still open is not judged yet;
* overdue: open at ``last_day`` and past its deadline then (see :func:`overdue_days`);
* a rate with nothing owed counts in full (nothing was late);
* the score is rounded to one decimal; :func:`format_score` writes it the same way everywhere
  (0 → ``0.0``; no score → ``—``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from luoshi.core.i18n import gettext
from . import periods as P

ONE_DAY = dt.timedelta(days=1)
NO_SCORE = "—"

# -- dates ----------------------------------------------------------------------------------------


def clock_date(today: dt.date, *, closed_on: dt.date | None = None, stopped_on: dt.date | None = None) -> dt.date:
    """The day a task's clock is read at: the earliest of ``today``, ``closed_on`` and
    ``stopped_on`` (the day a pending closure was requested)."""
    return min(d for d in (today, closed_on, stopped_on) if d is not None)


def _is_workday(day: dt.date, holidays: Collection[dt.date], workdays: Collection[dt.date]) -> bool:
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def working_days_between(first: dt.date, last: dt.date, *, holidays: Collection[dt.date] = (),
                         workdays: Collection[dt.date] = ()) -> int:
    """Working days ``d`` with ``first < d <= last`` (0 when ``last <= first``)."""
    count = 0
    day = first + ONE_DAY
    while day <= last:
        count += _is_workday(day, holidays, workdays)
        day += ONE_DAY
    return count


def overdue_days(deadline: dt.date | None, today: dt.date, *, closed_on: dt.date | None = None,
                 stopped_on: dt.date | None = None, business_days: bool = False,
                 holidays: Collection[dt.date] = (), workdays: Collection[dt.date] = ()) -> int:
    """Days past ``deadline`` at the task's :func:`clock_date`; 0 on or before the deadline and
    for a task without one. With ``business_days`` only working days are counted."""
    if deadline is None:
        return 0
    as_of = clock_date(today, closed_on=closed_on, stopped_on=stopped_on)
    if as_of <= deadline:
        return 0
    if business_days:
        return working_days_between(deadline, as_of, holidays=holidays, workdays=workdays)
    return (as_of - deadline).days


def days_left(deadline: dt.date | None, today: dt.date, *, closed_on: dt.date | None = None,
              stopped_on: dt.date | None = None, business_days: bool = False,
              holidays: Collection[dt.date] = (), workdays: Collection[dt.date] = ()) -> int | None:
    """Days from the task's :func:`clock_date` to ``deadline`` (0 on the deadline day, negative —
    the overdue days — after it); None without a deadline."""
    if deadline is None:
        return None
    as_of = clock_date(today, closed_on=closed_on, stopped_on=stopped_on)
    if as_of > deadline:
        return -overdue_days(deadline, as_of, business_days=business_days, holidays=holidays, workdays=workdays)
    if business_days:
        return working_days_between(as_of, deadline, holidays=holidays, workdays=workdays)
    return (deadline - as_of).days


OVERDUE = "overdue"
DUE_TODAY = "due_today"
NEAR = "near"
LATER = "later"
NO_DEADLINE = "none"


def deadline_status(deadline: dt.date | None, today: dt.date, *, near_days: int = 7, closed_on: dt.date | None = None,
                    stopped_on: dt.date | None = None) -> str:
    """``overdue`` / ``due_today`` / ``near`` (1..``near_days`` days left, inclusive) / ``later`` /
    ``none``, in calendar days at the task's :func:`clock_date`."""
    left = days_left(deadline, today, closed_on=closed_on, stopped_on=stopped_on)
    if left is None:
        return NO_DEADLINE
    if left < 0:
        return OVERDUE
    if left == 0:
        return DUE_TODAY
    return NEAR if left <= near_days else LATER


# -- plans ----------------------------------------------------------------------------------------

CADENCES = P.CADENCES
_DUE_DAY_LIMIT = {P.WEEKLY: 7, P.MONTHLY: 31, P.QUARTERLY: 31}


def effective_start(start_on: dt.date | None, published_on: dt.date | None) -> dt.date | None:
    """The task's start: ``start_on``, else the day it is published (publication starts the clock)."""
    return start_on or published_on


def plan_problems(*, start_on: dt.date | None, deadline: dt.date | None, cadence: str, due_day: int | None,
                  published_on: dt.date | None = None) -> list[tuple[str, str]]:
    """What is wrong with a plan, as ``(field, message)`` pairs in the active language; empty when
    it is sound (the messages are the ones the forms already show). ``published_on`` is the publication day (or the day it is about to be published)
    for a task without a start date of its own."""
    problems: list[tuple[str, str]] = []
    start = effective_start(start_on, published_on)
    if start is not None and deadline is not None and deadline < start:
        problems.append(("deadline", gettext("完成时限不能早于开始日期。")))
    if cadence not in CADENCES:
        problems.append(("cadence", gettext("未知的报送周期：%(cadence)r", cadence=cadence)))
        return problems
    if due_day is None:
        return problems
    if cadence == P.NONE:
        problems.append(("due_day", gettext("不定期报送无需填写报送日。")))
    elif isinstance(due_day, bool) or not isinstance(due_day, int):
        problems.append(("due_day", gettext("报送截止日必须是整数：%(day)r", day=due_day)))
    elif not 1 <= due_day <= _DUE_DAY_LIMIT[cadence]:
        problems.append(("due_day", gettext("报送日应在 1–%(limit)d 之间。", limit=_DUE_DAY_LIMIT[cadence])))
    return problems


# -- report periods -------------------------------------------------------------------------------


def reporting_from(*, start_on: dt.date | None, published_on: dt.date | None) -> dt.date | None:
    """The first day reports are owed from: the later of the start and the publication day (a task
    owes nothing before it starts, nor before anybody was told of it)."""
    known = [d for d in (start_on, published_on) if d is not None]
    return max(known) if known else None


def periods_owed(cadence: str, due_day: int | None, *, owed_from: dt.date | None, today: dt.date,
                 closed_on: dt.date | None = None, stopped_on: dt.date | None = None) -> list[P.Period]:
    """The periods whose report is owed: due on or after ``owed_from`` and strictly before the
    task's :func:`clock_date`. Oldest first; empty for ``none`` or an unpublished task."""
    if owed_from is None or cadence == P.NONE:
        return []
    as_of = clock_date(today, closed_on=closed_on, stopped_on=stopped_on)
    return P.due_periods(cadence, due_day, owed_from, as_of)


def unreported_periods(owed: Sequence[P.Period], reported_keys: Collection[str]) -> list[P.Period]:
    """The owed periods without a report (oldest first)."""
    return [p for p in owed if p.key not in reported_keys]


def missed_in_a_row(owed: Sequence[P.Period], reported_keys: Collection[str]) -> list[P.Period]:
    """The unreported periods counted back from the most recent owed one, up to the first reported
    one (oldest first)."""
    missed: list[P.Period] = []
    for period in reversed(owed):
        if period.key in reported_keys:
            break
        missed.append(period)
    missed.reverse()
    return missed


def is_on_time(due: dt.date, submitted_on: dt.date | None) -> bool:
    """Submitted on or before the due date (the due date itself is on time)."""
    return submitted_on is not None and submitted_on <= due


# -- a unit's tasks -------------------------------------------------------------------------------


def belongs_to(unit_ids: Collection[int] | None, *, lead_unit_id: int | None, co_unit_ids: Iterable[int] = (),
               lead_only: bool = False) -> bool:
    """Whether a task is among the tasks of ``unit_ids`` (None: every unit): led by one of them,
    or — unless ``lead_only`` — with one of them among its co-units."""
    if unit_ids is None:
        return True
    if lead_unit_id in unit_ids:
        return True
    return not lead_only and any(u in unit_ids for u in co_unit_ids)


# -- a unit's score -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwedReport:
    """One period a task's lead unit owed: its due date and the day its first report came in."""

    due: dt.date
    first_submitted_on: dt.date | None = None


@dataclass(frozen=True)
class TaskMonthFacts:
    """What the score needs of one task the unit leads. ``owed`` holds every period owed so far
    (:func:`periods_owed` up to the end of the month), whatever the month."""

    deadline: dt.date | None
    closed_on: dt.date | None = None
    owed: Sequence[OwedReport] = field(default_factory=tuple)


@dataclass(frozen=True)
class UnitMonthFigures:
    reports_owed: int = 0
    reports_on_time: int = 0
    tasks_due: int = 0
    tasks_done: int = 0
    overdue: int = 0
    actions: int = 0
    actions_weighted: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return None if self.reports_owed == 0 else self.reports_on_time / self.reports_owed

    @property
    def completion_rate(self) -> float | None:
        return None if self.tasks_due == 0 else self.tasks_done / self.tasks_due


def unit_month_figures(tasks: Iterable[TaskMonthFacts], *, month_start: dt.date, month_end: dt.date, today: dt.date,
                       actions: int = 0, actions_weighted: int = 0) -> UnitMonthFigures:
    """The month's figures of a unit from the facts of the tasks it leads (see the module
    docstring for each rule)."""
    last_day = min(month_end, today)
    # A month that is over judges deadlines up to its last day; the current month up to yesterday
    # (a task due today still has today).
    judged_until = month_end if today > month_end else today - ONE_DAY
    owed = on_time = due = done = overdue = 0
    for task in tasks:
        if task.closed_on is not None and task.closed_on < month_start:
            continue
        for report in task.owed:
            in_month = month_start <= report.due <= month_end and report.due < today
            backlog = report.due < month_start and (report.first_submitted_on is None or report.first_submitted_on >= month_start)
            if in_month or backlog:
                owed += 1
                on_time += in_month and is_on_time(report.due, report.first_submitted_on)
        closed_by_then = task.closed_on is not None and task.closed_on <= last_day
        fell_due = task.deadline is not None and task.deadline <= judged_until
        if fell_due or closed_by_then:
            due += 1
            done += closed_by_then
        if not closed_by_then and overdue_days(task.deadline, last_day) > 0:
            overdue += 1
    return UnitMonthFigures(reports_owed=owed, reports_on_time=on_time, tasks_due=due, tasks_done=done, overdue=overdue,
                            actions=actions, actions_weighted=actions_weighted)


def unit_score(figures: UnitMonthFigures, *, on_time: float = 60, completion: float = 40, overdue: float = 5,
               actions: float = 2) -> float:
    """The month's score, rounded to one decimal; a rate with nothing owed counts in full."""
    on_time_rate = 1.0 if figures.on_time_rate is None else figures.on_time_rate
    completion_rate = 1.0 if figures.completion_rate is None else figures.completion_rate
    value = on_time * on_time_rate + completion * completion_rate - overdue * figures.overdue - actions * figures.actions_weighted
    return round(value, 1)


def format_score(value: float | None) -> str:
    """A score as every page, export and bulletin writes it: one decimal (0 → ``0.0``); ``—`` only
    when there is no score at all."""
    return NO_SCORE if value is None else f"{value:.1f}"
