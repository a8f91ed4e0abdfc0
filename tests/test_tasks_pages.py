"""Task pages: the access table (every view × owner, co-unit member, outsider, leader, supervisor),
bad input changing nothing, two supervisors editing at once, the board's filters and constant
query count, the attachment download and 我的工作台."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.supervision import services as supervision
from luoshi.tasks.health import render_reason
from luoshi.tasks import services
from luoshi.tasks.models import Attachment, ExtensionRequest, Instruction, Milestone, ProgressReport, Task, TaskTransition

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TODAY = NOW.date()
PDF = b"%PDF-1.4\n%%EOF\n"
ROLES = ("owner", "member", "outsider", "leader", "supervisor")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(cast, units):
    task = services.task_create(
        actor=cast["supervisor"], title="优化营商环境", lead_unit=units["lead"], co_units=[units["co"]], lead_leader=cast["leader"],
        start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25,
        milestones=[(dt.date(2026, 10, 15), "方案印发", 30)],
    )
    services.task_publish(actor=cast["supervisor"], task=task, today=dt.date(2026, 9, 1))
    return Task.objects.get(pk=task.pk)


@pytest.fixture
def world(cast, task):
    """The task with something of each kind on it: a report with a file, a pending extension."""
    report = services.report_submit(
        actor=cast["owner"], task=task, percent=40, progress="十月进展", period_key="2026-10", today=dt.date(2026, 10, 24),
        attachments=[SimpleUploadedFile("进展.pdf", PDF)],
    )
    extension = services.extension_request(actor=cast["owner"], task=task, reason="用地晚到", new_deadline=dt.date(2027, 2, 28))
    return {"task": Task.objects.get(pk=task.pk), "report": report, "extension": extension, "attachment": report.attachments.get()}


def snapshot(task_pk):
    task = Task.objects.get(pk=task_pk)
    return (
        task.version, task.status, task.title, task.deadline,
        ProgressReport.objects.count(), TaskTransition.objects.count(), Instruction.objects.count(),
        ExtensionRequest.objects.filter(status="pending").count(), Milestone.objects.count(), Task.objects.count(),
        Attachment.objects.count(),
    )


def report_data():
    return {"period": "2026-11", "percent": 60, "progress": "十一月进展", "problems": "", "next_steps": ""}


# (name, method, url(world), data(world), {role: status})
OK_READ = {"owner": 200, "member": 200, "outsider": 404, "leader": 200, "supervisor": 200}
SUPERVISOR_ONLY = {"owner": 403, "member": 403, "outsider": 404, "leader": 403, "supervisor": 200}
SUPERVISOR_POST = {**SUPERVISOR_ONLY, "supervisor": 302}
CASES = [
    ("list", "get", lambda w: "/tasks/", None, dict.fromkeys(ROLES, 200)),
    ("board", "get", lambda w: "/tasks/board/", None, dict.fromkeys(ROLES, 200)),
    ("detail", "get", lambda w: f"/tasks/{w['task'].pk}/", None, OK_READ),
    ("reports", "get", lambda w: f"/tasks/{w['task'].pk}/reports/", None, OK_READ),
    ("attachment", "get", lambda w: f"/tasks/attachments/{w['attachment'].pk}/", None, OK_READ),
    ("edit form", "get", lambda w: f"/tasks/{w['task'].pk}/edit/", None, SUPERVISOR_ONLY),
    ("subtask form", "get", lambda w: f"/tasks/{w['task'].pk}/subtask/", None, SUPERVISOR_ONLY),
    ("edit", "post", lambda w: f"/tasks/{w['task'].pk}/edit/",
     lambda w: {"title": "改后的标题", "kind": "key", "cadence": "monthly", "due_day": 25, "version": w["task"].version,
                "lead_unit": w["task"].lead_unit_id, "deadline": "2026-12-31", "start_on": "2026-09-01"}, SUPERVISOR_POST),
    ("subtask", "post", lambda w: f"/tasks/{w['task'].pk}/subtask/",
     lambda w: {"title": "子任务", "kind": "key", "cadence": "monthly", "lead_unit": w["task"].lead_unit_id, "deadline": "2026-12-20",
                "publish": "on"}, SUPERVISOR_POST),
    ("milestone add", "post", lambda w: f"/tasks/{w['task'].pk}/milestones/",
     lambda w: {"due_on": "2026-12-01", "description": "验收", "planned_percent": 80}, SUPERVISOR_POST),
    ("milestone delete", "post", lambda w: f"/tasks/{w['task'].pk}/milestones/{w['task'].milestones.get().pk}/delete/",
     lambda w: {}, SUPERVISOR_POST),
    ("report", "post", lambda w: f"/tasks/{w['task'].pk}/report/", lambda w: report_data(),
     {"owner": 302, "member": 302, "outsider": 404, "leader": 403, "supervisor": 403}),
    ("correct form", "get", lambda w: f"/tasks/reports/{w['report'].pk}/correct/", None,
     {"owner": 200, "member": 403, "outsider": 404, "leader": 403, "supervisor": 403}),
    ("correct", "post", lambda w: f"/tasks/reports/{w['report'].pk}/correct/",
     lambda w: {"percent": 42, "progress": "更正"}, {"owner": 302, "member": 403, "outsider": 404, "leader": 403, "supervisor": 403}),
    ("request closure", "post", lambda w: f"/tasks/{w['task'].pk}/action/request_closure/",
     lambda w: {"evidence": "已完成", "version": w["task"].version},
     {"owner": 302, "member": 403, "outsider": 404, "leader": 403, "supervisor": 403}),
    ("suspend", "post", lambda w: f"/tasks/{w['task'].pk}/action/suspend/", lambda w: {"reason": "暂缓"}, SUPERVISOR_POST),
    ("extension", "post", lambda w: f"/tasks/{w['task'].pk}/extension/",
     lambda w: ExtensionRequest.objects.all().delete() and {"new_deadline": "2027-01-31", "reason": "理由"},
     {"owner": 302, "member": 403, "outsider": 404, "leader": 403, "supervisor": 403}),
    ("extension decide", "post", lambda w: f"/tasks/extensions/{w['extension'].pk}/decide/",
     lambda w: {"decision": "approve", "note": ""}, SUPERVISOR_POST),
    ("instruction", "post", lambda w: f"/tasks/{w['task'].pk}/instruction/", lambda w: {"text": "抓紧推进"},
     {"owner": 403, "member": 403, "outsider": 404, "leader": 302, "supervisor": 302}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, url, data, expected", CASES, ids=[c[0] for c in CASES])
def test_it_applies_the_access_table(cast, world, login, role, name, method, url, data, expected):
    client = login(cast[role])
    target = url(world)
    payload = data(world) if data else None
    before = snapshot(world["task"].pk)
    response = getattr(client, method)(target, payload) if payload is not None else getattr(client, method)(target)
    assert response.status_code == expected[role], (name, role, response.status_code)
    if method == "post":
        changed = snapshot(world["task"].pk) != before
        assert changed is (expected[role] == 302), (name, role)


@pytest.mark.parametrize("name, method, url, data, expected", CASES, ids=[c[0] for c in CASES])
def test_it_sends_anonymous_visitors_to_the_login(client, world, name, method, url, data, expected):
    response = getattr(client, method)(url(world), data(world) if data else None)
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- bad input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, data",
    [
        ("report/", {"period": "2026-11", "percent": 150, "progress": "x"}),
        ("report/", {"period": "1999-01", "percent": 10, "progress": "x"}),
        ("report/", {"period": "2026-11", "percent": 10, "progress": ""}),
        ("action/request_closure/", {"evidence": ""}),
        ("extension/", {"new_deadline": "2026-02-30", "reason": "x"}),
        ("extension/", {"new_deadline": "2026-12-01", "reason": "早于原时限"}),
    ],
)
def test_it_refuses_bad_input_from_the_unit_and_changes_nothing(cast, task, login, url, data):
    before = snapshot(task.pk)
    response = login(cast["owner"]).post(f"/tasks/{task.pk}/{url}", data)
    assert response.status_code == 400
    assert snapshot(task.pk) == before
    assert "errorlist" in response.content.decode() or "msg-error" in response.content.decode()


def test_it_refuses_a_disallowed_upload_with_a_message(cast, task, login):
    before = snapshot(task.pk)
    upload = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00")
    response = login(cast["owner"]).post(f"/tasks/{task.pk}/report/", {**report_data(), "attachments": [upload]})
    assert response.status_code == 400 and "类型不允许" in response.content.decode()
    assert snapshot(task.pk) == before


def test_it_refuses_bad_input_from_supervisors_and_changes_nothing(cast, task, login):
    client = login(cast["supervisor"])
    before = snapshot(task.pk)
    assert client.post(f"/tasks/{task.pk}/action/return/", {"reason": "x"}).status_code == 400  # not in closure_requested
    assert client.post(f"/tasks/{task.pk}/action/suspend/", {"reason": " "}).status_code == 400
    assert client.post(f"/tasks/{task.pk}/milestones/", {"due_on": "x", "description": "", "planned_percent": 500}).status_code == 400
    assert client.post(f"/tasks/{task.pk}/edit/", {"title": "", "version": task.version}).status_code == 400
    assert client.post(f"/tasks/{task.pk}/action/nonsense/").status_code == 404
    assert snapshot(task.pk) == before


def test_it_keeps_what_was_typed_when_a_report_is_refused(cast, task, login):
    response = login(cast["owner"]).post(f"/tasks/{task.pk}/report/", {"period": "2026-11", "percent": 150, "progress": "写了很多字"})
    assert "写了很多字" in response.content.decode()


# --- no lost update ------------------------------------------------------------------------------------
def test_it_refuses_the_second_of_two_supervisors_editing_at_once(cast, task, client, django_user_model):
    from django.test import Client

    other = django_user_model.objects.create_user(username="sup2", password="x-123456", role="supervisor", name="乙")
    first, second = Client(), Client()
    first.force_login(cast["supervisor"])
    second.force_login(other)
    form_a = first.get(f"/tasks/{task.pk}/edit/").context["form"]
    form_b = second.get(f"/tasks/{task.pk}/edit/").context["form"]
    assert form_a.initial["version"] == form_b.initial["version"] == task.version

    def post(c, title, form):
        data = {k: v for k, v in form.initial.items() if v is not None and k != "co_units"}
        data.update(title=title, lead_unit=task.lead_unit_id, lead_leader=task.lead_leader_id, co_units=[u.pk for u in task.co_units.all()])
        return c.post(f"/tasks/{task.pk}/edit/", data)

    assert post(first, "甲的标题", form_a).status_code == 302
    response = post(second, "乙的标题", form_b)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    task.refresh_from_db()
    assert task.title == "甲的标题" and task.version == form_a.initial["version"] + 1


def test_it_refuses_a_transition_from_a_stale_page(cast, task, login):
    client = login(cast["supervisor"])
    stale = task.version
    services.task_update(actor=cast["supervisor"], task=task, expected_version=stale, title="他人改过")
    response = client.post(f"/tasks/{task.pk}/action/suspend/", {"reason": "暂缓", "version": stale})
    assert response.status_code == 409
    assert Task.objects.get(pk=task.pk).status == "in_progress"


# --- the task page -------------------------------------------------------------------------------------
def test_it_shows_the_task_page_with_one_timeline(cast, world, login):
    services.instruction_add(actor=cast["leader"], task=world["task"], text="请财政局保障资金")
    page = login(cast["member"]).get(f"/tasks/{world['task'].pk}/")
    html = page.content.decode()
    kinds = [e["kind"] for e in page.context["entries"]]
    assert {"report", "transition", "instruction", "extension"} <= set(kinds)
    assert [e["at"] for e in page.context["entries"]] == sorted((e["at"] for e in page.context["entries"]), reverse=True)
    assert "请财政局保障资金" in html and "十月进展" in html
    reasons = Task.objects.get(pk=world["task"].pk).health_reasons
    assert reasons and all(isinstance(r, dict) for r in reasons)  # stored as data, rendered per viewer
    for reason in reasons:
        assert render_reason(reason) in html
    assert page.context["report_form"] is not None  # the co-unit has not reported this period


def test_it_offers_the_workflow_actions_of_the_users_roles(cast, task, login):
    owner = [row.action for row in login(cast["owner"]).get(f"/tasks/{task.pk}/").context["actions"]]
    supervisor = [row.action for row in login(cast["supervisor"]).get(f"/tasks/{task.pk}/").context["actions"]]
    assert owner == ["request_closure"]
    assert set(supervisor) == {"suspend", "cancel"}


def test_it_hides_the_report_form_once_the_period_is_reported(cast, task, login):
    client = login(cast["owner"])
    assert client.get(f"/tasks/{task.pk}/").context["report_form"] is not None
    assert client.post(f"/tasks/{task.pk}/report/", report_data()).status_code == 302
    periods = [c[0] for c in client.get(f"/tasks/{task.pk}/").context["report_form"].fields["period"].choices]
    assert "2026-11" not in periods  # the owed past periods are still offered, this one is done


def test_it_serves_attachments_only_through_the_checked_view(cast, world, login, settings):
    response = login(cast["owner"]).get(f"/tasks/attachments/{world['attachment'].pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    assert login(cast["owner"]).get("/" + settings.MEDIA_URL + world["attachment"].file.name).status_code == 404


def test_it_consolidates_every_units_reports_per_period(cast, world, login):
    services.report_submit(actor=cast["member"], task=world["task"], percent=30, progress="财政局十一月", today=TODAY)
    rows = login(cast["owner"]).get(f"/tasks/{world['task'].pk}/reports/").context["rows"]
    by_key = {row["key"]: [r and r.progress for _u, r in row["columns"]] for row in rows}
    assert by_key == {"2026-11": [None, "财政局十一月"], "2026-10": ["十月进展", None]}


# --- board -----------------------------------------------------------------------------------------
def make_tasks(cast, units, n, **kw):
    for i in range(n):
        t = services.task_create(
            actor=cast["supervisor"], title=f"任务{i}", lead_unit=units["lead"] if i % 2 else units["co"], co_units=[units["other"]],
            lead_leader=cast["leader"], start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 1) + dt.timedelta(days=i), **kw,
        )
        services.task_publish(actor=cast["supervisor"], task=t, today=dt.date(2026, 9, 1))


def test_it_keeps_the_boards_query_count_constant(cast, units, login):
    client = login(cast["supervisor"])
    make_tasks(cast, units, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/tasks/board/?sort=deadline").status_code == 200
    make_tasks(cast, units, 30)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/tasks/board/?sort=deadline")
    assert len(page.context["page"].object_list) == 32
    assert len(many.captured_queries) == len(few.captured_queries)


PLAN = {"start_on": dt.date(2026, 9, 1), "deadline": dt.date(2026, 12, 31), "cadence": "monthly", "due_day": 25}


def _grow(cast, units, task, months):
    """More of everything the task page lists: a sub-task, reports with a file, a closure request
    with a file and its return, an instruction, an extension request refused, a supervision
    action, a milestone, a plan edit."""
    sub = services.task_create(actor=cast["supervisor"], title=f"子任务{len(months)}", parent=task, lead_unit=units["lead"], **PLAN)
    services.task_publish(actor=cast["supervisor"], task=sub, today=dt.date(2026, 9, 1))
    for month in months:
        for who in ("owner", "member"):
            services.report_submit(
                actor=cast[who], task=task, percent=5 * month, progress=f"{month}月进展", period_key=f"2026-{month:02d}",
                today=dt.date(2026, month, 24), attachments=[SimpleUploadedFile(f"{who}{month}.pdf", PDF)],
            )
    task.refresh_from_db()
    services.closure_request(actor=cast["owner"], task=task, evidence="已完成", attachments=[SimpleUploadedFile("证明.pdf", PDF)])
    task.refresh_from_db()
    services.closure_return(actor=cast["supervisor"], task=task, reason="材料不全")
    services.instruction_add(actor=cast["leader"], task=task, text="抓紧推进")
    extension = services.extension_request(actor=cast["owner"], task=task, reason="用地晚到", new_deadline=dt.date(2027, 2, 28))
    services.extension_decide(actor=cast["supervisor"], extension=extension, approve=False, note="理由不足")
    supervision.action_issue(
        actor=cast["supervisor"], kind="urge", unit=units["lead"], reason="请加快进度", reply_due=dt.date(2026, 11, 5), tasks=[task], today=dt.date(2026, 10, 26)
    )
    services.milestone_add(actor=cast["supervisor"], task=task, due_on=dt.date(2026, 12, 1), description="节点", planned_percent=80)
    task.refresh_from_db()
    services.task_update(actor=cast["supervisor"], task=task, expected_version=task.version, title=f"{task.title}（调整{len(months)}）")


@pytest.mark.parametrize("who", ["supervisor", "owner"])
def test_it_keeps_the_task_pages_query_count_constant(cast, units, login, task, who):
    client = login(cast[who])
    child = services.task_create(actor=cast["supervisor"], title="子任务", parent=task, lead_unit=units["lead"], co_units=[units["co"]], **PLAN)
    services.task_publish(actor=cast["supervisor"], task=child, today=dt.date(2026, 9, 1))
    grandchild = services.task_create(actor=cast["supervisor"], title="孙任务", parent=child, lead_unit=units["lead"], co_units=[units["co"]], **PLAN)
    services.task_publish(actor=cast["supervisor"], task=grandchild, today=dt.date(2026, 9, 1))
    _grow(cast, units, Task.objects.get(pk=child.pk), [9])
    _grow(cast, units, Task.objects.get(pk=grandchild.pk), [9])

    def count(pk):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/tasks/{pk}/").status_code == 200
        return len(queries.captured_queries)

    few = count(child.pk)
    # One ancestor more, then twice as many of everything on the page: the same queries.
    assert count(grandchild.pk) == few
    _grow(cast, units, Task.objects.get(pk=child.pk), [10, 11])
    page = client.get(f"/tasks/{child.pk}/")
    assert len(page.context["children"]) == 3 and sum(e["kind"] == "report" for e in page.context["entries"]) == 6
    assert sum(e["kind"] == "action" for e in page.context["entries"]) == 2 and sum(e["kind"] == "extension" for e in page.context["entries"]) == 4
    assert count(child.pk) == few


@pytest.mark.parametrize("path", ["/tasks/", "/"])
def test_it_keeps_the_list_and_workbench_query_count_constant(cast, units, login, path):
    for who in ("supervisor", "owner", "leader"):
        client = login(cast[who])
        Task.objects.all().delete()
        make_tasks(cast, units, 2)
        with CaptureQueriesContext(connection) as few:
            client.get(path)
        make_tasks(cast, units, 20)
        with CaptureQueriesContext(connection) as many:
            client.get(path)
        assert len(many.captured_queries) == len(few.captured_queries), who


def test_it_keeps_the_unit_workbench_query_count_constant_with_closures_waiting(cast, units, login):
    client = login(cast["owner"])

    def waiting(n):
        for i in range(n):
            t = services.task_create(
                actor=cast["supervisor"], title=f"待核销号{i}", lead_unit=units["lead"], start_on=dt.date(2026, 9, 1),
                deadline=dt.date(2026, 11, 25) + dt.timedelta(days=i), cadence="monthly", due_day=25,
            )
            services.task_publish(actor=cast["supervisor"], task=t, today=dt.date(2026, 9, 1))
            services.closure_request(actor=cast["owner"], task=Task.objects.get(pk=t.pk), evidence="已完成")

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/")
        return len(queries.captured_queries), page

    waiting(1)
    few, _page = count()
    waiting(5)
    many, page = count()
    assert many == few
    assert sum(1 for t in page.context["wb"]["tasks"] if t.status == "closure_requested") == 6


def test_it_filters_the_board(cast, units, login, task):
    make_tasks(cast, units, 4)
    client = login(cast["supervisor"])

    def numbers(query):
        return sorted(t.title for t in client.get(f"/tasks/board/?{query}").context["page"])

    assert numbers(f"unit={units['co'].pk}") == sorted(["优化营商环境", "任务0", "任务2"])
    assert numbers("deadline_from=2026-12-02&deadline_to=2026-12-03") == ["任务1", "任务2"]
    assert numbers("q=优化") == ["优化营商环境"]
    Task.objects.filter(title="任务3").update(health="red")
    assert numbers("health=red") == ["任务3"]
    assert numbers("health=purple&q=任务3") == ["任务3"]  # a stale filter is ignored, the others still apply
    assert numbers(f"leader={cast['leader'].pk}&kind=rectification") == []


def test_it_scopes_the_board_to_what_the_user_may_see(cast, units, login, task):
    make_tasks(cast, units, 2)  # lead 财政局 / 发改委, co-unit 教育局
    assert len(login(cast["outsider"]).get("/tasks/board/").context["page"]) == 2
    assert sorted(t.title for t in login(cast["owner"]).get("/tasks/board/").context["page"]) == ["任务1", "优化营商环境"]


def test_it_answers_htmx_with_the_results_only(cast, units, login, task):
    response = login(cast["supervisor"]).get("/tasks/board/?sort=number", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html


def test_it_sorts_the_board_red_first(cast, units, login):
    make_tasks(cast, units, 3)
    Task.objects.filter(title="任务2").update(health="red")
    Task.objects.filter(title="任务1").update(health="yellow")
    titles = [t.title for t in login(cast["supervisor"]).get("/tasks/board/").context["page"]]
    assert titles[:2] == ["任务2", "任务1"]


# --- tree and workbench ----------------------------------------------------------------------------
def test_it_shows_the_tree_in_order_with_sub_tasks_under_their_parent(cast, units, login, task):
    services.task_create(actor=cast["supervisor"], title="第二项", lead_unit=units["lead"])
    child = services.task_create(actor=cast["supervisor"], title="子任务", parent=task, lead_unit=units["lead"], deadline=dt.date(2026, 12, 1))
    services.task_publish(actor=cast["supervisor"], task=child, today=TODAY)
    rows = login(cast["supervisor"]).get("/tasks/").context["rows"]
    assert [r["task"].number for r in rows if "task" in r] == ["1", "1.1", "2"]
    assert [r["depth"] for r in rows if "task" in r] == [0, 1, 0]


def test_it_creates_a_sub_task_under_its_parent(cast, task, login):
    response = login(cast["supervisor"]).post(
        f"/tasks/{task.pk}/subtask/",
        {"title": "子任务甲", "kind": "key", "cadence": "weekly", "due_day": 5, "lead_unit": task.lead_unit_id, "deadline": "2026-12-20",
         "publish": "on", "tags": "营商环境，重点"},
    )
    child = Task.objects.get(title="子任务甲")
    assert response.status_code == 302 and child.parent_id == task.pk and child.number == "1.1"
    assert child.status == "in_progress" and child.tags == "营商环境、重点"


def test_it_puts_what_is_due_this_week_first_on_the_units_workbench(cast, task, login):
    wb = login(cast["owner"]).get("/").context["wb"]
    assert wb["mode"] == "unit"
    kinds = [(d["kind"], d["label"]) for d in wb["due"]]
    # October (due 10-25) is missed, November is due on the 25th: both shown, the older first.
    assert kinds == [("report_missing", "2026年10月"), ("report_due", "2026年11月")]
    assert [t.pk for t in wb["tasks"]] == [task.pk]


def test_it_shows_the_office_what_waits_for_it(cast, world, login):
    services.closure_request(actor=cast["owner"], task=world["task"], evidence="已完成")
    wb = login(cast["supervisor"]).get("/").context["wb"]
    assert wb["mode"] == "office"
    assert [t.pk for t in wb["closures"]] == [world["task"].pk]
    assert [e.pk for e in wb["extensions"]] == [world["extension"].pk]


def test_it_shows_leaders_their_scope(cast, task, units, login):
    outside = services.task_create(actor=cast["supervisor"], title="教育局任务", lead_unit=units["other"], deadline=dt.date(2026, 12, 1))
    services.task_publish(actor=cast["supervisor"], task=outside, today=dt.date(2026, 9, 1))
    wb = login(cast["leader"]).get("/").context["wb"]
    assert wb["mode"] == "leader"
    assert [t.pk for t in wb["led"]] == [task.pk]
    assert outside.pk not in [t.pk for t in wb["attention"]]
    assert sum(wb["counts"].values()) == 1


def _office_world(cast, units, world):
    """Something in each of the office's lists: a closure to verify, an extension to decide, red
    tasks and tasks due within the week (with and without a lead unit)."""
    services.closure_request(actor=cast["owner"], task=world["task"], evidence="已完成")
    make_tasks(cast, units, 4)
    Task.objects.filter(title__in=["任务1", "任务3"]).update(health="red", health_reasons=[{"m": "逾期%(days)s天", "p": {"days": 3}}])
    Task.objects.filter(title="任务0").update(deadline=TODAY + dt.timedelta(days=3))
    Task.objects.filter(title="任务2").update(lead_unit=None, deadline=TODAY + dt.timedelta(days=2))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_office_lists_from_their_columns_as_from_whole_tasks(cast, units, world, language):
    from django.utils import translation

    from luoshi.tasks import workbench
    from luoshi.tasks.templatetags.task_workbench import workbench_task_items

    _office_world(cast, units, world)
    translation.activate(language)
    wb = workbench.build(cast["supervisor"], TODAY)
    whole = {
        "closures": Task.objects.filter(status="closure_requested").select_related("lead_unit").order_by("status_changed_at", "pk"),
        "red": Task.objects.filter(status__in=("in_progress", "returned", "closure_requested"), health="red").select_related("lead_unit")
        .order_by("deadline", "pk"),
        "due_soon": Task.objects.filter(status__in=("in_progress", "returned"), deadline__gte=TODAY, deadline__lt=TODAY + dt.timedelta(days=7))
        .select_related("lead_unit").order_by("deadline", "pk"),
    }
    assert all(wb[name] for name in whole) and any(t.lead_unit_id is None for t in wb["due_soon"])
    for name, detail, badge in (("closures", "changed", False), ("red", "reasons", False), ("due_soon", "deadline", True)):
        expected = workbench_task_items(list(whole[name]), detail, badge)
        with CaptureQueriesContext(connection) as queries:
            assert workbench_task_items(wb[name], detail, badge) == expected, name
        assert not queries.captured_queries, name  # every column the list shows was read
    [extension] = wb["extensions"]
    assert (extension.pk, extension.task.title, extension.unit.display_name, extension.new_deadline) == (
        world["extension"].pk, "优化营商环境", units["lead"].display_name, dt.date(2027, 2, 28))


def test_it_reads_the_office_lists_alike_through_a_narrower_scope(cast, units, world, monkeypatch):
    """Should a supervisor's scope ever be narrowed, the lists are read through it: the same lists
    for a scope that happens to hold every task."""
    from luoshi.tasks import workbench
    from luoshi.tasks.models import TaskQuerySet

    _office_world(cast, units, world)
    every = workbench.build(cast["supervisor"], TODAY)
    monkeypatch.setattr(TaskQuerySet, "visible_to", lambda self, user: self.filter(pk__gt=0))
    narrowed = workbench.build(cast["supervisor"], TODAY)
    for name in ("closures", "extensions", "red", "due_soon"):
        assert [o.pk for o in narrowed[name]] == [o.pk for o in every[name]], name
    assert narrowed["counts"] == every["counts"]


def test_it_keeps_the_office_workbench_query_count_constant_with_everything_waiting(cast, units, world, login):
    client = login(cast["supervisor"])
    _office_world(cast, units, world)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    make_tasks(cast, units, 6)
    for t in Task.objects.filter(title__startswith="任务", lead_unit=units["lead"]):
        services.extension_request(actor=cast["owner"], task=t, reason="用地晚到", new_deadline=dt.date(2027, 3, 1))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/")
    assert len(page.context["wb"]["extensions"]) > 1 and len(many.captured_queries) == len(few.captured_queries)


def test_it_reads_a_units_co_units_and_report_keys_as_the_orm_does(cast, units, task):
    """The unit workbench reads them by hand with the ids as one array: the same rows as the ORM."""
    from luoshi.orgs.models import Unit
    from luoshi.tasks import workbench

    second = services.task_create(actor=cast["supervisor"], title="第二项", lead_unit=units["co"], co_units=[units["sub"], units["lead"], units["other"]],
                                  start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25)
    services.task_publish(actor=cast["supervisor"], task=second, today=dt.date(2026, 9, 1))
    first = services.report_submit(actor=cast["owner"], task=task, percent=20, progress="九月", period_key="2026-09", today=dt.date(2026, 9, 24))
    services.report_correct(actor=cast["owner"], report=first, percent=25, progress="九月（更正）")
    services.report_submit(actor=cast["owner"], task=task, percent=40, progress="十月", period_key="2026-10", today=dt.date(2026, 10, 24))
    services.report_submit(actor=cast["owner"], task=Task.objects.get(pk=second.pk), percent=10, progress="十月", period_key="2026-10",
                           today=dt.date(2026, 10, 24))
    services.report_submit(actor=cast["member"], task=Task.objects.get(pk=second.pk), percent=10, progress="十月", period_key="2026-10",
                           today=dt.date(2026, 10, 24))
    ids, own = [task.pk, second.pk, -1], {units["lead"].pk, units["sub"].pk, units["other"].pk}
    co = Task.co_units.through.objects.filter(task_id__in=ids, unit_id__in=own).order_by("unit__sort_order", "unit__name", "unit_id")
    assert Unit._meta.ordering == ["sort_order", "name"]
    assert workbench._own_co_units(ids, own) == list(co.values_list("task_id", "unit_id")) and len(co) == 3
    keys = ProgressReport.objects.filter(task__in=ids, unit_id__in=own, superseded=False).values_list("task_id", "unit_id", "period_key")
    assert sorted(workbench._current_report_keys(ids, own)) == sorted(keys) and len(keys) == 3
    assert workbench._own_co_units([], own) == [] and workbench._current_report_keys(ids, []) == []


def test_it_reads_a_task_for_whoever_sees_every_task_as_through_their_scope(cast, units, world, monkeypatch):
    """The office reads a task with a statement compiled once: the same task, lead unit, leader and
    directive (its text not read) as through ``visible_to``; 404 for what does not exist."""
    from django.http import Http404

    from luoshi.tasks import access
    from luoshi.tasks.models import TaskQuerySet

    pk = world["task"].pk
    direct = access.get_task_for_user(cast["supervisor"], pk)
    monkeypatch.setattr(TaskQuerySet, "visible_to", lambda self, user: self.filter(pk__gt=0))
    scoped = access.get_task_for_user(cast["supervisor"], pk)
    monkeypatch.undo()
    columns = [f.attname for f in Task._meta.concrete_fields]
    assert [getattr(direct, c) for c in columns] == [getattr(scoped, c) for c in columns]
    for name in ("lead_unit", "lead_leader"):
        related = getattr(direct, name)
        assert [getattr(related, f.attname) for f in related._meta.concrete_fields] == [
            getattr(getattr(scoped, name), f.attname) for f in related._meta.concrete_fields], name
    assert direct.get_deferred_fields() == set()
    for pk_asked in (-1, "x", None, 10**30):
        with pytest.raises(Http404):
            access.get_task_for_user(cast["supervisor"], pk_asked)
    assert access.get_task_for_user(cast["supervisor"], pk, write=True).pk == pk


def test_it_does_not_read_the_directives_text_with_a_task(cast, units, world, login):
    from luoshi.tasks import access

    directive = Task._meta.get_field("directive").related_model.objects.create(
        title="在全市重点工作推进会上的讲话", issued_on=dt.date(2026, 9, 1), text="全文。" * 5000, status="published")
    Task.objects.filter(pk=world["task"].pk).update(directive=directive, source_text="加快推进重点工作")
    for who in ("supervisor", "owner"):
        task = access.get_task_for_user(cast[who], world["task"].pk)
        assert task.directive.title == directive.title and "text" in task.directive.get_deferred_fields(), who
        assert "在全市重点工作推进会上的讲话" in login(cast[who]).get(f"/tasks/{task.pk}/").content.decode(), who


@pytest.mark.parametrize("with_directive", [False, True])
def test_it_reads_a_tasks_relatives_for_whoever_sees_every_task_as_through_their_scope(cast, units, task, monkeypatch, with_directive):
    """Sub-tasks and ancestors read with a statement compiled once per depth: the same tasks, in the
    same order, with their lead units, as through ``visible_to``, at every depth of the tree, for
    tasks of a directive and tasks entered on their own."""
    from luoshi.tasks import selectors
    from luoshi.tasks.models import TaskQuerySet

    if with_directive:
        directive = Task._meta.get_field("directive").related_model.objects.create(
            title="全市重点工作推进会讲话", issued_on=dt.date(2026, 9, 1), text="全文。", status="published")
        Task.objects.filter(pk=task.pk).update(directive=directive)
        task = Task.objects.get(pk=task.pk)

    def sub(parent, title, lead):
        made = services.task_create(actor=cast["supervisor"], title=title, parent=parent, lead_unit=lead,
                                    deadline=dt.date(2026, 12, 31))
        return Task.objects.get(pk=made.pk)

    child = sub(task, "子任务甲", units["co"])
    sub(task, "子任务乙", None)
    grandchild = sub(child, "孙任务", units["lead"])
    great = sub(grandchild, "曾孙任务", units["other"])
    sub(grandchild, "曾孙任务乙", units["co"])
    columns = [f.attname for f in Task._meta.concrete_fields]

    def shown(found):
        return [[([getattr(t, c) for c in columns], t.lead_unit and t.lead_unit.name) for t in part] for part in found]

    for one in (task, child, grandchild, great):
        direct = selectors.task_relatives(cast["supervisor"], one)
        with monkeypatch.context() as scoped:
            scoped.setattr(TaskQuerySet, "visible_to", lambda self, user: self.filter(pk__gt=0))
            through_scope = selectors.task_relatives(cast["supervisor"], one)
        assert shown(direct) == shown(through_scope), one.number
    children, ancestors = selectors.task_relatives(cast["supervisor"], grandchild)
    assert [t.title for t in children] == ["曾孙任务", "曾孙任务乙"] and [t.title for t in ancestors] == ["优化营商环境", "子任务甲"]
    # A liaison's are read through their scope: the draft sub-tasks are not theirs to see.
    assert selectors.task_relatives(cast["owner"], task) == ([], [])


def test_it_keeps_a_tasks_co_units_as_prefetching_them_would(cast, units, task, django_assert_num_queries):
    from django.db.models import prefetch_related_objects

    from luoshi.tasks import selectors

    services.task_update(actor=cast["supervisor"], task=task, co_units=[units["other"], units["co"]], expected_version=task.version)
    fresh, prefetched = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)
    prefetch_related_objects([prefetched], "co_units")
    with django_assert_num_queries(1):
        kept = selectors.keep_co_units(fresh)
    with django_assert_num_queries(0):
        assert list(fresh.co_units.all()) == kept == list(prefetched.co_units.all())
        assert [u.name for u in kept] == [units["co"].name, units["other"].name]
    # Narrowing them still asks the database, for this task's co-units only.
    assert list(fresh.co_units.filter(pk=units["other"].pk)) == [units["other"]]
    assert list(fresh.co_units.filter(pk=units["lead"].pk)) == []


def test_it_reads_a_task_for_a_unit_or_a_leader_as_through_their_scope(cast, units, task, monkeypatch):
    """A liaison's or leader's task is read with the statement of their number of units, compiled
    once: the same task for each of them as through ``visible_to``, and 404 for the same tasks
    (a draft, another unit's, one they only co-work on is theirs)."""
    from django.http import Http404

    from luoshi.orgs.access import get_object_for_user
    from luoshi.tasks import access

    draft = services.task_create(actor=cast["supervisor"], title="草稿任务", lead_unit=units["lead"], deadline=dt.date(2026, 12, 31))
    other = services.task_create(actor=cast["supervisor"], title="教育任务", lead_unit=units["other"], co_units=[units["sub"]],
                                 deadline=dt.date(2026, 12, 31))
    services.task_publish(actor=cast["supervisor"], task=other, today=dt.date(2026, 9, 1))
    led = services.task_create(actor=cast["supervisor"], title="领导牵头", lead_unit=units["other"], lead_leader=cast["leader"],
                               deadline=dt.date(2026, 12, 31))
    services.task_publish(actor=cast["supervisor"], task=led, today=dt.date(2026, 9, 1))
    columns = [f.attname for f in Task._meta.concrete_fields]

    def read(get, person, pk):
        try:
            found = get(person, pk)
        except Http404:
            return None
        return [getattr(found, c) for c in columns], found.lead_unit and found.lead_unit.name, found.directive_id

    def through_scope(person, pk):
        return get_object_for_user(Task.objects.select_related("lead_unit", "lead_leader", "directive"), person, pk)

    seen = {}
    for role in ("owner", "member", "outsider", "leader"):
        for one in (task, draft, other, led):
            direct, scoped = read(access.get_task_for_user, cast[role], one.pk), read(through_scope, cast[role], one.pk)
            assert direct == scoped, (role, one.title)
            seen[role, one.title] = direct is not None
    # The owner's unit has a sub-unit that co-works on 教育任务: theirs to see; not the member's.
    assert seen["owner", "优化营商环境"] and not seen["owner", "草稿任务"] and seen["owner", "教育任务"] and not seen["member", "教育任务"]
    assert seen["member", "优化营商环境"] and not seen["outsider", "优化营商环境"] and seen["outsider", "教育任务"]
    assert seen["leader", "领导牵头"]
    for pk in (-1, "x", None, 10**30):
        with pytest.raises(Http404):
            access.get_task_for_user(cast["owner"], pk)


def test_it_reads_the_relatives_a_unit_or_a_leader_sees_as_through_their_scope(cast, units, task):
    """A liaison's or leader's sub-tasks and ancestors, read with the statement of their number of
    units: the same tasks as through ``visible_to`` (a draft sub-task, another unit's, a sub-unit's)."""
    from luoshi.tasks import selectors

    def sub(parent, title, lead, publish=True, co=()):
        made = services.task_create(actor=cast["supervisor"], title=title, parent=parent, lead_unit=lead, co_units=co,
                                    lead_leader=cast["leader"] if title.endswith("领导") else None, deadline=dt.date(2026, 12, 31))
        if publish:
            services.task_publish(actor=cast["supervisor"], task=made, today=dt.date(2026, 9, 1))
        return Task.objects.get(pk=made.pk)

    child = sub(task, "发改委子任务", units["lead"])
    sub(task, "草稿子任务", units["lead"], publish=False)
    sub(task, "教育局子任务", units["other"], co=[units["sub"]])
    grandchild = sub(child, "孙任务领导", units["other"])
    sub(grandchild, "曾孙任务", units["co"])

    def through_scope(user, one):
        numbers = [".".join(one.number.split(".")[:i]) for i in range(1, one.number.count(".") + 1)] if one.parent_id else []
        found = list(selectors._relatives_query(Task.objects.visible_to(user), one.pk, one.directive_id, numbers))
        return sorted(t.pk for t in found if t.parent_id == one.pk), sorted(t.pk for t in found if t.parent_id != one.pk)

    for role in ("owner", "member", "outsider", "leader"):
        for one in (task, child, grandchild):
            children, ancestors = selectors.task_relatives(cast[role], one)
            assert (sorted(t.pk for t in children), sorted(t.pk for t in ancestors)) == through_scope(cast[role], one), (role, one.title)
            assert all(t.lead_unit is None or t.lead_unit.pk == t.lead_unit_id for t in children + ancestors)
    # The owner's unit sees its own and its sub-unit's sub-tasks, not the draft.
    assert [t.title for t in selectors.task_relatives(cast["owner"], task)[0]] == ["发改委子任务", "教育局子任务"]


def test_it_names_a_pages_co_units_as_task_co_units_all_orders_them(cast, units, task):
    """The board and the tree read a page's co-unit names by hand with the ids as one array: the
    names and order of ``task.co_units.all()``, and nothing for a task without co-units."""
    from luoshi.tasks import selectors

    second = services.task_create(actor=cast["supervisor"], title="第三项", lead_unit=units["co"], co_units=[units["sub"], units["lead"], units["other"]],
                                  start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25)
    alone = services.task_create(actor=cast["supervisor"], title="第四项", lead_unit=units["co"], start_on=dt.date(2026, 9, 1),
                                 deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25)
    page = [Task.objects.get(pk=pk) for pk in (task.pk, second.pk, alone.pk)]
    selectors.note_co_unit_names(page)
    assert [t.co_unit_names for t in page] == [[u.display_name for u in t.co_units.all()] for t in page]
    assert len(page[1].co_unit_names) == 3 and page[2].co_unit_names == []
    selectors.note_co_unit_names([])
