"""Adapter between the indicator models and the pure scoring (:mod:`luoshi.indicators.scoring`).

Scores are computed once per change, not per page: :func:`store_scores` reads a set with a fixed
number of queries — the indicators, the entities, the periods and ONE query for the set's
observations (plain tuples of ids, no joins) — scores the periods in bulk with
:func:`scoring.score_all` and stores each period's result (:mod:`scorestore`). Every service that
changes what scoring reads calls it inside its transaction (observations_import, indicator_update,
set_update, the demo, the admin); code that writes those rows any other way must call it too.
:func:`evaluate` reads the stored results back with one more query and scores nothing. The set's
own four pages read less still: what they show, derived from the same results when they are stored
(:func:`present`, at the end of this module).

A page about one period needs only that period and the few before it (the previous one for
"drops", the volatility window for "过山车"), so ``evaluate(s, period=…, window=…)`` reads just
those; the heatmap and the trend read every period. Ranks within a period never
depend on other periods, so a windowed evaluation gives the same numbers as a full one.
:func:`evaluation_for` caches the result on the request.
"""

from __future__ import annotations

import marshal
from collections import namedtuple
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from luoshi.core.rows import Prepared, attnames, objects
from luoshi.orgs.models import Unit, unit_display_name

from . import scorestore, scoring
from .models import Entity, Indicator, IndicatorSet, Observation, Period, StoredMarkup, StoredPresentation, StoredScores


class RankRow(NamedTuple):
    """One entity's composite in one period, as the ranking shows it."""

    entity: str
    composite: float | None
    rank: int | None
    tier: int | None
    covered: int
    prev_rank: int | None


class _Derived:
    """What the pages derive from the primitive lookups, shared by a scored :class:`Evaluation` and
    the stored :class:`Presentation` so both answer alike."""

    @cached_property
    def us(self) -> str | None:
        return next((e.name for e in self.entities if e.is_us), None)

    @property
    def latest(self) -> str | None:
        """The last period that has any data (an empty trailing period would show nothing)."""
        for p in reversed(self.periods):
            if self.entity_count(p.key):
                return p.key
        return self.periods[-1].key if self.periods else None

    def period_or_latest(self, key: str | None) -> str | None:
        return key if key in self.period_keys else self.latest

    @property
    def period_keys(self) -> list[str]:
        return [p.key for p in self.periods]

    @cached_property
    def period_by_key(self) -> dict[str, Period]:
        return {p.key: p for p in self.all_periods}

    def flags_by_indicator(self, period: str) -> dict[str | None, list[scoring.Flag]]:
        out: dict[str | None, list[scoring.Flag]] = {}
        for f in self.flags(period):
            out.setdefault(f.indicator, []).append(f)
        return out

    def rank_series(self, code: str | None, entity: str | None = None) -> list[int | None]:
        """Ranks of `entity` (default us) on `code` (None = composite) over all periods."""
        return self._series(code, entity, composite="rank", cell="rank")

    def score_series(self, code: str | None, entity: str | None = None) -> list[float | None]:
        """Scores of `entity` (default us) on `code` (None = composite) over all periods."""
        return self._series(code, entity, composite="composite", cell="score")

    def tier_summary(self, period: str, indicators: list[Indicator] | None = None) -> list[dict]:
        """How many of our indicators sit in each tier (第一方阵, 第二方阵 …) and how many lack data."""
        indicators = self.indicators if indicators is None else indicators
        counts: dict[int | None, list[Indicator]] = {}
        for ind in indicators:
            c = self.our_cell(ind.code, period)
            counts.setdefault(None if c is None else c.tier, []).append(ind)
        n_entities = max(1, self.entity_count(period)) if period in self.period_keys else 1
        size = self.indicator_set.tier_size
        tiers = list(range(1, (n_entities + size - 1) // size + 1)) or [1]
        rows = [{"tier": t, "count": len(counts.get(t, [])), "indicators": counts.get(t, [])} for t in tiers]
        rows += [{"tier": t, "count": len(v), "indicators": v} for t, v in counts.items() if t is not None and t not in tiers]
        rows.append({"tier": None, "count": len(counts.get(None, [])), "indicators": counts.get(None, [])})
        return rows


@dataclass
class Evaluation(_Derived):
    """``periods`` are the scored periods (in order), ``all_periods`` every period of the set (for
    the period picker); ``results`` has one entry per scored period."""

    indicator_set: IndicatorSet
    indicators: list[Indicator]
    entities: list[Entity]
    periods: list[Period]
    results: dict[str, scoring.PeriodResult]
    observation_count: int = 0
    all_periods: list[Period] = field(default_factory=list)
    by_code: dict[str, Indicator] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {i.code: i for i in self.indicators}
        if not self.all_periods:
            self.all_periods = list(self.periods)

    # -- lookups ------------------------------------------------------------------------------

    def flag_options(self) -> dict:
        s = self.indicator_set
        return {
            "weak_rank": s.flag_rank,
            "volatility_window": max(2, s.volatility_window),
            "volatility_places": max(1, s.volatility_places),
        }

    def _upto(self, period: str) -> dict[str, scoring.PeriodResult]:
        keys = self.period_keys
        return {k: self.results[k] for k in keys[: keys.index(period) + 1]}

    # -- derived views ------------------------------------------------------------------------

    def flags(self, period: str, entity: str | None = None) -> list[scoring.Flag]:
        """Flags of `entity` (default us) at `period`, with each indicator's own target rank or, when
        it has none, the first tier as the target (进入第一方阵)."""
        entity = entity or self.us
        if entity is None or period not in self.results:
            return []
        flags = scoring.compute_flags(self._with_targets(period), entity, period=period, **self.flag_options())
        return flags

    def _with_targets(self, period: str) -> dict[str, scoring.PeriodResult]:
        """Results whose specs carry the effective target rank (own or first tier), for flags."""
        cache = self.__dict__.setdefault("_targets", {})
        if period not in cache:
            specs = {i.code: _spec_with_target(i) for i in self.indicators}
            out = {}
            for k, pr in self._upto(period).items():
                out[k] = scoring.PeriodResult(pr.period, specs, pr.entities, pr.bounds, pr.tier_size, pr.by_entity)
            cache[period] = out
        return cache[period]

    def gap(self, indicator: Indicator, period: str, target_rank: int | None = None) -> scoring.Gap | None:
        """Gap to the target rank for us; None when there is no us or the indicator has only
        published scores/ranks that period (no values to reach)."""
        if self.us is None or period not in self.results:
            return None
        try:
            return scoring.gap_for(self.results[period], self.us, indicator.code, target_rank or indicator.effective_target)
        except ValueError:
            return None

    def our_cell(self, code: str, period: str) -> scoring.IndicatorResult | None:
        return None if self.us is None else self.results[period].cell(self.us, code)

    def prev_rank(self, code: str, period: str) -> int | None:
        """Our rank on `code` in the period before `period` (None when there is none)."""
        keys = self.period_keys
        i = keys.index(period)
        c = self.our_cell(code, keys[i - 1]) if i > 0 else None
        return c.rank if c else None

    def entity_count(self, period: str) -> int:
        return len(self.results[period].entities)

    def ranking(self, period: str) -> list[RankRow]:
        """Every entity's composite in rank order, with its rank the period before."""
        keys = self.period_keys
        i = keys.index(period)
        prev = self.results[keys[i - 1]] if i > 0 else None
        rows = []
        for e in self.results[period].entities:
            p = prev.entity(e.entity) if prev else None
            rows.append(RankRow(e.entity, e.composite, e.rank, e.tier, e.covered, p.rank if p else None))
        return rows

    def our_row(self, period: str) -> RankRow | None:
        return next((r for r in self.ranking(period) if r.entity == self.us), None) if self.us else None

    def _series(self, code: str | None, entity: str | None, *, composite: str, cell: str) -> list:
        entity = entity or self.us
        out = []
        for k in self.period_keys:
            e = self.results[k].entity(entity) if entity else None
            if e is None:
                out.append(None)
            elif code is None:
                out.append(getattr(e, composite))
            else:
                c = e.indicators.get(code)
                out.append(None if c is None else getattr(c, cell))
        return out


def _spec_with_target(ind: Indicator) -> scoring.IndicatorSpec:
    s = ind.spec()
    return scoring.IndicatorSpec(s.code, s.name, s.direction, s.weight, s.unit, s.frontier, s.worst, ind.effective_target)


def _read_set(indicator_set: IndicatorSet, *, us_only: bool = False) -> tuple[list[Indicator], list[Entity], list[Period]]:
    """The set's indicators, entities (with ``us_only`` only 本市: the stored presentation holds
    the others' figures) and periods."""
    indicators = list(Indicator.objects.filter(indicator_set=indicator_set).select_related("responsible_unit"))
    for ind in indicators:
        ind.indicator_set = indicator_set  # effective_target reads the set: no query per indicator
    entities = Entity.objects.filter(indicator_set=indicator_set)
    if us_only:
        entities = entities.filter(is_us=True)
    return indicators, list(entities), list(Period.objects.filter(indicator_set=indicator_set))


def _window(all_periods: list[Period], period: str | None, window: int | None) -> list[Period]:
    if window is None or not all_periods:
        return all_periods
    keys = [p.key for p in all_periods]
    end = keys.index(period) if period in keys else len(keys) - 1
    return all_periods[max(0, end - max(1, window) + 1): end + 1]


def score_from_observations(indicator_set: IndicatorSet, indicators: list[Indicator], entities: list[Entity],
                            periods: list[Period]) -> tuple[dict[str, scoring.PeriodResult], dict[str, int]]:
    """Score ``periods`` of a set from its observations: the results, and the observations per period."""
    rows = Observation.objects.filter(indicator_set=indicator_set)
    if len(periods) < Period.objects.filter(indicator_set=indicator_set).count():
        rows = rows.filter(period_id__in=[p.pk for p in periods])
    ind_code = {i.pk: i.code for i in indicators}
    ent_name = {e.pk: e.name for e in entities}
    per_key = {p.pk: p.key for p in periods}
    Row = scoring.Row
    observations = [
        Row(ent_name[e], ind_code[i], per_key[p], v, s, r)
        # A plain fetch, not .iterator(): on PostgreSQL a server-side cursor costs twice the time,
        # and the rows are all kept anyway.
        for e, i, p, v, s, r in rows.values_list(
            "entity_id", "indicator_id", "period_id", "value", "published_score", "published_rank"
        )
    ]
    counts = dict.fromkeys(per_key.values(), 0)
    for o in observations:
        counts[o.period] += 1
    results = scoring.score_all(
        observations, [i.spec() for i in indicators], tier_size=indicator_set.tier_size, periods=[p.key for p in periods]
    )
    return results, counts


def store_scores(indicator_set: IndicatorSet) -> None:
    """Score every period of a set from its observations and store the results, replacing what was
    stored. Every service that changes observations, indicators, entities, periods or the tier size
    calls this inside its own transaction, so the stored results never disagree with the data."""
    indicators, entities, periods = _read_set(indicator_set)
    _store(indicator_set, indicators, entities, periods, *score_from_observations(indicator_set, indicators, entities, periods))


def _store(indicator_set, indicators, entities, periods, results, counts) -> None:
    StoredScores.objects.filter(indicator_set=indicator_set).delete()
    StoredScores.objects.bulk_create([
        StoredScores(indicator_set=indicator_set, period=p, observation_count=counts[p.key], data=scorestore.encode(results[p.key]))
        for p in periods
    ])
    _store_presentation(Evaluation(indicator_set, indicators, entities, periods, results, sum(counts.values())))


def evaluate(indicator_set: IndicatorSet, *, period: str | None = None, window: int | None = None) -> Evaluation:
    """A set's results: every period, or with ``window`` only the ``window`` periods ending at
    ``period`` (default: the last one). Read from the stored results (see :func:`store_scores`);
    a set stored before them, or in an older format, is scored and stored once here."""
    indicators, entities, all_periods = _read_set(indicator_set)
    periods = _window(all_periods, period, window)
    specs = {i.code: i.spec() for i in indicators}
    stored = StoredScores.objects.filter(period_id__in=[p.pk for p in periods]).values_list("period_id", "observation_count", "data")
    results: dict[str, scoring.PeriodResult] = {}
    count = 0
    by_pk = {p.pk: p.key for p in periods}
    for pk, n, data in stored:
        r = scorestore.decode(bytes(data), specs)
        if r is None:
            break
        results[by_pk[pk]] = r
        count += n
    if len(results) < len(periods):
        full, counts = score_from_observations(indicator_set, indicators, entities, all_periods)
        try:
            with transaction.atomic():
                _store(indicator_set, indicators, entities, all_periods, full, counts)
        except IntegrityError:
            pass  # another request stored them first: the same results
        results = {p.key: full[p.key] for p in periods}
        count = sum(counts[p.key] for p in periods)
    else:
        results = {p.key: results[p.key] for p in periods}
    return Evaluation(indicator_set, indicators, entities, periods, results, count, all_periods)


def page_window(indicator_set: IndicatorSet) -> int:
    """Periods a one-period page needs: the volatility window (which includes the previous period)."""
    return max(2, indicator_set.volatility_window)


def evaluation_for(request, indicator_set: IndicatorSet, *, period: str | None = None, full: bool = False) -> Evaluation:
    """:func:`evaluate` once per request: every period with ``full``, else the window ending at
    ``period`` (a full evaluation already made serves both)."""
    cache = getattr(request, "_indicator_evaluations", None)
    if cache is None:
        cache = request._indicator_evaluations = {}
    whole = cache.get((indicator_set.pk, None))
    if whole is not None:
        return whole
    key = (indicator_set.pk, None if full else (period or ""))
    if key not in cache:
        cache[key] = evaluate(indicator_set) if full else evaluate(indicator_set, period=period, window=page_window(indicator_set))
    return cache[key]


# -- the stored presentation ------------------------------------------------------------------
#
# The set's four pages show, of a county-scale set, one period's ranking and our hundred cells
# with their gaps and flags, or our ranks over every period. Deriving those per request from the
# stored scores decoded every entity's cells (for the gaps) and every period (for the heat map);
# so each time the scores are stored, :func:`_store_presentation` runs the same Evaluation methods
# the pages ran on the results and keeps their output per period; :class:`Presentation` answers
# the pages' questions from it. Gaps and flags carry sentences, so they are kept in every language
# of the site. Everything that changes what they depend on and not the scores (本市, the flag
# thresholds, a target rank) calls :func:`store_presentation`.

PRESENTATION_FORMAT = 1


def _present(ev: Evaluation, period: Period) -> StoredPresentation:
    key = period.key
    ranking = ev.ranking(key)
    ours = next((r for r in ranking if r.entity == ev.us), None) if ev.us else None
    cells = []
    for ind in ev.indicators:
        c = ev.our_cell(ind.code, key)
        if c is not None:
            cells.append((c.indicator, c.value, c.score, c.rank, c.tier, c.source, ev.prev_rank(ind.code, key)))
    details = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            gaps = tuple((ind.code, *_gap_fields(g)) for ind in ev.indicators if (g := ev.gap(ind, key)) is not None)
            # An indicator's flag is labelled with the indicator's name, read with the page (a
            # renamed indicator does not store anything again); the composite's label is a sentence.
            flags = tuple((f.kind, f.entity, f.indicator, f.period, f.reason, tuple(f.ranks), "" if f.indicator else f.label)
                          for f in ev.flags(key))
        details[lang] = marshal.dumps((gaps, flags))
    return StoredPresentation(
        indicator_set=ev.indicator_set, period=period, format=PRESENTATION_FORMAT, entity_count=ev.entity_count(key),
        our_rank=ours.rank if ours else None, our_composite=ours.composite if ours else None,
        ranking=marshal.dumps(tuple(tuple(r) for r in ranking)), cells=marshal.dumps(tuple(cells)),
        details=marshal.dumps(details),
    )


def _gap_fields(g: scoring.Gap) -> tuple:
    return (g.us, g.target_rank, g.direction, g.current_value, g.current_rank, g.required_value, g.change, g.already,
            g.status, g.reason, g.peers)


def _store_presentation(ev: Evaluation) -> None:
    # The pages' stored markup was written from these rows: it goes with them (the cascade would
    # delete it too, after reading every row back to find it).
    StoredMarkup.objects.filter(presentation__indicator_set=ev.indicator_set).delete()
    StoredPresentation.objects.filter(indicator_set=ev.indicator_set).delete()
    StoredPresentation.objects.bulk_create([_present(ev, p) for p in ev.periods])


def store_presentation(indicator_set: IndicatorSet) -> None:
    """Store again what the pages show, from the stored scores (scoring them first if they are
    missing): for changes that leave the scores as they are but not what the pages derive."""
    _store_presentation(evaluate(indicator_set))


@dataclass
class Presentation(_Derived):
    """The stored presentation of the periods a page shows: what an :class:`Evaluation` of those
    periods would answer, read instead of derived. ``rows`` holds each period's stored row, the
    columns a page did not ask for None."""

    indicator_set: IndicatorSet
    indicator_rows: list[IndicatorRow]
    entities: list[Entity]
    periods: list[Period]
    all_periods: list[Period]
    rows: dict[str, StoredRow]
    # The page's stored markup as asked for by ``present(..., fragment=…)``: the presentation row
    # it belongs to, and the markup when it was stored with the digest asked for (else None).
    fragment_key: tuple[str, str] | None = None
    fragment_row: int | None = None
    fragment: tuple | None = None  # (parts, cells) as stored

    def __post_init__(self) -> None:
        self._cells: dict[str, tuple[dict, dict]] = {}
        self._details: dict[str, tuple[dict, list]] = {}

    @cached_property
    def indicators(self) -> list[Indicator]:
        """The set's indicators as model objects, made only when a page is written (a page served
        from its stored markup needs no more than the rows)."""
        return _indicator_objects(self.indicator_set, self.indicator_rows)

    @cached_property
    def by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def objects(self, rows: list[IndicatorRow]) -> list[Indicator]:
        """The model objects of ``rows`` (some of :attr:`indicator_rows`), in their order."""
        by_pk = self.__dict__.get("_by_pk") or self.__dict__.setdefault("_by_pk", {i.pk: i for i in self.indicators})
        return [by_pk[r.id] for r in rows]

    def entity_count(self, period: str) -> int:
        return self.rows[period].entity_count

    def _our_cells(self, period: str) -> tuple[dict, dict]:
        if period not in self._cells:
            us, IR = self.us, scoring.IndicatorResult
            cells, prev = {}, {}
            for code, value, score, rank, tier, source, prev_rank in marshal.loads(self.rows[period].cells):
                cells[code] = IR(us, code, value, score, rank, tier, source)
                prev[code] = prev_rank
            self._cells[period] = cells, prev
        return self._cells[period]

    def our_cell(self, code: str, period: str) -> scoring.IndicatorResult | None:
        return self._our_cells(period)[0].get(code)

    def prev_rank(self, code: str, period: str) -> int | None:
        return self._our_cells(period)[1].get(code)

    def _our_details(self, period: str) -> tuple[dict, list]:
        if period not in self._details:
            stored = marshal.loads(self.rows[period].details)
            data = stored.get(translation.get_language()) or stored.get(settings.LANGUAGE_CODE) or next(iter(stored.values()))
            gaps, flags = marshal.loads(data)
            labels = {i.code: i.label for i in self.indicators}
            self._details[period] = (
                {g[0]: scoring.Gap(*g[1:]) for g in gaps},
                [scoring.Flag(k, e, code, p, reason, ranks, label or labels.get(code, code))
                 for k, e, code, p, reason, ranks, label in flags],
            )
        return self._details[period]

    def gap(self, indicator: Indicator, period: str) -> scoring.Gap | None:
        return self._our_details(period)[0].get(indicator.code) if period in self.rows else None

    def flags(self, period: str) -> list[scoring.Flag]:
        return list(self._our_details(period)[1]) if period in self.rows else []

    def ranking(self, period: str) -> list[RankRow]:
        cache = self.__dict__.setdefault("_ranking", {})
        if period not in cache:
            cache[period] = [RankRow(*r) for r in marshal.loads(self.rows[period].ranking)]
        return cache[period]

    def our_row(self, period: str) -> RankRow | None:
        return next((r for r in self.ranking(period) if r.entity == self.us), None) if self.us else None

    def _series(self, code: str | None, entity: str | None, *, composite: str, cell: str) -> list:
        if entity not in (None, self.us):
            raise ValueError("the stored presentation holds our series only")
        if code is None:
            return [getattr(self.rows[k], "our_composite" if composite == "composite" else "our_rank") for k in self.period_keys]
        # Each period's cells looked up once, not once per indicator: the heat map asks for 100 series.
        return [getattr(c, cell) if (c := cells.get(code)) else None for cells in self._period_cells()]

    def _period_cells(self) -> list[dict]:
        cached = self.__dict__.get("_period_cells_list")
        if cached is None:
            cached = self.__dict__["_period_cells_list"] = [self._our_cells(k)[0] for k in self.period_keys]
        return cached


# A set page reads its indicators as rows (every column, and the responsible unit's), not as model
# objects: served from its stored markup it needs only which the reader may see and, for the
# digest, what they hold; 100 indicators and their units made into objects cost more than the rest
# of the page's reads. ``_indicator_objects`` makes the same objects the ORM would.
_INDICATOR_FIELDS = attnames(Indicator)
_UNIT_FIELDS = attnames(Unit)
_UNIT_NAME, _UNIT_SHORT = _UNIT_FIELDS.index("name"), _UNIT_FIELDS.index("short_name")


class IndicatorRow(namedtuple("IndicatorRow", [*_INDICATOR_FIELDS, "unit"])):
    """One indicator's columns (``unit``: its responsible unit's, or None)."""

    __slots__ = ()
    label = Indicator.label

    @property
    def pk(self) -> int:
        return self.id

    @property
    def responsible_name(self) -> str | None:
        return None if self.unit is None else unit_display_name(self.unit[_UNIT_NAME], self.unit[_UNIT_SHORT])


# The set pages' reads of a fixed shape, compiled once (luoshi.core.rows.Prepared).
_ENTITY_FIELDS = attnames(Entity)
_PERIOD_FIELDS = attnames(Period)
_INDICATOR_ROWS = Prepared(lambda set_id: Indicator.objects.filter(indicator_set=set_id)
                           .values(*_INDICATOR_FIELDS, *(f"responsible_unit__{f}" for f in _UNIT_FIELDS)))
_US = Prepared(lambda set_id: Entity.objects.filter(indicator_set=set_id, is_us=True).values(*_ENTITY_FIELDS))
_PERIODS = Prepared(lambda set_id: Period.objects.filter(indicator_set=set_id).values(*_PERIOD_FIELDS))


def read_indicator_rows(indicator_set: IndicatorSet) -> list[IndicatorRow]:
    n = len(_INDICATOR_FIELDS)
    rows = [tuple(r.values()) for r in _INDICATOR_ROWS.rows(indicator_set.pk, using=Indicator.objects.db)]
    return [IndicatorRow(*r[:n], None if r[n] is None else r[n:]) for r in rows]


def _indicator_objects(indicator_set: IndicatorSet, rows: list[IndicatorRow]) -> list[Indicator]:
    """What ``_read_set`` reads, made from the rows."""
    out = []
    db = Indicator.objects.db
    unit_cache = Indicator.responsible_unit.field
    for r in rows:
        ind = Indicator.from_db(db, _INDICATOR_FIELDS, r[:-1])
        ind.indicator_set = indicator_set
        unit_cache.set_cached_value(ind, None if r.unit is None else Unit.from_db(db, _UNIT_FIELDS, r.unit))
        out.append(ind)
    return out


# The columns each kind of page reads (the others are left unread).
_PERIOD_PAGE = ("entity_count", "our_rank", "our_composite", "cells", "details")
PAGE_COLUMNS = {
    "overview": (*_PERIOD_PAGE, "ranking"),
    "table": _PERIOD_PAGE,
    "heatmap": ("entity_count", "cells"),
    "trend": ("entity_count", "our_rank", "our_composite"),
    "trend_indicator": ("entity_count", "our_rank", "our_composite", "cells"),
}


PACKED_COLUMNS = ("cells", "details", "ranking")


class StoredRow(NamedTuple):
    entity_count: int
    our_rank: int | None
    our_composite: float | None
    cells: bytes | None
    details: bytes | None
    ranking: bytes | None


def present(indicator_set: IndicatorSet, page: str, *, period: str | None = None, fragment=None) -> Presentation:
    """What one of the set's pages shows, read from the stored presentation: for ``page``
    "overview" and "table" the one period ``period`` (else the latest with data, as
    :meth:`Evaluation.period_or_latest` chooses), for "heatmap" and "trend" every period. A set
    stored before the presentation was (or in an older format) has it stored here first.

    ``fragment(indicator rows, entities, periods)``, when given, answers the (slot, digest) of the
    page's stored markup (or None for none); the markup is read in the same query as the rows,
    from the row of the period (the last period's row for the pages of every period)."""
    indicators = read_indicator_rows(indicator_set)
    db = Indicator.objects.db
    # Loaded as the ORM loads them, without Model.__init__ (twenty periods on every page).
    entities = objects(Entity, _US.rows(indicator_set.pk, using=db), using=db)
    all_periods = objects(Period, _PERIODS.rows(indicator_set.pk, using=db), using=db)
    columns = PAGE_COLUMNS[page]
    key = fragment(indicators, entities, all_periods) if fragment else None
    for attempt in (1, 2):
        rows = _read_presentation(indicator_set, all_periods, columns, period, one=page in ("overview", "table"), fragment=key)
        if rows is not None:
            break
        try:
            with transaction.atomic():
                store_presentation(indicator_set)
        except IntegrityError:
            pass  # another request stored it first: the same rows
    else:
        raise RuntimeError("the stored presentation could not be read back")
    rows, markup = rows
    keys = set(rows)
    periods = [p for p in all_periods if p.key in keys]
    page_ = Presentation(indicator_set, indicators, entities, periods, all_periods, rows, fragment_key=key)
    if markup:
        page_.fragment_row, page_.fragment = markup[-1]
    return page_


# Every period's row of a set without its packed columns, with the markup stored under a slot and
# digest: what a page served from its stored markup reads, in one statement compiled once.
_MARKED = Prepared(lambda set_id, slot, digest: StoredPresentation.objects.filter(indicator_set=set_id).annotate(
    markup=Subquery(StoredMarkup.objects.filter(presentation=OuterRef("pk"), slot=slot, digest=digest).values("markup")[:1]),
).values("pk", "period_id", "format", "entity_count", "our_rank", "our_composite", "markup"))


def _read_marked(indicator_set, all_periods, columns, period, *, one, fragment):
    """What ``_read_presentation`` answers, with the page's stored markup: every period's row is
    read (the few small columns), the period a one-period page shows chosen here as the query
    would choose it; the packed columns are read after, only when the markup is missing."""
    found = {r["period_id"]: r for r in _MARKED.rows(indicator_set.pk, *fragment, using=StoredPresentation.objects.db)}
    if len(found) < len(all_periods) or any(r["format"] != PRESENTATION_FORMAT for r in found.values()):
        return None
    if one:
        chosen = next((p for p in all_periods if p.key == period), None)
        if chosen is None:
            # The latest period with data within the window a scored page read, else the last.
            window = _window(all_periods, None, page_window(indicator_set))
            chosen = next((p for p in reversed(window) if found[p.pk]["entity_count"] > 0), all_periods[-1])
        shown = [chosen]
    else:
        shown = all_periods
    out = {p.key: StoredRow(found[p.pk]["entity_count"], found[p.pk]["our_rank"], found[p.pk]["our_composite"], None, None, None)
           for p in shown}
    held = found[shown[-1].pk]
    markup = None if held["markup"] is None else _unpacked(bytes(held["markup"]))
    packed = tuple(c for c in columns if c in PACKED_COLUMNS)
    if markup is None and packed:
        period_of = {found[p.pk]["pk"]: p for p in shown}
        rows = StoredPresentation.objects.filter(pk__in=list(period_of), format=PRESENTATION_FORMAT).values_list("pk", *packed)
        for pk, *values in rows:
            key = period_of[pk].key
            out[key] = out[key]._replace(**{c: bytes(v) if isinstance(v, memoryview) else v for c, v in zip(packed, values)})
        if len(rows) < len(period_of):
            return None  # stored again meanwhile: read again
    return out, [(held["pk"], markup)]


def _unpacked(blob: bytes) -> tuple | None:
    """Stored markup as (parts, cells), or None when it cannot be read back (written by another
    Python's marshal, say): the page is then written from the packed columns and stored again."""
    try:
        parts, slots = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    return parts, slots


def _read_presentation(indicator_set, all_periods, columns, period, *, one, fragment=None):
    """({period key: row}, [(row id, stored markup or None)] when ``fragment`` is given) for the
    pages, None when the stored rows are missing or of another format."""
    if not all_periods:
        return {}, []
    if fragment:
        return _read_marked(indicator_set, all_periods, columns, period, one=one, fragment=fragment)
    by_pk = {p.pk: p for p in all_periods}
    qs = StoredPresentation.objects.filter(indicator_set=indicator_set)
    if one:
        chosen = next((p for p in all_periods if p.key == period), None)
        if chosen is None:
            # The latest period with data within the window a scored page read, else the last; in
            # the same query as the row.
            window = [p.pk for p in _window(all_periods, None, page_window(indicator_set))]
            latest = (StoredPresentation.objects.filter(indicator_set=indicator_set, entity_count__gt=0, period_id__in=window)
                      .order_by("-period__order", "-period_id").values("period_id")[:1])
            qs = qs.filter(period_id=Coalesce(Subquery(latest), Value(all_periods[-1].pk)))
        else:
            qs = qs.filter(period_id=chosen.pk)
        expected = 1
    else:
        expected = len(all_periods)
    out: dict[str, StoredRow] = {}
    for row in qs.values_list("period_id", "format", *columns):
        if row[1] != PRESENTATION_FORMAT:
            return None
        got = dict(zip(columns, row[2:]))
        out[by_pk[row[0]].key] = StoredRow(*(bytes(v) if isinstance(v, memoryview) else v for v in (got.get(c) for c in StoredRow._fields)))
    if len(out) < expected:
        return None
    return {p.key: out[p.key] for p in all_periods if p.key in out}, []
