import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from luoshi.tasks import selectors, services
from luoshi.tasks.models import Task
from luoshi.tasks.templatetags.task_board import board_rows, whole_percent

# The board's rows as the template wrote them before they were rendered in one pass: the markup
# the browser tests, the styles and the htmx swaps were written against.
TEMPLATE_ROWS = Template(
    """{% load i18n task_health %}{% translate "编号" as l_num %}{% translate "工作任务" as l_title %}{% translate "牵头单位" as l_unit %}{% translate "牵头领导" as l_leader %}{% translate "完成时限" as l_deadline %}{% translate "序时 / 实际进度" as l_progress %}{% translate "状态" as l_status %}{% translate "红黄绿灯" as l_health %}{% translate "责任单位" as l_co %}
  {% for task in page %}
    <tr data-task="{{ task.pk }}" data-health="{{ task.health }}">
      <td data-label="{{ l_num }}" class="num">{{ task.citation }}</td>
      <td data-label="{{ l_title }}"><a href="{% url 'tasks:detail' task.pk %}">{{ task.title }}</a>{% if task.co_units.all %}<div class="muted small">{{ l_co }}{% translate "：" %}{% for u in task.co_units.all %}{{ u.display_name }}{% if not forloop.last %}{% translate "、" %}{% endif %}{% endfor %}</div>{% endif %}</td>
      <td data-label="{{ l_unit }}">{{ task.lead_unit.display_name|default:"—" }}</td>
      <td data-label="{{ l_leader }}">{{ task.lead_leader|default:"—" }}</td>
      <td data-label="{{ l_deadline }}" class="nowrap">{{ task.deadline|date:"Y-m-d"|default:"—" }}</td>
      <td data-label="{{ l_progress }}">{% if task.expected_percent is not None %}{{ task.expected_percent|floatformat:"0" }}% / {{ task.progress_percent|default_if_none:0|floatformat:"0" }}%{% else %}—{% endif %}</td>
      <td data-label="{{ l_status }}" class="nowrap">{{ task.get_status_display }}</td>
      <td data-label="{{ l_health }}"><span class="nowrap badge health-{{ task.health }}">{{ task.get_health_display }}</span>{% if task.health_reasons %}<div class="small reasons" data-field="reasons">{{ task.health_reasons|reasons }}</div>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="8" class="muted">{% translate "没有符合条件的任务。" %}</td></tr>
  {% endfor %}"""
)


def first_page(user):
    return Paginator(selectors.tasks_for(user, {}), 50).get_page(1)


def first_rows(user):
    return Paginator(selectors.BoardRows(selectors.tasks_for(user, {})), 50).get_page(1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_rows_the_template_wrote(cast, units, language):
    supervisor = cast["supervisor"]
    plain = services.task_create(actor=supervisor, title="普通任务", lead_unit=units["lead"], deadline=dt.date(2026, 12, 1))
    shared = services.task_create(
        actor=supervisor, title="<b>带标记</b> & 引号\"", lead_unit=units["co"], co_units=[units["other"], units["sub"]],
        lead_leader=cast["leader"], start_on=dt.date(2026, 9, 1), deadline=dt.date(2027, 3, 31),
    )
    services.task_publish(actor=supervisor, task=shared, today=dt.date(2026, 9, 1))
    bare = services.task_create(actor=supervisor, title="无时限任务", lead_unit=units["other"])
    Task.objects.filter(pk=plain.pk).update(expected_percent=12.5, progress_percent=None, health="red", health_reasons=["落后<序时>进度"])
    Task.objects.filter(pk=shared.pk).update(expected_percent=99.5, progress_percent=0.49, health="yellow")
    Task.objects.filter(pk=bare.pk).update(expected_percent=None, progress_percent=37.5, deadline=None)
    page = first_page(supervisor)
    assert len(page.object_list) == 3
    with translation.override(language):
        expected = TEMPLATE_ROWS.render(Context({"page": first_page(supervisor)}))
        assert "  " + board_rows(first_rows(supervisor)) == expected.split("\n", 1)[1]
    assert "&lt;b&gt;带标记" in expected and "—" in expected and "13% / 0%" in expected and "100% / 0%" in expected


def test_it_writes_the_empty_row_the_template_wrote(cast, units):
    with translation.override("en"):
        expected = TEMPLATE_ROWS.render(Context({"page": first_page(cast["outsider"])}))
        assert "  " + board_rows(first_rows(cast["outsider"])) == expected.split("\n", 1)[1]
    assert "No matching tasks." in expected


def test_it_rounds_percentages_as_floatformat_does():
    values = [0, 1, 100, 0.0, -0.0, 0.5, 1.5, 2.5, 12.5, 99.5, 99.49, 33.333333333333336, 66.66666666666667, 0.1 + 0.2, -0.5, -2.5, 2.675, 1e-9, 999.5, 1234.5]
    values += [i / 8 for i in range(0, 801)] + [i / 3 for i in range(0, 301)]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value in values:
                assert whole_percent(value) == floatformat(value, "0"), value


def model_row(task) -> tuple:
    """What the board showed of a task when it read model instances."""
    return (
        task.pk, task.title, task.citation, task.health, task.health_reasons, task.get_status_display(), task.get_health_display(),
        task.deadline, task.expected_percent, task.progress_percent, task.lead_unit.display_name if task.lead_unit else "",
        str(task.lead_leader) if task.lead_leader else "", [u.display_name for u in task.co_units.all()],
    )


def value_row(row) -> tuple:
    return (
        row.pk, row.title, row.citation, row.health, row.health_reasons, row.get_status_display(), row.get_health_display(),
        row.deadline, row.expected_percent, row.progress_percent, row.lead_unit_name, row.lead_leader_name, row.co_unit_names,
    )


@pytest.mark.parametrize(
    "filters",
    [{"sort": sort} for sort in selectors.SORTS]
    + [{"health": "red"}, {"status": "active", "sort": "unit"}, {"overdue": True}, {"q": "任务"}, {"kind": "key", "sort": "-deadline"}],
)
def test_it_reads_the_same_rows_as_the_models(cast, units, filters):
    from luoshi.orgs.models import Unit, User

    nameless = User.objects.create_user(username="no_name_leader", password="x", name="", role="leader")
    Unit.objects.filter(pk=units["other"].pk).update(short_name="")  # shown by its full name
    for i in range(7):
        task = services.task_create(
            actor=cast["supervisor"], title=f"任务{i}", lead_unit=[units["lead"], units["co"], units["other"], None][i % 4],
            co_units=[[], [units["other"], units["sub"]], [units["office"]]][i % 3], lead_leader=[cast["leader"], nameless, None][i % 3],
            start_on=dt.date(2026, 9, 1), deadline=None if i == 3 else dt.date(2026, 12, 1) + dt.timedelta(days=i % 3),
        )
        if i in (1, 5):
            services.task_publish(actor=cast["supervisor"], task=task, today=dt.date(2026, 9, 1))
        Task.objects.filter(pk=task.pk).update(
            health=["red", "green", "yellow"][i % 3], progress_percent=[None, 10, 55.5][i % 3], expected_percent=[20, None, 50][i % 3],
            health_reasons=["落后"] if i % 3 == 0 else [], kind=["key", "project"][i % 2],
        )
    seen = set()
    for who in ("supervisor", "owner", "leader", "outsider"):
        user = cast[who]
        models = [model_row(t) for t in selectors.tasks_for(user, filters)]
        values = [value_row(r) for r in selectors.BoardRows(selectors.tasks_for(user, filters))[0:50]]
        assert values == models, who
        assert selectors.BoardRows(selectors.tasks_for(user, filters)).count() == len(models)
        seen.update((who, len(models) > 0, row[10], row[11], len(row[12])) for row in models)
    if filters == {"sort": "health"}:  # the cases the two readings must name alike are all there
        assert {"发改委", "财政局", "示范市教育局", ""} <= {s[2] for s in seen}
        assert {"no_name_leader", ""} <= {s[3] for s in seen} and {0, 1, 2} <= {s[4] for s in seen}
        assert {"supervisor", "owner"} <= {s[0] for s in seen}


def test_the_first_page_compiled_once_is_the_page_the_orm_reads(cast, units, login):
    """Whoever sees every task opens the board unfiltered: that page is read by statements compiled
    once, and shows what the same page read through the paginator (``?page=1``) shows."""
    supervisor = cast["supervisor"]
    made = []
    for i in range(9):
        task = services.task_create(actor=supervisor, title=f"台账任务{i}", lead_unit=units["lead"], co_units=[units["co"]],
                                    deadline=dt.date(2027, 1, 1 + i), lead_leader=cast["leader"] if i % 2 else None)
        made.append(task)
    Task.objects.filter(pk__in=[t.pk for t in made[:3]]).update(health="red", health_reasons=["超期3天"])
    Task.objects.filter(pk=made[4].pk).update(deadline=None)
    client = login(supervisor)
    compiled, through_orm = client.get("/tasks/board/"), client.get("/tasks/board/?page=1")
    assert compiled.status_code == through_orm.status_code == 200
    a, b = compiled.context["page"], through_orm.context["page"]
    assert [r.pk for r in a] == [r.pk for r in b] and len(a) == Task.objects.count() == 9
    assert a.paginator.count == b.paginator.count and a.paginator.num_pages == b.paginator.num_pages
    assert [(r.lead_unit_name, r.lead_leader_name, r.co_unit_names, r.health_reasons) for r in a] == [
        (r.lead_unit_name, r.lead_leader_name, r.co_unit_names, r.health_reasons) for r in b
    ]

    def results(response):
        html = response.content.decode()
        return html[html.index('<div id="results"'):].replace("page=1&amp;", "").replace("?page=1", "")

    assert results(compiled) == results(through_orm)
    # more tasks than a page: the same first page and pager
    for i in range(50):
        services.task_create(actor=supervisor, title=f"更多任务{i}", lead_unit=units["other"])
    compiled, through_orm = client.get("/tasks/board/"), client.get("/tasks/board/?page=1")
    assert [r.pk for r in compiled.context["page"]] == [r.pk for r in through_orm.context["page"]]
    assert compiled.context["page"].has_next() and results(compiled) == results(through_orm)
