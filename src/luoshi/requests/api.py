"""JSON API for enterprise requests (mounted at /api/requests/): list with the ledger's filters,
detail, office intake, and the steps (assign, decline, propose, report, solve, call-back) with
the same access rules and services as the pages. The public form is a page, not an API."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.core.textlimits import LONG, NOTE, Text
from luoshi.orgs.access import is_supervisor
from luoshi.orgs.models import Unit, User

from . import access, selectors, services
from .models import Satisfaction

router = Router()


class RequestCallBackOut(Schema):
    called_on: dt.date
    outcome: str
    satisfaction: str
    reason: str


class RequestOut(Schema):
    id: int
    receipt: str
    channel: str
    company_name: str
    credit_code: str
    title: str
    description: str
    category: str
    status: str
    task_id: int | None
    lead_unit_id: int | None
    sheet_number: str
    assigned_on: dt.date | None
    proposal_due: dt.date | None
    difficulty: str
    solution: str
    solve_by: dt.date | None
    solved_on: dt.date | None
    reply: str
    reopened: int
    received_on: dt.date
    callbacks: list[RequestCallBackOut]

    @staticmethod
    def resolve_lead_unit_id(obj):
        return obj.task.lead_unit_id if obj.task_id else None

    @staticmethod
    def resolve_callbacks(obj):
        return list(obj.callbacks.all())


class RequestFilters(Schema):
    q: str | None = None
    status: str | None = None
    category: str | None = None
    unit: int | None = None
    satisfaction: str | None = None
    overdue: bool | None = None
    solved: bool | None = None


class RequestIn(Schema):
    company_name: Text(200)
    credit_code: Text(30)
    contact_name: Text(50)
    contact_phone: Text(30)
    title: Text(200)
    description: Text(LONG)
    category: Text(20) = ""


class RequestAssignIn(Schema):
    lead_unit_id: int
    category: Text(20)
    difficulty: Text(20) = "limited"
    co_unit_ids: list[int] = []
    lead_leader_id: int | None = None
    solve_by: dt.date | None = None


class RequestDeclineIn(Schema):
    reason: Text(NOTE)


class RequestProposeIn(Schema):
    solution: Text(LONG)
    difficulty: Text(20)
    solve_by: dt.date | None = None


class RequestReportIn(Schema):
    percent: int
    progress: Text(LONG)
    problems: Text(LONG) = ""


class RequestSolveIn(Schema):
    evidence: Text(LONG)


class RequestCallBackIn(Schema):
    outcome: Text(300)
    satisfaction: Satisfaction
    reason: Text(NOTE) = ""
    reply: Text(LONG) = ""
    called_on: dt.date | None = None


def _run(fn, **kwargs):
    # A refusal (luoshi.core.errors) is answered by the API's one exception handler.
    return fn(**kwargs)


def _item(request, pk: int, write: bool = False):
    return access.get_request_for_user(request.user, pk, write=write)


@router.get("/", response=list[RequestOut], summary="企业诉求（筛选同问题台账）")
@paginate(LimitOffsetPagination)
def list_requests(request, filters: Query[RequestFilters]):
    values = {k: v for k, v in filters.dict().items() if v not in (None, "", False)}
    return selectors.ledger(request.user, values, timezone.localdate())


@router.get("/figures", summary="受理、办结、办结率、平均天数、满意率（按单位）")
def figures(request):
    return selectors.figures(request.user, timezone.localdate())


@router.get("/{int:request_id}", response=RequestOut, summary="诉求详情")
def get_request(request, request_id: int):
    return _item(request, request_id)


@router.post("/", response={201: RequestOut}, summary="窗口登记（督查员）")
def create_request(request, payload: RequestIn):
    if not is_supervisor(request.user):
        raise HttpError(403, _("只有督查员可以登记企业诉求。"))
    return Status(201, _run(services.request_receive, actor=request.user, **payload.dict()))


@router.post("/{int:request_id}/assign", response=RequestOut, summary="交办（督查员）")
def assign(request, request_id: int, payload: RequestAssignIn):
    item = _item(request, request_id, write=True)
    unit = Unit.objects.filter(pk=payload.lead_unit_id).first()
    if unit is None:
        raise HttpError(400, _("牵头单位 %(id)s 不存在。") % {"id": payload.lead_unit_id})
    leader = User.objects.filter(pk=payload.lead_leader_id, role="leader").first() if payload.lead_leader_id else None
    return _run(
        services.request_assign, actor=request.user, request=item, lead_unit=unit, category=payload.category, difficulty=payload.difficulty,
        co_units=list(Unit.objects.filter(pk__in=payload.co_unit_ids)), lead_leader=leader, solve_by=payload.solve_by,
    )


@router.post("/{int:request_id}/decline", response=RequestOut, summary="不予受理（督查员）")
def decline(request, request_id: int, payload: RequestDeclineIn):
    return _run(services.request_decline, actor=request.user, request=_item(request, request_id, write=True), reason=payload.reason)


@router.post("/{int:request_id}/propose", response=RequestOut, summary="提出解决方案（牵头单位）")
def propose(request, request_id: int, payload: RequestProposeIn):
    return _run(services.request_propose, actor=request.user, request=_item(request, request_id, write=True), **payload.dict())


@router.post("/{int:request_id}/reports", response={201: dict}, summary="报送进展（牵头单位）")
def report(request, request_id: int, payload: RequestReportIn):
    row = _run(services.request_report, actor=request.user, request=_item(request, request_id, write=True), **payload.dict())
    return Status(201, {"id": row.pk, "period_key": row.period_key, "percent": row.percent})


@router.post("/{int:request_id}/solve", response=RequestOut, summary="申报办结（牵头单位）")
def solve(request, request_id: int, payload: RequestSolveIn):
    return _run(services.request_solve, actor=request.user, request=_item(request, request_id, write=True), evidence=payload.evidence)


@router.post("/{int:request_id}/callbacks", response=RequestOut, summary="核验销号并回访（督查员）")
def callback(request, request_id: int, payload: RequestCallBackIn):
    item = _item(request, request_id, write=True)
    data = payload.dict()
    data["satisfaction"] = str(getattr(data["satisfaction"], "value", data["satisfaction"]))
    _run(services.request_callback, actor=request.user, request=item, **data)
    item.refresh_from_db()
    return item
