"""The rows of the 督办台账 (board) in one pass: ``{% load task_board %}{% board_rows page %}``.

The board is the page people open first and keep open; rendered through the template engine its
fifty rows cost three times the queries that fetch them (a context push, a variable lookup and an
escape per cell). Here the labels are translated and the task link reversed once per page, and each
row is one string. The markup is exactly what the template wrote before (tests compare the two).
Every value is text here, so the standard library's ``html.escape`` (what Django's ``escape`` calls)
escapes it, without the lazy-string check Django wraps around it on each of the ~900 cells.
"""

from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from luoshi.core.links import url_for_ids
from luoshi.core.numbers import iso_day
from luoshi.tasks.health import render_reasons

register = template.Library()



def whole_percent(value) -> str:
    """``value|floatformat:"0"`` for a percentage: half rounds up, no minus zero."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and -1000 < value < 1000:
        whole = int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return str(whole)
    return floatformat(value, "0")


def _cell(label: str, body: str, css: str = "") -> str:
    css = f' class="{css}"' if css else ""
    return f'\n      <td data-label="{label}"{css}>{body}</td>'


@register.simple_tag
def board_rows(page) -> str:
    """The board's table rows for ``page`` (a Paginator page of ``selectors.BoardRows``)."""
    labels = [escape(gettext(s)) for s in ("编号", "工作任务", "牵头单位", "牵头领导", "完成时限", "序时 / 实际进度", "状态", "红黄绿灯")]
    l_num, l_title, l_unit, l_leader, l_deadline, l_progress, l_status, l_health = labels
    co_label, sep = escape(gettext("责任单位")) + escape(gettext("：")), escape(gettext("、"))
    reasons_sep = gettext("；")  # what render_reasons would translate again for every red row
    link = url_for_ids("tasks:detail")
    health_labels, status_labels = {}, {}  # a handful of values per page, each translated once
    rows = []
    for task in page:
        if task.health not in health_labels:
            health_labels[task.health] = escape(task.get_health_display())
        if task.status not in status_labels:
            status_labels[task.status] = escape(task.get_status_display())
        title = f'<a href="{link(task.pk)}">{escape(task.title)}</a>'
        if task.co_unit_names:
            names = sep.join(escape(name) for name in task.co_unit_names)
            title += f'<div class="muted small">{co_label}{names}</div>'
        deadline = task.deadline
        if task.expected_percent is not None:
            progress = f"{whole_percent(task.expected_percent)}% / {whole_percent(task.progress_percent if task.progress_percent is not None else 0)}%"
        else:
            progress = "—"
        health = f'<span class="nowrap badge health-{escape(task.health)}">{health_labels[task.health]}</span>'
        if task.health_reasons:
            health += f'<div class="small reasons" data-field="reasons">{escape(render_reasons(task.health_reasons, reasons_sep))}</div>'
        rows.append(
            f'\n    <tr data-task="{task.pk}" data-health="{escape(task.health)}">'
            + _cell(l_num, escape(task.citation), "num")
            + _cell(l_title, title)
            + _cell(l_unit, escape(task.lead_unit_name) if task.lead_unit_name else "—")
            + _cell(l_leader, escape(task.lead_leader_name) if task.lead_leader_name else "—")
            + _cell(l_deadline, iso_day(deadline, "—"), "nowrap")
            + _cell(l_progress, progress)
            + _cell(l_status, status_labels[task.status], "nowrap")
            + _cell(l_health, health)
            + "\n    </tr>\n  "
        )
    if not rows:
        # Outside the f-string: xgettext does not look inside one, and the catalogue would lose it.
        empty = escape(gettext("没有符合条件的任务。"))
        return mark_safe(f'\n    <tr><td colspan="8" class="muted">{empty}</td></tr>\n  ')
    return mark_safe("".join(rows))
