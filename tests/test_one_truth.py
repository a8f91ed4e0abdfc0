"""One truth per fact: each test shows one fact a user read two ways, through the pages and the API
only, and asserts the one answer (worked out by hand beside it). Time is frozen on each day that
something happens, so pages, services and the sweep read the same calendar."""

import datetime as dt
import io
import re
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command

from luoshi.directives import services as directive_services
from luoshi.directives.demo import TEXT_FILE as SPEECH
from luoshi.tasks import services as task_services
from luoshi.tasks.models import Task

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def on(day: dt.date, hour: int = 10):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour)).replace(tzinfo=SHANGHAI), tick=False):
        yield


def sweep(day: dt.date) -> None:
    with on(day, hour=1):
        call_command("sweep", "--date", day.isoformat(), stdout=io.StringIO())


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def api(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def text(node) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make(cast, units):
    """A published task, created and published through the services on the day it starts."""

    def _make(title, lead, *, start, deadline, cadence="monthly", due_day=25, co=()):
        with on(start):
            task = task_services.task_create(
                actor=cast["supervisor"], title=title, lead_unit=units[lead], co_units=[units[c] for c in co],
                start_on=start, deadline=deadline, cadence=cadence, due_day=due_day,
            )
            task_services.task_publish(actor=cast["supervisor"], task=task, today=start)
        task.refresh_from_db()
        return task

    return _make


def report(client, task, period_key, percent, day):
    with on(day):
        response = client.post(f"/api/tasks/{task.pk}/reports", {"percent": percent, "progress": "按计划推进", "period_key": period_key},
                               content_type="application/json")
    assert response.status_code == 201, response.content


# -- a deadline before the start --------------------------------------------------------------------------


def test_it_refuses_a_decomposition_deadline_before_the_start(cast, units, client):
    # The task edit form refuses 完成时限 before 开始日期; a row of the decomposition table, published
    # on 16 November with a deadline of 1 November, starts on the 16th and ends before it began.
    day = dt.date(2026, 11, 16)
    with on(day):
        directive = directive_services.directive_create(
            actor=cast["supervisor"], issued_on=dt.date(2026, 11, 10), title="讲话", text=SPEECH.read_text(encoding="utf-8"),
        )
        item = directive.items.order_by("position").first()
        client.force_login(cast["supervisor"])
        pages = [client.post(f"/directives/{directive.pk}/items/{item.pk}/edit/", {
            "version": item.version, "title": item.title, "lead_unit": units["lead"].pk, "deadline": "2026-11-01",
            "cadence": "monthly", "due_day": 25,
        })]
        item.refresh_from_db()
        pages.append(client.post(f"/directives/{directive.pk}/items/{item.pk}/state/", {"state": "accepted", "version": item.version}, follow=True))
        pages.append(client.post(f"/directives/{directive.pk}/publish/", follow=True))
    said = "".join(p.content.decode() for p in pages)
    bad = [(t.title, t.start_on, t.deadline) for t in Task.objects.all() if t.start_on and t.deadline and t.deadline < t.start_on]
    assert bad == [], "published with a deadline before its start"
    assert "完成时限不能早于开始日期" in said


# -- overdue days -----------------------------------------------------------------------------------------


def test_it_gives_one_task_one_overdue_figure_on_every_page(cast, make, client):
    # Deadline 10 November; the lead unit asked for closure on 13 November, three days late, and
    # the office has not yet verified it. The clock stopped when closure was asked: 3 days overdue,
    # on 30 November as on the 13th.
    task = make("推进老旧小区改造", "lead", start=dt.date(2026, 9, 1), deadline=dt.date(2026, 11, 10))
    owner = client
    owner.force_login(cast["owner"])
    report(owner, task, "2026-09", 40, dt.date(2026, 9, 20))
    report(owner, task, "2026-10", 80, dt.date(2026, 10, 20))
    with on(dt.date(2026, 11, 13)):
        task_services.closure_request(actor=cast["owner"], task=Task.objects.get(pk=task.pk), evidence="已全部完工。",
                                      today=dt.date(2026, 11, 13))
    today = dt.date(2026, 11, 30)
    sweep(today)
    figures = {}
    with on(today):
        client.force_login(cast["owner"])
        home = page(client, "/")
        reasons = text(home.xpath(f'//tr[@data-task="{task.pk}"]//*[@data-field="reasons"]')[0])
        figures["workbench reason"] = int(re.search(r"逾期(\d+)天", reasons).group(1))
        client.force_login(cast["supervisor"])
        detail = page(client, f"/tasks/{task.pk}/")
        figures["task page"] = int(detail.xpath("//*[@data-overdue-days]")[0].get("data-overdue-days"))
        dashboard = api(client, "/api/reports/dashboard")
        figures["dashboard"] = next(row["days"] for row in dashboard["overdue"] if row["id"] == task.pk)
        reasons = " ".join(api(client, f"/api/tasks/{task.pk}")["health_reasons"])
        figures["health reason"] = int(re.search(r"逾期(\d+)天", reasons).group(1))
    assert figures == dict.fromkeys(figures, 3)


# -- a unit's score -------------------------------------------------------------------------------------


def scores(client, month="2026-11"):
    """unit id → score, from the scoreboard API, the scoreboard page and the dashboard."""
    out = {"api": {r["unit_id"]: r["score"] for r in api(client, f"/api/supervision/scoreboard?month={month}")["rows"]}}
    tree = page(client, f"/supervision/scoreboard/?month={month}")
    out["page"] = {int(tr.get("data-unit")): text(tr.xpath('.//*[@data-field="score"]')[0]) for tr in tree.xpath("//tr[@data-unit]")}
    out["dashboard"] = {r["unit_id"]: r["score"] for r in api(client, "/api/reports/dashboard")["scoreboard"]["rows"]}
    tree = page(client, "/reports/")
    out["dashboard page"] = {int(tr.get("data-unit")): text(tr.xpath('.//*[@data-field="score"]')[0]) for tr in tree.xpath("//tr[@data-unit]")}
    return out


def test_it_shows_the_same_score_on_the_dashboard_and_the_scoreboard_after_a_plan_change(cast, units, make, client):
    # 发改委 reports on time; then on 16 November the office moves the deadline of its task to 12
    # November through 修改计划. Both pages must show the score after the change:
    # reports owed in November by the 16th: none (due the 25th) → on-time rate full, 60;
    # completion: the task fell due on the 12th and is open → 0/1, 0; overdue 1 → −5. Score 55.0.
    task = make("加快重点项目建设", "lead", start=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31))
    client.force_login(cast["owner"])
    report(client, task, "2026-09", 30, dt.date(2026, 9, 20))
    report(client, task, "2026-10", 60, dt.date(2026, 10, 20))
    today = dt.date(2026, 11, 16)
    with on(today):
        client.force_login(cast["supervisor"])
        before = scores(client)
        assert before["api"][units["lead"].pk] == 100.0
        task.refresh_from_db()
        response = client.post(f"/tasks/{task.pk}/edit/", {
            "title": task.title, "kind": task.kind, "cadence": "monthly", "due_day": 25, "version": task.version,
            "lead_unit": units["lead"].pk, "start_on": "2026-09-01", "deadline": "2026-11-12",
        })
        assert response.status_code == 302, response.content.decode()[:500]
        after = scores(client)
    lead = units["lead"].pk
    assert after["api"][lead] == 55.0
    assert after["dashboard"][lead] == 55.0
    assert after["page"][lead] == after["dashboard page"][lead] == "55.0"


def test_it_does_not_rank_first_a_unit_with_a_red_task_and_missed_reports(cast, units, make, client):
    # 发改委 never reported on its monthly task (owed August, September, October): red.
    # 财政局 reported every month on time. Read on 10 November (November's report is due the 25th):
    # 发改委: three reports owed and still missing when November began, none on time → 0 × 60;
    #         nothing due → 40. Score 40.0, second.
    # 财政局: nothing owed in November, nothing missing → 60 + 40 = 100.0, first.
    make("推进数字化改造", "lead", start=dt.date(2026, 8, 1), deadline=dt.date(2027, 6, 30))
    good = make("加快财政资金拨付", "co", start=dt.date(2026, 8, 1), deadline=dt.date(2027, 6, 30))
    client.force_login(cast["member"])
    for key, percent, day in (("2026-08", 10, dt.date(2026, 8, 20)), ("2026-09", 20, dt.date(2026, 9, 20)), ("2026-10", 30, dt.date(2026, 10, 20))):
        report(client, good, key, percent, day)
    today = dt.date(2026, 11, 10)
    sweep(today)
    with on(today):
        client.force_login(cast["supervisor"])
        assert api(client, f"/api/tasks/?unit={units['lead'].pk}")["items"][0]["health"] == "red"
        rows = {r["unit_id"]: r for r in api(client, "/api/supervision/scoreboard?month=2026-11")["rows"]}
    assert rows[units["lead"].pk]["score"] == 40.0
    assert rows[units["co"].pk]["score"] == 100.0
    assert rows[units["co"].pk]["rank"] == 1 and rows[units["lead"].pk]["rank"] == 2


def test_it_does_not_mark_down_a_unit_whose_tasks_are_not_yet_due(cast, units, make, client):
    # 教育局's only task is due on 25 November and reports ad hoc. On 10 November nothing was owed
    # and nothing fell due: 60 + 40 = 100.0.
    make("开展校园安全检查", "other", start=dt.date(2026, 11, 2), deadline=dt.date(2026, 11, 25), cadence="none", due_day=None)
    today = dt.date(2026, 11, 10)
    sweep(today)
    with on(today):
        client.force_login(cast["supervisor"])
        row = next(r for r in api(client, "/api/supervision/scoreboard?month=2026-11")["rows"] if r["unit_id"] == units["other"].pk)
    assert row["score"] == 100.0
    assert (row["tasks_due"], row["overdue"]) == (0, 0)


def test_it_writes_a_score_of_zero_the_same_way_everywhere(cast, units, make, client):
    # 教育局's task reports by the 5th of each month and is due on 25 November; nothing was reported
    # for November. Whatever its score, every page writes it alike (0 as 0.0, never as —).
    make("开展校园安全检查", "other", start=dt.date(2026, 10, 20), deadline=dt.date(2026, 11, 25), due_day=5)
    make("加快重点项目建设", "lead", start=dt.date(2026, 9, 1), deadline=dt.date(2027, 6, 30))
    today = dt.date(2026, 11, 10)
    sweep(today)
    with on(today):
        client.force_login(cast["supervisor"])
        found = scores(client)
    assert found["page"], "the scoreboard lists the units"
    for unit_id, written in found["page"].items():
        assert found["dashboard page"][unit_id] == written, (unit_id, found["dashboard page"][unit_id], written)
        assert f"{found['api'][unit_id]:.1f}" == written


# -- counts -----------------------------------------------------------------------------------------------


def test_it_draws_the_liaisons_trend_from_the_tasks_on_their_cards(cast, units, make, client):
    # 发改委 leads two tasks and works on two more led by 财政局; all four green. The liaison's
    # cards count the four; the day's point of the trend below them must count the same four.
    for title in ("甲", "乙"):
        make(f"发改委牵头任务{title}", "lead", start=dt.date(2026, 11, 2), deadline=dt.date(2027, 6, 30), cadence="none", due_day=None)
    for title in ("丙", "丁"):
        make(f"财政局牵头任务{title}", "co", co=("lead",), start=dt.date(2026, 11, 2), deadline=dt.date(2027, 6, 30), cadence="none", due_day=None)
    today = dt.date(2026, 11, 16)
    sweep(today)
    with on(today):
        client.force_login(cast["owner"])
        data = api(client, "/api/reports/dashboard")
    point = next(p for p in data["trend"] if p["date"] == today.isoformat())
    assert data["counts"]["green"] == 4
    assert {k: point[k] for k in ("red", "yellow", "green", "done", "total")} == {
        k: data["counts"][k] for k in ("red", "yellow", "green", "done", "total")
    }


def test_it_shows_the_task_count_of_a_unit_that_has_tasks(cast, units, make, client):
    # 发改委 leads two tasks, neither due this month: the dashboard's unit table says 2, not —.
    for title in ("甲", "乙"):
        make(f"发改委牵头任务{title}", "lead", start=dt.date(2026, 11, 2), deadline=dt.date(2027, 6, 30), cadence="none", due_day=None)
    today = dt.date(2026, 11, 16)
    sweep(today)
    with on(today):
        client.force_login(cast["supervisor"])
        tree = page(client, "/reports/")
    row = tree.xpath(f'//tr[@data-unit="{units["lead"].pk}"]')[0]
    assert text(row.xpath('.//*[@data-field="total"]')[0]) == "2"


# -- the timeline and proposals -----------------------------------------------------------------------------


def test_it_puts_a_deadline_change_made_through_the_plan_form_in_the_timeline(cast, units, make, client):
    task = make("加快重点项目建设", "lead", start=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31))
    with on(dt.date(2026, 11, 16)):
        client.force_login(cast["supervisor"])
        response = client.post(f"/tasks/{task.pk}/edit/", {
            "title": task.title, "kind": task.kind, "cadence": "monthly", "due_day": 25, "version": task.version,
            "lead_unit": units["lead"].pk, "start_on": "2026-09-01", "deadline": "2027-01-29",
        })
        assert response.status_code == 302
        tree = page(client, f"/tasks/{task.pk}/")
    timeline = text(tree.xpath('//ol[contains(@class, "timeline")]')[0])
    assert "2027-01-29" in timeline and "2026-12-31" in timeline, timeline


def test_it_withdraws_an_escalation_proposal_once_the_task_recovers(cast, units, make, client):
    # No report for August and September: red from 1 October; on 20 October it has been red for 19
    # days (≥ 14) and the sweep proposes a 督办单. On the 21st the unit reports both months at 40%
    # (ahead of the 24% the plan expects by then): green. The next sweep withdraws the proposal.
    task = make("推进数字化改造", "lead", start=dt.date(2026, 8, 1), deadline=dt.date(2027, 6, 30))
    sweep(dt.date(2026, 10, 1))
    sweep(dt.date(2026, 10, 20))
    with on(dt.date(2026, 10, 20)):
        client.force_login(cast["supervisor"])
        pending = api(client, "/api/supervision/proposals")["items"]
    assert [p for p in pending if task.pk in p["task_ids"]], "the sweep proposed a 督办单"
    client.force_login(cast["owner"])
    report(client, task, "2026-08", 40, dt.date(2026, 10, 21))
    report(client, task, "2026-09", 40, dt.date(2026, 10, 21))
    sweep(dt.date(2026, 10, 22))
    with on(dt.date(2026, 10, 22)):
        client.force_login(cast["supervisor"])
        assert api(client, f"/api/tasks/{task.pk}")["health"] == "green"
        pending = api(client, "/api/supervision/proposals")["items"]
    assert [p for p in pending if task.pk in p["task_ids"]] == []


# -- health counts ----------------------------------------------------------------------------------------


def test_it_counts_the_same_lights_on_the_workbench_and_the_dashboard(cast, units, make, client):
    # Red, yellow and green tasks, one draft and one cancelled task (counted by neither page), one
    # task outside the leader's scope.
    tasks = [make(f"任务{i}", lead, start=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31)) for i, lead in enumerate(["lead", "lead", "co", "other", "lead"])]
    for task, health in zip(tasks, ["red", "yellow", "green", "red", "green"], strict=True):
        Task.objects.filter(pk=task.pk).update(health=health)
    with on(dt.date(2026, 9, 1)):
        task_services.task_create(actor=cast["supervisor"], title="草稿", lead_unit=units["lead"])
        task_services.task_transition(actor=cast["supervisor"], task=Task.objects.get(pk=tasks[4].pk), action="cancel", reason="合并")
    with on(dt.date(2026, 11, 30)):
        for who in ("supervisor", "leader"):
            client.force_login(cast[who])
            home, dashboard = page(client, "/"), page(client, "/reports/")
            counts = {
                name: {level: int(re.match(r"\d+", text(tree.xpath(f'//*[@data-count="{level}"]')[0])).group()) for level in ("red", "yellow", "green")}
                for name, tree in (("workbench", home), ("dashboard", dashboard))
            }
            assert counts["workbench"] == counts["dashboard"], who
    assert counts["workbench"] != {"red": 2, "yellow": 1, "green": 1}  # the leader sees less than the office
