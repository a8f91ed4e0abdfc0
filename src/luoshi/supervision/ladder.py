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

from dataclasses import dataclass
from typing import Iterable

from django.utils.translation import gettext_lazy as _

from luoshi.core.i18n import gettext

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


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    event: str
    who: str
    reason_required: bool = False


#: THE table. Keep the module docstring in step with it.
MOVES: tuple[Move, ...] = (
    Move(ISSUED, REPLIED, REPLY, UNIT, True),
    Move(OVERDUE, REPLIED, REPLY, UNIT, True),
    Move(ISSUED, OVERDUE, EXPIRE, SYSTEM),
    Move(REPLIED, ISSUED, REOPEN, SUPERVISOR, True),
    Move(REPLIED, CLOSED, CLOSE, SUPERVISOR),
    Move(ISSUED, CLOSED, CLOSE, SUPERVISOR, True),
    Move(OVERDUE, CLOSED, CLOSE, SUPERVISOR, True),
)
_BY_KEY = {(m.source, m.event): m for m in MOVES}
assert len(_BY_KEY) == len(MOVES), "one row per (state, event)"


class MoveRefused(ValueError):
    """The message is Chinese, for the user."""


def check(state: str, event: str, roles: Iterable[str], reason: str = "") -> Move:
    if isinstance(roles, str):
        raise TypeError("roles must be a collection")
    move = _BY_KEY.get((state, event))
    if move is None:
        raise MoveRefused(gettext(
            "督办事项当前状态为“%(state)s”，不能%(event)s", state=STATE_LABELS.get(state, state), event=EVENT_LABELS.get(event, event)
        ))
    if move.who not in set(roles):
        raise MoveRefused(gettext("无权对该督办事项执行“%(event)s”", event=EVENT_LABELS[event]))
    if move.reason_required and not (reason or "").strip():
        if event == REPLY:
            raise MoveRefused(gettext("答复内容不能为空"))
        raise MoveRefused(gettext("“%(action)s”须填写理由", action=EVENT_LABELS[event]))
    return move


def events_from(state: str, roles: Iterable[str]) -> list[Move]:
    roles = set(roles)
    return [m for m in MOVES if m.source == state and m.who in roles]
