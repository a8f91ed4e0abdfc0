"""How requests plug into the task machinery (registered in `RequestsConfig.ready`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.core.i18n import ngettext_noop
from luoshi.orgs import access as org_access
from luoshi.tasks import workflow

from .models import Request, Status

PROPOSAL_LATE = ngettext_noop("交办已%(count)s天，尚未提出解决方案", "交办已%(count)s天，尚未提出解决方案")


def proposal_late_days(request: Request, today: dt.date) -> int:
    """Days past the proposal due date with no solution proposed (0 when not late)."""
    if request.status != Status.ASSIGNED or request.proposal_due is None:
        return 0
    return max(0, (today - request.proposal_due).days)


def preload_health(tasks) -> None:
    """The requests of many tasks in one query."""
    found = Request.objects.filter(task_id__in=[t.pk for t in tasks]).only("task_id", "status", "proposal_due", "assigned_on")
    by_task = {r.task_id: r for r in found}
    for task in tasks:
        task.health_request = by_task.get(task.pk)


def refine_health(task, verdict, today: dt.date):
    """A request is judged like any task (overdue past its 办结时限 → red, so it joins the 督办
    ladder), and also turns red when no solution was proposed by the due date."""
    if verdict.level not in ("red", "yellow", "green"):
        return verdict
    if "health_request" in task.__dict__:
        request = task.health_request
    else:
        request = Request.objects.filter(task_id=task.pk).only("status", "proposal_due", "assigned_on").first()
    if request is None:
        return verdict
    late = proposal_late_days(request, today)
    if not late:
        return verdict
    days = (today - request.assigned_on).days if request.assigned_on else late
    reason = {"m": PROPOSAL_LATE[0], "pl": PROPOSAL_LATE[1], "n": days, "p": {}}
    return dataclasses.replace(verdict, level="red", reasons=[reason, *verdict.reasons])


def page_for(task):
    request_id = Request.objects.filter(task_id=task.pk).values_list("pk", flat=True).first()
    if request_id is None:
        return None
    return _("企业诉求"), reverse("requests:detail", args=[request_id])


def workbench_panel(user, today: dt.date) -> dict | None:
    """待办诉求: for the office, requests to assign and to verify; for a unit, its open requests."""
    if not user.is_authenticated:
        return None
    if org_access.is_supervisor(user):
        rows = list(
            Request.objects.filter(status__in=(Status.RECEIVED, Status.SOLVED)).select_related("task__lead_unit").order_by("received_on", "pk")[:20]
        )
    elif user.role in ("liaison", "leader"):
        rows = list(
            Request.objects.visible_to(user).filter(status__in=(Status.ASSIGNED, Status.PROPOSED, Status.SOLVED))
            .select_related("task__lead_unit").order_by("solve_by", "pk")[:20]
        )
    else:
        return None
    if not rows:
        return None
    for row in rows:
        row.overdue = bool(row.solve_by and row.solve_by < today and row.status != Status.SOLVED)
        row.proposal_late = proposal_late_days(row, today)
    return {"template": "requests/_workbench.html", "requests": rows, "active_states": workflow.ACTIVE_STATES}
