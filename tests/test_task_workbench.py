"""The unit workbench's task table, written in one pass by ``{% workbench_task_rows %}``: the same
markup the template wrote, in both languages, with escaping and missing values."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from luoshi.tasks import services, workbench
from luoshi.tasks.models import Task
from luoshi.tasks.templatetags.task_workbench import workbench_task_rows

# The rows as the template wrote them before they were written in one pass.
TEMPLATE_ROWS = Template(
    """{% load i18n task_health %}{% translate "红黄绿灯" as l_health %}{% translate "工作任务" as l_title %}{% translate "牵头单位" as l_unit %}{% translate "完成时限" as l_deadline %}{% translate "亮灯原因" as l_reasons %}{% for task in tasks %}<tr data-task="{{ task.pk }}" data-health="{{ task.health }}">
        <td data-label="{{ l_health }}">{% health_badge task %}</td>
        <td data-label="{{ l_title }}"><a href="{% url 'tasks:detail' task.pk %}">{{ task.citation }} {{ task.title }}</a></td>
        <td data-label="{{ l_unit }}">{{ task.lead_unit.display_name|default:"—" }}</td>
        <td data-label="{{ l_deadline }}">{{ task.deadline|date:"Y-m-d"|default:"—" }}</td>
        <td data-label="{{ l_reasons }}" class="small" data-field="reasons">{{ task.health_reasons|reasons }}</td>
      </tr>{% empty %}<tr><td colspan="5" class="muted">{% translate "暂无在办任务。" %}</td></tr>{% endfor %}"""
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_rows_the_template_wrote(cast, units, language):
    supervisor, today = cast["supervisor"], dt.date(2026, 9, 1)
    shared = services.task_create(
        actor=supervisor, title="<b>带标记</b> & 引号\"", lead_unit=units["co"], co_units=[units["lead"]],
        start_on=today, deadline=dt.date(2027, 3, 31),
    )
    services.task_publish(actor=supervisor, task=shared, today=today)
    for title in ("普通任务", "无时限任务"):
        task = services.task_create(actor=supervisor, title=title, lead_unit=units["lead"], deadline=dt.date(2026, 12, 1))
        services.task_publish(actor=supervisor, task=task, today=today)
    Task.objects.filter(title="普通任务").update(health="red", health_reasons=["落后<序时>进度"])
    Task.objects.filter(title="无时限任务").update(deadline=None)
    tasks = workbench.build(cast["owner"], today)["tasks"]
    assert len(tasks) == 3
    with translation.override(language):
        expected = TEMPLATE_ROWS.render(Context({"tasks": tasks}))
        assert workbench_task_rows(tasks) == expected
    assert "&lt;b&gt;带标记" in expected and "—" in expected and "health-red" in expected


def test_it_writes_the_empty_row_the_template_wrote():
    with translation.override("en"):
        expected = TEMPLATE_ROWS.render(Context({"tasks": []}))
        assert workbench_task_rows([]) == expected
    assert "colspan" in expected
