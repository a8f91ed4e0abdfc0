"""Indicator benchmarking pages. Every page reads the set through `get_*_for_user` and shows each
chart's data again as a table. The set's four pages (overview, indicator table, heat map, trend)
read what they show as stored with the scores (`present`); the indicator page and the export read
the stored scores once per request (`evaluation_for`)."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.core.errors import LuoshiError
from luoshi.core.rows import Prepared
from luoshi.core.spreadsheets import SpreadsheetError, read_upload
from luoshi.orgs.models import JobRun
from luoshi.tasks import workflow
from luoshi.tasks.models import Task, task_url

from . import access, fragments, services
from .evaluation import evaluation_for, present
from .exports import benchmark_workbook
from .forms import ImportForm, IndicatorForm, IndicatorSetForm, TaskFromIndicatorForm
from .models import IndicatorSet, IndicatorTask, ObservationImport
from .rules import is_weak
from .templatetags.indicator_tags import task_cells
from .presenters import (
    COMPOSITE_SORTS,
    INDICATOR_SORTS,
    chart_labels,
    composite_rows,
    entity_rows,
    entity_sort_keys,
    heatmap,
    indicator_rows,
    sort_choice,
    sort_rows,
    tier_label,
    tier_rows,
    trend,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


# The set's indicators' open tasks (the indicator table's last column), compiled once: the task
# read with the columns its number and state are shown from.
_TASK_FIELDS = ("id", "code", "number", "status")
_OPEN_LINKS = Prepared(lambda set_id: IndicatorTask.objects.filter(indicator__indicator_set=set_id)
                       .exclude(task__status__in=workflow.TERMINAL_STATES).order_by("created_at")
                       .values("indicator_id", *(f"task__{f}" for f in _TASK_FIELDS)))


_TASK_COLUMNS = [f.attname for f in Task._meta.concrete_fields if f.attname in _TASK_FIELDS]


class OpenTask(NamedTuple):
    indicator_id: int
    task: Task
    url: str | None


def _open_links(indicator_set, indicators) -> dict[int, OpenTask]:
    """indicator pk → its open task (the latest opened), for ``indicators``."""
    wanted = {i.pk for i in indicators}
    db = IndicatorTask.objects.db
    out = {}
    for row in _OPEN_LINKS.rows(indicator_set.pk, using=db):
        if row["indicator_id"] in wanted:
            # from_db takes the values in the model's column order.
            task = Task.from_db(db, _TASK_COLUMNS, [row[f"task__{f}"] for f in _TASK_COLUMNS])
            out[row["indicator_id"]] = OpenTask(row["indicator_id"], task, task_url(task.pk))
    return out


def _page(request, pk, tab, page, *, sorts=None):
    """The set, its presentation for ``page`` (with the page's stored markup when there is one for
    this reader), the period shown, the indicators the reader may see (as rows) and the context."""
    s = access.get_indicator_set_for_user(request.user, pk)
    can_manage = access.may_manage_indicators(request.user)
    seen: dict = {}

    def fragment(indicators, entities, periods):
        visible = seen["visible"] = access.readable_indicators(request.user, indicators)
        params = _fragment_params(request, page, periods, sorts, visible)
        if params is None:
            return None
        # The header's import and settings buttons: one markup for those who may manage the set,
        # one for everyone else.
        return fragments.key(page, indicator_set=s, indicators=indicators, entities=entities, periods=periods,
                             visible=visible, params=(*params, ("manage", can_manage)))

    ev = present(s, page, period=request.GET.get("period"), fragment=fragment)
    period = ev.period_or_latest(request.GET.get("period"))
    visible = seen["visible"]
    context = {
        "set": s, "ev": ev, "period": period, "period_obj": ev.period_by_key.get(period), "periods": ev.all_periods,
        "tab": tab, "can_manage": can_manage, "all_visible": len(visible) == len(ev.indicator_rows),
    }
    return s, ev, period, visible, context


def _written(ev, visible_rows, context) -> tuple[list, dict]:
    """For writing the stored part: the visible indicators as model objects, and the context with
    them."""
    visible = ev.objects(visible_rows)
    return visible, {**context, "visible": visible}


def _fragment_params(request, page, periods, sorts, visible) -> tuple | None:
    """The request's parameters the stored part of ``page`` is written from, or None when the
    request has others (or values the page does not know): such a page is written afresh and not
    stored, so odd addresses cannot fill the store. The period pages' sort links write every
    parameter back; the heat map and the trend read the period (the header's export link; any
    other value than a period's is the latest period, as no value is) and the trend the indicator
    chosen."""
    keys = {p.key for p in periods}
    if page == "heatmap" or page.startswith("trend"):
        period = request.GET.get("period")
        params = (("period", period if period in keys else ""),)
        if page == "heatmap":
            return params
        code = request.GET.get("indicator") or ""
        return (*params, ("indicator", code if any(i.code == code for i in visible) else ""))
    params = []
    for name, values in request.GET.lists():
        if len(values) != 1:
            return None
        value = values[0]
        if not ((name == "period" and value in keys) or (name == "sort" and value.removeprefix("-") in sorts)):
            return None
        params.append((name, value))
    return tuple(sorted(params))


def _sort(request, sorts, default) -> str:
    name, flip = sort_choice(request.GET.get("sort"), sorts, default)
    return ("-" if flip else "") + name


@login_required
def index(request):
    sets = (IndicatorSet.objects.visible_to(request.user)
            .annotate(n_indicators=Count("indicators", distinct=True), n_entities=Count("entities", distinct=True),
                      n_periods=Count("periods", distinct=True)).order_by("-created_at", "pk"))
    return render(request, "indicators/index.html", {"sets": sets, "can_manage": access.may_manage_indicators(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def set_create(request):
    if not access.may_manage_indicators(request.user):
        raise PermissionDenied
    form = IndicatorSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.set_create(actor=request.user, **form.cleaned_data)
        except LuoshiError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已创建指标体系。请导入观测值。"))
            return redirect("indicators:import", s.pk)
    return render(request, "indicators/set_form.html", {"form": form, "set": None})


@login_required
@require_http_methods(["GET", "POST"])
def set_edit(request, pk: int):
    s = access.get_indicator_set_for_user(request.user, pk, write=True)
    form = IndicatorSetForm(request.POST or None, instance=IndicatorSet.objects.get(pk=s.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        us = data.pop("us", None)
        try:
            services.set_update(actor=request.user, indicator_set=s, us=us, **data)
        except LuoshiError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("indicators:set", s.pk)
    return render(request, "indicators/set_form.html", {"form": form, "set": s})


@login_required
def set_overview(request, pk: int):
    s, ev, period, visible_rows, context = _page(request, pk, "overview", "overview", sorts=COMPOSITE_SORTS)
    context["sort"] = _sort(request, COMPOSITE_SORTS, "rank")

    def build():
        visible, written = _written(ev, visible_rows, context)
        by_rank = composite_rows(ev, period)
        rows = sort_rows(list(by_rank), request.GET.get("sort"), COMPOSITE_SORTS, "rank")[0]
        tiers = tier_rows(ev, period, visible)
        codes = {i.code for i in visible}
        grouped: dict = {}
        for f in (ev.flags(period) if period else []):
            if f.indicator is None or f.indicator in codes:
                grouped.setdefault(f.indicator, []).append(f)
        # The composite first, then the indicators in the set's order.
        flags = [{"indicator": ev.by_code.get(code), "label": fl[0].label, "flags": fl,
                  "rank": fl[0].ranks[-1] if fl[0].ranks else None} for code, fl in grouped.items()]
        flags.sort(key=lambda r: (r["indicator"] is not None, r["indicator"].sort_order if r["indicator"] else 0))
        our = ev.our_row(period) if period else None
        chart = {
            "composite": {"entities": [r["entity"] for r in by_rank],
                          "scores": [None if r["composite"] is None else round(r["composite"], 2) for r in by_rank], "us": ev.us},
            "tiers": {"labels": [t["label"] for t in tiers], "counts": [t["count"] for t in tiers]},
        } if period else None
        if chart:
            chart["labels"] = chart_labels()
        return {
            **written, "rows": rows, "tiers": tiers, "flags": flags, "our": our,
            "our_tier": tier_label(our.tier) if our and our.rank else "",
            "weak_count": sum(1 for i in visible if (c := ev.our_cell(i.code, period)) and is_weak(c.rank, s.flag_rank)) if period else 0,
            "chart": chart,
        }

    context["body"] = fragments.body(request, ev, "overview", build)
    return render(request, "indicators/set_overview.html", context)


@login_required
def indicator_table(request, pk: int):
    s, ev, period, visible_rows, context = _page(request, pk, "indicators", "table", sorts=INDICATOR_SORTS)
    context["sort"] = _sort(request, INDICATOR_SORTS, "order")
    links = _open_links(s, visible_rows)
    token = get_token(request)

    def build():
        visible, written = _written(ev, visible_rows, context)
        rows = indicator_rows(ev, period, visible, links) if period else []
        rows = sort_rows(rows, request.GET.get("sort"), INDICATOR_SORTS, "order")[0]
        return {**written, "rows": rows, "csrf_token": token}

    by_pk = {i.pk: i for i in visible_rows}
    write = task_cells(period=period, can_manage=context["can_manage"], csrf_token=token)
    context["body"] = fragments.body(request, ev, "table", build,
                                     cell=lambda pk, may_task: write(r := by_pk[pk], links.get(pk), may_task, r.label, r.responsible_name))
    return render(request, "indicators/indicator_table.html", context)


@login_required
def heatmap_view(request, pk: int):
    s, ev, period, visible_rows, context = _page(request, pk, "heatmap", "heatmap")

    def build():
        visible, written = _written(ev, visible_rows, context)
        data = heatmap(ev, visible)
        return {**written, "heat": data, "chart": {**data["chart"], "labels": chart_labels()}}

    context["body"] = fragments.body(request, ev, "heatmap", build)
    return render(request, "indicators/heatmap.html", context)


@login_required
def trend_view(request, pk: int):
    code = request.GET.get("indicator") or ""
    s, ev, period, visible_rows, context = _page(request, pk, "trend", "trend_indicator" if code else "trend")

    def build():
        visible, written = _written(ev, visible_rows, context)
        chosen = next((i for i in visible if i.code == code), None)
        data = trend(ev, chosen)
        return {**written, "chosen": chosen, "trend": data, "chart": {**data["chart"], "labels": chart_labels()}}

    context["body"] = fragments.body(request, ev, "trend", build)
    return render(request, "indicators/trend.html", context)


@login_required
def indicator_detail(request, pk: int):
    indicator = access.get_indicator_for_user(request.user, pk)
    s = indicator.indicator_set
    ev = evaluation_for(request, s, period=request.GET.get("period"))
    indicator = ev.by_code.get(indicator.code, indicator)
    period = ev.period_or_latest(request.GET.get("period"))
    rows = entity_rows(ev, period, indicator) if period else []
    bar = {"entities": [r["entity"] for r in rows], "values": [r["value"] for r in rows], "us": ev.us,
           "unit": indicator.measure_unit, "direction": indicator.direction}
    rows, sort = sort_rows(rows, request.GET.get("sort"), entity_sort_keys(indicator), "rank")
    gap = ev.gap(indicator, period) if period else None
    if gap is not None and gap.required_value is not None:
        bar["required"] = gap.required_value
    flags = [f for f in ev.flags(period) if f.indicator == indicator.code] if period else []
    history = [{"period": p, "rank": r, "score": sc, "value": (ev.our_cell(indicator.code, p.key).value if ev.us and ev.our_cell(indicator.code, p.key) else None)}
               for p, r, sc in zip(ev.periods, ev.rank_series(indicator.code), ev.score_series(indicator.code))]
    links = list(IndicatorTask.objects.filter(indicator=indicator).select_related("task", "task__lead_unit"))
    for link in links:
        link.url = task_url(link.task_id)
    bounds = ev.results[period].bounds.get(indicator.code) if period else None
    cell = ev.our_cell(indicator.code, period) if period else None
    context = {
        "set": s, "ev": ev, "indicator": indicator, "period": period, "period_obj": ev.period_by_key.get(period),
        "periods": ev.all_periods, "rows": rows, "sort": sort, "gap": gap, "flags": flags, "history": history,
        "links": links, "open_link": services.existing_task_link(indicator), "bounds": bounds, "cell": cell,
        "can_manage": access.may_manage_indicators(request.user), "tab": "indicators",
        "task_form": TaskFromIndicatorForm(initial={"period": period}),
        "may_create_task": bool(cell and (is_weak(cell.rank, s.flag_rank) or (cell.rank is not None and cell.rank > indicator.effective_target))),
        "chart": {"labels": chart_labels(), "bar": bar, "history": {"periods": [p.display for p in ev.periods],
                                           "max": max([len(ev.results[k].entities) for k in ev.period_keys] or [1]),
                                           "ranks": [h["rank"] for h in history], "scores": [h["score"] for h in history]}},
    }
    return render(request, "indicators/indicator_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    indicator = access.get_indicator_for_user(request.user, pk, write=True)
    form = IndicatorForm(request.POST or None, instance=type(indicator).objects.get(pk=indicator.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=request.user, indicator=indicator, **form.cleaned_data)
        except LuoshiError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("indicators:indicator", indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": indicator, "set": indicator.indicator_set})


@login_required
@require_POST
def indicator_task(request, pk: int):
    indicator = access.get_indicator_for_user(request.user, pk, write=True)
    form = TaskFromIndicatorForm(request.POST)
    back = reverse("indicators:indicator", args=[indicator.pk])
    if not form.is_valid():
        messages.error(request, _("完成时限不是有效日期。"))
        return redirect(back)
    try:
        link, created = services.indicator_task_create(
            actor=request.user, indicator=indicator, period=form.cleaned_data["period"] or None,
            deadline=form.cleaned_data["deadline"],
        )
    except LuoshiError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    task = link.task
    if created:
        messages.success(request, _("已生成任务并发布给%(unit)s：%(title)s（目标：%(target)s）") % {
            "unit": task.lead_unit.display_name, "title": task.title, "target": task.target_text})
    else:
        messages.info(request, _("该指标已有未销号的任务，未重复生成：%(number)s %(title)s") % {"number": task.citation, "title": task.title})
    return redirect(task_url(task.pk) or back)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, pk: int):
    s = access.get_indicator_set_for_user(request.user, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = read_upload(upload, max_bytes=MAX_UPLOAD_BYTES)
            except SpreadsheetError as exc:
                messages.error(request, str(exc))
            else:
                outcome = services.observations_import_or_queue(
                    actor=request.user, indicator_set=s, data=data, filename=upload.name,
                    layout=form.cleaned_data["layout"], dry_run=form.cleaned_data["dry_run"],
                )
                if isinstance(outcome, JobRun):
                    return redirect(outcome)
                if outcome.ok and not outcome.dry_run:
                    messages.success(request, _("导入完成：新增 %(c)d 个，修改 %(u)d 个，未变 %(n)d 个。") % {
                        "c": outcome.created, "u": outcome.changed_count, "n": outcome.unchanged})
        elif "file" in form.errors:
            messages.error(request, _("请选择要导入的 .xlsx 或 .csv 文件。"))
    recent = ObservationImport.objects.filter(indicator_set=s).select_related("actor")[:10]
    return render(request, "indicators/import.html", {"set": s, "form": form, "outcome": outcome, "recent": recent,
                                                      "tab": "import", "can_manage": True})


@login_required
def export_view(request, pk: int):
    s = access.get_indicator_set_for_user(request.user, pk)
    ev = evaluation_for(request, s, period=request.GET.get("period"))
    period = ev.period_or_latest(request.GET.get("period"))
    visible = [i for i in ev.indicators if access.may_read_indicator(request.user, i)]
    data = benchmark_workbook(ev, period, visible, today=timezone.localdate())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    name = f"指标对标表-{s.name}-{period or ''}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
