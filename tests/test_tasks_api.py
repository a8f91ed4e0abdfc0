"""The tasks API (/api/tasks/): the access table for every endpoint × owner, co-unit member,
outsider, leader, supervisor; bad input and stale versions change nothing."""

import datetime as dt

import pytest
import time_machine

from luoshi.api.services import token_create
from luoshi.tasks import services
from luoshi.tasks.models import ExtensionRequest, Instruction, ProgressReport, Task, TaskTransition

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ROLES = ("owner", "member", "outsider", "leader", "supervisor")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(cast, units):
    task = services.task_create(
        actor=cast["supervisor"], title="优化营商环境", lead_unit=units["lead"], co_units=[units["co"]], lead_leader=cast["leader"],
        start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25,
    )
    services.task_publish(actor=cast["supervisor"], task=task, today=dt.date(2026, 9, 1))
    report = services.report_submit(actor=cast["owner"], task=task, percent=40, progress="十月", period_key="2026-10", today=dt.date(2026, 10, 24))
    extension = services.extension_request(actor=cast["owner"], task=task, reason="r", new_deadline=dt.date(2027, 2, 28))
    return {"task": Task.objects.get(pk=task.pk), "report": report, "extension": extension}


@pytest.fixture
def api(client, cast):
    def call(role, method, url, payload=None):
        _record, token = token_create(user=cast[role], name="test")
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if payload is not None:
            kwargs.update(data=payload, content_type="application/json")
        return getattr(client, method)(url, **kwargs)

    return call


def snapshot(pk):
    t = Task.objects.get(pk=pk)
    return (t.version, t.status, t.title, t.deadline, ProgressReport.objects.count(), TaskTransition.objects.count(),
            Instruction.objects.count(), ExtensionRequest.objects.filter(status="pending").count(), Task.objects.count())


READ = {"owner": 200, "member": 200, "outsider": 404, "leader": 200, "supervisor": 200}
SUP = {"owner": 403, "member": 403, "outsider": 404, "leader": 403, "supervisor": 201}
LEAD = {"owner": 201, "member": 403, "outsider": 404, "leader": 403, "supervisor": 403}
CASES = [
    ("list", "get", lambda w: "/api/tasks/", None, dict.fromkeys(ROLES, 200)),
    ("get", "get", lambda w: f"/api/tasks/{w['task'].pk}", None, READ),
    ("reports", "get", lambda w: f"/api/tasks/{w['task'].pk}/reports", None, READ),
    ("extensions", "get", lambda w: f"/api/tasks/{w['task'].pk}/extensions", None, READ),
    ("instructions", "get", lambda w: f"/api/tasks/{w['task'].pk}/instructions", None, READ),
    ("subtask", "post", lambda w: f"/api/tasks/{w['task'].pk}/subtasks",
     lambda w: {"title": "子任务", "lead_unit_id": w["task"].lead_unit_id, "deadline": "2026-12-20", "publish": True}, SUP),
    ("update", "patch", lambda w: f"/api/tasks/{w['task'].pk}", lambda w: {"version": w["task"].version, "title": "新标题"},
     {**SUP, "supervisor": 200}),
    ("submit", "post", lambda w: f"/api/tasks/{w['task'].pk}/reports", lambda w: {"percent": 50, "progress": "十一月"},
     {**LEAD, "member": 201}),
    ("correct", "post", lambda w: f"/api/tasks/reports/{w['report'].pk}/correct", lambda w: {"percent": 45, "progress": "更正"}, LEAD),
    ("closure request", "post", lambda w: f"/api/tasks/{w['task'].pk}/closure/request", lambda w: {"evidence": "已完成"}, LEAD),
    ("closure verify", "post", lambda w: f"/api/tasks/{w['task'].pk}/closure/verify",
     lambda w: services.closure_request(actor=w["owner"], task=w["task"], evidence="已完成") and {}, SUP),
    ("closure return", "post", lambda w: f"/api/tasks/{w['task'].pk}/closure/return",
     lambda w: services.closure_request(actor=w["owner"], task=w["task"], evidence="已完成") and {"reason": "材料不全"}, SUP),
    ("extension", "post", lambda w: f"/api/tasks/{w['task'].pk}/extensions",
     lambda w: ExtensionRequest.objects.all().delete() and {"new_deadline": "2027-01-31", "reason": "r"}, LEAD),
    ("decide", "post", lambda w: f"/api/tasks/extensions/{w['extension'].pk}/decide", lambda w: {"approve": True},
     {**SUP, "supervisor": 200}),
    ("instruct", "post", lambda w: f"/api/tasks/{w['task'].pk}/instructions", lambda w: {"text": "抓紧"},
     {"owner": 403, "member": 403, "outsider": 404, "leader": 201, "supervisor": 201}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, url, data, expected", CASES, ids=[c[0] for c in CASES])
def test_it_applies_the_access_table(cast, world, api, role, name, method, url, data, expected):
    world["owner"] = cast["owner"]
    payload = data(world) if data else None
    world["task"].refresh_from_db()
    before = snapshot(world["task"].pk)
    response = api(role, method, url(world), payload)
    assert response.status_code == expected[role], (name, role, response.content[:200])
    if method != "get":
        assert (snapshot(world["task"].pk) != before) is (expected[role] in (200, 201)), (name, role)


def test_it_refuses_a_stale_version_with_409(cast, world, api):
    task = world["task"]
    assert api("supervisor", "patch", f"/api/tasks/{task.pk}", {"version": task.version, "title": "甲"}).status_code == 200
    response = api("supervisor", "patch", f"/api/tasks/{task.pk}", {"version": task.version, "title": "乙"})
    assert response.status_code == 409 and "已被他人修改" in response.json()["detail"]
    assert Task.objects.get(pk=task.pk).title == "甲"


@pytest.mark.parametrize(
    "method, url, payload",
    [
        ("post", "{pk}/reports", {"percent": 101, "progress": "x"}),
        ("post", "{pk}/reports", {"percent": 10, "progress": "x", "period_key": "1999-01"}),
        ("post", "{pk}/reports", {"percent": 10, "progress": "x", "period_key": "2026-10"}),  # already reported
        ("post", "{pk}/closure/request", {"evidence": ""}),
        ("post", "{pk}/extensions", {"new_deadline": "2026-13-01", "reason": "r"}),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(cast, world, api, method, url, payload):
    before = snapshot(world["task"].pk)
    response = api("owner", method, "/api/tasks/" + url.format(pk=world["task"].pk), payload)
    assert response.status_code in (400, 422)
    assert snapshot(world["task"].pk) == before


def test_it_refuses_bad_plan_changes(cast, world, api):
    task = world["task"]
    before = snapshot(task.pk)
    for payload in ({"version": task.version, "lead_unit_id": 99999}, {"version": task.version, "kind": "x"},
                    {"version": task.version, "deadline": "2026-01-01"}):
        assert api("supervisor", "patch", f"/api/tasks/{task.pk}", payload).status_code == 400
    assert snapshot(task.pk) == before


def test_it_filters_the_list_like_the_board(cast, world, api, units):
    other = services.task_create(actor=cast["supervisor"], title="教育局任务", lead_unit=units["other"], deadline=dt.date(2027, 1, 1))
    services.task_publish(actor=cast["supervisor"], task=other, today=dt.date(2026, 9, 1))
    body = api("supervisor", "get", f"/api/tasks/?unit={units['other'].pk}").json()
    assert [t["id"] for t in body["items"]] == [other.pk] and body["count"] == 1
    assert api("supervisor", "get", "/api/tasks/?sort=bogus").status_code == 400
    assert [t["id"] for t in api("owner", "get", "/api/tasks/").json()["items"]] == [world["task"].pk]


def test_it_lists_a_tasks_children_and_the_overdue_tasks(cast, world, api, units):
    parent = world["task"]
    child = services.task_create(actor=cast["supervisor"], title="子任务", parent=parent, lead_unit=units["lead"], deadline=dt.date(2026, 10, 31))
    services.task_publish(actor=cast["supervisor"], task=child, today=dt.date(2026, 9, 1))
    children = api("supervisor", "get", f"/api/tasks/?parent={parent.pk}").json()
    assert [t["id"] for t in children["items"]] == [child.pk] and children["count"] == 1
    assert children["items"][0]["code"] == f"{parent.code}.1"
    # Today is after 31 Oct: the child is overdue, its parent (due 31 Dec) is not.
    overdue = api("supervisor", "get", "/api/tasks/?overdue=true").json()
    assert [t["id"] for t in overdue["items"]] == [child.pk]
    assert {t["id"] for t in api("supervisor", "get", "/api/tasks/?overdue=false").json()["items"]} == {parent.pk, child.pk}
    page = api("supervisor", "get", "/api/tasks/?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_it_publishes_the_endpoints_in_the_openapi_schema(client, cast):
    client.force_login(cast["owner"])  # the docs ask for a login in production
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/tasks/", "/api/tasks/{task_id}", "/api/tasks/{task_id}/reports", "/api/tasks/{task_id}/closure/request",
                 "/api/tasks/extensions/{extension_id}/decide", "/api/tasks/{task_id}/instructions"):
        assert path in paths, path
