"""Gathers each unit's figures for one month from the database and ranks them with the pure
`scoreboard` rules. A fixed number of queries, whatever the number of units and tasks."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import F, Min

from luoshi.orgs.models import Unit
from luoshi.supervision.models import SupervisionAction
from luoshi.tasks import periods
from luoshi.tasks.models import ProgressReport, Task

from . import ladder
from . import scoreboard as rules


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """'2026-11' → 1 November 2026; anything else → this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def weights() -> rules.Weights:
    return rules.Weights.from_settings(getattr(settings, "LUOSHI", {}))


def figures_for_month(month: dt.date, today: dt.date) -> list[rules.UnitFigures]:
    start, end = month_bounds(month)
    as_of = min(end, today)
    tasks = (
        Task.objects.filter(lead_unit__isnull=False, published_on__isnull=False, published_on__lte=as_of)
        .exclude(status__in=["draft", "cancelled"])
        .values_list("pk", "lead_unit_id", "cadence", "due_day", "published_on", "deadline", "closed_on")
    )
    acc: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    owed: list[tuple[int, int, str, dt.date]] = []  # (unit, task, key, due)
    month_periods: dict[tuple[str, int | None], list] = {}
    periodic = periods.PERIODIC_CADENCES
    for pk, unit_id, cadence, due_day, published_on, deadline, closed in tasks.iterator(chunk_size=5000):
        unit = acc[unit_id]
        if deadline and deadline <= end and not (closed and closed < start):
            unit["tasks_due"] += 1
            unit["tasks_done"] += bool(closed and closed <= as_of)
        if deadline and deadline < as_of and not (closed and closed <= as_of):
            unit["overdue"] += 1
        if cadence in periodic:
            rule = (cadence, due_day)
            if rule not in month_periods:  # a handful of rules cover thousands of tasks
                month_periods[rule] = periods.periods_between(cadence, due_day, start, end)
            for p in month_periods[rule]:
                if start <= p.due <= end and p.due < today and p.due >= published_on and not (closed and closed <= p.due):
                    owed.append((unit_id, pk, p.key, p.due))

    first_report: dict[tuple[int, str], dt.date] = {}
    keys = sorted({key for _u, _t, key, _d in owed})
    if keys:
        rows = (
            ProgressReport.objects.filter(period_key__in=keys, unit_id=F("task__lead_unit_id"), task__published_on__lte=as_of)
            .values("task_id", "period_key")
            .annotate(first=Min("submitted_on"))
        )
        first_report = {(r["task_id"], r["period_key"]): r["first"] for r in rows}
    for unit_id, task_id, key, due in owed:
        acc[unit_id]["reports_owed"] += 1
        submitted = first_report.get((task_id, key))
        acc[unit_id]["reports_on_time"] += bool(submitted and submitted <= due)

    for unit_id, kind in SupervisionAction.objects.filter(issued_on__range=(start, as_of)).values_list("unit_id", "kind"):
        acc[unit_id]["actions"] += 1
        acc[unit_id]["actions_weighted"] += ladder.step(kind)

    names = {pk: short or name for pk, name, short in Unit.objects.filter(pk__in=list(acc)).values_list("pk", "name", "short_name")}
    return [
        rules.UnitFigures(unit_id=pk, name=names[pk], **dict(values))
        for pk, values in acc.items()
        if pk in names
    ]


def standings(month: dt.date, today: dt.date) -> list[rules.Standing]:
    return rules.rank(figures_for_month(month, today), weights())
