"""What a user may see and do with enterprise requests.

* see: supervisors and admins every request (the intake queue included); everyone else a request
  once assigned, exactly when they see its backing task (`Request.objects.visible_to`);
* classify, assign, decline, verify and call back: supervisors;
* propose a solution, report progress, report it solved: the lead unit's liaison;
* the public status page: whoever holds the receipt number, and only that request's status and
  the office's reply."""

from __future__ import annotations

from luoshi.orgs.access import get_object_for_user, is_supervisor
from luoshi.tasks.access import task_roles

from .models import Request


def is_lead(user, request: Request) -> bool:
    return request.task is not None and "lead_unit" in task_roles(user, request.task)


def may_work(user, request: Request) -> bool:
    return is_supervisor(user) or is_lead(user, request)


def get_request_for_user(user, pk, write: bool = False) -> Request:
    queryset = Request.objects.select_related("task", "task__lead_unit")
    return get_object_for_user(queryset, user, pk, write=write, may_write=may_work)
