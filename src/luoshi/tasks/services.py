"""Changes to tasks. Every write goes through one of these functions (views, API, commands, tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.orgs import access

from . import workflow
from .models import Milestone, Task, TaskTransition


class TaskError(Exception):
    """A change that cannot be made; the message is for the user."""


class VersionConflict(TaskError):
    def __init__(self):
        super().__init__(_("该任务已被他人修改，请刷新页面后再保存（您的修改未保存）。"))


def _next_position(*, directive_id, parent_id) -> int:
    siblings = Task.objects.filter(parent_id=parent_id)
    if parent_id is None:
        siblings = siblings.filter(directive_id=directive_id)
    return (siblings.aggregate(m=Max("position"))["m"] or 0) + 1


def _number(parent: Task | None, position: int) -> str:
    return f"{parent.number}.{position}" if parent and parent.number else str(position)


@transaction.atomic
def task_create(
    *,
    actor,
    title: str,
    lead_unit=None,
    co_units: Iterable = (),
    directive=None,
    parent: Task | None = None,
    measures: str = "",
    lead_leader=None,
    responsible_person=None,
    start_on: dt.date | None = None,
    deadline: dt.date | None = None,
    deadline_text: str = "",
    cadence: str = "monthly",
    due_day: int | None = None,
    kind: str = "key",
    tags: str = "",
    target_text: str = "",
    target_value=None,
    source_start: int | None = None,
    source_end: int | None = None,
    source_text: str = "",
    milestones: Iterable[tuple[dt.date, str, int]] = (),
) -> Task:
    """Create a draft task (publish it with `task_publish`). Sub-tasks inherit the directive."""
    if actor is not None and not access.is_supervisor(actor):
        raise TaskError(_("只有督查员可以创建任务。"))
    title = (title or "").strip()
    if not title:
        raise TaskError(_("工作任务不能为空。"))
    if deadline and start_on and deadline < start_on:
        raise TaskError(_("完成时限不能早于开始日期。"))
    if parent is not None:
        directive = parent.directive
    position = _next_position(directive_id=directive.pk if directive else None, parent_id=parent.pk if parent else None)
    task = Task(
        title=title[:300],
        directive=directive,
        parent=parent,
        position=position,
        number=_number(parent, position),
        measures=measures,
        lead_unit=lead_unit,
        lead_leader=lead_leader,
        responsible_person=responsible_person,
        start_on=start_on,
        deadline=deadline,
        deadline_text=deadline_text[:100],
        cadence=cadence,
        due_day=due_day,
        kind=kind,
        tags=tags,
        target_text=target_text,
        target_value=target_value,
        source_start=source_start,
        source_end=source_end,
        source_text=source_text,
        created_by=actor,
    )
    task.save()
    co = [u for u in co_units if lead_unit is None or u.pk != lead_unit.pk]
    if co:
        task.co_units.set(co)
    for due_on, description, percent in milestones:
        Milestone.objects.create(task=task, due_on=due_on, description=description, planned_percent=percent)
    return task


def _bump(task: Task, expected_version: int | None, **fields) -> None:
    """Save `fields` only if nobody changed the task since `expected_version` was read."""
    version = task.version if expected_version is None else expected_version
    updated = Task.objects.filter(pk=task.pk, version=version).update(version=F("version") + 1, **fields)
    if not updated:
        raise VersionConflict()
    task.refresh_from_db()


@transaction.atomic
def task_transition(
    *,
    actor,
    task: Task,
    action: str,
    reason: str = "",
    evidence: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> TaskTransition:
    """Move a task through the workflow table, recording who, when and why."""
    roles = access.task_roles(actor, task) if actor is not None else {"supervisor", "lead_unit", "system"}
    try:
        step = workflow.check(task.status, action, roles, reason=reason)
    except workflow.InvalidTransition as exc:
        raise TaskError(str(exc)) from exc
    if action == "publish":
        missing = [label for label, value in ((_("牵头单位"), task.lead_unit_id), (_("完成时限"), task.deadline)) if not value]
        if missing:
            raise TaskError(_("发布前请填写：%(fields)s。") % {"fields": "、".join(missing)})
    today = today or timezone.localdate()
    fields = {"status": step.target, "status_changed_at": timezone.now()}
    if action == "publish":
        fields["published_on"] = today
        if task.start_on is None:
            fields["start_on"] = today
    if step.target == workflow.CLOSED:
        fields["closed_on"] = today
    from_status = task.status
    _bump(task, expected_version, **fields)
    record = TaskTransition.objects.create(
        task=task, action=action, from_status=from_status, to_status=step.target, actor=actor, reason=reason, evidence=evidence
    )
    from luoshi.supervision.assess import health_refresh

    health_refresh(task=task, today=today)
    return record


def task_publish(*, actor, task: Task, today: dt.date | None = None) -> TaskTransition:
    return task_transition(actor=actor, task=task, action="publish", today=today)


EDITABLE_FIELDS = {
    "title", "measures", "target_text", "target_value", "kind", "tags", "lead_leader", "lead_unit",
    "responsible_person", "start_on", "deadline", "deadline_text", "cadence", "due_day",
}


@transaction.atomic
def task_update(*, actor, task: Task, expected_version: int, co_units: Iterable | None = None, **changes) -> Task:
    """Edit a task's plan (supervisors). Refused when the task changed since `expected_version`."""
    if actor is not None and not access.is_supervisor(actor):
        raise TaskError(_("只有督查员可以修改任务。"))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TaskError(f"unknown fields: {sorted(unknown)}")
    if task.is_terminal:
        raise TaskError(_("已销号或已撤销的任务不能修改。"))
    start, deadline = changes.get("start_on", task.start_on), changes.get("deadline", task.deadline)
    if start and deadline and deadline < start:
        raise TaskError(_("完成时限不能早于开始日期。"))
    _bump(task, expected_version, **changes)
    if co_units is not None:
        task.co_units.set([u for u in co_units if u.pk != task.lead_unit_id])
    # A save() after the guarded update writes the history row with the actor.
    task._history_user = actor
    task.save(update_fields=list(changes) or ["updated_at"])
    from luoshi.supervision.assess import health_refresh

    health_refresh(task=task)
    return task
