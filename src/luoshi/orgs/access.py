"""The building blocks every app's access rules stand on: who the user is (`is_admin`,
`is_supervisor`, `sees_everything`), which units they see (`visible_unit_ids`), the generic
`get_object_for_user`, and the system actor. The rules for each app's own objects live in that
app's `access.py`; the role rules themselves are defined once, on `User`.

Only admins change the directory.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import OWN_CACHE_ATTR, JobRun, Unit, User, forget, signed_in, visible_unit_ids

__all__ = [
    "SYSTEM", "forget", "get_job_for_user", "get_job_result_for_user", "get_object_for_user", "get_person_for_user", "get_unit_for_user", "is_admin", "is_staff_member",
    "in_scope", "is_supervisor", "is_system", "own_unit_ids", "require_actor", "scope_filter", "sees_everything", "signed_in",
    "user_or_none", "visible_unit_ids",
]

M = TypeVar("M", bound=Model)


class SystemActor:
    """The office's own unattended work: the daily sweep, the demo loader, imports run from the
    shell. It may do what an admin may, and is recorded as nobody (no user row) where a change
    names who made it. Services refuse `actor=None`: the system acts only when named."""

    pk = id = None
    unit_id = None
    unit = None
    role = "system"
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_admin = True
    is_supervisor = True
    sees_everything = True
    sees_all_units = True
    name = username = "system"

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def require_actor(actor) -> None:
    """Every service names who acts; None would silently mean "anyone"."""
    if actor is None:
        raise TypeError("actor is required: pass the user, or SYSTEM for the office's own work")


def is_system(actor) -> bool:
    return actor is SYSTEM


def user_or_none(actor):
    """The user to record as having made a change: None when the system made it."""
    require_actor(actor)
    return None if actor is SYSTEM else actor


def is_admin(user) -> bool:
    return signed_in(user) and user.is_admin


def is_supervisor(user) -> bool:
    return signed_in(user) and user.is_supervisor


def sees_everything(user) -> bool:
    return signed_in(user) and user.sees_everything


def is_staff_member(user) -> bool:
    """Anyone signed in with a role in the office (or a superuser)."""
    return signed_in(user) and bool(user.is_superuser or user.role)


def own_unit_ids(user) -> set[int]:
    """A liaison's own unit and the units below it (not the units a leader oversees). Kept on the
    user object, as :func:`visible_unit_ids` keeps the scope: one page asks several times (the task
    page: the user's roles, the report form, each with the tree of units read again)."""
    if not signed_in(user) or not user.unit_id:
        return set()
    cached = getattr(user, OWN_CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(Unit.objects.with_descendants({user.unit_id}))
        setattr(user, OWN_CACHE_ATTR, cached)
    return set(cached)


def scope_filter(queryset, user, field: str):
    """Rows whose `field` (a unit id) is in the user's scope."""
    if not signed_in(user):
        return queryset.none()
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def in_scope(user, unit_id) -> bool:
    """Whether a row of ``unit_id`` is one ``scope_filter(…, user, …)`` keeps: the same rule for a
    few rows already read (a task's supervision actions) as for a query."""
    if not signed_in(user):
        return False
    ids = visible_unit_ids(user)
    return ids is None or unit_id in ids


def get_object_for_user(queryset: QuerySet[M], user, pk, *, write: bool = False, may_write=None) -> M:
    """Fetch one object through `queryset.visible_to(user)`: 404 when the user may not see it,
    403 when they may see but not change it."""
    try:
        obj = queryset.visible_to(user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404
    return check_write(user, obj, write=write, may_write=may_write)


def check_write(user, obj: M, *, write: bool = False, may_write=None) -> M:
    """``obj``, read through the user's scope, if they may change it or only read it (403 otherwise)."""
    if write and not (may_write or (lambda u, o: is_admin(u)))(user, obj):
        raise PermissionDenied
    return obj


def get_unit_for_user(user, pk, write: bool = False) -> Unit:
    return get_object_for_user(Unit.objects.all(), user, pk, write=write)


def get_person_for_user(user, pk, write: bool = False) -> User:
    return get_object_for_user(User.objects.select_related("unit"), user, pk, write=write)


def get_job_for_user(user, pk) -> JobRun:
    """A background job its owner or an admin may look at; 404 for everyone else."""
    return get_object_for_user(JobRun.objects.select_related("user"), user, pk)


def get_job_result_for_user(user, pk) -> JobRun:
    """A job whose result file `user` may download: only the person who ran it, because the file
    holds the rows their scope let them see; 404 for anyone else (admins too) and while there is
    no file."""
    job = get_job_for_user(user, pk)
    if job.user_id != user.pk or not job.result_file:
        raise Http404
    return job
