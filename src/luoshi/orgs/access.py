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
