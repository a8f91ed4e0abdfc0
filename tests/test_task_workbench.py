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


# The supervisor's and leader's lists and the unit's 本周待办 as the template wrote them.
TEMPLATE_ITEMS = {
    ("changed", False): """{% load i18n task_health %}{% for task in tasks %}<li><a href="{% url 'tasks:detail' task.pk %}">{{ task.citation }} {{ task.title }}</a> <span class="muted small">{{ task.lead_unit.display_name }} · {{ task.status_changed_at|date:"Y-m-d" }}</span></li>{% empty %}<li class="muted">{% translate "无" %}</li>{% endfor %}""",
    ("deadline", True): """{% load i18n task_health %}{% for task in tasks %}<li>{% health_badge task %} <a href="{% url 'tasks:detail' task.pk %}">{{ task.citation }} {{ task.title }}</a> <span class="muted small">{{ task.lead_unit.display_name }} · {{ task.deadline|date:"Y-m-d" }}</span></li>{% empty %}<li class="muted">{% translate "无" %}</li>{% endfor %}""",
    ("reasons", False): """{% load i18n task_health %}{% for task in tasks %}<li><a href="{% url 'tasks:detail' task.pk %}">{{ task.citation }} {{ task.title }}</a> <span class="muted small">{{ task.lead_unit.display_name }} · {{ task.health_reasons|reasons }}</span></li>{% empty %}<li class="muted">{% translate "无" %}</li>{% endfor %}""",
    ("reasons", True): """{% load i18n task_health %}{% for task in tasks %}<li>{% health_badge task %} <a href="{% url 'tasks:detail' task.pk %}">{{ task.citation }} {{ task.title }}</a> <span class="muted small">{{ task.lead_unit.display_name }} · {{ task.health_reasons|reasons }}</span></li>{% empty %}<li class="muted">{% translate "无" %}</li>{% endfor %}""",
}
TEMPLATE_DUE = Template(
    """{% load i18n %}<ul class="plain">
    {% for d in due %}
      <li data-task="{{ d.task.pk }}" data-kind="{{ d.kind }}" data-days="{{ d.days }}">
        {% if d.kind == "report_missing" %}<span class="badge health-red">{% translate "逾期未报" %}</span> {% blocktranslate with label=d.label date=d.date|date:"MONTH_DAY_FORMAT" %}{{ label }}进展（应于{{ date }}前报送）{% endblocktranslate %}{% if d.count > 1 %}{% blocktranslate with n=d.count %}，近期共{{ n }}期未报{% endblocktranslate %}{% endif %}
        {% elif d.kind == "report_due" %}<span class="badge health-yellow">{% translate "待报送" %}</span> {% blocktranslate with label=d.label date=d.date|date:"MONTH_DAY_FORMAT" %}{{ label }}进展，{{ date }}前报送{% endblocktranslate %}
        {% elif d.days < 0 %}<span class="badge health-red">{% translate "已逾期" %}</span> {% blocktranslate with date=d.date|date:"Y-m-d" %}完成时限 {{ date }}{% endblocktranslate %}
        {% else %}<span class="badge health-yellow">{% translate "临近时限" %}</span> {% blocktranslate with date=d.date|date:"Y-m-d" n=d.days %}完成时限 {{ date }}（还有{{ n }}天）{% endblocktranslate %}{% endif %}
        · <a href="{% url 'tasks:detail' d.task.pk %}{% if d.kind != 'deadline' %}#report{% endif %}">{{ d.task.citation }} {{ d.task.title }}</a>
      </li>
    {% empty %}
      <li class="muted">{% translate "本周没有到期的报送和时限。" %}</li>
    {% endfor %}
    </ul>"""
)


def _listed_tasks():
    from luoshi.orgs.models import Unit

    unit = Unit(id=7, name="示范市<发展>和改革委员会", short_name="发改委&")
    shown = [
        # 16:30 UTC is the next day in Asia/Shanghai: the day shown is the local one
        Task(id=11, code="A-1", number="3", title="<b>带标记</b> & 引号\"", lead_unit=unit, health="red",
             health_reasons=["落后<序时>进度"], deadline=dt.date(2026, 12, 1),
             status_changed_at=dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.timezone.utc)),
        Task(id=12, code="", number="4", title="无牵头单位", lead_unit=None, health="green", health_reasons=[],
             deadline=None, status_changed_at=None),
        Task(id=13, code="B", number="", title="普通任务", lead_unit=unit, health="yellow",
             health_reasons=[{"code": "unknown", "text": "x"}], deadline=dt.date(2027, 1, 5),
             status_changed_at=dt.datetime(2026, 9, 1, 1, 0, tzinfo=dt.timezone.utc)),
    ]
    return shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("detail", "badge"), list(TEMPLATE_ITEMS))
def test_it_writes_the_list_items_the_template_wrote(detail, badge, language):
    from luoshi.tasks.templatetags.task_workbench import workbench_task_items

    template = Template(TEMPLATE_ITEMS[(detail, badge)])
    with translation.override(language):
        for tasks in (_listed_tasks(), []):
            assert workbench_task_items(tasks, detail, badge=badge) == template.render(Context({"tasks": tasks}))
    assert "2026-12-01" in workbench_task_items(_listed_tasks(), "changed")  # local day, not UTC's


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_due_lines_the_template_wrote(language):
    from luoshi.tasks.templatetags.task_workbench import workbench_due_items

    first, second, third = _listed_tasks()
    due = [
        {"task": first, "kind": "report_missing", "date": dt.date(2026, 11, 25), "days": -5, "label": "2026年<11>月", "count": 1},
        {"task": second, "kind": "report_missing", "date": dt.date(2026, 11, 25), "days": -5, "label": "2026年11月", "count": 3},
        {"task": third, "kind": "report_due", "date": dt.date(2026, 12, 3), "days": 3, "label": "2026年第49周"},
        {"task": first, "kind": "deadline", "date": dt.date(2026, 11, 28), "days": -2, "label": ""},
        {"task": third, "kind": "deadline", "date": dt.date(2026, 12, 1), "days": 1, "label": ""},
        {"task": third, "kind": "deadline", "date": dt.date(2026, 11, 30), "days": 0, "label": ""},
    ]
    with translation.override(language):
        for lines in (due, []):
            expected = TEMPLATE_DUE.render(Context({"due": lines}))
            assert '<ul class="plain">\n    ' + workbench_due_items(lines) + "\n    </ul>" == expected


@pytest.mark.parametrize("window", [3, 200])
def test_a_unit_with_more_tasks_than_the_window_sees_them_all_counted_and_ranked(cast, units, monkeypatch, window):
    """Its count is of every task it works on, and its list is in the board's order over all of
    them, whether or not they are more than the tasks judged for the week's reports (the window)."""
    monkeypatch.setattr(workbench, "DUE_WINDOW", window)
    supervisor, today = cast["supervisor"], dt.date(2026, 9, 1)
    made = []
    for i in range(6):
        task = services.task_create(actor=supervisor, title=f"任务{i}", lead_unit=units["lead"], start_on=today,
                                    deadline=dt.date(2026, 10, 1) + dt.timedelta(days=30 * i))
        services.task_publish(actor=supervisor, task=task, today=today)
        made.append(task)
    # red and yellow, with the farthest deadlines: outside a window of the three nearest
    Task.objects.filter(pk=made[5].pk).update(health="red")
    Task.objects.filter(pk=made[4].pk).update(health="yellow")
    Task.objects.filter(pk__in=[t.pk for t in made[:3]]).update(health="green")
    Task.objects.filter(pk=made[3].pk).update(health="none", deadline=None)  # not yet judged, no time limit
    wb = workbench.build(cast["owner"], today)
    assert wb["task_count"] == 6
    assert [t.pk for t in wb["tasks"]] == [made[5].pk, made[4].pk, made[0].pk, made[1].pk, made[2].pk, made[3].pk]
    board = list(Task.objects.filter(lead_unit=units["lead"]).order_by(*workbench.selectors.BOARD_HEALTH_ORDER).values_list("pk", flat=True))
    assert [t.pk for t in wb["tasks"]] == board
