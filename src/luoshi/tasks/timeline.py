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
from .models import Milestone, Task
from .signals import timeline_entries

#: The fields of a task's plan: a change to any of them is an entry of its timeline (修改计划).
PLAN_FIELDS = (
    "title", "measures", "target_text", "target_value", "lead_unit", "lead_leader", "responsible_person", "start_on", "deadline",
    "deadline_text", "cadence", "due_day",
)


def _aware(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time()))


def _files(items) -> list[dict]:
    return [{"name": a.name, "size": a.size, "url": reverse("tasks:attachment", args=[a.pk])} for a in items]


def _value(record, name: str) -> str:
    field = Task._meta.get_field(name)
    if field.is_relation:
        related = getattr(record, name, None)
        return str(related) if related is not None else "—"
    value = getattr(record, name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def _who(record) -> str:
    return str(record.history_user) if record.history_user_id else _("系统")


def plan_changes(task) -> list[dict]:
    """Every change made to the task's plan after it was created, from its history: one entry per
    save, naming each field changed (before → after), and each milestone added or removed."""
    entries: list[dict] = []
    records = list(task.history.order_by("history_date", "history_id").select_related("history_user"))
    for before, after in zip(records, records[1:]):
        changed = [name for name in PLAN_FIELDS if getattr(before, f"{name}_id" if Task._meta.get_field(name).is_relation else name)
                   != getattr(after, f"{name}_id" if Task._meta.get_field(name).is_relation else name)]
        if not changed:
            continue
        words = "；".join(
            f"{Task._meta.get_field(name).verbose_name} {_value(before, name)} → {_value(after, name)}" for name in changed
        )
        entries.append({
            "at": after.history_date, "kind": "plan", "title": _("修改计划：%(changes)s") % {"changes": words}, "body": "",
            "actor": _who(after), "url": None,
        })
    # The records are in date order: the first is the task's creation.
    created = records[0].history_date if records else None
    for m in Milestone.history.filter(task_id=task.pk, history_type__in=("+", "-")).select_related("history_user"):
        if created is not None and m.history_type == "+" and m.history_date <= created + dt.timedelta(seconds=1):
            continue  # set with the task, part of its first plan
        title = _("新增节点：%(date)s %(text)s（计划进度%(percent)s%%）") if m.history_type == "+" else _(
            "删除节点：%(date)s %(text)s（计划进度%(percent)s%%）")
        entries.append({
            "at": m.history_date, "kind": "plan",
            "title": title % {"date": m.due_on, "text": m.description, "percent": m.planned_percent},
            "body": "", "actor": _who(m), "url": None,
        })
    return entries


def build(task, *, reports, transitions, instructions, extensions, files=None, user=None) -> list[dict]:
    """``files`` maps ("report", pk) and ("transition", pk) to that entry's attachments, read
    together by the caller; without it each entry reads its own."""
    entries: list[dict] = plan_changes(task)
    for r in reports:
        badges = []
        if r.late:
            badges.append(("late", _("逾期报送")))
        if r.superseded:
            badges.append(("superseded", _("已被更正")))
        if r.supersedes_id:
            badges.append(("correction", _("更正")))
        colon = _("：")
        body = [_("进展情况") + colon + r.progress]
        if r.problems:
            body.append(_("存在问题") + colon + r.problems)
        if r.next_steps:
            body.append(_("下步打算") + colon + r.next_steps)
        entries.append({
            "at": r.submitted_at, "kind": "report",
            "title": _("%(unit)s报送%(period)s进展：完成%(percent)d%%")
            % {"unit": r.unit.display_name, "period": r.period_display, "percent": r.percent},
            "body": "\n".join(body), "actor": str(r.submitted_by), "url": None,
            "badges": badges, "report": r,
            "attachments": _files(r.attachments.all() if files is None else files.get(("report", r.pk), ())),
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
            "attachments": _files(t.attachments.all() if files is None else files.get(("transition", t.pk), ())),
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
