"""Reports over the JSON API: the dashboard's figures and the 督查通报 workflow, through the same
services and access rules as the pages."""

import datetime as dt

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.core.textlimits import BULLETIN, Text

from luoshi.orgs.api import JobOut

from . import access, exports, jobs, services
from .models import Bulletin

router = Router()


class BulletinOut(Schema):
    id: int
    period_key: str
    period_label: str
    number: str
    title: str
    recipients: str
    body: str
    issuer: str
    cc: str
    status: str
    issued_on: dt.date | None
    version: int


class BulletinIn(Schema):
    period: Text(20)


class BulletinEdit(Schema):
    expected_version: int
    title: Text(200) | None = None
    recipients: Text(300) | None = None
    body: Text(BULLETIN) | None = None
    issuer: Text(100) | None = None
    cc: Text(300) | None = None


class IssueIn(Schema):
    expected_version: int


@router.get("/dashboard")
def dashboard(request):
    """The figures of 领导驾驶舱, scoped to what the caller may see."""
    return services.dashboard(request.user).as_json()


@router.get("/bulletins", response=list[BulletinOut])
@paginate(LimitOffsetPagination)
def list_bulletins(request):
    return Bulletin.objects.visible_to(request.user)


@router.get("/bulletins/{bulletin_id}", response=BulletinOut)
def get_bulletin(request, bulletin_id: int):
    return access.get_bulletin_for_user(request.user, bulletin_id)


@router.post("/bulletins", response={201: BulletinOut})
def create_bulletin(request, payload: BulletinIn):
    return Status(201, services.bulletin_create(actor=request.user, period=payload.period))


@router.patch("/bulletins/{bulletin_id}", response=BulletinOut)
def edit_bulletin(request, bulletin_id: int, payload: BulletinEdit):
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id)
    changes = {k: v for k, v in payload.dict(exclude={"expected_version"}).items() if v is not None}
    return services.bulletin_update(actor=request.user, bulletin=bulletin, expected_version=payload.expected_version, **changes)


@router.post("/bulletins/{bulletin_id}/issue", response=BulletinOut)
def issue_bulletin(request, bulletin_id: int, payload: IssueIn):
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id)
    return services.bulletin_issue(actor=request.user, bulletin=bulletin, expected_version=payload.expected_version)


@router.get("/exports/{kind}")
def export(request, kind: str, directive: int | None = None, period: str | None = None, bulletin: int | None = None):
    """The office files (.xlsx, or .docx for `bulletin`) as the pages and `luoshi export` write them."""
    if kind not in exports.KINDS:
        raise HttpError(404, _("未知的导出类型"))
    filters = {key: request.GET.get(key) for key in (*exports.LEDGER_FILTERS, "set") if request.GET.get(key)}
    try:
        result = exports.export(kind, user=request.user, directive=directive, period=period, filters=filters, bulletin_id=bulletin)
    except exports.ExportError as exc:
        raise HttpError(400, str(exc))
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(result.filename)}"
    return response


@router.post("/exports/{kind}/jobs", response={202: JobOut})
def start_export_job(request, kind: str, fmt: str | None = None, directive: int | None = None, period: str | None = None):
    """Start an export as a background job, whatever its size; follow it at `/api/orgs/jobs/{id}`
    and download its file from `result_url` once `state` is `done`. `kind` is one of the
    `/exports/{kind}` kinds (not `bulletin`) or `board` (the task board as `fmt` csv or xlsx, with
    the board's filters as query parameters)."""
    try:
        job = jobs.export_job_start(actor=request.user, kind=kind, query=request.GET, fmt=fmt)
    except exports.ExportError as exc:
        raise HttpError(400, str(exc))
    return Status(202, job)
