from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.errors import LuoshiError
from luoshi.orgs import access as orgs_access
from luoshi.orgs.models import Unit
from luoshi.tasks.models import Task
from luoshi.tasks.workflow import ACTIVE_STATES

from . import access, ladder, services, standings
from .forms import ActionIssueForm, NoteForm, ReplyForm, ReviewConfirmForm, ReviewRoundForm
from .models import EscalationProposal, Notification, ReviewItem, ReviewRound, SupervisionAction

PAGE_SIZE = 50


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


# --- board -----------------------------------------------------------------------------------
def _action_filters(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    unit = request.GET.get("unit", "")
    return {
        "status": status if status in ladder.STATES else "",
        "kind": kind if kind in ladder.LADDER else "",
        "unit": unit if unit.isdigit() else "",
        "q": request.GET.get("q", "").strip()[:100],
    }


def actions_queryset(user, filters):
    actions = SupervisionAction.objects.visible_to(user).select_related("unit").annotate(task_count=Count("tasks")).order_by("-issued_at", "-pk")
    if filters["status"]:
        actions = actions.filter(status=filters["status"])
    if filters["kind"]:
        actions = actions.filter(kind=filters["kind"])
    if filters["unit"]:
        actions = actions.filter(unit_id=int(filters["unit"]))
    if filters["q"]:
        actions = actions.filter(Q(number__icontains=filters["q"]) | Q(reason__icontains=filters["q"]))
    return actions


@login_required
def board(request):
    """督办台账: the actions by status and kind, proposals awaiting a decision, review rounds."""
    user = request.user
    today = timezone.localdate()
    filters = _action_filters(request)
    page = Paginator(actions_queryset(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "today": today, "kinds": ladder.KIND_CHOICES, "states": ladder.STATE_CHOICES}
    if _htmx(request) and request.headers.get("HX-Target") == "actions":
        return render(request, "supervision/board.html#actions", context)
    visible = SupervisionAction.objects.visible_to(user)
    counts = visible.aggregate(
        **{state: Count("pk", filter=Q(status=state)) for state in ladder.STATES},
        due_soon=Count("pk", filter=Q(status=ladder.ISSUED, reply_due__lte=today + dt.timedelta(days=3))),
    )
    by_kind = dict(visible.filter(status__in=ladder.OPEN_STATES).values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    context.update(
        counts=counts,
        ladder_counts=[(k, label, by_kind.get(k, 0)) for k, label in ladder.KIND_CHOICES],
        proposals=_pending_proposals(user),
        rounds=_rounds(user)[:10],
        units=Unit.objects.filter(pk__in=visible.values("unit_id")),
        is_supervisor=orgs_access.is_supervisor(user),
    )
    return render(request, "supervision/board.html", context)


def _pending_proposals(user):
    return list(
        EscalationProposal.objects.visible_to(user).filter(status=EscalationProposal.Status.PENDING).select_related("unit").prefetch_related("tasks")
    )


def _rounds(user):
    # Counts cover only the items the viewer may see: a unit learns its own progress, not others'.
    ids = orgs_access.visible_unit_ids(user)
    mine = Q() if ids is None else Q(items__unit_id__in=ids)
    return ReviewRound.objects.visible_to(user).annotate(
        total=Count("items", filter=mine), confirmed=Count("items", filter=mine & Q(items__confirmed_at__isnull=False))
    )


# --- actions ---------------------------------------------------------------------------------
def _task_choices(unit_id):
    if not unit_id:
        return []
    co = Task.co_units.through.objects.filter(unit_id=unit_id).values("task_id")
    return list(Task.objects.filter(Q(lead_unit_id=unit_id) | Q(pk__in=co), status__in=ACTIVE_STATES).order_by("number", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request):
    if not orgs_access.is_supervisor(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    unit_id = request.POST.get("unit") or request.GET.get("unit") or ""
    unit_id = int(unit_id) if str(unit_id).isdigit() else None
    choices = _task_choices(unit_id)
    if request.method == "POST":
        form = ActionIssueForm(request.POST, task_choices=choices)
        if form.is_valid():
            by_pk = {str(t.pk): t for t in choices}
            try:
                action = services.action_issue(
                    actor=request.user, kind=form.cleaned_data["kind"], unit=form.cleaned_data["unit"],
                    tasks=[by_pk[pk] for pk in form.cleaned_data["tasks"]], reason=form.cleaned_data["reason"],
                    reply_due=form.cleaned_data["reply_due"], today=today,
                )
            except LuoshiError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已签发 %(number)s。") % {"number": action.number})
                return redirect(action)
        status = 400
    else:
        kind = request.GET.get("kind") if request.GET.get("kind") in ladder.LADDER else ladder.REMIND
        initial = {"kind": kind, "unit": unit_id, "reply_due": today + dt.timedelta(days=services.default_reply_days(kind))}
        task = request.GET.get("task", "")
        if task.isdigit():
            initial["tasks"] = [task]
        form = ActionIssueForm(initial=initial, task_choices=choices)
        status = 200
    if _htmx(request) and request.headers.get("HX-Target") == "task-choices":
        return render(request, "supervision/action_form.html#task_choices", {"form": form})
    return render(request, "supervision/action_form.html", {"form": form}, status=status)


def _action_context(request, action, **extra):
    user = request.user
    today = timezone.localdate()
    can_reply = access.may_reply_action(user, action) and action.status in (ladder.ISSUED, ladder.OVERDUE)
    is_sup = orgs_access.is_supervisor(user)
    context = {
        "action": action,
        "tasks": action.tasks.all().select_related("lead_unit"),
        "events": action.events.select_related("actor"),
        "overdue": action.is_overdue_on(today),
        "can_reply": can_reply,
        "can_close": is_sup and action.status in ladder.OPEN_STATES,
        "can_reopen": is_sup and action.status == ladder.REPLIED,
        "reply_form": extra.pop("reply_form", None) or (ReplyForm() if can_reply else None),
        "note_form": extra.pop("note_form", None) or NoteForm(),
        "today": today,
    }
    context.update(extra)
    return context


def _render_action(request, action, status=200, **extra):
    template = "supervision/action_detail.html#state" if _htmx(request) else "supervision/action_detail.html"
    return render(request, template, _action_context(request, action, **extra), status=status)


@login_required
def action_detail(request, pk: int):
    return _render_action(request, access.get_action_for_user(request.user, pk))


@login_required
@require_POST
def action_reply(request, pk: int):
    action = access.get_action_for_user(request.user, pk)
    form = ReplyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.action_reply(actor=request.user, action=action, reply=form.cleaned_data["reply"])
        except LuoshiError as exc:
            form.add_error(None, str(exc))
            status = exc.status
        else:
            messages.success(request, _("答复已提交。"))
            return _after_post(request, action)
    return _render_action(request, action, status=status, reply_form=form)


def _after_post(request, action):
    if _htmx(request):
        action.refresh_from_db()
        return _render_action(request, action)
    return HttpResponseRedirect(action.get_absolute_url())


@login_required
@require_POST
def action_close(request, pk: int):
    action = access.get_action_for_user(request.user, pk)
    form = NoteForm(request.POST)
    event = request.POST.get("event", "close")
    status = 400
    if form.is_valid():
        try:
            if event == "reopen":
                services.action_reopen(actor=request.user, action=action, reason=form.cleaned_data["note"])
            else:
                services.action_close(actor=request.user, action=action, note=form.cleaned_data["note"])
        except LuoshiError as exc:
            form.add_error(None, str(exc))
            status = exc.status
        else:
            return _after_post(request, action)
    return _render_action(request, action, status=status, note_form=form)


# --- proposals -------------------------------------------------------------------------------
@login_required
@require_POST
def proposal_decide(request, pk: int, decision: str):
    proposal = access.get_proposal_for_user(request.user, pk, write=True)
    note = request.POST.get("note", "")
    try:
        if decision == "confirm":
            action = services.proposal_confirm(actor=request.user, proposal=proposal)
            messages.success(request, _("已签发 %(number)s。") % {"number": action.number})
        else:
            services.proposal_dismiss(actor=request.user, proposal=proposal, note=note)
            messages.info(request, _("已驳回该升级建议。"))
    except LuoshiError as exc:
        if _htmx(request):
            return render(request, "supervision/board.html#proposals", {"proposals": _pending_proposals(request.user), "proposal_error": str(exc), "is_supervisor": True}, status=400)
        messages.error(request, str(exc))
    if _htmx(request):
        return render(request, "supervision/board.html#proposals", {"proposals": _pending_proposals(request.user), "is_supervisor": True})
    return redirect(reverse("supervision:board") + "#proposals")


# --- inbox -----------------------------------------------------------------------------------
@login_required
def inbox(request):
    items = Notification.objects.visible_to(request.user).select_related("message")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        items = items.unread()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "supervision/inbox.html#list" if _htmx(request) else "supervision/inbox.html"
    return render(request, template, {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def inbox_read(request, pk: int):
    notification = access.get_notification_for_user(request.user, pk, write=True)
    services.notification_read(actor=request.user, notification=notification)
    if _htmx(request):
        return render(request, "supervision/inbox.html#row", {"n": notification})
    target = notification.message.url if request.POST.get("open") and notification.message.url.startswith("/") else reverse("supervision:inbox")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def inbox_read_all(request):
    count = services.notifications_read_all(actor=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("supervision:inbox")


# --- review rounds ---------------------------------------------------------------------------
@login_required
def review_list(request):
    rounds = _rounds(request.user)
    return render(request, "supervision/review_list.html", {"rounds": rounds, "is_supervisor": orgs_access.is_supervisor(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request):
    if not orgs_access.is_supervisor(request.user):
        raise PermissionDenied
    form = ReviewRoundForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = services.review_round_open(
                    actor=request.user, title=data["title"], due_on=data["due_on"], instructions=data["instructions"],
                    scope_kind=data["scope_kind"], scope_units=data["scope_units"],
                )
            except LuoshiError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("回头看已发起，共 %(n)d 项任务待确认。") % {"n": round_.items.count()})
                return redirect(round_)
        return render(request, "supervision/review_form.html", {"form": form}, status=400)
    return render(request, "supervision/review_form.html", {"form": form})


@login_required
def review_detail(request, pk: int):
    user = request.user
    round_ = access.get_review_round_for_user(user, pk)
    items = ReviewItem.objects.visible_to(user).filter(round=round_).select_related("task", "unit", "confirmed_by")
    by_unit = (
        ReviewItem.objects.visible_to(user).filter(round=round_).values("unit_id", "unit__name", "unit__short_name")
        .annotate(total=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)))
        .order_by("confirmed", "unit__sort_order")
    )
    pending_units = [u for u in by_unit if u["confirmed"] < u["total"]]
    items = list(items)
    for item in items:
        item.can_confirm = round_.status == ReviewRound.Status.OPEN and access.may_confirm_review_item(user, item)
    return render(request, "supervision/review_detail.html", {
        "round": round_, "items": items, "by_unit": by_unit, "pending_units": pending_units,
        "verdicts": ReviewItem.Verdict.choices, "is_supervisor": orgs_access.is_supervisor(user),
        "overdue": round_.status == ReviewRound.Status.OPEN and round_.due_on < timezone.localdate(),
    })


@login_required
@require_POST
def review_confirm(request, pk: int):
    item = access.get_review_item_for_user(request.user, pk, write=True)
    form = ReviewConfirmForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.review_confirm(actor=request.user, item=item, verdict=form.cleaned_data["verdict"], note=form.cleaned_data["note"])
        except LuoshiError as exc:
            error = str(exc)
    else:
        error = _("请选择核实情况。")
    item.refresh_from_db()
    item.can_confirm = True
    status = 400 if error else 200
    if _htmx(request):
        return render(request, "supervision/review_detail.html#item", {"item": item, "error": error, "verdicts": ReviewItem.Verdict.choices}, status=status)
    if error:
        messages.error(request, error)
    return redirect(item.round)


@login_required
@require_POST
def review_close(request, pk: int):
    round_ = access.get_review_round_for_user(request.user, pk)
    services.review_round_close(actor=request.user, round=round_)
    return redirect(round_)


# --- scoreboard ------------------------------------------------------------------------------
@login_required
def scoreboard(request):
    today = timezone.localdate()
    month = standings.parse_month(request.GET.get("month"), today)
    if month > today.replace(day=1):
        month = today.replace(day=1)
    rows = standings.standings(month, today)
    scope = access.scoreboard_unit_ids(request.user)
    if scope is not None:
        rows = [r for r in rows if r.figures.unit_id in scope]
    months = []
    cursor = today.replace(day=1)
    for _i in range(12):
        months.append(cursor)
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
    return render(request, "supervision/scoreboard.html", {
        "rows": rows, "month": month, "months": months, "weights": standings.weights(), "partial_view": scope is not None,
    })
