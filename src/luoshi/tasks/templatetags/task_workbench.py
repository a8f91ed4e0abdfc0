"""The unit workbench's task table in one pass: ``{% load task_workbench %}{% workbench_task_rows wb.tasks %}``.

A liaison's workbench lists fifty tasks; through the template engine each row cost five variable
lookups, two filters, a tag, a URL reversal and the escapes. Here the column labels are translated
and the task link reversed once per page. The markup is exactly what the template wrote before
(tests compare the two).
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from luoshi.core.links import url_for_ids
from luoshi.tasks.health import render_reasons

from .task_health import health_badge

register = template.Library()


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
            f'\n        <td data-label="{l_deadline}">{f"{deadline.year:04d}-{deadline.month:02d}-{deadline.day:02d}" if deadline else "—"}</td>'
            f'\n        <td data-label="{l_reasons}" class="small" data-field="reasons">{escape(render_reasons(task.health_reasons))}</td>'
            "\n      </tr>"
        )
    return mark_safe("".join(out))
