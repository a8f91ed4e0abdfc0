"""The task tree's rows, written in one pass by ``{% tree_rows %}``: the same markup the template
wrote, in both languages, for headers with and without a directive, escaping, and missing values."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from luoshi.directives.models import Directive
from luoshi.tasks import services
from luoshi.tasks.models import Task
from luoshi.tasks.templatetags.task_tree import tree_rows

# The tree's rows as the template wrote them before they were rendered in one pass.
TEMPLATE_ROWS = Template(
    """{% load i18n task_health %}{% translate "编号" as l_num %}{% translate "工作任务" as l_title %}{% translate "类型" as l_kind %}{% translate "牵头单位" as l_unit %}{% translate "责任单位" as l_co %}{% translate "完成时限" as l_deadline %}{% translate "状态" as l_status %}{% translate "红黄绿灯" as l_health %}{% translate "、" as l_sep %}{% for row in rows %}
    {% if row.header %}
      <tr class="directive-row"><td colspan="8">{% if row.directive %}{% translate "来源文件" %}{% translate "：" %}{{ row.directive }}{% else %}{% translate "未关联来源文件的任务" %}{% endif %}</td></tr>
    {% else %}{% with task=row.task %}
      <tr>
        <td data-label="{{ l_num }}" class="num">{{ task.citation }}</td>
        <td data-label="{{ l_title }}" class="tree-{{ row.depth }}"><a href="{% url 'tasks:detail' task.pk %}">{{ task.title }}</a>{% if task.tags %} <span class="tags">{{ task.tags }}</span>{% endif %}</td>
        <td data-label="{{ l_kind }}">{{ task.get_kind_display }}</td>
        <td data-label="{{ l_unit }}">{{ task.lead_unit.display_name|default:"—" }}</td>
        <td data-label="{{ l_co }}">{% for u in task.co_units.all %}{{ u.display_name }}{% if not forloop.last %}{{ l_sep }}{% endif %}{% empty %}—{% endfor %}</td>
        <td data-label="{{ l_deadline }}">{{ task.deadline|date:"Y-m-d"|default:"—" }}</td>
        <td data-label="{{ l_status }}">{{ task.get_status_display }}</td>
        <td data-label="{{ l_health }}">{% health_badge task %}</td>
      </tr>
    {% endwith %}{% endif %}
  {% empty %}
    <tr><td colspan="8" class="muted">{% translate "没有可查看的任务。" %}</td></tr>
  {% endfor %}"""
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_tree_rows_the_template_wrote(cast, units, login, language):
    supervisor = cast["supervisor"]
    directive = Directive.objects.create(title="全市<大会>讲话 & 部署", issued_on=dt.date(2026, 3, 1), text="……", status="published")
    root = services.task_create(
        actor=supervisor, title="<b>带标记</b> & 引号\"", directive=directive, lead_unit=units["co"], co_units=[units["other"], units["sub"]],
        start_on=dt.date(2026, 9, 1), deadline=dt.date(2027, 3, 31), tags="营商<环境>",
    )
    services.task_publish(actor=supervisor, task=root, today=dt.date(2026, 9, 1))
    services.task_create(actor=supervisor, title="子任务", parent=root, lead_unit=units["lead"], deadline=dt.date(2026, 12, 1))
    loose = services.task_create(actor=supervisor, title="无来源任务", lead_unit=units["other"])
    Task.objects.filter(pk=loose.pk).update(lead_unit=None, health="red", health_reasons=["落后<序时>进度"])
    with translation.override(language):
        response = login(supervisor).get("/tasks/")
        rows = response.context["rows"]
        assert sum(1 for r in rows if r.get("header")) == 2 and len(rows) == 5
        expected = TEMPLATE_ROWS.render(Context({"rows": rows}))
        assert tree_rows(rows) == expected
    assert "&lt;b&gt;带标记" in expected and "营商&lt;环境&gt;" in expected and "—" in expected and "tree-1" in expected


def test_it_writes_the_empty_tree_row_the_template_wrote(cast):
    with translation.override("en"):
        expected = TEMPLATE_ROWS.render(Context({"rows": []}))
        assert tree_rows([]) == expected
    assert "No tasks to show." in expected


def test_the_first_page_compiled_once_is_the_page_the_orm_reads(cast, units, login, monkeypatch):
    """The unfiltered first page of whoever sees every task is read by statements compiled once; it
    shows what the same page read through the paginator shows, on every page of the tree."""
    from luoshi.tasks import views

    supervisor = cast["supervisor"]
    for i in range(7):
        root = services.task_create(actor=supervisor, title=f"根任务{i}", lead_unit=units["lead"], deadline=dt.date(2027, 1, 1 + i))
        services.task_create(actor=supervisor, title=f"子任务{i}", parent=root, lead_unit=units["co"])
    client = login(supervisor)
    for size in (4, 100):
        with monkeypatch.context() as patch:
            patch.setattr(views, "LIST_PAGE_SIZE", size)
            compiled = client.get("/tasks/")
            # the same page read through the paginator, as for someone who does not see every task
            patch.setattr(views, "sees_every", lambda queryset, user: False)
            through_orm = client.get("/tasks/")
        assert compiled.status_code == through_orm.status_code == 200
        assert [r.get("task") and r["task"].pk for r in compiled.context["rows"]] == [
            r.get("task") and r["task"].pk for r in through_orm.context["rows"]
        ]
        a, b = compiled.context["page"], through_orm.context["page"]
        assert (a.paginator.count, a.paginator.num_pages, a.has_next()) == (b.paginator.count, b.paginator.num_pages, b.has_next())
        assert a.paginator.count == 14 and len(a.object_list) == min(size, 14)
        assert _tree_part(compiled) == _tree_part(through_orm)


def _tree_part(response) -> str:
    """The page's tree and pager (the header carries a fresh CSRF token and the page's address)."""
    html = response.content.decode()
    return html[html.index('<main class="page">'):]
