"""The task status machine, as ONE explicit table. Pure: no models, no database; the only Django
import is ``gettext_lazy``, which needs no settings until a label is rendered (messages go through
:mod:`luoshi.core.i18n`, Chinese when Django is not configured).

States
======
``draft`` 草稿 · ``in_progress`` 推进中 · ``closure_requested`` 申请销号 · ``closed`` 已销号 ·
``returned`` 已退回 (the closure request was returned; the unit keeps working) · ``suspended`` 已暂停
· ``cancelled`` 已撤销. Terminal (nothing leaves them): ``closed``, ``cancelled``.

Transitions (:data:`TABLE`; anything not listed is refused)
=================================================================
=====================  =====================  ===================  ===============  ======
from                   to                     action               who              reason
=====================  =====================  ===================  ===============  ======
draft                  in_progress            publish 发布          supervisor
in_progress            closure_requested      request_closure 申请销号  lead_unit
returned               closure_requested      request_closure 申请销号  lead_unit
closure_requested      closed                 verify_closure 销号   supervisor
closure_requested      returned               return 退回          supervisor       required
in_progress            suspended              suspend 暂停          supervisor       required
returned               suspended              suspend 暂停          supervisor       required
suspended              in_progress            resume 恢复           supervisor
draft                  cancelled              cancel 撤销           supervisor       required
in_progress            cancelled              cancel 撤销           supervisor       required
closure_requested      cancelled              cancel 撤销           supervisor       required
returned               cancelled              cancel 撤销           supervisor       required
suspended              cancelled              cancel 撤销           supervisor       required
=====================  =====================  ===================  ===============  ======

"who" names roles or relationships to the task (``supervisor``, ``lead_unit``; ``system`` and
``co_unit`` exist as names but no transition grants them anything). The caller works out which of
these the acting user holds for this task and passes them as ``actor_roles``.

A (from, action) pair names at most one row, so the target state is determined by the action.

API
===
* :func:`allowed` ``(from_state, action) -> Transition`` or raises :class:`InvalidTransition`:
  is the move in the table at all (who may do it is not checked).
* :func:`check` ``(from_state, action, actor_roles, reason=None) -> Transition``: the full check
  before a state change: the move exists, one of ``actor_roles`` may do it
  (:class:`ActionNotPermitted`), and a non-blank reason is given where the table requires one
  (:class:`ReasonRequired`). Both are subclasses of :class:`InvalidTransition` (a ``ValueError``).
* :func:`actions_from` ``(state, actor_roles) -> list[Transition]``: what to offer as buttons, in
  table order.
"""

from __future__ import annotations

from typing import Iterable

from django.utils.translation import gettext_lazy as _

from luoshi.core.i18n import gettext
from luoshi.core.statemachine import StateMachine, Transition, TransitionRefused

# -- states -----------------------------------------------------------------------------------
DRAFT = "draft"
IN_PROGRESS = "in_progress"
CLOSURE_REQUESTED = "closure_requested"
CLOSED = "closed"
RETURNED = "returned"
SUSPENDED = "suspended"
CANCELLED = "cancelled"

STATES = (DRAFT, IN_PROGRESS, CLOSURE_REQUESTED, CLOSED, RETURNED, SUSPENDED, CANCELLED)
TERMINAL_STATES = frozenset({CLOSED, CANCELLED})
#: States in which the task is being worked on, so health (red/yellow/green) is assessed.
ACTIVE_STATES = frozenset({IN_PROGRESS, CLOSURE_REQUESTED, RETURNED})

STATE_LABELS = {
    DRAFT: _("草稿"),
    IN_PROGRESS: _("推进中"),
    CLOSURE_REQUESTED: _("申请销号"),
    CLOSED: _("已销号"),
    RETURNED: _("已退回"),
    SUSPENDED: _("已暂停"),
    CANCELLED: _("已撤销"),
}
#: For a model field's ``choices``.
STATE_CHOICES = [(state, STATE_LABELS[state]) for state in STATES]

# -- actions ----------------------------------------------------------------------------------
PUBLISH = "publish"
REQUEST_CLOSURE = "request_closure"
VERIFY_CLOSURE = "verify_closure"
RETURN = "return"
SUSPEND = "suspend"
RESUME = "resume"
CANCEL = "cancel"

ACTIONS = (PUBLISH, REQUEST_CLOSURE, VERIFY_CLOSURE, RETURN, SUSPEND, RESUME, CANCEL)

ACTION_LABELS = {
    PUBLISH: _("发布"),
    REQUEST_CLOSURE: _("申请销号"),
    VERIFY_CLOSURE: _("销号"),
    RETURN: _("退回"),
    SUSPEND: _("暂停"),
    RESUME: _("恢复"),
    CANCEL: _("撤销"),
}

# -- roles / relationships --------------------------------------------------------------------
SUPERVISOR = "supervisor"
LEAD_UNIT = "lead_unit"
CO_UNIT = "co_unit"
SYSTEM = "system"
ROLES = (SUPERVISOR, LEAD_UNIT, CO_UNIT, SYSTEM)


#: THE table: (from, action) -> (to, who, reason required). Keep the module docstring in step with it.
TABLE = {
    (DRAFT, PUBLISH): (IN_PROGRESS, {SUPERVISOR}),
    (IN_PROGRESS, REQUEST_CLOSURE): (CLOSURE_REQUESTED, {LEAD_UNIT}),
    (RETURNED, REQUEST_CLOSURE): (CLOSURE_REQUESTED, {LEAD_UNIT}),
    (CLOSURE_REQUESTED, VERIFY_CLOSURE): (CLOSED, {SUPERVISOR}),
    (CLOSURE_REQUESTED, RETURN): (RETURNED, {SUPERVISOR}, True),
    (IN_PROGRESS, SUSPEND): (SUSPENDED, {SUPERVISOR}, True),
    (RETURNED, SUSPEND): (SUSPENDED, {SUPERVISOR}, True),
    (SUSPENDED, RESUME): (IN_PROGRESS, {SUPERVISOR}),
    (DRAFT, CANCEL): (CANCELLED, {SUPERVISOR}, True),
    (IN_PROGRESS, CANCEL): (CANCELLED, {SUPERVISOR}, True),
    (CLOSURE_REQUESTED, CANCEL): (CANCELLED, {SUPERVISOR}, True),
    (RETURNED, CANCEL): (CANCELLED, {SUPERVISOR}, True),
    (SUSPENDED, CANCEL): (CANCELLED, {SUPERVISOR}, True),
}


# -- errors -----------------------------------------------------------------------------------
class InvalidTransition(TransitionRefused):
    """The action is not possible from this state (or the state/action is unknown). The message is
    Chinese and built when shown, so raising needs no settings."""

    def __str__(self) -> str:
        if self.source not in STATE_LABELS:
            return gettext("未知的任务状态：%(state)s", state=self.source)
        if self.action not in ACTION_LABELS:
            return gettext("未知的操作：%(action)s", action=self.action)
        return gettext(
            "任务当前状态为“%(state)s”，不能%(action)s", state=STATE_LABELS[self.source], action=ACTION_LABELS[self.action]
        )


class ActionNotPermitted(InvalidTransition):
    """The move exists but none of the actor's roles may make it."""

    def __str__(self) -> str:
        return gettext("无权对该任务执行“%(action)s”操作", action=ACTION_LABELS[self.action])


class ReasonRequired(InvalidTransition):
    """The move requires a reason (退回、暂停、撤销) and none was given."""

    def __str__(self) -> str:
        return gettext("“%(action)s”须填写理由", action=ACTION_LABELS[self.action])


MACHINE = StateMachine(
    TABLE, states=STATES, labels=ACTION_LABELS, refused=InvalidTransition, not_permitted=ActionNotPermitted, reason_missing=ReasonRequired
)
#: The rows, in table order (each a :class:`luoshi.core.statemachine.Transition`).
TRANSITIONS: tuple[Transition, ...] = MACHINE.transitions


# -- queries ----------------------------------------------------------------------------------
def allowed(from_state: str, action: str) -> Transition:
    """The table row for (``from_state``, ``action``); raises :class:`InvalidTransition`."""
    return MACHINE.allowed(from_state, action)


def check(
    from_state: str, action: str, actor_roles: Iterable[str], reason: str | None = None
) -> Transition:
    """Everything to verify before changing state: the move exists, the actor may make it, and a
    reason is given where one is required (whitespace alone is no reason)."""
    return MACHINE.check(from_state, action, actor_roles, reason)


def actions_from(state: str, actor_roles: Iterable[str]) -> list[Transition]:
    """The transitions out of ``state`` that someone holding ``actor_roles`` may make, in table
    order. Raises :class:`InvalidTransition` for an unknown state."""
    if state not in STATE_LABELS:
        raise InvalidTransition(state, "")
    return MACHINE.actions_from(state, actor_roles)


def is_terminal(state: str) -> bool:
    return state in TERMINAL_STATES
