import datetime as dt

import pytest
from django.utils import timezone

from luoshi.orgs.access import SYSTEM
from luoshi.supervision import services
from luoshi.supervision.models import Notification, ReviewItem, SupervisionAction
from tests.test_supervision_fixtures import make_task  # noqa: F401


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def live_task(make_task, today):
    return make_task(publish_on=today - dt.timedelta(days=40), start=today - dt.timedelta(days=40), deadline=today + dt.timedelta(days=90))


def issue(cast, units, task, today, kind="order", unit="lead", due=None):
    return services.action_issue(
        actor=cast["supervisor"], kind=kind, unit=units[unit], reason="请说明进度滞后原因", reply_due=due or today + dt.timedelta(days=5),
        tasks=[task] if task else [], today=today,
    )


@pytest.mark.parametrize(
    "change,message",
    [
        ({"reply_due": "2026-02-30"}, "有效的日期"),
        ({"reply_due": "2000-01-01"}, "不能早于今天"),
        ({"reason": ""}, "这个字段是必填项"),
        ({"kind": "scold"}, "选择一个有效的选项"),
        ({"unit": "999999"}, "选择一个有效的选项"),
    ],
)
def test_it_refuses_a_bad_issue_form_and_changes_nothing(cast, units, live_task, login, today, change, message):
    form = {"kind": "order", "unit": units["lead"].pk, "tasks": [live_task.pk], "reason": "请说明", "reply_due": (today + dt.timedelta(days=3)).isoformat()}
    form.update(change)
    response = login(cast["supervisor"]).post("/supervision/actions/new/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SupervisionAction.objects.exists()


def test_it_offers_the_chosen_units_tasks_by_htmx(cast, units, live_task, make_task, login, today):
    other = make_task(title="教育局任务", lead="other", co=(), publish_on=today - dt.timedelta(days=3))
    response = login(cast["supervisor"]).get(f"/supervision/actions/new/?unit={units['lead'].pk}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="task-choices")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert live_task.title in body and other.title not in body


def test_it_issues_through_the_form(cast, units, live_task, login, today):
    response = login(cast["supervisor"]).post(
        "/supervision/actions/new/",
        {"kind": "urge", "unit": units["lead"].pk, "tasks": [live_task.pk], "reason": "请报送", "reply_due": today.isoformat()},
    )
    action = SupervisionAction.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.number == f"催办〔{today.year}〕1号" and list(action.tasks.all()) == [live_task]


def test_it_replies_by_htmx_and_refuses_an_empty_reply(cast, units, live_task, login, today):
    action = issue(cast, units, live_task, today)
    client = login(cast["owner"])
    bad = client.post(f"/supervision/actions/{action.pk}/reply/", {"reply": "   "}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    action.refresh_from_db()
    assert action.status == "issued"
    good = client.post(f"/supervision/actions/{action.pk}/reply/", {"reply": "已制定整改方案"}, HTTP_HX_REQUEST="true")
    assert good.status_code == 200 and 'id="action-state"' in good.content.decode() and "<html" not in good.content.decode()
    action.refresh_from_db()
    assert action.status == "replied" and action.reply == "已制定整改方案"


def test_it_refuses_to_close_unanswered_without_a_note(cast, units, live_task, login, today):
    action = issue(cast, units, live_task, today)
    response = login(cast["supervisor"]).post(f"/supervision/actions/{action.pk}/close/", {"note": "", "event": "close"})
    assert response.status_code == 400 and "须填写理由" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "issued"


def test_it_marks_overdue_actions_on_the_board(cast, units, live_task, login, today):
    action = issue(cast, units, live_task, today - dt.timedelta(days=10), due=today - dt.timedelta(days=10))
    body = login(cast["supervisor"]).get("/supervision/").content.decode()
    assert action.number in body and "已逾期" in body


def test_it_filters_the_board_by_htmx(cast, units, live_task, login, today):
    order = issue(cast, units, live_task, today, kind="order")
    remind = issue(cast, units, live_task, today, kind="remind")
    response = login(cast["supervisor"]).get("/supervision/?kind=remind", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="actions")
    body = response.content.decode()
    assert "<html" not in body and remind.number in body and order.number not in body


def test_it_confirms_a_proposal_from_the_board(cast, units, live_task, login, today):
    proposal = services.proposal_make(actor=SYSTEM, key="red:v", rule="red", kind="order", unit=units["lead"], tasks=[live_task], reason="持续红灯", today=today)
    response = login(cast["supervisor"]).post(f"/supervision/proposals/{proposal.pk}/confirm/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="proposals"' in response.content.decode()
    assert SupervisionAction.objects.get().kind == "order"


def test_it_refuses_to_dismiss_without_a_reason(cast, units, live_task, login, today):
    proposal = services.proposal_make(actor=SYSTEM, key="red:v", rule="red", kind="order", unit=units["lead"], tasks=[live_task], reason="持续红灯", today=today)
    response = login(cast["supervisor"]).post(f"/supervision/proposals/{proposal.pk}/dismiss/", {"note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "驳回须填写理由" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_it_confirms_review_items_and_shows_who_has_not(cast, units, live_task, make_task, login, today):
    make_task(title="财政局任务", lead="co", co=(), publish_on=today - dt.timedelta(days=3))
    round_ = services.review_round_open(actor=cast["supervisor"], title="年中回头看", due_on=today + dt.timedelta(days=5), today=today)
    item = round_.items.get(task=live_task)
    client = login(cast["owner"])
    bad = client.post(f"/supervision/reviews/items/{item.pk}/confirm/", {"verdict": "blocked", "note": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "说明原因" in bad.content.decode()
    assert not ReviewItem.objects.filter(confirmed_at__isnull=False).exists()
    ok = client.post(f"/supervision/reviews/items/{item.pk}/confirm/", {"verdict": "on_track", "note": "按计划"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and f'id="item{item.pk}"' in ok.content.decode()
    office = login(cast["supervisor"]).get(f"/supervision/reviews/{round_.pk}/").content.decode()
    pending = office.split("尚未完成确认：")[1].split("</p>")[0]
    assert "财政局" in pending and "发改委" not in pending


def test_it_refuses_a_bad_review_round_form(cast, live_task, login):
    response = login(cast["supervisor"]).post("/supervision/reviews/new/", {"title": "x", "due_on": "not-a-date"})
    assert response.status_code == 400
    from luoshi.supervision.models import ReviewRound

    assert not ReviewRound.objects.exists()


def test_it_shows_the_scoreboard_formula_and_survives_a_bad_month(cast, live_task, login):
    client = login(cast["leader"])
    body = client.get("/supervision/scoreboard/?month=2026-99").content.decode()
    assert "得分 = 60 × 按时报送率 + 40 × 完成率 − 5 × 逾期任务数 − 2 × 督办加权次数" in body
    assert "发改委" in body


def test_it_marks_all_read(cast, units, live_task, login, today):
    issue(cast, units, live_task, today)
    issue(cast, units, live_task, today, kind="remind")
    response = login(cast["owner"]).post("/supervision/inbox/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=cast["owner"], read_at__isnull=True).exists()


# --- constant query counts ---------------------------------------------------------------------
def _queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/supervision/", "/supervision/inbox/", "/supervision/reviews/", "/supervision/scoreboard/"])
def test_it_keeps_list_queries_constant(cast, units, make_task, login, today, url, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            task = make_task(title=f"任务{i}-{SupervisionAction.objects.count()}", publish_on=today - dt.timedelta(days=40))
            issue(cast, units, task, today, kind="remind")
            services.proposal_make(actor=SYSTEM, key=f"red:{task.pk}", rule="red", kind="order", unit=units["lead"], tasks=[task], reason="红灯", today=today)
        services.review_round_open(actor=cast["supervisor"], title=f"回头看{n}", due_on=today + dt.timedelta(days=3), today=today)

    grow(1)
    client = login(cast["supervisor"]) if url != "/supervision/inbox/" else login(cast["owner"])
    few = _queries(client, url, django_assert_max_num_queries)
    grow(8)
    assert _queries(client, url, django_assert_max_num_queries) == few


def test_it_counts_only_a_units_own_review_items_in_the_list(cast, units, live_task, make_task, today):
    from luoshi.supervision.views import _rounds

    make_task(title="财政局任务", lead="co", co=(), publish_on=today - dt.timedelta(days=3))
    make_task(title="财政局任务二", lead="co", co=(), publish_on=today - dt.timedelta(days=3))
    services.review_round_open(actor=cast["supervisor"], title="年中回头看", due_on=today + dt.timedelta(days=5), today=today)
    everyone = _rounds(cast["supervisor"]).get()
    own = _rounds(cast["owner"]).get()
    assert everyone.total == 3 and own.total == 1
