"""Adapter between the task models and the pure health rules (`health.assess`): gathers a task's
facts, assesses them and stores the result on the task. Used wherever health may change: the daily
sweep, a report submitted, a transition, a deadline moved."""

from __future__ import annotations

import copy
import datetime as dt
import json

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from luoshi.core import bulk
from luoshi.tasks import extensions

from . import health as rules
from . import rules as R
from . import workflow
from .signals import health_changed


_thresholds: tuple[dict, rules.Thresholds] | None = None


def thresholds() -> rules.Thresholds:
    """The office's thresholds and calendar, built again only when the settings differ from those
    they were last built from: the sweep asks twice per task."""
    global _thresholds
    luoshi = getattr(settings, "LUOSHI", {})
    known = _thresholds
    if known is None or known[0] != luoshi:
        known = _thresholds = (copy.deepcopy(luoshi), rules.Thresholds.from_settings(luoshi))
    return known[1]


def stopped_on(task, transitions=None) -> dt.date | None:
    """The day a pending closure was requested (the task's clock stopped then); None unless the
    task waits for the office to verify its closure. ``transitions`` may be prefetched."""
    if task.status != workflow.CLOSURE_REQUESTED:
        return None
    annotated = getattr(task, "stopped_on", None)
    if annotated is not None:
        return annotated
    if transitions is None:
        transitions = list(task.transitions.filter(to_status=workflow.CLOSURE_REQUESTED).order_by("-created_at")[:1])
    requested = [t.created_at for t in transitions if t.to_status == workflow.CLOSURE_REQUESTED]
    return timezone.localdate(max(requested)) if requested else None


def overdue_days(task, today: dt.date, *, transitions=None) -> int:
    """``rules.overdue_days`` of one task with the office's calendar: the figure every page shows."""
    closed_on = task.closed_on if task.status == workflow.CLOSED else None
    return R.overdue_days(task.deadline, today, closed_on=closed_on, stopped_on=stopped_on(task, transitions),
                          **thresholds().calendar)


def days_left(task, today: dt.date, *, transitions=None) -> int | None:
    """``rules.days_left`` of one task with the office's calendar."""
    closed_on = task.closed_on if task.status == workflow.CLOSED else None
    return R.days_left(task.deadline, today, closed_on=closed_on, stopped_on=stopped_on(task, transitions),
                       **thresholds().calendar)


#: The columns of a report the rules read, in the order `lead_report_facts` takes them.
REPORT_FACT_COLUMNS = ("unit_id", "period_key", "submitted_on", "percent", "superseded")


def lead_report_facts(lead_unit_id, rows) -> list:
    """The reports a task's health is assessed from, as the rules take them: the lead unit's, since
    it answers for the task. ``rows``: tuples of ``REPORT_FACT_COLUMNS`` (the sweep passes the rows
    as it read them)."""
    return [
        rules.ReportFacts(key, on, percent, superseded) for unit_id, key, on, percent, superseded in rows if unit_id == lead_unit_id
    ]


def facts_for(task, reports=None, milestones=None, transitions=None, report_facts=None):
    """(TaskFacts, [ReportFacts], [MilestoneFacts]) for a task. Pass prefetched lists to avoid
    queries in bulk work: ``reports`` (any of the task's, as objects) or ``report_facts`` (already
    as `lead_report_facts` gives them)."""
    if report_facts is None:
        if reports is None:
            rows = task.reports.filter(unit_id=task.lead_unit_id).values_list(*REPORT_FACT_COLUMNS)
        else:
            rows = [tuple(getattr(r, column) for column in REPORT_FACT_COLUMNS) for r in reports]
        report_facts = lead_report_facts(task.lead_unit_id, rows)
    if milestones is None:
        milestones = list(task.milestones.all())
    start = R.effective_start(task.start_on, task.published_on) or (timezone.localdate(task.created_at) if task.created_at else None)
    task_facts = rules.TaskFacts(
        start=start or task.deadline,
        deadline=task.deadline,
        status=task.status,
        cadence=task.cadence,
        due_day=task.due_day,
        closed_on=task.closed_on,
        closure_requested_on=stopped_on(task, transitions),
        reporting_from=R.reporting_from(start_on=task.start_on, published_on=task.published_on) or start,
    )
    milestone_facts = [rules.MilestoneFacts(date=m.due_on, planned_percent=m.planned_percent, description=m.description) for m in milestones]
    return task_facts, report_facts, milestone_facts


def assess_task(task, today: dt.date, **prefetched) -> rules.Health:
    verdict = rules.assess(*facts_for(task, **prefetched), today=today, thresholds=thresholds())
    # Kinds owned by an app above tasks (projects, requests) refine the verdict with their rules.
    return extensions.refine_health(task, verdict, today)


def apply(task, result: rules.Health, today: dt.date) -> list[str]:
    """Copy an assessment onto the task (unsaved); returns the names of the fields that changed."""
    changed = []
    values = {
        "health": result.level,
        "health_reasons": list(result.reasons),
        "expected_percent": result.expected_percent,
        "progress_percent": result.actual_percent,
    }
    for name, value in values.items():
        if getattr(task, name) != value:
            setattr(task, name, value)
            changed.append(name)
    if "health" in changed or task.health_since is None:
        task.health_since = today
        changed.append("health_since")
    task.health_checked_on = today
    changed.append("health_checked_on")
    return changed


def health_refresh(*, task, today: dt.date | None = None) -> bool:
    """Re-assess one task and save what changed; True when its level changed."""
    today = today or timezone.localdate()
    before = task.health
    changed = apply(task, assess_task(task, today), today)
    # update() rather than save(): health is derived, not a user's change, so it neither bumps the
    # version nor writes a history row.
    type(task).objects.filter(pk=task.pk).update(**{name: getattr(task, name) for name in changed})
    if task.health != before:
        health_changed.send(sender=type(task), task=task, before=before, after=task.health, today=today)
    return task.health != before


#: What an assessment writes on a task (`apply`).
HEALTH_FIELDS = ["health", "health_reasons", "health_since", "expected_percent", "progress_percent", "health_checked_on"]


def store_health(model, changed, checked_ids, today: dt.date, *, batch: int = 1000) -> None:
    """Save the assessments of many tasks: ``changed`` (assessed with `apply`, some field other than
    the check date changed) get every health field, the rest of ``checked_ids`` only the check date.
    On PostgreSQL one ``UPDATE … FROM unnest(…)`` per batch (an array per column): Django's ``bulk_update`` builds a
    CASE per field and row, which costs more than the whole assessment."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _update_from_arrays(model, changed, batch)
        else:
            model.objects.bulk_update(changed, HEALTH_FIELDS, batch_size=500)
        model.objects.filter(pk__in=checked_ids).exclude(health_checked_on=today).update(health_checked_on=today)


def _update_from_arrays(model, tasks, batch: int) -> None:
    q = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in HEALTH_FIELDS]
    # One typed array per column: a VALUES list of seven thousand parameters cost more to build
    # and parse than the update itself.
    types = ["bigint", "text", "jsonb", "date", "double precision", "double precision", "date"]
    arrays = ", ".join(f"%b::{t}[]" for t in types)
    aliases = ", ".join(f"c{i}" for i in range(len(types)))
    assignments = ", ".join(f"{q(c)} = v.c{i + 1}" for i, c in enumerate(columns))
    with bulk.array_cursor() as cursor:
        for start in range(0, len(tasks), batch):
            chunk = tasks[start : start + batch]
            params = [
                [t.pk for t in chunk], [t.health for t in chunk], [json.dumps(t.health_reasons) for t in chunk],
                [t.health_since for t in chunk], [t.expected_percent for t in chunk], [t.progress_percent for t in chunk],
                [t.health_checked_on for t in chunk],
            ]
            cursor.execute(
                f"UPDATE {q(model._meta.db_table)} AS t SET {assignments} FROM unnest({arrays}) AS v({aliases}) WHERE t.id = v.c0",
                params,
            )
