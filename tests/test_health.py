"""Task health (luoshi.tasks.health). Pure: runs without Django settings.

Every boundary runs twice (the ``clock`` fixture): once with an explicit ``today`` while the real
clock is frozen at an unrelated date (proving assess never reads the clock), and once with the clock
frozen at the boundary day and ``today=date.today()``."""

import datetime as dt
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.tasks import health as H
from luoshi.tasks.health import (
    Health,
    MilestoneFacts,
    ReportFacts,
    TaskFacts,
    Thresholds,
    assess,
    expected_progress,
)
from luoshi.tasks import workflow as W

TZ = ZoneInfo("Asia/Shanghai")
START = date(2026, 1, 1)
DEADLINE = date(2026, 4, 11)  # 100 days after START: expected progress = days elapsed
DAY_50 = START + timedelta(days=50)  # 2026-02-20, expected 50%


@pytest.fixture(params=["explicit", "frozen"])
def clock(request):
    """``clock(task, reports, milestones, day, thresholds=...) -> Health``."""

    def run(task, reports, milestones, day, **kw):
        if request.param == "explicit":
            with time_machine.travel(dt.datetime(1999, 6, 1, 12, tzinfo=TZ), tick=False):
                return assess(task, reports, milestones, day, **kw)
        with time_machine.travel(dt.datetime.combine(day, dt.time(9, 30), tzinfo=TZ), tick=False):
            assert date.today() == day
            return assess(task, reports, milestones, date.today(), **kw)

    return run


def task(**kw) -> TaskFacts:
    return TaskFacts(**{"start": START, "deadline": DEADLINE, "status": W.IN_PROGRESS, **kw})


def report(percent, on=START, key="x", superseded=False) -> ReportFacts:
    return ReportFacts(period_key=key, submitted_on=on, percent=percent, superseded=superseded)


# -- behind schedule: 9 / 10 / 30 / 31 points -------------------------------------------------------


@pytest.mark.parametrize(
    "actual, level, reasons",
    [
        (41, "green", []),
        (40, "yellow", ["进度落后序时10个百分点"]),
        (20, "yellow", ["进度落后序时30个百分点"]),
        (19, "red", ["进度落后序时31个百分点"]),
        (60, "green", []),  # ahead of plan
    ],
)
def test_it_grades_progress_behind_plan_at_each_boundary(clock, actual, level, reasons):
    h = clock(task(), [report(actual, on=DAY_50)], [], DAY_50)
    assert h.expected_percent == 50
    assert h.actual_percent == actual
    assert h.behind_points == 50 - actual
    assert (h.level, h.texts) == (level, reasons)


def test_it_reports_fractional_points_with_one_decimal():
    h = assess(task(), [report(37.5, on=DAY_50)], [], DAY_50)
    assert h.behind_points == 12.5
    assert h.texts == ["进度落后序时12.5个百分点"]


# -- deadline near: 8 / 7 / 0 days, overdue by 1 ----------------------------------------------------


def test_it_stays_green_eight_days_before_the_deadline(clock):
    day = DEADLINE - timedelta(days=8)
    h = clock(task(), [report(92, on=day)], [], day)
    assert (h.level, h.texts, h.days_left, h.behind_points) == ("green", [], 8, 0)


def test_it_turns_yellow_seven_days_before_the_deadline(clock):
    day = DEADLINE - timedelta(days=7)
    h = clock(task(), [report(93, on=day)], [], day)
    assert (h.level, h.texts) == ("yellow", ["距完成时限还有7天，进度93%"])


def test_it_turns_yellow_on_the_deadline_day(clock):
    h = clock(task(), [report(95, on=DEADLINE)], [], DEADLINE)
    assert h.expected_percent == 100 and h.overdue_days == 0 and h.days_left == 0
    assert (h.level, h.texts) == ("yellow", ["今日到期，进度95%"])


def test_it_does_not_warn_of_a_near_deadline_when_work_is_complete(clock):
    day = DEADLINE - timedelta(days=3)
    h = clock(task(), [report(100, on=day)], [], day)
    assert (h.level, h.texts) == ("green", [])


def test_it_turns_red_one_day_after_the_deadline(clock):
    day = DEADLINE + timedelta(days=1)
    h = clock(task(), [report(95, on=DEADLINE)], [], day)
    assert h.overdue_days == 1 and h.days_left == -1
    assert (h.level, h.texts) == ("red", ["逾期1天"])


def test_it_counts_an_unclosed_task_as_overdue_even_at_100_percent():
    h = assess(task(), [report(100, on=DEADLINE)], [], DEADLINE + timedelta(days=3))
    assert (h.level, h.texts) == ("red", ["逾期3天"])


def test_it_stops_the_clock_when_closure_was_requested():
    on_time = task(status=W.CLOSURE_REQUESTED, closure_requested_on=DEADLINE - timedelta(days=10))
    h = assess(on_time, [report(100, on=DEADLINE - timedelta(days=10))], [], DEADLINE + timedelta(days=20))
    assert (h.level, h.overdue_days, h.as_of) == ("green", 0, DEADLINE - timedelta(days=10))

    late = task(status=W.CLOSURE_REQUESTED, closure_requested_on=DEADLINE + timedelta(days=2))
    h = assess(late, [report(100, on=DEADLINE)], [], DEADLINE + timedelta(days=20))
    assert (h.level, h.texts) == ("red", ["逾期2天"])

    unknown = task(status=W.CLOSURE_REQUESTED)  # request date unknown: the clock keeps running
    h = assess(unknown, [report(100, on=DEADLINE)], [], DEADLINE + timedelta(days=20))
    assert h.texts == ["逾期20天"]


# -- missed periods: 1 vs 2 ------------------------------------------------------------------------

YEAR = dict(deadline=date(2026, 12, 31), cadence="monthly", due_day=28)
MAR_29 = date(2026, 3, 29)  # January, February and March reports are owed (expected ~24%)


def monthly(*keys, percent=30, superseded=False):
    return [report(percent, on=date(2026, int(k[-2:]), 28), key=k, superseded=superseded) for k in keys]


def test_it_stays_green_when_every_owed_period_is_reported(clock):
    h = clock(task(**YEAR), monthly("2026-01", "2026-02", "2026-03"), [], MAR_29)
    assert (h.level, h.texts, h.missed_periods) == ("green", [], 0)


def test_it_turns_yellow_for_exactly_one_missed_period(clock):
    h = clock(task(**YEAR), monthly("2026-01", "2026-02"), [], MAR_29)
    assert h.missed_periods == 1 and h.missed_period_keys == ["2026-03"]
    assert (h.level, h.texts) == ("yellow", ["本期（2026年3月）进展未报送"])


def test_it_turns_red_for_two_consecutive_missed_periods(clock):
    h = clock(task(**YEAR), monthly("2026-01"), [], MAR_29)
    assert h.missed_periods == 2 and h.missed_period_keys == ["2026-02", "2026-03"]
    assert (h.level, h.texts) == ("red", ["连续2期未报送"])


def test_it_counts_only_the_most_recent_consecutive_misses():
    h = assess(task(**YEAR), monthly("2026-02"), [], MAR_29)  # January missing too, but not recent
    assert h.missed_periods == 1 and h.level == "yellow"


def test_it_reminds_on_the_due_day_before_the_report_is_missing(clock):
    h = clock(task(**YEAR), monthly("2026-01", "2026-02"), [], date(2026, 3, 28))
    assert h.missed_periods == 0
    assert (h.level, h.texts) == ("yellow", ["本期（2026年3月）进展今日截止，尚未报送"])
    h = clock(task(**YEAR), monthly("2026-01", "2026-02", "2026-03"), [], date(2026, 3, 28))
    assert (h.level, h.texts) == ("green", [])
    h = clock(task(**YEAR), monthly("2026-01", "2026-02"), [], date(2026, 3, 27))
    assert (h.level, h.texts) == ("green", [])


def test_it_reminds_earlier_when_the_threshold_says_so():
    h = assess(task(**YEAR), monthly("2026-01", "2026-02"), [], date(2026, 3, 26),
               Thresholds(report_due_near_days=2))
    assert h.texts == ["本期（2026年3月）进展2天后截止，尚未报送"]


def test_it_counts_a_late_report_as_reported():
    late = [report(30, on=date(2026, 4, 2), key="2026-03")]
    h = assess(task(**YEAR), monthly("2026-01", "2026-02") + late, [], date(2026, 4, 3))
    assert h.missed_periods == 0


def test_it_does_not_owe_reports_before_reporting_from():
    t = task(**YEAR, reporting_from=date(2026, 3, 1))
    h = assess(t, [], [], MAR_29)
    assert h.missed_period_keys == ["2026-03"]


def test_it_owes_no_reports_for_cadence_none():
    h = assess(task(), [report(50, on=DAY_50)], [], DAY_50)
    assert h.missed_periods == 0 and h.level == "green"


# -- superseded and future reports ----------------------------------------------------------------


def test_it_ignores_superseded_reports(clock):
    reports = [
        report(50, on=date(2026, 2, 10), key="2026-02"),
        report(90, on=date(2026, 2, 15), key="2026-02", superseded=True),
    ]
    h = clock(task(), reports, [], DAY_50)
    assert h.actual_percent == 50
    # a superseded report does not count as reporting its period
    h = assess(task(**YEAR), monthly("2026-01", "2026-02") + monthly("2026-03", superseded=True), [], MAR_29)
    assert h.missed_period_keys == ["2026-03"]


def test_it_takes_the_latest_report_not_the_highest():
    reports = [report(70, on=date(2026, 2, 1)), report(45, on=date(2026, 2, 18))]
    assert assess(task(), reports, [], DAY_50).actual_percent == 45
    same_day = [report(45, on=DAY_50), report(48, on=DAY_50)]  # a tie: the later one listed wins
    assert assess(task(), same_day, [], DAY_50).actual_percent == 48


def test_it_ignores_reports_submitted_after_today(clock):
    reports = [report(45, on=date(2026, 2, 10)), report(100, on=DAY_50 + timedelta(days=1), key="2026-02")]
    h = clock(task(), reports, [], DAY_50)
    assert h.actual_percent == 45 and h.behind_points == 5
    h = clock(task(**YEAR), monthly("2026-01", "2026-02") + [report(30, on=date(2026, 3, 30), key="2026-03")],
              [], MAR_29)
    assert h.missed_period_keys == ["2026-03"]


def test_it_treats_no_report_as_zero_progress():
    h = assess(task(), [], [], DAY_50)
    assert h.actual_percent == 0 and h.level == "red"


def test_it_clamps_reported_percent():
    assert assess(task(), [report(140, on=DAY_50)], [], DAY_50).actual_percent == 100
    assert assess(task(), [report(-5, on=DAY_50)], [], DAY_50).actual_percent == 0


# -- expected progress -----------------------------------------------------------------------------


def test_it_interpolates_linearly_without_milestones():
    assert expected_progress(START, DEADLINE, [], START) == 0
    assert expected_progress(START, DEADLINE, [], START + timedelta(days=1)) == 1
    assert expected_progress(START, DEADLINE, [], START + timedelta(days=99)) == 99
    assert expected_progress(START, DEADLINE, [], DEADLINE) == 100
    assert expected_progress(START, DEADLINE, [], DEADLINE + timedelta(days=30)) == 100
    assert expected_progress(START, DEADLINE, [], START - timedelta(days=30)) == 0


def test_it_follows_milestones_piecewise_linearly(clock):
    milestones = [MilestoneFacts(date=START + timedelta(days=10), planned_percent=50, description="完成方案")]
    at = lambda n: expected_progress(START, DEADLINE, milestones, START + timedelta(days=n))  # noqa: E731
    assert (at(5), at(10), at(55), at(100)) == (25, 50, 75, 100)
    day = START + timedelta(days=55)
    h = clock(task(), [report(60, on=day)], milestones, day)
    assert h.expected_percent == 75 and h.behind_points == 15
    assert (h.level, h.texts) == ("yellow", ["进度落后序时15个百分点"])


def test_it_never_lets_a_later_milestone_lower_the_plan():
    milestones = [
        MilestoneFacts(START + timedelta(days=20), 60),
        MilestoneFacts(START + timedelta(days=40), 30),  # typo in the plan: treated as 60
        MilestoneFacts(START + timedelta(days=40), 20),
    ]
    assert expected_progress(START, DEADLINE, milestones, START + timedelta(days=30)) == 60
    assert expected_progress(START, DEADLINE, milestones, START + timedelta(days=70)) == 80


def test_it_ignores_milestones_outside_start_and_deadline_and_clamps_them():
    outside = [MilestoneFacts(START, 90), MilestoneFacts(START - timedelta(days=5), 90),
               MilestoneFacts(DEADLINE, 10), MilestoneFacts(DEADLINE + timedelta(days=5), 10)]
    assert expected_progress(START, DEADLINE, outside, DAY_50) == 50
    same_day = [MilestoneFacts(START + timedelta(days=10), 30), MilestoneFacts(START + timedelta(days=10), 40)]
    assert expected_progress(START, DEADLINE, same_day, START + timedelta(days=10)) == 40
    over = [MilestoneFacts(START + timedelta(days=10), 150)]
    assert expected_progress(START, DEADLINE, over, START + timedelta(days=10)) == 100


def test_it_rounds_expected_progress_to_one_decimal():
    deadline = START + timedelta(days=3)
    assert expected_progress(START, deadline, [], START + timedelta(days=1)) == 33.3


def test_it_expects_nothing_before_the_task_starts(clock):
    t = task(start=date(2026, 3, 1), deadline=date(2026, 12, 31), cadence="monthly", due_day=28)
    h = clock(t, [], [], DAY_50)
    assert (h.level, h.texts, h.expected_percent, h.actual_percent) == ("green", [], 0, 0)
    assert h.missed_periods == 0


def test_it_does_not_divide_by_zero_when_deadline_equals_start(clock):
    t = task(start=DAY_50, deadline=DAY_50)
    before = clock(t, [], [], DAY_50 - timedelta(days=1))
    assert before.expected_percent == 0 and before.level == "yellow"  # deadline in 1 day, 0%
    on = clock(t, [], [], DAY_50)
    assert on.expected_percent == 100 and on.level == "red"
    assert on.texts == ["进度落后序时100个百分点", "今日到期，进度0%"]
    after = clock(t, [], [MilestoneFacts(DAY_50, 50)], DAY_50 + timedelta(days=1))
    assert after.texts[0] == "逾期1天"
    # a deadline before the start (bad data) is survived too
    assert expected_progress(DAY_50, START, [], DAY_50) == 100


# -- several reasons, levels by status ----------------------------------------------------------------


def test_it_lists_all_reasons_red_first():
    t = task(deadline=date(2026, 3, 20), cadence="monthly", due_day=28)
    reports = [report(30, on=date(2026, 1, 20), key="2026-01")]
    h = assess(t, reports, [], date(2026, 3, 29))
    assert h.level == "red"
    assert h.texts == ["逾期9天", "连续2期未报送", "进度落后序时70个百分点"]
    t = task(deadline=date(2026, 4, 2), cadence="monthly", due_day=28)
    h = assess(t, monthly("2026-01", "2026-02", percent=60), [], date(2026, 3, 29))
    assert h.texts == ["进度落后序时35.6个百分点", "本期（2026年3月）进展未报送", "距完成时限还有4天，进度60%"]


def test_it_marks_a_closed_task_done(clock):
    t = task(status=W.CLOSED, closed_on=DEADLINE + timedelta(days=4))
    h = clock(t, [], [], DEADLINE + timedelta(days=30))
    assert (h.level, h.texts, h.actual_percent, h.missed_periods) == ("done", [], 100, 0)
    assert h.overdue_days == 4  # closed four days after the deadline
    assert assess(task(status=W.CLOSED), [], [], DAY_50).overdue_days == 0


@pytest.mark.parametrize("status", [W.DRAFT, W.SUSPENDED, W.CANCELLED])
def test_it_does_not_judge_drafts_suspended_or_cancelled_tasks(status):
    h = assess(task(status=status, cadence="monthly", due_day=28), [], [], DEADLINE + timedelta(days=5))
    assert (h.level, h.texts) == ("none", [])
    assert h.overdue_days == 5  # figures stay available for information


@pytest.mark.parametrize("status", [W.IN_PROGRESS, W.RETURNED, W.CLOSURE_REQUESTED])
def test_it_judges_every_active_status(status):
    assert assess(task(status=status), [], [], DAY_50).level == "red"


def test_it_rejects_an_unknown_status():
    with pytest.raises(ValueError):
        assess(task(status="finished"), [], [], DAY_50)


# -- thresholds ----------------------------------------------------------------------------------------


def test_it_reads_thresholds_from_the_settings_mapping():
    th = Thresholds.from_settings({"HEALTH_YELLOW_BEHIND_POINTS": 5, "HEALTH_RED_BEHIND_POINTS": 20,
                                   "HEALTH_DEADLINE_NEAR_DAYS": 3, "HEALTH_RED_MISSED_PERIODS": 3,
                                   "UNRELATED": 1})
    assert th == Thresholds(5, 20, 3, 3, 0)
    assert Thresholds.from_settings({}) == Thresholds()
    h = assess(task(), [report(45, on=DAY_50)], [], DAY_50, th)
    assert h.level == "yellow"
    h = assess(task(**YEAR), monthly("2026-01"), [], MAR_29, th)
    assert (h.level, h.texts) == ("yellow", ["连续2期未报送"])


def test_it_rejects_inconsistent_thresholds():
    with pytest.raises(ValueError):
        Thresholds(yellow_behind_points=40, red_behind_points=30)
    with pytest.raises(ValueError):
        Thresholds(red_missed_periods=0)
    with pytest.raises(ValueError):
        Thresholds(deadline_near_days=-1)


# -- properties ------------------------------------------------------------------------------------

_days = st.integers(-400, 400)


@st.composite
def scenarios(draw):
    start = date(2026, 1, 1) + timedelta(days=draw(_days))
    deadline = start + timedelta(days=draw(st.integers(-10, 500)))
    cadence = draw(st.sampled_from(["none", "weekly", "monthly", "quarterly"]))
    due_day = None if cadence == "none" else draw(st.none() | st.integers(1, 7 if cadence == "weekly" else 31))
    status = draw(st.sampled_from(W.STATES))
    t = TaskFacts(start=start, deadline=deadline, status=status, cadence=cadence, due_day=due_day,
                  closed_on=draw(st.none() | st.dates(date(2024, 1, 1), date(2028, 1, 1))),
                  closure_requested_on=draw(st.none() | st.dates(date(2024, 1, 1), date(2028, 1, 1))))
    today = date(2026, 1, 1) + timedelta(days=draw(_days))
    keys = st.sampled_from(["2026-01", "2026-02", "2026-W05", "2026Q1", "2025-12", "x"])
    reports = draw(st.lists(st.builds(
        ReportFacts, keys, st.dates(date(2024, 6, 1), date(2027, 6, 1)),
        st.floats(-20, 120, allow_nan=False), st.booleans()), max_size=6))
    milestones = draw(st.lists(st.builds(
        MilestoneFacts, st.dates(date(2024, 6, 1), date(2027, 6, 1)), st.floats(-10, 110, allow_nan=False)),
        max_size=4))
    return t, reports, milestones, today


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_it_always_yields_a_known_level_with_reasons_exactly_when_not_green(scenario):
    t, reports, milestones, today = scenario
    h = assess(t, reports, milestones, today)
    assert isinstance(h, Health)
    assert h.level in H.LEVELS
    if h.level in ("red", "yellow"):
        assert h.texts
    else:
        assert h.texts == []
    assert 0 <= h.expected_percent <= 100 and 0 <= h.actual_percent <= 100
    assert h.overdue_days >= 0 and h.missed_periods == len(h.missed_period_keys) >= 0
    expected_level = {W.CLOSED: "done", W.DRAFT: "none", W.SUSPENDED: "none", W.CANCELLED: "none"}
    if t.status in expected_level:
        assert h.level == expected_level[t.status]
    else:
        is_red = h.overdue_days > 0 or h.missed_periods >= 2 or h.behind_points > 30
        assert (h.level == "red") == is_red


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.integers(0, 100))
def test_it_never_improves_when_progress_is_lower(scenario, percent):
    t, reports, milestones, today = scenario
    rank = {"green": 0, "yellow": 1, "red": 2, "done": -1, "none": -1}
    higher = assess(t, reports + [ReportFacts("x", today, percent)], milestones, today)
    lower = assess(t, reports + [ReportFacts("x", today, percent / 2)], milestones, today)
    assert rank[lower.level] >= rank[higher.level]


def test_it_writes_remembered_reasons_as_it_writes_them_afresh_in_each_language():
    from django.utils import translation

    t = task(deadline=date(2026, 11, 20), cadence="monthly", due_day=25)
    reasons = assess(t, [], [], date(2026, 11, 23)).reasons
    assert len(reasons) > 1
    stored = [dict(r) for r in reasons]  # as read back from the database: other objects, same values
    written = {}
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            expected = translation.gettext("；").join(H.render_reason(r) for r in reasons)
            assert H.render_reasons(reasons) == expected
            assert H.render_reasons(stored) == expected  # the second time, remembered
            assert H.render_reasons(stored, " / ") == " / ".join(H.render_reason(r) for r in reasons)
            written[language] = expected
    assert written["en"] != written["zh-hans"] and "; " in written["en"] and "；" in written["zh-hans"]
    assert H.render_reasons([]) == H.render_reasons(None) == ""


def test_it_writes_reasons_it_cannot_key_afresh_each_time():
    class Odd:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    assert H.reasons_key([{"m": "x", "p": {}}]) == H.reasons_key(({"p": {}, "m": "x"},))
    assert H.reasons_key([Odd("甲")]) is None and H.reasons_key(iter(["a"])) is None
    assert H.render_reasons([Odd("甲")]) == "甲" and H.render_reasons([Odd("乙")]) == "乙"
