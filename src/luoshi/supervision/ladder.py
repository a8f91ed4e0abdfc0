"""The supervision ladder (督办) and the status machine of one supervision action, as explicit
tables. Pure: no models, no database; only ``gettext_lazy`` from Django.

Ladder (lowest first; ``LADDER.index(kind)`` is the step)
=========================================================
提醒 ``remind`` → 催办 ``urge`` → 督办单 ``order`` → 通报 ``circulate`` → 约谈 ``interview`` → 问责
``accountability``. Each action is numbered per kind and year: 督办〔2026〕12号 (``PREFIX``).

Action status
=============
==========  ==========  ===============  ==========  ======
from        to          event            who         reason
==========  ==========  ===============  ==========  ======
issued      replied     reply 答复        unit        required (the reply text)
overdue     replied     reply 答复        unit        required
issued      overdue     expire 逾期       system
replied     issued      reopen 退回答复   supervisor  required
replied     closed      close 办结        supervisor
issued      closed      close 办结        supervisor  required
overdue     closed      close 办结        supervisor  required
==========  ==========  ===============  ==========  ======

Closing an action that was never answered needs a reason (why the office lets it go).
"""

from __future__ import annotations

from typing import Iterable

from django.utils.translation import gettext_lazy as _

from luoshi.core.i18n import gettext
from luoshi.core.statemachine import StateMachine, Transition, TransitionRefused

REMIND = "remind"
URGE = "urge"
ORDER = "order"
CIRCULATE = "circulate"
INTERVIEW = "interview"
ACCOUNTABILITY = "accountability"

LADDER = (REMIND, URGE, ORDER, CIRCULATE, INTERVIEW, ACCOUNTABILITY)

KIND_LABELS = {
    REMIND: _("提醒"),
    URGE: _("催办"),
    ORDER: _("督办单"),
    CIRCULATE: _("通报"),
    INTERVIEW: _("约谈"),
    ACCOUNTABILITY: _("问责"),
}
KIND_CHOICES = [(k, KIND_LABELS[k]) for k in LADDER]

#: The word in the document number: 督办〔2026〕12号. Fixed Chinese, as printed on the paper.
PREFIX = {REMIND: "提醒", URGE: "催办", ORDER: "督办", CIRCULATE: "通报", INTERVIEW: "约谈", ACCOUNTABILITY: "问责"}


def step(kind: str) -> int:
    """1 for 提醒 … 6 for 问责; the weight of an action on the scoreboard."""
    return LADDER.index(kind) + 1


def number(kind: str, year: int, seq: int) -> str:
    return f"{PREFIX[kind]}〔{year}〕{seq}号"


ISSUED = "issued"
REPLIED = "replied"
OVERDUE = "overdue"
CLOSED = "closed"
STATES = (ISSUED, REPLIED, OVERDUE, CLOSED)
STATE_LABELS = {ISSUED: _("待答复"), REPLIED: _("已答复"), OVERDUE: _("逾期未答复"), CLOSED: _("已办结")}
STATE_CHOICES = [(s, STATE_LABELS[s]) for s in STATES]
OPEN_STATES = frozenset({ISSUED, REPLIED, OVERDUE})

ISSUE = "issue"
REPLY = "reply"
EXPIRE = "expire"
REOPEN = "reopen"
CLOSE = "close"
EVENT_LABELS = {ISSUE: _("签发"), REPLY: _("答复"), EXPIRE: _("逾期"), REOPEN: _("退回答复"), CLOSE: _("办结")}

SUPERVISOR = "supervisor"
UNIT = "unit"
SYSTEM = "system"


#: THE table: (from, event) -> (to, who, reason required). Keep the module docstring in step with it.
TABLE = {
    (ISSUED, REPLY): (REPLIED, {UNIT}, True),
    (OVERDUE, REPLY): (REPLIED, {UNIT}, True),
    (ISSUED, EXPIRE): (OVERDUE, {SYSTEM}),
    (REPLIED, REOPEN): (ISSUED, {SUPERVISOR}, True),
    (REPLIED, CLOSE): (CLOSED, {SUPERVISOR}),
    (ISSUED, CLOSE): (CLOSED, {SUPERVISOR}, True),
    (OVERDUE, CLOSE): (CLOSED, {SUPERVISOR}, True),
}


class MoveRefused(TransitionRefused):
    """The move is not in the table for this state. The message is Chinese, for the user."""

    def __str__(self) -> str:
        return gettext(
            "督办事项当前状态为“%(state)s”，不能%(event)s",
            state=STATE_LABELS.get(self.source, self.source), event=EVENT_LABELS.get(self.action, self.action),
        )


class MoveNotPermitted(MoveRefused):
    def __str__(self) -> str:
        return gettext("无权对该督办事项执行“%(event)s”", event=EVENT_LABELS[self.action])


class MoveReasonMissing(MoveRefused):
    def __str__(self) -> str:
        if self.action == REPLY:
            return gettext("答复内容不能为空")
        return gettext("“%(action)s”须填写理由", action=EVENT_LABELS[self.action])


MACHINE = StateMachine(
    TABLE, states=STATES, labels=EVENT_LABELS,
    refused=MoveRefused, not_permitted=MoveNotPermitted, reason_missing=MoveReasonMissing,
)
#: The rows, in table order; a row's ``action`` is the event.
MOVES: tuple[Transition, ...] = MACHINE.transitions


def check(state: str, event: str, roles: Iterable[str], reason: str = "") -> Transition:
    return MACHINE.check(state, event, roles, reason)


def events_from(state: str, roles: Iterable[str]) -> list[Transition]:
    return MACHINE.actions_from(state, roles)
