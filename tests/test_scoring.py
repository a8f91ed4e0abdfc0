"""Pure tests of luoshi.indicators.scoring against hand-computed examples (no Django needed:
run with ``-p no:django``)."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.indicators.scoring import (
    IndicatorSpec,
    Observation,
    competition_ranks,
    compute_flags,
    flags_by_entity,
    gap_for,
    gap_to_rank,
    period_sort_key,
    score_all,
    score_period,
    tier_of,
)


def obs(indicator, period, **values):
    return [Observation(e, indicator, period, v) for e, v in values.items()]


def scores(pr, code):
    return {e.entity: e.indicators[code].score for e in pr.entities}


def ranks(pr, code):
    return {e.entity: e.indicators[code].rank for e in pr.entities}


# Hand-computed example used by several tests ---------------------------------------------------
# 开办企业 (days, lower is better): w 5, x 3, y 3, z 1 → frontier 1, worst 5;
#   score = 100 × (5 − x) / (5 − 1): w 0, x 50, y 50, z 100; ranks z 1, x 2, y 2, w 4.
# 获得信贷 (higher is better): w 10, x 20, y missing, z 40 → frontier 40, worst 10;
#   w 0, x 100 × 10/30 = 33.33…, z 100; ranks z 1, x 2, w 3; y None.
KAIBAN = IndicatorSpec("KB", "开办企业", "lower", unit="天")
XINDAI = IndicatorSpec("XD", "获得信贷", "higher")
EXAMPLE = obs("KB", "2024", w=5, x=3, y=3, z=1) + obs("XD", "2024", w=10, x=20, y=None, z=40)


def test_it_scores_lower_is_better_with_competition_ties():
    pr = score_period(EXAMPLE, [KAIBAN, XINDAI])
    assert scores(pr, "KB") == {"w": 0.0, "x": 50.0, "y": 50.0, "z": 100.0}
    assert ranks(pr, "KB") == {"w": 4, "x": 2, "y": 2, "z": 1}
    assert pr.bounds["KB"].frontier == 1 and pr.bounds["KB"].worst == 5


def test_it_leaves_missing_values_missing_and_out_of_the_composite():
    pr = score_period(EXAMPLE, [KAIBAN, XINDAI])
    s = scores(pr, "XD")
    assert s["w"] == 0.0 and s["z"] == 100.0 and s["y"] is None
    assert s["x"] == pytest.approx(100 / 3)
    assert ranks(pr, "XD") == {"w": 3, "x": 2, "y": None, "z": 1}
    y = pr.entity("y")
    assert y.indicators["XD"].tier is None and y.indicators["XD"].source == "none"
    # y's composite is its only score (50), not (50 + 0) / 2
    comp = {e.entity: e.composite for e in pr.entities}
    assert comp["y"] == 50.0
    assert comp["x"] == pytest.approx((50 + 100 / 3) / 2)
    assert comp["z"] == 100.0 and comp["w"] == 0.0
    assert [e.entity for e in pr.entities] == ["z", "y", "x", "w"]
    assert [e.rank for e in pr.entities] == [1, 2, 3, 4]
    assert y.covered == 1 and y.weight_used == 1.0


def test_it_uses_weights_in_the_composite():
    pr = score_period(EXAMPLE, [IndicatorSpec("KB", direction="lower", weight=2), XINDAI])
    # x: (2 × 50 + 1 × 33.33…) / 3 = 44.44…
    assert pr.entity("x").composite == pytest.approx(400 / 9)
    assert pr.entity("y").composite == 50.0


def test_it_keeps_zero_weight_indicators_shown_but_out_of_the_composite():
    pr = score_period(EXAMPLE, [KAIBAN, IndicatorSpec("XD", weight=0)])
    # composite = 开办企业 score alone: z 100, x 50, y 50, w 0 → composite ranks 1, 2, 2, 4
    assert {e.entity: e.composite for e in pr.entities} == {"z": 100.0, "x": 50.0, "y": 50.0, "w": 0.0}
    assert {e.entity: e.rank for e in pr.entities} == {"z": 1, "x": 2, "y": 2, "w": 4}
    assert pr.cell("x", "XD").score == pytest.approx(100 / 3) and pr.cell("x", "XD").rank == 2


def test_it_gives_no_composite_when_all_weights_with_data_are_zero():
    specs = [IndicatorSpec("A", weight=0), IndicatorSpec("B")]
    pr = score_period(obs("A", "2024", p=1, q=2) + obs("B", "2024", q=5), specs)
    p = pr.entity("p")
    assert p.composite is None and p.rank is None and p.tier is None
    assert p.indicators["A"].score == 0.0  # still shown
    assert pr.entity("q").composite == 100.0 and pr.entity("q").rank == 1
    assert [e.entity for e in pr.entities] == ["q", "p"]  # None last


def test_it_scores_all_equal_values_as_all_at_the_frontier():
    pr = score_period(obs("A", "2024", a=7, b=7, c=7), [IndicatorSpec("A", direction="lower")])
    assert scores(pr, "A") == {"a": 100.0, "b": 100.0, "c": 100.0}
    assert ranks(pr, "A") == {"a": 1, "b": 1, "c": 1}
    assert {e.rank for e in pr.entities} == {1}


def test_it_scores_a_single_entity_100_rank_1():
    pr = score_period(obs("A", "2024", only=3.2), [IndicatorSpec("A")])
    e = pr.entity("only")
    assert (e.indicators["A"].score, e.indicators["A"].rank, e.composite, e.rank, e.tier) == (100.0, 1, 100.0, 1, 1)


def test_it_handles_an_empty_period_and_missing_everything():
    pr = score_period([], [IndicatorSpec("A")], period="2024")
    assert pr.period == "2024" and pr.entities == []
    pr = score_period(obs("A", "2024", a=None, b=None), [IndicatorSpec("A")])
    assert all(e.composite is None and e.rank is None for e in pr.entities)
    assert pr.bounds["A"].basis == "value" or pr.bounds["A"].basis == "none"


def test_it_uses_fixed_frontier_and_clamps():
    # frontier fixed at 50, worst from peers = 10: 10 → 0, 30 → 50, 60 → 125 → clamped 100
    pr = score_period(obs("A", "2024", a=10, b=30, c=60), [IndicatorSpec("A", frontier=50)])
    assert scores(pr, "A") == {"a": 0.0, "b": 50.0, "c": 100.0}
    # worst fixed at 0 (higher): frontier 20 from peers; −5 → clamped 0, 10 → 50
    pr = score_period(obs("A", "2024", a=-5, b=10, c=20), [IndicatorSpec("A", worst=0)])
    assert scores(pr, "A") == {"a": 0.0, "b": 50.0, "c": 100.0}
    # both fixed, lower is better: frontier 1, worst 10: 5.5 → 100 × 4.5 / 9 = 50; 12 → 0; 0.5 → 100
    pr = score_period(obs("A", "2024", a=5.5, b=12, c=0.5),
                      [IndicatorSpec("A", direction="lower", frontier=1, worst=10)])
    assert scores(pr, "A") == {"a": 50.0, "b": 0.0, "c": 100.0}


def test_it_defines_degenerate_ranges_with_one_fixed_bound():
    # only frontier fixed (10) and every peer beyond it → all at the frontier → 100
    pr = score_period(obs("A", "2024", a=12, b=15), [IndicatorSpec("A", frontier=10)])
    assert scores(pr, "A") == {"a": 100.0, "b": 100.0}
    assert ranks(pr, "A") == {"b": 1, "a": 2}
    # only worst fixed (20) and no peer better than it → all at/below worst → 0
    pr = score_period(obs("A", "2024", a=5, b=20), [IndicatorSpec("A", worst=20)])
    assert scores(pr, "A") == {"a": 0.0, "b": 0.0}


def test_it_rejects_inconsistent_specs_and_observations():
    with pytest.raises(ValueError):
        IndicatorSpec("A", direction="up")
    with pytest.raises(ValueError):
        IndicatorSpec("A", frontier=1, worst=1)
    with pytest.raises(ValueError):
        IndicatorSpec("A", direction="lower", frontier=10, worst=1)
    with pytest.raises(ValueError):
        IndicatorSpec("A", weight=-1)
    with pytest.raises(ValueError):
        Observation("a", "A", "2024", float("nan"))
    with pytest.raises(ValueError):
        Observation("a", "A", "2024", score=101)
    with pytest.raises(ValueError):
        Observation("a", "A", "2024", rank=0)
    with pytest.raises(ValueError, match="duplicate"):
        score_period(obs("A", "2024", a=1) + obs("A", "2024", a=2), [IndicatorSpec("A")])
    with pytest.raises(ValueError, match="several periods"):
        score_period(obs("A", "2024", a=1) + obs("A", "2025", a=2), [IndicatorSpec("A")])
    with pytest.raises(ValueError):
        score_period([], [IndicatorSpec("A")], tier_size=0)


def test_it_ignores_observations_of_unknown_indicators():
    pr = score_period(obs("A", "2024", a=1) + obs("ZZ", "2024", b=1), [IndicatorSpec("A")])
    assert [e.entity for e in pr.entities] == ["a"]


def test_it_ranks_by_competition_ranking():
    assert competition_ranks([10, 20, 20, 5]) == [3, 1, 1, 4]
    assert competition_ranks([1, None, 1, 1]) == [1, None, 1, 1]
    assert competition_ranks([]) == []


def test_it_computes_tiers():
    assert [tier_of(r, 6) for r in (1, 6, 7, 12, 13, 18)] == [1, 1, 2, 2, 3, 3]
    assert tier_of(None, 6) is None
    # 8 entities, distinct values, tier_size 3 → tiers 1,1,1,2,2,2,3,3
    pr = score_period(obs("A", "2024", **{f"e{i}": 10 - i for i in range(8)}), [IndicatorSpec("A")], tier_size=3)
    assert [e.tier for e in pr.entities] == [1, 1, 1, 2, 2, 2, 3, 3]
    assert [e.indicators["A"].tier for e in pr.entities] == [1, 1, 1, 2, 2, 2, 3, 3]


def test_it_ties_composites_despite_float_noise():
    # A: range 0..0.3, a = 0.1 → 33.333333333333336; B: range 0..0.9, b = 0.3 → 33.33333333333333.
    # a has only A, b only B: both composites are mathematically 100/3 and must tie at rank 2.
    specs = [IndicatorSpec("A"), IndicatorSpec("B")]
    o = obs("A", "p", a=0.1, b=None, c=0.3, d=0.0) + obs("B", "p", a=None, b=0.3, c=0.9, d=0.0)
    pr = score_period(o, specs)
    assert pr.entity("a").composite != pr.entity("b").composite  # the float noise is really there
    assert pr.entity("a").composite == pytest.approx(100 / 3) and pr.entity("b").composite == pytest.approx(100 / 3)
    assert {e.entity: e.rank for e in pr.entities} == {"c": 1, "a": 2, "b": 2, "d": 4}


def test_it_uses_published_scores_and_ranks():
    specs = [IndicatorSpec("S"), IndicatorSpec("R"), IndicatorSpec("V")]
    o = [
        Observation("a", "S", "2024", None, score=80.0),
        Observation("b", "S", "2024", None, score=90.0),
        Observation("c", "S", "2024", None, score=80.0),
        Observation("a", "R", "2024", None, rank=3),
        Observation("b", "R", "2024", None, rank=1),
        Observation("c", "R", "2024", None, rank=2),
        Observation("a", "V", "2024", 1.0),
        Observation("b", "V", "2024", 3.0),
        Observation("c", "V", "2024", None, score=40.0, rank=1),
    ]
    pr = score_period(o, specs)
    # S: published scores, ranked by score (competition)
    assert scores(pr, "S") == {"a": 80.0, "b": 90.0, "c": 80.0}
    assert ranks(pr, "S") == {"a": 2, "b": 1, "c": 2}
    assert pr.bounds["S"].basis == "published"
    # R: published ranks only → rank kept, score None, not in composite
    assert ranks(pr, "R") == {"a": 3, "b": 1, "c": 2}
    assert scores(pr, "R") == {"a": None, "b": None, "c": None}
    assert pr.cell("a", "R").source == "published_rank"
    # V: value basis; c has no value → keeps its published score, rank None
    assert scores(pr, "V") == {"a": 0.0, "b": 100.0, "c": 40.0}
    assert ranks(pr, "V") == {"a": 2, "b": 1, "c": None}
    # composites: a (80 + 0)/2 = 40, b (90 + 100)/2 = 95, c (80 + 40)/2 = 60
    assert {e.entity: e.composite for e in pr.entities} == {"a": 40.0, "b": 95.0, "c": 60.0}


def test_it_scores_all_periods_in_natural_or_given_order():
    o = obs("A", "2025", a=1) + obs("A", "2024Q2", a=1) + obs("A", "2024Q10", a=1) + obs("A", "2024", a=1)
    res = score_all(o, [IndicatorSpec("A")])
    assert list(res) == ["2024", "2024Q2", "2024Q10", "2025"]
    res = score_all(o, [IndicatorSpec("A")], periods=["2025", "2024", "2030"])
    assert list(res) == ["2025", "2024", "2030"]
    assert res["2030"].entities == []
    assert sorted(["2025-10", "2025-6", "2024-12"], key=period_sort_key) == ["2024-12", "2025-6", "2025-10"]


# Flags ------------------------------------------------------------------------------------------


def ranked_series(series, us="济源", n=18):
    """Observations where `us` has exactly the given rank per period on indicator X (higher better):
    peers have values 1..n−1, us = (n − r) + 0.5 → exactly r − 1 peers are better."""
    out = []
    for period, r in series.items():
        for i in range(1, n):
            out.append(Observation(f"P{i:02d}", "X", period, float(i)))
        if r is not None:
            out.append(Observation(us, "X", period, (n - r) + 0.5))
    return out


def test_it_flags_weak_drop_and_roller_coaster_with_reasons():
    series = {"2021": 3, "2022": 9, "2023": 14, "2024": 15}
    res = score_all(ranked_series(series), [IndicatorSpec("X", "营商环境X")])
    assert [res[p].cell("济源", "X").rank for p in series] == [3, 9, 14, 15]
    f23 = {f.kind: f for f in compute_flags(res, "济源", period="2023") if f.indicator == "X"}
    assert f23["weak"].reason == "排名第14位，落后于第10位"
    assert f23["drop"].reason == "较上期下降5位（第9→第14）"
    assert f23["volatile"].reason == "近3期排名波动11位（第3→第14）"
    f24 = {f.kind: f for f in compute_flags(res, "济源") if f.indicator == "X"}
    assert f24["volatile"].reason == "近4期排名波动12位（第3→第15）"
    assert f24["volatile"].ranks == (3, 9, 14, 15)
    assert f24["drop"].reason == "较上期下降1位（第14→第15）"
    assert f24["weak"].message == "营商环境X：排名第15位，落后于第10位"
    # thresholds are configurable
    kinds = {f.kind for f in compute_flags(res, "济源", drop_places=2, weak_rank=15, volatility_places=13)
             if f.indicator == "X"}
    assert kinds == set()


def test_it_flags_rank_17_and_composite():
    res = score_all(ranked_series({"2024": 17}), [IndicatorSpec("X")])
    flags = compute_flags(res, "济源")
    assert [(f.kind, f.indicator, f.reason) for f in flags] == [
        ("weak", "X", "排名第17位，落后于第10位"),
        ("weak", None, "排名第17位，落后于第10位"),
    ]
    assert flags[1].message == "综合排名：排名第17位，落后于第10位"


def test_it_reports_volatility_in_chronological_order_and_needs_two_ranks():
    res = score_all(ranked_series({"2021": 15, "2022": None, "2023": 3}), [IndicatorSpec("X")])
    f = [f for f in compute_flags(res, "济源", composite=False) if f.kind == "volatile"]
    assert f[0].reason == "近3期排名波动12位（第15→第3）" and f[0].ranks == (15, None, 3)
    # no previous rank → no drop flag; a single rank → no volatility
    res = score_all(ranked_series({"2021": None, "2022": 16}), [IndicatorSpec("X")])
    kinds = [f.kind for f in compute_flags(res, "济源", composite=False)]
    assert kinds == ["weak"]


def test_it_flags_target_rank_and_all_entities():
    res = score_all(ranked_series({"2024": 8}), [IndicatorSpec("X", target_rank=6)])
    f = [f for f in compute_flags(res, "济源") if f.kind == "target"]
    assert f[0].reason == "排名第8位，未达到目标第6位（差2位）"
    by = flags_by_entity(res)
    assert set(by) == {e.entity for e in res["2024"].entities}
    assert compute_flags(res, "无此城市") == []


# Gap to target -----------------------------------------------------------------------------


def test_it_computes_gap_for_lower_is_better_with_ties():
    # 开办企业 days: us 5; peers 1, 2, 3.5, 3.5, 4, 6 → we are 6th (five peers strictly better)
    vals = {"us": 5.0, "a": 1.0, "b": 2.0, "c": 3.5, "d": 3.5, "e": 4.0, "f": 6.0}
    g = gap_to_rank(vals, "us", 3, "lower")
    assert (g.current_rank, g.required_value, g.change, g.already) == (6, 3.5, -1.5, False)
    assert g.status == "needs_change"
    assert g.reason == "当前第6位（5）；要进入第3位需降低到3.5，减少1.5"
    # equalling the 3rd-best peer ties with c and d at rank 3 — enough
    assert competition_ranks([-v for v in {**vals, "us": 3.5}.values()])[0] == 3
    # target 4: 4th-best peer is also 3.5 (tie) → same requirement
    assert gap_to_rank(vals, "us", 4, "lower").required_value == 3.5
    g5 = gap_to_rank(vals, "us", 5, "lower")
    assert (g5.required_value, g5.change) == (4.0, -1.0)


def test_it_computes_gap_for_higher_is_better_with_ties():
    vals = {"us": 60, "a": 90, "b": 80, "c": 80, "d": 70}
    g = gap_to_rank(vals, "us", 2, "higher")
    assert (g.current_rank, g.required_value, g.change) == (5, 80, 20.0)
    assert g.reason == "当前第5位（60）；要进入第2位需提高到80，增加20"
    assert gap_to_rank(vals, "us", 3, "higher").required_value == 80
    assert gap_to_rank(vals, "us", 1, "higher").change == 30.0


def test_it_reports_already_at_target():
    vals = {"us": 85, "a": 90, "b": 80}
    g = gap_to_rank(vals, "us", 2, "higher")
    assert (g.already, g.change, g.current_rank, g.required_value) == (True, 0.0, 2, 80)
    assert g.reason == "当前第2位，已达到目标第2位（需保持不低于80）"
    # tie with the target-th peer counts as reached
    g = gap_to_rank({"us": 80, "a": 90, "b": 80}, "us", 2, "higher")
    assert g.already and g.current_rank == 2


def test_it_handles_gap_edge_cases():
    vals = {"us": 3, "a": 1, "b": 2}
    g = gap_to_rank(vals, "us", 5, "higher")  # target rank beyond entity count
    assert (g.already, g.required_value, g.change, g.status) == (True, None, 0.0, "already")
    g = gap_to_rank({"us": None, "a": 1, "b": 2}, "us", 1, "higher")  # us missing
    assert (g.already, g.current_value, g.required_value, g.change, g.status) == (False, None, 2, None, "no_current_value")
    assert g.reason == "本市无数据；要进入第1位，数值需不低于2"
    g = gap_to_rank({"a": 1}, "us", 3, "lower")  # us absent, too few peers
    assert (g.already, g.required_value, g.status) == (False, None, "any_value")
    g = gap_to_rank({"us": 5, "a": None, "b": 4}, "us", 1, "lower")  # missing peers are ignored
    assert (g.required_value, g.change) == (4, -1.0)
    with pytest.raises(ValueError):
        gap_to_rank(vals, "us", 0, "higher")
    with pytest.raises(ValueError):
        gap_to_rank(vals, "us", 1, "up")


def test_it_computes_gap_from_a_scored_period_with_the_spec_target():
    spec = IndicatorSpec("KB", "开办企业", "lower", target_rank=2)
    pr = score_period(obs("KB", "2024", us=5, a=1, b=3.5, c=4), [spec])
    g = gap_for(pr, "us", "KB")
    assert (g.required_value, g.change) == (3.5, -1.5)
    with pytest.raises(ValueError):
        gap_for(pr, "us", "nope")
    with pytest.raises(ValueError):
        gap_for(score_period(obs("A", "2024", a=1), [IndicatorSpec("A")]), "a", "A")


# Properties ---------------------------------------------------------------------------------

values = st.one_of(st.none(), st.integers(-5, 5), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


@st.composite
def datasets(draw):
    n_ent = draw(st.integers(1, 8))
    specs = []
    for j in range(draw(st.integers(1, 4))):
        direction = draw(st.sampled_from(["higher", "lower"]))
        frontier = worst = None
        mode = draw(st.sampled_from(["peers", "frontier", "worst", "both"]))
        a = draw(st.integers(-10, 10))
        b = a + draw(st.integers(1, 10))
        hi, lo = (b, a) if direction == "higher" else (a, b)
        if mode in ("frontier", "both"):
            frontier = hi
        if mode in ("worst", "both"):
            worst = lo
        specs.append(IndicatorSpec(f"I{j}", direction=direction, weight=draw(st.sampled_from([0, 0.5, 1, 3])),
                                   frontier=frontier, worst=worst))
    o = [Observation(f"e{i}", s.code, "p", draw(values)) for s in specs for i in range(n_ent)]
    return specs, o


def better(a, b, direction):
    return a > b if direction == "higher" else a < b


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_it_keeps_scores_in_range_and_ranks_consistent_with_values(data):
    specs, o = data
    pr = score_period(o, specs)
    for s in specs:
        cells = [e.indicators[s.code] for e in pr.entities]
        for c in cells:
            if c.value is None:
                assert c.score is None and c.rank is None
            else:
                assert 0.0 <= c.score <= 100.0 and not math.isnan(c.score)
                assert c.rank == 1 + sum(1 for d in cells if d.value is not None and better(d.value, c.value, s.direction))
        for c in cells:
            for d in cells:
                if c.value is not None and d.value is not None:
                    if c.value == d.value:
                        assert c.rank == d.rank and c.score == d.score
                    elif better(c.value, d.value, s.direction):
                        assert c.rank < d.rank and c.score >= d.score
    for e in pr.entities:
        assert e.composite is None or 0.0 <= e.composite <= 100.0 + 1e-9
        assert (e.composite is None) == (e.rank is None)
    ranked = [e for e in pr.entities if e.rank is not None]
    for a in ranked:
        assert a.rank == 1 + sum(1 for b in ranked if round(b.composite, 9) > round(a.composite, 9))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), st.one_of(st.none(), st.integers(0, 20)), min_size=1),
       st.integers(0, 20), st.integers(1, 10), st.sampled_from(["higher", "lower"]))
def test_it_gives_a_gap_that_is_exactly_enough(peers, current, k, direction):
    vals = {**peers, "us": current}
    g = gap_to_rank(vals, "us", k, direction)

    def rank_with(v):
        others = [x for e, x in vals.items() if e != "us" and x is not None]
        return 1 + sum(1 for x in others if better(x, v, direction))

    assert g.current_rank == rank_with(current)
    if g.required_value is None:
        assert g.already and rank_with(-10**6) <= k and rank_with(10**6) <= k
        return
    assert rank_with(g.required_value) <= k  # equalling is enough
    step = -1 if direction == "higher" else 1
    assert rank_with(g.required_value + step) > k  # anything worse is not
    assert g.already == (rank_with(current) <= k)
    if g.already:
        assert g.change == 0
    else:
        assert g.change == g.required_value - current


def test_it_scores_a_subnormal_range_without_nan():
    # Found by hypothesis: 100 / 4.4e-309 overflows to infinity, and 0 × ∞ is NaN.
    spec = IndicatorSpec("I0", direction="lower", frontier=0, weight=0)
    result = score_period([Observation("e0", "I0", "p", 4.376751120448184e-309)], [spec])
    assert result.cell("e0", "I0").score == 0.0


def test_it_scores_values_whose_range_overflows():
    spec = IndicatorSpec("I0", direction="higher")
    obs = [Observation("a", "I0", "p", 1.7e308), Observation("b", "I0", "p", -1.7e308)]
    result = score_period(obs, [spec])
    assert (result.cell("a", "I0").score, result.cell("b", "I0").score) == (100.0, 0.0)
