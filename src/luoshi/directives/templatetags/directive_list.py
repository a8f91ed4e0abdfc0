"""The rows of the directive list (来源文件) in one pass: ``{% load directive_list %}{% directive_rows page %}``.

Fifty rows through the template engine cost about four times the queries that fetch them (a lookup,
a filter and an escape per cell). Here the column labels are translated and the link reversed once
per page. The markup is exactly what the template wrote before (tests compare the two).
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from luoshi.core.links import url_for_ids
from luoshi.core.numbers import iso_day

register = template.Library()


@register.simple_tag
def directive_rows(directives) -> str:
    """``directives``: the page's directives, annotated with item_count, accepted_count and task_count."""
    labels = [escape(gettext(s)) for s in ("标题", "类型", "讲话人/发文单位", "日期", "状态", "采纳/条目", "已发布任务")]
    l_title, l_kind, l_issuer, l_date, l_status, l_counts, l_tasks = labels
    unconfirmed = ' <span class="badge health-yellow">' + escape(gettext("待核对")) + "</span>"
    link = url_for_ids("directives:detail")
    out = []
    for d in directives:
        day = d.issued_on
        out.append(
            "<tr>"
            f'\n    <td data-label="{l_title}"><a href="{link(d.pk)}">{escape(d.title)}</a></td>'
            f'\n    <td data-label="{l_kind}">{escape(d.get_kind_display())}</td>'
            f'\n    <td data-label="{l_issuer}">{escape(d.issuer) if d.issuer else "—"}</td>'
            f'\n    <td data-label="{l_date}">{iso_day(day)}'
            f'{"" if d.date_confirmed else unconfirmed}</td>'
            f'\n    <td data-label="{l_status}"><span class="badge status-{escape(d.status)}">{escape(d.get_status_display())}</span></td>'
            f'\n    <td data-label="{l_counts}">{d.accepted_count} / {d.item_count}</td>'
            f'\n    <td data-label="{l_tasks}">{d.task_count}</td>'
            "\n  </tr>"
        )
    if not out:
        return mark_safe('<tr><td colspan="7">' + escape(gettext("还没有可查看的来源文件。")) + "</td></tr>")
    return mark_safe("".join(out))
