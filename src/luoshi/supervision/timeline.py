"""Supervision entries for a task's one timeline (the task page merges them with reports,
instructions, transitions and extensions).

    entries_for_task(task, user=None) -> list[dict]

Each entry: ``at`` (aware datetime), ``kind`` ("action" | "action_reply" | "action_close" |
"proposal"), ``title``, ``body``, ``actor`` (a User or None), ``url``. With ``user``, only what
that user may see: actions addressed to units in their scope; proposals for supervisors only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from django.dispatch import receiver

from luoshi.core.links import url_for_ids
from luoshi.core.rows import Prepared
from luoshi.orgs import access as orgs_access
from luoshi.orgs.models import person_of_row
from luoshi.tasks.signals import timeline_entries

from . import ladder
from .models import EscalationProposal, SupervisionAction, action_visible


_WHO = {
    role: (f"{role}_id", f"{role}__name", f"{role}__username") for role in ("issued_by", "replied_by", "closed_by", "decided_by")
}


def _who(row: dict, role: str):
    return person_of_row(*(row[column] for column in _WHO[role]))


_ACTION_COLUMNS = (
    "pk", "kind", "number", "unit_id", "unit__name", "reason", "reply_due", "issued_at", "replied_at", "replied_late", "reply", "closed_at",
    "close_note", *_WHO["issued_by"], *_WHO["replied_by"], *_WHO["closed_by"],
)
_PROPOSAL_COLUMNS = ("kind", "status", "reason", "decision_note", "created_at", "decided_at", *_WHO["decided_by"])
# What a person who sees every action reads (a supervisor, on every task page), compiled once.
_EVERY_ACTION = Prepared(lambda task_id: SupervisionAction.objects.filter(tasks=task_id).values(*_ACTION_COLUMNS))
_PROPOSALS = Prepared(lambda task_id: EscalationProposal.objects.filter(tasks=task_id).values(*_PROPOSAL_COLUMNS))


def entries_for_task(task, user=None) -> list[dict]:
    # Read as rows of the columns written: the task page shows these on every request, and the
    # related people's every column cost more to compile and load than the entries themselves.
    actions = _EVERY_ACTION.rows(task.pk)
    if user is not None:
        # A task has a handful of actions: read them all with the statement compiled once and keep
        # those the person may see, by the rule ``visible_to`` filters with.
        actions = [a for a in actions if action_visible(user, a["unit_id"])]
    link = url_for_ids("supervision:action")
    entries: list[dict] = []
    for a in actions:
        url = link(a["pk"])
        label = ladder.KIND_LABELS[a["kind"]]
        number, unit = a["number"], a["unit__name"]
        entries.append({
            "at": a["issued_at"], "kind": "action", "actor": _who(a, "issued_by"), "url": url,
            "title": _("%(number)s %(kind)s → %(unit)s") % {"number": number, "kind": label, "unit": unit},
            "body": a["reason"] + ("\n" + _("答复时限：%(due)s") % {"due": a["reply_due"].isoformat()} if a["reply_due"] else ""),
        })
        if a["replied_at"]:
            entries.append({
                "at": a["replied_at"], "kind": "action_reply", "actor": _who(a, "replied_by"), "url": url,
                "title": _("%(unit)s答复%(number)s") % {"unit": unit, "number": number} + (_("（逾期）") if a["replied_late"] else ""),
                "body": a["reply"],
            })
        if a["closed_at"]:
            entries.append({
                "at": a["closed_at"], "kind": "action_close", "actor": _who(a, "closed_by"), "url": url,
                "title": _("%(number)s 已办结") % {"number": number}, "body": a["close_note"],
            })
    if user is None or orgs_access.is_supervisor(user):
        statuses = dict(EscalationProposal.Status.choices)
        for p in _PROPOSALS.rows(task.pk):
            status = statuses.get(p["status"], p["status"])
            entries.append({
                "at": p["created_at"], "kind": "proposal", "actor": _who(p, "decided_by"), "url": "/supervision/#proposals",
                "title": _("升级建议：%(kind)s（%(status)s）") % {"kind": ladder.KIND_LABELS[p["kind"]], "status": status},
                "body": p["reason"] + (f"\n{p['decision_note']}" if p["decision_note"] else ""),
            })
            if p["status"] == EscalationProposal.Status.WITHDRAWN and p["decided_at"]:
                entries.append({
                    "at": p["decided_at"], "kind": "proposal", "actor": _("系统"), "url": "/supervision/#proposals",
                    "title": _("升级建议已撤回：%(kind)s") % {"kind": ladder.KIND_LABELS[p["kind"]]}, "body": p["decision_note"],
                })
    entries.sort(key=lambda e: e["at"])
    return entries


@receiver(timeline_entries, dispatch_uid="luoshi.supervision.timeline")
def _entries(sender, *, task, user=None, **kwargs) -> list[dict]:
    return entries_for_task(task, user=user)
