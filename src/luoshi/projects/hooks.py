"""How projects plug into the task machinery (registered in `ProjectsConfig.ready`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.core.i18n import gettext_noop, ngettext_noop
from luoshi.orgs import access as org_access
from luoshi.tasks import workflow

from . import health as rules
from .models import Project

# The same messages as the generic task rules use for unreported periods, so a project's
# missing monthly report reads like any task's.
MISSED_IN_A_ROW = ngettext_noop("连续%(count)s期未报送", "连续%(count)s期未报送")
MISSED_ONE = gettext_noop("本期（%(period)s）进展未报送")
ASSESSED = ("red", "yellow", "green")


def thresholds() -> rules.Thresholds:
    return rules.Thresholds.from_settings(getattr(settings, "LUOSHI", {}))


def project_health(project: Project, today: dt.date) -> rules.ProjectHealth:
    stage_rows = sorted(project.stages.all(), key=lambda r: (r.stage.position, r.pk))
    facts = [rules.StageFacts(r.stage.name, r.planned_on, r.actual_on) for r in stage_rows]
    monthly = {r.month: r.amount for r in project.monthly_reports.all() if r.year == project.plan_year}
    return rules.assess(
        facts, annual_plan=project.annual_plan, monthly=monthly, plan_year=project.plan_year, today=today, thresholds=thresholds()
    )


def preload_health(tasks) -> None:
    """The projects of many tasks, with what `project_health` reads, in three queries."""
    found = Project.objects.filter(task_id__in=[t.pk for t in tasks]).prefetch_related("stages__stage", "monthly_reports")
    by_task = {p.task_id: p for p in found}
    for task in tasks:
        task.health_project = by_task.get(task.pk)


def refine_health(task, verdict, today: dt.date):
    """A project's light is the project rules (stages, investment) plus the generic rule for
    missing monthly reports; the generic deadline and time-elapsed rules do not apply, because
    the stage dates and the investment plan are a project's schedule."""
    if verdict.level not in ASSESSED:
        return verdict
    if "health_project" in task.__dict__:
        project = task.health_project
    else:
        project = Project.objects.filter(task_id=task.pk).prefetch_related("stages__stage", "monthly_reports").first()
    if project is None:
        return verdict
    own = project_health(project, today)
    red, yellow = list(own.reasons[: own.red_count]), list(own.reasons[own.red_count :])
    missed = verdict.missed_periods
    red_missed = int(getattr(settings, "LUOSHI", {}).get("HEALTH_RED_MISSED_PERIODS", 2))
    if missed >= red_missed:
        red.append({"m": MISSED_IN_A_ROW[0], "pl": MISSED_IN_A_ROW[1], "n": missed, "p": {}})
    elif missed >= 1:
        yellow.append({"m": MISSED_ONE, "p": {}, "period": ["monthly", verdict.missed_period_keys[-1]]})
    level = "red" if red else "yellow" if yellow else "green"
    return dataclasses.replace(
        verdict, level=level, reasons=red + yellow, expected_percent=own.expected_percent, actual_percent=own.actual_percent,
        behind_points=own.behind_points,
    )


def page_for(task):
    project_id = Project.objects.filter(task_id=task.pk).values_list("pk", flat=True).first()
    if project_id is None:
        return None
    return _("项目台账"), reverse("projects:detail", args=[project_id])


def workbench_panel(user, today: dt.date) -> dict | None:
    """我的项目: the projects in the user's scope that are red or yellow, or flagged for 盘活."""
    if not (user.is_authenticated and (org_access.is_supervisor(user) or user.role in ("leader", "liaison"))):
        return None
    projects = Project.objects.visible_to(user).select_related("task", "task__lead_unit", "stage")
    total = projects.count()
    if not total:
        return None
    attention = list(
        projects.filter(task__status__in=workflow.ACTIVE_STATES, task__health__in=("red", "yellow"))
        .order_by("task__health_rank", "pk")[:10]
    )
    return {"template": "projects/_workbench.html", "projects": attention, "total": total}
