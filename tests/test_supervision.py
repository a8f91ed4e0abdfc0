import datetime as dt

import pytest
import time_machine

from luoshi.core.errors import LuoshiError
from luoshi.orgs.access import SYSTEM
from luoshi.supervision import ladder, services
from luoshi.supervision import scoreboard as sb
from luoshi.supervision import standings
from luoshi.supervision.models import (
    ActionEvent,
    EscalationProposal,
    Message,
    Notification,
    ReviewItem,
    ReviewRound,
    SupervisionAction,
)
from luoshi.supervision.timeline import entries_for_task
from tests.test_supervision_fixtures import TODAY, inline_delivery, make_task, report, task  # noqa: F401


def issue(cast, units, task=None, kind="order", due=None, today=TODAY, unit="lead"):
    return services.action_issue(
        actor=cast["supervisor"], kind=kind, unit=units[unit], reason="进度滞后，请说明原因", reply_due=due or today + dt.timedelta(days=5),
        tasks=[task] if task else [], today=today,
    )


# --- the ladder table (pure) ------------------------------------------------------------------
def test_it_orders_the_ladder_and_numbers_documents():
    assert [str(ladder.KIND_LABELS[k]) for k in ladder.LADDER] == ["提醒", "催办", "督办单", "通报", "约谈", "问责"]
    assert ladder.step("remind") == 1 and ladder.step("accountability") == 6
    assert ladder.number("order", 2026, 12) == "督办〔2026〕12号"


@pytest.mark.parametrize(
    "state,event,roles,reason,target",
    [
        ("issued", "reply", {"unit"}, "已整改", "replied"),
        ("overdue", "reply", {"unit"}, "已整改", "replied"),
        ("issued", "expire", {"system"}, "", "overdue"),
        ("replied", "close", {"supervisor"}, "", "closed"),
        ("replied", "reopen", {"supervisor"}, "不充分", "issued"),
        ("issued", "close", {"supervisor"}, "情况已变化", "closed"),
    ],
)
def test_it_allows_the_moves_in_the_table(state, event, roles, reason, target):
    assert ladder.check(state, event, roles, reason).target == target


@pytest.mark.parametrize(
    "state,event,roles,reason",
    [
        ("closed", "reply", {"unit"}, "x"),  # nothing leaves closed
        ("replied", "reply", {"unit"}, "x"),  # answered once; reopened first
        ("issued", "reply", {"supervisor"}, "x"),  # the office does not answer itself
        ("issued", "reply", {"unit"}, "  "),  # an empty reply is no reply
        ("issued", "close", {"supervisor"}, ""),  # closing unanswered needs a reason
        ("replied", "close", {"unit"}, ""),
        ("replied", "reopen", {"supervisor"}, ""),
    ],
)
def test_it_refuses_moves_outside_the_table(state, event, roles, reason):
    with pytest.raises(ladder.MoveRefused):
        ladder.check(state, event, roles, reason)


# --- numbering and issuing ----------------------------------------------------------------------
def test_it_numbers_per_kind_and_year(cast, units, task):
    a1 = issue(cast, units, task, kind="order")
    a2 = issue(cast, units, task, kind="order")
    r1 = issue(cast, units, task, kind="remind")
    nxt = issue(cast, units, task, kind="order", today=dt.date(2027, 1, 4))
    assert [a1.number, a2.number, r1.number, nxt.number] == ["督办〔2026〕1号", "督办〔2026〕2号", "提醒〔2026〕1号", "督办〔2027〕1号"]
    assert list(a1.tasks.all()) == [task]
    assert [e.event for e in a1.events.all()] == ["issue"]


def test_it_tells_the_unit_when_an_action_is_issued(cast, units, task):
    cast["owner"].email = "owner@example.org"
    cast["owner"].save()
    action = issue(cast, units, task)
    message = Message.objects.get(action=action, kind="action")
    assert set(Notification.objects.filter(message=message).values_list("recipient__username", flat=True)) == {"owner"}
    assert list(message.deliveries.values_list("via", "target")) == [("email", "owner@example.org")]


@pytest.mark.parametrize(
    "change,error",
    [
        ({"reason": "  "}, "督办事由"),
        ({"reply_due": None}, "答复时限"),
        ({"reply_due": TODAY - dt.timedelta(days=1)}, "不能早于今天"),
        ({"kind": "shout"}, "督办方式"),
        ({"unit": "other"}, "不是"),  # the task is not the 教育局's
    ],
)
def test_it_refuses_bad_actions_and_changes_nothing(cast, units, task, change, error):
    args = {"actor": cast["supervisor"], "kind": "order", "unit": units["lead"], "reason": "请说明", "reply_due": TODAY + dt.timedelta(days=3), "tasks": [task], "today": TODAY}
    if "unit" in change:
        change = {"unit": units[change["unit"]]}
    args.update(change)
    with pytest.raises(LuoshiError, match=error):
        services.action_issue(**args)
    assert not SupervisionAction.objects.exists() and not Message.objects.exists()


def test_it_lets_only_supervisors_issue(cast, units, task):
    for who in ("owner", "leader", "member"):
        with pytest.raises(LuoshiError):
            issue_as = dict(actor=cast[who], kind="remind", unit=units["lead"], reason="x", reply_due=TODAY, tasks=[task], today=TODAY)
            services.action_issue(**issue_as)
    assert not SupervisionAction.objects.exists()


# --- replies, closing, overdue ------------------------------------------------------------------
def test_it_records_the_reply_and_the_closing(cast, units, task):
    action = issue(cast, units, task)
    with pytest.raises(LuoshiError):
        services.action_reply(actor=cast["member"], action=action, reply="不是我们的")
    services.action_reply(actor=cast["owner"], action=action, reply="已制定整改方案", today=TODAY)
    assert action.status == "replied" and action.replied_by == cast["owner"] and not action.replied_late
    services.action_reopen(actor=cast["supervisor"], action=action, reason="请补充时间表")
    assert action.status == "issued"
    services.action_reply(actor=cast["owner"], action=action, reply="12月底前完成", today=TODAY + dt.timedelta(days=9))
    assert action.replied_late
    services.action_close(actor=cast["supervisor"], action=action, note="同意办结")
    assert action.status == "closed"
    assert [(e.event, e.from_status, e.to_status) for e in ActionEvent.objects.filter(action=action)] == [
        ("issue", "", "issued"), ("reply", "issued", "replied"), ("reopen", "replied", "issued"),
        ("reply", "issued", "replied"), ("close", "replied", "closed"),
    ]
    # the issuer was told of both replies
    assert Notification.objects.filter(recipient=cast["supervisor"], message__kind="action_reply").count() == 2


def test_it_refuses_a_stale_move(cast, units, task):
    action = issue(cast, units, task)
    stale = SupervisionAction.objects.get(pk=action.pk)
    services.action_reply(actor=cast["owner"], action=action, reply="已答复", today=TODAY)
    with pytest.raises(LuoshiError):
        services.action_close(actor=cast["supervisor"], action=stale, note="未答复，直接办结")
    action.refresh_from_db()
    assert action.status == "replied" and action.close_note == ""


def test_it_marks_an_unanswered_action_overdue_once(cast, units, task):
    action = issue(cast, units, task, due=TODAY + dt.timedelta(days=2))
    assert not services.action_expire(actor=SYSTEM, action=action, today=TODAY + dt.timedelta(days=2))  # the due day itself is in time
    assert services.action_expire(actor=SYSTEM, action=action, today=TODAY + dt.timedelta(days=3))
    assert not services.action_expire(actor=SYSTEM, action=SupervisionAction.objects.get(pk=action.pk), today=TODAY + dt.timedelta(days=4))
    assert SupervisionAction.objects.get(pk=action.pk).status == "overdue"
    assert Message.objects.filter(kind="action_overdue").count() == 1


# --- proposals --------------------------------------------------------------------------------
def _proposal(units, task, key="red:test"):
    return services.proposal_make(actor=SYSTEM, key=key, rule="red", kind="order", unit=units["lead"], tasks=[task], reason="持续红灯", today=TODAY)


def test_it_makes_a_proposal_once_per_fact(cast, units, task):
    first = _proposal(units, task)
    assert first is not None and _proposal(units, task) is None
    assert EscalationProposal.objects.count() == 1
    assert Notification.objects.filter(recipient=cast["supervisor"], message__kind="proposal").count() == 1


def test_it_confirms_a_proposal_into_an_action(cast, units, task):
    proposal = _proposal(units, task)
    action = services.proposal_confirm(actor=cast["supervisor"], proposal=proposal, today=TODAY)
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.action == action
    assert action.kind == "order" and action.reply_due == TODAY + dt.timedelta(days=5) and list(action.tasks.all()) == [task]
    with pytest.raises(LuoshiError):
        services.proposal_confirm(actor=cast["supervisor"], proposal=proposal, today=TODAY)
    assert SupervisionAction.objects.count() == 1


def test_it_dismisses_only_with_a_reason(cast, units, task):
    proposal = _proposal(units, task)
    with pytest.raises(LuoshiError):
        services.proposal_dismiss(actor=cast["supervisor"], proposal=proposal, note=" ")
    with pytest.raises(LuoshiError):
        services.proposal_dismiss(actor=cast["owner"], proposal=proposal, note="不需要")
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    services.proposal_dismiss(actor=cast["supervisor"], proposal=proposal, note="已电话督促")
    assert proposal.status == "dismissed" and not SupervisionAction.objects.exists()


# --- inbox ------------------------------------------------------------------------------------
def test_it_marks_notifications_read(cast, units, task):
    issue(cast, units, task)
    issue(cast, units, task, kind="remind")
    inbox = Notification.objects.filter(recipient=cast["owner"])
    assert inbox.unread().count() == 2
    services.notification_read(actor=cast["owner"], notification=inbox.first())
    assert inbox.unread().count() == 1
    with pytest.raises(LuoshiError):
        services.notification_read(actor=cast["member"], notification=inbox.first())
    assert services.notifications_read_all(actor=cast["owner"]) == 1


# --- review rounds ----------------------------------------------------------------------------
def test_it_runs_a_review_round(cast, units, make_task):
    mine = make_task(title="发改委任务")
    theirs = make_task(title="财政局任务", lead="co", co=())
    round_ = services.review_round_open(actor=cast["supervisor"], title="年中回头看", due_on=TODAY + dt.timedelta(days=7), today=TODAY)
    assert set(round_.items.values_list("task_id", "unit_id")) == {(mine.pk, units["lead"].pk), (theirs.pk, units["co"].pk)}
    item = round_.items.get(task=mine)
    with pytest.raises(LuoshiError):
        services.review_confirm(actor=cast["member"], item=item, verdict="done")
    with pytest.raises(LuoshiError, match="说明原因"):
        services.review_confirm(actor=cast["owner"], item=item, verdict="behind", note="")
    services.review_confirm(actor=cast["owner"], item=item, verdict="on_track", note="按计划")
    pending = set(ReviewItem.objects.filter(round=round_, confirmed_at__isnull=True).values_list("unit_id", flat=True))
    assert pending == {units["co"].pk}
    services.review_round_close(actor=cast["supervisor"], round=round_)
    with pytest.raises(LuoshiError):
        services.review_confirm(actor=cast["member"], item=round_.items.get(task=theirs), verdict="done")


def test_it_refuses_a_round_without_tasks_or_with_a_past_date(cast, units, task):
    with pytest.raises(LuoshiError):
        services.review_round_open(actor=cast["supervisor"], title="x", due_on=TODAY - dt.timedelta(days=1), today=TODAY)
    with pytest.raises(LuoshiError):
        services.review_round_open(actor=cast["supervisor"], title="x", due_on=TODAY, scope_kind="project", today=TODAY)
    assert not ReviewRound.objects.exists()


# --- scoreboard -------------------------------------------------------------------------------
def test_it_ranks_with_competition_ranking():
    rows = [
        sb.UnitFigures(1, "甲", reports_owed=4, reports_on_time=4),
        sb.UnitFigures(2, "乙", reports_owed=4, reports_on_time=2),
        sb.UnitFigures(3, "丙", reports_owed=2, reports_on_time=1),
        sb.UnitFigures(4, "丁", overdue=1),
    ]
    ranked = sb.rank(rows, sb.Weights(on_time=60, completion=40, overdue=5, actions=2))
    assert [(r.figures.name, r.rank, r.score) for r in ranked] == [("甲", 1, 100.0), ("丁", 2, 95.0), ("丙", 3, 70.0), ("乙", 3, 70.0)]


def test_it_scores_rates_and_weighted_actions():
    f = sb.UnitFigures(1, "甲", reports_owed=4, reports_on_time=3, tasks_due=2, tasks_done=1, overdue=1, actions=2, actions_weighted=4)
    assert sb.score(f, sb.Weights(60, 40, 5, 2)) == round(60 * 0.75 + 40 * 0.5 - 5 - 8, 1)
    assert sb.Weights.from_settings({"SCORE_WEIGHTS": {"overdue": 10, "bogus": 1}}) == sb.Weights(overdue=10)


def test_it_gathers_a_months_figures(cast, units, make_task):
    on_time = make_task(title="按时", publish_on=dt.date(2026, 9, 1))
    late = make_task(title="迟报", lead="co", co=(), publish_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 10, 20))
    report(cast["owner"], on_time, 30, dt.date(2026, 10, 20), "2026-10")
    report(cast["member"], late, 30, dt.date(2026, 10, 27), "2026-10")
    issue(cast, units, late, kind="urge", unit="co", today=dt.date(2026, 10, 10))
    figures = {f.name: f for f in standings.figures_for_month(dt.date(2026, 10, 1), today=dt.date(2026, 11, 16))}
    # Neither unit reported September (due 25 September): that report is still owed in October,
    # carried over and never on time. 发改委: September (late) + October (on time) → 2 owed, 1 on time.
    assert (figures["发改委"].reports_owed, figures["发改委"].reports_on_time, figures["发改委"].overdue) == (2, 1, 0)
    # 财政局: September + October (reported on the 27th, late) → 2 owed, 0 on time; its task fell due on
    # 20 October and is open → due 1, done 0, overdue 1; one 催办 (weight 2).
    co = figures["财政局"]
    assert (co.reports_owed, co.reports_on_time, co.tasks_due, co.tasks_done, co.overdue, co.actions, co.actions_weighted) == (2, 0, 1, 0, 1, 1, 2)
    ranked = standings.standings(dt.date(2026, 10, 1), today=dt.date(2026, 11, 16))
    assert [r.figures.name for r in ranked] == ["发改委", "财政局"]


def test_the_standings_data_version_changes_with_what_they_are_computed_from(cast, units, task):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from django.db import transaction

    from luoshi.supervision.models import Deletions
    from luoshi.tasks.models import ProgressReport, TaskTransition

    seen = []

    def version():
        with CaptureQueriesContext(connection) as queries:
            found = standings._data_version()
        assert len(queries.captured_queries) == 1
        assert not seen or found != seen[-1]
        seen.append(found)

    version()
    made = report(cast["owner"], task, 30, dt.date(2026, 9, 25))
    version()
    action = issue(cast, units, task)
    version()
    ProgressReport.objects.filter(pk=made.pk).delete()  # no new row: the deletion is counted
    version()
    type(action).objects.filter(pk=action.pk).delete()
    version()
    # a deletion undone with its transaction is not counted
    with pytest.raises(RuntimeError), transaction.atomic():
        TaskTransition.objects.filter(task=task).delete()
        raise RuntimeError("rolled back")
    assert standings._data_version() == seen[-1]
    TaskTransition.objects.filter(task=task).delete()
    version()
    report(cast["owner"], task, 40, dt.date(2026, 9, 26))
    version()
    task.delete()  # as the admin deletes one: its reports and transitions go with it
    version()
    assert dict(Deletions.objects.values_list("name", "count")) == {
        "tasks.ProgressReport": 2, "supervision.SupervisionAction": 1, "tasks.TaskTransition": 1, "tasks.Task": 1,
    }


def test_the_standings_data_version_reads_no_whole_table(cast, task):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        standings._data_version()
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "COUNT(" not in sql.upper()


# --- timeline ---------------------------------------------------------------------------------
def test_it_gives_the_task_timeline_its_supervision_entries(cast, units, task):
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, tzinfo=dt.timezone.utc)):
        action = issue(cast, units, task)
    with time_machine.travel(dt.datetime(2026, 11, 18, 9, tzinfo=dt.timezone.utc)):
        services.action_reply(actor=cast["owner"], action=action, reply="已落实", today=dt.date(2026, 11, 18))
        _proposal(units, task)
    entries = entries_for_task(task)
    assert [e["kind"] for e in entries] == ["action", "action_reply", "proposal"]
    assert all(e["at"].tzinfo is not None for e in entries)
    assert entries[0]["url"] == action.get_absolute_url() and entries[0]["actor"] == cast["supervisor"]
    assert set(entries[0]) == {"at", "kind", "title", "body", "actor", "url"}
    # a unit sees the action addressed to it but not the office's proposals; the co-unit sees neither
    assert [e["kind"] for e in entries_for_task(task, user=cast["owner"])] == ["action", "action_reply"]
    assert entries_for_task(task, user=cast["member"]) == []
    # The supervisor's rows (read by the statement compiled once) are the unit's (read through its scope).
    assert entries_for_task(task, user=cast["supervisor"]) == entries
    assert entries_for_task(task, user=cast["owner"]) == entries[:2]


def test_an_action_is_visible_on_the_timeline_as_visible_to_reads_it(cast, units, task):
    """The task page keeps, of a task's actions read once, those ``action_visible`` allows: for every
    person and every action, the same answer as ``SupervisionAction.objects.visible_to``."""
    from luoshi.supervision.models import SupervisionAction, action_visible

    for unit in ("lead", "co"):
        issue(cast, units, task, unit=unit)
    for unit in ("sub", "other"):  # actions on no task: the rule is the same
        issue(cast, units, unit=unit)
    actions = list(SupervisionAction.objects.all())
    assert len(actions) == 4
    for role, person in cast.items():
        through_scope = set(SupervisionAction.objects.visible_to(person).values_list("pk", flat=True))
        assert {a.pk for a in actions if action_visible(person, a.unit_id)} == through_scope, role
        shown = {e["url"] for e in entries_for_task(task, user=person) if e["kind"] == "action"}
        assert shown == {a.get_absolute_url() for a in actions if a.pk in through_scope and a.tasks.filter(pk=task.pk).exists()}, role
    assert not action_visible(cast["owner"], units["other"].pk) and action_visible(cast["owner"], units["sub"].pk)
