"""Adapter between the task models and the pure health rules (`health.assess`): gathers a task's
facts, assesses them and stores the result on the task. Used wherever health may change: the daily
sweep, a report submitted, a transition, a deadline moved."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from . import health as rules


def thresholds() -> rules.Thresholds:
    return rules.Thresholds.from_settings(getattr(settings, "LUOSHI", {}))


def facts_for(task, reports=None, milestones=None, transitions=None):
    """(TaskFacts, [ReportFacts], [MilestoneFacts]) for a task. Pass prefetched lists to avoid
    queries in bulk work. Health follows the lead unit's reports: it answers for the task."""
    if reports is None:
        reports = list(task.reports.filter(unit_id=task.lead_unit_id))
    else:
        reports = [r for r in reports if r.unit_id == task.lead_unit_id]
    if milestones is None:
        milestones = list(task.milestones.all())
    start = task.start_on or task.published_on or (task.created_at.date() if task.created_at else dt.date.today())
    deadline = task.deadline or start
    closure_requested_on = None
    if task.status == "closure_requested":
        if transitions is None:
            transitions = list(task.transitions.filter(to_status="closure_requested").order_by("-created_at")[:1])
        requested = [t for t in transitions if t.to_status == "closure_requested"]
        if requested:
            closure_requested_on = max(t.created_at for t in requested).date()
    task_facts = rules.TaskFacts(
        start=start,
        deadline=max(deadline, start),
        status=task.status,
        cadence=task.cadence,
        due_day=task.due_day,
        closed_on=task.closed_on,
        closure_requested_on=closure_requested_on,
        reporting_from=task.published_on or start,
    )
    report_facts = [
        rules.ReportFacts(period_key=r.period_key, submitted_on=r.submitted_on, percent=r.percent, superseded=r.superseded)
        for r in reports
    ]
    milestone_facts = [rules.MilestoneFacts(date=m.due_on, planned_percent=m.planned_percent, description=m.description) for m in milestones]
    return task_facts, report_facts, milestone_facts


def assess_task(task, today: dt.date, **prefetched) -> rules.Health:
    return rules.assess(*facts_for(task, **prefetched), today=today, thresholds=thresholds())


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
    from django.utils import timezone

    today = today or timezone.localdate()
    before = task.health
    changed = apply(task, assess_task(task, today), today)
    # update() rather than save(): health is derived, not a user's change, so it neither bumps the
    # version nor writes a history row.
    type(task).objects.filter(pk=task.pk).update(**{name: getattr(task, name) for name in changed})
    return task.health != before
