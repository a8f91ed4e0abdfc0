"""The task page's repeated parts, written in one pass by ``{% load task_page %}``: the same markup
the template wrote, in both languages, with every kind of timeline entry (reports with files and
corrections, state changes with files, instructions, extension requests and decisions, plan
edits, milestones, supervision actions), escaping, and empty lists; and the plan history read as
rows names what changed as the objects did."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import translation

from luoshi.supervision import services as supervision
from luoshi.tasks import services
from luoshi.tasks.models import Milestone, Task
from luoshi.tasks.templatetags.task_page import ancestor_links, subtask_rows, timeline_entries

PDF = b"%PDF-1.4\n%%EOF\n"
PLAN = {"start_on": dt.date(2026, 9, 1), "deadline": dt.date(2026, 12, 31), "cadence": "monthly", "due_day": 25}

# The parts as the page's template wrote them before they were written in one pass.
TEMPLATE_ENTRIES = Template(
    """{% load i18n %}{% for e in entries %}
    <li class="entry kind-{{ e.kind }}">
      <div class="when muted small">{{ e.at|date:"Y-m-d H:i" }}{% if e.actor %} · {{ e.actor }}{% endif %}</div>
      <div class="what">{% if e.url %}<a href="{{ e.url }}">{{ e.title }}</a>{% else %}{{ e.title }}{% endif %}
        {% for code, label in e.badges %}<span class="badge {{ code }}">{{ label }}</span>{% endfor %}</div>
      {% if e.body %}<div class="body">{{ e.body|linebreaksbr }}</div>{% endif %}
      {% if e.attachments %}<ul class="files">{% for f in e.attachments %}<li><a href="{{ f.url }}">{{ f.name }}</a> <span class="muted small">{{ f.size|filesizeformat }}</span></li>{% endfor %}</ul>{% endif %}
    </li>
  {% empty %}
    <li class="muted">{% translate "暂无动态。" %}</li>
  {% endfor %}"""
)
TEMPLATE_CHILDREN = Template(
    """{% load i18n task_health %}{% for c in children %}<li><a href="{% url 'tasks:detail' c.pk %}">{{ c.citation }} {{ c.title }}</a> {% health_badge c %} <span class="muted small">{{ c.lead_unit.display_name }}</span></li>{% empty %}<li class="muted">{% translate "无" %}</li>{% endfor %}"""
)
TEMPLATE_CRUMBS = Template(
    """{% for a in ancestors %} › <a href="{% url 'tasks:detail' a.pk %}">{{ a.citation }} {{ a.title|truncatechars:20 }}</a>{% endfor %}"""
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def busy(cast, units):
    """A sub-task with something of every kind on its timeline, under a root with a long title."""
    supervisor, owner = cast["supervisor"], cast["owner"]
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        root = services.task_create(actor=supervisor, title="全市<重点>工作 & 一项标题很长很长很长很长的任务", lead_unit=units["lead"], **PLAN)
        services.task_publish(actor=supervisor, task=root, today=dt.date(2026, 9, 1))
        task = services.task_create(
            actor=supervisor, title="子任务<一>", parent=root, lead_unit=units["lead"], co_units=[units["co"]], lead_leader=cast["leader"],
            milestones=[(dt.date(2026, 10, 15), "方案印发", 30)], **PLAN,
        )
        services.task_publish(actor=supervisor, task=task, today=dt.date(2026, 9, 1))
        child = services.task_create(actor=supervisor, title="孙任务 & <b>", parent=task, lead_unit=units["co"], **PLAN)
        services.task_publish(actor=supervisor, task=child, today=dt.date(2026, 9, 1))
        services.task_create(actor=supervisor, title="无牵头单位", parent=task, lead_unit=None, **PLAN)
    with time_machine.travel(dt.datetime(2026, 10, 24, 15, 30, tzinfo=dt.UTC), tick=False):
        report = services.report_submit(
            actor=owner, task=Task.objects.get(pk=task.pk), percent=40, progress="十月进展\n第二行<b>", problems="用地 & 资金",
            next_steps="", period_key="2026-10", today=dt.date(2026, 10, 24),
            attachments=[SimpleUploadedFile("进展<1>.pdf", PDF), SimpleUploadedFile("附件.pdf", PDF * 300)],
        )
    with time_machine.travel(dt.datetime(2026, 10, 25, 8, 0, tzinfo=dt.UTC), tick=False):
        services.report_correct(actor=owner, report=report, percent=45, progress="更正后的进展", problems="", next_steps="下月完成")
        services.instruction_add(actor=cast["leader"], task=Task.objects.get(pk=task.pk), text="抓紧推进\n务必按时")
        extension = services.extension_request(actor=owner, task=Task.objects.get(pk=task.pk), reason="用地晚到", new_deadline=dt.date(2027, 2, 28))
    with time_machine.travel(dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC), tick=False):
        services.extension_decide(actor=supervisor, extension=extension, approve=False, note="理由不足")
        milestone = services.milestone_add(actor=supervisor, task=Task.objects.get(pk=task.pk), due_on=dt.date(2026, 12, 1), description="验收", planned_percent=80)
        supervision.action_issue(actor=supervisor, kind="urge", unit=units["lead"], reason="请加快进度", reply_due=dt.date(2026, 11, 5), tasks=[task], today=dt.date(2026, 10, 26))
    with time_machine.travel(dt.datetime(2026, 10, 26, 12, 0, tzinfo=dt.UTC), tick=False):
        fresh = Task.objects.get(pk=task.pk)
        services.closure_request(actor=owner, task=fresh, evidence="已完成 <全部>", attachments=[SimpleUploadedFile("证明.pdf", PDF)])
        services.closure_return(actor=supervisor, task=Task.objects.get(pk=task.pk), reason="材料不全")
    with time_machine.travel(dt.datetime(2026, 10, 27, 8, 0, tzinfo=dt.UTC), tick=False):
        services.milestone_remove(actor=supervisor, milestone=Milestone.objects.get(pk=milestone.pk))
        fresh = Task.objects.get(pk=task.pk)
        services.task_update(
            actor=supervisor, task=fresh, expected_version=fresh.version, title="子任务<一>（调整）", lead_unit=units["other"],
            lead_leader=None, cadence="quarterly", deadline=dt.date(2027, 1, 31),
        )
    return Task.objects.get(pk=task.pk)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_timeline_the_template_wrote(cast, login, busy, language):
    with translation.override(language):
        page = login(cast["supervisor"]).get(f"/tasks/{busy.pk}/")
        entries = page.context["entries"]
        kinds = {e["kind"] for e in entries}
        assert {"report", "transition", "instruction", "extension", "plan", "action"} <= kinds
        assert any(e.get("attachments") for e in entries if e["kind"] == "transition")
        expected = TEMPLATE_ENTRIES.render(Context({"entries": entries}))
        assert timeline_entries(entries) == expected
        assert expected in page.content.decode()
    assert "&lt;b&gt;" in expected and "<br>" in expected and "KB" in expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_sub_tasks_and_the_breadcrumb_the_template_wrote(cast, login, busy, language):
    grandchild = busy.children.order_by("pk").first()
    with translation.override(language):
        page = login(cast["supervisor"]).get(f"/tasks/{busy.pk}/")
        children = page.context["children"]
        assert len(children) == 2 and any(c.lead_unit_id is None for c in children)
        assert subtask_rows(children) == TEMPLATE_CHILDREN.render(Context({"children": children}))
        ancestors = login(cast["supervisor"]).get(f"/tasks/{grandchild.pk}/").context["ancestors"]
        assert len(ancestors) == 2
        crumbs = TEMPLATE_CRUMBS.render(Context({"ancestors": ancestors}))
        assert ancestor_links(ancestors) == crumbs and "的任务" not in crumbs and "&lt;重点&gt;" in crumbs


def test_it_writes_the_empty_lists_the_template_wrote(cast):
    with translation.override("en"):
        assert timeline_entries([]) == TEMPLATE_ENTRIES.render(Context({"entries": []}))
        assert subtask_rows([]) == TEMPLATE_CHILDREN.render(Context({"children": []}))
        assert ancestor_links([]) == TEMPLATE_CRUMBS.render(Context({"ancestors": []})) == ""


def test_it_names_what_the_plan_edit_changed(cast, units, login, busy):
    """The history is read as rows: a unit is named by its name and a person by theirs (their
    ``str()``), a cleared person as —, a choice by its label, milestones added and removed."""
    with translation.override("zh-hans"):
        entries = login(cast["supervisor"]).get(f"/tasks/{busy.pk}/").context["entries"]
    plan = [e for e in entries if e["kind"] == "plan"]
    edit = next(e["title"] for e in plan if e["title"].startswith("修改计划"))
    assert f"牵头单位 {units['lead']} → {units['other']}" in edit
    assert f"牵头领导 {cast['leader']} → —" in edit
    cadences = dict(Task._meta.get_field("cadence").choices)
    assert f"报送周期 {cadences['monthly']} → {cadences['quarterly']}" in edit and "完成时限 2026-12-31 → 2027-01-31" in edit
    assert all(e["actor"] == str(cast["supervisor"]) for e in plan)
    titles = [e["title"] for e in plan]
    assert any(t.startswith("新增节点：2026-12-01 验收") for t in titles) and any(t.startswith("删除节点：2026-12-01 验收") for t in titles)
    # The milestone set with the task is part of its first plan, not a change.
    assert not any("方案印发" in t for t in titles)


def test_it_names_a_person_deleted_since_the_plan_edit_as_nobody(cast, units, login):
    """A history row keeps the id of a person deleted since (the task's own column was cleared):
    the edit names them —, as the historical object (whose person no longer exists) did."""
    from luoshi.orgs.models import User

    supervisor = cast["supervisor"]
    gone = User.objects.create_user(username="gone", password="x", name="离职人员", role="liaison", unit=units["lead"])
    task = services.task_create(actor=supervisor, title="任务", lead_unit=units["lead"], responsible_person=gone, **PLAN)
    fresh = Task.objects.get(pk=task.pk)
    services.task_update(actor=supervisor, task=fresh, expected_version=fresh.version, responsible_person=cast["owner"])
    gone.delete()
    with translation.override("zh-hans"):
        entries = login(supervisor).get(f"/tasks/{task.pk}/").context["entries"]
    edit = next(e["title"] for e in entries if e["kind"] == "plan")
    assert f"责任人 — → {cast['owner']}" in edit and "None" not in edit
