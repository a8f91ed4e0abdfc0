import datetime as dt
import gc
import io
import re
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import translation

from luoshi.core import bulk, collector
from luoshi.supervision import services, sweeper
from luoshi.tasks.health import render_reason
from luoshi.supervision.models import Delivery, EscalationProposal, Message, Notification, SupervisionAction
from luoshi.tasks import services as task_services
from luoshi.tasks.models import Task
from luoshi.reports.models import TaskSnapshot
from tests.test_supervision_fixtures import inline_delivery, make_task, report, task  # noqa: F401


def sweep(*args) -> str:
    out = io.StringIO()
    call_command("sweep", *args, stdout=out)
    return out.getvalue()


def counts(line: str) -> tuple[int, ...]:
    match = re.fullmatch(
        r"sweep: health updated (\d+), reminders sent (\d+), escalations proposed (\d+), notifications failed (\d+)\n", line
    )
    assert match, line
    return tuple(int(g) for g in match.groups())


def test_it_recomputes_health_and_prints_one_line(task):
    Task.objects.filter(pk=task.pk).update(health="green", health_reasons=[])
    out = sweep("--date", "2026-11-16")
    health, *_ = counts(out)
    task.refresh_from_db()
    # published 1 Sept, monthly by the 25th, nothing reported: Sept and Oct missed → red
    assert health == 1 and task.health == "red" and "连续2期未报送" in [render_reason(r) for r in task.health_reasons]
    assert task.health_checked_on == dt.date(2026, 11, 16)


def test_it_sends_nothing_the_second_time_the_same_day(task):
    first = counts(sweep("--date", "2026-11-23"))
    assert first[1] > 0
    messages = Message.objects.count()
    assert counts(sweep("--date", "2026-11-23")) == (0, 0, 0, 0)
    assert Message.objects.count() == messages


def test_it_reminds_each_unit_before_its_report_is_due(cast, task):
    report(cast["owner"], task, 40, dt.date(2026, 10, 20), "2026-10")
    report(cast["owner"], task, 20, dt.date(2026, 9, 20), "2026-09")
    report(cast["member"], task, 40, dt.date(2026, 10, 20), "2026-10")
    report(cast["member"], task, 20, dt.date(2026, 9, 20), "2026-09")
    sweep("--date", "2026-11-21")  # 4 days before the 25th: not yet
    assert not Message.objects.filter(kind="report_due").exists()
    sweep("--date", "2026-11-22")
    due = Message.objects.filter(kind="report_due")
    assert set(due.values_list("unit__short_name", flat=True)) == {"发改委", "财政局"}
    assert set(Notification.objects.filter(message__in=due).values_list("recipient__username", flat=True)) == {"owner", "member"}
    report(cast["owner"], task, 60, dt.date(2026, 11, 24))
    sweep("--date", "2026-11-26")  # the 财政局 missed November; the 发改委 did not
    missing = Message.objects.filter(kind="report_missing")
    assert list(missing.values_list("key", flat=True)) == [f"report_missing:{task.pk}:{task.co_units.get().pk}:2026-11"]


def test_it_reminds_of_a_near_deadline_once(task):
    sweep("--date", "2026-12-23")
    assert not Message.objects.filter(kind="deadline").exists()
    sweep("--date", "2026-12-24")
    sweep("--date", "2026-12-25")
    assert Message.objects.filter(kind="deadline", unit=task.lead_unit).count() == 1


def test_it_changes_nothing_in_a_dry_run(task):
    before = list(Task.objects.values_list("health", "health_reasons", "health_checked_on"))
    said = sweep("--date", "2026-11-23", "--dry-run")
    assert list(Task.objects.values_list("health", "health_reasons", "health_checked_on")) == before
    assert not Message.objects.exists() and not EscalationProposal.objects.exists()
    # A dry run says what it would do; it never claims to have sent anything.
    match = re.fullmatch(
        r"sweep \(dry run, nothing changed\): would update health (\d+), would send reminders (\d+), "
        r"would propose escalations (\d+)\n",
        said,
    )
    assert match and " sent " not in said
    real = counts(sweep("--date", "2026-11-23"))
    assert tuple(int(g) for g in match.groups()) == real[:3] and real[1] > 0


def test_it_refuses_a_bad_date(task):
    with pytest.raises(CommandError, match="日期格式"):
        sweep("--date", "2026-13-01")
    assert not Message.objects.exists()


def test_it_proposes_a_supervision_order_after_fourteen_red_days(cast, task, settings):
    settings.LUOSHI = {**settings.LUOSHI, "ESCALATE_RED_DAYS": 14}
    sweep("--date", "2026-11-01")
    task.refresh_from_db()
    assert task.health == "red"
    since = task.health_since
    sweep("--date", (since + dt.timedelta(days=13)).isoformat())
    assert not EscalationProposal.objects.exists()
    line = sweep("--date", (since + dt.timedelta(days=14)).isoformat())
    assert counts(line)[2] == 1
    proposal = EscalationProposal.objects.get()
    assert (proposal.kind, proposal.unit, list(proposal.tasks.all())) == ("order", task.lead_unit, [task])
    # The reason is kept as data too, so a reader of another language reads it in theirs.
    assert proposal.reason.startswith("任务“") and "持续红灯14天" in proposal.reason
    with translation.override("en"):
        assert "14" in proposal.reason_display and not re.search(r"[\u4e00-\u9fff]{2}", proposal.reason_display.replace(task.title, ""))
    assert counts(sweep("--date", (since + dt.timedelta(days=15)).isoformat()))[2] == 0
    # confirmed: an open 督办单 covers the task; no new proposal while it is open
    services.proposal_confirm(actor=cast["supervisor"], proposal=proposal, today=since + dt.timedelta(days=15))
    EscalationProposal.objects.all().delete()
    assert counts(sweep("--date", (since + dt.timedelta(days=16)).isoformat()))[2] == 0


def test_it_proposes_an_interview_when_two_orders_go_unanswered(cast, units, task):
    day = dt.date(2026, 11, 2)
    for _i in range(2):
        services.action_issue(actor=cast["supervisor"], kind="order", unit=units["lead"], reason="请说明", reply_due=day, tasks=[task], today=day)
    # orders covering the task suppress the red rule, so only the unanswered rule can fire
    sweep("--date", "2026-11-02")
    assert not EscalationProposal.objects.filter(rule="unanswered").exists()
    sweep("--date", "2026-11-03")
    assert set(SupervisionAction.objects.values_list("status", flat=True)) == {"overdue"}
    proposal = EscalationProposal.objects.get(rule="unanswered")
    assert proposal.kind == "interview" and proposal.unit == units["lead"]
    with translation.override("en"):
        assert proposal.reason_display.startswith(str(units["lead"])) and "2" in proposal.reason_display
    sweep("--date", "2026-11-04")
    assert EscalationProposal.objects.filter(rule="unanswered").count() == 1


def test_it_counts_one_overdue_action_as_one_notice(cast, units, task):
    services.action_issue(actor=cast["supervisor"], kind="urge", unit=units["lead"], reason="请报送", reply_due=dt.date(2026, 11, 10), tasks=[task], today=dt.date(2026, 11, 9))
    before = Message.objects.count()
    sweeper.run(dt.date(2026, 11, 11))
    assert Message.objects.filter(kind="action_overdue").count() == 1
    assert Message.objects.count() > before


def test_it_keeps_query_count_flat_as_tasks_grow(make_task, django_assert_max_num_queries, cast):
    make_task(title="一")
    sweeper.run(dt.date(2026, 11, 16))  # settle: the first run writes everything
    with django_assert_max_num_queries(40) as few:
        sweeper.run(dt.date(2026, 11, 17))
    for i in range(15):
        make_task(title=f"任务{i}")
    sweeper.run(dt.date(2026, 11, 16))
    with django_assert_max_num_queries(len(few.captured_queries)):
        sweeper.run(dt.date(2026, 11, 17))


# --- two sweeps at once ------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_it_never_sends_twice_when_two_sweeps_run_at_once(make_task, cast, units, settings, monkeypatch):
    from luoshi.supervision import channels
    from luoshi.supervision.models import Channel

    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DELIVERY": "sweep"}
    monkeypatch.setattr(sweeper, "ANALYZE_AFTER", 1)  # both also refresh the statistics, as a large sweep does
    for i in range(6):
        make_task(title=f"并发任务{i}")
    Channel.objects.create(unit=units["lead"], kind="wecom", url="http://127.0.0.1:9/hook")
    cast["owner"].email = "owner@example.org"
    cast["owner"].save()
    sent: list[tuple[str, str]] = []
    lock = threading.Lock()

    def fake_send(via, target, title, body, url="", **_options):
        with lock:
            sent.append((via, title))

    original = channels.send
    channels.send = fake_send
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(sweeper.run(dt.date(2026, 11, 23)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        channels.send = original
    assert not errors, errors
    assert len(results) == 2 and all(r.tasks_assessed == 6 for r in results)
    total_reminders = sum(r.reminders_sent for r in results)
    keys = list(Message.objects.filter(kind__in=["report_due", "report_missing"]).values_list("key", flat=True))
    assert total_reminders == len(keys) == len(set(keys)) > 0
    deliveries = Delivery.objects.all()
    assert deliveries.filter(status="sent").count() == deliveries.count() == len(sent)
    assert all(d.attempts == 1 for d in deliveries)


def test_it_records_the_days_health_for_the_dashboard(task):
    sweep("--date", "2026-11-16", "--dry-run")
    assert not TaskSnapshot.objects.exists()
    sweep("--date", "2026-11-16")
    rows = TaskSnapshot.objects.filter(date=dt.date(2026, 11, 16))
    assert rows.count() == 1 and rows.get().health == "red"
    sweep("--date", "2026-11-16")  # the same day again replaces, never doubles
    assert TaskSnapshot.objects.filter(date=dt.date(2026, 11, 16)).count() == 1


# --- in bulk ----------------------------------------------------------------------------------
def _sweep_queries(day) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Message.objects.all().delete()
    Task.objects.update(health="none", health_reasons=[], health_since=None, health_checked_on=None)
    with CaptureQueriesContext(connection) as queries:
        result = sweeper.run(day)
    assert result.reminders_sent > 0 and result.health_updated == result.tasks_assessed
    return len(queries.captured_queries)


def test_it_sweeps_in_as_many_queries_for_many_tasks_as_for_few(make_task):
    day = dt.date(2026, 11, 23)
    for i in range(2):
        make_task(title=f"批量任务{i}")
    make_task(title="项目类任务", kind="project")
    make_task(title="诉求类任务", kind="request")
    few = _sweep_queries(day)
    for i in range(6):
        make_task(title=f"更多任务{i}", kind=["key", "project", "request"][i % 3])
    assert _sweep_queries(day) == few


@pytest.mark.skipif(not bulk.supported(), reason="proposals are made in bulk on PostgreSQL")
def test_it_makes_each_proposal_once_in_bulk(cast, task):
    from luoshi.orgs.access import SYSTEM

    item = {"key": f"red:{task.pk}:2026-11-01", "rule": "red", "kind": "order", "unit": task.lead_unit, "tasks": [task], "reason": "持续红灯"}
    assert services.proposals_make_many(actor=SYSTEM, items=[item], today=dt.date(2026, 11, 16), run="a") == 1
    assert services.proposals_make_many(actor=SYSTEM, items=[item], today=dt.date(2026, 11, 17), run="b") == 0
    proposal = EscalationProposal.objects.get()
    assert (proposal.status, proposal.proposed_on, list(proposal.tasks.all())) == ("pending", dt.date(2026, 11, 16), [task])
    told = Message.objects.get(kind="proposal")
    assert told.key == f"proposal:{proposal.pk}"
    assert list(Notification.objects.filter(message=told).values_list("recipient__username", flat=True)) == ["supervisor"]


# --- the reminders' words ---------------------------------------------------------------------
def _told(day) -> dict[str, tuple[str, str]]:
    sweeper.run(day)
    reminders = Message.objects.filter(kind__in=["report_due", "report_missing", "deadline"]).select_related("unit")
    told = {m.key.split(":")[0] + ":" + m.unit.short_name: (m.title, m.body) for m in reminders}
    Message.objects.all().delete()
    return told


def test_it_words_each_reminder_as_before_in_chinese_and_english(cast, task):
    """The words are translated once per sweep and formatted per reminder: each recipient must
    still read, byte for byte, what translating each reminder on its own produced."""
    days = {"due": dt.date(2026, 11, 22), "today": dt.date(2026, 11, 25)}
    zh, en = {}, {}
    for name, day in days.items():
        with translation.override("zh-hans"):
            zh[name] = _told(day)
        with translation.override("en"):
            en[name] = _told(day)
    report(cast["owner"], task, 40, dt.date(2026, 12, 20))
    with translation.override("zh-hans"):
        zh["deadline"] = _told(dt.date(2026, 12, 28))
    with translation.override("en"):
        en["deadline"] = _told(dt.date(2026, 12, 28))
    name = str(task)
    assert zh["due"] == {
        "report_due:发改委": (f"【报送提醒】{name}：2026年11月进展3天后截止（2026-11-25）", "请示范市发展和改革委员会按时报送2026年11月进展情况。"),
        "report_due:财政局": (f"【报送提醒】{name}：2026年11月进展3天后截止（2026-11-25）", "请示范市财政局按时报送2026年11月进展情况。"),
        "report_missing:发改委": (f"【未报送】{name}：2026年10月进展已过截止日期（2026-10-25）", "示范市发展和改革委员会尚未报送2026年10月进展，请尽快补报。"),
        "report_missing:财政局": (f"【未报送】{name}：2026年10月进展已过截止日期（2026-10-25）", "示范市财政局尚未报送2026年10月进展，请尽快补报。"),
    }
    assert zh["today"]["report_due:发改委"][0] == f"【报送提醒】{name}：2026年11月进展今日截止（2026-11-25）"
    assert zh["deadline"]["deadline:发改委"] == (
        f"【到期提醒】{name}将于2026-12-31到期（还有3天）", "当前进度40%，请抓紧推进，按期完成后申请销号。"
    )
    assert en["due"] == {
        "report_due:发改委": (f"[Report reminder] {name}: November 2026 progress report due in 3 days (2026-11-25)",
                              "示范市发展和改革委员会: please submit the November 2026 progress report on time."),
        "report_due:财政局": (f"[Report reminder] {name}: November 2026 progress report due in 3 days (2026-11-25)",
                              "示范市财政局: please submit the November 2026 progress report on time."),
        "report_missing:发改委": (f"[Report missing] {name}: the October 2026 progress report is past its due date (2026-10-25)",
                                  "示范市发展和改革委员会 has not yet submitted the October 2026 progress report; please submit it as soon as possible."),
        "report_missing:财政局": (f"[Report missing] {name}: the October 2026 progress report is past its due date (2026-10-25)",
                                  "示范市财政局 has not yet submitted the October 2026 progress report; please submit it as soon as possible."),
    }
    assert en["today"]["report_due:发改委"][0] == f"[Report reminder] {name}: November 2026 progress report due today (2026-11-25)"
    assert en["deadline"]["deadline:发改委"] == (
        f"[Deadline reminder] {name} is due on 2026-12-31 (3 days left)",
        "Progress is at 40%; please press ahead, and request closure once it is completed on time.",
    )


# --- the arrays' binding ----------------------------------------------------------------------
class _BoundOnTheClient:
    """The way bulk arrays were sent before `bulk.array_cursor`: written into the statement as
    quoted text literals by Django's client-side binding."""

    def __init__(self, cursor):
        self.cursor = cursor

    def execute(self, sql, params):
        return self.cursor.execute(sql.replace("%b", "%s"), params)

    def fetchall(self):
        return self.cursor.fetchall()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cursor.close()


def _outcome(day) -> dict:
    """Everything a sweep leaves behind, without the ids and times that differ between runs."""
    from luoshi.reports.models import TaskSnapshot

    result = sweeper.run(day)
    proposals = {p.pk: p for p in EscalationProposal.objects.prefetch_related("tasks")}

    def fact(key: str) -> str:
        # A proposal's notice is keyed by the proposal's id: name it by the proposal's own key.
        kind, _sep, rest = key.partition(":")
        return f"proposal:{proposals[int(rest)].key}" if kind == "proposal" else key

    messages = {m.pk: fact(m.key) for m in Message.objects.all()}
    return {
        "line": result.line(),
        "tasks": list(Task.objects.order_by("pk").values_list(
            "pk", "health", "health_reasons", "health_since", "expected_percent", "progress_percent", "health_checked_on",
        )),
        "messages": sorted(
            (messages[m.pk], m.kind, m.unit_id, m.task_id, m.title, m.body, "" if m.kind == "proposal" else m.url)
            for m in Message.objects.all()
        ),
        "notifications": sorted((messages[n.message_id], n.recipient_id) for n in Notification.objects.all()),
        "deliveries": sorted((messages[d.message_id], d.via, d.channel_id or 0, d.target, d.status) for d in Delivery.objects.all()),
        "proposals": sorted(
            (p.key, p.rule, p.kind, p.unit_id, p.status, p.reason, repr(p.reason_data), sorted(t.pk for t in p.tasks.all()))
            for p in proposals.values()
        ),
        "snapshot": sorted(TaskSnapshot.objects.filter(date=day).values_list("task_id", "health", "overdue")),
    }


def _forget_the_sweep(health: list[tuple]) -> None:
    from luoshi.reports.models import TaskSnapshot

    Delivery.objects.all().delete()
    Notification.objects.all().delete()
    Message.objects.all().delete()
    EscalationProposal.objects.all().delete()
    TaskSnapshot.objects.all().delete()
    for pk, level, reasons, since, expected, progress, checked in health:
        Task.objects.filter(pk=pk).update(
            health=level, health_reasons=reasons, health_since=since, expected_percent=expected, progress_percent=progress,
            health_checked_on=checked,
        )


def _varied_tasks(make_task, cast, units):
    """Tasks of three cadences and three kinds, titles with quotes, backslashes, braces and commas,
    two red for three weeks, a channel and an e-mail address: a sweep writes every kind of row for
    them. Returns the day, the tasks and their health before the sweep."""
    from luoshi.supervision.models import Channel

    day = dt.date(2026, 11, 23)
    Channel.objects.create(unit=units["lead"], kind="wecom", url="http://127.0.0.1:9/hook?a='1'&b=\"2\"")
    cast["owner"].email = "owner@example.org"
    cast["owner"].save()
    made = [
        make_task(title='“引号”与"quotes", \\反斜杠\\ {花括号,逗号} \'单引号\' NULL'),
        make_task(title="季度任务", cadence="quarterly", due_day=10, co=("co", "other")),
        make_task(title="周报任务", cadence="weekly", due_day=5, co=()),
        make_task(title="临期任务", deadline=dt.date(2026, 11, 27)),
        make_task(title="项目类任务{}", kind="project"),
        make_task(title="诉求类任务\\N", kind="request"),
        make_task(title="按时报送", co=()),
        make_task(title="未开始任务", start=dt.date(2026, 12, 1), publish_on=dt.date(2026, 11, 20)),
    ]
    report(cast["owner"], made[6], 60, dt.date(2026, 10, 20), "2026-10")
    report(cast["owner"], made[6], 30, dt.date(2026, 9, 20), "2026-09")
    report(cast["owner"], made[1], 10, dt.date(2026, 10, 5))
    # Red for three weeks already: the red rule proposes an order for these.
    Task.objects.filter(pk__in=[made[0].pk, made[4].pk]).update(health="red", health_since=day - dt.timedelta(days=21))
    Task.objects.filter(pk=made[2].pk).update(health="yellow", health_reasons=[{"code": "旧的", "n": 1}])
    before = list(Task.objects.order_by("pk").values_list(
        "pk", "health", "health_reasons", "health_since", "expected_percent", "progress_percent", "health_checked_on",
    ))

    return day, made, before


def test_it_sweeps_to_the_same_rows_whether_arrays_travel_in_binary_or_as_quoted_text(make_task, cast, units, monkeypatch):
    """Arrays bound on the server in binary (`bulk.array_cursor`) must store exactly what the
    client-side quoted literals stored, titles full of quotes, backslashes and braces included.
    On SQLite neither is used (the ORM's bulk methods are): both runs take the same path."""
    day, made, before = _varied_tasks(make_task, cast, units)

    binary = _outcome(day)
    _forget_the_sweep(before)
    monkeypatch.setattr(bulk, "array_cursor", lambda: _BoundOnTheClient(connections["default"].cursor()))
    quoted = _outcome(day)

    assert binary == quoted
    assert binary["proposals"] and binary["deliveries"] and any(m[1] == "deadline" for m in binary["messages"])
    assert any(made[0].title in m[4] for m in binary["messages"])


def _noting(write, threads: list[str]):
    def noted(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return write(*args, **kwargs)

    return noted


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_same_rows_whether_chunks_are_written_beside_the_next_or_after_it(make_task, cast, units, monkeypatch, language):
    """The writer thread (its own connection, started in the default language) must leave exactly
    what writing each chunk in turn leaves, in the language the sweep runs in. Small chunks, so
    that several are in flight one after another."""
    monkeypatch.setattr(sweeper, "CHUNK", 2)
    day, made, before = _varied_tasks(make_task, cast, units)
    threads: list[str] = []
    for name in ("_write_health", "_write_messages"):
        monkeypatch.setattr(sweeper, name, _noting(getattr(sweeper, name), threads))
    with translation.override(language):
        monkeypatch.setattr(sweeper, "_pipelined", lambda dry_run: not dry_run)
        beside = _outcome(day)
        assert {name.rsplit("_", 1)[0] for name in threads} == {"sweep-writer-health", "sweep-writer-messages"}
        _forget_the_sweep(before)
        threads.clear()
        monkeypatch.setattr(sweeper, "_pipelined", lambda dry_run: False)
        after = _outcome(day)
        assert set(threads) == {threading.current_thread().name}
    assert beside == after
    titles = [m[4] for m in beside["messages"] if m[1] in ("report_due", "report_missing", "deadline")]
    assert titles and all(("【" in t) == (language == "zh-hans") for t in titles)


@pytest.mark.django_db(transaction=True)
def test_it_stops_at_a_chunk_the_writer_could_not_write_and_says_why(make_task, monkeypatch):
    monkeypatch.setattr(sweeper, "CHUNK", 1)
    monkeypatch.setattr(sweeper, "_pipelined", lambda dry_run: not dry_run)
    for i in range(3):
        make_task(title=f"任务{i}")
    written = []

    def failing(reminders, **kwargs):
        if written:
            raise RuntimeError("磁盘已满")
        written.append(reminders)
        return 0

    monkeypatch.setattr(sweeper, "_write_messages", failing)
    with pytest.raises(RuntimeError, match="磁盘已满"):
        sweeper.run(dt.date(2026, 11, 23))
    assert len(written) == 1
    assert not Message.objects.exists()


def test_it_writes_in_the_callers_connection_inside_a_transaction_or_on_a_dry_run(task):
    assert not sweeper._pipelined(False)
    assert not sweeper._pipelined(True)



def test_it_assesses_from_the_lead_units_reports_as_the_one_task_path_does(cast, task, monkeypatch):
    """The sweep builds the rules' report facts from the rows it reads; a task refreshed on its own
    builds them from its reports. Both must give one health."""
    first = report(cast["owner"], task, 20, dt.date(2026, 9, 20), "2026-09")
    task_services.report_correct(actor=cast["owner"], report=first, percent=35, progress="更正", today=dt.date(2026, 9, 22))  # supersedes it
    report(cast["member"], task, 90, dt.date(2026, 10, 20), "2026-10")  # a co-unit's: not the task's progress
    report(cast["owner"], task, 50, dt.date(2026, 11, 30), "2026-11")  # after the day swept
    day = dt.date(2026, 11, 23)
    thresholds = []
    assess_task = sweeper.assess.assess_task

    def watched(t, today, **prefetched):
        thresholds.append(gc.get_threshold()[0])
        return assess_task(t, today, **prefetched)

    monkeypatch.setattr(sweeper.assess, "assess_task", watched)
    sweeper.run(day)

    task.refresh_from_db()
    alone = assess_task(Task.objects.get(pk=task.pk), day)
    assert task.health == alone.level and task.progress_percent == alone.actual_percent == 35
    assert task.expected_percent == alone.expected_percent
    assert [render_reason(r) for r in task.health_reasons] == [render_reason(r) for r in alone.reasons]
    # October owed by the lead unit: the co-unit's report for it does not count
    assert task.health_reasons and alone.missed_periods == 1
    # the sweep ran with the collector held back, and left it as it found it
    assert thresholds == [collector.YOUNG] and gc.get_threshold()[0] != collector.YOUNG
