"""Who may read and change tasks and the rows that belong to them (reports, attachments,
extension requests, instructions). Reads: `Task.objects.visible_to(user)` (in models); one object:
`get_<thing>_for_user(user, pk, write=False)` — 404 outside the user's scope, 403 when visible but
not writable. The services decide write permission with the predicates below."""

from __future__ import annotations

import functools

from django.http import Http404

from luoshi.core.rows import Prepared, attnames, objects
from luoshi.orgs.access import SYSTEM, check_write, get_object_for_user, is_supervisor, own_unit_ids, signed_in, visible_unit_ids

from . import workflow
from .models import Attachment, ExtensionRequest, ProgressReport, Task, scope_from_markers, scope_markers, task_scope


def task_roles(user, task) -> set[str]:
    """The relationships `user` holds to `task`, in the terms of the workflow table:
    'supervisor', 'lead_unit', 'co_unit', 'leader' (and 'system' for the system actor)."""
    if user is SYSTEM:
        return {workflow.SUPERVISOR, workflow.LEAD_UNIT, workflow.SYSTEM}
    roles: set[str] = set()
    if not signed_in(user):
        return roles
    if is_supervisor(user):
        roles.add("supervisor")
    if user.role == "liaison" and user.unit_id:
        own = own_unit_ids(user)
        if task.lead_unit_id in own:
            roles.add("lead_unit")
        if any(unit.pk in own for unit in task.co_units.all()):
            roles.add("co_unit")
    if user.role == "leader":
        ids = visible_unit_ids(user)
        if ids is None or task.lead_unit_id in ids or task.lead_leader_id == user.pk:
            roles.add("leader")
    return roles


def may_work_on(user, task) -> bool:
    """The lead or a co-unit's liaison, or a supervisor."""
    return bool(task_roles(user, task) & {"supervisor", "lead_unit", "co_unit"})


def may_edit_plan(user) -> bool:
    return is_supervisor(user)


def may_act(user, task, action: str) -> bool:
    """Whether the workflow table lets `user` take `action` on `task` from any state."""
    roles = task_roles(user, task)
    return workflow.MACHINE.may(action, roles)


def report_unit_ids(user, task) -> list[int]:
    """The units `user` may report progress for on `task`: a liaison reports for the lead unit and
    for each co-unit that is their own unit or one of its sub-units. Supervisors and leaders read
    reports; they do not write them."""
    if not signed_in(user) or user.role != "liaison" or not user.unit_id:
        return []
    own = own_unit_ids(user)
    ids = [task.lead_unit_id] if task.lead_unit_id in own else []
    ids += [unit.pk for unit in task.co_units.all() if unit.pk in own and unit.pk not in ids]
    return ids


def may_instruct(user, task) -> bool:
    """领导批示: supervisors, and leaders who may see the task."""
    return bool(task_roles(user, task) & {"supervisor", "leader"})


def may_request_extension(user, task) -> bool:
    return "lead_unit" in task_roles(user, task)


# A task with its lead unit, lead leader and directive, as the task page and the services read it;
# the directive's text (a whole speech) is not read.
_RELATED = ("lead_unit", "lead_leader", "directive")


def _task_columns() -> tuple[str, ...]:
    own = list(attnames(Task))
    related = []
    for name in _RELATED:
        target = Task._meta.get_field(name).related_model
        related += [f"{name}__{f.attname}" for f in target._meta.concrete_fields if (name, f.name) != ("directive", "text")]
    return (*own, *related)


_TASK_COLUMNS = _task_columns()


@functools.cache
def _task_read(shape: tuple) -> Prepared:
    """A task read through a scope of ``shape`` (``models.scope_markers``), compiled once: whoever
    sees every task, or the tasks of so many units (and a leader's own), reads one with the same
    statement, their ids put where its markers were."""
    def build(pk, leader_id, u1, u2, u3, u4, u5, u6):
        scope = scope_from_markers(shape, leader_id, u1, u2, u3, u4, u5, u6)
        return Task.objects.within(scope, few=True).filter(pk=pk).values(*_TASK_COLUMNS)
    return Prepared(build)


def get_task_for_user(user, pk, write: bool = False) -> Task:
    """A task the user may see (404 otherwise); with write=True, one they may work on (403)."""
    compiled = scope_markers(task_scope(user))
    if compiled is None:
        return get_object_for_user(
            Task.objects.select_related(*_RELATED).defer("directive__text"), user, pk, write=write, may_write=may_work_on
        )
    shape, values = compiled
    try:
        found = objects(Task, _task_read(shape).rows(int(pk), *values), related=_RELATED)
    except (ValueError, TypeError, OverflowError):
        raise Http404
    if not found:
        raise Http404
    return check_write(user, found[0], write=write, may_write=may_work_on)


def get_report_for_user(user, pk, write: bool = False) -> ProgressReport:
    """A progress report of a visible task (404 otherwise); with write=True (to correct it) the
    user must report for the report's unit (403 otherwise)."""
    return get_object_for_user(
        ProgressReport.objects.select_related("task", "unit"),
        user,
        pk,
        write=write,
        may_write=lambda u, r: r.unit_id in report_unit_ids(u, r.task),
    )


def get_attachment_for_user(user, pk) -> Attachment:
    return get_object_for_user(Attachment.objects.all(), user, pk)


def get_extension_for_user(user, pk, write: bool = False) -> ExtensionRequest:
    """An extension request of a visible task; with write=True (to decide it) a supervisor."""
    return get_object_for_user(
        ExtensionRequest.objects.select_related("task"), user, pk, write=write, may_write=lambda u, e: is_supervisor(u)
    )
