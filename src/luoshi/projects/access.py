"""What a user may see and change of the project ledger. A project is seen by whoever sees its
backing task (`luoshi.orgs.access.filter_tasks`): a liaison sees the projects their unit leads
or shares, a leader those of the units they oversee, supervisors and admins all of them.

* plan, stages' planned dates, batches, 盘活 flags, import: supervisors;
* a stage reached, a monthly report: the lead unit's liaison (or a supervisor)."""

from __future__ import annotations

from luoshi.orgs.access import get_object_for_user, is_supervisor
from luoshi.tasks.access import task_roles

from .models import Project


def may_report(user, project: Project) -> bool:
    return bool(task_roles(user, project.task) & {"supervisor", "lead_unit"})


def may_file_month(user, project: Project) -> bool:
    """Monthly reports are the unit's account of its work: the lead unit files them."""
    return "lead_unit" in task_roles(user, project.task)


def may_edit(user, project: Project) -> bool:
    return is_supervisor(user)


def get_project_for_user(user, pk, write: bool = False) -> Project:
    """404 outside the user's scope; with write=True, 403 unless the user may report on it."""
    queryset = Project.objects.select_related("task", "task__lead_unit", "task__lead_leader", "stage", "batch")
    return get_object_for_user(queryset, user, pk, write=write, may_write=may_report)
