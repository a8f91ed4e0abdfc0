"""The task page's one timeline: reports, transitions, instructions, extension requests and what
the apps built on tasks add through `signals.timeline_entries` (supervision's actions), merged
newest first. Each entry is a dict: at, kind, title, body, actor, url — plus optional badges and
attachments."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import workflow
from .models import Task
from .signals import timeline_entries


def _aware(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time()))


def _files(items) -> list[dict]:
    return [{"name": a.name, "size": a.size, "url": reverse("tasks:attachment", args=[a.pk])} for a in items]


def build(task, *, reports, transitions, instructions, extensions, user=None) -> list[dict]:
    entries: list[dict] = []
    for r in reports:
        badges = []
        if r.late:
            badges.append(("late", _("逾期报送")))
        if r.superseded:
            badges.append(("superseded", _("已被更正")))
        if r.supersedes_id:
            badges.append(("correction", _("更正")))
        body = [f"{_('进展情况')}：{r.progress}"]
        if r.problems:
            body.append(f"{_('存在问题')}：{r.problems}")
        if r.next_steps:
            body.append(f"{_('下步打算')}：{r.next_steps}")
        entries.append({
            "at": r.submitted_at, "kind": "report",
            "title": _("%(unit)s报送%(period)s进展：完成%(percent)d%%")
            % {"unit": r.unit.display_name, "period": r.period_display, "percent": r.percent},
            "body": "\n".join(body), "actor": str(r.submitted_by), "url": None,
            "badges": badges, "attachments": _files(r.attachments.all()), "report": r,
        })
    for t in transitions:
        body = "\n".join(x for x in (t.evidence, t.reason) if x)
        entries.append({
            "at": t.created_at, "kind": "transition",
            "title": _("%(action)s：%(from)s → %(to)s")
            % {
                "action": workflow.ACTION_LABELS.get(t.action, t.action),
                "from": workflow.STATE_LABELS.get(t.from_status, t.from_status),
                "to": workflow.STATE_LABELS.get(t.to_status, t.to_status),
            },
            "body": body, "actor": str(t.actor) if t.actor_id else _("系统"), "url": None,
            "attachments": _files(t.attachments.all()),
        })
    for i in instructions:
        entries.append({
            "at": i.created_at, "kind": "instruction", "title": _("领导批示"), "body": i.text,
            "actor": str(i.author), "url": None,
        })
    for e in extensions:
        entries.append({
            "at": e.created_at, "kind": "extension",
            "title": _("申请延期：%(old)s → %(new)s") % {"old": e.old_deadline, "new": e.new_deadline},
            "body": e.reason, "actor": str(e.requested_by), "url": None,
            "badges": [(e.status, e.get_status_display())],
        })
        if e.decided_at:
            entries.append({
                "at": e.decided_at, "kind": "extension",
                "title": _("延期申请%(decision)s") % {"decision": e.get_status_display()},
                "body": e.decision_note, "actor": str(e.decided_by) if e.decided_by_id else "", "url": None,
            })
    found = [entry for _receiver, more in timeline_entries.send(sender=Task, task=task, user=user) for entry in more]
    for entry in found:
        entry = {"kind": "supervision", "title": "", "body": "", "actor": "", "url": None, **entry}
        entry["actor"] = str(entry["actor"]) if entry["actor"] else ""
        entries.append(entry)
    for entry in entries:
        entry["at"] = _aware(entry["at"])
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries
