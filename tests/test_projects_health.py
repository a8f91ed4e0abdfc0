"""Project health rules (luoshi.projects.health). Pure: plain values, no database. Every expected
value is worked out by hand in the test."""

from datetime import date
from decimal import Decimal

import pytest

from luoshi.projects.health import StageFacts, Thresholds, assess, completed_months, months_late

TODAY = date(2026, 11, 15)


def stage(planned, actual=None, name="开工"):
    return StageFacts(name, planned, actual)


def texts(result):
    return [(r["m"], r.get("n"), r["p"]) for r in result.reasons]


# --- stages ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "planned, expected_level, late",
    [
        (date(2026, 12, 1), "green", None),  # next month: not judged yet
        (date(2026, 11, 30), "yellow", 0),  # due later this month, not reached: yellow already
        (date(2026, 11, 1), "yellow", 0),  # due earlier this month
        (date(2026, 10, 31), "yellow", 1),  # one month late
        (date(2026, 9, 1), "yellow", 2),  # two months late: still yellow
        (date(2026, 8, 31), "red", 3),  # Aug → Nov is three calendar months: red
        (date(2025, 11, 15), "red", 12),
    ],
)
def test_it_judges_a_stage_not_reached_by_months_late(planned, expected_level, late):
    result = assess([stage(planned)], today=TODAY)
    assert result.level == expected_level
    if late is None:
        assert result.reasons == []
    elif late == 0:
        assert result.reasons == [
            {"m": "%(stage)s节点计划本月（%(year)s年%(month)s月）完成，尚未完成", "p": {"stage": "开工", "year": 2026, "month": 11}}
        ]
    else:
        (reason,) = result.reasons
        assert reason["n"] == late
        assert reason["p"] == {"stage": "开工", "year": planned.year, "month": planned.month}


def test_it_ignores_stages_reached_even_late_and_stages_without_a_plan():
    result = assess([stage(date(2026, 3, 1), date(2026, 9, 1)), stage(None, name="投产")], today=TODAY)
    assert (result.level, result.reasons) == ("green", [])


def test_it_counts_months_across_a_year_end():
    assert months_late(date(2025, 12, 31), date(2026, 1, 1)) == 1
    assert months_late(date(2025, 10, 5), date(2026, 1, 1)) == 3
    assert assess([stage(date(2025, 10, 5))], today=date(2026, 1, 1)).level == "red"
    assert assess([stage(date(2025, 11, 5))], today=date(2026, 1, 1)).level == "yellow"


def test_it_lists_red_reasons_before_yellow_ones_and_counts_them():
    result = assess([stage(date(2026, 11, 3), name="签约"), stage(date(2026, 6, 1), name="开工")], today=TODAY)
    assert result.level == "red"
    assert [r["p"]["stage"] for r in result.reasons] == ["开工", "签约"]
    assert result.red_count == 1


def test_it_takes_the_red_month_count_from_the_thresholds():
    assert assess([stage(date(2026, 9, 1))], today=TODAY, thresholds=Thresholds(stage_red_months=2)).level == "red"
    with pytest.raises(ValueError):
        Thresholds(stage_red_months=0)


# --- investment --------------------------------------------------------------------------------
# Annual plan 1,200 (万元). On 2026-11-15 ten months are complete: plan to date 10/12 = 83.3%.
PLAN = Decimal("1200")


def invest(done_by_month, today=TODAY, **kw):
    return assess([], annual_plan=PLAN, monthly=done_by_month, plan_year=2026, today=today, **kw)


def test_it_starts_yellow_at_exactly_ten_points():
    # 880/1200 = 73.33% → 73.3; 83.3 − 73.3 = 10.0 → yellow (10 is inclusive)
    result = invest({1: Decimal("880")})
    assert (result.expected_percent, result.actual_percent, result.behind_points) == (83.3, 73.3, 10.0)
    assert result.level == "yellow"


@pytest.mark.parametrize(
    "done, actual, behind, level",
    [
        (Decimal("881.2"), 73.4, 9.9, "green"),  # 881.2/1200 = 73.43% → 73.4; 83.3 − 73.4 = 9.9
        (Decimal("640.0"), 53.3, 30.0, "yellow"),  # 640/1200 = 53.33% → 53.3; 83.3 − 53.3 = 30.0 (inclusive)
        (Decimal("638.8"), 53.2, 30.1, "red"),  # 638.8/1200 = 53.23% → 53.2; 30.1 > 30
        (Decimal("0"), 0.0, 83.3, "red"),
        (Decimal("1300"), 108.3, -25.0, "green"),  # ahead of plan
    ],
)
def test_it_compares_cumulative_investment_with_the_time_proportional_plan(done, actual, behind, level):
    result = invest({3: done})
    assert result.actual_percent == actual
    assert result.behind_points == behind
    assert result.level == level
    if level != "green":
        assert result.reasons[-1]["m"] == "投资完成率落后序时%(points)s个百分点"


def test_it_counts_only_completed_months():
    # In November the November figure is not yet part of the plan to date (ten months).
    result = invest({10: Decimal("1000"), 11: Decimal("200")})
    assert result.actual_percent == 83.3  # 1000/1200
    assert result.level == "green"


def test_it_does_not_judge_investment_in_january_or_without_a_plan():
    assert invest({}, today=date(2026, 1, 31)).level == "green"
    assert assess([], annual_plan=0, monthly={}, plan_year=2026, today=TODAY).level == "green"


def test_it_counts_a_finished_plan_year_in_full_and_a_future_one_not_at_all():
    assert completed_months(2025, TODAY) == 12
    assert completed_months(2027, TODAY) == 0
    assert completed_months(2026, date(2026, 3, 1)) == 2


def test_it_uses_the_configured_investment_points():
    # behind 20 points (83.3 − 63.3): yellow by default, red when red starts above 15
    result = invest({1: Decimal("760")}, thresholds=Thresholds(invest_yellow_points=5, invest_red_points=15))
    assert result.behind_points == 20.0
    assert result.level == "red"
