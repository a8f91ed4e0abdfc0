"""Reads that several places share: the dashboard's project figures and the bulletin's 项目建设
section. Cut to what the viewer may see first."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from luoshi.tasks import workflow

from .forms import LedgerFilters
from .models import MonthlyReport, Project, Stage

LEVELS = ("red", "yellow", "green")


def _link(**params) -> str:
    base = reverse("projects:ledger")
    return f"{base}?{urlencode(params)}" if params else base


def ledger(user, data) -> tuple:
    """The ledger's rows for `user` under the filters in `data` (page, export and API share it)."""
    form = LedgerFilters(data or None)
    projects = Project.objects.visible_to(user).select_related("task", "task__lead_unit", "task__lead_leader", "stage", "batch")
    if form.is_valid():
        f = form.cleaned_data
        if f.get("q"):
            projects = projects.filter(Q(name__icontains=f["q"]) | Q(content__icontains=f["q"]) | Q(location__icontains=f["q"]))
        if f.get("stage"):
            projects = projects.filter(stage=f["stage"])
        if f.get("batch"):
            projects = projects.filter(batch=f["batch"])
        if f.get("health"):
            projects = projects.filter(task__health=f["health"])
        if f.get("unit"):
            projects = projects.filter(Q(task__lead_unit=f["unit"]) | Q(task__co_units=f["unit"])).distinct()
        if f.get("flag") == "stalled":
            projects = projects.filter(stalled=True)
        elif f.get("flag") == "idle":
            projects = projects.filter(idle=True)
    return form, projects.order_by("task__health_rank", "pk")


def figures(user) -> dict:
    """Project counts by stage and by light, 盘活 flags, and the year's investment, with links to
    the ledger filtered the same way."""
    projects = Project.objects.visible_to(user)
    by_stage = {
        row["stage"]: row for row in projects.values("stage").annotate(
            n=Count("pk"), **{level: Count("pk", filter=Q(task__health=level, task__status__in=workflow.ACTIVE_STATES)) for level in LEVELS}
        ).order_by()
    }
    stages = [
        {"stage": s.name, "n": by_stage.get(s.pk, {}).get("n", 0), **{level: by_stage.get(s.pk, {}).get(level, 0) for level in LEVELS},
         "link": _link(stage=s.pk)}
        for s in Stage.objects.filter(active=True)
    ]
    health = projects.filter(task__status__in=workflow.ACTIVE_STATES).aggregate(**{level: Count("pk", filter=Q(task__health=level)) for level in LEVELS})
    # The count, the flags and the sums in one statement over the same rows.
    plan = projects.aggregate(
        n=Count("pk"), stalled=Count("pk", filter=Q(stalled=True)), idle=Count("pk", filter=Q(idle=True)),
        total=Sum("total_investment"), plan=Sum("annual_plan"),
    )
    done = MonthlyReport.objects.filter(project__in=projects.values("pk")).aggregate(s=Sum("amount"))["s"] or 0
    return {
        "total": plan["n"],
        "stages": stages,
        "health": {level: health[level] for level in LEVELS},
        "health_links": {level: _link(health=level) for level in LEVELS},
        "stalled": plan["stalled"],
        "idle": plan["idle"],
        "flag_links": {"stalled": _link(flag="stalled"), "idle": _link(flag="idle")},
        "total_investment": float(plan["total"] or 0),
        "annual_plan": float(plan["plan"] or 0),
        "completed": float(done),
        "completion_rate": round(float(done) * 100 / float(plan["plan"]), 1) if plan["plan"] else None,
        "link": _link(),
    }


def lagging(user, limit: int = 40) -> list[Project]:
    """Red projects in the user's scope, for the bulletin."""
    return list(
        Project.objects.visible_to(user).filter(task__health="red", task__status__in=workflow.ACTIVE_STATES)
        .select_related("task__lead_unit").order_by("pk")[:limit]
    )
