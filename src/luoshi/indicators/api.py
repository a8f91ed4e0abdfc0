"""JSON API for indicator benchmarking (mounted at /api/indicators/). Same access rules and
services as the pages: 404 for a set or indicator out of sight, 403 where the user may read but
not change, 400 with the page's message for a refused change."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.core.spreadsheets import SpreadsheetError, read_upload
from luoshi.core.textlimits import Text
from luoshi.orgs.api import JobOut
from luoshi.orgs.models import JobRun

from . import access, services
from .evaluation import evaluation_for
from .models import IndicatorSet

router = Router()


class SetOut(Schema):
    id: int
    name: str
    description: str
    tier_size: int
    flag_rank: int
    volatility_window: int
    volatility_places: int


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    category: str
    direction: str
    measure_unit: str
    weight: float
    responsible_unit_id: int | None
    target_rank: int | None
    effective_target: int
    frontier: float | None
    worst: float | None


class EntityOut(Schema):
    id: int
    name: str
    is_us: bool


class PeriodOut(Schema):
    id: int
    key: str
    label: str


class SetDetailOut(SetOut):
    indicators: list[IndicatorOut]
    entities: list[EntityOut]
    periods: list[PeriodOut]


class CellOut(Schema):
    value: float | None
    score: float | None
    rank: int | None
    tier: int | None


class EntityResultOut(Schema):
    entity: str
    is_us: bool
    composite: float | None
    rank: int | None
    tier: int | None
    covered: int
    indicators: dict[str, CellOut]


class ResultsOut(Schema):
    period: str | None
    entities: list[EntityResultOut]


class FlagOut(Schema):
    kind: str
    indicator: str | None
    label: str
    reason: str
    ranks: list[int | None]


class GapOut(Schema):
    indicator: str
    period: str
    us: str
    target_rank: int
    direction: str
    unit: str
    current_value: float | None
    current_rank: int | None
    required_value: float | None
    change: float | None
    already: bool
    status: str
    reason: str


class TaskIn(Schema):
    period: Text(50) | None = None
    deadline: dt.date | None = None


class IndicatorTaskOut(Schema):
    task_id: int
    number: str
    title: str
    lead_unit_id: int | None
    target_text: str
    target_value: float | None
    deadline: dt.date | None
    created: bool


class ImportOut(Schema):
    ok: bool
    dry_run: bool
    errors: list[dict]
    warnings: list[str]
    created: int
    changed: list[dict]
    unchanged: int
    new_indicators: list[str]
    new_entities: list[str]
    new_periods: list[str]


def _set(request, set_id: int) -> IndicatorSet:
    """A set the user may read (404 otherwise); the services decide who may change it."""
    return access.get_indicator_set_for_user(request.user, set_id)


def _indicator(request, indicator_id: int):
    return access.get_indicator_for_user(request.user, indicator_id)


def _visible(request, ev):
    return [i for i in ev.indicators if access.may_read_indicator(request.user, i)]


@router.get("/sets", response=list[SetOut], summary="指标体系列表")
@paginate(LimitOffsetPagination)
def list_sets(request):
    return IndicatorSet.objects.visible_to(request.user).order_by("-created_at", "pk")


@router.get("/sets/{int:set_id}", response=SetDetailOut, summary="指标体系（指标、对标主体、期间）")
def get_set(request, set_id: int):
    s = _set(request, set_id)
    ev = evaluation_for(request, s)
    return {
        **{f: getattr(s, f) for f in ("id", "name", "description", "tier_size", "flag_rank", "volatility_window", "volatility_places")},
        "indicators": _visible(request, ev), "entities": ev.entities, "periods": ev.all_periods,
    }


@router.get("/sets/{int:set_id}/results", response=ResultsOut, summary="某期得分、排名和方阵")
def results(request, set_id: int, period: str | None = None):
    s = _set(request, set_id)
    ev = evaluation_for(request, s, period=period)
    p = ev.period_or_latest(period)
    if period and p != period:
        raise HttpError(404, _("没有期间“%(period)s”") % {"period": period})
    codes = [i.code for i in _visible(request, ev)]
    out = []
    if p is not None:
        for e in ev.results[p].entities:
            out.append({
                "entity": e.entity, "is_us": e.entity == ev.us, "composite": e.composite, "rank": e.rank, "tier": e.tier,
                "covered": e.covered,
                "indicators": {c: {"value": e.indicators[c].value, "score": e.indicators[c].score,
                                   "rank": e.indicators[c].rank, "tier": e.indicators[c].tier} for c in codes if c in e.indicators},
            })
    return {"period": p, "entities": out}


@router.get("/sets/{int:set_id}/flags", response=list[FlagOut], summary="本市的提示（落后、下降、过山车、未达目标）")
@paginate(LimitOffsetPagination)
def flags(request, set_id: int, period: str | None = None):
    s = _set(request, set_id)
    ev = evaluation_for(request, s, period=period)
    p = ev.period_or_latest(period)
    if p is None:
        return []
    codes = {i.code for i in _visible(request, ev)}
    return [{"kind": f.kind, "indicator": f.indicator, "label": f.label, "reason": f.reason, "ranks": list(f.ranks)}
            for f in ev.flags(p) if f.indicator is None or f.indicator in codes]


@router.get("/indicators/{int:indicator_id}/gap", response=GapOut, summary="距目标排名的差距")
def gap(request, indicator_id: int, period: str | None = None, target_rank: int | None = None):
    indicator = _indicator(request, indicator_id)
    ev = evaluation_for(request, indicator.indicator_set, period=period)
    p = ev.period_or_latest(period)
    if target_rank is not None and target_rank < 1:
        raise HttpError(400, _("目标排名应为正整数"))
    g = ev.gap(ev.by_code[indicator.code], p, target_rank) if p else None
    if g is None:
        raise HttpError(404, _("本期无法计算差距（无数据、只有公布得分/排名，或未指定本市）"))
    return {"indicator": indicator.code, "period": p, "us": g.us, "target_rank": g.target_rank, "direction": g.direction,
            "unit": indicator.measure_unit, "current_value": g.current_value, "current_rank": g.current_rank,
            "required_value": g.required_value, "change": g.change, "already": g.already, "status": g.status, "reason": g.reason}


@router.post("/indicators/{int:indicator_id}/task", response={200: IndicatorTaskOut, 201: IndicatorTaskOut}, summary="把指标转为责任单位的任务")
def create_task(request, indicator_id: int, payload: TaskIn):
    indicator = _indicator(request, indicator_id)
    link, created = services.indicator_task_create(actor=request.user, indicator=indicator, period=payload.period,
                                                   deadline=payload.deadline)
    t = link.task
    body = {"task_id": t.pk, "number": t.number, "title": t.title, "lead_unit_id": t.lead_unit_id, "target_text": t.target_text,
            "target_value": None if t.target_value is None else float(t.target_value), "deadline": t.deadline, "created": created}
    return Status(201 if created else 200, body)


@router.post("/sets/{int:set_id}/import", response={200: ImportOut, 202: JobOut}, summary="导入观测值（.csv/.xlsx）")
def import_observations(request, set_id: int, file: UploadedFile = File(...), dry_run: bool = Form(False),
                        layout: Text(10) = Form("auto")):
    """A file of more than IMPORT_JOB_ROWS rows is imported by a background job: the answer is then
    202 with the job (follow it at /api/orgs/jobs/{id}; a dry run's job is confirmed on its page)."""
    s = _set(request, set_id)
    if layout not in ("auto", "long", "wide"):
        raise HttpError(400, _("layout 应为 auto、long 或 wide"))
    try:
        data = read_upload(file, max_bytes=20 * 1024 * 1024)
    except SpreadsheetError as exc:
        raise HttpError(400, str(exc)) from None
    o = services.observations_import_or_queue(actor=request.user, indicator_set=s, data=data, filename=file.name or "",
                                              layout=layout, dry_run=dry_run)
    if isinstance(o, JobRun):
        return Status(202, o)
    return {"ok": o.ok, "dry_run": o.dry_run,
            "errors": [{"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message} for e in o.errors],
            "warnings": o.warnings, "created": o.created, "changed": o.changed, "unchanged": o.unchanged,
            "new_indicators": o.new_indicators, "new_entities": o.new_entities, "new_periods": o.new_periods}
