"""Changes to the project ledger. Each function takes the actor first, decides permission once,
and runs in one transaction; the backing task is created and changed through the task services,
so its history, reports and health follow the same rules as every task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Conflict, Forbidden, Invalid
from luoshi.tasks.assess import health_refresh
from luoshi.tasks import services as task_services
from luoshi.tasks.models import TaskKind

from . import access
from .models import Batch, MonthlyReport, Project, ProjectStage, Stage

DEFAULT_STAGES = ("谋划", "签约", "开工", "投产")


def stages() -> list[Stage]:
    """The office's active stages in order; the default four on first use."""
    found = list(Stage.objects.filter(active=True))
    if not found and not Stage.objects.exists():
        names = getattr(settings, "LUOSHI", {}).get("PROJECT_STAGES") or DEFAULT_STAGES
        found = [Stage.objects.get_or_create(name=name, defaults={"position": i})[0] for i, name in enumerate(names, 1)]
    return found


def money(value, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise Invalid(_("%(field)s须为数字（万元）。") % {"field": label}) from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise Invalid(_("%(field)s须为非负数（万元）。") % {"field": label})
    return amount


def _current_stage(project: Project) -> Stage | None:
    rows = list(project.stages.select_related("stage").order_by("stage__position"))
    reached = [r.stage for r in rows if r.actual_on]
    if reached:
        return reached[-1]
    return rows[0].stage if rows else None


def _task_window(plan_year: int, stage_dates: Mapping[int, tuple]) -> tuple[dt.date, dt.date]:
    planned = [p for p, _a in stage_dates.values() if p]
    start = dt.date(plan_year, 1, 1)
    deadline = max([dt.date(plan_year, 12, 31), *planned])
    return start, deadline


def _save_stages(project: Project, stage_dates: Mapping[int, tuple]) -> None:
    known = {s.pk for s in Stage.objects.all()}
    for stage_id, (planned_on, actual_on) in stage_dates.items():
        if stage_id not in known:
            raise Invalid(_("未知的项目阶段。"))
        ProjectStage.objects.update_or_create(project=project, stage_id=stage_id, defaults={"planned_on": planned_on, "actual_on": actual_on})


def _check_plan(name: str, lead_unit, plan_year) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("项目名称不能为空。"))
    if lead_unit is None:
        raise Invalid(_("请选择责任单位。"))
    if not plan_year or not 2000 <= int(plan_year) <= 2100:
        raise Invalid(_("计划年度不正确。"))
    return name[:200]


@transaction.atomic
def project_create(
    *,
    actor,
    name: str,
    lead_unit,
    plan_year: int,
    co_units: Iterable = (),
    lead_leader=None,
    content: str = "",
    location: str = "",
    industry: str = "",
    total_investment=0,
    annual_plan=0,
    batch: Batch | None = None,
    problems: str = "",
    stage_dates: Mapping[int, tuple] | None = None,
    today: dt.date | None = None,
) -> Project:
    """Enter a project in the ledger (supervisors): its task of kind 项目 is created and published
    at once, reporting monthly, running from 1 January of the plan year to the last planned stage
    (at least 31 December)."""
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以登记项目。"))
    today = today or timezone.localdate()
    name = _check_plan(name, lead_unit, plan_year)
    total, plan = money(total_investment, _("总投资")), money(annual_plan, _("年度计划投资"))
    stage_dates = dict(stage_dates or {})
    start, deadline = _task_window(int(plan_year), stage_dates)
    task = task_services.task_create(
        actor=actor, title=name, lead_unit=lead_unit, co_units=co_units, lead_leader=lead_leader, measures=content,
        start_on=start, deadline=deadline, cadence="monthly", kind=TaskKind.PROJECT, tags=industry[:50],
    )
    task_services.task_publish(actor=actor, task=task, today=today)
    project = Project(
        task=task, name=name, content=content, location=location[:200], industry=industry[:50], total_investment=total,
        plan_year=int(plan_year), annual_plan=plan, batch=batch, problems=problems,
    )
    project._history_user = actor
    project.save()
    for stage in stages():
        stage_dates.setdefault(stage.pk, (None, None))
    _save_stages(project, stage_dates)
    project.stage = _current_stage(project)
    project.save(update_fields=["stage"])
    health_refresh(task=task, today=today)
    return project


PLAN_FIELDS = {"name", "content", "location", "industry", "total_investment", "annual_plan", "plan_year", "batch", "problems"}


@transaction.atomic
def project_update(
    *,
    actor,
    project: Project,
    expected_version: int,
    lead_unit=None,
    co_units: Iterable | None = None,
    lead_leader=None,
    stage_dates: Mapping[int, tuple] | None = None,
    today: dt.date | None = None,
    **changes,
) -> Project:
    """Change a project's plan (supervisors); refused when someone saved it since
    `expected_version` was read."""
    if not access.may_edit(actor, project):
        raise Forbidden(_("只有督查员可以修改项目。"))
    unknown = set(changes) - PLAN_FIELDS
    if unknown:
        raise Invalid(f"unknown fields: {sorted(unknown)}")
    today = today or timezone.localdate()
    if "total_investment" in changes:
        changes["total_investment"] = money(changes["total_investment"], _("总投资"))
    if "annual_plan" in changes:
        changes["annual_plan"] = money(changes["annual_plan"], _("年度计划投资"))
    name = _check_plan(changes.get("name", project.name), lead_unit or project.task.lead_unit, changes.get("plan_year", project.plan_year))
    changes["name"] = name
    updated = Project.objects.filter(pk=project.pk, version=expected_version).update(version=expected_version + 1)
    if not updated:
        raise Conflict(_("该项目已被他人修改，请刷新页面后再保存（您的修改未保存）。"))
    for field, value in changes.items():
        setattr(project, field, value)
    project.version = expected_version + 1
    if stage_dates:
        _save_stages(project, stage_dates)
    project.stage = _current_stage(project)
    project._history_user = actor
    project.save()
    all_dates = {r.stage_id: (r.planned_on, r.actual_on) for r in project.stages.all()}
    start, deadline = _task_window(project.plan_year, all_dates)
    task = project.task
    task_changes = {"title": name, "measures": project.content, "start_on": start, "deadline": deadline}
    if lead_unit is not None:
        task_changes["lead_unit"] = lead_unit
    if lead_leader is not None:
        task_changes["lead_leader"] = lead_leader
    if not task.is_terminal:
        task_services.task_update(actor=actor, task=task, expected_version=task.version, co_units=co_units, **task_changes)
    health_refresh(task=task, today=today)
    return project


@transaction.atomic
def stage_reach(*, actor, project: Project, stage: Stage, actual_on: dt.date, today: dt.date | None = None) -> ProjectStage:
    """Record the date a stage was reached (签约、开工、投产…): the lead unit or a supervisor."""
    if not access.may_report(actor, project):
        raise Forbidden(_("只有项目责任单位或督查员可以填报节点。"))
    today = today or timezone.localdate()
    if actual_on is None or actual_on > today:
        raise Invalid(_("实际日期不能晚于今天。"))
    row, _created = ProjectStage.objects.get_or_create(project=project, stage=stage)
    row.actual_on = actual_on
    row._history_user = actor
    row.save()
    project.stage = _current_stage(project)
    project.save(update_fields=["stage", "updated_at"])
    health_refresh(task=project.task, today=today)
    return row


def month_totals(project: Project, year: int | None = None) -> dict[int, Decimal]:
    year = year or project.plan_year
    return {r.month: r.amount for r in project.monthly_reports.filter(year=year)}


def completion_percent(project: Project, totals: Mapping[int, Decimal] | None = None) -> float | None:
    """完成率: the year's reported investment as a share of the annual plan."""
    totals = month_totals(project) if totals is None else totals
    if not project.annual_plan:
        return None
    return round(float(sum(totals.values(), Decimal(0)) * 100 / project.annual_plan), 1)


@transaction.atomic
def monthly_report_submit(
    *,
    actor,
    project: Project,
    year: int,
    month: int,
    amount,
    image_progress: str,
    problems: str = "",
    today: dt.date | None = None,
) -> MonthlyReport:
    """月报 by the lead unit: the month's investment and 形象进度. Filed as the task's progress
    report for that month; its percent is the year's completion of the annual plan (capped at 100)."""
    if not access.may_file_month(actor, project):
        raise Forbidden(_("只有项目责任单位可以报送月报。"))
    today = today or timezone.localdate()
    if not (1 <= int(month) <= 12) or int(year) != project.plan_year:
        raise Invalid(_("月份不正确：只能报送%(year)d年1–12月。") % {"year": project.plan_year})
    if dt.date(int(year), int(month), 1) > today:
        raise Invalid(_("不能报送未来月份。"))
    amount = money(amount, _("当月完成投资"))
    image_progress = (image_progress or "").strip()
    if not image_progress:
        raise Invalid(_("请填写形象进度。"))
    if MonthlyReport.objects.filter(project=project, year=year, month=month).exists():
        raise Invalid(_("%(year)d年%(month)d月的月报已报送。") % {"year": year, "month": month})
    totals = month_totals(project, int(year))
    totals[int(month)] = amount
    percent = min(100, int(completion_percent(project, totals) or 0))
    # The month's row first, so the health computed when the task's report lands counts it.
    row = MonthlyReport.objects.create(
        project=project, year=year, month=month, amount=amount, image_progress=image_progress[:5000], problems=problems[:5000],
        submitted_by=actor,
    )
    if problems.strip():
        Project.objects.filter(pk=project.pk).update(problems=problems.strip()[:5000])
    key = f"{int(year)}-{int(month):02d}"
    # A month before the project entered the ledger is history: kept here, owed to nobody.
    if key in {p.key for p in task_services.reportable_periods(project.task, today)}:
        row.report = task_services.report_submit(
            actor=actor, task=project.task, percent=percent, progress=image_progress, problems=problems, period_key=key, today=today,
        )
        row.save(update_fields=["report"])
    else:
        health_refresh(task=project.task, today=today)
    return row


@transaction.atomic
def months_record(*, actor, project: Project, amounts: Mapping[int, object], today: dt.date | None = None) -> list[MonthlyReport]:
    """The investment of months before the project entered the ledger (brought over from the
    office's spreadsheet): kept for the year's totals, not progress reports of the task."""
    if not access.may_report(actor, project):
        raise Forbidden(_("只有项目责任单位或督查员可以填报。"))
    today = today or timezone.localdate()
    entered = project.task.published_on or today
    rows = []
    for month, value in sorted(amounts.items()):
        if not 1 <= int(month) <= 12 or dt.date(project.plan_year, int(month), 1) >= entered.replace(day=1):
            raise Invalid(_("只能补录项目入库以前的月份。"))
        if MonthlyReport.objects.filter(project=project, year=project.plan_year, month=month).exists():
            raise Invalid(_("%(year)d年%(month)d月的月报已报送。") % {"year": project.plan_year, "month": int(month)})
        rows.append(MonthlyReport.objects.create(
            project=project, year=project.plan_year, month=int(month), amount=money(value, _("当月完成投资")),
            image_progress=_("入库前完成"), submitted_by=actor,
        ))
    health_refresh(task=project.task, today=today)
    return rows


@transaction.atomic
def flags_set(*, actor, project: Project, stalled: bool, idle: bool, note: str = "") -> Project:
    """Mark a project stalled or idle (盘活) with the measures taken — supervisors."""
    if not access.may_edit(actor, project):
        raise Forbidden(_("只有督查员可以标记停滞或闲置项目。"))
    project.stalled, project.idle, project.revival_note = bool(stalled), bool(idle), (note or "").strip()[:2000]
    project._history_user = actor
    project.save(update_fields=["stalled", "idle", "revival_note", "updated_at"])
    return project


@transaction.atomic
def batch_create(*, actor, year: int, quarter: int, stage: Stage, name: str = "") -> Batch:
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以设置批次。"))
    if quarter not in (1, 2, 3, 4):
        raise Invalid(_("季度须为1–4。"))
    name = name.strip() or _("%(year)d年第%(quarter)d季度%(stage)s一批") % {"year": year, "quarter": quarter, "stage": stage.name}
    batch, _created = Batch.objects.get_or_create(name=name, defaults={"year": year, "quarter": quarter, "stage": stage})
    return batch
