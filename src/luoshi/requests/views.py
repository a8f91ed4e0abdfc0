"""Request pages: the office's ledger and intake, a request's page with the step each party
takes next, and the public form and status page (no account). Reads go through
`Request.objects.visible_to` / `access.get_request_for_user` (404 outside scope); every change
through `services` (a refusal shows its message with status 400 and changes nothing)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.core.errors import LuoshiError
from luoshi.orgs.access import is_supervisor

from . import access, creditcode, exports, forms, public, selectors, services
from .models import PublicAttempt, Request, RequestAttachment, Status

PAGE_SIZE = 50


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _filters(request):
    form = forms.LedgerFilters(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
@require_GET
def ledger(request):
    form, filters = _filters(request)
    rows = selectors.ledger(request.user, filters, timezone.localdate())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query": params.urlencode(), "is_supervisor": is_supervisor(request.user), "today": timezone.localdate()}
    template = "requests/ledger.html#results" if _is_htmx(request) else "requests/ledger.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request):
    _form, filters = _filters(request)
    today = timezone.localdate()
    name, content = exports.problem_ledger(selectors.ledger(request.user, filters, today), today=today)
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _files(request) -> list:
    return request.FILES.getlist("attachments")


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """窗口登记 by the office."""
    if not is_supervisor(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = forms.IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                created = services.request_receive(
                    actor=request.user, attachments=_files(request),
                    **{k: d[k] for k in ("company_name", "credit_code", "contact_name", "contact_phone", "title", "description", "category")},
                )
            except LuoshiError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已登记，受理编号 %(receipt)s。") % {"receipt": created.receipt})
                return redirect("requests:detail", pk=created.pk)
        status = 400
    else:
        form = forms.IntakeForm()
    return render(request, "requests/intake.html", {"form": form}, status=status)


def _detail_context(request, item, **extra):
    user = request.user
    today = timezone.localdate()
    office = is_supervisor(user)
    lead = access.is_lead(user, item)
    context = {
        "item": item, "task": item.task, "office": office, "lead": lead,
        "callbacks": list(item.callbacks.select_related("recorded_by")),
        "attachments": list(item.attachments.all()),
        "reports": list(item.task.reports.filter(superseded=False).select_related("unit")) if item.task_id else [],
        "overdue": services.is_overdue(item, today),
        "assign_form": forms.AssignForm() if office and item.status == Status.RECEIVED else None,
        "decline_form": forms.DeclineForm() if office and item.status == Status.RECEIVED else None,
        "propose_form": forms.ProposeForm(initial={"difficulty": item.difficulty, "solve_by": item.solve_by, "solution": item.solution})
        if lead and item.status in (Status.ASSIGNED, Status.PROPOSED) else None,
        "report_form": forms.ReportForm() if lead and item.status in (Status.ASSIGNED, Status.PROPOSED) else None,
        "solve_form": forms.SolveForm() if lead and item.status == Status.PROPOSED else None,
        "callback_form": forms.CallBackForm(initial={"called_on": today, "reply": item.reply}) if office and item.status == Status.SOLVED else None,
        "reply_form": forms.ReplyForm(initial={"reply": item.reply}) if office and item.status not in (Status.RECEIVED, Status.SOLVED) else None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def detail(request, pk: int):
    item = access.get_request_for_user(request.user, pk)
    return render(request, "requests/detail.html", _detail_context(request, item))


ACTIONS = {
    "assign": forms.AssignForm,
    "decline": forms.DeclineForm,
    "propose": forms.ProposeForm,
    "report": forms.ReportForm,
    "solve": forms.SolveForm,
    "callback": forms.CallBackForm,
    "reply": forms.ReplyForm,
}
DONE = {
    "assign": _("已交办。"), "decline": _("已作出不予受理决定。"), "propose": _("解决方案已提交。"), "report": _("进展已报送。"),
    "solve": _("已申报办结，待督查员核验。"), "callback": _("回访已记录。"), "reply": _("答复已保存。"),
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    item = access.get_request_for_user(request.user, pk, write=True)
    if action not in ACTIONS:
        raise Http404
    form = ACTIONS[action](request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
        return render(request, "requests/detail.html", _detail_context(request, item, **{f"{action}_form": form}), status=400)
    d, user = form.cleaned_data, request.user
    try:
        if action == "assign":
            services.request_assign(actor=user, request=item, lead_unit=d["lead_unit"], category=d["category"], difficulty=d["difficulty"],
                                    co_units=d["co_units"], lead_leader=d["lead_leader"], solve_by=d["solve_by"])
        elif action == "decline":
            services.request_decline(actor=user, request=item, reason=d["reason"])
        elif action == "propose":
            services.request_propose(actor=user, request=item, solution=d["solution"], difficulty=d["difficulty"], solve_by=d["solve_by"])
        elif action == "report":
            services.request_report(actor=user, request=item, percent=d["percent"], progress=d["progress"], problems=d["problems"])
        elif action == "solve":
            services.request_solve(actor=user, request=item, evidence=d["evidence"])
        elif action == "callback":
            services.request_callback(actor=user, request=item, outcome=d["outcome"], satisfaction=d["satisfaction"], reason=d["reason"],
                                      reply=d["reply"], called_on=d["called_on"])
        elif action == "reply":
            services.request_reply(actor=user, request=item, reply=d["reply"])
    except LuoshiError as exc:
        messages.error(request, str(exc))
        return render(request, "requests/detail.html", _detail_context(request, item, **{f"{action}_form": form}), status=exc.status)
    messages.success(request, DONE[action])
    return redirect("requests:detail", pk=item.pk)


@login_required
@require_GET
def attachment(request, pk: int):
    found = RequestAttachment.objects.filter(pk=pk, request__in=Request.objects.visible_to(request.user).values("pk")).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name, content_type=found.content_type)


# --- public ----------------------------------------------------------------------------------------
def _public_form(data=None, files=None):
    form = forms.PublicForm(data, files)
    if data is None:
        form.initial["token"] = public.form_token()
    return form


@require_http_methods(["GET", "POST"])
def public_form(request):
    """The public form: a company files its problem without an account."""
    if request.method == "GET":
        return render(request, "requests/public_form.html", {"form": _public_form()})
    client = public.client_key(request)
    form = _public_form(request.POST, request.FILES)
    refused = _("提交未成功：请稍候片刻后重新填写提交；如多次失败，请致电督查局。")
    if public.throttled(client, PublicAttempt.Kind.SUBMIT):
        messages.error(request, _("提交过于频繁，请一小时后再试。"))
        return render(request, "requests/public_form.html", {"form": _public_form()}, status=429)
    public.record(client, PublicAttempt.Kind.SUBMIT)
    if request.POST.get(public.HONEYPOT) or not public.token_ok(request.POST.get("token", "")):
        messages.error(request, refused)
        return render(request, "requests/public_form.html", {"form": _public_form()}, status=400)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
        return render(request, "requests/public_form.html", {"form": form}, status=400)
    d = form.cleaned_data
    try:
        created = services.request_receive(
            actor=request.user, channel="public", attachments=_files(request),
            **{k: d[k] for k in ("company_name", "credit_code", "contact_name", "contact_phone", "title", "description", "category")},
        )
    except LuoshiError as exc:
        messages.error(request, str(exc))
        return render(request, "requests/public_form.html", {"form": form}, status=400)
    return render(request, "requests/public_done.html", {"item": created})


@require_http_methods(["GET", "POST"])
def public_status(request):
    """The status page: the receipt number opens that request's status and the office's reply,
    nothing else (not its units, people or other requests)."""
    form = forms.StatusForm(request.POST or None)
    item = None
    status = 200
    if request.method == "POST":
        client = public.client_key(request)
        if public.throttled(client, PublicAttempt.Kind.LOOKUP):
            messages.error(request, _("查询过于频繁，请一小时后再试。"))
            return render(request, "requests/public_status.html", {"form": form}, status=429)
        public.record(client, PublicAttempt.Kind.LOOKUP)
        if form.is_valid():
            receipt = creditcode.normalise(form.cleaned_data["receipt"])
            item = Request.objects.filter(receipt=receipt).only(
                "receipt", "status", "received_on", "assigned_on", "solve_by", "solved_on", "reply", "company_name"
            ).first()
        if item is None:
            messages.error(request, _("未找到该受理编号，请核对后重新输入。"))
            status = 404
    return render(request, "requests/public_status.html", {"form": form, "item": item}, status=status)
