"""The 项目台账 spreadsheet as offices keep it: export in their layout and import of the same
layout (read → validate → apply all or nothing, with a dry run), on the toolkit in
`luoshi.core.spreadsheets`. An exported ledger imports back as it is: unchanged projects are
left alone, an edited cell updates its project and nothing else.

Layout: 序号, 项目名称, 建设内容, 总投资, 年度计划, 1–N月完成, 完成率, 当前阶段, 责任单位,
责任领导, 存在问题 — the investment columns under one merged header, amounts in 万元. An import
reads the plan columns (and, when present, a planned date per stage, e.g. “开工计划日期”); the
completed investment comes from the units' monthly reports and is not imported: a “1–N月完成”
figure that no longer matches them is refused rather than ignored. A column the file does not
have (建设地点 is not exported) leaves that field as it is."""

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
from luoshi.tasks.numbering import canonical_code

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
            str(p.task.lead_leader) if p.task.lead_leader else "", p.problems, p.task.citation,
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
        # Last, so the office's own layout stays as it was: the number finds the project again on
        # import even when its name was retyped in the sheet.
        Column(_("任务编号"), 12, wrap=False),
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
    "number": ("任务编号",),
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
# The plan fields each column sets; a column missing from the file changes nothing.
FIELDS = {"content": "content", "total": "total_investment", "plan": "annual_plan", "problems": "problems",
          "location": "location", "industry": "industry"}
# “1–N月完成” as the export heads it (any dash an office may type).
DONE_COLUMNS = {n: tuple(f"1{dash}{n}月完成" for dash in "–—-") for n in range(1, 13)}


@dataclass
class ProjectRow:
    row: int
    name: str
    unit: Unit
    number: str = ""
    content: str = ""
    total: Decimal = Decimal(0)
    plan: Decimal = Decimal(0)
    leader: User | None = None
    problems: str = ""
    location: str = ""
    industry: str = ""
    stage: Stage | None = None
    planned: dict[int, dt.date | None] = field(default_factory=dict)
    columns: frozenset[str] = frozenset()
    done: tuple[int, Decimal] | None = None  # (N, the “1–N月完成” figure) when the file has one

    def fields(self) -> dict:
        """The plan fields this row sets: the name, and those whose column the file has."""
        values = dict(name=self.name, content=self.content, total_investment=self.total, annual_plan=self.plan,
                      problems=self.problems, location=self.location, industry=self.industry)
        return {"name": self.name} | {f: values[f] for key, f in FIELDS.items() if key in self.columns}


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
    for n, names in DONE_COLUMNS.items():
        columns[f"done_{n}"] = names
    header_at, found = find_header(rows, columns, REQUIRED)
    done_months = next((int(key[5:]) for key in found if key.startswith("done_")), None)
    units = _unit_index()
    leaders = {u.name: u for u in User.objects.filter(role=Role.LEADER, is_active=True)}
    by_stage = {s.name: s for s in stages}
    parsed: list[ProjectRow] = []
    seen: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}

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
        # the number as the office retypes it ([2026]3-1.2, 2026-3-1.2) is the stored 〔2026〕3-1.2
        number = str(cell(values, "number") or "").strip()
        number = canonical_code(number) or number
        if number and number in seen_numbers:
            report.error(offset, _("与第%(row)d行的任务编号重复") % {"row": seen_numbers[number]}, _("任务编号"))
            continue
        if number:
            seen_numbers[number] = offset
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
        done = None
        if done_months is not None:
            done_label = _("1–%(n)d月完成") % {"n": done_months}
            done = (done_months, _decimal(cell(values, f"done_{done_months}"), report, offset, done_label))
        parsed.append(ProjectRow(
            row=offset, name=name[:200], unit=unit, number=number, leader=leader, stage=stage, planned=planned,
            columns=frozenset(found), done=done,
            content=str(cell(values, "content") or "")[:5000], problems=str(cell(values, "problems") or "")[:5000],
            location=str(cell(values, "location") or "")[:200], industry=str(cell(values, "industry") or "")[:50],
            total=_decimal(cell(values, "total"), report, offset, _("总投资")), plan=_decimal(cell(values, "plan"), report, offset, _("年度计划")),
        ))
    if not parsed and not report.errors:
        report.error(header_at + 2, _("表中没有项目。"))
    return parsed, report


def import_ledger(*, actor, data: bytes, plan_year: int, dry_run: bool = False, today: dt.date | None = None) -> ImportReport:
    """Import the ledger: the plan year's project a row names by its 任务编号 (the export writes it),
    else by its name, is updated when the row differs from it, left alone when not; a row naming
    neither is created. A number that is none of the year's projects is refused rather than
    guessed at, and so is a rename onto another project's name. Nothing is saved when any row is
    wrong, or on a dry run."""
    if not access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以导入项目台账。"))
    rows, report = read_ledger(data)
    projects = list(
        Project.objects.filter(plan_year=plan_year)
        .select_related("task", "stage")
        .prefetch_related("stages", Prefetch("monthly_reports", queryset=MonthlyReport.objects.filter(year=plan_year)))
    )
    existing = {p.name: p for p in projects}
    by_number = {p.task.citation: p for p in projects}
    today = today or timezone.localdate()
    changes: list[tuple[ProjectRow, Project | None, dict]] = []
    taken: dict[int, int] = {}
    for row in rows:
        project = _matched(row, existing, by_number, plan_year, report)
        if project is False:
            continue
        if project is not None and project.pk in taken:
            report.error(row.row, _("与第%(row)d行是同一个项目") % {"row": taken[project.pk]}, _("项目名称"))
            continue
        if project is not None:
            taken[project.pk] = row.row
        stage_dates = _stage_dates(row, project, today)
        if project is None:
            report.created.append(row.name)
        elif _refused(row, project, report):
            continue
        elif _differs(row, project, stage_dates):
            report.updated.append(row.name)
        else:
            report.unchanged.append(row.name)
            continue
        changes.append((row, project, stage_dates))
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for row, project, stage_dates in changes:
                _apply(actor, row, project, stage_dates, plan_year, today)
    except LuoshiError as exc:
        report.created, report.updated = [], []
        report.error(0, str(exc))
    return report


def _matched(row: ProjectRow, by_name: dict, by_number: dict, plan_year: int, report: ImportReport):
    """The project a row stands for (None: a new one), or False after recording why it can't be
    told. The number decides when the row has one; a renamed project keeps its number."""
    if not row.number:
        return by_name.get(row.name)
    project = by_number.get(row.number)
    if project is None:
        report.error(row.row, _("任务编号“%(number)s”不是%(year)d年台账中的项目（新项目请留空）") % {"number": row.number, "year": plan_year},
                     _("任务编号"))
        return False
    other = by_name.get(row.name)
    if other is not None and other.pk != project.pk:
        report.error(row.row, _("项目名称“%(name)s”已是另一个项目（%(number)s）的名称") % {"name": row.name, "number": other.task.citation},
                     _("项目名称"))
        return False
    return project


def _stage_dates(row: ProjectRow, project: Project | None, today: dt.date) -> dict[int, tuple]:
    """{stage id: (planned, actual)} after the row: its planned dates, and, when it names a stage
    the project has not reached yet, that stage and every earlier one counted as reached. The file
    has no date for those, so the plan date (or the import day) stands in; a date already known is
    kept. The stage the project is at already changes nothing, so an exported ledger reads back
    as it was."""
    known = {r.stage_id: (r.planned_on, r.actual_on) for r in project.stages.all()} if project else {}
    stage_dates = {pk: (planned, known.get(pk, (None, None))[1]) for pk, planned in row.planned.items()}
    if row.stage is not None and (project is None or row.stage.pk != project.stage_id):
        for s in Stage.objects.filter(active=True, position__lte=row.stage.position):
            planned, actual = known.get(s.pk, (None, None))
            planned = stage_dates.get(s.pk, (planned, None))[0]
            stage_dates[s.pk] = (planned, actual or planned or today)
    return {pk: (planned or known.get(pk, (None, None))[0], actual) for pk, (planned, actual) in stage_dates.items()}


def _refused(row: ProjectRow, project: Project, report: ImportReport) -> bool:
    """Record why an existing project cannot take the row, if it cannot."""
    errors = len(report.errors)
    if row.stage is not None and project.stage is not None and row.stage.position < project.stage.position:
        report.error(row.row, _("当前阶段不能退回（项目已到“%(stage)s”阶段）") % {"stage": project.stage.name}, _("当前阶段"))
    if row.done is not None:
        months, figure = row.done
        done = sum((r.amount for r in project.monthly_reports.all() if r.month <= months), Decimal(0))
        if figure != done:
            report.error(
                row.row,
                _("完成投资来自各单位的月报（现为%(done)s万元），不能在台账中修改，请在项目页面更正月报")
                % {"done": f"{done:.2f}"},
                _("1–%(n)d月完成") % {"n": months},
            )
    return len(report.errors) > errors


def _differs(row: ProjectRow, project: Project, stage_dates: dict[int, tuple]) -> bool:
    known = {r.stage_id: (r.planned_on, r.actual_on) for r in project.stages.all()}
    return (
        any(getattr(project, name) != value for name, value in row.fields().items())
        or row.unit.pk != project.task.lead_unit_id
        # A blank 责任领导 leaves the leader as it is, so only a named one is a change.
        or (row.leader is not None and row.leader.pk != project.task.lead_leader_id)
        or any(known.get(pk, (None, None)) != dates for pk, dates in stage_dates.items())
    )


def _apply(actor, row: ProjectRow, project: Project | None, stage_dates: dict[int, tuple], plan_year: int, today) -> None:
    if project is None:
        services.project_create(actor=actor, lead_unit=row.unit, lead_leader=row.leader, plan_year=plan_year,
                                stage_dates=stage_dates, today=today, **row.fields())
    else:
        services.project_update(actor=actor, project=project, expected_version=project.version, lead_unit=row.unit,
                                lead_leader=row.leader, stage_dates=stage_dates, today=today, **row.fields())


def _ledger_job(job) -> jobs.JobOutput:
    """A large 项目台账 import, run by a background job through the same service as the page."""
    report = import_ledger(actor=job.user, data=jobs.input_bytes(job), plan_year=int(job.params["plan_year"]), dry_run=job.dry_run)
    return jobs.JobOutput(rows=job.total or 0, summary=jobs.report_summary(report, dry_run=job.dry_run))


jobs.register("import:projects", _ledger_job)
