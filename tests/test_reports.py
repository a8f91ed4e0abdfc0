"""领导驾驶舱: figures, the daily snapshot, the trend, scoping and the page/API."""

import datetime as dt

import pytest
import time_machine

from luoshi.reports import services
from luoshi.reports.models import TaskSnapshot

from .test_reports_world import TODAY, build, make_task

ROLES = ("owner", "member", "outsider", "leader", "supervisor")


@pytest.fixture
def world(cast, units):
    return build(cast, units)


def test_it_derives_the_world_it_reports_on(world):
    # The fixture's health comes from the real rules; if they change, the tests below must be read again.
    assert {k: t.health for k, t in world.items() if k != "draft"} == {
        "red": "red", "green": "green", "yellow": "yellow", "other": "red", "rect": "done",
    }


def _expected(world, visible_keys):
    tasks = [world[k] for k in visible_keys]
    counts = {level: sum(t.health == level for t in tasks) for level in services.LEVELS}
    counts["overdue"] = sum(t.status in services.ACTIVE and t.deadline < TODAY for t in tasks)
    counts["total"] = len(tasks)
    return counts


SCOPES = {
    "owner": ("red", "green", "rect"),
    "member": ("yellow", "rect"),
    "outsider": ("other",),
    "leader": ("red", "green", "yellow", "rect"),
    "supervisor": ("red", "green", "yellow", "other", "rect"),
}


@pytest.mark.parametrize("role", ROLES)
def test_it_counts_health_within_each_viewers_scope(cast, world, role):
    assert services.health_counts(cast[role], today=TODAY) == _expected(world, SCOPES[role])


def test_it_takes_one_snapshot_row_per_counted_task_and_replaces_them_the_same_day(cast, units, world):
    assert services.snapshot_take(today=TODAY) == 5  # every task but the draft
    red = TaskSnapshot.objects.get(date=TODAY, task=world["red"])
    assert (red.health, red.overdue) == ("red", True)
    make_task(cast, title="又一项逾期任务", lead=units["lead"], start=dt.date(2026, 10, 1), deadline=dt.date(2026, 11, 1))
    assert services.snapshot_take(today=TODAY) == 6
    assert TaskSnapshot.objects.filter(date=TODAY).count() == 6


def day_totals(date):
    rows = TaskSnapshot.objects.filter(date=date)
    return {"total": rows.count(), "overdue": rows.filter(overdue=True).count(), "done": rows.filter(health="done").count(),
            "red": rows.filter(health="red").count()}


def test_it_replays_a_month_of_snapshots_from_the_tasks_start_deadline_and_closing(cast, units, world):
    written = services.snapshot_backfill(today=TODAY, days=30)
    assert written > 0
    assert TaskSnapshot.objects.filter(date=TODAY).count() == 0  # today is the sweep's reading
    days = sorted(set(TaskSnapshot.objects.values_list("date", flat=True)))
    assert days[0] == dt.date(2026, 11, 1) and days[-1] == dt.date(2026, 11, 29) and len(days) == 29
    # 1 Nov: the two tasks begun 1 Oct and the rectification begun 1 Nov; none past its deadline.
    assert day_totals(dt.date(2026, 11, 1))["total"] == 3 and day_totals(dt.date(2026, 11, 1))["overdue"] == 0
    # 15 Nov: the 教育局 task is past its deadline of 10 Nov; the 发改委 task (1 Oct – 20 Nov, no
    # report) should be at 45/50 = 90 %, more than 30 points behind: both red. The rectification
    # (1 Nov – 31 Dec) should be at 14/60 = 23 %: yellow.
    assert day_totals(dt.date(2026, 11, 15)) == {"total": 3, "overdue": 1, "done": 0, "red": 2}
    # 25 Nov: the green task has begun, the 发改委 task is past 20 Nov too, the rectification should
    # be at 24/60 = 40 %: three red.
    assert day_totals(dt.date(2026, 11, 25)) == {"total": 4, "overdue": 2, "done": 0, "red": 3}
    # 29 Nov: the 财政局 task has begun; the rectification closes only on the 30th.
    assert day_totals(dt.date(2026, 11, 29))["total"] == 5 and day_totals(dt.date(2026, 11, 29))["done"] == 0


def test_it_leaves_days_that_have_a_snapshot_alone(cast, units, world):
    services.snapshot_take(today=dt.date(2026, 11, 15))
    before = day_totals(dt.date(2026, 11, 15))
    services.snapshot_backfill(today=TODAY, days=30)
    assert day_totals(dt.date(2026, 11, 15)) == before
    assert services.snapshot_backfill(today=TODAY, days=30) == 0


def test_it_draws_the_trend_from_snapshots_within_the_viewers_units(cast, units, world):
    services.snapshot_take(today=TODAY - dt.timedelta(days=1))
    services.snapshot_take(today=TODAY)
    services.snapshot_take(today=TODAY - dt.timedelta(days=40))  # outside the 30-day window
    trend = services.health_trend(cast["supervisor"], today=TODAY)
    assert [p["date"] for p in trend] == [(TODAY - dt.timedelta(days=1)).isoformat(), TODAY.isoformat()]
    assert trend[-1]["red"] == 2 and trend[-1]["total"] == 5
    outsider = services.health_trend(cast["outsider"], today=TODAY)
    assert outsider[-1]["red"] == 1 and outsider[-1]["total"] == 1
    member = services.health_trend(cast["member"], today=TODAY)
    # the tasks on the member's cards: the yellow one 财政局 leads and the rectification it shares
    assert (member[-1]["yellow"], member[-1]["red"], member[-1]["done"], member[-1]["total"]) == (1, 0, 1, 2)


def test_it_lists_overdue_tasks_longest_overdue_first_and_at_most_ten(cast, units, world):
    for day in range(12):
        make_task(cast, title=f"逾期{day}", lead=units["lead"], start=dt.date(2026, 9, 1), deadline=dt.date(2026, 11, 12 + day), leader=False)
    rows = services.overdue_top(cast["supervisor"], today=TODAY)
    assert len(rows) == services.TOP_OVERDUE
    assert rows[0]["title"] == "逾期的教育局任务" and rows[0]["days"] == (TODAY - world["other"].deadline).days
    assert [r["days"] for r in rows] == sorted((r["days"] for r in rows), reverse=True)
    assert all(r["title"] != "逾期的教育局任务" for r in services.overdue_top(cast["owner"], today=TODAY))


def test_it_counts_completion_by_directive(cast, units):
    from luoshi.directives.models import Directive

    directive = Directive.objects.create(title="全市优化营商环境大会讲话", issued_on=dt.date(2026, 3, 1), text="……", status="published")
    world = build(cast, units, directive=directive)
    rows = {r["title"]: r for r in services.completion_by_directive(cast["supervisor"], today=TODAY)}
    mine = rows["全市优化营商环境大会讲话"]
    in_directive = [t for k, t in world.items() if t.directive_id == directive.pk and k != "draft"]
    assert mine["total"] == len(in_directive)
    assert mine["done"] == sum(t.status == "closed" for t in in_directive)
    assert mine["rate"] == round(100 * mine["done"] / mine["total"], 1)
    assert f"directive={directive.pk}" in mine["url"]


def test_it_scopes_the_scoreboard_rows_to_the_viewers_units(cast, units, world):
    board = services.scoreboard(cast["owner"], today=TODAY)
    assert board["rows"] and {r["unit_id"] for r in board["rows"]} <= {units["lead"].pk, units["sub"].pk}
    everyone = services.scoreboard(cast["supervisor"], today=TODAY)
    assert {units["lead"].pk, units["co"].pk, units["other"].pk} <= {r["unit_id"] for r in everyone["rows"]}


def test_it_drills_each_figure_down_to_the_task_board(cast, world):
    data = services.dashboard(cast["supervisor"], today=TODAY)
    assert data.links["red"].endswith("?health=red") and "/tasks/board/" in data.links["red"]
    assert "overdue=1" in data.links["overdue"]
    assert all("unit=" in r["url"] for r in data.scoreboard["rows"])


# --- page and API ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_dashboard_to_each_role_with_only_their_tasks(cast, world, login, role):
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0), tick=False):
        response = login(cast[role]).get("/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "dashboard-data" in html and 'data-chart="health"' in html and "<table" in html
    for key, task in world.items():
        if task.status in services.ACTIVE and task.deadline < TODAY:  # overdue tasks are listed by title
            assert (task.title in html) is (key in SCOPES[role]), (role, key)


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/reports/dashboard/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_renders_the_dashboard_in_constant_queries(cast, units, world, login, django_assert_max_num_queries):
    client = login(cast["supervisor"])
    with django_assert_max_num_queries(60) as few:
        client.get("/reports/")
    for i in range(30):
        make_task(cast, title=f"批量任务{i}", lead=[units["lead"], units["co"], units["other"]][i % 3],
                  start=dt.date(2026, 9, 1), deadline=dt.date(2026, 11, 1 + i % 20), leader=False)
    services.snapshot_take(today=TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/reports/")


def test_it_serves_the_dashboard_figures_over_the_api(cast, world, client):
    from luoshi.api.services import token_create

    _record, token = token_create(user=cast["outsider"], name="test")
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0), tick=False):
        response = client.get("/api/reports/dashboard", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["counts"] == _expected(world, SCOPES["outsider"])
    assert client.get("/api/reports/dashboard").status_code == 401


def test_it_summarises_indicator_tiers_within_the_viewers_indicators(cast, units):
    from luoshi.indicators.models import Entity, Indicator, IndicatorSet, Observation, Period

    s = IndicatorSet.objects.create(name="营商环境评价", tier_size=2, flag_rank=2)
    us, a, b = (Entity.objects.create(indicator_set=s, name=n, is_us=(n == "本市")) for n in ("本市", "甲市", "乙市"))
    p = Period.objects.create(indicator_set=s, key="2026", order=1)
    mine = Indicator.objects.create(indicator_set=s, code="A", name="开办企业", responsible_unit=units["lead"])
    theirs = Indicator.objects.create(indicator_set=s, code="B", name="办理建筑许可", responsible_unit=units["other"])
    for ind, values in ((mine, (1, 2, 3)), (theirs, (3, 2, 1))):
        for entity, value in zip((us, a, b), values):
            Observation.objects.create(indicator_set=s, entity=entity, indicator=ind, period=p, value=value)
    everything = services.indicator_summary(cast["supervisor"])["sets"][0]
    assert sum(t["count"] for t in everything["tiers"]) == 2
    # Higher is better on both: we are last on A (rank 3, behind the threshold 2: weak) and first
    # on B (rank 1). Only the weak one is listed, as the set page marks and counts it.
    assert [(w["name"], w["rank"]) for w in everything["weakest"]] == [("开办企业", 3)]
    assert everything["weak_count"] == 1
    owner = services.indicator_summary(cast["owner"])["sets"][0]
    assert [w["name"] for w in owner["weakest"]] == ["开办企业"]
