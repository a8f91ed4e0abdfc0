"""Supervision entries for a task's one timeline (the task page merges them with reports,
instructions, transitions and extensions).

    entries_for_task(task, user=None) -> list[dict]

Each entry: ``at`` (aware datetime), ``kind`` ("action" | "action_reply" | "action_close" |
"proposal"), ``title``, ``body``, ``actor`` (a User or None), ``url``. With ``user``, only what
that user may see: actions addressed to units in their scope; proposals for supervisors only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from django.dispatch import receiver

from luoshi.orgs import access as orgs_access
from luoshi.tasks.signals import timeline_entries

from . import ladder
from .models import EscalationProposal, SupervisionAction


def entries_for_task(task, user=None) -> list[dict]:
    actions = SupervisionAction.objects.filter(tasks=task).select_related("unit", "issued_by", "replied_by", "closed_by")
    if user is not None:
        actions = actions.visible_to(user)
    entries: list[dict] = []
    for a in actions:
        url = a.get_absolute_url()
        label = ladder.KIND_LABELS[a.kind]
        entries.append({
            "at": a.issued_at, "kind": "action", "actor": a.issued_by, "url": url,
            "title": _("%(number)s %(kind)s → %(unit)s") % {"number": a.number, "kind": label, "unit": a.unit},
            "body": a.reason + ("\n" + _("答复时限：%(due)s") % {"due": a.reply_due.isoformat()} if a.reply_due else ""),
        })
        if a.replied_at:
            entries.append({
                "at": a.replied_at, "kind": "action_reply", "actor": a.replied_by, "url": url,
                "title": _("%(unit)s答复%(number)s") % {"unit": a.unit, "number": a.number} + (_("（逾期）") if a.replied_late else ""),
                "body": a.reply,
            })
        if a.closed_at:
            entries.append({
                "at": a.closed_at, "kind": "action_close", "actor": a.closed_by, "url": url,
                "title": _("%(number)s 已办结") % {"number": a.number}, "body": a.close_note,
            })
    if user is None or orgs_access.is_supervisor(user):
        for p in EscalationProposal.objects.filter(tasks=task).select_related("unit", "decided_by"):
            status = p.get_status_display()
            entries.append({
                "at": p.created_at, "kind": "proposal", "actor": p.decided_by, "url": "/supervision/#proposals",
                "title": _("升级建议：%(kind)s（%(status)s）") % {"kind": ladder.KIND_LABELS[p.kind], "status": status},
                "body": p.reason + (f"\n{p.decision_note}" if p.decision_note else ""),
            })
            if p.status == EscalationProposal.Status.WITHDRAWN and p.decided_at:
                entries.append({
                    "at": p.decided_at, "kind": "proposal", "actor": _("系统"), "url": "/supervision/#proposals",
                    "title": _("升级建议已撤回：%(kind)s") % {"kind": ladder.KIND_LABELS[p.kind]}, "body": p.decision_note,
                })
    entries.sort(key=lambda e: e["at"])
    return entries


@receiver(timeline_entries, dispatch_uid="luoshi.supervision.timeline")
def _entries(sender, *, task, user=None, **kwargs) -> list[dict]:
    return entries_for_task(task, user=user)
