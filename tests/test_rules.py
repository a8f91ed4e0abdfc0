"""The one definition of each date, period and score fact (luoshi.tasks.rules). Pure: runs without
Django settings. Every expected value is worked out by hand in the comment beside it."""

from datetime import date

import pytest

from luoshi.tasks import rules as R
from luoshi.tasks.rules import OwedReport, TaskMonthFacts, UnitMonthFigures

# -- clock and overdue days ---------------------------------------------------------------------


def test_it_reads_the_clock_at_the_earliest_of_today_closure_and_stop():
    today = date(2026, 11, 30)
    assert R.clock_date(today) == today
    assert R.clock_date(today, closed_on=date(2026, 11, 20)) == date(2026, 11, 20)
    assert R.clock_date(today, stopped_on=date(2026, 11, 25), closed_on=None) == date(2026, 11, 25)
    # a closure dated after the day of reading: at that day the task was still open
    assert R.clock_date(today, closed_on=date(2026, 12, 5)) == today


def test_it_counts_no_overdue_days_up_to_and_on_the_deadline():
    deadline = date(2026, 11, 20)
    assert R.overdue_days(deadline, date(2026, 11, 19)) == 0
    assert R.overdue_days(deadline, date(2026, 11, 20)) == 0  # the deadline day is on time
    assert R.overdue_days(deadline, date(2026, 11, 21)) == 1
    assert R.overdue_days(deadline, date(2026, 12, 31)) == 41  # 10 left in November + 31


def test_it_counts_no_overdue_days_without_a_deadline():
    assert R.overdue_days(None, date(2026, 11, 30)) == 0
    assert R.days_left(None, date(2026, 11, 30)) is None
    assert R.deadline_status(None, date(2026, 11, 30)) == "none"


def test_it_stops_counting_at_closure_and_at_a_closure_request():
    deadline = date(2026, 11, 20)
    today = date(2026, 11, 30)
    assert R.overdue_days(deadline, today, closed_on=date(2026, 11, 23)) == 3
    assert R.overdue_days(deadline, today, closed_on=date(2026, 11, 20)) == 0
    assert R.overdue_days(deadline, today, stopped_on=date(2026, 11, 18)) == 0  # asked in time
    assert R.overdue_days(deadline, today, stopped_on=date(2026, 11, 22)) == 2


def test_it_counts_working_days_when_the_office_does():
    # Friday 20 November 2026 is the deadline; Mon 23 .. Fri 27 are five working days, the
    # weekend 21-22 is not counted, and Monday 30 is the sixth.
    deadline = date(2026, 11, 20)
    assert date(2026, 11, 20).weekday() == 4
    assert R.overdue_days(deadline, date(2026, 11, 22), business_days=True) == 0
    assert R.overdue_days(deadline, date(2026, 11, 23), business_days=True) == 1
    assert R.overdue_days(deadline, date(2026, 11, 30), business_days=True) == 6
    # a holiday on Wednesday 25th is not counted; a made-up working Saturday 28th is
    assert R.overdue_days(deadline, date(2026, 11, 30), business_days=True, holidays={date(2026, 11, 25)}) == 5
    assert R.overdue_days(deadline, date(2026, 11, 30), business_days=True, workdays={date(2026, 11, 28)}) == 7


def test_it_counts_days_left_down_to_zero_then_negative():
    deadline = date(2026, 11, 20)
    assert R.days_left(deadline, date(2026, 11, 13)) == 7
    assert R.days_left(deadline, date(2026, 11, 20)) == 0
    assert R.days_left(deadline, date(2026, 11, 21)) == -1
    # business days: Fri 13 → Fri 20 is five working days ahead; Mon 30 is six behind
    assert R.days_left(deadline, date(2026, 11, 13), business_days=True) == 5
    assert R.days_left(deadline, date(2026, 11, 30), business_days=True) == -6


def test_it_names_the_deadline_state_at_each_boundary():
    deadline = date(2026, 11, 20)
    assert R.deadline_status(deadline, date(2026, 11, 12)) == "later"  # 8 days left: not near
    assert R.deadline_status(deadline, date(2026, 11, 13)) == "near"  # 7 days left: near
    assert R.deadline_status(deadline, date(2026, 11, 19)) == "near"
    assert R.deadline_status(deadline, date(2026, 11, 20)) == "due_today"
    assert R.deadline_status(deadline, date(2026, 11, 21)) == "overdue"
    assert R.deadline_status(deadline, date(2026, 11, 30), stopped_on=date(2026, 11, 19)) == "near"
    assert R.deadline_status(deadline, date(2026, 11, 17), near_days=2) == "later"
    assert R.deadline_status(deadline, date(2026, 11, 18), near_days=2) == "near"


# -- plans -------------------------------------------------------------------------------------


def test_it_accepts_a_sound_plan():
    assert R.plan_problems(start_on=date(2026, 11, 1), deadline=date(2026, 11, 1), cadence="monthly", due_day=25) == []
    assert R.plan_problems(start_on=None, deadline=None, cadence="none", due_day=None) == []


def test_it_refuses_a_deadline_before_the_start():
    problems = R.plan_problems(start_on=date(2026, 11, 2), deadline=date(2026, 11, 1), cadence="monthly", due_day=None)
    assert problems == [("deadline", "完成时限不能早于开始日期。")]


def test_it_takes_the_publication_day_as_the_start_of_a_task_without_one():
    # a decomposition row has no start: publishing it on 1 December starts its clock
    problems = R.plan_problems(start_on=None, deadline=date(2026, 11, 30), cadence="monthly", due_day=25,
                               published_on=date(2026, 12, 1))
    assert [field for field, _m in problems] == ["deadline"]
    assert R.plan_problems(start_on=None, deadline=date(2026, 12, 1), cadence="monthly", due_day=25,
                           published_on=date(2026, 12, 1)) == []
    assert R.effective_start(date(2026, 11, 5), date(2026, 12, 1)) == date(2026, 11, 5)
    assert R.effective_start(None, date(2026, 12, 1)) == date(2026, 12, 1)


@pytest.mark.parametrize(
    "cadence, due_day, field",
    [
        ("weekly", 0, "due_day"), ("weekly", 8, "due_day"), ("monthly", 32, "due_day"), ("quarterly", 0, "due_day"),
        ("none", 5, "due_day"), ("monthly", "5", "due_day"), ("monthly", True, "due_day"), ("daily", None, "cadence"),
    ],
)
def test_it_refuses_a_due_day_outside_its_cadence(cadence, due_day, field):
    problems = R.plan_problems(start_on=None, deadline=None, cadence=cadence, due_day=due_day)
    assert [f for f, _m in problems] == [field]


@pytest.mark.parametrize("cadence, due_day", [("weekly", 1), ("weekly", 7), ("monthly", 1), ("monthly", 31), ("quarterly", 31)])
def test_it_accepts_due_days_at_the_edges(cadence, due_day):
    assert R.plan_problems(start_on=None, deadline=None, cadence=cadence, due_day=due_day) == []


def test_it_reports_every_problem_of_a_plan_at_once():
    problems = R.plan_problems(start_on=date(2026, 11, 2), deadline=date(2026, 11, 1), cadence="weekly", due_day=9)
    assert [f for f, _m in problems] == ["deadline", "due_day"]
    assert problems[1][1] == "报送日应在 1–7 之间。"


# -- report periods ----------------------------------------------------------------------------


def test_it_owes_reports_from_the_later_of_start_and_publication():
    assert R.reporting_from(start_on=date(2026, 9, 1), published_on=date(2026, 10, 10)) == date(2026, 10, 10)
    assert R.reporting_from(start_on=date(2026, 11, 1), published_on=date(2026, 10, 10)) == date(2026, 11, 1)
    assert R.reporting_from(start_on=date(2026, 9, 1), published_on=None) == date(2026, 9, 1)
    assert R.reporting_from(start_on=None, published_on=None) is None


def test_it_owes_monthly_periods_due_before_today_only():
    # monthly, due on the 25th, owed from 10 September; read on 25 November:
    # September (due 25 Sep) and October (due 25 Oct) are owed; November is due today, not yet owed.
    owed = R.periods_owed("monthly", 25, owed_from=date(2026, 9, 10), today=date(2026, 11, 25))
    assert [p.key for p in owed] == ["2026-09", "2026-10"]
    # the day after, November is owed too
    owed = R.periods_owed("monthly", 25, owed_from=date(2026, 9, 10), today=date(2026, 11, 26))
    assert [p.key for p in owed] == ["2026-09", "2026-10", "2026-11"]


def test_it_owes_no_period_due_before_reporting_began():
    # owed from 26 September: September's report was due on the 25th, before the task began
    owed = R.periods_owed("monthly", 25, owed_from=date(2026, 9, 26), today=date(2026, 11, 26))
    assert [p.key for p in owed] == ["2026-10", "2026-11"]
    # owed from the due day itself: that period is owed
    owed = R.periods_owed("monthly", 25, owed_from=date(2026, 9, 25), today=date(2026, 10, 1))
    assert [p.key for p in owed] == ["2026-09"]


def test_it_owes_nothing_after_closure_or_a_closure_request():
    owed = R.periods_owed("monthly", 25, owed_from=date(2026, 9, 1), today=date(2026, 12, 31), closed_on=date(2026, 10, 25))
    assert [p.key for p in owed] == ["2026-09"]  # October was due on the closing day: not owed
    owed = R.periods_owed("monthly", 25, owed_from=date(2026, 9, 1), today=date(2026, 12, 31), stopped_on=date(2026, 10, 26))
    assert [p.key for p in owed] == ["2026-09", "2026-10"]


def test_it_owes_nothing_for_ad_hoc_or_unpublished_tasks():
    assert R.periods_owed("none", None, owed_from=date(2026, 1, 1), today=date(2026, 12, 31)) == []
    assert R.periods_owed("monthly", 25, owed_from=None, today=date(2026, 12, 31)) == []


def test_it_owes_weekly_periods_on_their_weekday():
    # weekly, due Fridays; owed from Monday 2 November, read on Friday 20 November:
    # W45 (due Fri 6) and W46 (due Fri 13) are owed; W47 is due today.
    owed = R.periods_owed("weekly", 5, owed_from=date(2026, 11, 2), today=date(2026, 11, 20))
    assert [(p.key, p.due) for p in owed] == [("2026-W45", date(2026, 11, 6)), ("2026-W46", date(2026, 11, 13))]


def test_it_lists_unreported_periods_and_the_misses_in_a_row():
    owed = R.periods_owed("monthly", 25, owed_from=date(2026, 6, 1), today=date(2026, 11, 26))
    assert [p.key for p in owed] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    reported = {"2026-06", "2026-08"}
    assert [p.key for p in R.unreported_periods(owed, reported)] == ["2026-07", "2026-09", "2026-10", "2026-11"]
    # back from November: Nov, Oct, Sep missing, August reported → three in a row
    assert [p.key for p in R.missed_in_a_row(owed, reported)] == ["2026-09", "2026-10", "2026-11"]
    assert R.missed_in_a_row(owed, {"2026-11"}) == []
    assert R.missed_in_a_row([], set()) == []


def test_it_takes_a_report_on_its_due_day_as_on_time():
    due = date(2026, 11, 25)
    assert R.is_on_time(due, date(2026, 11, 24))
    assert R.is_on_time(due, date(2026, 11, 25))
    assert not R.is_on_time(due, date(2026, 11, 26))
    assert not R.is_on_time(due, None)


# -- a unit's tasks ----------------------------------------------------------------------------


def test_it_counts_a_task_among_its_lead_and_co_units():
    assert R.belongs_to({1}, lead_unit_id=1, co_unit_ids=[2])
    assert R.belongs_to({2}, lead_unit_id=1, co_unit_ids=[2])
    assert not R.belongs_to({2}, lead_unit_id=1, co_unit_ids=[2], lead_only=True)
    assert not R.belongs_to({3}, lead_unit_id=1, co_unit_ids=[2])
    assert R.belongs_to(None, lead_unit_id=None)
    assert not R.belongs_to(set(), lead_unit_id=1, co_unit_ids=[2])


# -- a unit's score ----------------------------------------------------------------------------

NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)


def figures(tasks, today, **extra):
    return R.unit_month_figures(tasks, month_start=NOV_1, month_end=NOV_30, today=today, **extra)


def test_it_scores_a_unit_with_nothing_to_judge_in_full():
    assert figures([], date(2026, 11, 15)) == UnitMonthFigures()
    assert R.unit_score(UnitMonthFigures()) == 100.0  # 60 × 1 + 40 × 1


def test_it_does_not_judge_a_task_whose_deadline_is_still_ahead():
    # deadline 25 November, read on 15 November, open: not due, not overdue
    task = TaskMonthFacts(deadline=date(2026, 11, 25))
    f = figures([task], date(2026, 11, 15))
    assert (f.tasks_due, f.tasks_done, f.overdue) == (0, 0, 0)
    assert R.unit_score(f) == 100.0
    # on its deadline day it is still not judged; the day after it is due and overdue
    f = figures([task], date(2026, 11, 25))
    assert (f.tasks_due, f.overdue) == (0, 0)
    f = figures([task], date(2026, 11, 26))
    assert (f.tasks_due, f.tasks_done, f.overdue) == (1, 0, 1)
    assert R.unit_score(f) == 55.0  # 60 × 1 + 40 × 0 − 5 × 1


def test_it_judges_every_deadline_of_a_month_that_is_over():
    # deadline on the month's last day, still open, read in December: due, not done, not overdue
    # at the month's end (the deadline day is on time)
    f = figures([TaskMonthFacts(deadline=NOV_30)], date(2026, 12, 3))
    assert (f.tasks_due, f.tasks_done, f.overdue) == (1, 0, 0)
    assert R.unit_score(f) == 60.0


def test_it_counts_a_task_closed_early_in_the_month_as_done():
    task = TaskMonthFacts(deadline=date(2026, 12, 31), closed_on=date(2026, 11, 10))
    f = figures([task], date(2026, 11, 15))
    assert (f.tasks_due, f.tasks_done, f.overdue) == (1, 1, 0)
    # a closure after the day of reading does not count yet
    f = figures([TaskMonthFacts(deadline=date(2026, 12, 31), closed_on=date(2026, 11, 20))], date(2026, 11, 15))
    assert (f.tasks_due, f.tasks_done) == (0, 0)


def test_it_leaves_out_tasks_closed_before_the_month():
    task = TaskMonthFacts(deadline=date(2026, 10, 20), closed_on=date(2026, 10, 31), owed=(OwedReport(date(2026, 10, 25)),))
    assert figures([task], date(2026, 11, 15)) == UnitMonthFigures()


def test_it_counts_a_task_closed_late_within_the_month_as_done_not_overdue():
    task = TaskMonthFacts(deadline=date(2026, 11, 5), closed_on=date(2026, 11, 12))
    f = figures([task], date(2026, 11, 20))
    assert (f.tasks_due, f.tasks_done, f.overdue) == (1, 1, 0)


def test_it_counts_reports_due_in_the_month_before_today():
    owed = (
        OwedReport(date(2026, 11, 6), date(2026, 11, 6)),  # on its due day: on time
        OwedReport(date(2026, 11, 13), date(2026, 11, 16)),  # three days late
        OwedReport(date(2026, 11, 20), None),  # missing
        OwedReport(date(2026, 11, 27), None),  # due after the day of reading: not yet owed
    )
    f = figures([TaskMonthFacts(deadline=date(2027, 1, 31), owed=owed)], date(2026, 11, 27))
    assert (f.reports_owed, f.reports_on_time) == (3, 1)
    assert R.unit_score(f) == 60.0  # 60 × 1/3 + 40 × 1 (nothing due) = 20 + 40


def test_it_keeps_a_backlog_of_missed_reports_owed_into_the_next_month():
    # September and October never reported; November's not yet due on 15 November
    owed = (OwedReport(date(2026, 9, 25)), OwedReport(date(2026, 10, 25)), OwedReport(date(2026, 8, 25), date(2026, 8, 24)))
    f = figures([TaskMonthFacts(deadline=date(2027, 5, 30), owed=owed)], date(2026, 11, 15))
    assert (f.reports_owed, f.reports_on_time) == (2, 0)
    assert R.unit_score(f) == 40.0  # 60 × 0 + 40 × 1
    # reported late during November: still owed (and late) in November, gone from December
    owed = (OwedReport(date(2026, 10, 25), date(2026, 11, 3)),)
    f = figures([TaskMonthFacts(deadline=date(2027, 5, 30), owed=owed)], date(2026, 11, 15))
    assert (f.reports_owed, f.reports_on_time) == (1, 0)
    december = R.unit_month_figures([TaskMonthFacts(deadline=date(2027, 5, 30), owed=owed)], month_start=date(2026, 12, 1),
                                    month_end=date(2026, 12, 31), today=date(2026, 12, 15))
    assert december.reports_owed == 0


def test_it_counts_a_report_due_on_the_months_last_day_in_that_month():
    owed = (OwedReport(NOV_30, NOV_30),)
    f = figures([TaskMonthFacts(deadline=date(2027, 1, 31), owed=owed)], date(2026, 12, 2))
    assert (f.reports_owed, f.reports_on_time) == (1, 1)
    f = figures([TaskMonthFacts(deadline=date(2027, 1, 31), owed=owed)], NOV_30)
    assert f.reports_owed == 0  # due today: not yet owed


def test_it_takes_away_for_overdue_tasks_and_weighted_actions():
    f = UnitMonthFigures(reports_owed=4, reports_on_time=3, tasks_due=2, tasks_done=1, overdue=1, actions=2, actions_weighted=5)
    # 60 × 0.75 + 40 × 0.5 − 5 × 1 − 2 × 5 = 45 + 20 − 5 − 10
    assert R.unit_score(f) == 50.0
    assert R.unit_score(f, on_time=50, completion=50, overdue=0, actions=0) == 62.5  # 37.5 + 25
    assert figures([], date(2026, 11, 15), actions=2, actions_weighted=5).actions_weighted == 5


def test_it_rounds_the_score_to_one_decimal():
    f = UnitMonthFigures(reports_owed=3, reports_on_time=2)
    assert R.unit_score(f) == 80.0  # 60 × 2/3 + 40 = 40 + 40
    f = UnitMonthFigures(reports_owed=3, reports_on_time=1, tasks_due=3, tasks_done=1)
    assert R.unit_score(f) == 33.3  # 20 + 13.33…


def test_it_may_score_below_zero():
    f = UnitMonthFigures(reports_owed=1, tasks_due=1, overdue=3, actions_weighted=6)
    assert R.unit_score(f) == -27.0  # 0 + 0 − 15 − 12


def test_it_writes_a_score_the_same_way_everywhere():
    assert R.format_score(0) == "0.0"
    assert R.format_score(0.0) == "0.0"
    assert R.format_score(62.3) == "62.3"
    assert R.format_score(100) == "100.0"
    assert R.format_score(-27) == "-27.0"
    assert R.format_score(None) == "—"
