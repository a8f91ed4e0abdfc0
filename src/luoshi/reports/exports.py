"""The office spreadsheets (任务分解表, 督办台账, 整改台账, 指标对标表) and the 督查通报 file, as the
pages, the API and `luoshi export` produce them. Each function takes the viewer and returns an
`Export` (file name, content type, bytes); rows are always cut down to what the viewer may see.

Layout comes from `luoshi.core.spreadsheets.write_table` (title row, merged group headers, 序号,
widths, frozen header, A4 landscape, header repeated on each printed page, formula neutralising).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Invalid
from luoshi.core.spreadsheets import Column, sheet_title, workbook_bytes, write_table
from luoshi.directives import table
from luoshi.directives import access as directive_access
from luoshi.indicators import evaluation
from luoshi.indicators import access as indicator_access
from luoshi.indicators.exports import benchmark_workbook
from luoshi.indicators.models import IndicatorSet
from luoshi.orgs import access as orgs_access
from luoshi.projects import tabular as project_tabular
from luoshi.projects import selectors as project_selectors
from luoshi.requests import exports as request_exports
from luoshi.requests import selectors as request_selectors
from luoshi.supervision.models import SupervisionAction
from luoshi.tasks import selectors, workflow
from luoshi.tasks.health import render_reasons
from luoshi.tasks.models import Milestone, ProgressReport, Task, TaskKind

from . import access, services
from .bulletin import render_docx
from .models import Bulletin
from .periods import chinese_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = ("decomposition", "ledger", "rectification", "indicators", "projects", "problems", "bulletin")
LEDGER_FILTERS = ("health", "unit", "lead", "kind", "leader", "directive", "status", "overdue")


class ExportError(Invalid):
    """The export cannot be made; the message is for the user."""


@dataclass
class Export:
    filename: str
    content_type: str
    content: bytes


def _workbook(title: str):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
    return wb, ws


def _date_stamp(today: dt.date) -> str:
    return today.strftime("%Y%m%d")


def _units_text(task) -> str:
    return "、".join(u.display_name for u in task.co_units.all())


def _latest_report_fields(qs):
    """Annotate each task with its latest current progress report, in three subqueries rather than
    one query per row (a ledger may hold thousands of tasks)."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk"), superseded=False).order_by("-submitted_on", "-submitted_at", "-pk")
    return qs.annotate(
        latest_progress=Subquery(latest.values("progress")[:1]),
        latest_period=Subquery(latest.values("period_label")[:1]),
        latest_on=Subquery(latest.values("submitted_on")[:1]),
    )


def _latest_text(task) -> str:
    if not task.latest_progress:
        return _("未报送")
    when = task.latest_period or (task.latest_on.isoformat() if task.latest_on else "")
    return f"【{when}】{task.latest_progress}" if when else task.latest_progress


def _actions_by_task(task_ids: list[int]) -> dict[int, list[str]]:
    """督办 recorded against each task."""
    Action = SupervisionAction
    through = Action.tasks.through
    kinds = dict(Action._meta.get_field("kind").choices)
    states = dict(Action._meta.get_field("status").choices)
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        through.objects.filter(task_id__in=task_ids)
        .order_by("supervisionaction__issued_on", "supervisionaction_id")
        .values_list("task_id", "supervisionaction__number", "supervisionaction__kind", "supervisionaction__status")
    )
    for task_id, number, kind, status in rows.iterator(chunk_size=2000):
        out[task_id].append(f"{number} {kinds.get(kind, kind)}（{states.get(status, status)}）")
    return out


def _health_text(task) -> str:
    label = task.get_health_display()
    reasons = render_reasons(task.health_reasons)
    return f"{label}：{reasons}" if reasons else str(label)


def _percent(value) -> str:
    return "" if value is None else f"{value:.0f}%"


def _number_key(task) -> tuple:
    parts = []
    for part in (task.number or "").split("."):
        parts.append(int(part) if part.isdigit() else 10**9)
    return (task.directive_id or 0, parts or [task.position], task.pk)


def _ordered(tasks) -> list:
    """Tree order within each directive (1, 1.2, 1.10, 2), which the numbers spell out; sorting
    the strings would put 1.10 before 1.2."""
    return sorted(tasks, key=_number_key)


# --- 任务分解表 ------------------------------------------------------------------------------


def decomposition(*, user, directive_id, today: dt.date | None = None) -> Export:
    """The 任务分解表 of one directive, in the directives app's layout so it can be imported back."""
    today = today or timezone.localdate()
    if directive_id in (None, ""):
        raise ExportError(_("请选择来源文件。"))
    try:
        directive = directive_access.get_directive_for_user(user, directive_id)
    except Exception as exc:  # Http404: say so in the shell's and the page's words
        raise ExportError(_("来源文件不存在或无权查看。")) from exc
    tasks = _ordered(
        Task.objects.visible_to(user)
        .filter(directive=directive)
        .exclude(status=workflow.CANCELLED)
        .select_related("lead_unit", "lead_leader")
        .prefetch_related("co_units", Prefetch("milestones", queryset=Milestone.objects.order_by("due_on")))
    )
    title = _("%(title)s任务分解表") % {"title": directive.title}
    subtitle = _("来源：%(kind)s（%(date)s）　共%(n)d项　导出日期：%(today)s") % {
        "kind": directive.get_kind_display(),
        "date": chinese_date(directive.issued_on),
        "n": len(tasks),
        "today": chinese_date(today),
    }
    rows = [
        table.Row(
            title=table.title_cell(t.citation, t.title),
            measures=t.measures,
            lead_leader=str(t.lead_leader or ""),
            lead_unit=t.lead_unit.display_name if t.lead_unit else "",
            co_units=[u.display_name for u in t.co_units.all()],
            deadline=t.deadline,
            deadline_text=t.deadline_text,
            start=t.source_start,
            end=t.source_end,
        )
        for t in tasks
    ]
    content = table.workbook(title=title, subtitle=subtitle, rows=rows)
    return Export(f"任务分解表-{directive.pk}-{_date_stamp(today)}.xlsx", XLSX, content)


# --- 督办台账 / 整改台账 -------------------------------------------------------------------------


def _filtered(qs, filters: dict | None, today: dt.date):
    """The board's filters (``tasks.selectors.filter_tasks``), so the ledger lists what the board
    and the API list for the same query."""
    filters = {k: v for k, v in (filters or {}).items() if k in LEDGER_FILTERS and v not in (None, "")}
    for key in ("unit", "leader", "directive"):
        if key in filters:
            try:
                filters[key] = int(filters[key])
            except (TypeError, ValueError):
                raise ExportError(_("筛选条件“%(key)s”无效。") % {"key": key})
    if filters.get("lead") in ("0", "false"):
        filters.pop("lead")
    return selectors.filter_tasks(qs, filters, today=today)


def ledger(*, user, filters: dict | None = None, today: dt.date | None = None) -> Export:
    """督办台账: every task in the viewer's scope with its units, deadline, health and reasons,
    latest progress and the supervision actions it received."""
    today = today or timezone.localdate()
    qs = _filtered(selectors.counted(user), filters, today)
    tasks = _ordered(_latest_report_fields(qs).select_related("lead_unit", "directive").prefetch_related("co_units"))
    actions = _actions_by_task([t.pk for t in tasks])
    units, progress = _("责任单位"), _("推进情况")
    columns = [
        Column(_("编号"), 15, wrap=False), Column(_("来源文件"), 16), Column(_("工作任务"), 30),
        Column(_("牵头单位"), 12, group=units), Column(_("配合单位"), 16, group=units),
        Column(_("完成时限"), 12), Column(_("红黄绿灯"), 22, group=progress), Column(_("完成进度"), 9, group=progress, wrap=False),
        Column(_("最新进展"), 40, group=progress), Column(_("督办情况"), 24), Column(_("状态"), 9, wrap=False),
    ]
    values = (
        (
            t.citation, t.directive.title if t.directive else "", t.title,
            t.lead_unit.display_name if t.lead_unit else "", _units_text(t), t.deadline or t.deadline_text,
            _health_text(t), _percent(t.progress_percent), _latest_text(t),
            "\n".join(actions.get(t.pk, ())) or _("无"), str(workflow.STATE_LABELS.get(t.status, t.status)),
        )
        for t in tasks
    )
    wb, ws = _workbook(_("督办台账"))
    write_table(
        ws, title=_("重点工作督办台账"), columns=columns, rows=values,
        subtitle=_("截至%(date)s　共%(n)d项") % {"date": chinese_date(today), "n": len(tasks)},
    )
    return Export(f"督办台账-{_date_stamp(today)}.xlsx", XLSX, workbook_bytes(wb))


def rectification(*, user, filters: dict | None = None, today: dt.date | None = None) -> Export:
    """整改台账: the rectification tasks (整改), closed only by verified closure (销号)."""
    today = today or timezone.localdate()
    qs = _filtered(selectors.counted(user).filter(kind=TaskKind.RECTIFICATION), filters, today)
    tasks = _ordered(_latest_report_fields(qs).select_related("lead_unit", "lead_leader").prefetch_related("co_units"))
    duty, result = _("责任分工"), _("整改情况")
    columns = [
        Column(_("编号"), 8, wrap=False), Column(_("存在问题"), 30), Column(_("整改措施"), 36), Column(_("整改目标"), 20),
        Column(_("责任领导"), 10, group=duty), Column(_("牵头单位"), 12, group=duty), Column(_("配合单位"), 14, group=duty),
        Column(_("整改时限"), 12), Column(_("整改进展"), 36, group=result), Column(_("红黄绿灯"), 18, group=result),
        Column(_("完成情况"), 10, group=result, wrap=False), Column(_("销号日期"), 12, group=result),
    ]
    values = (
        (
            t.citation, t.title, t.measures, t.target_text, str(t.lead_leader or ""),
            t.lead_unit.display_name if t.lead_unit else "", _units_text(t), t.deadline or t.deadline_text,
            _latest_text(t), _health_text(t),
            _("已整改销号") if t.status == workflow.CLOSED else str(workflow.STATE_LABELS.get(t.status, t.status)),
            t.closed_on or "",
        )
        for t in tasks
    )
    wb, ws = _workbook(_("整改台账"))
    done = sum(1 for t in tasks if t.status == workflow.CLOSED)
    write_table(
        ws, title=_("问题整改台账"), columns=columns, rows=values,
        subtitle=_("截至%(date)s　共%(n)d项，已整改销号%(done)d项") % {"date": chinese_date(today), "n": len(tasks), "done": done},
    )
    return Export(f"整改台账-{_date_stamp(today)}.xlsx", XLSX, workbook_bytes(wb))


# --- 指标对标表 --------------------------------------------------------------------------------


def indicators(*, user, period: str | None = None, indicator_set=None, today: dt.date | None = None) -> Export:
    """指标对标表 in the indicators app's own layout (`luoshi.indicators.exports.benchmark_workbook`),
    so the file from its page and from here is one table. `indicator_set` is an id; without it, the
    most recent set the viewer may read."""
    today = today or timezone.localdate()
    sets = IndicatorSet.objects.visible_to(user)
    if indicator_set not in (None, ""):
        try:
            chosen = sets.get(pk=int(indicator_set))
        except (IndicatorSet.DoesNotExist, TypeError, ValueError):
            raise ExportError(_("指标体系不存在或无权查看。"))
    else:
        chosen = sets.first()
        if chosen is None:
            raise ExportError(_("还没有可导出的指标体系。"))
    ev = evaluation.evaluate(chosen)
    key = ev.period_or_latest(period)
    visible = [i for i in ev.indicators if indicator_access.may_read_indicator(user, i)]
    content = benchmark_workbook(ev, key, visible, today=today)
    return Export(f"指标对标表-{chosen.name}-{key or ''}.xlsx", XLSX, content)


# --- 督查通报 -----------------------------------------------------------------------------------


def bulletin_file(bulletin) -> Export:
    name = bulletin.number or _("督查通报（草稿）")
    return Export(f"{name}-{bulletin.period_key}.docx", DOCX, render_docx(services.bulletin_document(bulletin)))


def bulletin(*, user, period: str | None = None, bulletin_id=None, today: dt.date | None = None) -> Export:
    """A bulletin's .docx: the given one, else the latest issued (or, failing that, draft) bulletin
    of `period`, else a fresh draft text for `period` that is not saved."""

    today = today or timezone.localdate()
    if bulletin_id not in (None, ""):
        try:
            return bulletin_file(access.get_bulletin_for_user(user, bulletin_id))
        except Exception as exc:
            raise ExportError(_("督查通报不存在或无权查看。")) from exc
    if not period:
        raise ExportError(_("请指定通报期（示例：2026-11）。"))
    try:
        parsed = services.parse_period(period)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc
    existing = Bulletin.objects.visible_to(user).filter(period_key=parsed.key).order_by("-status", "-created_at").first()
    if existing is not None:  # "issued" sorts after "draft": -status puts issued first
        return bulletin_file(existing)
    if not orgs_access.is_supervisor(user):
        raise ExportError(_("该期尚无已印发的督查通报。"))
    office = services.office_name()
    facts = services.bulletin_facts(user, period=parsed, today=today)
    text = services.bulletin_compose(facts, office=office, reply_by=today + dt.timedelta(days=7))
    unsaved = Bulletin(
        period_key=parsed.key, period_label=parsed.label, period_start=parsed.start, period_end=parsed.end, issuer=office, cc=services.bulletin_cc(), **text
    )
    return bulletin_file(unsaved)


def row_count(kind: str, *, user, directive=None, filters=None, today=None) -> int:
    """How many rows `export` would write for the same arguments, counted in the database, to
    decide whether it runs as a background job. The 指标对标表 and the bulletin are one table of
    indicators and one document: never large, 0."""
    today = today or timezone.localdate()
    with_directive = {**(filters or {}), **({"directive": directive} if directive else {})}
    if kind == "decomposition":
        try:
            directive_id = int(directive)
        except (TypeError, ValueError):
            return 0  # the export itself says what is wrong with it
        return Task.objects.visible_to(user).filter(directive_id=directive_id).exclude(status=workflow.CANCELLED).count()
    if kind == "ledger":
        return _filtered(selectors.counted(user), with_directive, today).count()
    if kind == "rectification":
        return _filtered(selectors.counted(user).filter(kind=TaskKind.RECTIFICATION), with_directive, today).count()
    if kind == "projects":
        return project_selectors.ledger(user, filters or {})[1].count()
    if kind == "problems":
        return request_selectors.ledger(user, filters or {}, today).count()
    return 0


def export(kind: str, *, user, directive=None, period=None, filters=None, bulletin_id=None, today=None) -> Export:
    """One entry point for the pages, the API and `luoshi export`."""
    if kind == "decomposition":
        return decomposition(user=user, directive_id=directive, today=today)
    if kind == "ledger":
        return ledger(user=user, filters={**(filters or {}), **({"directive": directive} if directive else {})}, today=today)
    if kind == "rectification":
        return rectification(user=user, filters={**(filters or {}), **({"directive": directive} if directive else {})}, today=today)
    if kind == "indicators":
        return indicators(user=user, period=period, indicator_set=(filters or {}).get("set"), today=today)
    if kind == "bulletin":
        return bulletin(user=user, period=period, bulletin_id=bulletin_id, today=today)
    if kind == "projects":  # 项目台账, laid out by the projects app
        name, content = project_tabular.export_ledger(project_selectors.ledger(user, filters or {})[1], today=today)
        return Export(name, XLSX, content)
    if kind == "problems":  # 问题台账 of enterprise requests
        today = today or timezone.localdate()
        name, content = request_exports.problem_ledger(request_selectors.ledger(user, filters or {}, today), today=today)
        return Export(name, XLSX, content)
    raise ExportError(_("未知的导出类型：%(kind)s") % {"kind": kind})
