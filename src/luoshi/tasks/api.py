"""JSON API for tasks (mounted at /api/tasks/): the tree and the board's filters, sub-tasks, plan
edits with the version, progress reports and corrections, closure, extension requests and leader
instructions. Every endpoint calls the same access functions and services as the pages: what a
page refuses, the API refuses with the same message (400; 403 for a role that may not; 404 for a
task out of sight; 409 for a stale version), mapped once in `luoshi.api.urls`."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from luoshi.core.textlimits import LONG, NOTE, Amount, Text
from luoshi.orgs.models import Unit, User
from luoshi.tasks.health import render_reason

from . import access, selectors, services
from .models import ExtensionRequest, Instruction, ProgressReport, Task

router = Router()


# --- schemas -----------------------------------------------------------------------------------
class TaskOut(Schema):
    id: int
    number: str
    code: str | None
    title: str
    measures: str
    target_text: str
    target_value: Decimal | None
    kind: str
    tags: str
    status: str
    health: str
    health_reasons: list[str]
    expected_percent: float | None
    progress_percent: float | None
    parent_id: int | None
    directive_id: int | None
    lead_leader_id: int | None
    lead_unit_id: int | None
    co_unit_ids: list[int]
    responsible_person_id: int | None
    start_on: dt.date | None
    deadline: dt.date | None
    cadence: str
    due_day: int | None
    published_on: dt.date | None
    closed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_co_unit_ids(obj):
        return [u.pk for u in obj.co_units.all()]

    @staticmethod
    def resolve_health_reasons(obj):
        # Stored as data; the client gets text in the request's language (Accept-Language).
        return [render_reason(r) for r in obj.health_reasons or ()]


class TaskFilters(Schema):
    q: str | None = None
    health: str | None = None
    status: str | None = None
    kind: str | None = None
    unit: int | None = None
    lead: bool | None = None
    leader: int | None = None
    directive: int | None = None
    overdue: bool | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    parent: int | None = None  # the children of this task
    overdue: bool | None = None  # past the deadline and still being worked on
    sort: str | None = None


class PlanIn(Schema):
    title: Text(300) | None = None
    measures: Text(LONG) | None = None
    target_text: Text(LONG) | None = None
    target_value: Amount(20, 4) | None = None
    kind: Text(20) | None = None
    tags: Text(200) | None = None
    lead_leader_id: int | None = None
    lead_unit_id: int | None = None
    co_unit_ids: list[int] | None = None
    responsible_person_id: int | None = None
    start_on: dt.date | None = None
    deadline: dt.date | None = None
    deadline_text: Text(100) | None = None
    cadence: Text(20) | None = None
    due_day: int | None = None


class SubtaskIn(PlanIn):
    title: Text(300)
    publish: bool = False


class TaskUpdateIn(PlanIn):
    version: int


class ReportIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    progress: Text(LONG)
    problems: Text(LONG) = ""
    next_steps: Text(LONG) = ""
    unit_id: int | None = None
    period_key: Text(20) | None = None


class CorrectionIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    progress: Text(LONG)
    problems: Text(LONG) = ""
    next_steps: Text(LONG) = ""


class ReportOut(Schema):
    id: int
    task_id: int
    unit_id: int
    period_key: str
    period_label: str
    percent: int
    progress: str
    problems: str
    next_steps: str
    submitted_by_id: int
    submitted_at: dt.datetime
    submitted_on: dt.date
    late: bool
    superseded: bool
    supersedes_id: int | None


class ClosureIn(Schema):
    evidence: Text(LONG) = ""
    reason: Text(NOTE) = ""
    version: int | None = None


class TransitionOut(Schema):
    id: int
    task_id: int
    action: str
    from_status: str
    to_status: str
    actor_id: int | None
    reason: str
    evidence: str
    created_at: dt.datetime


class ExtensionIn(Schema):
    new_deadline: dt.date
    reason: Text(NOTE)


class ExtensionDecisionIn(Schema):
    approve: bool
    note: Text(NOTE) = ""


class ExtensionOut(Schema):
    id: int
    task_id: int
    unit_id: int
    requested_by_id: int
    reason: str
    old_deadline: dt.date
    new_deadline: dt.date
    status: str
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_note: str
    created_at: dt.datetime


class InstructionIn(Schema):
    text: Text(LONG)


class InstructionOut(Schema):
    id: int
    task_id: int
    author_id: int
    text: str
    created_at: dt.datetime


# --- helpers -----------------------------------------------------------------------------------
def _task(request, task_id: int) -> Task:
    return access.get_task_for_user(request.user, task_id)


def _fresh(task: Task) -> Task:
    return Task.objects.prefetch_related("co_units").get(pk=task.pk)


def _plan(data: PlanIn) -> tuple[dict, list | None]:
    """Payload → service keyword arguments, ids resolved to objects (unknown ids are a 400)."""
    raw = data.dict(exclude_unset=True)
    raw.pop("version", None)
    raw.pop("publish", None)
    co_ids = raw.pop("co_unit_ids", None)
    changes = {}
    for key, value in raw.items():
        if key in ("lead_unit_id", "lead_leader_id", "responsible_person_id"):
            name = key[:-3]
            if value is None:
                changes[name] = None
                continue
            model = Unit if name == "lead_unit" else User
            obj = model.objects.filter(pk=value).first()
            if obj is None or (name == "lead_leader" and obj.role != "leader"):
                raise HttpError(400, _("%(field)s：%(value)s 不存在") % {"field": name, "value": value})
            changes[name] = obj
        elif key in ("title", "measures", "target_text", "tags", "deadline_text") and value is None:
            changes[key] = ""
        else:
            changes[key] = value
    if "kind" in changes and changes["kind"] not in dict(Task._meta.get_field("kind").choices):
        raise HttpError(400, _("kind：类型不正确"))
    if "cadence" in changes and changes["cadence"] not in dict(Task._meta.get_field("cadence").choices):
        raise HttpError(400, _("cadence：报送周期不正确"))
    co_units = None
    if co_ids is not None:
        co_units = list(Unit.objects.filter(pk__in=co_ids))
        if len(co_units) != len(set(co_ids)):
            raise HttpError(400, _("co_unit_ids：单位不存在"))
    return changes, co_units


# --- tasks -------------------------------------------------------------------------------------
@router.get("/", response=list[TaskOut], summary="任务列表（筛选同督办台账）")
@paginate(LimitOffsetPagination)
def list_tasks(request, filters: Query[TaskFilters]):
    values = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    if values.get("sort") not in (None, "health", "number", "deadline", "-deadline", "progress", "behind", "unit"):
        raise HttpError(400, _("sort：排序方式不正确"))
    return selectors.tasks_for(request.user, values)


@router.get("/{int:task_id}", response=TaskOut, summary="任务详情")
def get_task(request, task_id: int):
    return _fresh(_task(request, task_id))


@router.post("/{int:task_id}/subtasks", response={201: TaskOut}, summary="新建子任务（督查员）")
def create_subtask(request, task_id: int, payload: SubtaskIn):
    parent = _task(request, task_id)
    changes, co_units = _plan(payload)
    child = services.task_create(actor=request.user, parent=parent, co_units=co_units or (), **changes)
    if payload.publish:
        services.task_publish(actor=request.user, task=child)
    return Status(201, _fresh(child))


@router.patch("/{int:task_id}", response=TaskOut, summary="修改任务计划（须带 version）")
def update_task(request, task_id: int, payload: TaskUpdateIn):
    task = _task(request, task_id)
    changes, co_units = _plan(payload)
    services.task_update(actor=request.user, task=task, expected_version=payload.version, co_units=co_units, **changes)
    return _fresh(task)


# --- reports -----------------------------------------------------------------------------------
@router.get("/{int:task_id}/reports", response=list[ReportOut], summary="进展报送（含已被更正的）")
@paginate(LimitOffsetPagination)
def list_reports(request, task_id: int):
    task = _task(request, task_id)
    return ProgressReport.objects.visible_to(request.user).filter(task=task).order_by("-submitted_at", "-pk")


@router.post("/{int:task_id}/reports", response={201: ReportOut}, summary="报送本期进展")
def submit_report(request, task_id: int, payload: ReportIn):
    task = _task(request, task_id)
    report = services.report_submit(
        actor=request.user, task=task, percent=payload.percent, progress=payload.progress,
        problems=payload.problems, next_steps=payload.next_steps, unit=payload.unit_id, period_key=payload.period_key,
    )
    return Status(201, report)


@router.post("/reports/{int:report_id}/correct", response={201: ReportOut}, summary="更正已报送的报告")
def correct_report(request, report_id: int, payload: CorrectionIn):
    report = access.get_report_for_user(request.user, report_id)
    new = services.report_correct(
        actor=request.user, report=report, percent=payload.percent, progress=payload.progress,
        problems=payload.problems, next_steps=payload.next_steps,
    )
    return Status(201, new)


# --- closure -----------------------------------------------------------------------------------
@router.post("/{int:task_id}/closure/request", response={201: TransitionOut}, summary="申请销号（牵头单位）")
def request_closure(request, task_id: int, payload: ClosureIn):
    task = _task(request, task_id)
    return Status(201, services.closure_request(actor=request.user, task=task, evidence=payload.evidence, expected_version=payload.version))


@router.post("/{int:task_id}/closure/verify", response={201: TransitionOut}, summary="销号（督查员）")
def verify_closure(request, task_id: int, payload: ClosureIn):
    task = _task(request, task_id)
    return Status(201, services.closure_verify(actor=request.user, task=task, note=payload.reason, expected_version=payload.version))


@router.post("/{int:task_id}/closure/return", response={201: TransitionOut}, summary="退回销号申请（督查员，须说明理由）")
def return_closure(request, task_id: int, payload: ClosureIn):
    task = _task(request, task_id)
    return Status(201, services.closure_return(actor=request.user, task=task, reason=payload.reason, expected_version=payload.version))


# --- extensions --------------------------------------------------------------------------------
@router.get("/{int:task_id}/extensions", response=list[ExtensionOut], summary="延期申请")
@paginate(LimitOffsetPagination)
def list_extensions(request, task_id: int):
    task = _task(request, task_id)
    return ExtensionRequest.objects.visible_to(request.user).filter(task=task)


@router.post("/{int:task_id}/extensions", response={201: ExtensionOut}, summary="申请延期（牵头单位，须在完成时限前）")
def create_extension(request, task_id: int, payload: ExtensionIn):
    task = _task(request, task_id)
    return Status(201, services.extension_request(actor=request.user, task=task, reason=payload.reason, new_deadline=payload.new_deadline))


@router.post("/extensions/{int:extension_id}/decide", response=ExtensionOut, summary="审批延期申请（督查员）")
def decide_extension(request, extension_id: int, payload: ExtensionDecisionIn):
    extension = access.get_extension_for_user(request.user, extension_id)
    return services.extension_decide(actor=request.user, extension=extension, approve=payload.approve, note=payload.note)


# --- instructions ------------------------------------------------------------------------------
@router.get("/{int:task_id}/instructions", response=list[InstructionOut], summary="领导批示")
@paginate(LimitOffsetPagination)
def list_instructions(request, task_id: int):
    task = _task(request, task_id)
    return Instruction.objects.visible_to(request.user).filter(task=task)


@router.post("/{int:task_id}/instructions", response={201: InstructionOut}, summary="作出批示（领导、督查员）")
def create_instruction(request, task_id: int, payload: InstructionIn):
    task = _task(request, task_id)
    return Status(201, services.instruction_add(actor=request.user, task=task, text=payload.text))

