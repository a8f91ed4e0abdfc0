"""Project pages: the ledger (filters, export, import), a project's page (stages, monthly reports,
盘活 flags) and the plan form. Reads go through `Project.objects.visible_to` and
`access.get_project_for_user` (404 outside scope); writes through `services` (a refusal shows
its message with status 400, or 403 for a role that may not, and changes nothing)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.core.errors import LuoshiError
from luoshi.core.spreadsheets import SpreadsheetError, read_upload
from luoshi.orgs import services as orgs_services
from luoshi.orgs.access import is_supervisor
from luoshi.tasks import workflow

from . import access, forms, selectors, services, tabular
from .models import MonthlyReport, Project, ProjectStage, Stage

PAGE_SIZE = 50


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def ledger(request):
    form, projects = selectors.ledger(request.user, request.GET)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query": params.urlencode(), "is_supervisor": is_supervisor(request.user)}
    template = "projects/ledger.html#results" if _is_htmx(request) else "projects/ledger.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request):
    _form, projects = selectors.ledger(request.user, request.GET)
    name, content = tabular.export_ledger(projects)
    response = HttpResponse(content, content_type=tabular.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _detail_context(request, project, **extra):
    user = request.user
    stage_rows = {r.stage_id: r for r in project.stages.all()}
    stages = [{"stage": s, "row": stage_rows.get(s.pk)} for s in Stage.objects.filter(active=True)]
    reports = list(project.monthly_reports.order_by("year", "month"))
    running = 0
    for r in reports:
        running += r.amount
        r.cumulative = running
    task = project.task
    may_report = access.may_report(user, project) and task.status in workflow.ACTIVE_STATES
    context = {
        "project": project, "task": task, "stages": stages, "reports": reports, "completion": services.completion_percent(project),
        "may_report": may_report, "may_edit": access.may_edit(user, project),
        "stage_form": forms.StageReachForm(initial={"actual_on": timezone.localdate()}) if may_report else None,
        "report_form": forms.MonthlyReportForm(initial={"month": max(1, timezone.localdate().month - 1)})
        if may_report and access.may_file_month(user, project) else None,
        "flags_form": forms.FlagsForm(initial={"stalled": project.stalled, "idle": project.idle, "revival_note": project.revival_note}),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def detail(request, pk: int):
    project = access.get_project_for_user(request.user, pk)
    return render(request, "projects/detail.html", _detail_context(request, project))


def _refuse(request, project, error, status=400, **extra):
    messages.error(request, str(error))
    return render(request, "projects/detail.html", _detail_context(request, project, **extra), status=status)


@login_required
@require_POST
def stage_reach(request, pk: int):
    project = access.get_project_for_user(request.user, pk, write=True)
    form = forms.StageReachForm(request.POST)
    if not form.is_valid():
        return _refuse(request, project, _("请检查填写的内容。"), stage_form=form)
    try:
        services.stage_reach(actor=request.user, project=project, stage=form.cleaned_data["stage"], actual_on=form.cleaned_data["actual_on"])
    except LuoshiError as exc:
        return _refuse(request, project, exc, status=exc.status, stage_form=form)
    messages.success(request, _("节点已填报。"))
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def monthly_report(request, pk: int):
    project = access.get_project_for_user(request.user, pk, write=True)
    form = forms.MonthlyReportForm(request.POST)
    if not form.is_valid():
        return _refuse(request, project, _("请检查填写的内容。"), report_form=form)
    data = form.cleaned_data
    try:
        services.monthly_report_submit(
            actor=request.user, project=project, year=project.plan_year, month=data["month"], amount=data["amount"],
            image_progress=data["image_progress"], problems=data["problems"],
        )
    except LuoshiError as exc:
        return _refuse(request, project, exc, status=exc.status, report_form=form)
    messages.success(request, _("月报已报送。"))
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def flags(request, pk: int):
    project = access.get_project_for_user(request.user, pk)
    if not access.may_edit(request.user, project):
        raise PermissionDenied
    form = forms.FlagsForm(request.POST)
    if not form.is_valid():
        return _refuse(request, project, _("请检查填写的内容。"), flags_form=form)
    services.flags_set(actor=request.user, project=project, stalled=form.cleaned_data["stalled"], idle=form.cleaned_data["idle"],
                       note=form.cleaned_data["revival_note"])
    messages.success(request, _("已保存。"))
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int | None = None):
    if not is_supervisor(request.user):
        raise PermissionDenied
    project = access.get_project_for_user(request.user, pk) if pk else None
    stages = list(Stage.objects.filter(active=True))
    existing = {r.stage_id: (r.planned_on, r.actual_on) for r in project.stages.all()} if project else {}
    if request.method == "POST":
        form = forms.ProjectForm(request.POST, stages=stages)
        if form.is_valid():
            d = form.cleaned_data
            fields = {k: d[k] for k in ("name", "content", "location", "industry", "total_investment", "annual_plan", "plan_year", "batch", "problems")}
            try:
                if project is None:
                    project = services.project_create(
                        actor=request.user, lead_unit=d["lead_unit"], co_units=d["co_units"], lead_leader=d["lead_leader"],
                        stage_dates=form.stage_dates(), **fields,
                    )
                else:
                    services.project_update(
                        actor=request.user, project=project, expected_version=int(request.POST.get("version") or 0),
                        lead_unit=d["lead_unit"], co_units=d["co_units"], lead_leader=d["lead_leader"], stage_dates=form.stage_dates(existing), **fields,
                    )
            except LuoshiError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("项目已保存。"))
                return redirect("projects:detail", pk=project.pk)
        status = 400
    else:
        initial = {"plan_year": timezone.localdate().year}
        if project is not None:
            task = project.task
            initial = {
                **{k: getattr(project, k) for k in ("name", "content", "location", "industry", "total_investment", "annual_plan", "plan_year", "batch", "problems")},
                "lead_unit": task.lead_unit, "co_units": list(task.co_units.all()), "lead_leader": task.lead_leader,
                **{f"planned_{pk}": planned for pk, (planned, _a) in existing.items()},
            }
        form = forms.ProjectForm(initial=initial, stages=stages)
        status = 200
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_ledger(request):
    if not is_supervisor(request.user):
        raise PermissionDenied
    report = None
    status = 200
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                data = read_upload(form.cleaned_data["file"])
                job = orgs_services.import_if_large(
                    actor=request.user, kind="import:projects", title=_("导入项目台账（%(year)s年）") % {"year": form.cleaned_data["plan_year"]},
                    data=data, upload_name=form.cleaned_data["file"].name, params={"plan_year": form.cleaned_data["plan_year"]},
                    dry_run=form.cleaned_data["dry_run"],
                )
                if job is not None:
                    return redirect(job)
                report = tabular.import_ledger(
                    actor=request.user, data=data, plan_year=form.cleaned_data["plan_year"], dry_run=form.cleaned_data["dry_run"]
                )
            except SpreadsheetError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                if not report.ok:
                    status = 400
                elif not form.cleaned_data["dry_run"]:
                    messages.success(request, _("已导入：新增%(c)d个，更新%(u)d个，%(n)d个项目没有变化。") % {
                        "c": len(report.created), "u": len(report.updated), "n": len(report.unchanged)})
                    return redirect("projects:ledger")
        else:
            status = 400
    else:
        form = forms.ImportForm(initial={"plan_year": timezone.localdate().year, "dry_run": True})
    return render(request, "projects/import.html", {"form": form, "report": report}, status=status)
