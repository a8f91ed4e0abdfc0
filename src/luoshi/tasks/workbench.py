"""我的工作台: what the signed-in user should look at first.

- a unit liaison: their unit's tasks, with what falls due within the week first (reports to send,
  deadlines near or passed), then red and yellow before green;
- a supervisor: the office's view (health counts, closures to verify, extension requests to decide,
  red tasks);
- a leader: their scope (health counts, red and yellow tasks, the tasks they lead).

A fixed number of queries whatever the number of tasks; lists are capped."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F
from django.utils import timezone

from luoshi.core.rows import Prepared, any_of, objects, sees_every
from luoshi.orgs import access as orgs_access
from luoshi.orgs.models import Unit

from . import assess, extensions, rules, selectors, services, workflow
from . import periods as P
from .models import ExtensionRequest, ExtensionStatus, ProgressReport, Task, TaskTransition, health_rank

WEEK = 7
LIST_CAP = 50


def _rank(task) -> tuple:
    """The board's default order (``selectors.BOARD_HEALTH_ORDER``) of a loaded task."""
    return (health_rank(task.health), task.deadline or dt.date.max, task.pk)


def _health_counts(user) -> dict[str, int]:
    counts = selectors.health_counts(user)
    return {level: counts[level] for level in ("red", "yellow", "green")}


def _note_stopped_on(tasks: list[Task]) -> None:
    """Set ``stopped_on`` (what :func:`assess.stopped_on` reads) on the tasks waiting for their
    closure to be verified, from one query: asked task by task, every such task cost two queries
    (its owed periods and its days left each read its transitions)."""
    waiting = [t.pk for t in tasks if t.status == workflow.CLOSURE_REQUESTED]
    if not waiting:
        return
    asked: dict[int, dt.datetime] = {}
    for task_id, at in TaskTransition.objects.filter(task_id__in=waiting, to_status=workflow.CLOSURE_REQUESTED).values_list(
        "task_id", "created_at"
    ):
        asked[task_id] = max(at, asked.get(task_id, at))
    for task in tasks:
        if task.pk in asked:
            task.stopped_on = timezone.localdate(asked[task.pk])


# The workbench's lists are read with the columns they show (and, for a unit, that the rules of
# what is owed need), not as whole tasks with whole lead units: loading those cost a sixth of a
# unit's page.
_ITEM = (
    "pk", "number", "code", "title", "health", "health_reasons", "deadline", "status", "status_changed_at",
    "lead_unit_id", "lead_unit__id", "lead_unit__name", "lead_unit__short_name",
)
_EXTENSION_ITEM = (
    "pk", "task_id", "unit_id", "old_deadline", "new_deadline", "created_at", "task__id", "task__number", "task__code",
    "task__title", "unit__id", "unit__name", "unit__short_name",
)
_UNIT_ITEM = (*_ITEM, "start_on", "published_on", "closed_on", "cadence", "due_day")


# A unit's two hundred tasks: which of them its units share, and which periods its units have
# reported, each read by hand with the ids as one array (``rows.any_of``).
def _own_co_units(task_ids: list[int], unit_ids) -> list[tuple[int, int]]:
    """(task, unit) for the ``unit_ids`` among the co-units of ``task_ids``, each task's in the
    order of ``task.co_units.all()``."""
    q = connection.ops.quote_name
    through, unit = Task.co_units.through._meta.db_table, Unit._meta.db_table
    tasks_sql, task_params = any_of("c.task_id", task_ids, connection)
    units_sql, unit_params = any_of("c.unit_id", unit_ids, connection)
    order = selectors.co_units_order("u", connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.task_id, c.unit_id FROM {q(through)} c JOIN {q(unit)} u ON u.id = c.unit_id "
            f"WHERE {tasks_sql} AND {units_sql} ORDER BY {order}, c.unit_id",
            [*task_params, *unit_params],
        )
        return cursor.fetchall()


def _current_report_keys(task_ids: list[int], unit_ids) -> list[tuple[int, int, str]]:
    """(task, unit, period key) of the reports ``unit_ids`` sent for ``task_ids`` that no correction
    replaced."""
    q = connection.ops.quote_name
    task, unit, key, superseded = (q(ProgressReport._meta.get_field(name).column) for name in ("task", "unit", "period_key", "superseded"))
    tasks_sql, task_params = any_of(task, task_ids, connection)
    units_sql, unit_params = any_of(unit, unit_ids, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {task}, {unit}, {key} FROM {q(ProgressReport._meta.db_table)} WHERE {tasks_sql} AND {units_sql} AND NOT {superseded}",
            [*task_params, *unit_params],
        )
        return cursor.fetchall()


# The tasks whose reports and deadlines the unit's 本周待办 is made of: the nearest deadlines first.
# Each is judged in Python (its periods owed), so a unit with thousands of tasks is judged on these.
DUE_WINDOW = 200


def _unit_view(user, today: dt.date) -> dict:
    """Reports owed by the user's units and deadlines within a week, then the tasks by health (the
    board's default order) and how many there are."""
    own_units = orgs_access.visible_unit_ids(user) or frozenset()
    active = Task.objects.visible_to(user).filter(status__in=workflow.ACTIVE_STATES)
    # Nearest first on every database (SQLite puts a missing deadline first, PostgreSQL last).
    nearest = active.order_by(F("deadline").asc(nulls_last=True), "pk")
    tasks = objects(Task, list(nearest.values(*_UNIT_ITEM)[:DUE_WINDOW]), related=("lead_unit",))
    task_ids = [t.pk for t in tasks]
    own_co_units: dict[int, list[int]] = {}
    for task_id, unit_id in _own_co_units(task_ids, own_units):
        own_co_units.setdefault(task_id, []).append(unit_id)
    _note_stopped_on(tasks)
    periods = {t.pk: services.owed_periods(t, today) for t in tasks if t.cadence != "none"}
    current = {t.pk: P.period_for(t.cadence, t.due_day, today) for t in tasks if t.cadence != "none"}
    # Indexed by (task, unit) once: scanning every report for every task was quadratic.
    reported: dict[tuple[int, int], set[str]] = {}
    for task_id, unit_id, key in _current_report_keys(task_ids, own_units):
        reported.setdefault((task_id, unit_id), set()).add(key)
    due: list[dict] = []
    for task in tasks:
        mine = ([task.lead_unit_id] if task.lead_unit_id in own_units else []) + own_co_units.get(task.pk, [])
        # Each unit on the task owes its own report: one line for its open period, one for its
        # unreported ones (all of them, newest named, with how many).
        for unit_id in mine:
            keys = reported.get((task.pk, unit_id), set())
            period = current.get(task.pk)
            if period is not None and period.key not in keys:
                days = (period.due - today).days
                owed_from = rules.reporting_from(start_on=task.start_on, published_on=task.published_on)
                if 0 <= days < WEEK and owed_from is not None and period.due >= owed_from:
                    due.append({"task": task, "kind": "report_due", "date": period.due, "days": days, "period": period})
            missed = rules.unreported_periods(periods.get(task.pk, ()), keys)
            if missed:
                due.append({"task": task, "kind": "report_missing", "date": missed[-1].due, "days": (missed[-1].due - today).days,
                            "period": missed[-1], "count": len(missed)})
        left = assess.days_left(task, today)
        if left is not None and left < WEEK and task.status != workflow.CLOSURE_REQUESTED:
            due.append({"task": task, "kind": "deadline", "date": task.deadline, "days": left, "period": None})
    due.sort(key=lambda d: (d["date"], d["task"].pk))
    del due[LIST_CAP:]
    # Named only for the lines shown: a unit with two hundred tasks owes as many periods, and each
    # label is a translation.
    for d in due:
        period = d.pop("period")
        d["label"] = period.label if period else ""
    if len(tasks) < DUE_WINDOW:
        # All of them: ranked here, as the board ranks them.
        tasks.sort(key=_rank)
        shown, count = tasks[:LIST_CAP], len(tasks)
    else:
        # More than the window: the ranked first ones and the count of all read from every task,
        # not from the nearest deadlines (a red task due next year is still first).
        shown = objects(Task, list(active.order_by(*selectors.BOARD_HEALTH_ORDER).values(*_ITEM)[:LIST_CAP]), related=("lead_unit",))
        count = active.count()
    return {"due": due, "tasks": shown, "task_count": count}


# The office's lists, each defined once over the tasks (or extension requests) the person sees. A
# supervisor sees every task, so their lists have one shape whatever the person: compiled once
# (building and compiling four querysets cost more CPU than the database took to answer them).
def _closures(tasks):
    return tasks.filter(status=workflow.CLOSURE_REQUESTED).order_by("status_changed_at", "pk").values(*_ITEM)[:LIST_CAP]


def _red(tasks):
    return tasks.filter(status__in=workflow.ACTIVE_STATES, health="red").order_by(F("deadline").asc(nulls_last=True), "pk").values(*_ITEM)[:LIST_CAP]


def _due_soon(tasks, today: dt.date, week_end: dt.date):
    return (
        tasks.filter(status__in=(workflow.IN_PROGRESS, workflow.RETURNED), deadline__gte=today, deadline__lt=week_end)
        .order_by("deadline", "pk").values(*_ITEM)[:LIST_CAP]
    )


def _pending_extensions(requests):
    return requests.filter(status=ExtensionStatus.PENDING).order_by("created_at").values(*_EXTENSION_ITEM)[:LIST_CAP]


_EVERY_CLOSURE = Prepared(lambda: _closures(Task.objects.all()))
_EVERY_RED = Prepared(lambda: _red(Task.objects.all()))
_EVERY_DUE_SOON = Prepared(lambda today, week_end: _due_soon(Task.objects.all(), today, week_end), dates=("today", "week_end"))
_EVERY_EXTENSION = Prepared(lambda: _pending_extensions(ExtensionRequest.objects.all()))


def _office_view(user, today: dt.date) -> dict:
    week_end = today + dt.timedelta(days=WEEK)
    if sees_every(Task.objects.all(), user) and sees_every(ExtensionRequest.objects.all(), user):
        closures, red, due_soon = _EVERY_CLOSURE.rows(), _EVERY_RED.rows(), _EVERY_DUE_SOON.rows(today, week_end)
        extensions = _EVERY_EXTENSION.rows()
    else:
        tasks = Task.objects.visible_to(user)
        closures, red, due_soon = list(_closures(tasks)), list(_red(tasks)), list(_due_soon(tasks, today, week_end))
        extensions = list(_pending_extensions(ExtensionRequest.objects.visible_to(user)))
    return {
        "counts": _health_counts(user),
        "closures": objects(Task, closures, related=("lead_unit",)),
        "extensions": objects(ExtensionRequest, extensions, related=("task", "unit")),
        "red": objects(Task, red, related=("lead_unit",)),
        "due_soon": objects(Task, due_soon, related=("lead_unit",)),
    }


def _leader_view(user, today: dt.date) -> dict:
    tasks = Task.objects.visible_to(user)
    attention = tasks.filter(status__in=workflow.ACTIVE_STATES, health__in=("red", "yellow")).order_by(
        "health", F("deadline").asc(nulls_last=True), "pk")
    led = tasks.filter(lead_leader=user).exclude(status__in=workflow.TERMINAL_STATES).order_by("deadline", "pk")
    return {
        "counts": _health_counts(user),
        "attention": objects(Task, list(attention.values(*_ITEM)[:LIST_CAP]), related=("lead_unit",)),
        "led": objects(Task, list(led.values(*_ITEM)[:LIST_CAP]), related=("lead_unit",)),
    }


def build(user, today: dt.date) -> dict:
    # Apps built on tasks (projects, requests) add their own sections.
    panels = {"panels": extensions.workbench_panels(user, today)}
    if orgs_access.is_supervisor(user):
        return {"mode": "office", **_office_view(user, today), **panels}
    if user.role == "leader":
        return {"mode": "leader", **_leader_view(user, today), **panels}
    if user.role == "liaison" and user.unit_id:
        return {"mode": "unit", **_unit_view(user, today), **panels}
    return {"mode": "none", **panels}
