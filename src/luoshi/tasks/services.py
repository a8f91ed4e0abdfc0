"""Changes to tasks. Every write goes through one of these functions (views, API, commands, tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Forbidden, Invalid
from luoshi.core.versioning import update_checked
from luoshi.orgs import access as orgs_access
from luoshi.orgs.access import require_actor, user_or_none
from luoshi.tasks import periods as P
from luoshi.tasks.assess import health_refresh

from . import access, assess, rules, workflow
from .models import (
    Attachment,
    ExtensionRequest,
    ExtensionStatus,
    Instruction,
    Milestone,
    ProgressReport,
    Task,
    TaskKind,
    TaskTransition,
)






def _next_position(*, directive_id, parent_id) -> int:
    siblings = Task.objects.filter(parent_id=parent_id)
    if parent_id is None:
        siblings = siblings.filter(directive_id=directive_id)
    return (siblings.aggregate(m=Max("position"))["m"] or 0) + 1


def check_plan(*, start_on: dt.date | None, deadline: dt.date | None, cadence: str, due_day: int | None,
               published_on: dt.date | None = None) -> None:
    """Refuse a plan that ``rules.plan_problems`` finds wrong: every path that sets a start, a
    deadline or a cadence (forms, API, decomposition rows and imports, publication, extensions)
    goes through here or through that rule."""
    problems = rules.plan_problems(start_on=start_on, deadline=deadline, cadence=cadence, due_day=due_day, published_on=published_on)
    if problems:
        raise Invalid(problems[0][1], [message for _field, message in problems[1:]])


def _number(parent: Task | None, position: int) -> str:
    return f"{parent.number}.{position}" if parent and parent.number else str(position)


@transaction.atomic
def task_create(
    *,
    actor,
    title: str,
    lead_unit=None,
    co_units: Iterable = (),
    directive=None,
    parent: Task | None = None,
    measures: str = "",
    lead_leader=None,
    responsible_person=None,
    start_on: dt.date | None = None,
    deadline: dt.date | None = None,
    deadline_text: str = "",
    cadence: str = "monthly",
    due_day: int | None = None,
    kind: str = "key",
    tags: str = "",
    target_text: str = "",
    target_value=None,
    source_start: int | None = None,
    source_end: int | None = None,
    source_text: str = "",
    milestones: Iterable[tuple[dt.date, str, int]] = (),
) -> Task:
    """Create a draft task (publish it with `task_publish`). Sub-tasks inherit the directive."""
    require_actor(actor)
    if not access.may_edit_plan(actor):
        raise Forbidden(_("只有督查员可以创建任务。"))
    title = (title or "").strip()
    if not title:
        raise Invalid(_("工作任务不能为空。"))
    check_plan(start_on=start_on, deadline=deadline, cadence=cadence, due_day=due_day)
    if parent is not None:
        directive = parent.directive
    position = _next_position(directive_id=directive.pk if directive else None, parent_id=parent.pk if parent else None)
    task = Task(
        title=title[:300],
        directive=directive,
        parent=parent,
        position=position,
        number=_number(parent, position),
        measures=measures,
        lead_unit=lead_unit,
        lead_leader=lead_leader,
        responsible_person=responsible_person,
        start_on=start_on,
        deadline=deadline,
        deadline_text=deadline_text[:100],
        cadence=cadence,
        due_day=due_day,
        kind=kind,
        tags=tags,
        target_text=target_text,
        target_value=target_value,
        source_start=source_start,
        source_end=source_end,
        source_text=source_text,
        created_by=actor,
    )
    task.save()
    co = [u for u in co_units if lead_unit is None or u.pk != lead_unit.pk]
    if co:
        task.co_units.set(co)
    for due_on, description, percent in milestones:
        Milestone.objects.create(task=task, due_on=due_on, description=description, planned_percent=percent)
    return task


def _bump(task: Task, expected_version: int | None, **fields) -> None:
    """Save `fields` only if nobody changed the task since `expected_version` was read."""
    update_checked(
        task, expected_version=expected_version, conflict=_("该任务已被他人修改，请刷新页面后再保存（您的修改未保存）。"), **fields
    )


@transaction.atomic
def task_transition(
    *,
    actor,
    task: Task,
    action: str,
    reason: str = "",
    evidence: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> TaskTransition:
    """Move a task through the workflow table, recording who, when and why."""
    require_actor(actor)
    if not access.may_act(actor, task, action):
        label = workflow.ACTION_LABELS.get(action, action)
        raise Forbidden(_("无权对该任务执行“%(action)s”操作") % {"action": label})
    roles = access.task_roles(actor, task)
    try:
        step = workflow.check(task.status, action, roles, reason=reason)
    except workflow.InvalidTransition as exc:
        raise Invalid(str(exc)) from exc
    if action == "publish":
        missing = [label for label, value in ((_("牵头单位"), task.lead_unit_id), (_("完成时限"), task.deadline)) if not value]
        if missing:
            raise Invalid(_("发布前请填写：%(fields)s。") % {"fields": "、".join(missing)})
    today = today or timezone.localdate()
    if action == "publish":
        check_plan(start_on=task.start_on, deadline=task.deadline, cadence=task.cadence, due_day=task.due_day, published_on=today)
    fields = {"status": step.target, "status_changed_at": timezone.now()}
    if action == "publish":
        fields["published_on"] = today
        if task.start_on is None:
            fields["start_on"] = today
    if step.target == workflow.CLOSED:
        fields["closed_on"] = today
    from_status = task.status
    _bump(task, expected_version, **fields)
    record = TaskTransition.objects.create(
        task=task, action=action, from_status=from_status, to_status=step.target, actor=actor, reason=reason, evidence=evidence
    )

    health_refresh(task=task, today=today)
    return record


def task_publish(*, actor, task: Task, today: dt.date | None = None) -> TaskTransition:
    return task_transition(actor=actor, task=task, action="publish", today=today)


EDITABLE_FIELDS = {
    "title", "measures", "target_text", "target_value", "kind", "tags", "lead_leader", "lead_unit",
    "responsible_person", "start_on", "deadline", "deadline_text", "cadence", "due_day",
}


@transaction.atomic
def task_update(*, actor, task: Task, expected_version: int, co_units: Iterable | None = None, **changes) -> Task:
    """Edit a task's plan (supervisors). Refused when the task changed since `expected_version`."""
    require_actor(actor)
    if not access.may_edit_plan(actor):
        raise Forbidden(_("只有督查员可以修改任务。"))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise Invalid(f"unknown fields: {sorted(unknown)}")
    if task.is_terminal:
        raise Invalid(_("已销号或已撤销的任务不能修改。"))
    check_plan(
        start_on=changes.get("start_on", task.start_on), deadline=changes.get("deadline", task.deadline),
        cadence=changes.get("cadence", task.cadence), due_day=changes.get("due_day", task.due_day), published_on=task.published_on,
    )
    _bump(task, expected_version, **changes)
    if co_units is not None:
        task.co_units.set([u for u in co_units if u.pk != task.lead_unit_id])
    # A save() after the guarded update writes the history row with the actor.
    task._history_user = user_or_none(actor)
    task.save(update_fields=list(changes) or ["updated_at"])

    health_refresh(task=task)
    return task


# --- attachments -----------------------------------------------------------------------------
# Allowed types by extension, each with the bytes its files start with, so a renamed program is
# refused as well as a wrong extension.
ALLOWED_ATTACHMENTS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".zip": ("application/zip", (b"PK\x03\x04", b"PK\x05\x06")),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
MAX_ATTACHMENTS = 10


def attachment_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "TASK_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def check_attachments(files: Iterable) -> list:
    """Validate uploads before anything is written; raises Invalid naming the first bad file."""
    import os

    files = [f for f in files if f]
    if len(files) > MAX_ATTACHMENTS:
        raise Invalid(_("附件最多 %(n)d 个。") % {"n": MAX_ATTACHMENTS})
    limit = attachment_max_bytes()
    for upload in files:
        name = os.path.basename(getattr(upload, "name", "") or "")
        ext = os.path.splitext(name)[1].lower()
        if ext not in ALLOWED_ATTACHMENTS:
            raise Invalid(
                _("附件“%(name)s”的类型不允许，只接受 PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG、ZIP 文件。") % {"name": name}
            )
        if upload.size > limit:
            raise Invalid(
                _("附件“%(name)s”过大（%(size).1f MB），单个附件不能超过 %(limit).0f MB。")
                % {"name": name, "size": upload.size / 1048576, "limit": limit / 1048576}
            )
        if upload.size == 0:
            raise Invalid(_("附件“%(name)s”是空文件。") % {"name": name})
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in ALLOWED_ATTACHMENTS[ext][1]):
            raise Invalid(_("附件“%(name)s”的内容与扩展名不符。") % {"name": name})
    return files


def _attach(*, actor, task: Task, files: list, report=None, transition=None) -> list:
    """Store validated uploads. Called last in a service, after every check, so a refusal never
    leaves a file behind; a failure part-way removes the files already written."""
    import os


    saved: list = []
    try:
        for upload in files:
            name = os.path.basename(upload.name)[:255]
            ext = os.path.splitext(name)[1].lower()
            attachment = Attachment(
                task=task, report=report, transition=transition, name=name, size=upload.size,
                content_type=ALLOWED_ATTACHMENTS[ext][0], uploaded_by=actor,
            )
            attachment.file.save(name, upload, save=False)
            saved.append(attachment)
            attachment.save()
    except Exception:
        for attachment in saved:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return saved


# --- progress reports --------------------------------------------------------------------------


def reportable_periods(task: Task, today: dt.date):
    """The periods a unit may report for today, newest first: the current one and the owed ones
    of the last few periods (a report for a past period is accepted, and marked late). A task
    without a cadence reports ad hoc: one period per day."""

    if task.cadence == P.NONE or task.cadence not in P.CADENCES:
        due = max(today, task.deadline) if task.deadline else today
        return [P.Period(start=today, end=today, due=due, key=today.isoformat(), cadence=P.NONE)]
    current = P.period_for(task.cadence, task.due_day, today)
    owed = owed_periods(task, today)
    return [current] + [p for p in reversed(owed) if p.key != current.key]


def owed_periods(task: Task, today: dt.date) -> list:
    """``rules.periods_owed`` for one task (oldest first): what every unit on it owes by today."""
    owed_from = rules.reporting_from(start_on=task.start_on, published_on=task.published_on)
    closed_on = task.closed_on if task.status == workflow.CLOSED else None
    return rules.periods_owed(task.cadence, task.due_day, owed_from=owed_from, today=today, closed_on=closed_on,
                              stopped_on=assess.stopped_on(task))


def _report_text(value: str, limit: int = 5000) -> str:
    return (value or "").strip()[:limit]


def _percent(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(_("完成进度须为 0–100 的整数。")) from None
    if not 0 <= number <= 100:
        raise Invalid(_("完成进度须为 0–100 的整数。"))
    return number


@transaction.atomic
def report_submit(
    *,
    actor,
    task: Task,
    percent: int,
    progress: str,
    problems: str = "",
    next_steps: str = "",
    unit=None,
    period_key: str | None = None,
    attachments: Iterable = (),
    today: dt.date | None = None,
):
    """进展报送 by the lead unit or a co-unit for one period (default: the current one). Late when
    submitted after the period's due date. Recomputes the task's health."""
    from django.db import IntegrityError



    today = today or timezone.localdate()
    unit_ids = access.report_unit_ids(actor, task)
    if not unit_ids:
        raise Forbidden(_("您所在单位不是该任务的牵头单位或责任单位，不能报送进展。"))
    unit_id = unit_ids[0] if unit is None else getattr(unit, "pk", unit)
    if unit_id not in unit_ids:
        raise Forbidden(_("您不能代该单位报送进展。"))
    if task.status not in workflow.ACTIVE_STATES:
        raise Invalid(_("任务当前状态为“%(status)s”，不能报送进展。") % {"status": workflow.STATE_LABELS[task.status]})
    percent = _percent(percent)
    progress = _report_text(progress)
    if not progress:
        raise Invalid(_("请填写进展情况。"))
    choices = reportable_periods(task, today)
    period = choices[0] if not period_key else next((p for p in choices if p.key == period_key), None)
    if period is None:
        raise Invalid(_("报送期不正确，请重新选择。"))
    files = check_attachments(attachments)
    if ProgressReport.objects.filter(task=task, unit_id=unit_id, period_key=period.key, superseded=False).exists():
        raise Invalid(_("%(period)s的进展已报送；如需修改，请对已报送的报告提交更正。") % {"period": period.label})
    now = timezone.now()
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                task=task, unit_id=unit_id, period_key=period.key, period_label=period.label, percent=percent,
                progress=progress, problems=_report_text(problems), next_steps=_report_text(next_steps),
                submitted_by=actor, submitted_at=now, submitted_on=today,
                late=period.cadence != P.NONE and P.is_late(period, today),
            )
    except IntegrityError:
        raise Invalid(_("%(period)s的进展已报送；如需修改，请对已报送的报告提交更正。") % {"period": period.label}) from None
    _attach(actor=actor, task=task, files=files, report=report)
    health_refresh(task=task, today=today)
    return report


@transaction.atomic
def report_correct(
    *,
    actor,
    report,
    percent: int,
    progress: str,
    problems: str = "",
    next_steps: str = "",
    attachments: Iterable = (),
    today: dt.date | None = None,
):
    """更正: a new report for the same task, unit and period that supersedes `report`, which stays
    as it was (marked superseded). Lateness is that of the original submission."""


    today = today or timezone.localdate()
    task = report.task
    if report.unit_id not in access.report_unit_ids(actor, task):
        raise Forbidden(_("只有报送单位可以更正该报告。"))
    if task.is_terminal:
        raise Invalid(_("已销号或已撤销的任务不能更正报告。"))
    percent = _percent(percent)
    progress = _report_text(progress)
    if not progress:
        raise Invalid(_("请填写进展情况。"))
    files = check_attachments(attachments)
    # Claimed with a conditional update: of two corrections of one report, only one lands.
    if not ProgressReport.objects.filter(pk=report.pk, superseded=False).update(superseded=True):
        raise Invalid(_("该报告已被更正，请在最新的报告上更正。"))
    report.superseded = True
    new = ProgressReport.objects.create(
        task=task, unit_id=report.unit_id, period_key=report.period_key, period_label=report.period_label,
        percent=percent, progress=progress, problems=_report_text(problems), next_steps=_report_text(next_steps),
        submitted_by=actor, submitted_at=timezone.now(), submitted_on=today, late=report.late, supersedes=report,
    )
    _attach(actor=actor, task=task, files=files, report=new)
    health_refresh(task=task, today=today)
    return new


# --- closure -----------------------------------------------------------------------------------
@transaction.atomic
def closure_request(
    *, actor, task: Task, evidence: str, attachments: Iterable = (), expected_version: int | None = None, today: dt.date | None = None
) -> TaskTransition:
    """申请销号 by the lead unit, with a statement of what was done and supporting files. A 整改
    task must bring at least one file: rectification closes only on evidence."""

    evidence = (evidence or "").strip()
    if not evidence:
        raise Invalid(_("申请销号须填写完成情况及佐证材料说明。"))
    files = check_attachments(attachments)
    if task.kind == TaskKind.RECTIFICATION and not files:
        raise Invalid(_("整改任务申请销号须上传佐证材料。"))
    record = task_transition(
        actor=actor, task=task, action=workflow.REQUEST_CLOSURE, evidence=evidence, expected_version=expected_version, today=today
    )
    _attach(actor=actor, task=task, files=files, transition=record)
    return record


def closure_verify(*, actor, task: Task, note: str = "", expected_version: int | None = None, today: dt.date | None = None) -> TaskTransition:
    """销号 by a supervisor after checking the evidence."""
    return task_transition(
        actor=actor, task=task, action=workflow.VERIFY_CLOSURE, reason=note, expected_version=expected_version, today=today
    )


def closure_return(*, actor, task: Task, reason: str, expected_version: int | None = None, today: dt.date | None = None) -> TaskTransition:
    """退回 a closure request, with the reason the unit must address."""
    return task_transition(
        actor=actor, task=task, action=workflow.RETURN, reason=reason, expected_version=expected_version, today=today
    )


# --- extension requests ----------------------------------------------------------------------
@transaction.atomic
def extension_request(*, actor, task: Task, reason: str, new_deadline: dt.date, today: dt.date | None = None):
    """延期申请 by the lead unit, before the deadline, for a later date."""
    from django.db import IntegrityError


    today = today or timezone.localdate()
    if "lead_unit" not in access.task_roles(actor, task):
        raise Forbidden(_("只有牵头单位可以申请延期。"))
    if task.status not in (workflow.IN_PROGRESS, workflow.RETURNED):
        raise Invalid(_("任务当前状态为“%(status)s”，不能申请延期。") % {"status": workflow.STATE_LABELS[task.status]})
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请填写延期理由。"))
    if not isinstance(new_deadline, dt.date):
        raise Invalid(_("请填写申请延至的日期。"))
    if task.deadline is None:
        raise Invalid(_("该任务没有完成时限，无需申请延期。"))
    if today > task.deadline:
        raise Invalid(_("延期申请须在完成时限（%(deadline)s）前提出。") % {"deadline": task.deadline})
    if new_deadline <= task.deadline:
        raise Invalid(_("申请延至的日期须晚于原完成时限（%(deadline)s）。") % {"deadline": task.deadline})
    if ExtensionRequest.objects.filter(task=task, status=ExtensionStatus.PENDING).exists():
        raise Invalid(_("该任务已有待审批的延期申请。"))
    try:
        with transaction.atomic():
            return ExtensionRequest.objects.create(
                task=task, unit_id=task.lead_unit_id, requested_by=actor, reason=reason[:2000],
                old_deadline=task.deadline, new_deadline=new_deadline,
            )
    except IntegrityError:
        raise Invalid(_("该任务已有待审批的延期申请。")) from None


@transaction.atomic
def extension_decide(*, actor, extension, approve: bool, note: str = "", today: dt.date | None = None):
    """A supervisor approves (the deadline moves, through task_update, so the change is in the
    task's history) or refuses (with a reason) a pending extension request."""

    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以审批延期申请。"))
    note = (note or "").strip()
    if not approve and not note:
        raise Invalid(_("不同意延期须说明理由。"))
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    claimed = ExtensionRequest.objects.filter(pk=extension.pk, status=ExtensionStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note[:2000]
    )
    if not claimed:
        raise Invalid(_("该延期申请已处理。"))
    extension.refresh_from_db()
    if approve:
        task = Task.objects.get(pk=extension.task_id)
        task_update(actor=actor, task=task, expected_version=task.version, deadline=extension.new_deadline)
    return extension


# --- instructions, milestones ------------------------------------------------------------------
@transaction.atomic
def instruction_add(*, actor, task: Task, text: str):
    """领导批示 on a task."""

    if not access.may_instruct(actor, task):
        raise Forbidden(_("只有领导和督查员可以对任务作出批示。"))
    text = (text or "").strip()
    if not text:
        raise Invalid(_("请填写批示内容。"))
    return Instruction.objects.create(task=task, author=actor, text=text[:5000])


@transaction.atomic
def milestone_add(*, actor, task: Task, due_on: dt.date, description: str, planned_percent: int) -> Milestone:
    """Add a 节点 to the plan (supervisors); health follows the new plan at once."""

    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以修改任务节点。"))
    if task.is_terminal:
        raise Invalid(_("已销号或已撤销的任务不能修改。"))
    description = (description or "").strip()
    if not description:
        raise Invalid(_("请填写节点内容。"))
    if not isinstance(due_on, dt.date):
        raise Invalid(_("请填写节点日期。"))
    percent = _percent(planned_percent)
    milestone = Milestone(task=task, due_on=due_on, description=description[:300], planned_percent=percent)
    milestone._history_user = actor
    milestone.save()
    health_refresh(task=task)
    return milestone


@transaction.atomic
def milestone_remove(*, actor, milestone: Milestone) -> None:
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以修改任务节点。"))
    task = milestone.task
    if task.is_terminal:
        raise Invalid(_("已销号或已撤销的任务不能修改。"))
    milestone._history_user = actor
    milestone.delete()
    health_refresh(task=task)
