"""Changes to enterprise requests. Each function takes the actor first, decides permission once
and runs in one transaction. From assignment on the request's work is its task's work: reports,
closure and health go through the task services; the request keeps what is its own (the
company, the 交办单, the solution, the call-backs).

Every submission is stored before anyone is told: notices go out on commit."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Conflict, Forbidden, Invalid
from luoshi.orgs.access import SYSTEM, require_actor, user_or_none
from luoshi.tasks import services as task_services
from luoshi.tasks import signals
from luoshi.tasks import workflow
from luoshi.tasks.models import TaskKind

from . import access, creditcode
from .models import CallBack, Category, Channel, Difficulty, Request, RequestAttachment, Satisfaction, Status

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on the phone
RECEIPT_LENGTH = 10  # 32^10 ≈ 10^15: not found by guessing, and look-ups are throttled


def conf(name: str, default):
    return getattr(settings, "LUOSHI", {}).get(name, default)


def proposal_days() -> int:
    return int(conf("REQUEST_PROPOSAL_DAYS", 7))


def solve_days(difficulty: str) -> int:
    days = conf("REQUEST_SOLVE_DAYS", {}) or {}
    defaults = {Difficulty.IMMEDIATE: 5, Difficulty.LIMITED: 30, Difficulty.LONG: 180}
    return int(days.get(difficulty, defaults.get(difficulty, 30)))


def sheet_number(year: int, seq: int) -> str:
    # The prefix is part of a document's number, as printed on the 交办单: never translated.
    return f"{conf('REQUEST_SHEET_PREFIX', '助企交办')}〔{year}〕{seq}号"


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH))


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


# --- intake ------------------------------------------------------------------------------------
ATTACHMENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
MAX_ATTACHMENTS = 3


def attachment_max_bytes() -> int:
    return int(conf("REQUEST_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


def _check_files(files: Iterable) -> list:
    files = [f for f in files if f]
    if len(files) > MAX_ATTACHMENTS:
        raise Invalid(_("附件最多 %(n)d 个。") % {"n": MAX_ATTACHMENTS})
    limit = attachment_max_bytes()
    for upload in files:
        name = os.path.basename(getattr(upload, "name", "") or "")
        if os.path.splitext(name)[1].lower() not in ATTACHMENT_TYPES:
            raise Invalid(_("附件“%(name)s”的类型不允许，只接受 PDF、Word（.docx）、JPG、PNG 文件。") % {"name": name})
        if upload.size > limit or upload.size == 0:
            raise Invalid(
                _("附件“%(name)s”的大小不符合要求（不能为空，不能超过 %(limit).0f MB）。") % {"name": name, "limit": limit / 1048576}
            )
    # The content is checked against the extension by the task services' signatures.
    task_services.check_attachments(files)
    return files


def _office_notice(request: Request, title: str) -> None:
    url = reverse("requests:detail", args=[request.pk])
    transaction.on_commit(lambda: signals.notice.send(
        sender=Request, kind="action", title=title, body=request.title, url=url, key=f"request:{request.pk}:received", to_office=True,
    ))


@transaction.atomic
def request_receive(
    *,
    actor,
    company_name: str,
    credit_code: str,
    contact_name: str,
    contact_phone: str,
    title: str,
    description: str,
    category: str = "",
    channel: str = Channel.OFFICE,
    attachments: Iterable = (),
    today: dt.date | None = None,
) -> Request:
    """登记 a request: at the office window (actor = a supervisor) or from the public form (actor =
    whoever filled it in, usually not signed in; channel = public). Returns it with its receipt number."""
    require_actor(actor)
    if channel == Channel.OFFICE and not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以登记企业诉求。"))
    today = today or timezone.localdate()
    values = {
        "company_name": _text(company_name, 200), "contact_name": _text(contact_name, 50), "contact_phone": _text(contact_phone, 30),
        "title": _text(title, 200), "description": _text(description, 5000),
    }
    labels = {"company_name": _("企业名称"), "contact_name": _("联系人"), "contact_phone": _("联系电话"), "title": _("问题诉求"), "description": _("具体情况")}
    missing = [str(labels[k]) for k, v in values.items() if not v]
    if missing:
        raise Invalid(_("请填写：%(fields)s。") % {"fields": "、".join(missing)})
    code = creditcode.normalise(credit_code)
    wrong = creditcode.problem(code)
    if wrong:
        raise Invalid(wrong)
    if category and category not in Category.values:
        raise Invalid(_("问题类别不正确。"))
    files = _check_files(attachments)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = Request.objects.create(
                    receipt=new_receipt(), channel=channel, credit_code=code, category=category, received_on=today,
                    created_by=user_or_none(actor) if channel == Channel.OFFICE else None, **values,
                )
            break
        except IntegrityError:  # a receipt number already taken: draw another
            continue
    else:  # pragma: no cover - 32^10 numbers
        raise Invalid(_("暂时无法受理，请稍后再试。"))
    saved = []
    try:
        for upload in files:
            name = os.path.basename(upload.name)[:255]
            item = RequestAttachment(request=request, name=name, size=upload.size, content_type=ATTACHMENT_TYPES[os.path.splitext(name)[1].lower()])
            item.file.save(name, upload, save=False)
            saved.append(item)
            item.save()
    except Exception:
        for item in saved:
            item.file.storage.delete(item.file.name)
        raise
    _office_notice(request, _("新的企业诉求：%(company)s") % {"company": request.company_name})
    return request


# --- assignment ----------------------------------------------------------------------------------
def _next_sheet(year: int) -> int:
    return (Request.objects.filter(sheet_year=year).aggregate(m=Max("sheet_seq"))["m"] or 0) + 1


@transaction.atomic
def request_assign(
    *,
    actor,
    request: Request,
    lead_unit,
    category: str,
    difficulty: str = Difficulty.LIMITED,
    co_units: Iterable = (),
    lead_leader=None,
    solve_by: dt.date | None = None,
    today: dt.date | None = None,
) -> Request:
    """交办: classify the request and assign it to a lead unit (and co-units) with a 交办单 numbered
    by year. Creates and publishes its task of kind 诉求: monthly reports, deadline = 办结时限."""
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以交办企业诉求。"))
    if request.status != Status.RECEIVED:
        raise Conflict(_("该诉求已交办或已处理，不能再次交办。"))
    if lead_unit is None:
        raise Invalid(_("请选择牵头单位。"))
    if category not in Category.values:
        raise Invalid(_("请选择问题类别。"))
    if difficulty not in Difficulty.values:
        raise Invalid(_("请选择办理类型。"))
    today = today or timezone.localdate()
    solve_by = solve_by or today + dt.timedelta(days=solve_days(difficulty))
    if solve_by < today:
        raise Invalid(_("办结时限不能早于今天。"))
    task = task_services.task_create(
        actor=actor, title=f"{request.company_name}：{request.title}"[:300], lead_unit=lead_unit, co_units=co_units,
        lead_leader=lead_leader, measures=request.description, start_on=today, deadline=solve_by, cadence="monthly",
        kind=TaskKind.REQUEST, tags=str(Category(category).label),
    )
    task_services.task_publish(actor=actor, task=task, today=today)
    for _attempt in range(5):
        seq = _next_sheet(today.year)
        try:
            with transaction.atomic():
                updated = Request.objects.filter(pk=request.pk, status=Status.RECEIVED).update(
                    status=Status.ASSIGNED, task=task, category=category, difficulty=difficulty, solve_by=solve_by,
                    sheet_year=today.year, sheet_seq=seq, sheet_number=sheet_number(today.year, seq), assigned_on=today,
                    proposal_due=today + dt.timedelta(days=proposal_days()), version=request.version + 1,
                )
            break
        except IntegrityError:  # two assignments drew the same number: draw again
            continue
    else:  # pragma: no cover
        raise Invalid(_("交办单编号冲突，请重试。"))
    if not updated:
        raise Conflict(_("该诉求已交办或已处理，不能再次交办。"))
    request.refresh_from_db()
    url = reverse("requests:detail", args=[request.pk])
    transaction.on_commit(lambda: signals.notice.send(
        sender=Request, kind="action", title=_("交办单 %(number)s：%(title)s") % {"number": request.sheet_number, "title": request.title},
        body=_("请于%(date)s前提出解决方案。") % {"date": request.proposal_due.isoformat()}, url=url,
        key=f"request:{request.pk}:assigned:{request.sheet_number}", unit=lead_unit, task=task,
    ))
    return request


@transaction.atomic
def request_decline(*, actor, request: Request, reason: str) -> Request:
    """不予受理 (not the government's to solve, a duplicate …), with the reason the company sees."""
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以作出不予受理决定。"))
    reason = _text(reason, 2000)
    if not reason:
        raise Invalid(_("请填写不予受理的理由。"))
    if not Request.objects.filter(pk=request.pk, status=Status.RECEIVED).update(
        status=Status.DECLINED, decline_reason=reason, reply=reason, version=request.version + 1
    ):
        raise Invalid(_("只有待交办的诉求可以不予受理。"))
    request.refresh_from_db()
    return request


# --- the unit's work -----------------------------------------------------------------------------
def _lead_only(actor, request: Request) -> None:
    if not access.is_lead(actor, request):
        raise Forbidden(_("只有牵头单位可以办理该诉求。"))


@transaction.atomic
def request_propose(
    *, actor, request: Request, solution: str, difficulty: str, solve_by: dt.date | None = None, today: dt.date | None = None
) -> Request:
    """The lead unit proposes its solution and the 办结时限 by difficulty (即办/限期办/长期)."""
    _lead_only(actor, request)
    if request.status not in (Status.ASSIGNED, Status.PROPOSED):
        raise Invalid(_("该诉求当前状态为“%(status)s”，不能提出方案。") % {"status": request.get_status_display()})
    solution = _text(solution, 5000)
    if not solution:
        raise Invalid(_("请填写解决方案。"))
    if difficulty not in Difficulty.values:
        raise Invalid(_("请选择办理类型。"))
    today = today or timezone.localdate()
    solve_by = solve_by or today + dt.timedelta(days=solve_days(difficulty))
    if solve_by < today:
        raise Invalid(_("办结时限不能早于今天。"))
    Request.objects.filter(pk=request.pk).update(
        solution=solution, difficulty=difficulty, solve_by=solve_by, proposed_on=request.proposed_on or today,
        status=Status.PROPOSED, version=request.version + 1,
    )
    request.refresh_from_db()
    task = request.task
    if task.deadline != solve_by and not task.is_terminal:
        # The unit sets its own 办结时限; the task's plan is the office's, so the system moves it.
        task_services.task_update(actor=SYSTEM, task=task, expected_version=task.version, deadline=solve_by)
    return request


def request_report(*, actor, request: Request, percent: int, progress: str, problems: str = "", next_steps: str = "", today=None):
    """Monthly progress until 办结: the task's own progress report."""
    _lead_only(actor, request)
    if request.status not in (Status.ASSIGNED, Status.PROPOSED):
        raise Invalid(_("该诉求当前状态为“%(status)s”，不能报送进展。") % {"status": request.get_status_display()})
    return task_services.report_submit(
        actor=actor, task=request.task, percent=percent, progress=progress, problems=problems, next_steps=next_steps, today=today
    )


@transaction.atomic
def request_solve(*, actor, request: Request, evidence: str, today: dt.date | None = None) -> Request:
    """办结: the lead unit reports the problem solved; the task asks for closure (申请销号)."""
    _lead_only(actor, request)
    if request.status != Status.PROPOSED:
        raise Invalid(_("请先提出解决方案，再申报办结。"))
    task_services.closure_request(actor=actor, task=request.task, evidence=evidence, today=today)
    Request.objects.filter(pk=request.pk).update(status=Status.SOLVED, version=request.version + 1)
    request.refresh_from_db()
    return request


# --- verification and call-back ------------------------------------------------------------------
@transaction.atomic
def request_callback(
    *,
    actor,
    request: Request,
    outcome: str,
    satisfaction: str,
    reason: str = "",
    reply: str = "",
    called_on: dt.date | None = None,
    today: dt.date | None = None,
) -> CallBack:
    """核验销号 and 回访: the office calls the company. 满意 or 基本满意 → the task is closed (销号)
    and the request done; 不满意 (with the company's reason) → the closure is returned and the
    unit works on (重办)."""
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以核验销号和回访。"))
    if request.status != Status.SOLVED:
        raise Invalid(_("只有已办结待核验的诉求可以回访销号。"))
    if satisfaction not in Satisfaction.values:
        raise Invalid(_("请选择企业满意度。"))
    outcome, reason, reply = _text(outcome, 300), _text(reason, 2000), _text(reply, 5000)
    if not outcome:
        raise Invalid(_("请填写回访情况。"))
    if satisfaction == Satisfaction.UNSATISFIED and not reason:
        raise Invalid(_("企业不满意时须填写理由。"))
    today = today or timezone.localdate()
    called_on = called_on or today
    if called_on > today:
        raise Invalid(_("回访日期不能晚于今天。"))
    callback = CallBack.objects.create(
        request=request, called_on=called_on, outcome=outcome, satisfaction=satisfaction, reason=reason, recorded_by=actor
    )
    task = request.task
    if satisfaction == Satisfaction.UNSATISFIED:
        task_services.closure_return(actor=actor, task=task, reason=_("企业回访不满意：%(reason)s") % {"reason": reason}, today=today)
        fields = {"status": Status.PROPOSED, "reopened": request.reopened + 1}
    else:
        task_services.closure_verify(actor=actor, task=task, note=outcome, today=today)
        fields = {"status": Status.CLOSED, "solved_on": today}
    if reply:
        fields["reply"] = reply
    Request.objects.filter(pk=request.pk).update(version=request.version + 1, **fields)
    request.refresh_from_db()
    return callback


@transaction.atomic
def request_reply(*, actor, request: Request, reply: str) -> Request:
    """The office's reply to the company, shown on the public status page."""
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以答复企业。"))
    Request.objects.filter(pk=request.pk).update(reply=_text(reply, 5000), version=request.version + 1)
    request.refresh_from_db()
    return request


def is_overdue(request: Request, today: dt.date) -> bool:
    return request.status in (Status.ASSIGNED, Status.PROPOSED, Status.SOLVED) and bool(request.solve_by) and request.solve_by < today


def task_active(request: Request) -> bool:
    return request.task is not None and request.task.status in workflow.ACTIVE_STATES
