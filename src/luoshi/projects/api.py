"""JSON API for the project ledger (mounted at /api/projects/): list with the ledger's filters,
detail, create (supervisors), a stage reached and a monthly report (the lead unit). The same
access functions and services as the pages: 404 outside scope, 403 for a role that may not, 400
with the service's words for bad input."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.core.textlimits import LONG, Amount, Text
from luoshi.orgs.access import is_supervisor
from luoshi.orgs.models import Unit, User
from luoshi.tasks.health import render_reason

from . import access, selectors, services
from .models import Batch, Stage

router = Router()


class ProjectStageOut(Schema):
    stage: str
    planned_on: dt.date | None
    actual_on: dt.date | None


class ProjectOut(Schema):
    id: int
    task_id: int
    name: str
    content: str
    location: str
    industry: str
    total_investment: Decimal
    plan_year: int
    annual_plan: Decimal
    batch: str | None
    stage: str | None
    lead_unit_id: int | None
    lead_leader_id: int | None
    health: str
    health_reasons: list[str]
    expected_percent: float | None
    progress_percent: float | None
    stalled: bool
    idle: bool
    problems: str
    stages: list[ProjectStageOut]

    @staticmethod
    def resolve_batch(obj):
        return obj.batch.name if obj.batch else None

    @staticmethod
    def resolve_stage(obj):
        return obj.stage.name if obj.stage else None

    @staticmethod
    def resolve_lead_unit_id(obj):
        return obj.task.lead_unit_id

    @staticmethod
    def resolve_lead_leader_id(obj):
        return obj.task.lead_leader_id

    @staticmethod
    def resolve_health(obj):
        return obj.task.health

    @staticmethod
    def resolve_health_reasons(obj):
        return [render_reason(r) for r in obj.task.health_reasons or ()]

    @staticmethod
    def resolve_expected_percent(obj):
        return obj.task.expected_percent

    @staticmethod
    def resolve_progress_percent(obj):
        return obj.task.progress_percent

    @staticmethod
    def resolve_stages(obj):
        return [{"stage": r.stage.name, "planned_on": r.planned_on, "actual_on": r.actual_on} for r in obj.stages.select_related("stage")]


class ProjectFilters(Schema):
    q: str | None = None
    stage: int | None = None
    batch: int | None = None
    health: str | None = None
    unit: int | None = None
    flag: str | None = None


class ProjectIn(Schema):
    name: Text(200)
    lead_unit_id: int
    plan_year: int
    content: Text(LONG) = ""
    location: Text(200) = ""
    industry: Text(50) = ""
    total_investment: Amount(14, 2) = Decimal(0)
    annual_plan: Amount(14, 2) = Decimal(0)
    lead_leader_id: int | None = None
    co_unit_ids: list[int] = []
    batch_id: int | None = None
    planned: dict[str, dt.date] = {}  # stage name → planned date


class ProjectStageIn(Schema):
    stage: Text(20)
    actual_on: dt.date


class ProjectMonthIn(Schema):
    month: int
    amount: Amount(14, 2)
    image_progress: Text(LONG)
    problems: Text(LONG) = ""


class ProjectMonthOut(Schema):
    id: int
    project_id: int
    year: int
    month: int
    amount: Decimal
    image_progress: str
    problems: str
    report_id: int | None


def _run(fn, **kwargs):
    # A refusal (luoshi.core.errors) is answered by the API's one exception handler.
    return fn(**kwargs)


def _writable(request, project_id: int):
    return access.get_project_for_user(request.user, project_id, write=True)


@router.get("/", response=list[ProjectOut], summary="项目台账（筛选同页面）")
@paginate(LimitOffsetPagination)
def list_projects(request, filters: Query[ProjectFilters]):
    values = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    return selectors.ledger(request.user, values)[1].prefetch_related("stages__stage")


@router.get("/{int:project_id}", response=ProjectOut, summary="项目详情")
def get_project(request, project_id: int):
    return access.get_project_for_user(request.user, project_id)


@router.post("/", response={201: ProjectOut}, summary="登记项目（督查员）")
def create_project(request, payload: ProjectIn):
    if not is_supervisor(request.user):
        raise HttpError(403, _("只有督查员可以登记项目。"))
    unit = Unit.objects.filter(pk=payload.lead_unit_id).first()
    if unit is None:
        raise HttpError(400, _("牵头单位 %(id)s 不存在。") % {"id": payload.lead_unit_id})
    leader = User.objects.filter(pk=payload.lead_leader_id, role="leader").first() if payload.lead_leader_id else None
    batch = Batch.objects.filter(pk=payload.batch_id).first() if payload.batch_id else None
    stages = {s.name: s.pk for s in Stage.objects.all()}
    unknown = [name for name in payload.planned if name not in stages]
    if unknown:
        raise HttpError(400, _("未知的项目阶段：%(stages)s") % {"stages": "、".join(unknown)})
    project = _run(
        services.project_create, actor=request.user, name=payload.name, lead_unit=unit, plan_year=payload.plan_year,
        co_units=list(Unit.objects.filter(pk__in=payload.co_unit_ids)), lead_leader=leader, content=payload.content,
        location=payload.location, industry=payload.industry, total_investment=payload.total_investment,
        annual_plan=payload.annual_plan, batch=batch, stage_dates={stages[n]: (d, None) for n, d in payload.planned.items()},
    )
    return Status(201, project)


@router.post("/{int:project_id}/stages", response=ProjectOut, summary="填报节点（责任单位）")
def reach_stage(request, project_id: int, payload: ProjectStageIn):
    project = _writable(request, project_id)
    stage = Stage.objects.filter(name=payload.stage).first()
    if stage is None:
        raise HttpError(400, _("未知的项目阶段：%(stages)s") % {"stages": payload.stage})
    _run(services.stage_reach, actor=request.user, project=project, stage=stage, actual_on=payload.actual_on)
    return access.get_project_for_user(request.user, project_id)


@router.post("/{int:project_id}/months", response={201: ProjectMonthOut}, summary="报送月报（责任单位）")
def report_month(request, project_id: int, payload: ProjectMonthIn):
    project = _writable(request, project_id)
    row = _run(
        services.monthly_report_submit, actor=request.user, project=project, year=project.plan_year, month=payload.month,
        amount=payload.amount, image_progress=payload.image_progress, problems=payload.problems,
    )
    return Status(201, row)
