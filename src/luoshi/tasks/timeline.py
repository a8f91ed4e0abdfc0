"""The task page's one timeline: reports, transitions, instructions, extension requests and what
the apps built on tasks add through `signals.timeline_entries` (supervision's actions), merged
newest first. Each entry is a dict: at, kind, title, body, actor, url — plus optional badges and
attachments."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.links import url_for_ids
from luoshi.core.rows import Prepared
from luoshi.orgs.models import person_name

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


def _files(items, link) -> list[dict]:
    return [{"name": a.name, "size": a.size, "url": link(a.pk)} for a in items]


# The historical models, looked up once: ``task.history`` builds a new manager on every access.
HistoricalTask = Task.history.model
HistoricalMilestone = Milestone.history.model

# How each plan field is read from a history row: relations by their id, with the name joined.
_PLAN_COLUMNS = {name: f"{name}_id" if Task._meta.get_field(name).is_relation else name for name in PLAN_FIELDS}
_RELATED_NAMES = {
    "lead_unit": ("lead_unit__name",),
    "lead_leader": ("lead_leader__name", "lead_leader__username"),
    "responsible_person": ("responsible_person__name", "responsible_person__username"),
}
_WHO = ("history_user_id", "history_user__name", "history_user__username")


def _value(row: dict, name: str) -> str:
    """A plan field of a history row as the timeline writes it: a unit by its name, a person by
    theirs (``str()`` of either), a choice by its label, nothing as —."""
    field = Task._meta.get_field(name)
    if field.is_relation:
        if row[_PLAN_COLUMNS[name]] is None:
            return "—"
        names = [row[column] for column in _RELATED_NAMES[name]]
        if all(n is None for n in names):
            return "—"  # deleted since: the history row keeps the id, the join finds no one
        return names[0] if len(names) == 1 else person_name(*names)
    value = row[name]
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def _who(row: dict, system: str) -> str:
    return person_name(row["history_user__name"], row["history_user__username"]) if row["history_user_id"] else system


# The two histories the page reads on every request, compiled once (only the task's id varies).
_PLAN_HISTORY = Prepared(
    lambda task_id: HistoricalTask.objects.filter(id=task_id).order_by("history_date", "history_id")
    .values("history_date", *_WHO, *_PLAN_COLUMNS.values(), *(column for names in _RELATED_NAMES.values() for column in names))
)
_MILESTONE_HISTORY = Prepared(
    lambda task_id: HistoricalMilestone.objects.filter(task_id=task_id, history_type__in=("+", "-"))
    .order_by("-history_date", "-history_id")
    .values("history_type", "history_date", "due_on", "description", "planned_percent", *_WHO)
)


def plan_changes(task) -> list[dict]:
    """Every change made to the task's plan after it was created, from its history: one entry per
    save, naming each field changed (before → after), and each milestone added or removed. The
    history is read as rows of the columns compared, not as historical objects."""
    entries: list[dict] = []
    system = _("系统")
    records = _PLAN_HISTORY.rows(task.pk)
    for before, after in zip(records, records[1:]):
        changed = [name for name, column in _PLAN_COLUMNS.items() if before[column] != after[column]]
        if not changed:
            continue
        words = "；".join(
            f"{Task._meta.get_field(name).verbose_name} {_value(before, name)} → {_value(after, name)}" for name in changed
        )
        entries.append({
            "at": after["history_date"], "kind": "plan", "title": _("修改计划：%(changes)s") % {"changes": words}, "body": "",
            "actor": _who(after, system), "url": None,
        })
    # The records are in date order: the first is the task's creation.
    created = records[0]["history_date"] if records else None
    added, removed = _("新增节点：%(date)s %(text)s（计划进度%(percent)s%%）"), _("删除节点：%(date)s %(text)s（计划进度%(percent)s%%）")
    for m in _MILESTONE_HISTORY.rows(task.pk):
        if created is not None and m["history_type"] == "+" and m["history_date"] <= created + dt.timedelta(seconds=1):
            continue  # set with the task, part of its first plan
        entries.append({
            "at": m["history_date"], "kind": "plan",
            "title": (added if m["history_type"] == "+" else removed)
            % {"date": m["due_on"], "text": m["description"], "percent": m["planned_percent"]},
            "body": "", "actor": _who(m, system), "url": None,
        })
    return entries


def build(task, *, reports, transitions, instructions, extensions, files=None, user=None) -> list[dict]:
    """``files`` maps ("report", pk) and ("transition", pk) to that entry's attachments, read
    together by the caller; without it each entry reads its own."""
    entries: list[dict] = plan_changes(task)
    link = url_for_ids("tasks:attachment")
    # The words every entry of a kind repeats, translated once per page.
    late, superseded, correction = _("逾期报送"), _("已被更正"), _("更正")
    colon = _("：")
    said_progress, said_problems, said_next = _("进展情况") + colon, _("存在问题") + colon, _("下步打算") + colon
    reported, moved, system = _("%(unit)s报送%(period)s进展：完成%(percent)d%%"), _("%(action)s：%(from)s → %(to)s"), _("系统")
    for r in reports:
        badges = []
        if r.late:
            badges.append(("late", late))
        if r.superseded:
            badges.append(("superseded", superseded))
        if r.supersedes_id:
            badges.append(("correction", correction))
        body = [said_progress + r.progress]
        if r.problems:
            body.append(said_problems + r.problems)
        if r.next_steps:
            body.append(said_next + r.next_steps)
        entries.append({
            "at": r.submitted_at, "kind": "report",
            "title": reported % {"unit": r.unit.display_name, "period": r.period_display, "percent": r.percent},
            "body": "\n".join(body), "actor": str(r.submitted_by), "url": None,
            "badges": badges, "report": r,
            "attachments": _files(r.attachments.all() if files is None else files.get(("report", r.pk), ()), link),
        })
    for t in transitions:
        body = "\n".join(x for x in (t.evidence, t.reason) if x)
        entries.append({
            "at": t.created_at, "kind": "transition",
            "title": moved
            % {
                "action": workflow.ACTION_LABELS.get(t.action, t.action),
                "from": workflow.STATE_LABELS.get(t.from_status, t.from_status),
                "to": workflow.STATE_LABELS.get(t.to_status, t.to_status),
            },
            "body": body, "actor": str(t.actor) if t.actor_id else system, "url": None,
            "attachments": _files(t.attachments.all() if files is None else files.get(("transition", t.pk), ()), link),
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
