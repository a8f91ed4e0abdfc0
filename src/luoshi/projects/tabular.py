"""The 项目台账 spreadsheet as offices keep it: export in their layout and import of the same
layout (read → validate → apply all or nothing, with a dry run), on the toolkit in
`luoshi.core.spreadsheets`.

Layout: 序号, 项目名称, 建设内容, 总投资, 年度计划, 1–N月完成, 完成率, 当前阶段, 责任单位,
责任领导, 存在问题 — the investment columns under one merged header, amounts in 万元. An import
reads the plan columns (and, when present, a planned date per stage, e.g. “开工计划日期”); the
completed investment comes from the units' monthly reports and is not imported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Forbidden, LuoshiError
from luoshi.core.spreadsheets import (
    Column,
    ImportReport,
    SpreadsheetError,
    find_header,
    open_workbook,
    parse_date,
    sheet_title,
    sheet_values,
    workbook_bytes,
    write_table,
)
from luoshi.orgs import jobs
from luoshi.orgs.models import Role, Unit, User

from . import access, services
from .health import completed_months
from .models import MonthlyReport, Project, Stage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def export_months(projects: list[Project], plan_year: int, today: dt.date) -> int:
    """N of “1–N月完成”: the latest month any exported project reported for, else the months
    completed so far."""
    reported = [r.month for p in projects for r in p.monthly_reports.all() if r.year == plan_year]
    return max(reported) if reported else max(1, completed_months(plan_year, today))


def ledger_rows(projects: list[Project], months: int) -> list[list]:
    rows = []
    for p in projects:
        done = sum((r.amount for r in p.monthly_reports.all() if r.year == p.plan_year and r.month <= months), Decimal(0))
        rate = f"{float(done * 100 / p.annual_plan):.1f}%" if p.annual_plan else "—"
        rows.append([
            p.name, p.content, _amount(p.total_investment), _amount(p.annual_plan), _amount(done), rate,
            p.stage.name if p.stage else "", p.task.lead_unit.display_name if p.task.lead_unit else "",
            str(p.task.lead_leader) if p.task.lead_leader else "", p.problems,
        ])
    return rows


def export_ledger(projects, *, plan_year: int | None = None, today: dt.date | None = None, title: str | None = None) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of the ledger for the given projects (already cut to the viewer)."""
    from openpyxl import Workbook

    today = today or timezone.localdate()
    projects = list(
        projects.select_related("stage", "task__lead_unit", "task__lead_leader").prefetch_related(
            Prefetch("monthly_reports", queryset=MonthlyReport.objects.order_by("year", "month"))
        ).order_by("batch__year", "pk")
    )
    plan_year = plan_year or (projects[0].plan_year if projects else today.year)
    months = export_months(projects, plan_year, today)
    invest = _("投资情况（万元）")
    columns = [
        Column(_("项目名称"), 24), Column(_("建设内容"), 36),
        Column(_("总投资"), 10, group=invest, wrap=False), Column(_("年度计划"), 10, group=invest, wrap=False),
        Column(_("1–%(n)d月完成") % {"n": months}, 11, group=invest, wrap=False), Column(_("完成率"), 9, group=invest, wrap=False),
        Column(_("当前阶段"), 9, wrap=False), Column(_("责任单位"), 14), Column(_("责任领导"), 10), Column(_("存在问题"), 30),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(_("项目台账"))
    write_table(
        ws, title=title or _("%(year)d年重点项目建设台账") % {"year": plan_year}, columns=columns, rows=ledger_rows(projects, months),
        subtitle=_("截至%(date)s　共%(n)d个项目") % {"date": today.isoformat(), "n": len(projects)},
    )
    return f"项目台账-{today:%Y%m%d}.xlsx", workbook_bytes(wb)


# --- import ------------------------------------------------------------------------------------
COLUMNS = {
    "name": ("项目名称",),
    "content": ("建设内容", "建设规模及内容", "主要建设内容"),
    "total": ("总投资", "总投资(万元)", "总投资（万元）"),
    "plan": ("年度计划", "年度计划投资", "年度计划(万元)", "年度计划投资（万元）"),
    "stage": ("当前阶段", "项目阶段"),
    "unit": ("责任单位", "牵头单位"),
    "leader": ("责任领导", "分包领导", "牵头领导"),
    "problems": ("存在问题", "存在的问题"),
    "location": ("建设地点",),
    "industry": ("所属行业", "行业"),
}
REQUIRED = ("name", "unit")


@dataclass
class ProjectRow:
    row: int
    name: str
    unit: Unit
    content: str = ""
    total: Decimal = Decimal(0)
    plan: Decimal = Decimal(0)
    leader: User | None = None
    problems: str = ""
    location: str = ""
    industry: str = ""
    stage: Stage | None = None
    planned: dict[int, dt.date | None] = field(default_factory=dict)


def _unit_index() -> dict[str, Unit]:
    index: dict[str, Unit] = {}
    for unit in Unit.objects.filter(active=True):
        for name in unit.all_names():
            index.setdefault(name, unit)
    return index


def _decimal(value, report: ImportReport, row: int, column: str) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        report.error(row, _("“%(value)s”不是数字（单位：万元）") % {"value": value}, column)
        return Decimal(0)
    if amount < 0:
        report.error(row, _("不能为负数"), column)
    return amount


def read_ledger(data: bytes) -> tuple[list[ProjectRow], ImportReport]:
    """Read and validate every row; nothing is saved here."""
    report = ImportReport()
    wb = open_workbook(data)
    rows = sheet_values(wb.worksheets[0])
    stages = list(Stage.objects.filter(active=True))
    columns = dict(COLUMNS)
    for stage in stages:
        columns[f"planned_{stage.pk}"] = (f"{stage.name}计划日期", f"{stage.name}时间", f"计划{stage.name}时间")
    header_at, found = find_header(rows, columns, REQUIRED)
    units = _unit_index()
    leaders = {u.name: u for u in User.objects.filter(role=Role.LEADER, is_active=True)}
    by_stage = {s.name: s for s in stages}
    parsed: list[ProjectRow] = []
    seen: dict[str, int] = {}

    def cell(values, key):
        index = found.get(key)
        return values[index] if index is not None and index < len(values) else None

    for offset, values in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if all(v is None for v in values):
            continue
        name = str(cell(values, "name") or "").strip()
        if not name:
            report.error(offset, _("项目名称不能为空"), _("项目名称"))
            continue
        if name in seen:
            report.error(offset, _("与第%(row)d行的项目重名") % {"row": seen[name]}, _("项目名称"))
            continue
        seen[name] = offset
        unit_text = str(cell(values, "unit") or "").strip()
        unit = units.get(unit_text.split("、")[0].split("，")[0]) if unit_text else None
        if unit is None:
            report.error(offset, _("找不到单位“%(unit)s”（请使用通讯录中的单位名称或简称）") % {"unit": unit_text}, _("责任单位"))
            continue
        leader_text = str(cell(values, "leader") or "").strip()
        leader = leaders.get(leader_text) if leader_text else None
        if leader_text and leader is None:
            report.error(offset, _("找不到领导“%(name)s”") % {"name": leader_text}, _("责任领导"))
        stage_text = str(cell(values, "stage") or "").strip()
        stage = by_stage.get(stage_text) if stage_text else None
        if stage_text and stage is None:
            report.error(offset, _("未知的阶段“%(stage)s”（可选：%(all)s）") % {"stage": stage_text, "all": "、".join(by_stage)}, _("当前阶段"))
        planned = {}
        for s in stages:
            value = cell(values, f"planned_{s.pk}")
            if value in (None, ""):
                continue
            try:
                planned[s.pk] = parse_date(value)
            except ValueError as exc:
                report.error(offset, str(exc), f"{s.name}计划日期")
        parsed.append(ProjectRow(
            row=offset, name=name[:200], unit=unit, leader=leader, stage=stage, planned=planned,
            content=str(cell(values, "content") or "")[:5000], problems=str(cell(values, "problems") or "")[:5000],
            location=str(cell(values, "location") or "")[:200], industry=str(cell(values, "industry") or "")[:50],
            total=_decimal(cell(values, "total"), report, offset, _("总投资")), plan=_decimal(cell(values, "plan"), report, offset, _("年度计划")),
        ))
    if not parsed and not report.errors:
        report.error(header_at + 2, _("表中没有项目。"))
    return parsed, report


def import_ledger(*, actor, data: bytes, plan_year: int, dry_run: bool = False, today: dt.date | None = None) -> ImportReport:
    """Import the ledger: a project of the same name and plan year is updated, any other created.
    Nothing is saved when any row is wrong, or on a dry run."""
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以导入项目台账。"))
    rows, report = read_ledger(data)
    existing = {p.name: p for p in Project.objects.filter(plan_year=plan_year).select_related("task")}
    for row in rows:
        (report.updated if row.name in existing else report.created).append(row.name)
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for row in rows:
                _apply(actor, row, existing.get(row.name), plan_year, today)
    except LuoshiError as exc:
        report.created, report.updated = [], []
        report.error(0, str(exc))
    return report


def _apply(actor, row: ProjectRow, project: Project | None, plan_year: int, today) -> None:
    stage_dates = {pk: (planned, None) for pk, planned in row.planned.items()}
    if row.stage is not None:
        # The stage the office says the project has reached, and every earlier one, count as
        # reached; the import has no date for them, so the plan date (or the import day) stands in.
        for s in Stage.objects.filter(active=True, position__lte=row.stage.position):
            planned = stage_dates.get(s.pk, (None, None))[0]
            stage_dates[s.pk] = (planned, planned or today or timezone.localdate())
    fields = dict(name=row.name, content=row.content, location=row.location, industry=row.industry,
                  total_investment=row.total, annual_plan=row.plan, problems=row.problems)
    if project is None:
        services.project_create(actor=actor, lead_unit=row.unit, lead_leader=row.leader, plan_year=plan_year, stage_dates=stage_dates, today=today, **fields)
    else:
        known = {r.stage_id: (r.planned_on, r.actual_on) for r in project.stages.all()}
        merged = {pk: (planned or known.get(pk, (None, None))[0], actual or known.get(pk, (None, None))[1]) for pk, (planned, actual) in stage_dates.items()}
        services.project_update(actor=actor, project=project, expected_version=project.version, lead_unit=row.unit,
                                lead_leader=row.leader, stage_dates=merged, today=today, **fields)


def _ledger_job(job) -> jobs.JobOutput:
    """A large 项目台账 import, run by a background job through the same service as the page."""
    report = import_ledger(actor=job.user, data=jobs.input_bytes(job), plan_year=int(job.params["plan_year"]), dry_run=job.dry_run)
    return jobs.JobOutput(rows=job.total or 0, summary=jobs.report_summary(report, dry_run=job.dry_run))


jobs.register("import:projects", _ledger_job)
