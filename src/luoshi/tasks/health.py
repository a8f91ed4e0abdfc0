"""Task health (红黄绿灯), derived and never typed. Pure: plain dataclasses in, a :class:`Health` out;
no database. The app builds :class:`TaskFacts` / :class:`ReportFacts` / :class:`MilestoneFacts`
from its models and :class:`Thresholds` from ``settings.LUOSHI`` (:meth:`Thresholds.from_settings`).

Levels
======
* ``done`` — the task is ``closed`` (已销号). No reasons. Figures: expected = actual = 100,
  behind 0, missed 0, ``overdue_days`` = days the closure came after the deadline
  (``closed_on - deadline``, 0 when on time or ``closed_on`` unknown).
* ``none`` — ``draft``, ``suspended`` or ``cancelled``: not being worked on, so not judged. No
  reasons; the figures are still computed as for an active task, for information only.
* ``red`` / ``yellow`` / ``green`` — ``in_progress``, ``returned``, ``closure_requested``.

Rules for active tasks (with the default thresholds)
===================================================
red, if any of:
  * overdue: ``as_of > deadline`` (the deadline day itself is not overdue) → "逾期3天";
  * ``missed_periods >= red_missed_periods`` (2) → "连续2期未报送";
  * ``behind_points > red_behind_points`` (strictly more than 30) → "进度落后序时31个百分点".
yellow, if any of:
  * ``yellow_behind_points <= behind_points <= red_behind_points`` (10 and 30 both inclusive)
    → "进度落后序时10个百分点";
  * deadline near: ``0 <= days_left <= deadline_near_days`` (7, inclusive; 8 days is not near) and
    actual < 100 → "距完成时限还有5天，进度60%" (on the deadline day: "今日到期，进度95%");
  * exactly one missed period (more generally ``1 <= missed < red_missed_periods``) →
    "本期（2026年11月）进展未报送" naming the most recent period whose due date has passed
    (or "连续N期未报送" when N > 1 but still below the red count);
  * the current period's report is due soon and not yet in: the period containing ``as_of`` is
    owed, has no report, and ``0 <= due - as_of <= report_due_near_days`` (default 0: only on
    the due day itself) → "本期（2026年第48周）进展今日截止，尚未报送" /
    "本期（…）进展2天后截止，尚未报送". The day after its due date it becomes a missed period.
green otherwise. All applicable reasons are listed, red ones first, each kind at most once.
The quoted texts are how :func:`render_reason` shows them in Chinese; ``Health.reasons`` holds
them as data (message id + parameters) so a stored reason is shown in the viewer's language.

Definitions
===========
* ``today``: the date of assessment. Reports submitted after ``today`` are ignored (they are "in
  the future" for this assessment). ``as_of`` is the date the clock is read at: ``today``, except
  for a task in ``closure_requested`` whose ``closure_requested_on`` is known and earlier — then
  the clock stopped on that day (a unit that asked for closure in time does not turn red while
  the office takes its time to verify).
* Actual progress: ``percent`` of the latest non-superseded report submitted on or before
  ``today`` (latest = greatest ``submitted_on``; on a tie, the later one in the sequence),
  clamped to 0..100; 0 when there is none.
* Expected progress (序时进度) at ``as_of``, see :func:`expected_progress`: 0 before the start,
  100 on and after the deadline, in between a piecewise-linear interpolation through the knots
  (start, 0), each milestone (date, planned_percent), (deadline, 100). Only milestones strictly
  between start and deadline are used; planned percents are clamped to 0..100; several milestones
  on one day count as the highest; the knots are made non-decreasing (a later milestone never
  lowers the plan). No milestones → linear from start to deadline. ``deadline <= start`` never
  divides by zero (before start 0, otherwise 100). Rounded to one decimal.
* ``behind_points`` = expected − actual, rounded to one decimal (negative = ahead of plan); the
  thresholds compare this rounded value.
* ``days_left`` = deadline − as_of (negative when overdue); ``overdue_days`` = max(0, −days_left).
* Owed periods: :func:`luoshi.tasks.periods.due_periods` from ``reporting_from`` (default:
  the task's start; set it to the publication or resumption date so periods before it are not
  owed) to ``as_of``: due date on/after ``reporting_from`` and strictly before ``as_of``. A period
  is reported when a non-superseded report with its key was submitted on or before ``today``
  (late reports count as reported — lateness is scored elsewhere with ``periods.is_late``).
  ``missed_periods`` counts unreported owed periods backwards from the most recent one, stopping
  at the first reported one (consecutive most recent misses).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple, Sequence

from django.utils.translation import gettext_lazy as _

from luoshi.core import i18n
from luoshi.core.i18n import gettext_noop, ngettext_noop
from . import periods as P
from . import rules as R
from . import workflow as W

GREEN = "green"
YELLOW = "yellow"
RED = "red"
DONE = "done"
NONE = "none"
LEVELS = (RED, YELLOW, GREEN, DONE, NONE)
LEVEL_LABELS = {RED: _("红灯"), YELLOW: _("黄灯"), GREEN: _("绿灯"), DONE: _("已销号"), NONE: _("不评价")}

_NOT_ASSESSED = frozenset({W.DRAFT, W.SUSPENDED, W.CANCELLED})

# -- reasons ----------------------------------------------------------------------------------
# A reason is stored on the task (Task.health_reasons, JSON) and read in whatever language the
# viewer uses, so it is kept as data and translated only when shown by :func:`render_reason`:
#   {"m": msgid, "p": {params}}                                   a plain message
#   {"m": singular, "pl": plural, "n": count, "p": {params}}      a message whose count varies
# A reason naming a report period stores the period (``"period": [cadence, key]``) rather than
# its label, so the label too is rendered in the viewer's language. Older rows hold plain Chinese
# strings; they are shown unchanged until the next assessment rewrites them.
Reason = dict[str, Any]

OVERDUE = ngettext_noop("逾期%(count)s天", "逾期%(count)s天")
MISSED_IN_A_ROW = ngettext_noop("连续%(count)s期未报送", "连续%(count)s期未报送")
MISSED_ONE = gettext_noop("本期（%(period)s）进展未报送")
BEHIND = gettext_noop("进度落后序时%(points)s个百分点")
DUE_TODAY = gettext_noop("今日到期，进度%(percent)s%%")
DEADLINE_NEAR = ngettext_noop("距完成时限还有%(count)s天，进度%(percent)s%%", "距完成时限还有%(count)s天，进度%(percent)s%%")
REPORT_DUE_TODAY = gettext_noop("本期（%(period)s）进展今日截止，尚未报送")
REPORT_DUE_SOON = ngettext_noop("本期（%(period)s）进展%(count)s天后截止，尚未报送", "本期（%(period)s）进展%(count)s天后截止，尚未报送")
# Reasons that say a progress report is missing (the bulletin counts them per unit).
UNREPORTED = frozenset({MISSED_IN_A_ROW[0], MISSED_ONE})


def _reason(message: str, *, period: P.Period | None = None, **params: Any) -> Reason:
    entry: Reason = {"m": message, "p": params}
    if period is not None:
        entry["period"] = [period.cadence, period.key]
    return entry


def _plural(forms: tuple[str, str], count: int, *, period: P.Period | None = None, **params: Any) -> Reason:
    entry = _reason(forms[0], period=period, **params)
    entry.update(pl=forms[1], n=count)
    return entry


def render_reason(entry: Reason | str) -> str:
    """One stored reason as text in the active language (Chinese without Django settings).
    Plain strings (rows written before reasons were structured) come back unchanged."""
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, Mapping) or "m" not in entry:
        return str(entry)
    try:
        params = dict(entry.get("p") or {})
        if entry.get("period"):
            cadence, key = entry["period"]
            params["period"] = P.label_for_key(cadence, key)
        if "pl" in entry:
            return i18n.ngettext(entry["m"], entry["pl"], int(entry["n"]), **params)
        return i18n.gettext(entry["m"], **params)
    except (KeyError, TypeError, ValueError):  # a hand-edited row must not break a page
        return str(entry["m"])


def reasons_key(entries) -> str | None:
    """A key equal for equal lists of stored reasons (JSON values), None for anything else: what
    may be written once and used again for every row with the same reasons."""
    if not isinstance(entries, (list, tuple)):
        return None
    try:
        return json.dumps(entries, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return None


def _join(entries, sep: str | None) -> str:
    return (i18n.gettext("；") if sep is None else sep).join(render_reason(e) for e in entries)


# Reasons already written, per language: a list page writes a hundred rows whose reasons are
# mostly the same few (每月未报送, 超期N天), and translating each again cost more than the row.
@functools.lru_cache(maxsize=4096)
def _written(language: str | None, sep: str | None, key: str) -> str:
    return _join(json.loads(key), sep)


def render_reasons(entries, sep: str | None = None) -> str:
    """Several reasons joined as one line (for exports, bulletins and notices)."""
    if not entries:
        return ""
    key = reasons_key(entries)
    return _join(entries, sep) if key is None else _written(i18n.language(), sep, key)


def is_unreported(entry: Reason | str) -> bool:
    """Whether the reason is a missing progress report."""
    if isinstance(entry, Mapping):
        return entry.get("m") in UNREPORTED
    return "未报送" in str(entry)


@dataclass(frozen=True)
class Thresholds:
    """Health thresholds; boundaries as documented in the module docstring."""

    yellow_behind_points: float = 10  # yellow when behind >= this (inclusive)
    red_behind_points: float = 30  # red when behind > this (exclusive); yellow up to and including it
    deadline_near_days: int = 7  # yellow when 0 <= days left <= this (inclusive)
    red_missed_periods: int = 2  # red when this many most recent owed periods are unreported
    report_due_near_days: int = 0  # yellow when the current report is due within this many days
    # How overdue days are counted (``rules.overdue_days``): calendar days, or working days less
    # the holidays plus the weekend make-up days.
    business_days: bool = False
    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()

    def __post_init__(self):
        if self.yellow_behind_points > self.red_behind_points:
            raise ValueError("yellow_behind_points must not exceed red_behind_points")
        if self.red_missed_periods < 1:
            raise ValueError("red_missed_periods must be at least 1")
        if self.deadline_near_days < 0 or self.report_due_near_days < 0:
            raise ValueError("day thresholds must not be negative")

    @classmethod
    def from_settings(cls, luoshi: Mapping[str, Any]) -> Thresholds:
        """From the ``settings.LUOSHI`` mapping (keys ``HEALTH_*``); missing keys keep defaults."""
        names = {
            "HEALTH_YELLOW_BEHIND_POINTS": "yellow_behind_points",
            "HEALTH_RED_BEHIND_POINTS": "red_behind_points",
            "HEALTH_DEADLINE_NEAR_DAYS": "deadline_near_days",
            "HEALTH_RED_MISSED_PERIODS": "red_missed_periods",
            "HEALTH_REPORT_DUE_NEAR_DAYS": "report_due_near_days",
        }
        values = {attr: luoshi[key] for key, attr in names.items() if key in luoshi}
        values["business_days"] = bool(luoshi.get("OVERDUE_BUSINESS_DAYS", False))
        for key, attr in (("HOLIDAYS", "holidays"), ("WORKDAYS", "workdays")):
            values[attr] = frozenset(d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in luoshi.get(key, ()))
        return cls(**values)

    @property
    def calendar(self) -> dict[str, Any]:
        """The keyword arguments ``rules.overdue_days`` / ``rules.days_left`` count with."""
        return {"business_days": self.business_days, "holidays": self.holidays, "workdays": self.workdays}


@dataclass(frozen=True)
class TaskFacts:
    start: dt.date
    deadline: dt.date | None  # None: no deadline, never overdue, no expected progress
    status: str = W.IN_PROGRESS
    cadence: str = P.NONE
    due_day: int | None = None
    closed_on: dt.date | None = None
    closure_requested_on: dt.date | None = None
    reporting_from: dt.date | None = None  # first day reports are owed from (default: start)


class ReportFacts(NamedTuple):
    # A named tuple rather than a frozen dataclass: as immutable, and a first sweep at 100,000
    # tasks builds a million of them, each a quarter of the cost.
    period_key: str
    submitted_on: dt.date
    percent: float
    superseded: bool = False


@dataclass(frozen=True)
class MilestoneFacts:
    date: dt.date
    planned_percent: float
    description: str = ""


@dataclass(frozen=True)
class Health:
    level: str
    reasons: list[Reason] = field(default_factory=list)  # structured, see render_reason
    expected_percent: float = 0.0
    actual_percent: float = 0.0
    behind_points: float = 0.0
    overdue_days: int = 0
    missed_periods: int = 0
    days_left: int | None = None
    as_of: dt.date | None = None
    missed_period_keys: list[str] = field(default_factory=list)  # oldest first

    @property
    def texts(self) -> list[str]:
        """The reasons as text in the active language."""
        return [render_reason(r) for r in self.reasons]


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, float(value)))


def _num(value: float) -> str:
    """50.0 → "50", 12.5 → "12.5"."""
    value = round(value, 1)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def expected_progress(
    start: dt.date, deadline: dt.date, milestones: Sequence[MilestoneFacts], day: dt.date
) -> float:
    """序时进度 at ``day`` in percent (0..100, one decimal); see the module docstring."""
    if deadline is None or day < start:
        return 0.0
    if day >= deadline:
        return 100.0
    by_day: dict[dt.date, float] = {}
    for m in milestones:
        if start < m.date < deadline:
            by_day[m.date] = max(by_day.get(m.date, 0.0), _clamp(m.planned_percent))
    knots = [(start, 0.0)]
    for when in sorted(by_day):
        knots.append((when, max(knots[-1][1], by_day[when])))
    knots.append((deadline, 100.0))
    for (d0, p0), (d1, p1) in zip(knots, knots[1:]):
        if d0 <= day <= d1:
            return round(p0 + (p1 - p0) * (day - d0).days / (d1 - d0).days, 1)
    raise AssertionError("unreachable: start <= day < deadline")  # pragma: no cover


def _latest_percent(reports: Sequence[ReportFacts], today: dt.date) -> float:
    latest: ReportFacts | None = None
    for r in reports:
        if r.superseded or r.submitted_on > today:
            continue
        if latest is None or r.submitted_on >= latest.submitted_on:
            latest = r
    return 0.0 if latest is None else _clamp(latest.percent)


def assess(
    task: TaskFacts,
    reports: Sequence[ReportFacts],
    milestones: Sequence[MilestoneFacts],
    today: dt.date,
    thresholds: Thresholds = Thresholds(),
) -> Health:
    """The health of ``task`` on ``today``. See the module docstring for every rule."""
    reports = tuple(reports)
    milestones = tuple(milestones)
    if task.status not in W.STATES:
        raise ValueError(i18n.gettext("未知的任务状态：%(state)s", state=task.status))

    if task.status == W.CLOSED:
        late = R.overdue_days(task.deadline, task.closed_on, **thresholds.calendar) if task.closed_on else 0
        return Health(
            level=DONE,
            expected_percent=100.0,
            actual_percent=100.0,
            overdue_days=late,
            days_left=R.days_left(task.deadline, today, **thresholds.calendar),
            as_of=today,
        )

    as_of = today
    if (
        task.status == W.CLOSURE_REQUESTED
        and task.closure_requested_on is not None
        and task.closure_requested_on < today
    ):
        as_of = task.closure_requested_on

    expected = expected_progress(task.start, task.deadline, milestones, as_of)
    actual = _latest_percent(reports, today)
    behind = round(expected - actual, 1)
    days_left = R.days_left(task.deadline, as_of, **thresholds.calendar)
    overdue = R.overdue_days(task.deadline, as_of, **thresholds.calendar)

    reported = {r.period_key for r in reports if not r.superseded and r.submitted_on <= today}
    owed_from = task.reporting_from or task.start
    owed = R.periods_owed(task.cadence, task.due_day, owed_from=owed_from, today=as_of)
    missed = R.missed_in_a_row(owed, reported)

    current = None
    if task.cadence != P.NONE:
        candidate = P.period_for(task.cadence, task.due_day, as_of)
        days_to_due = (candidate.due - as_of).days
        if (
            candidate.due >= owed_from
            and 0 <= days_to_due <= thresholds.report_due_near_days
            and candidate.key not in reported
        ):
            current = (candidate, days_to_due)

    red: list[Reason] = []
    yellow: list[Reason] = []
    if overdue > 0:
        red.append(_plural(OVERDUE, overdue))
    if len(missed) >= thresholds.red_missed_periods:
        red.append(_plural(MISSED_IN_A_ROW, len(missed)))
    elif len(missed) == 1:
        yellow.append(_reason(MISSED_ONE, period=missed[-1]))
    elif missed:
        yellow.append(_plural(MISSED_IN_A_ROW, len(missed)))
    if behind > thresholds.red_behind_points:
        red.append(_reason(BEHIND, points=_num(behind)))
    elif behind >= thresholds.yellow_behind_points:
        yellow.append(_reason(BEHIND, points=_num(behind)))
    if days_left is not None and 0 <= days_left <= thresholds.deadline_near_days and actual < 100:
        if days_left == 0:
            yellow.append(_reason(DUE_TODAY, percent=_num(actual)))
        else:
            yellow.append(_plural(DEADLINE_NEAR, days_left, percent=_num(actual)))
    if current is not None:
        period, days_to_due = current
        if days_to_due == 0:
            yellow.append(_reason(REPORT_DUE_TODAY, period=period))
        else:
            yellow.append(_plural(REPORT_DUE_SOON, days_to_due, period=period))

    if task.status in _NOT_ASSESSED:
        level, reasons = NONE, []
    elif red:
        level, reasons = RED, red + yellow
    elif yellow:
        level, reasons = YELLOW, yellow
    else:
        level, reasons = GREEN, []

    return Health(
        level=level,
        reasons=reasons,
        expected_percent=expected,
        actual_percent=actual,
        behind_points=behind,
        overdue_days=overdue,
        missed_periods=len(missed),
        days_left=days_left,
        as_of=as_of,
        missed_period_keys=[p.key for p in missed],
    )
