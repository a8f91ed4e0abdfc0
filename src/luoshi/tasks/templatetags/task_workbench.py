"""The workbench's lists in one pass: ``{% load task_workbench %}{% workbench_task_rows wb.tasks %}`` (a
unit's task table), ``{% workbench_due_items wb.due %}`` (its 本周待办) and ``{% workbench_task_items
wb.red "reasons" %}`` (a supervisor's or leader's lists).

A liaison's workbench lists fifty tasks; through the template engine each row cost five variable
lookups, two filters, a tag, a URL reversal and the escapes. Here the column labels are translated
and the task link reversed once per page. The markup is exactly what the template wrote before
(tests compare the two).
"""

from html import escape as _escape

from django import template
from django.utils import formats
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from luoshi.core.links import url_for_ids
from luoshi.core.numbers import iso_day
from luoshi.tasks.health import render_reasons

from .task_health import health_badge

register = template.Library()


def escape(value) -> str:
    """What Django's ``escape`` writes, as plain text: the rows are joined and marked safe once,
    and Django's wraps every call in a check for lazy strings and gives a SafeString, which each
    f-string then converts back (a liaison's workbench escapes some seven hundred values)."""
    return _escape(str(value))


@register.simple_tag
def workbench_task_rows(tasks) -> str:
    """The rows of the unit's tasks (``workbench.build``'s ``tasks``, lead units selected)."""
    if not tasks:
        return mark_safe('<tr><td colspan="5" class="muted">' + escape(gettext("暂无在办任务。")) + "</td></tr>")
    labels = [escape(gettext(s)) for s in ("红黄绿灯", "工作任务", "牵头单位", "完成时限", "亮灯原因")]
    l_health, l_title, l_unit, l_deadline, l_reasons = labels
    link = url_for_ids("tasks:detail")
    out = []
    for task in tasks:
        unit = task.lead_unit.display_name if task.lead_unit_id else ""
        deadline = task.deadline
        out.append(
            f'<tr data-task="{task.pk}" data-health="{escape(task.health)}">'
            f'\n        <td data-label="{l_health}">{health_badge(task)}</td>'
            f'\n        <td data-label="{l_title}"><a href="{link(task.pk)}">{escape(task.citation)} {escape(task.title)}</a></td>'
            f'\n        <td data-label="{l_unit}">{escape(unit) if unit else "—"}</td>'
            f'\n        <td data-label="{l_deadline}">{iso_day(deadline, "—")}</td>'
            f'\n        <td data-label="{l_reasons}" class="small" data-field="reasons">{escape(render_reasons(task.health_reasons))}</td>'
            "\n      </tr>"
        )
    return mark_safe("".join(out))


@register.simple_tag
def workbench_task_items(tasks, detail: str, badge: bool = False) -> str:
    """The items of a supervisor's or leader's task list (closures, due this week, red, attention,
    led), each linked, with its lead unit and ``detail``: ``"changed"`` (the day its status last
    changed, in local time), ``"deadline"`` or ``"reasons"``; ``badge`` puts its 红黄绿灯 first.
    Five such lists of up to fifty tasks make a workbench; the markup is what the template wrote."""
    if not tasks:
        return mark_safe('<li class="muted">' + escape(gettext("无")) + "</li>")
    link = url_for_ids("tasks:detail")
    out = []
    for task in tasks:
        unit = task.lead_unit.display_name if task.lead_unit_id else ""
        if detail == "changed":
            changed = task.status_changed_at
            extra = iso_day(template_localtime(changed)) if changed else ""
        elif detail == "deadline":
            extra = iso_day(task.deadline)
        else:
            extra = escape(render_reasons(task.health_reasons))
        out.append(
            f'<li>{health_badge(task) + " " if badge else ""}<a href="{link(task.pk)}">{escape(task.citation)} {escape(task.title)}</a>'
            f' <span class="muted small">{escape(unit)} · {extra}</span></li>'
        )
    return mark_safe("".join(out))


def _due_words(d) -> str:
    """What one line of a unit's 本周待办 says before its task, as the template's branches wrote it
    (the three first end with the line break and indent that preceded the next branch)."""
    kind = d["kind"]
    if kind == "report_missing":
        badge, level = gettext("逾期未报"), "red"
        words = gettext("%(label)s进展（应于%(date)s前报送）") % {
            "label": escape(d["label"]), "date": escape(formats.date_format(d["date"], "MONTH_DAY_FORMAT"))}
        if d["count"] > 1:
            words += gettext("，近期共%(n)s期未报") % {"n": escape(localize(d["count"]))}
        end = "\n        "
    elif kind == "report_due":
        badge, level = gettext("待报送"), "yellow"
        words = gettext("%(label)s进展，%(date)s前报送") % {
            "label": escape(d["label"]), "date": escape(formats.date_format(d["date"], "MONTH_DAY_FORMAT"))}
        end = "\n        "
    elif d["days"] < 0:
        badge, level = gettext("已逾期"), "red"
        words = gettext("完成时限 %(date)s") % {"date": iso_day(d["date"])}
        end = "\n        "
    else:
        badge, level = gettext("临近时限"), "yellow"
        words = gettext("完成时限 %(date)s（还有%(n)s天）") % {"date": iso_day(d["date"]), "n": escape(localize(d["days"]))}
        end = ""
    return f'<span class="badge health-{level}">{escape(badge)}</span> {words}{end}'


@register.simple_tag
def workbench_due_items(due) -> str:
    """A unit's 本周待办 (``workbench.build``'s ``due``): reports owed or due and deadlines near or
    passed, up to fifty lines, each with words in the reader's language; the markup is what the
    template wrote."""
    if not due:
        return mark_safe('\n      <li class="muted">' + escape(gettext("本周没有到期的报送和时限。")) + "</li>\n    ")
    link = url_for_ids("tasks:detail")
    out = []
    for d in due:
        task = d["task"]
        anchor = "" if d["kind"] == "deadline" else "#report"
        out.append(
            f'\n      <li data-task="{task.pk}" data-kind="{escape(d["kind"])}" data-days="{escape(localize(d["days"]))}">'
            f"\n        {_due_words(d)}"
            f'\n        · <a href="{link(task.pk)}{anchor}">{escape(task.citation)} {escape(task.title)}</a>'
            "\n      </li>\n    "
        )
    return mark_safe("".join(out))
