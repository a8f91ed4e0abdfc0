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


# --- rows that belong to a task (reports, attachments, extension requests, instructions) ---------
# Whoever may see the task may read them; who may write each kind is decided below.


def filter_task_rows(queryset, user):
    """Rows with a `task` foreign key, limited to the tasks `user` may see."""
    from luoshi.tasks.models import Task

    if is_supervisor(user):
        return queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    return queryset.filter(task__in=filter_tasks(Task.objects.all(), user).values("pk"))


def report_unit_ids(user, task) -> list[int]:
    """The units `user` may report progress for on `task`: a liaison reports for the lead unit and
    for each co-unit that is their own unit or one of its sub-units. Supervisors and leaders read
    reports; they do not write them."""
    if not (user and user.is_authenticated and user.is_active) or user.role != "liaison" or not user.unit_id:
        return []
    own = _with_descendants({user.unit_id})
    ids = [task.lead_unit_id] if task.lead_unit_id in own else []
    ids += [unit.pk for unit in task.co_units.all() if unit.pk in own and unit.pk not in ids]
    return ids


def may_instruct(user, task) -> bool:
    """领导批示: supervisors, and leaders who may see the task."""
    roles = task_roles(user, task)
    return bool(roles & {"supervisor", "leader"})


def may_see_directive(user, directive_id) -> bool:
    from luoshi.directives.models import Directive

    if directive_id is None:
        return False
    if is_supervisor(user):
        return True
    return filter_directives(Directive.objects.filter(pk=directive_id), user).exists()


def get_report_for_user(user, pk, write: bool = False):
    """A progress report of a visible task (404 otherwise); with write=True (to correct it) the
    user must report for the report's unit (403 otherwise)."""
    from luoshi.tasks.models import ProgressReport

    return get_object_for_user(
        ProgressReport.objects.select_related("task", "unit"),
        user,
        pk,
        write=write,
        may_write=lambda u, r: r.unit_id in report_unit_ids(u, r.task),
    )


def get_attachment_for_user(user, pk):
    from luoshi.tasks.models import Attachment

    return get_object_for_user(Attachment.objects.all(), user, pk)


def get_extension_for_user(user, pk, write: bool = False):
    """An extension request of a visible task; with write=True (to decide it) a supervisor."""
    from luoshi.tasks.models import ExtensionRequest

    return get_object_for_user(
        ExtensionRequest.objects.select_related("task"), user, pk, write=write, may_write=lambda u, e: is_supervisor(u)
    )


# --- decomposition items (directives app) ------------------------------------------------------
# A draft row of a 任务分解表 is seen by whoever may see its directive.


def filter_decomposition_items(queryset, user):
    from luoshi.directives.models import Directive

    return queryset.filter(directive__in=filter_directives(Directive.objects.all(), user))


def get_decomposition_item_for_user(user, directive, pk, write: bool = False):
    from luoshi.directives.models import DecompositionItem

    return get_object_for_user(
        DecompositionItem.objects.filter(directive=directive).select_related("directive", "lead_unit", "lead_leader", "task"),
        user,
        pk,
        write=write,
        may_write=lambda u, o: is_supervisor(u),
    )


# --- reports: 督查通报 -------------------------------------------------------------------------
# A bulletin is the office's document: supervisors draft, edit and issue it; once issued it is read
# by every leader and unit (it names units that lag), while drafts stay inside the office.


def filter_bulletins(queryset, user):
    if is_supervisor(user):
        return queryset
    if user and user.is_authenticated and user.is_active:
        return queryset.filter(status="issued")
    return queryset.none()


def get_bulletin_for_user(user, pk, write: bool = False):
    """A bulletin the user may read (404 otherwise); with write=True one they may edit or issue:
    supervisors only, and only while it is a draft (403 otherwise)."""
    from luoshi.reports.models import Bulletin

    return get_object_for_user(
        Bulletin.objects.all(), user, pk, write=write, may_write=lambda u, b: is_supervisor(u) and b.status == "draft"
    )


def may_see_dashboard(user) -> bool:
    """Everyone signed in has a dashboard; what it counts is cut down by `filter_tasks`."""
    return bool(user and user.is_authenticated and user.is_active)


# --- supervision (督办, notifications, review rounds, scoreboard) -----------------------------
# An action is addressed to one unit: that unit's people (and those of its parent units) read and
# answer it; leaders read the actions addressed to units they oversee; supervisors everything.
# Escalation proposals are the office's own working papers: supervisors only.


def _scope_filter(queryset, user, field: str):
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def filter_actions(queryset, user):
    if is_supervisor(user):
        return queryset
    return _scope_filter(queryset, user, "unit_id")


def may_reply_action(user, action) -> bool:
    """The liaisons of the addressed unit (or of a unit above it) answer; nobody else."""
    if not (user and user.is_authenticated and user.is_active) or user.role != "liaison" or not user.unit_id:
        return False
    ids = visible_unit_ids(user)
    return ids is not None and action.unit_id in ids


def get_action_for_user(user, pk, write: bool = False):
    """An action the user may see (404); write=True: one they may answer or (supervisors) close."""
    from luoshi.supervision.models import SupervisionAction

    return get_object_for_user(
        SupervisionAction.objects.select_related("unit", "issued_by", "replied_by", "closed_by"),
        user,
        pk,
        write=write,
        may_write=lambda u, a: is_supervisor(u) or may_reply_action(u, a),
    )


def filter_proposals(queryset, user):
    return queryset if is_supervisor(user) else queryset.none()


def get_proposal_for_user(user, pk, write: bool = False):
    from luoshi.supervision.models import EscalationProposal

    return get_object_for_user(EscalationProposal.objects.select_related("unit"), user, pk, write=write, may_write=lambda u, p: is_supervisor(u))


def filter_notifications(queryset, user):
    """Everyone reads their own inbox and nobody else's."""
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    return queryset.filter(recipient=user)


def get_notification_for_user(user, pk, write: bool = False):
    from luoshi.supervision.models import Notification

    return get_object_for_user(Notification.objects.select_related("message"), user, pk, write=write, may_write=lambda u, n: n.recipient_id == u.pk)


def filter_review_rounds(queryset, user):
    """Supervisors and leaders who see all units read every round; others the rounds that ask
    something of a unit in their scope."""
    if is_supervisor(user) or sees_everything(user):
        return queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    from luoshi.supervision.models import ReviewItem

    ids = visible_unit_ids(user)
    return queryset.filter(pk__in=ReviewItem.objects.filter(unit_id__in=ids).values("round_id"))


def get_review_round_for_user(user, pk, write: bool = False):
    from luoshi.supervision.models import ReviewRound

    return get_object_for_user(ReviewRound.objects.all(), user, pk, write=write, may_write=lambda u, r: is_supervisor(u))


def filter_review_items(queryset, user):
    if is_supervisor(user):
        return queryset
    return _scope_filter(queryset, user, "unit_id")


def may_confirm_review_item(user, item) -> bool:
    if not (user and user.is_authenticated and user.is_active) or user.role != "liaison" or not user.unit_id:
        return False
    ids = visible_unit_ids(user)
    return ids is not None and item.unit_id in ids


def get_review_item_for_user(user, pk, write: bool = False):
    from luoshi.supervision.models import ReviewItem

    return get_object_for_user(
        ReviewItem.objects.select_related("round", "task", "unit"), user, pk, write=write, may_write=may_confirm_review_item
    )


def scoreboard_unit_ids(user) -> frozenset[int] | None:
    """The scoreboard rows a user reads (ranks are always computed over every unit): supervisors and
    leaders who see all units every row; others the units in their scope."""
    if is_supervisor(user):
        return None
    return visible_unit_ids(user)


# --- indicator benchmarking (指标对标) ----------------------------------------------------------
# An evaluation's results (composite rank, tiers) concern the whole city, so every signed-in member
# of staff may read an indicator set. Supervisors, admins and leaders read every indicator in it; a
# unit liaison reads only the indicators their unit (or a sub-unit) is responsible for — that is
# the work they answer for, and a liaison has no business reading another unit's weak spots. Only
# supervisors and admins import, edit, or turn an indicator into a task.


def _is_staff_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role))


def may_manage_indicators(user) -> bool:
    return is_supervisor(user)


def indicator_unit_scope(user) -> frozenset[int] | None:
    """The responsible units whose indicators `user` may read; None means every indicator."""
    if not _is_staff_member(user):
        return frozenset()
    if is_supervisor(user) or user.role == "leader":
        return None
    return visible_unit_ids(user) or frozenset()


def may_read_indicator(user, indicator) -> bool:
    scope = indicator_unit_scope(user)
    return scope is None or indicator.responsible_unit_id in scope


def filter_indicator_sets(queryset, user):
    return queryset if _is_staff_member(user) else queryset.none()


def filter_indicators(queryset, user):
    scope = indicator_unit_scope(user)
    if scope is None:
        return queryset
    return queryset.filter(responsible_unit_id__in=scope)


def get_indicator_set_for_user(user, pk, write: bool = False):
    from luoshi.indicators.models import IndicatorSet

    return get_object_for_user(IndicatorSet.objects.all(), user, pk, write=write, may_write=lambda u, o: may_manage_indicators(u))


def get_indicator_for_user(user, pk, write: bool = False):
    from luoshi.indicators.models import Indicator

    return get_object_for_user(
        Indicator.objects.select_related("indicator_set", "responsible_unit"),
        user,
        pk,
        write=write,
        may_write=lambda u, o: may_manage_indicators(u),
    )
