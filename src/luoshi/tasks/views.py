"""Task pages: the tree, the supervisor's board, the task page (with its report form, actions and
timeline), plan editing, consolidated reports, and the access-checked attachment download.

Reads go through `Task.objects.visible_to` / `get_*_for_user` (404 for what the user may
not see); writes through luoshi.tasks.services. A refused write re-renders the page with the
message and status 400 (403 when the user may see but not do it), and changes nothing."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.core.errors import Conflict, LuoshiError
from luoshi.core.rows import Prepared, objects, sees_every
from luoshi.orgs import access as orgs_access
from luoshi.orgs.models import Unit, User, person_name
from luoshi.tasks import periods as P

from . import access, assess, forms, selectors, services, timeline, workflow
from .extensions import page_for
from .models import ExtensionStatus, Milestone, ProgressReport, Task

LIST_PAGE_SIZE = 100
# The columns the tree shows (forty-odd are read otherwise, a hundred rows a page), with its
# directive's title and its lead unit's names; any other column is deferred.
TREE_COLUMNS = (
    "id", "directive_id", "parent_id", "number", "code", "sort_key", "title", "tags", "kind", "lead_unit_id", "deadline", "status", "health",
    "health_reasons", "directive__id", "directive__title", "lead_unit__id", "lead_unit__name", "lead_unit__short_name",
)
BOARD_PAGE_SIZE = 50


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- tree ----------------------------------------------------------------------------------------
@login_required
@require_GET
def task_list(request):
    """任务: directive → task → sub-task in tree order, numbered."""
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    tag = request.GET.get("tag", "").strip()[:50]
    number = request.GET.get("page")
    if not (q or kind or tag) and number in (None, "", "1") and sees_every(Task.objects.all(), request.user):
        # The office's first page, unfiltered, the one everyone opens: its rows and the count of
        # all read by one statement compiled once, as the paginator would have read them.
        rows, paginator = _every_first_tree_page(LIST_PAGE_SIZE).rows(using=Task.objects.db), Paginator(Task.objects.none(), LIST_PAGE_SIZE)
        paginator.count = rows[0]["total"] if rows else 0
        page = Page([{k: v for k, v in row.items() if k != "total"} for row in rows], 1, paginator)
    else:
        tasks = _tree_order(Task.objects.visible_to(request.user))
        if q:
            tasks = tasks.filter(selectors.search_q(q))
        if kind in dict(forms.TaskKind.choices):
            tasks = tasks.filter(kind=kind)
        if tag:
            tasks = tasks.filter(tags__contains=tag)
        # Counted without the joins; the page's rows read with the columns the tree shows.
        page = Paginator(tasks, LIST_PAGE_SIZE).get_page(number)
        page.object_list = list(page.object_list.values(*TREE_COLUMNS))
    # The page's tasks as ``only()`` with ``select_related`` would give them, without
    # ``Model.__init__`` for each task, directive and unit (a quarter of the page's CPU).
    page.object_list = objects(Task, page.object_list, related=("directive", "lead_unit"), using=Task.objects.db)
    selectors.note_co_unit_names(page.object_list)
    rows, last_directive = [], object()
    for task in page.object_list:
        if task.directive_id != last_directive:
            rows.append({"directive": task.directive, "header": True})
            last_directive = task.directive_id
        rows.append({"task": task, "depth": min(task.depth, 3)})
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page, "rows": rows, "q": q, "kind": kind, "tag": tag, "kinds": forms.TaskKind.choices, "query": params.urlencode(),
        "is_supervisor": orgs_access.is_supervisor(request.user),
    }
    template = "tasks/task_list.html#tree" if _is_htmx(request) else "tasks/task_list.html"
    return render(request, template, context)


def _tree_order(tasks):
    return tasks.order_by("directive_id", "sort_key", "pk")


@functools.cache
def _every_first_tree_page(size: int) -> Prepared:
    """The tree's first ``size`` rows of every task, each with the number of tasks (``total``)."""
    return Prepared(lambda: selectors.with_count_of_all(_tree_order(Task.objects.all())).values(*TREE_COLUMNS, "total")[:size])


# --- board ---------------------------------------------------------------------------------------
# The filter bar's choices, compiled once (``core.rows.Prepared``) for whoever sees every unit and
# every directive: building and compiling the three lists cost the board more CPU than reading them.
def _active_units():
    return Unit.objects.filter(active=True).order_by("sort_order", "pk")


def _directives(documents):
    return documents.order_by("-issued_on", "-pk")[:200]


_ACTIVE_UNITS = Prepared(lambda: _active_units().values("pk", "name"))
_LEADERS = Prepared(lambda: User.objects.filter(role="leader", is_active=True).order_by("sort_order", "pk").values("pk", "name", "username"))
_EVERY_DIRECTIVE = Prepared(lambda: _directives(_source_documents().all()).values("pk", "title"))


@login_required
@require_GET
def board(request):
    """督办台账: every task the user may see, filtered, sorted and paged; htmx swaps the results."""

    user = request.user
    scope = orgs_access.visible_unit_ids(user)
    if scope is None:
        units = [(row["pk"], row["name"]) for row in _ACTIVE_UNITS.rows(using=Unit.objects.db)]
    else:
        units = list(_active_units().filter(pk__in=scope).values_list("pk", "name"))  # a unit's label is its name (Unit.__str__)
    leaders = [(row["pk"], person_name(row["name"], row["username"])) for row in _LEADERS.rows(using=User.objects.db)]
    documents = _source_documents()
    if sees_every(documents.all(), user):
        directives = [(row["pk"], row["title"]) for row in _EVERY_DIRECTIVE.rows(using=documents.db)]
    else:
        directives = list(_directives(documents.visible_to(user)).values_list("pk", "title"))
    form = forms.BoardFilterForm(request.GET or None, units=units, leaders=leaders, directives=directives)
    if not request.GET and sees_every(Task.objects.all(), user):
        # The office's first page, unfiltered, the one everyone opens, as the paginator reads it.
        paginator = Paginator(Task.objects.none(), BOARD_PAGE_SIZE)
        rows, paginator.count = selectors.every_first_board_page(BOARD_PAGE_SIZE)
        page = Page(rows, 1, paginator)
        filters = {}
    else:
        filters = form.values() if request.GET else {}
        page = Paginator(selectors.BoardRows(selectors.tasks_for(user, filters)), BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    context = {
        "form": form, "page": page, "query": params.urlencode(), "sort_query": sort_params.urlencode(),
        "sort": filters.get("sort", "health"), "today": timezone.localdate(),
    }
    template = "tasks/board.html#results" if _is_htmx(request) else "tasks/board.html"
    return render(request, template, context)


# --- the task page -------------------------------------------------------------------------------
def _source_documents():
    """The directives a task comes from, reached through the foreign key the task declares: the
    tasks app relies only on their `visible_to`, not on the app above it that defines them."""
    return Task._meta.get_field("directive").related_model.objects


def _directive_url(user, task) -> str | None:
    if not task.directive_id:
        return None
    directives = _source_documents().all()
    # Whoever sees every directive sees the task's (a task cannot outlive its directive).
    if not sees_every(directives, user) and not directives.visible_to(user).filter(pk=task.directive_id).exists():
        return None
    url = reverse("directives:detail", args=[task.directive_id])
    if task.source_start is not None:
        url += f"#span-{task.source_start}"
    return url


def _report_forms(user, task, today, data=None, files=None, reports=None):
    """The report form for the user's unit(s), when a period is open for them; else None.
    ``reports``: every report of the task, when the caller has read them already."""
    unit_ids = access.report_unit_ids(user, task)
    if not unit_ids or task.status not in workflow.ACTIVE_STATES:
        return None, [], []
    periods = services.reportable_periods(task, today)
    keys = {p.key for p in periods}
    if reports is None:
        done = set(
            ProgressReport.objects.filter(task=task, unit_id__in=unit_ids, superseded=False, period_key__in=keys)
            .values_list("unit_id", "period_key")
        )
    else:
        done = {(r.unit_id, r.period_key) for r in reports if not r.superseded and r.unit_id in unit_ids and r.period_key in keys}
    open_periods = [p for p in periods if any((u, p.key) not in done for u in unit_ids)]
    # The units one reports for are the task's lead unit and co-units, already read with it.
    on_task = {u.pk: u for u in (task.lead_unit, *task.co_units.all()) if u is not None}
    units = [on_task[pk] for pk in unit_ids]
    if not open_periods and data is None:
        return None, [], units
    form = forms.ReportForm(data, files, periods=open_periods or periods, units=units, initial={"unit": unit_ids[0]})
    return form, open_periods, units


def _task_context(request, task, **overrides) -> dict:
    user = request.user
    today = timezone.localdate()
    co_units = selectors.keep_co_units(task)
    roles = access.task_roles(user, task)
    rows = selectors.task_page_rows(task)
    reports, transitions, files = rows["reports"], rows["transitions"], rows["files"]
    instructions, extensions, milestones = rows["instructions"], rows["extensions"], rows["milestones"]
    children, ancestors = selectors.task_relatives(user, task)
    report_form, open_periods, report_units = _report_forms(user, task, today, reports=reports)
    actions = [row for row in workflow.actions_from(task.status, roles)]
    pending_extension = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    current_reports = [r for r in reports if not r.superseded]
    my_current = [r for r in current_reports if r.unit_id in {u.pk for u in report_units}]
    context = {
        "task": task,
        "roles": roles,
        "is_supervisor": "supervisor" in roles,
        "co_units": co_units,
        "milestones": milestones,
        "children": children,
        "ancestors": ancestors,
        "entries": timeline.build(
            task, reports=reports, transitions=transitions, instructions=instructions, extensions=extensions, files=files, user=user
        ),
        "report_form": report_form,
        "report_units": report_units,
        "my_current_reports": my_current[:5],
        "actions": actions,
        "action_form": forms.ActionForm(initial={"version": task.version}),
        "closure_form": forms.ClosureRequestForm(initial={"version": task.version}),
        "extension_form": forms.ExtensionForm() if "lead_unit" in roles and task.status in (workflow.IN_PROGRESS, workflow.RETURNED)
        and task.deadline and today <= task.deadline and not pending_extension else None,
        "pending_extension": pending_extension,
        "decision_form": forms.ExtensionDecisionForm() if pending_extension and "supervisor" in roles else None,
        "instruction_form": forms.InstructionForm() if access.may_instruct(user, task) else None,
        "milestone_form": forms.MilestoneForm() if "supervisor" in roles and not task.is_terminal else None,
        "directive_url": _directive_url(user, task),
        "owner_page": page_for(task),
        "cadence_text": _cadence_text(task),
        "today": today,
        "days_left": assess.days_left(task, today, transitions=transitions),
        "overdue_days": assess.overdue_days(task, today, transitions=transitions),
        "state_label": workflow.STATE_LABELS.get(task.status, task.status),
    }
    context.update(overrides)
    return context


def _cadence_text(task) -> str:
    try:
        return P.describe_cadence(task.cadence, task.due_day)
    except ValueError:
        return task.get_cadence_display()


def _render_task(request, task, status=200, **overrides):
    return render(request, "tasks/task_detail.html", _task_context(request, task, **overrides), status=status)


@login_required
@require_GET
def task_detail(request, pk: int):
    task = access.get_task_for_user(request.user, pk)
    return _render_task(request, task)


def _refuse(request, task, error, status=None, **overrides):
    """The task page again, with the refusal on top: a service's error answers with its own
    status (400, 403 or 409), a form's complaint with 400."""
    messages.error(request, str(error))
    if status is None:
        status = error.status if isinstance(error, LuoshiError) else 400
    return _render_task(request, task, status=status, **overrides)


def _files(request) -> list:
    return request.FILES.getlist("attachments")


@login_required
@require_POST
def report_submit(request, pk: int):
    task = access.get_task_for_user(request.user, pk)
    if not access.report_unit_ids(request.user, task):
        raise PermissionDenied
    today = timezone.localdate()
    form, _open, _units = _report_forms(request.user, task, today, data=request.POST, files=request.FILES)
    if form is None:
        return _refuse(request, task, _("任务当前状态为“%(status)s”，不能报送进展。") % {"status": workflow.STATE_LABELS[task.status]})
    if not form.is_valid():
        return _refuse(request, task, _("请检查报送内容。"), report_form=form)
    data = form.cleaned_data
    try:
        services.report_submit(
            actor=request.user, task=task, percent=data["percent"], progress=data["progress"], problems=data["problems"],
            next_steps=data["next_steps"], unit=data["unit"], period_key=data["period"], attachments=_files(request), today=today,
        )
    except LuoshiError as exc:
        return _refuse(request, task, exc, report_form=form)
    messages.success(request, _("进展已报送。"))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_correct(request, pk: int):
    """更正: the form opens with the report's words; saving creates a new report."""
    report = access.get_report_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = forms.CorrectionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_correct(
                    actor=request.user, report=report, percent=data["percent"], progress=data["progress"],
                    problems=data["problems"], next_steps=data["next_steps"], attachments=_files(request),
                )
            except LuoshiError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("更正已提交，原报告保留并标注为已被更正。"))
                return redirect("tasks:detail", pk=report.task_id)
        status = 400
    else:
        form = forms.CorrectionForm(initial={k: getattr(report, k) for k in ("percent", "progress", "problems", "next_steps")})
        status = 200
    return render(request, "tasks/report_correct.html", {"form": form, "report": report, "task": report.task}, status=status)


@login_required
@require_GET
def task_reports(request, pk: int):
    """The consolidated view: every unit's current report for each period, lead unit first."""
    task = access.get_task_for_user(request.user, pk)
    units = [task.lead_unit] if task.lead_unit_id else []
    units += [u for u in task.co_units.all() if u.pk != task.lead_unit_id]
    reports = list(task.reports.select_related("unit", "submitted_by").prefetch_related("attachments").order_by("period_key", "submitted_at"))
    periods: dict[str, dict] = {}
    for r in reports:
        row = periods.setdefault(r.period_key, {"key": r.period_key, "label": r.period_display, "cells": {}, "history": []})
        if r.superseded:
            row["history"].append(r)
        else:
            row["cells"][r.unit_id] = r
    rows = []
    for key in sorted(periods, reverse=True):
        row = periods[key]
        row["columns"] = [(u, row["cells"].get(u.pk)) for u in units]
        rows.append(row)
    return render(request, "tasks/task_reports.html", {"task": task, "units": units, "rows": rows})


@login_required
@require_POST
def task_action(request, pk: int, action: str):
    """Every status change of the workflow table; request_closure brings evidence and files."""
    task = access.get_task_for_user(request.user, pk)
    if action not in workflow.ACTIONS:
        raise Http404
    if action == workflow.REQUEST_CLOSURE:
        form = forms.ClosureRequestForm(request.POST, request.FILES)
        if not form.is_valid():
            return _refuse(request, task, _("请填写完成情况及佐证材料说明。"), closure_form=form)
        try:
            services.closure_request(
                actor=request.user, task=task, evidence=form.cleaned_data["evidence"], attachments=_files(request),
                expected_version=form.cleaned_data.get("version"),
            )
        except LuoshiError as exc:
            return _refuse(request, task, exc, closure_form=form)
        messages.success(request, _("已申请销号，等待督查员核验。"))
        return redirect("tasks:detail", pk=task.pk)
    form = forms.ActionForm(request.POST)
    if not form.is_valid():
        return _refuse(request, task, _("提交的内容不正确。"))
    try:
        services.task_transition(
            actor=request.user, task=task, action=action, reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )
    except LuoshiError as exc:
        task.refresh_from_db()
        return _refuse(request, task, exc)
    messages.success(request, _("已%(action)s。") % {"action": workflow.ACTION_LABELS[action]})
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def extension_create(request, pk: int):
    task = access.get_task_for_user(request.user, pk)
    form = forms.ExtensionForm(request.POST)
    if not form.is_valid():
        return _refuse(request, task, _("请填写申请延至的日期和延期理由。"), extension_form=form)
    try:
        services.extension_request(
            actor=request.user, task=task, reason=form.cleaned_data["reason"], new_deadline=form.cleaned_data["new_deadline"]
        )
    except LuoshiError as exc:
        return _refuse(request, task, exc, extension_form=form)
    messages.success(request, _("延期申请已提交，等待督查员审批。"))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def extension_decide(request, pk: int):
    extension = access.get_extension_for_user(request.user, pk)
    task = access.get_task_for_user(request.user, extension.task_id)
    form = forms.ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        return _refuse(request, task, _("请选择同意或不同意。"))
    try:
        services.extension_decide(
            actor=request.user, extension=extension, approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"]
        )
    except LuoshiError as exc:
        return _refuse(request, task, exc)
    messages.success(request, _("延期申请已处理。"))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def instruction_create(request, pk: int):
    task = access.get_task_for_user(request.user, pk)
    form = forms.InstructionForm(request.POST)
    if not form.is_valid():
        return _refuse(request, task, _("请填写批示内容。"), instruction_form=form)
    try:
        services.instruction_add(actor=request.user, task=task, text=form.cleaned_data["text"])
    except LuoshiError as exc:
        return _refuse(request, task, exc, instruction_form=form)
    messages.success(request, _("批示已发送。"))
    return redirect("tasks:detail", pk=task.pk)


# --- plan editing (supervisors) --------------------------------------------------------------------
def _supervised_task(request, pk: int) -> Task:
    task = access.get_task_for_user(request.user, pk)
    if not orgs_access.is_supervisor(request.user):
        raise PermissionDenied
    return task


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    """Edit the plan. The form carries the version it was read at: if someone saved in between,
    the save is refused (409) and the other person's changes stay."""
    task = _supervised_task(request, pk)
    status = 200
    if request.method == "POST":
        form = forms.TaskEditForm.for_task(task, request.POST)
        if form.is_valid():
            try:
                services.task_update(
                    actor=request.user, task=task, expected_version=form.cleaned_data["version"],
                    co_units=form.cleaned_data["co_units"], **form.plan(),
                )
            except Conflict as exc:
                messages.error(request, str(exc))
                status = 409
            except LuoshiError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                messages.success(request, _("任务已保存。"))
                return redirect("tasks:detail", pk=task.pk)
        else:
            status = 400
    else:
        form = forms.TaskEditForm.for_task(task)
    return render(request, "tasks/task_form.html", {"form": form, "task": task, "editing": True}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def subtask_create(request, pk: int):
    parent = _supervised_task(request, pk)
    status = 200
    if request.method == "POST":
        form = forms.SubtaskForm.under(parent, request.POST)
        if form.is_valid():
            try:
                child = services.task_create(actor=request.user, parent=parent, co_units=form.cleaned_data["co_units"], **form.plan())
                if form.cleaned_data.get("publish"):
                    services.task_publish(actor=request.user, task=child)
            except LuoshiError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                messages.success(request, _("子任务 %(number)s 已创建。") % {"number": child.citation})
                return redirect("tasks:detail", pk=child.pk)
        else:
            status = 400
    else:
        form = forms.SubtaskForm.under(parent)
    return render(request, "tasks/task_form.html", {"form": form, "task": parent, "editing": False}, status=status)


@login_required
@require_POST
def milestone_create(request, pk: int):
    task = _supervised_task(request, pk)
    form = forms.MilestoneForm(request.POST)
    if not form.is_valid():
        return _refuse(request, task, _("请填写节点日期、内容和计划进度（0–100）。"), milestone_form=form)
    try:
        services.milestone_add(actor=request.user, task=task, **form.cleaned_data)
    except LuoshiError as exc:
        return _refuse(request, task, exc, milestone_form=form)
    messages.success(request, _("节点已添加。"))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def milestone_delete(request, pk: int, milestone_pk: int):
    task = _supervised_task(request, pk)
    try:
        milestone = Milestone.objects.get(pk=milestone_pk, task=task)
    except Milestone.DoesNotExist:
        raise Http404 from None
    try:
        services.milestone_remove(actor=request.user, milestone=milestone)
    except LuoshiError as exc:
        return _refuse(request, task, exc)
    messages.success(request, _("节点已删除。"))
    return redirect("tasks:detail", pk=task.pk)


# --- files ---------------------------------------------------------------------------------------
@login_required
@require_GET
def attachment_download(request, pk: int):
    """Attachments are never public: each download checks that the user may see the task."""
    attachment = access.get_attachment_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response

