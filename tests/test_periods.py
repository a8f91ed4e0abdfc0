"""Report cadences and periods (luoshi.tasks.periods). Pure: runs without Django settings."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.tasks import periods as P
from luoshi.tasks.periods import (
    describe_cadence,
    due_periods,
    is_late,
    parse_cadence,
    period_for,
    periods_between,
)

# -- period_for ----------------------------------------------------------------------------------


def test_it_builds_an_iso_week_due_on_the_given_weekday():
    p = period_for("weekly", 5, date(2026, 11, 25))  # a Wednesday
    assert p.key == "2026-W48"
    assert p.label == "2026年第48周"
    assert (p.start, p.end, p.due) == (date(2026, 11, 23), date(2026, 11, 29), date(2026, 11, 27))
    assert p.cadence == "weekly"


def test_it_uses_the_iso_week_year_at_year_boundaries():
    late = period_for("weekly", 5, date(2027, 1, 3))  # Sunday of 2026's 53rd ISO week
    assert late.key == "2026-W53" and late.label == "2026年第53周"
    assert late.start == date(2026, 12, 28) and late.due == date(2027, 1, 1)
    early = period_for("weekly", 1, date(2025, 12, 29))  # Monday that opens ISO 2026-W01
    assert early.key == "2026-W01" and early.due == date(2025, 12, 29)


def test_it_builds_a_month_due_on_the_given_day():
    p = period_for("monthly", 28, date(2026, 11, 15))
    assert p.key == "2026-11"
    assert p.label == "2026年11月"
    assert (p.start, p.end, p.due) == (date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 28))


@pytest.mark.parametrize(
    "due_day, day, expected_due",
    [
        (31, date(2026, 11, 3), date(2026, 11, 30)),
        (29, date(2026, 2, 3), date(2026, 2, 28)),
        (29, date(2028, 2, 3), date(2028, 2, 29)),  # leap year
        (30, date(2028, 2, 3), date(2028, 2, 29)),
        (31, date(2026, 12, 3), date(2026, 12, 31)),
    ],
)
def test_it_clamps_a_monthly_due_day_to_the_month_end(due_day, day, expected_due):
    assert period_for("monthly", due_day, day).due == expected_due


@pytest.mark.parametrize(
    "day, key, label, start, end, due",
    [
        (date(2026, 11, 1), "2026Q4", "2026年第四季度", date(2026, 10, 1), date(2026, 12, 31), date(2026, 12, 25)),
        (date(2026, 2, 10), "2026Q1", "2026年第一季度", date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 25)),
        (date(2026, 4, 1), "2026Q2", "2026年第二季度", date(2026, 4, 1), date(2026, 6, 30), date(2026, 6, 25)),
        (date(2026, 9, 30), "2026Q3", "2026年第三季度", date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 25)),
    ],
)
def test_it_builds_a_quarter_due_in_its_last_month(day, key, label, start, end, due):
    p = period_for("quarterly", 25, day)
    assert (p.key, p.label, p.start, p.end, p.due) == (key, label, start, end, due)


def test_it_clamps_a_quarterly_due_day_in_a_30_day_last_month():
    assert period_for("quarterly", 31, date(2026, 5, 5)).due == date(2026, 6, 30)


def test_it_reads_a_missing_due_day_as_the_last_day_of_the_period():
    assert period_for("weekly", None, date(2026, 11, 25)).due == date(2026, 11, 29)
    assert period_for("monthly", None, date(2026, 2, 5)).due == date(2026, 2, 28)
    assert period_for("quarterly", None, date(2026, 5, 5)).due == date(2026, 6, 30)


@pytest.mark.parametrize(
    "cadence, due_day",
    [("weekly", 0), ("weekly", 8), ("monthly", 0), ("monthly", 32), ("quarterly", -1),
     ("monthly", True), ("monthly", "28"), ("daily", 1)],
)
def test_it_rejects_invalid_cadences_and_due_days(cadence, due_day):
    with pytest.raises(ValueError):
        period_for(cadence, due_day, date(2026, 1, 1))
    with pytest.raises(ValueError):
        due_periods(cadence, due_day, date(2026, 1, 1), date(2026, 6, 1))


def test_it_rejects_a_bad_due_day_after_answering_for_a_good_one_that_compares_equal():
    # True == 1: the periods remembered for due day 1 must not answer for True.
    assert period_for("monthly", 1, date(2026, 1, 1)).due == date(2026, 1, 1)
    assert due_periods("monthly", 1, date(2026, 1, 1), date(2026, 6, 1))
    with pytest.raises(ValueError):
        period_for("monthly", True, date(2026, 1, 1))
    with pytest.raises(ValueError):
        due_periods("monthly", True, date(2026, 1, 1), date(2026, 6, 1))


def test_it_has_no_period_for_cadence_none():
    with pytest.raises(ValueError):
        period_for("none", None, date(2026, 1, 1))


# -- periods_between / due_periods -----------------------------------------------------------------


def test_it_lists_every_period_overlapping_the_range():
    keys = [p.key for p in periods_between("monthly", 28, date(2026, 1, 15), date(2026, 4, 2))]
    assert keys == ["2026-01", "2026-02", "2026-03", "2026-04"]
    weeks = periods_between("weekly", 5, date(2026, 11, 29), date(2026, 11, 30))  # Sunday, Monday
    assert [p.key for p in weeks] == ["2026-W48", "2026-W49"]
    quarters = periods_between("quarterly", 25, date(2026, 3, 31), date(2026, 4, 1))
    assert [p.key for p in quarters] == ["2026Q1", "2026Q2"]


def test_it_lists_nothing_for_an_empty_range_or_cadence_none():
    assert periods_between("monthly", 28, date(2026, 5, 1), date(2026, 4, 30)) == []
    assert periods_between("none", None, date(2026, 1, 1), date(2026, 12, 31)) == []
    assert due_periods("none", None, date(2026, 1, 1), date(2026, 12, 31)) == []


def test_it_counts_a_period_due_only_after_its_due_day_has_passed():
    start = date(2026, 1, 1)
    assert [p.key for p in due_periods("monthly", 28, start, date(2026, 3, 28))] == ["2026-01", "2026-02"]
    assert [p.key for p in due_periods("monthly", 28, start, date(2026, 3, 29))] == [
        "2026-01", "2026-02", "2026-03"]


def test_it_does_not_owe_a_period_whose_due_date_preceded_the_start():
    assert [p.key for p in due_periods("monthly", 28, date(2026, 1, 29), date(2026, 3, 1))] == ["2026-02"]
    # starting on the due day itself: that period is owed
    assert [p.key for p in due_periods("monthly", 28, date(2026, 1, 28), date(2026, 3, 1))] == [
        "2026-01", "2026-02"]


def test_it_owes_weekly_reports_from_friday_to_friday():
    owed = due_periods("weekly", 5, date(2026, 11, 23), date(2026, 12, 5))
    assert [p.due for p in owed] == [date(2026, 11, 27), date(2026, 12, 4)]


# -- lateness ------------------------------------------------------------------------------------


def test_it_treats_the_due_date_itself_as_on_time():
    p = period_for("monthly", 28, date(2026, 11, 1))
    assert not is_late(p, date(2026, 11, 27))
    assert not is_late(p, date(2026, 11, 28))
    assert is_late(p, date(2026, 11, 29))


# -- describe / parse ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cadence, due_day, text",
    [
        ("weekly", 5, "每周五前"),
        ("weekly", 1, "每周一前"),
        ("weekly", 7, "每周日前"),
        ("weekly", None, "每周日前"),
        ("monthly", 28, "每月28日前"),
        ("monthly", None, "每月底前"),
        ("quarterly", 25, "每季度末月25日前"),
        ("quarterly", None, "每季度末前"),
        ("none", None, "无需定期报送"),
        ("none", 5, "无需定期报送"),
    ],
)
def test_it_describes_cadences_as_an_office_writes_them(cadence, due_day, text):
    assert describe_cadence(cadence, due_day) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("请各单位每周五前报送进展", ("weekly", 5)),
        ("每星期三", ("weekly", 3)),
        ("每月28号前报送", ("monthly", 28)),
        ("每个月的5日前", ("monthly", 5)),
        ("每月底前报送", ("monthly", None)),
        ("每季度末月25日前报送", ("quarterly", 25)),
        ("每季末报送", ("quarterly", None)),
        ("按要求及时报送", None),
        ("每月35日前", None),
    ],
)
def test_it_parses_cadences_from_text(text, expected):
    assert parse_cadence(text) == expected


# -- properties ------------------------------------------------------------------------------------

cadences = st.sampled_from(P.PERIODIC_CADENCES)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def cadence_and_due_day(draw):
    cadence = draw(cadences)
    high = 7 if cadence == "weekly" else 31
    return cadence, draw(st.none() | st.integers(1, high))


@given(cadence_and_due_day(), days)
def test_it_always_puts_the_day_and_the_due_date_inside_the_period(cd, day):
    cadence, due_day = cd
    p = period_for(cadence, due_day, day)
    assert p.start <= day <= p.end
    assert p.start <= p.due <= p.end
    assert period_for(cadence, due_day, p.start) == p == period_for(cadence, due_day, p.end)


@given(cadence_and_due_day(), days, st.integers(0, 400))
def test_it_tiles_a_range_with_contiguous_periods(cd, start, length):
    cadence, due_day = cd
    end = start + timedelta(days=length)
    found = periods_between(cadence, due_day, start, end)
    assert found[0].contains(start) and found[-1].contains(end)
    for a, b in zip(found, found[1:]):
        assert b.start == a.end + timedelta(days=1)
        assert a.key < b.key
    today = end
    owed = due_periods(cadence, due_day, start, today)
    assert all(start <= p.due < today for p in owed)
    assert [p for p in found if start <= p.due < today] == owed


@given(cadence_and_due_day())
def test_it_parses_back_what_it_describes(cd):
    cadence, due_day = cd
    if cadence == "weekly" and due_day is None:
        due_day = 7  # "by Sunday" is the same rule
    assert parse_cadence(describe_cadence(cadence, due_day)) == (cadence, due_day)
