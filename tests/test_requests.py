"""Enterprise requests (万人助万企): intake, assignment, the unit's work, verification and
call-back, health on the backing task, the public form's protection, pages, access, API."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luoshi.core.errors import LuoshiError
from luoshi.requests import public, selectors, services
from luoshi.requests.models import CallBack, PublicAttempt, Request, Status
from luoshi.tasks.assess import health_refresh
from luoshi.supervision.models import Message
from luoshi.tasks.models import Task

TODAY = dt.date(2026, 11, 10)
CODE = "91350100M000100Y43"  # a valid 统一社会信用代码


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False) as traveller:
        yield traveller


def receive(actor, **extra):
    values = dict(company_name="示范精密机械有限公司", credit_code=CODE, contact_name="王经理", contact_phone="13800000000",
                  title="新厂房供电接入迟缓", description="厂房已建成，10千伏专线接入三个月未落实。", today=TODAY)
    values.update(extra)
    return services.request_receive(actor=actor, **values)


@pytest.fixture
def received(cast, clock):
    return receive(cast["supervisor"])


@pytest.fixture
def assigned(received, cast, units):
    return services.request_assign(actor=cast["supervisor"], request=received, lead_unit=units["lead"], co_units=[units["co"]],
                                   category="infrastructure", difficulty="limited", today=TODAY)


def test_it_gives_each_request_an_unguessable_receipt_number(received):
    assert len(received.receipt) == 10 and received.receipt.isalnum()
    assert received.status == Status.RECEIVED and received.task is None


def test_it_refuses_a_wrong_credit_code_and_stores_nothing(cast, clock):
    with pytest.raises(LuoshiError, match="校验位"):
        receive(cast["supervisor"], credit_code="91350100M000100Y44")
    with pytest.raises(LuoshiError, match="请填写：企业名称"):
        receive(cast["supervisor"], company_name=" ")
    assert Request.objects.count() == 0


def test_it_assigns_with_a_sheet_numbered_by_year_and_a_task_of_kind_request(assigned, cast, units, clock):
    task = assigned.task
    assert (assigned.status, assigned.sheet_number, assigned.sheet_seq) == (Status.ASSIGNED, "助企交办〔2026〕1号", 1)
    # 限期办: 30 days; the solution is due 7 days after assignment
    assert (assigned.solve_by, assigned.proposal_due) == (dt.date(2026, 12, 10), dt.date(2026, 11, 17))
    assert (task.kind, task.status, task.lead_unit, task.deadline) == ("request", "in_progress", units["lead"], dt.date(2026, 12, 10))
    second = services.request_assign(actor=cast["supervisor"], request=receive(cast["supervisor"]), lead_unit=units["co"], category="finance", today=TODAY)
    assert second.sheet_number == "助企交办〔2026〕2号"
    next_year = services.request_assign(actor=cast["supervisor"], request=receive(cast["supervisor"]), lead_unit=units["co"], category="finance",
                                        today=dt.date(2027, 1, 4))
    assert next_year.sheet_number == "助企交办〔2027〕1号"
    with pytest.raises(LuoshiError, match="不能再次交办"):
        services.request_assign(actor=cast["supervisor"], request=assigned, lead_unit=units["co"], category="finance", today=TODAY)


def test_it_tells_the_unit_only_after_the_assignment_is_stored(received, cast, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.request_assign(actor=cast["supervisor"], request=received, lead_unit=units["lead"], category="land", today=TODAY)
    message = Message.objects.get(key=f"request:{item.pk}:assigned:{item.sheet_number}")
    assert message.unit == units["lead"] and item.sheet_number in message.title


def test_it_turns_red_when_no_solution_is_proposed_in_time(assigned, clock):
    task = assigned.task
    health_refresh(task=task, today=dt.date(2026, 11, 17))  # the due day itself: not late
    task.refresh_from_db()
    assert not any(r["m"].startswith("交办已") for r in task.health_reasons)
    health_refresh(task=task, today=dt.date(2026, 11, 18))
    task.refresh_from_db()
    assert task.health == "red"
    assert task.health_reasons[0] == {"m": "交办已%(count)s天，尚未提出解决方案", "pl": "交办已%(count)s天，尚未提出解决方案", "n": 8, "p": {}}


def test_it_runs_the_whole_course_and_reopens_on_an_unsatisfied_call_back(assigned, cast, owner):
    item = services.request_propose(actor=owner, request=assigned, solution="协调供电公司本月内完成接入", difficulty="immediate", today=TODAY)
    # 即办: 5 days from the proposal; the task's deadline follows
    assert (item.status, item.solve_by, Task.objects.get(pk=item.task_id).deadline) == (Status.PROPOSED, dt.date(2026, 11, 15), dt.date(2026, 11, 15))
    services.request_report(actor=owner, request=item, percent=60, progress="已完成线路勘察", today=TODAY)
    item = services.request_solve(actor=owner, request=item, evidence="11月12日送电", today=TODAY)
    assert (item.status, item.task.status) == (Status.SOLVED, "closure_requested")
    with pytest.raises(LuoshiError, match="须填写理由"):
        services.request_callback(actor=cast["supervisor"], request=item, outcome="电话回访", satisfaction="unsatisfied", today=TODAY)
    services.request_callback(actor=cast["supervisor"], request=item, outcome="电话回访", satisfaction="unsatisfied", reason="电压不稳", today=TODAY)
    item.refresh_from_db()
    assert (item.status, item.reopened, item.task.status) == (Status.PROPOSED, 1, "returned")
    item = services.request_solve(actor=owner, request=item, evidence="更换变压器", today=TODAY)
    services.request_callback(actor=cast["supervisor"], request=item, outcome="电话回访，企业确认", satisfaction="satisfied", reply="已解决", today=TODAY)
    item.refresh_from_db()
    assert (item.status, item.solved_on, item.task.status, item.reply) == (Status.CLOSED, TODAY, "closed", "已解决")
    assert list(CallBack.objects.values_list("satisfaction", flat=True)) == ["unsatisfied", "satisfied"]


def test_it_refuses_steps_out_of_turn_and_by_the_wrong_party(assigned, cast, owner, member):
    with pytest.raises(LuoshiError, match="只有牵头单位"):
        services.request_propose(actor=member, request=assigned, solution="x", difficulty="limited", today=TODAY)
    with pytest.raises(LuoshiError, match="请先提出解决方案"):
        services.request_solve(actor=owner, request=assigned, evidence="x", today=TODAY)
    with pytest.raises(LuoshiError, match="只有已办结待核验"):
        services.request_callback(actor=cast["supervisor"], request=assigned, outcome="x", satisfaction="satisfied", today=TODAY)
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED and CallBack.objects.count() == 0


def test_it_computes_the_dashboard_figures(assigned, received, cast, owner, units):
    # three requests: one closed after 4 days with 满意 and an earlier 不满意, one assigned, one declined
    item = services.request_propose(actor=owner, request=assigned, solution="s", difficulty="limited", today=TODAY)
    item = services.request_solve(actor=owner, request=item, evidence="e", today=TODAY)
    services.request_callback(actor=cast["supervisor"], request=item, outcome="o", satisfaction="unsatisfied", reason="r", today=TODAY)
    item = services.request_solve(actor=owner, request=item, evidence="e2", today=TODAY)
    services.request_callback(actor=cast["supervisor"], request=item, outcome="o", satisfaction="basic", today=dt.date(2026, 11, 14))
    open_one = services.request_assign(actor=cast["supervisor"], request=receive(cast["supervisor"]), lead_unit=units["lead"], category="land", today=TODAY)
    services.request_decline(actor=cast["supervisor"], request=receive(cast["supervisor"]), reason="属司法程序")
    figures = selectors.figures(cast["supervisor"], dt.date(2026, 11, 14))
    # received 2 (declined not counted), solved 1 → 50%; 11-10 → 11-14 = 4 days; 1 good of 2 call-backs → 50%
    assert (figures["received"], figures["solved"], figures["solve_rate"], figures["average_days"]) == (2, 1, 50.0, 4.0)
    assert (figures["callbacks"], figures["satisfaction_rate"]) == (2, 50.0)
    (unit,) = figures["by_unit"]
    assert (unit["unit"], unit["received"], unit["solved"], unit["satisfaction_rate"]) == ("发改委", 2, 1, 50.0)
    counted = Request.objects.exclude(status=Status.DECLINED)
    assert figures["pending"] == counted.filter(status=Status.RECEIVED).count()
    for day in (dt.date(2026, 11, 14), dt.date(2027, 6, 1)):
        overdue = counted.filter(status__in=selectors.OPEN, solve_by__lt=day).count()
        assert selectors.figures(cast["supervisor"], day)["overdue"] == overdue
    assert overdue == 1  # the assigned one, long past its time to solve
    # the owner's view counts their unit's requests only; the outsider's none
    assert selectors.figures(cast["outsider"], TODAY)["received"] == 0
    assert open_one.status == Status.ASSIGNED


# --- access -----------------------------------------------------------------------------------
ROLES = ("owner", "member", "outsider", "leader", "supervisor", "admin")


def snapshot(item):
    item.refresh_from_db()
    return (item.status, item.solution, item.reply, item.version, CallBack.objects.count(), Request.objects.count())


PAGES = [
    ("ledger", "get", lambda r: "/requests/", None, (200, 200, 200, 200, 200, 200)),
    ("detail", "get", lambda r: f"/requests/{r.pk}/", None, (200, 200, 404, 200, 200, 200)),
    ("intake", "get", lambda r: "/requests/new/", None, (403, 403, 403, 403, 200, 200)),
    ("propose", "post", lambda r: f"/requests/{r.pk}/propose/", lambda r: {"solution": "协调", "difficulty": "limited"}, (302, 403, 404, 403, 403, 403)),
    ("reply", "post", lambda r: f"/requests/{r.pk}/reply/", lambda r: {"reply": "正在办理"}, (403, 403, 404, 403, 302, 302)),
    ("decline", "post", lambda r: f"/requests/{r.pk}/decline/", lambda r: {"reason": "x"}, (403, 403, 404, 403, 400, 400)),
]


@pytest.mark.parametrize("name, method, url, data, expected", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_it_applies_the_access_table(assigned, cast, login, name, method, url, data, expected, role_index):
    client = login(cast[ROLES[role_index]])
    before = snapshot(assigned)
    response = getattr(client, method)(url(assigned), data(assigned) if data else None)
    assert response.status_code == expected[role_index]
    if method == "post" and response.status_code != 302:
        assert snapshot(assigned) == before


def test_it_keeps_the_intake_queue_to_the_office(received, cast, login):
    assert login(cast["leader"]).get(f"/requests/{received.pk}/").status_code == 404
    assert login(cast["owner"]).get("/api/requests/").json()["items"] == []
    assert login(cast["supervisor"]).get(f"/api/requests/{received.pk}").json()["receipt"] == received.receipt


def test_it_runs_the_steps_through_the_api(received, cast, units, login):
    office, unit = login(cast["supervisor"]), None
    response = office.post(f"/api/requests/{received.pk}/assign", {"lead_unit_id": units["lead"].pk, "co_unit_ids": [units["co"].pk], "category": "land"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    unit = login(cast["member"])
    refused = unit.post(f"/api/requests/{received.pk}/propose", {"solution": "x", "difficulty": "limited"}, content_type="application/json")
    assert refused.status_code == 403
    unit = login(cast["owner"])
    done = unit.post(f"/api/requests/{received.pk}/propose", {"solution": "协调", "difficulty": "long"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["difficulty"] == "long"


def test_it_exports_the_problem_ledger(assigned, cast, login):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(login(cast["supervisor"]).get("/requests/export/").content)).active
    assert ws["A1"].value == "“万人助万企”企业问题台账"
    assert [c.value for c in ws[3]] == ["序号", "企业名称", "问题诉求", "交办单位", "当前进展", "解决时限", "回访情况"]
    row = [c.value for c in ws[4]]
    assert row[1] == "示范精密机械有限公司" and row[3] == "发改委、财政局" and row[5] == "2026-12-10（限期办）" and row[6] == "未回访"


# --- the public form ------------------------------------------------------------------------
def public_post(client, token, **extra):
    data = dict(company_name="示范食品有限公司", credit_code=CODE, contact_name="李女士", contact_phone="13900000000",
                title="技改补贴未兑现", description="2025年技改项目补贴尚未拨付。", token=token, website="")
    data.update(extra)
    return client.post("/requests/public/", data)


@pytest.fixture
def token():
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 59, tzinfo=dt.timezone.utc), tick=False):
        return public.form_token()


@pytest.fixture
def later():
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.timezone.utc), tick=False) as traveller:
        yield traveller


def test_it_takes_a_problem_from_the_public_without_an_account(client, units, supervisor, token, later, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = public_post(client, token)
    assert response.status_code == 200
    item = Request.objects.get()
    assert item.receipt in response.content.decode() and item.channel == "public"
    assert Message.objects.get(key=f"request:{item.pk}:received").notifications.get().recipient == supervisor


def test_it_refuses_a_filled_honeypot_and_a_form_sent_too_fast(client, units, token, later):
    assert public_post(client, token, website="http://spam.example").status_code == 400
    assert public_post(client, public.form_token()).status_code == 400  # issued this very second
    assert public_post(client, "forged").status_code == 400
    assert Request.objects.count() == 0


def test_it_limits_submissions_per_address_in_the_database(client, units, token, later, settings):
    settings.LUOSHI = {**settings.LUOSHI, "REQUEST_PUBLIC_SUBMITS_PER_HOUR": 2}
    assert public_post(client, token).status_code == 200
    assert public_post(client, token).status_code == 200
    assert public_post(client, token).status_code == 429
    assert Request.objects.count() == 2 and PublicAttempt.objects.filter(kind="submit").count() == 2


def test_it_refuses_a_bad_credit_code_on_the_public_form(client, units, token, later):
    response = public_post(client, token, credit_code="91350100M000100Y44")
    assert response.status_code == 400 and "校验位" in response.content.decode()
    assert Request.objects.count() == 0


def test_it_refuses_an_oversized_attachment(client, units, token, later, settings):
    settings.LUOSHI = {**settings.LUOSHI, "REQUEST_ATTACHMENT_MAX_BYTES": 100}
    big = SimpleUploadedFile("证明.pdf", b"%PDF" + b"0" * 200, content_type="application/pdf")
    response = public_post(client, token, attachments=big)
    assert response.status_code == 400 and Request.objects.count() == 0


def test_it_shows_only_the_requests_own_status_and_reply(client, cast, units, clock):
    mine = receive(cast["supervisor"])
    other = receive(cast["supervisor"], company_name="另一家公司", title="别家的问题")
    services.request_reply(actor=cast["supervisor"], request=mine, reply="已转供电公司办理")
    page = client.post("/requests/public/status/", {"receipt": mine.receipt.lower()}).content.decode()
    assert "已转供电公司办理" in page and "待交办" in page
    for secret in (other.company_name, other.title, mine.contact_phone, mine.description):
        assert secret not in page
    missing = client.post("/requests/public/status/", {"receipt": "ZZZZZZZZZZ"})
    assert missing.status_code == 404 and "未找到" in missing.content.decode()


def test_it_shows_the_request_figures_on_the_dashboard_with_drill_down(assigned, cast, login):
    page = login(cast["supervisor"]).get("/reports/").content.decode()
    assert "万人助万企" in page and "/requests/?unit=" in page and "满意率" in page


def test_it_follows_a_public_problem_through_the_pages_to_a_satisfied_call_back(client, cast, units, token, later):
    """The browser journey's steps through the pages: public form → assign → propose, report,
    solve → verify with a 满意 call-back → the dashboard's satisfaction rate → the status page."""
    from django.test import Client

    public_post(client, token)
    item = Request.objects.get()
    office, unit = Client(), Client()
    office.force_login(cast["supervisor"])
    unit.force_login(cast["owner"])
    assert "—" in office.get("/reports/").content.decode().split('id="satisfaction-rate">')[1][:5]  # no call-back yet

    assert office.post(f"/requests/{item.pk}/assign/", {"category": "finance", "lead_unit": units["lead"].pk, "difficulty": "limited"}).status_code == 302
    workbench = unit.get("/").content.decode()
    assert "企业诉求待办" in workbench and item.title in workbench
    assert unit.post(f"/requests/{item.pk}/propose/", {"solution": "协调财政局拨付", "difficulty": "immediate"}).status_code == 302
    assert unit.post(f"/requests/{item.pk}/report/", {"percent": 50, "progress": "已完成审核"}).status_code == 302
    assert unit.post(f"/requests/{item.pk}/solve/", {"evidence": "补贴已拨付"}).status_code == 302
    response = office.post(f"/requests/{item.pk}/callback/", {"called_on": "2026-11-10", "outcome": "电话回访", "satisfaction": "satisfied", "reply": "补贴已到账"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.task.status) == (Status.CLOSED, "closed")
    # one call-back, satisfied: 100%
    assert 'id="satisfaction-rate">100.0%' in office.get("/reports/").content.decode()
    status = client.post("/requests/public/status/", {"receipt": item.receipt}).content.decode()
    assert "已销号" in status and "补贴已到账" in status


def test_it_puts_an_overdue_request_on_the_supervision_ladder(assigned, owner):
    from luoshi.supervision import sweeper
    from luoshi.supervision.models import EscalationProposal

    item = services.request_propose(actor=owner, request=assigned, solution="协调", difficulty="immediate",
                                    solve_by=dt.date(2026, 11, 12), today=TODAY)
    sweeper.run(dt.date(2026, 11, 13))  # a day past its 办结时限: red from today
    item.task.refresh_from_db()
    assert (item.task.health, item.task.health_since) == ("red", dt.date(2026, 11, 13))
    sweeper.run(dt.date(2026, 11, 27))  # red for 14 days: a 督办单 is proposed for the lead unit
    proposal = EscalationProposal.objects.get()
    assert (proposal.kind, proposal.unit_id, list(proposal.tasks.all())) == ("order", item.task.lead_unit_id, [item.task])


def test_it_names_its_api_schemas_apart_from_the_other_apps(client, cast, login):
    schema = login(cast["supervisor"]).get("/api/openapi.json").json()["components"]["schemas"]
    assert {"ProjectOut", "RequestOut", "TaskOut"} <= set(schema)


def test_it_writes_both_ledgers_from_the_export_command(assigned, cast, tmp_path):
    from django.core.management import call_command
    from openpyxl import load_workbook

    for kind, title in (("problems", "“万人助万企”企业问题台账"), ("projects", None)):
        out = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, out=str(out), stdout=io.StringIO())
        ws = load_workbook(out).active
        if title:
            assert ws["A1"].value == title and ws["B4"].value == "示范精密机械有限公司"
        else:
            assert "重点项目建设台账" in ws["A1"].value
