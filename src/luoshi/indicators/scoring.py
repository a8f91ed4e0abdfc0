"""Indicator benchmarking (指标对标): distance-to-frontier scores, competition ranks, tiers, flags
and the gap to a target rank.

Pure Python: no Django, no database, no numpy. Everything works on plain data classes so the same
code serves the web views, the ``benchmark`` management command and the tests.

Method (PRODUCT.md §3)
----------------------
For every (indicator, period) the *frontier* is the best peer value and the *worst* the worst peer
value that period ("best" respects the direction: for a lower-is-better indicator such as 开办企业
days, the frontier is the minimum and the worst the maximum). A spec may fix either bound; a fixed
bound overrides the peers' one. An entity's score is::

    100 × (x − worst) / (frontier − worst)      clamped to [0, 100]

The composite is the weighted mean of an entity's indicator scores over the indicators that *have a
score for that entity* and a weight > 0 — a missing indicator is left out of both numerator and
denominator, never counted as zero. Ranks are competition ranks ("1224": equal values share the
better rank and the next rank is skipped). Tier (方阵) = ceil(rank / tier_size); with the default
tier_size 6 the 第一方阵 is ranks 1–6.

Defined edge cases (all covered by tests/test_scoring.py)
--------------------------------------------------------
* All entities equal on an indicator (and neither bound fixed): every entity is at the frontier →
  score 100, rank 1.
* A single entity with a value: it is both frontier and worst → score 100, rank 1.
* Degenerate range with one fixed bound: if only the frontier is fixed and every peer is at or
  beyond it, all score 100; if only the worst is fixed and no peer is better than it, all score 0.
  No division by zero can occur: the division is only done when frontier ≠ worst.
* Missing value (``value=None`` and no published score/rank): score None, rank None, tier None;
  excluded from the composite's weights. An entity with no score at all has composite, rank and
  tier None and is listed last.
* Weight 0: the indicator is scored and ranked (shown) but does not enter the composite. If every
  indicator that has a score for an entity has weight 0, the composite is None (not 0, not a
  division by zero).
* Published scores/ranks (where raw values are not published): per (indicator, period) the ranking
  *basis* is ``"value"`` if any entity has a raw value, else ``"published"``. On the value basis a
  cell without a value keeps its published score (if any) but gets rank None (its published rank
  would not be comparable with value-based ranks). On the published basis the score is the
  published score (or None); the rank is the published rank when any cell of that indicator and
  period has one (None where absent), otherwise a competition rank over the published scores.
* Rounding: everything is kept as full floats; round only for display. Composite sums use
  ``math.fsum`` so they do not depend on indicator order, and composite *ranking* compares the
  composites rounded to 9 decimals so float noise (74.99999999999999 vs 75.0) never breaks a tie.
  Indicator ranks compare the raw values exactly.
* Observations for indicators that are not in ``specs`` are ignored (pass a subset of specs to score
  a subset). Two observations for the same (entity, indicator, period) raise ``ValueError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from luoshi.core.i18n import gettext, ngettext
from luoshi.indicators.rules import is_weak

__all__ = [
    "HIGHER",
    "LOWER",
    "IndicatorSpec",
    "Observation",
    "Row",
    "Bounds",
    "IndicatorResult",
    "EntityResult",
    "PeriodResult",
    "Flag",
    "Gap",
    "competition_ranks",
    "score_period",
    "score_all",
    "period_sort_key",
    "compute_flags",
    "flags_by_entity",
    "gap_to_rank",
    "gap_for",
    "tier_of",
]

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)

# Composite ranks compare composites rounded to this many decimals (see module docstring).
COMPOSITE_RANK_DECIMALS = 9


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# --------------------------------------------------------------------------------------------
# Input data classes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One indicator of an indicator set.

    ``direction`` is ``"higher"`` (higher is better) or ``"lower"`` (lower is better, e.g. days to
    open a business). ``weight`` ≥ 0 is the weight in the composite (0 = shown but not in the
    composite). ``frontier`` / ``worst`` fix the bounds of the distance-to-frontier score instead of
    taking them from the peers; when both are fixed they must differ and be ordered consistently
    with the direction. ``target_rank`` is the rank this city aims for (used by :func:`gap_for` and
    the ``target`` flag).
    """

    code: str
    name: str = ""
    direction: str = HIGHER
    weight: float = 1.0
    unit: str = ""
    frontier: float | None = None
    worst: float | None = None
    target_rank: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code:
            raise ValueError("indicator code must be a non-empty string")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"{self.code}: direction must be 'higher' or 'lower', got {self.direction!r}")
        if not _is_number(self.weight) or not math.isfinite(self.weight) or self.weight < 0:
            raise ValueError(f"{self.code}: weight must be a finite number >= 0, got {self.weight!r}")
        for label, bound in (("frontier", self.frontier), ("worst", self.worst)):
            if bound is not None and (not _is_number(bound) or not math.isfinite(bound)):
                raise ValueError(f"{self.code}: {label} must be a finite number or None")
        if self.frontier is not None and self.worst is not None:
            better = self.frontier > self.worst if self.direction == HIGHER else self.frontier < self.worst
            if not better:
                raise ValueError(
                    f"{self.code}: fixed frontier {self.frontier} must be better than fixed worst "
                    f"{self.worst} for direction {self.direction!r}"
                )
        if self.target_rank is not None and (
            not isinstance(self.target_rank, int) or isinstance(self.target_rank, bool) or self.target_rank < 1
        ):
            raise ValueError(f"{self.code}: target_rank must be an int >= 1 or None")

    @property
    def label(self) -> str:
        """The name if given, else the code."""
        return self.name or self.code


@dataclass(frozen=True, slots=True)
class Observation:
    """One (entity, indicator, period) datum.

    ``value`` is the raw value (None = missing). ``score`` is a *published* score in [0, 100] and
    ``rank`` a *published* rank (≥ 1), for indicators whose raw values are not published. NaN and
    infinities are rejected (they would make ranking undefined).
    """

    entity: str
    indicator: str
    period: str
    value: float | None = None
    score: float | None = None
    rank: int | None = None

    def __post_init__(self) -> None:
        v = self.value
        if v is not None and (not _is_number(v) or not math.isfinite(v)):
            raise ValueError(f"{self.entity}/{self.indicator}/{self.period}: value must be a finite number or None")
        s = self.score
        if s is not None and (not _is_number(s) or not (0 <= s <= 100)):
            raise ValueError(f"{self.entity}/{self.indicator}/{self.period}: published score must be within [0, 100]")
        r = self.rank
        if r is not None and (not isinstance(r, int) or isinstance(r, bool) or r < 1):
            raise ValueError(f"{self.entity}/{self.indicator}/{self.period}: published rank must be an int >= 1")


class Row(NamedTuple):
    """An observation that was validated before (e.g. read back from the database, where the import
    checked every value): the same fields as :class:`Observation`, without the checks, so building
    hundreds of thousands of them is cheap. Every function here accepts either."""

    entity: str
    indicator: str
    period: str
    value: float | None = None
    score: float | None = None
    rank: int | None = None


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Bounds:
    """The bounds used for one indicator in one period.

    ``basis`` is ``"value"``, ``"published"`` or ``"none"`` (no data). ``frontier``/``worst`` are
    the effective bounds (fixed or from peers; None unless basis is ``"value"``); ``n`` is the
    number of entities ranked on that indicator.
    """

    basis: str
    frontier: float | None
    worst: float | None
    n: int


@dataclass(slots=True)
class IndicatorResult:
    """One entity's result on one indicator in one period.

    ``source`` says where the score came from: ``"value"`` (computed), ``"published_score"``,
    ``"published_rank"`` (rank only, score None) or ``"none"`` (missing).
    """

    entity: str
    indicator: str
    value: float | None
    score: float | None
    rank: int | None
    tier: int | None
    source: str


@dataclass(slots=True)
class EntityResult:
    """One entity in one period: the composite, its rank and tier, and the indicator cells.

    ``indicators`` has an entry for every spec'd indicator (a missing one has value/score/rank
    None). ``weight_used`` is the sum of the weights that entered the composite and ``covered`` the
    number of indicators with a score.
    """

    entity: str
    composite: float | None
    rank: int | None
    tier: int | None
    indicators: dict[str, IndicatorResult]
    weight_used: float
    covered: int


@dataclass(slots=True)
class PeriodResult:
    """All results for one period. ``entities`` is ordered by composite rank (None last), then
    entity name."""

    period: str
    specs: dict[str, IndicatorSpec]
    entities: list[EntityResult]
    bounds: dict[str, Bounds]
    tier_size: int
    by_entity: dict[str, EntityResult] = field(default_factory=dict, repr=False)
    _columns: dict[str, dict[str, float | None]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.by_entity:
            self.by_entity = {e.entity: e for e in self.entities}

    def entity(self, name: str) -> EntityResult | None:
        return self.by_entity.get(name)

    def cell(self, entity: str, indicator: str) -> IndicatorResult | None:
        e = self.by_entity.get(entity)
        return None if e is None else e.indicators.get(indicator)

    def indicator_ranks(self, indicator: str) -> dict[str, int | None]:
        return {e.entity: e.indicators[indicator].rank for e in self.entities if indicator in e.indicators}

    def values(self, indicator: str) -> dict[str, float | None]:
        """Raw values by entity for one indicator (for :func:`gap_to_rank`)."""
        # The indicator table asks this of every indicator: every column is read in one pass over
        # the cells, not one pass over every entity per indicator.
        if self._columns is None:
            columns: dict[str, dict[str, float | None]] = {}
            for e in self.entities:
                for code, c in e.indicators.items():
                    columns.setdefault(code, {})[e.entity] = c.value
            self._columns = columns
        return dict(self._columns.get(indicator, {}))


def tier_of(rank: int | None, tier_size: int) -> int | None:
    """Tier (方阵) of a rank: ceil(rank / tier_size); None for None."""
    if rank is None:
        return None
    return (rank + tier_size - 1) // tier_size


# --------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------


def competition_ranks(keys: Sequence[float | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of ``keys`` where a *larger* key is better.

    Equal keys share the better rank; None keys get None. One sort, O(n log n).
    """
    order = sorted((i for i, k in enumerate(keys) if k is not None), key=keys.__getitem__, reverse=True)
    ranks: list[int | None] = [None] * len(keys)
    prev = None
    rank = 0
    for pos, i in enumerate(order, 1):
        k = keys[i]
        if pos == 1 or k != prev:
            rank = pos
            prev = k
        ranks[i] = rank
    return ranks


def _check_tier_size(tier_size: int) -> None:
    if not isinstance(tier_size, int) or isinstance(tier_size, bool) or tier_size < 1:
        raise ValueError("tier_size must be an int >= 1")


def _spec_map(specs: Iterable[IndicatorSpec] | Mapping[str, IndicatorSpec]) -> dict[str, IndicatorSpec]:
    items = specs.values() if isinstance(specs, Mapping) else specs
    out: dict[str, IndicatorSpec] = {}
    for s in items:
        if s.code in out:
            raise ValueError(f"duplicate indicator spec {s.code!r}")
        out[s.code] = s
    return out


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def _score_indicator(spec: IndicatorSpec, cells: dict[str, Observation], tier_size: int):
    """Score one indicator in one period. Returns (Bounds, {entity: IndicatorResult})."""
    code = spec.code
    ents = list(cells)
    obs = [cells[e] for e in ents]
    higher = spec.direction == HIGHER
    out: dict[str, IndicatorResult] = {}

    vals = [o.value for o in obs]
    with_value = [v for v in vals if v is not None]
    if with_value:
        # Work in "goodness" g = x (higher) or −x (lower): larger g is better.
        if higher:
            goods = vals
            best, worst_v = max(with_value), min(with_value)
        else:
            goods = [None if v is None else -v for v in vals]
            best, worst_v = min(with_value), max(with_value)
        frontier = spec.frontier if spec.frontier is not None else best
        worst = spec.worst if spec.worst is not None else worst_v
        f_g = frontier if higher else -frontier
        w_g = worst if higher else -worst
        span = f_g - w_g
        if not span > 0:
            # Degenerate range: all equal (→100), or one fixed bound beyond every peer.
            degenerate = 0.0 if (spec.worst is not None and spec.frontier is None) else 100.0
        ranks = competition_ranks(goods)
        for e, o, g, r in zip(ents, obs, goods, ranks):
            if g is None:
                out[e] = IndicatorResult(e, code, None, o.score, None, None,
                                         "published_score" if o.score is not None else "none")
                continue
            if span > 0:
                # Divide rather than multiply by 100/span: a subnormal span makes that factor
                # infinite, and 0 × ∞ is NaN. Spans overflowing to ∞ give NaN too: score by side.
                s = (g - w_g) / span * 100.0
                if s != s:
                    s = 100.0 if g >= f_g else 0.0
                elif s < 0.0:
                    s = 0.0
                elif s > 100.0:
                    s = 100.0
            else:
                s = degenerate
            out[e] = IndicatorResult(e, code, o.value, s, r, (r + tier_size - 1) // tier_size, "value")
        return Bounds("value", frontier, worst, len(with_value)), out

    scores = [o.score for o in obs]
    pub_ranks = [o.rank for o in obs]
    if any(r is not None for r in pub_ranks):
        ranks = pub_ranks
    elif any(s is not None for s in scores):
        ranks = competition_ranks(scores)
    else:
        for e in ents:
            out[e] = IndicatorResult(e, code, None, None, None, None, "none")
        return Bounds("none", None, None, 0), out
    n = 0
    for e, s, r in zip(ents, scores, ranks):
        if s is not None:
            src = "published_score"
        elif r is not None:
            src = "published_rank"
        else:
            src = "none"
        if r is not None:
            n += 1
        out[e] = IndicatorResult(e, code, None, s, r, tier_of(r, tier_size), src)
    return Bounds("published", None, None, n), out


def _score_grouped(period: str, groups: dict[str, dict[str, Observation]], entities: list[str],
                   specs: dict[str, IndicatorSpec], tier_size: int) -> PeriodResult:
    cells_by_entity: dict[str, dict[str, IndicatorResult]] = {e: {} for e in entities}
    bounds: dict[str, Bounds] = {}
    for code, spec in specs.items():
        cells = groups.get(code)
        if not cells:
            bounds[code] = Bounds("none", None, None, 0)
            for e in entities:
                cells_by_entity[e][code] = IndicatorResult(e, code, None, None, None, None, "none")
            continue
        b, res = _score_indicator(spec, cells, tier_size)
        bounds[code] = b
        for e in entities:
            r = res.get(e)
            cells_by_entity[e][code] = r if r is not None else IndicatorResult(e, code, None, None, None, None, "none")

    weights = [(code, spec.weight) for code, spec in specs.items()]
    composites: list[float | None] = []
    extras = []
    fsum = math.fsum
    for e in entities:
        cells = cells_by_entity[e]
        num = []
        den = []
        covered = 0
        for code, w in weights:
            s = cells[code].score
            if s is None:
                continue
            covered += 1
            if w > 0:
                num.append(w * s)
                den.append(w)
        wsum = fsum(den)
        composites.append(fsum(num) / wsum if wsum > 0 else None)
        extras.append((wsum, covered))

    keys = [None if c is None else round(c, COMPOSITE_RANK_DECIMALS) for c in composites]
    ranks = competition_ranks(keys)
    results = [
        EntityResult(e, c, r, tier_of(r, tier_size), cells_by_entity[e], wsum, covered)
        for e, c, r, (wsum, covered) in zip(entities, composites, ranks, extras)
    ]
    results.sort(key=lambda x: (x.rank is None, x.rank or 0, x.entity))
    return PeriodResult(period, dict(specs), results, bounds, tier_size)


def _group(observations: Iterable[Observation], specs: dict[str, IndicatorSpec]):
    """{period: ({indicator: {entity: obs}}, [entities in first-seen order])}; raises on duplicates."""
    by_period: dict[str, tuple[dict[str, dict[str, Observation]], dict[str, None]]] = {}
    for o in observations:
        if o.indicator not in specs:
            continue
        slot = by_period.get(o.period)
        if slot is None:
            slot = by_period[o.period] = ({}, {})
        groups, ents = slot
        cells = groups.get(o.indicator)
        if cells is None:
            cells = groups[o.indicator] = {}
        if o.entity in cells:
            raise ValueError(f"duplicate observation for ({o.entity!r}, {o.indicator!r}, {o.period!r})")
        cells[o.entity] = o
        ents[o.entity] = None
    return by_period


def score_period(observations: Iterable[Observation], specs: Iterable[IndicatorSpec] | Mapping[str, IndicatorSpec],
                 *, tier_size: int = 6, period: str | None = None) -> PeriodResult:
    """Score one period (see the module docstring for the method and every edge case).

    All observations must belong to the same period (``ValueError`` otherwise); ``period`` names
    the period when ``observations`` is empty (or checks it otherwise). Entities are those that have
    at least one observation for a spec'd indicator.
    """
    _check_tier_size(tier_size)
    spec_map = _spec_map(specs)
    by_period = _group(observations, spec_map)
    if len(by_period) > 1:
        raise ValueError(f"score_period got several periods: {sorted(map(str, by_period))}; use score_all")
    if by_period:
        (p, (groups, ents)), = by_period.items()
        if period is not None and p != period:
            raise ValueError(f"observations are for period {p!r}, not {period!r}")
    else:
        p, groups, ents = (period if period is not None else ""), {}, {}
    return _score_grouped(p, groups, list(ents), spec_map, tier_size)


_CHUNK = re.compile(r"(\d+)")


def period_sort_key(period: object) -> tuple:
    """Natural sort key for period labels: digit runs compare as numbers, so ``2024Q1 < 2024Q2 <
    2025``, ``2025-6 < 2025-10`` and ``2024 < 2024Q1`` (a year sorts before its quarters)."""
    parts = _CHUNK.split(str(period))
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def score_all(observations: Iterable[Observation], specs: Iterable[IndicatorSpec] | Mapping[str, IndicatorSpec],
              *, tier_size: int = 6, periods: Sequence[str] | None = None) -> dict[str, PeriodResult]:
    """Score every period. Returns ``{period: PeriodResult}`` in period order.

    Without ``periods`` the order is :func:`period_sort_key` (natural order of the labels). With
    ``periods`` the caller's order is kept, every listed period is present (an empty
    ``PeriodResult`` if it has no data) and observations of other periods are ignored.
    """
    _check_tier_size(tier_size)
    spec_map = _spec_map(specs)
    by_period = _group(observations, spec_map)
    if periods is None:
        order = sorted(by_period, key=period_sort_key)
    else:
        order = list(dict.fromkeys(periods))
    out: dict[str, PeriodResult] = {}
    for p in order:
        groups, ents = by_period.get(p, ({}, {}))
        out[p] = _score_grouped(p, groups, list(ents), spec_map, tier_size)
    return out


# --------------------------------------------------------------------------------------------
# Flags
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flag:
    """A warning on one entity's indicator (or composite: ``indicator`` None) in one period.

    ``kind``: ``"weak"`` (rank worse than the threshold), ``"target"`` (worse than the spec's
    target rank), ``"drop"`` (fell since the previous period) or ``"volatile"`` (过山车: rank range
    over the last periods ≥ threshold). ``reason`` explains it in Chinese, e.g.
    ``排名第17位，落后于第10位``; ``ranks`` holds the evidence (for ``volatile``, the ranks of the
    window's periods in order, None where missing).
    """

    kind: str
    entity: str
    indicator: str | None
    period: str
    reason: str
    ranks: tuple = ()
    label: str = ""

    @property
    def message(self) -> str:
        """``<indicator name>：<reason>`` (``综合排名：…`` for the composite)."""
        return gettext("%(label)s：%(reason)s", label=self.label or self.indicator or gettext("综合排名"), reason=self.reason)


def _series(results: Mapping[str, PeriodResult], entity: str, indicator: str | None) -> list[int | None]:
    out = []
    for pr in results.values():
        e = pr.by_entity.get(entity)
        if e is None:
            out.append(None)
        elif indicator is None:
            out.append(e.rank)
        else:
            c = e.indicators.get(indicator)
            out.append(None if c is None else c.rank)
    return out


def compute_flags(results: Mapping[str, PeriodResult], entity: str, *, period: str | None = None,
                  weak_rank: int = 10, drop_places: int = 1, volatility_window: int = 4,
                  volatility_places: int = 5, composite: bool = True) -> list[Flag]:
    """Flags for ``entity`` at ``period`` (default: the last period of ``results``).

    ``results`` is the ordered output of :func:`score_all`; "previous period" means the period just
    before ``period`` in that order.

    * weak: rank > ``weak_rank`` → ``排名第17位，落后于第10位``.
    * target: spec has ``target_rank`` and rank > target → ``排名第8位，未达到目标第6位``.
    * drop: rank − previous rank ≥ ``drop_places`` → ``较上期下降5位（第9→第14）``. No flag if either
      period has no rank (nothing to compare).
    * volatile: over the last ``volatility_window`` periods up to and including ``period`` (fewer
      if the history is shorter), at least 2 ranks and max − min ≥ ``volatility_places`` →
      ``近4期排名波动12位（第3→第15）`` with the two extremes in chronological order.

    Indicators come in spec order, then the composite (``indicator`` None) if ``composite``.
    Unknown entity or a period without a rank → no flags for that series.
    """
    if not results:
        return []
    if weak_rank < 1 or drop_places < 1 or volatility_window < 2 or volatility_places < 1:
        raise ValueError("weak_rank, drop_places, volatility_places must be >= 1 and volatility_window >= 2")
    periods = list(results)
    if period is None:
        period = periods[-1]
    if period not in results:
        raise ValueError(f"unknown period {period!r}")
    idx = periods.index(period)
    sub = {p: results[p] for p in periods[: idx + 1]}
    pr = results[period]
    flags: list[Flag] = []
    targets: list[tuple[str | None, str, int | None]] = [(c, s.label, s.target_rank) for c, s in pr.specs.items()]
    if composite:
        targets.append((None, gettext("综合排名"), None))
    for code, label, target in targets:
        series = _series(sub, entity, code)
        now = series[-1]
        if now is None:
            continue
        if is_weak(now, weak_rank):
            flags.append(Flag("weak", entity, code, period, gettext("排名第%(rank)s位，落后于第%(limit)s位", rank=now, limit=weak_rank), (now,), label))
        if target is not None and now > target:
            flags.append(Flag("target", entity, code, period,
                              ngettext("排名第%(rank)s位，未达到目标第%(target)s位（差%(gap)s位）", "排名第%(rank)s位，未达到目标第%(target)s位（差%(gap)s位）", now - target, rank=now, target=target, gap=now - target), (now,), label))
        if len(series) >= 2 and series[-2] is not None:
            prev = series[-2]
            if now - prev >= drop_places:
                flags.append(Flag("drop", entity, code, period,
                                  ngettext("较上期下降%(places)s位（第%(prev)s→第%(now)s）", "较上期下降%(places)s位（第%(prev)s→第%(now)s）", now - prev, places=now - prev, prev=prev, now=now), (prev, now), label))
        window = series[-volatility_window:]
        known = [(i, r) for i, r in enumerate(window) if r is not None]
        if len(known) >= 2:
            i_best, best = min(known, key=lambda t: (t[1], t[0]))
            i_worst, worst = max(known, key=lambda t: (t[1], -t[0]))
            if worst - best >= volatility_places:
                a, b = (best, worst) if i_best < i_worst else (worst, best)
                flags.append(Flag("volatile", entity, code, period,
                                  ngettext("近%(periods)s期排名波动%(places)s位（第%(a)s→第%(b)s）", "近%(periods)s期排名波动%(places)s位（第%(a)s→第%(b)s）", worst - best, periods=len(window), places=worst - best, a=a, b=b), tuple(window), label))
    return flags


def flags_by_entity(results: Mapping[str, PeriodResult], *, period: str | None = None, **kwargs) -> dict[str, list[Flag]]:
    """:func:`compute_flags` for every entity of ``period`` (default: the last period)."""
    if not results:
        return {}
    p = period if period is not None else list(results)[-1]
    return {e.entity: compute_flags(results, e.entity, period=p, **kwargs) for e in results[p].entities}


# --------------------------------------------------------------------------------------------
# Gap to a target rank
# --------------------------------------------------------------------------------------------


def _fmt(x: float) -> str:
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@dataclass(frozen=True, slots=True)
class Gap:
    """What ``us`` must reach on one indicator to be ranked ``target_rank``.

    ``required_value``: the threshold value (None when any value reaches the target, i.e. fewer
    than ``target_rank`` peers have data). ``change`` = required − current (0 when ``already``;
    None when we have no current value or no threshold). ``current_rank`` is our competition rank
    among all entities with values (None if we have no value). ``status`` is one of
    ``"already"``, ``"needs_change"``, ``"no_current_value"``, ``"any_value"``; ``reason`` explains
    it in Chinese.
    """

    us: str
    target_rank: int
    direction: str
    current_value: float | None
    current_rank: int | None
    required_value: float | None
    change: float | None
    already: bool
    status: str
    reason: str
    peers: int


def gap_to_rank(values_by_entity: Mapping[str, float | None], us: str, target_rank: int, direction: str) -> Gap:
    """The value ``us`` needs to be ranked ``target_rank`` (or better) given the peers' values.

    Competition ranking: our rank = 1 + number of peers *strictly* better than us, so a tie shares
    the better rank. Hence **equalling** the ``target_rank``-th best peer value (peers = every other
    entity with a value; ``us`` excluded) is enough — ``required_value`` is exactly that peer value —
    and anything strictly worse is not.

    * Already at/above target: ``already=True``, ``change=0``; ``required_value`` is still the
      threshold (the line to hold).
    * Otherwise ``change = required_value − current`` — negative for a lower-is-better indicator
      (开办企业 5 days, 6th best peer 3.5 days → change −1.5).
    * ``us`` missing (absent or None): ``current_value``/``change`` None, ``already`` False,
      ``required_value`` still given.
    * Fewer than ``target_rank`` peers with values (e.g. target_rank > number of entities): any value
      reaches the target → ``required_value`` None; ``already`` True iff we have a value.
    * ``target_rank`` < 1 or a bad direction → ``ValueError``.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")
    if not isinstance(target_rank, int) or isinstance(target_rank, bool) or target_rank < 1:
        raise ValueError("target_rank must be an int >= 1")
    higher = direction == HIGHER
    cur = values_by_entity.get(us)
    peers = [v for e, v in values_by_entity.items() if e != us and v is not None]
    for v in peers + ([cur] if cur is not None else []):
        # Floats, the usual case, are checked without the generic test.
        if not (type(v) is float or _is_number(v)) or not math.isfinite(v):
            raise ValueError("values must be finite numbers or None")
    peers.sort(reverse=higher)  # best first
    required = peers[target_rank - 1] if len(peers) >= target_rank else None

    def better(a: float, b: float) -> bool:
        return a > b if higher else a < b

    current_rank = None if cur is None else 1 + sum(1 for v in peers if better(v, cur))
    k = target_rank
    # Whole sentences per case (not spliced words), so each reads naturally in translation.
    if required is None:
        msg = ngettext(
            "有数据的其他主体只有%(count)s个，任何数值都能进入第%(k)s位",
            "有数据的其他主体只有%(count)s个，任何数值都能进入第%(k)s位",
            len(peers), k=k,
        )
        if cur is None:
            return Gap(us, k, direction, None, None, None, None, False, "any_value",
                       gettext("本市无数据；%(detail)s", detail=msg), len(peers))
        return Gap(us, k, direction, cur, current_rank, None, 0.0, True, "already",
                   gettext("当前第%(rank)s位，已达到目标第%(k)s位（%(detail)s）", rank=current_rank, k=k, detail=msg), len(peers))
    if cur is None:
        text = (gettext("本市无数据；要进入第%(k)s位，数值需不低于%(value)s", k=k, value=_fmt(required)) if higher
                else gettext("本市无数据；要进入第%(k)s位，数值需不高于%(value)s", k=k, value=_fmt(required)))
        return Gap(us, k, direction, None, None, required, None, False, "no_current_value", text, len(peers))
    if current_rank <= k:
        params = {"rank": current_rank, "k": k, "value": _fmt(required)}
        text = (gettext("当前第%(rank)s位，已达到目标第%(k)s位（需保持不低于%(value)s）", **params) if higher
                else gettext("当前第%(rank)s位，已达到目标第%(k)s位（需保持不高于%(value)s）", **params))
        return Gap(us, k, direction, cur, current_rank, required, 0.0, True, "already", text, len(peers))
    change = float(required - cur)
    params = {"rank": current_rank, "current": _fmt(cur), "k": k, "value": _fmt(required), "change": _fmt(abs(change))}
    text = (gettext("当前第%(rank)s位（%(current)s）；要进入第%(k)s位需提高到%(value)s，增加%(change)s", **params) if change > 0
            else gettext("当前第%(rank)s位（%(current)s）；要进入第%(k)s位需降低到%(value)s，减少%(change)s", **params))
    return Gap(us, k, direction, cur, current_rank, required, change, False, "needs_change", text, len(peers))


def gap_for(result: PeriodResult, us: str, indicator: str, target_rank: int | None = None) -> Gap:
    """:func:`gap_to_rank` on one indicator of a scored period; ``target_rank`` defaults to the
    spec's. Raises ``ValueError`` if neither is set or the indicator is unknown, or if the indicator
    has only published scores/ranks that period (no values to compute a required value from)."""
    spec = result.specs.get(indicator)
    if spec is None:
        raise ValueError(f"unknown indicator {indicator!r}")
    k = target_rank if target_rank is not None else spec.target_rank
    if k is None:
        raise ValueError(f"{indicator}: no target_rank given and none in the spec")
    if result.bounds[indicator].basis == "published":
        raise ValueError(f"{indicator}: only published scores/ranks in {result.period}; no values for a gap")
    return gap_to_rank(result.values(indicator), us, k, spec.direction)
