"""The rows of the unit scoreboard (单位考评) in one pass: ``{% load scoreboard_rows %}{% scoreboard_rows rows %}``.

Through the template engine each unit's row cost seven translations, a dozen lookups and escapes,
and a block translation: most of the page's time. Here the labels are translated once per page
and each row is one string. The markup is exactly what the template wrote before (tests compare
the two).
"""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from luoshi.tasks.rules import format_score

register = template.Library()


def _number(value) -> str:
    """A figure as ``{{ value }}`` writes it."""
    return escape(localize(value))


@register.simple_tag
def scoreboard_rows(rows) -> str:
    """``rows``: ``scoreboard.Standing`` items in rank order."""
    if not rows:
        return mark_safe('<tr><td colspan="7">' + escape(gettext("本月没有可考评的单位。")) + "</td></tr>")
    labels = [escape(gettext(s)) for s in ("名次", "单位", "得分", "按时报送", "完成率", "逾期任务", "收到督办")]
    l_rank, l_unit, l_score, l_on_time, l_done, l_overdue, l_actions = labels
    actions = gettext("%(n)s 件（加权 %(w)s）")
    out = []
    for r in rows:
        f = r.figures
        received = actions % {"n": _number(f.actions), "w": _number(f.actions_weighted)}
        out.append(
            f'<tr data-unit="{_number(f.unit_id)}">'
            f'\n    <td data-label="{l_rank}" data-field="rank">{_number(r.rank)}</td>'
            f'\n    <td data-label="{l_unit}">{escape(f.name)}</td>'
            f'\n    <td data-label="{l_score}" data-field="score"><strong>{escape(format_score(r.score))}</strong></td>'
            f'\n    <td data-label="{l_on_time}">{_number(f.reports_on_time)}/{_number(f.reports_owed)}</td>'
            f'\n    <td data-label="{l_done}">{_number(f.tasks_done)}/{_number(f.tasks_due)}</td>'
            f'\n    <td data-label="{l_overdue}">{_number(f.overdue)}</td>'
            f'\n    <td data-label="{l_actions}">{received}</td>'
            "\n  </tr>"
        )
    return mark_safe("".join(out))
