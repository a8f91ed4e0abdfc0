"""Project health (红黄绿灯 of a 项目), by the office's rules. Pure: plain values in, a
:class:`ProjectHealth` out; no database. Thresholds come from ``settings.LUOSHI``
(:meth:`Thresholds.from_settings`).

Rules (default thresholds)
==========================
Stages. For each stage with a planned date and no actual date, ``months_late`` counts calendar
months from the planned month to the month of ``today`` (planned 2026-08-31, today 2026-11-01 →
3). A stage planned for a later month is not judged.

* ``months_late >= stage_red_months`` (3) → red "开工节点计划2026年8月完成，已滞后3个月";
* ``1 <= months_late < 3`` → yellow "…已滞后1个月";
* ``months_late == 0`` (due this month, not reached) → yellow "开工节点计划本月（2026年11月）完成，尚未完成".

A stage reached late (actual after planned) is history, not a warning.

Investment. In the plan year, the time-proportional plan at ``today`` is the share of the year's
completed months: ``expected = (month of today − 1) / 12 × 100`` (0 in January: no judgement);
a plan year already over counts 12 months, a future one 0. ``actual`` is the investment reported
for those completed months as a share of the annual plan. ``behind = expected − actual``,
rounded to one decimal:

* ``behind > invest_red_points`` (30) → red "投资完成率落后序时31个百分点";
* ``invest_yellow_points <= behind <= invest_red_points`` (10 and 30 inclusive) → yellow;
* otherwise nothing. No annual plan (0 or missing) → no investment rule.

Level: red if any red reason, yellow if any yellow one, green otherwise. Reasons are listed red
first, stages in their order, then investment. They are data (message id + parameters), rendered
in the reader's language by the same function that renders task reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from luoshi.core.i18n import gettext_noop, ngettext_noop

RED, YELLOW, GREEN = "red", "yellow", "green"

STAGE_DUE_THIS_MONTH = gettext_noop("%(stage)s节点计划本月（%(year)s年%(month)s月）完成，尚未完成")
STAGE_LATE = ngettext_noop(
    "%(stage)s节点计划%(year)s年%(month)s月完成，已滞后%(count)s个月", "%(stage)s节点计划%(year)s年%(month)s月完成，已滞后%(count)s个月"
)
INVEST_BEHIND = gettext_noop("投资完成率落后序时%(points)s个百分点")


@dataclass(frozen=True)
class Thresholds:
    stage_red_months: int = 3  # red when a stage is this many months late (inclusive)
    invest_yellow_points: float = 10  # yellow when behind >= this (inclusive)
    invest_red_points: float = 30  # red when behind > this (exclusive)

    def __post_init__(self):
        if self.stage_red_months < 1:
            raise ValueError("stage_red_months must be at least 1")
        if self.invest_yellow_points > self.invest_red_points:
            raise ValueError("invest_yellow_points must not exceed invest_red_points")

    @classmethod
    def from_settings(cls, luoshi: Mapping[str, Any]) -> Thresholds:
        names = {
            "PROJECT_STAGE_RED_MONTHS": "stage_red_months",
            "PROJECT_INVEST_YELLOW_POINTS": "invest_yellow_points",
            "PROJECT_INVEST_RED_POINTS": "invest_red_points",
        }
        return cls(**{attr: luoshi[key] for key, attr in names.items() if key in luoshi})


@dataclass(frozen=True)
class StageFacts:
    name: str
    planned_on: dt.date | None
    actual_on: dt.date | None = None


@dataclass(frozen=True)
class ProjectHealth:
    level: str
    reasons: list[dict] = field(default_factory=list)
    expected_percent: float = 0.0
    actual_percent: float = 0.0
    behind_points: float = 0.0
    red_count: int = 0  # the first `red_count` reasons are red ones


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def months_late(planned_on: dt.date, today: dt.date) -> int:
    """Calendar months from the planned month to today's month (negative when still ahead)."""
    return month_index(today) - month_index(planned_on)


def completed_months(plan_year: int, today: dt.date) -> int:
    """Months of the plan year completed by ``today`` (0–12)."""
    if today.year > plan_year:
        return 12
    if today.year < plan_year:
        return 0
    return today.month - 1


def _num(value: float) -> str:
    value = round(value, 1)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def investment_figures(annual_plan, monthly: Mapping[int, Any], plan_year: int, today: dt.date) -> tuple[float, float, float] | None:
    """(expected, actual, behind) in percent of the annual plan, or None when not judged."""
    plan = Decimal(str(annual_plan or 0))
    months = completed_months(plan_year, today)
    if plan <= 0 or months == 0:
        return None
    done = sum((Decimal(str(v or 0)) for m, v in monthly.items() if 1 <= int(m) <= months), Decimal(0))
    expected = round(months * 100 / 12, 1)
    actual = round(float(done * 100 / plan), 1)
    return expected, actual, round(expected - actual, 1)


def assess(
    stages: Sequence[StageFacts],
    *,
    annual_plan=None,
    monthly: Mapping[int, Any] | None = None,
    plan_year: int | None = None,
    today: dt.date,
    thresholds: Thresholds = Thresholds(),
) -> ProjectHealth:
    """The health of a project on ``today``; ``monthly`` maps month (1–12) of ``plan_year`` to the
    investment completed in that month (万元)."""
    red: list[dict] = []
    yellow: list[dict] = []
    for stage in stages:
        if stage.planned_on is None or stage.actual_on is not None:
            continue
        late = months_late(stage.planned_on, today)
        if late < 0:
            continue
        params = {"stage": stage.name, "year": stage.planned_on.year, "month": stage.planned_on.month}
        if late == 0:
            yellow.append({"m": STAGE_DUE_THIS_MONTH, "p": params})
            continue
        entry = {"m": STAGE_LATE[0], "pl": STAGE_LATE[1], "n": late, "p": params}
        (red if late >= thresholds.stage_red_months else yellow).append(entry)

    expected = actual = behind = 0.0
    figures = investment_figures(annual_plan, monthly or {}, plan_year or today.year, today)
    if figures is not None:
        expected, actual, behind = figures
        if behind > thresholds.invest_red_points:
            red.append({"m": INVEST_BEHIND, "p": {"points": _num(behind)}})
        elif behind >= thresholds.invest_yellow_points:
            yellow.append({"m": INVEST_BEHIND, "p": {"points": _num(behind)}})

    level = RED if red else YELLOW if yellow else GREEN
    return ProjectHealth(level=level, reasons=red + yellow, expected_percent=expected, actual_percent=actual, behind_points=behind, red_count=len(red))
