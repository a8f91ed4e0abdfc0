from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.core.errors import Conflict, Invalid
from luoshi.directives.models import Directive
from luoshi.orgs import access as orgs_access
from luoshi.orgs.models import Unit, User
from luoshi.tasks.forms import BoardFilterForm
from luoshi.tasks.models import Health
from luoshi.tasks import selectors

from . import access, exports, jobs, services, streaming
from .models import Bulletin
from .periods import current_month


def _attachment(export: exports.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    # RFC 5987 so the Chinese file name survives every browser.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.filename)}"
    return response


@login_required
@require_GET
def dashboard(request):
    """领导驾驶舱 (also the reports index): figures, charts with table fallbacks, and the exports."""
    data = services.dashboard(request.user)
    directives = []
    if orgs_access.is_supervisor(request.user) or request.user.role == "leader":

        directives = list(Directive.objects.visible_to(request.user).only("pk", "title")[:50])
    level_labels = dict(Health.choices)
    health_rows = [
        {"level": level, "label": level_labels[level], "count": data.counts[level], "url": data.links[level]} for level in services.LEVELS
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "data": data,
            "chart_data": data.as_json() | {"health": [dict(r, label=str(r["label"])) for r in health_rows]},
            "health_rows": health_rows,
            "directives": directives,
            "bulletins": Bulletin.objects.visible_to(request.user)[:5],
            "is_supervisor": orgs_access.is_supervisor(request.user),
            "export_job_rows": settings.EXPORT_JOB_ROWS,
        },
    )


@login_required
@require_GET
def export(request, kind: str):
    if kind not in exports.KINDS or kind == "bulletin":
        raise Http404
    params = jobs.office_params(request.GET)
    try:
        rows = jobs.export_rows(kind, user=request.user, query=request.GET)
        if jobs.is_large(rows):
            return _offer_job(request, kind, rows)
        result = exports.export(kind, user=request.user, **params)
    except exports.ExportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:index")
    return _attachment(result)


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_list(request):
    if request.method == "POST":
        try:
            bulletin = services.bulletin_create(actor=request.user, period=request.POST.get("period", ""))
        except (Invalid, Conflict) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已根据%(period)s的数据生成通报草稿，请核改后印发。") % {"period": bulletin.period_label})
            return redirect("reports:bulletin", bulletin.pk)
    bulletins = Bulletin.objects.visible_to(request.user).select_related("issued_by")[:200]
    return render(
        request,
        "reports/bulletin_list.html",
        {
            "bulletins": bulletins,
            "is_supervisor": orgs_access.is_supervisor(request.user),
            "default_period": current_month(timezone.localdate()).key,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_detail(request, pk: int):
    bulletin = access.get_bulletin_for_user(request.user, pk)
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.bulletin_update(
                actor=request.user,
                bulletin=bulletin,
                expected_version=version,
                **{name: request.POST.get(name, "") for name in services.BULLETIN_FIELDS},
            )
        except (Invalid, Conflict) as exc:
            messages.error(request, str(exc))
            # Keep what the supervisor typed so a refused save loses nothing.
            for name in services.BULLETIN_FIELDS:
                setattr(bulletin, name, request.POST.get(name, getattr(bulletin, name)))
        else:
            messages.success(request, _("通报已保存。"))
            return redirect("reports:bulletin", bulletin.pk)
    may_edit = orgs_access.is_supervisor(request.user) and not bulletin.is_issued
    return render(request, "reports/bulletin_detail.html", {"bulletin": bulletin, "may_edit": may_edit})


@login_required
@require_POST
def bulletin_issue(request, pk: int):
    bulletin = access.get_bulletin_for_user(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.bulletin_issue(actor=request.user, bulletin=bulletin, expected_version=version)
    except (Invalid, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("通报已印发，文号%(number)s。") % {"number": bulletin.number})
    return redirect("reports:bulletin", bulletin.pk)


@login_required
@require_GET
def bulletin_docx(request, pk: int):
    bulletin = access.get_bulletin_for_user(request.user, pk)
    return _attachment(exports.bulletin_file(bulletin))


def _board_filters(request) -> dict:
    """The board's filters from the query string, read by the board's own form."""
    return jobs.board_filters(request.user, request.GET)


@login_required
@require_GET
def board_export(request, fmt: str):
    """督办台账 as the board shows it (same filters and order), streamed as .csv or .xlsx."""
    tasks = selectors.tasks_for(request.user, _board_filters(request))
    count = tasks.count()
    if jobs.is_large(count):
        return _offer_job(request, jobs.BOARD, count, fmt=fmt)
    header, rows, widths = streaming.task_table(tasks)
    name = _("督办台账")
    return streaming.response(fmt, f"{name}-{timezone.localdate().isoformat()}", name, header, rows, widths)


def _offer_job(request, kind: str, rows: int, fmt: str | None = None):
    """An export too large to answer at once: say so, and offer to make it in the background
    (a POST: starting a job changes something, a link must not)."""
    context = {"kind": kind, "label": jobs.kind_label(kind), "rows": rows, "fmt": fmt or "", "query": request.GET.urlencode(),
               "limit": settings.EXPORT_JOB_ROWS}
    return render(request, "reports/export_job.html", context)


@login_required
@require_POST
def export_job(request, kind: str):
    """后台导出: start the export as a background job and follow it on the job's page."""
    try:
        job = jobs.export_job_start(actor=request.user, kind=kind, query=QueryDict(request.POST.get("query", "")), fmt=request.POST.get("fmt") or None)
    except exports.ExportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:index")
    return redirect(job)
