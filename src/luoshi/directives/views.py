import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.errors import Conflict, Invalid
from luoshi.core.rows import Prepared, sees_every
from luoshi.core.spreadsheets import SpreadsheetError, read_upload
from luoshi.orgs import access as orgs_access
from luoshi.orgs import services as orgs_services
from luoshi.orgs.models import Role, Unit, User
from luoshi.tasks.models import Task, task_url

from . import access, services
from .forms import CADENCE_CHOICES, DateForm, DirectiveForm, ImportForm, ItemForm, SplitForm
from .models import DecompositionItem, Directive, ItemState
from .parsing.clauses import clause_segments

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def directive_list(request):
    number = request.GET.get("page")
    if number in (None, "", "1") and sees_every(Directive.objects.all(), request.user):
        # The office's first page, the page everyone opens: its rows and the count of all in one
        # statement compiled once, as the paginator would have read them.
        rows = _every_first_page(DIRECTIVE_PAGE_SIZE).rows(using=Directive.objects.db)
        paginator = Paginator(Directive.objects.none(), DIRECTIVE_PAGE_SIZE)
        paginator.count = rows[0]["total"] if rows else 0
        page = Page(rows, 1, paginator)
    else:
        listed = _listed(Directive.objects.visible_to(request.user)).values(*_LIST_COLUMNS)
        page = Paginator(listed, DIRECTIVE_PAGE_SIZE).get_page(number)
    template = "directives/list.html#directives" if _is_htmx(request) else "directives/list.html"
    return render(request, template, {"page": page, "can_create": orgs_access.is_supervisor(request.user)})


DIRECTIVE_PAGE_SIZE = 50
# The columns the list shows: a directive's text can run to a whole speech.
_LIST_COLUMNS = ("pk", "title", "kind", "issuer", "issued_on", "date_confirmed", "status", "item_count", "accepted_count", "task_count")


def _listed(directives):
    """The list's rows of ``directives`` (``directive_rows`` writes them), newest first."""
    items = DecompositionItem.objects.filter(directive=OuterRef("pk"))
    return directives.annotate(
        item_count=_count_of(items.exclude(state=ItemState.DROPPED)),
        accepted_count=_count_of(items.filter(state__in=[ItemState.ACCEPTED, ItemState.PUBLISHED])),
        task_count=_count_of(Task.objects.filter(directive=OuterRef("pk"))),
    )


@functools.cache
def _every_first_page(size: int) -> Prepared:
    """The first ``size`` rows of every directive, each with the count of all (``total``)."""
    return Prepared(lambda: _listed(Directive.objects.all()).annotate(total=Window(Count("pk"))).values(*_LIST_COLUMNS, "total")[:size])


def _count_of(rows):
    """One correlated count per directive shown. Counted in a sub-query, not by joining items and
    tasks into the directive's row (their product, then DISTINCT), and only for the page's rows."""
    counted = rows.order_by().values("directive").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


@login_required
@require_http_methods(["GET", "POST"])
def directive_create(request):
    if not orgs_access.is_supervisor(request.user):
        raise PermissionDenied
    form = DirectiveForm(request.POST or None, request.FILES or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            raw = read_upload(upload, max_bytes=settings.UPLOAD_MAX_BYTES) if upload else None
            directive = services.directive_create(
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                issuer=data["issuer"],
                issued_on=data["issued_on"],
                date_confirmed=data["date_confirmed"],
                text=data["text"],
                filename=upload.name if upload else "",
                data=raw,
                refuse_duplicate=not data["allow_duplicate"],
            )
        except services.DuplicateText as exc:
            form.add_error("allow_duplicate", str(exc))
        except Invalid as exc:
            form.add_error("file" if upload else "text", str(exc))
        else:
            messages.success(
                request, _("已解析出 %(n)d 条候选任务，请逐条核对。") % {"n": directive.items.count()}
            )
            return redirect("directives:detail", pk=directive.pk)
    return render(request, "directives/create.html", {"form": form})


def _segments(item: DecompositionItem) -> list[dict]:
    """The row's words cut at its clause marks; `cut` is where a click splits (relative to the
    row's first word), None after the last piece."""
    pieces = clause_segments(item.source_text) if item.source_start is not None else []
    return [{"words": words, "cut": end if end < len(item.source_text) else None} for _start, end, words in pieces]


def _items(directive, editable: bool = False):
    items = services.numbered(
        directive.items.select_related("lead_unit", "lead_leader", "task").prefetch_related("co_units").order_by("position", "pk")
    )
    for item in items:
        item.task_link = task_url(item.task_id)
        item.segments = _segments(item)
        item.live = editable and item.editable
    return items


def _grid(request) -> dict:
    """What every row of the grid offers to choose from."""
    return {
        "editable": orgs_access.is_supervisor(request.user),
        "units": list(Unit.objects.active().order_by("sort_order", "name")),
        "leaders": list(User.objects.filter(role=Role.LEADER, is_active=True).order_by("sort_order", "name")),
        "cadences": CADENCE_CHOICES,
        "state_actions": [
            (ItemState.ACCEPTED, _("采纳")),
            (ItemState.DROPPED, _("舍弃")),
            (ItemState.CANDIDATE, _("恢复")),
        ],
    }


def _item_context(request, directive, item, **extra):
    grid = _grid(request)
    item = next((i for i in _items(directive, grid["editable"]) if i.pk == item.pk), item)
    return {"directive": directive, "item": item, **grid, **extra}


@login_required
def directive_detail(request, pk: int):
    """The decomposition page: the source text beside its candidate rows."""
    directive = access.get_directive_for_user(request.user, pk)
    counts = _counts(directive)
    return render(
        request,
        "directives/detail.html",
        {
            "directive": directive,
            "items": _items(directive, orgs_access.is_supervisor(request.user)),
            "counts": counts,
            "date_form": DateForm(initial={"issued_on": directive.issued_on}),
            "doc_date": services.document_date(directive),
            "ready": counts[ItemState.ACCEPTED],
            **_grid(request),
        },
    )


def _counts(directive) -> dict[str, int]:
    counts = {state: 0 for state in ItemState.values}
    for row in DecompositionItem.objects.filter(directive=directive).values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def _with_tally(request, directive, response):
    """Append the page's tally (counts and the publish button) as an out-of-band swap, so an htmx
    edit of one row also updates what the page says about all of them."""
    counts = _counts(directive)
    tally = render_to_string(
        "directives/detail.html#tally",
        {"directive": directive, "counts": counts, "ready": counts[ItemState.ACCEPTED], "oob": True},
        request=request,
    )
    response.content = response.content + tally.encode()
    return response


@login_required
@require_POST
def directive_date(request, pk: int):
    directive = access.get_directive_for_user(request.user, pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的日期。"))
    else:
        services.directive_set_date(actor=request.user, directive=directive, issued_on=form.cleaned_data["issued_on"])
        messages.success(request, _("日期已核对，相对时限已据此重新推算。"))
    return redirect("directives:detail", pk=directive.pk)


@login_required
@require_POST
def directive_parse(request, pk: int):
    directive = access.get_directive_for_user(request.user, pk)
    try:
        created = services.directive_parse(actor=request.user, directive=directive)
    except (Invalid, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("重新解析：新增 %(n)d 条候选任务（已处理过的条目保留不变）。") % {"n": len(created)})
    return redirect("directives:detail", pk=directive.pk)


@login_required
@require_POST
def directive_publish(request, pk: int):
    directive = access.get_directive_for_user(request.user, pk)
    try:
        tasks = services.directive_publish(actor=request.user, directive=directive)
    except (Invalid, Conflict) as exc:
        messages.error(request, str(exc))
        for problem in exc.problems:
            messages.warning(request, problem)
    else:
        messages.success(request, _("已发布 %(n)d 项任务。") % {"n": len(tasks)})
    return redirect("directives:detail", pk=directive.pk)


def _render_items(request, directive, error: str = ""):
    response = render(
        request,
        "directives/detail.html#items",
        {"directive": directive, "items": _items(directive, True), "list_error": error, **_grid(request)},
    )
    return _with_tally(request, directive, response)


def _done(request, directive, error: str = ""):
    """After a change to the table: the grid again for htmx, the page again without it."""
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("directives:detail", pk=directive.pk)
    return _render_items(request, directive, error)


def _version(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _selected(request, directive) -> tuple[list[DecompositionItem], dict[int, int]]:
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    items = list(directive.items.filter(pk__in=ids))
    versions = {item.pk: v for item in items if (v := _version(request.POST.get(f"v-{item.pk}"))) is not None}
    return items, versions


def _pick(queryset, value, label):
    if not value:
        return services.UNSET
    found = queryset.filter(pk=_version(value)).first()
    if found is None:
        raise Invalid(_("%(label)s不存在。") % {"label": label})
    return found


@login_required
@require_POST
def items_selection(request, pk: int):
    """What the bar above the grid does to the selected rows: accept, drop, restore, merge, or
    set their lead unit, co-units, lead leader, deadline or cadence at once."""
    directive = access.get_directive_for_user(request.user, pk)
    items, versions = _selected(request, directive)
    op = request.POST.get("op", "")
    error = ""
    try:
        if op == "merge":
            services.items_merge(actor=request.user, directive=directive, items=items)
        elif op in services.ITEM_STATES_SETTABLE:
            services.items_set_state(actor=request.user, directive=directive, items=items, state=op, versions=versions)
        elif op == "assign":
            fields = {
                "lead_unit": _pick(Unit.objects.active(), request.POST.get("lead_unit"), _("牵头单位")),
                "lead_leader": _pick(User.objects.filter(role=Role.LEADER, is_active=True), request.POST.get("lead_leader"), _("牵头领导")),
            }
            co_ids = [int(i) for i in request.POST.getlist("co_units") if i.isdigit()]
            if co_ids:
                fields["co_units"] = list(Unit.objects.active().filter(pk__in=co_ids))
            if request.POST.get("deadline"):
                form = DateForm({"issued_on": request.POST["deadline"]})
                if not form.is_valid():
                    raise Invalid(_("请填写有效的日期。"))
                fields["deadline"] = form.cleaned_data["issued_on"]
            if request.POST.get("cadence"):
                fields["cadence"] = request.POST["cadence"]
            fields = {k: v for k, v in fields.items() if v is not services.UNSET}
            services.items_bulk_assign(actor=request.user, directive=directive, items=items, versions=versions, **fields)
        else:
            raise Invalid(_("无效的操作。"))
    except (Invalid, Conflict) as exc:
        error = str(exc)
    return _done(request, directive, error)


@login_required
@require_POST
def items_merge(request, pk: int):
    directive = access.get_directive_for_user(request.user, pk)
    ids = request.POST.getlist("items")
    items = list(directive.items.filter(pk__in=[i for i in ids if i.isdigit()]))
    error = ""
    try:
        services.items_merge(actor=request.user, directive=directive, items=items)
    except (Invalid, Conflict) as exc:
        error = str(exc)
    return _done(request, directive, error)


def _get_item(request, pk, item_pk, write=False):
    directive = access.get_directive_for_user(request.user, pk, write=write)
    item = access.get_decomposition_item_for_user(request.user, directive, item_pk, write=write)
    return directive, item


@login_required
def item_card(request, pk: int, item_pk: int):
    directive, item = _get_item(request, pk, item_pk)
    return render(request, "directives/_item.html#card", _item_context(request, directive, item))


def _fresh(item: DecompositionItem) -> DecompositionItem:
    return DecompositionItem.objects.select_related("directive", "lead_unit", "lead_leader", "task").get(pk=item.pk)


@login_required
@require_POST
def item_state(request, pk: int, item_pk: int):
    directive, item = _get_item(request, pk, item_pk, write=True)
    error = ""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.item_set_state(actor=request.user, item=item, state=request.POST.get("state", ""), expected_version=version)
    except (Invalid, Conflict) as exc:
        error = str(exc)
    # Dropping or restoring a row renumbers the rows after it: the whole table comes back.
    return _done(request, directive, error)


def _initial(item: DecompositionItem) -> dict:
    return {
        "version": item.version,
        "title": item.title,
        "measures": item.measures,
        "lead_leader": item.lead_leader_id,
        "lead_unit": item.lead_unit_id,
        "co_units": [u.pk for u in item.co_units.all()],
        "deadline": item.deadline,
        "deadline_text": item.deadline_text,
        "cadence": item.cadence,
        "due_day": item.due_day,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int, item_pk: int):
    directive, item = _get_item(request, pk, item_pk, write=True)
    if not item.editable:
        return render(
            request, "directives/_item.html#card", _item_context(request, directive, item, error=_("已发布的条目不能再修改。"))
        )
    if request.method == "GET":
        form = ItemForm(initial=_initial(item))
        return render(request, "directives/_item.html#edit", _item_context(request, directive, item, form=form))
    form = ItemForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        co_units = data.pop("co_units")
        try:
            services.item_update(actor=request.user, item=item, expected_version=version, co_units=co_units, **data)
        except Conflict as exc:
            if not _is_htmx(request):
                return _done(request, directive, str(exc))
            return render(request, "directives/_item.html#card", _item_context(request, directive, _fresh(item), error=str(exc)))
        except (Invalid, Conflict) as exc:
            form.add_error(None, str(exc))
        else:
            if not _is_htmx(request):
                messages.success(request, _("已保存。"))
                return _done(request, directive)
            return render(request, "directives/_item.html#card", _item_context(request, directive, _fresh(item)))
    return render(request, "directives/_item.html#edit", _item_context(request, directive, item, form=form))


def split_points(item: DecompositionItem) -> list[dict]:
    """Offsets (relative to the row's text) just after each sentence or clause end, with the words
    on either side, so the supervisor picks where to cut."""
    text = item.source_text
    return [
        {"at": at, "before": text[max(0, at - 16) : at].strip(), "after": text[at : at + 16].strip()}
        for at in (b - item.source_start for b in services.boundaries(item))
    ]


@login_required
@require_http_methods(["GET", "POST"])
def item_split(request, pk: int, item_pk: int):
    directive, item = _get_item(request, pk, item_pk, write=True)
    ctx = _item_context(request, directive, item, points=split_points(item))
    if request.method == "GET":
        return render(request, "directives/_item.html#split", ctx)
    form = SplitForm(request.POST)
    error = ""
    if not form.is_valid() or item.source_start is None:
        error = _("请选择拆分位置。")
    else:
        try:
            services.item_split(
                actor=request.user,
                item=item,
                at=item.source_start + form.cleaned_data["at"],
                expected_version=form.cleaned_data["version"],
            )
        except (Invalid, Conflict) as exc:
            error = str(exc)
    if error and not _is_htmx(request):
        return _done(request, directive, error)
    if error:
        response = render(request, "directives/_item.html#split", {**ctx, "error": error})
        # The form targets the whole list on success; an error replaces only this row.
        response["HX-Retarget"] = f"#item-{item.pk}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return _done(request, directive)


@login_required
@require_POST
def item_split_actions(request, pk: int, item_pk: int):
    directive, item = _get_item(request, pk, item_pk, write=True)
    error = ""
    try:
        services.item_split_actions(actor=request.user, item=item, expected_version=_version(request.POST.get("version")))
    except (Invalid, Conflict) as exc:
        error = str(exc)
    return _done(request, directive, error)


@login_required
@require_POST
def item_map_unit(request, pk: int, item_pk: int):
    """对应到…: the unit name as the document wrote it becomes an alias of a directory unit."""
    directive, item = _get_item(request, pk, item_pk, write=True)
    error = ""
    try:
        unit = _pick(Unit.objects.active(), request.POST.get("unit"), _("单位"))
        if unit is services.UNSET:
            raise Invalid(_("请选择单位。"))
        services.item_map_unit(actor=request.user, item=item, name=request.POST.get("name", ""), unit=unit)
    except (Invalid, Conflict) as exc:
        error = str(exc)
    else:
        if not _is_htmx(request):
            messages.success(request, _("已记住：以后解析时按此对应。"))
    return _done(request, directive, error)


@login_required
def directive_export(request, pk: int):
    directive = access.get_directive_for_user(request.user, pk)
    response = HttpResponse(services.export_xlsx(directive), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''directive-{directive.pk}-decomposition.xlsx"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def directive_import(request, pk: int):
    directive = access.get_directive_for_user(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            data = read_upload(form.cleaned_data["file"], max_bytes=settings.UPLOAD_MAX_BYTES)
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            dry_run = form.cleaned_data["dry_run"]
            job = orgs_services.import_if_large(
                actor=request.user, kind="import:decomposition", title=_("导入任务分解表：%(title)s") % {"title": directive.title},
                data=data, upload_name=form.cleaned_data["file"].name, params={"directive": directive.pk}, dry_run=dry_run,
            )
            if job is not None:
                return redirect(job)
            report = services.decomposition_import(actor=request.user, directive=directive, data=data, dry_run=dry_run)
            if report.ok and not dry_run:
                messages.success(
                    request,
                    _("导入完成：新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。")
                    % {"created": len(report.created), "updated": len(report.updated), "unchanged": len(report.unchanged)},
                )
                return redirect("directives:detail", pk=directive.pk)
    return render(request, "directives/import.html", {"directive": directive, "form": form, "report": report})

