"""The one place that decides what a user may see and change in the org directory, and the unit
scope every other app builds on (`visible_unit_ids`).

Rules (PRODUCT.md, Roles):
- admin and supervisor see everything;
- a leader sees the units they oversee (分管) and their sub-units, plus their own unit; a leader
  marked `sees_all_units` (主要领导) sees everything;
- a unit liaison sees their own unit and its sub-units only;
- anyone else sees nothing.
Only admins change the directory.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from .models import Unit, User

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_luoshi_visible_unit_ids"


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == "admin"))


def sees_everything(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_admin(user) or user.role == "supervisor":
        return True
    return user.role == "leader" and user.sees_all_units


def visible_unit_ids(user) -> frozenset[int] | None:
    """The ids of the units whose work `user` may read; None means every unit."""
    if sees_everything(user):
        return None
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roots: set[int] = set()
    if user.unit_id:
        roots.add(user.unit_id)
    if user.role == "leader":
        roots.update(user.oversees.values_list("pk", flat=True))
    ids = frozenset(_with_descendants(roots)) if roots else frozenset()
    setattr(user, _CACHE_ATTR, ids)
    return ids


def forget(user) -> None:
    """Drop the cached scope after the user's unit or oversight changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _with_descendants(roots: set[int]) -> set[int]:
    from .models import Unit

    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, ()))
    return seen


def get_object_for_user(queryset: QuerySet[M], user, pk, *, write: bool = False, may_write=None) -> M:
    """Fetch one object through `queryset.visible_to(user)`: 404 when the user may not see it,
    403 when they may see but not change it."""
    try:
        obj = queryset.visible_to(user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404
    if write and not (may_write or (lambda u, o: is_admin(u)))(user, obj):
        raise PermissionDenied
    return obj


def get_unit_for_user(user: User, pk, write: bool = False) -> Unit:
    from .models import Unit

    return get_object_for_user(Unit.objects.all(), user, pk, write=write)


def get_person_for_user(user: User, pk, write: bool = False) -> User:
    from .models import User

    return get_object_for_user(User.objects.select_related("unit"), user, pk, write=write)


# --- directives and tasks --------------------------------------------------------------------
# Directives are the office's working material: supervisors and admins see all of them, leaders see
# the published ones, unit liaisons none (they see each task's source sentence on the task itself).


def is_supervisor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (is_admin(user) or user.role == "supervisor"))


def filter_directives(queryset, user):
    if is_supervisor(user):
        return queryset
    if user and user.is_authenticated and user.is_active and user.role == "leader":
        return queryset.filter(status="published")
    return queryset.none()


def get_directive_for_user(user, pk, write: bool = False):
    from luoshi.directives.models import Directive

    return get_object_for_user(Directive.objects.all(), user, pk, write=write, may_write=lambda u, o: is_supervisor(u))


def filter_tasks(queryset, user):
    """Supervisors and admins see every task; others see published tasks whose lead unit or one of
    whose co-units is in their scope, and leaders also the tasks they lead."""
    from django.db.models import Q

    from luoshi.tasks.models import Task

    if is_supervisor(user):
        return queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    ids = visible_unit_ids(user)
    if ids is None:  # a leader who sees all units
        return queryset.exclude(status="draft")
    co = Task.co_units.through.objects.filter(unit_id__in=ids).values("task_id")
    scope = Q(lead_unit_id__in=ids) | Q(pk__in=co)
    if user.role == "leader":
        scope |= Q(lead_leader=user)
    return queryset.filter(scope).exclude(status="draft")


def task_roles(user, task) -> set[str]:
    """The relationships `user` holds to `task`, in the terms of the workflow table:
    'supervisor', 'lead_unit', 'co_unit', 'leader'."""
    roles: set[str] = set()
    if not (user and user.is_authenticated and user.is_active):
        return roles
    if is_supervisor(user):
        roles.add("supervisor")
    if user.role == "liaison" and user.unit_id:
        own = _with_descendants({user.unit_id})
        if task.lead_unit_id in own:
            roles.add("lead_unit")
        if any(unit.pk in own for unit in task.co_units.all()):
            roles.add("co_unit")
    if user.role == "leader":
        ids = visible_unit_ids(user)
        if ids is None or task.lead_unit_id in ids or task.lead_leader_id == user.pk:
            roles.add("leader")
    return roles


def get_task_for_user(user, pk, write: bool = False):
    """A task the user may see (404 otherwise); with write=True, one they may work on: the lead or
    a co-unit's liaison, or a supervisor (403 otherwise)."""
    from luoshi.tasks.models import Task

    return get_object_for_user(
        Task.objects.select_related("lead_unit", "lead_leader", "directive"),
        user,
        pk,
        write=write,
        may_write=lambda u, t: bool(task_roles(u, t) & {"supervisor", "lead_unit", "co_unit"}),
    )
