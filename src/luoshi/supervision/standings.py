"""Gathers each unit's figures for one month from the database and ranks them with the pure
`scoreboard` rules. A fixed number of queries, whatever the number of units and tasks."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Min
from django.db.models.signals import post_delete

from luoshi.orgs.models import Unit
from luoshi.supervision.models import Deletions, SupervisionAction
from luoshi.tasks import rules as R
from luoshi.tasks import workflow
from luoshi.tasks.models import ProgressReport, Task, TaskTransition
from luoshi.tasks.selectors import NOT_COUNTED, with_stopped_on

from . import ladder
from . import scoreboard as rules


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """'2026-11' → 1 November 2026; anything else → this month. A month not yet begun is this
    month (nothing in it could be judged)."""
    current = today.replace(day=1)
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return min(dt.date(year, month, 1), current)
    except (ValueError, TypeError):
        return current


def weights() -> rules.Weights:
    return rules.Weights.from_settings(getattr(settings, "LUOSHI", {}))


def figures_for_month(month: dt.date, today: dt.date) -> list[rules.UnitFigures]:
    """Each unit's figures for the month, from the tasks it leads (``tasks.rules.unit_month_figures``)."""
    start, end = month_bounds(month)
    as_of = min(end, today)
    owed_until = min(today, end + dt.timedelta(days=1))  # periods due up to the month's last day
    tasks = list(
        with_stopped_on(Task.objects.filter(lead_unit__isnull=False).exclude(status__in=NOT_COUNTED))
        .order_by()
        .values_list("pk", "lead_unit_id", "status", "cadence", "due_day", "start_on", "published_on", "deadline", "closed_on", "stopped_on")
    )
    first_report = {
        (r["task_id"], r["period_key"]): r["first"]
        for r in ProgressReport.objects.filter(unit_id=F("task__lead_unit_id"), submitted_on__lte=today)
        .order_by().values("task_id", "period_key").annotate(first=Min("submitted_on"))
    }
    owed_cache: dict[tuple, list] = {}  # a handful of plans cover thousands of tasks
    facts: dict[int, list[R.TaskMonthFacts]] = defaultdict(list)
    led: dict[int, int] = defaultdict(int)
    for pk, unit_id, status, cadence, due_day, start_on, published_on, deadline, closed_on, stopped_on in tasks:
        led[unit_id] += 1
        if published_on is None or published_on > as_of:
            continue
        closed_on = closed_on if status == workflow.CLOSED else None
        stopped_on = stopped_on if status == workflow.CLOSURE_REQUESTED else None
        plan = (cadence, due_day, R.reporting_from(start_on=start_on, published_on=published_on), closed_on, stopped_on)
        if plan not in owed_cache:
            owed_cache[plan] = R.periods_owed(cadence, due_day, owed_from=plan[2], today=owed_until, closed_on=closed_on, stopped_on=stopped_on)
        owed = [R.OwedReport(due=p.due, first_submitted_on=first_report.get((pk, p.key))) for p in owed_cache[plan]]
        facts[unit_id].append(R.TaskMonthFacts(deadline=deadline, closed_on=closed_on, owed=owed))

    actions: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, kind in SupervisionAction.objects.filter(issued_on__range=(start, as_of)).values_list("unit_id", "kind"):
        actions[unit_id][0] += 1
        actions[unit_id][1] += ladder.step(kind)

    ids = set(facts) | set(led) | set(actions)
    names = {pk: short or name for pk, name, short in Unit.objects.filter(pk__in=ids).values_list("pk", "name", "short_name")}
    rows = []
    for pk in ids:
        if pk not in names:
            continue
        f = R.unit_month_figures(facts.get(pk, ()), month_start=start, month_end=end, today=today,
                                 actions=actions[pk][0] if pk in actions else 0, actions_weighted=actions[pk][1] if pk in actions else 0)
        rows.append(rules.UnitFigures(unit_id=pk, name=names[pk], tasks_led=led.get(pk, 0), **dataclasses.asdict(f)))
    return rows


STANDINGS_CACHE_SECONDS = 600


#: The kinds of row whose deletions change the standings (their new rows change the highest ids).
COUNTED_DELETIONS = (Task, TaskTransition, ProgressReport, SupervisionAction)


def _data_version() -> tuple:
    """Changes whenever anything a month's standings are computed from changes: every saved change
    to a task writes a history row (a plan change through task_update too), every transition,
    report and supervision action is a new row, and every deleted one is counted in `Deletions`
    as it goes. One statement of scalar subqueries and index look-ups (the page and the dashboard
    ask on every request: counting the rows instead scanned every report each time)."""
    q = connection.ops.quote_name

    def highest(model) -> str:
        return f"(SELECT MAX({q(model._meta.pk.column)}) FROM {q(model._meta.db_table)})"

    deletions = f"(SELECT SUM({q('count')}) FROM {q(Deletions._meta.db_table)})"
    parts = [highest(Task.history.model), highest(TaskTransition), highest(ProgressReport), highest(SupervisionAction), deletions]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


def _count_deletion(sender, **kwargs) -> None:
    """Counts a deleted row in the deleting transaction: the count is seen with the deletion, never
    before it. Every path through the ORM sends the signal — a task deleted in the admin, the rows
    that go with it, a queryset's ``delete()``."""
    q = connection.ops.quote_name
    table, name, count = q(Deletions._meta.db_table), q("name"), q("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({name}, {count}) VALUES (%s, 1) ON CONFLICT ({name}) DO UPDATE SET {count} = {table}.{count} + 1",
            [sender._meta.label],
        )


for _model in COUNTED_DELETIONS:
    post_delete.connect(_count_deletion, sender=_model, dispatch_uid=f"luoshi.supervision.deletions.{_model._meta.label}")


def standings(month: dt.date, today: dt.date) -> list[rules.Standing]:
    """Every unit's rank and score for the month: the one call behind the scoreboard page, its API
    and the dashboard. Ranking every unit takes about a second at 20,000 tasks and is the same for
    every viewer, so it is kept until the data behind it changes (or ten minutes pass)."""
    key = "luoshi:standings:" + hashlib.sha256(repr((month, today, _data_version())).encode()).hexdigest()[:32]
    rows = cache.get(key)
    if rows is None:
        rows = rules.rank(figures_for_month(month, today), weights())
        cache.set(key, rows, STANDINGS_CACHE_SECONDS)
    return rows
