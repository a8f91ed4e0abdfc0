"""The rows of the task tree (任务) in one pass: ``{% load task_tree %}{% tree_rows rows %}``.

A hundred rows through the template engine cost about seven times the queries that fetch them (a
context push, a variable lookup, a filter and an escape per cell). Here the labels are translated
and the task link reversed once per page, and each row is one string. The markup is exactly what
the template wrote before (tests compare the two).
"""

# What Django's escape calls, without its check for lazy strings: a row's values are plain text.
from html import escape as esc

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from luoshi.core.links import url_for_ids
from luoshi.core.numbers import iso_day
from luoshi.tasks.health import reasons_key

from .task_health import health_badge

register = template.Library()


@register.simple_tag
def tree_rows(rows) -> str:
    """The tree's table rows: ``rows`` as the tree view builds them, a directive header
    (``{"header": True, "directive": …}``) before each directive's tasks (``{"task": …, "depth": …}``), each
    task with ``co_unit_names`` (``selectors.note_co_unit_names``)."""
    # Plain text, not SafeStrings: an f-string converts a SafeString back on every row.
    labels = [esc(gettext(s)) for s in ("编号", "工作任务", "类型", "牵头单位", "责任单位", "完成时限", "状态", "红黄绿灯")]
    l_num, l_title, l_kind, l_unit, l_co, l_deadline, l_status, l_health = labels
    sep = esc(gettext("、"))
    source = esc(gettext("来源文件")) + esc(gettext("："))
    link = url_for_ids("tasks:detail")
    # What many rows share is written once per page: the kind's and status's labels, the badge of a
    # health with its reasons.
    kinds, states, badges = {}, {}, {}
    out = []
    for row in rows:
        if row.get("header"):
            directive = row.get("directive")
            # Outside the f-string: xgettext does not look inside one, and the catalogue would lose it.
            title = source + escape(str(directive)) if directive else escape(gettext("未关联来源文件的任务"))
            out.append(f'\n    \n      <tr class="directive-row"><td colspan="8">{title}</td></tr>\n    \n  ')
            continue
        task = row["task"]
        tags = f' <span class="tags">{esc(task.tags)}</span>' if task.tags else ""
        unit = task.lead_unit.display_name if task.lead_unit_id and task.lead_unit else ""
        co_units = sep.join(esc(name) for name in task.co_unit_names) or "—"
        deadline = task.deadline
        kind = kinds.get(task.kind)
        if kind is None:
            kind = kinds[task.kind] = esc(task.get_kind_display())
        status = states.get(task.status)
        if status is None:
            status = states[task.status] = esc(task.get_status_display())
        shown = reasons_key(task.health_reasons)
        badge = badges.get((task.health, shown)) if shown is not None else None
        if badge is None:
            badge = badges[task.health, shown] = str.__str__(health_badge(task))
        out.append(
            "\n    \n      <tr>"
            f'\n        <td data-label="{l_num}" class="num">{esc(task.citation)}</td>'
            f'\n        <td data-label="{l_title}" class="tree-{row["depth"]}"><a href="{link(task.pk)}">'
            f"{esc(task.title)}</a>{tags}</td>"
            f'\n        <td data-label="{l_kind}">{kind}</td>'
            f'\n        <td data-label="{l_unit}">{esc(unit) if unit else "—"}</td>'
            f'\n        <td data-label="{l_co}">{co_units}</td>'
            f'\n        <td data-label="{l_deadline}">'
            f'{iso_day(deadline, "—")}</td>'
            f'\n        <td data-label="{l_status}">{status}</td>'
            f'\n        <td data-label="{l_health}">{badge}</td>'
            "\n      </tr>\n    \n  "
        )
    if not out:
        empty = escape(gettext("没有可查看的任务。"))
        return mark_safe(f'\n    <tr><td colspan="8" class="muted">{empty}</td></tr>\n  ')
    return mark_safe("".join(out))
