"""The leaders' dashboard figures, the daily health snapshot and the 督查通报 workflow.

Everything a viewer sees is cut down by `Task.objects.visible_to` first, so a unit liaison's dashboard
counts only the tasks of their unit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Count, DateField, ExpressionWrapper, F, Max, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Conflict, Forbidden, Invalid
from luoshi.core.statemachine import StateMachine, TransitionRefused
from luoshi.core.versioning import update_checked
from luoshi.indicators import evaluation
from luoshi.indicators import access as indicator_access
from luoshi.indicators.models import IndicatorSet
from luoshi.indicators.presenters import tier_label
from luoshi.indicators.rules import is_weak
from luoshi.orgs import access as orgs_access
from luoshi.orgs.models import Role, Unit
from luoshi.supervision import standings
from luoshi.supervision import access as supervision_access
from luoshi.projects import selectors as project_selectors
from luoshi.requests import selectors as request_selectors
from luoshi.supervision.models import SupervisionAction
from luoshi.tasks import assess, selectors, workflow
from luoshi.tasks import health as health_rules
from luoshi.tasks.health import is_unreported, render_reasons
from luoshi.tasks.models import ProgressReport, Task, TaskKind, TaskTransition, task_url

from .bulletin import BulletinDocument
from .models import Bulletin, BulletinStatus, TaskSnapshot
from .periods import ReportPeriod, chinese_date, parse_period

log = logging.getLogger(__name__)

LEVELS = selectors.LEVELS
ACTIVE = selectors.ACTIVE
NOT_COUNTED = selectors.NOT_COUNTED
TREND_DAYS = 30
TOP_OVERDUE = 10






# --- links ------------------------------------------------------------------------------------


def board_url(**params) -> str:
    """The task board filtered as a chart segment is: each chart drills down to this list."""
    base = reverse("tasks:board")
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


# --- scope ------------------------------------------------------------------------------------


def counted_tasks(user):
    return selectors.counted(user)


# --- snapshot ---------------------------------------------------------------------------------


def snapshot_take(*, today: dt.date | None = None) -> int:
    """Record today's health of every counted task (the sweep calls this once a day). Running it
    again the same day replaces that day's rows, so the trend always shows the last reading.
    Returns the number of rows written (0 when a concurrent run wrote the same day first)."""
    today = today or timezone.localdate()
    try:
        return _snapshot_write(today)
    except IntegrityError:
        # Two sweeps at once: both deleted the day's rows, the other inserted first and its
        # rows are the same as ours. Its rows stand.
        return 0


@transaction.atomic
def _snapshot_write(today: dt.date) -> int:
    tasks = selectors.with_stopped_on(Task.objects.exclude(status__in=NOT_COUNTED)).order_by()
    # All four as annotations, named and selected in the order of the INSERT's columns.
    rows = tasks.annotate(
        snap_date=Value(today, output_field=DateField()), snap_task=F("pk"), snap_health=F("health"),
        # a task without a deadline is not overdue (the condition alone would be NULL)
        snap_overdue=Coalesce(ExpressionWrapper(selectors.overdue_q(today), output_field=BooleanField()), Value(False)),
    ).values_list("snap_date", "snap_task", "snap_health", "snap_overdue")
    TaskSnapshot.objects.filter(date=today).delete()
    # One INSERT … SELECT: the day's rows never pass through Python (tens of thousands of objects).
    select, params = rows.query.sql_with_params()
    q = connection.ops.quote_name
    columns = ", ".join(q(TaskSnapshot._meta.get_field(name).column) for name in ("date", "task", "health", "overdue"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(TaskSnapshot._meta.db_table)} ({columns}) {select}", params)
        return cursor.rowcount


def _snapshot_counts(user, qs) -> dict:
    """Snapshot rows of the tasks ``user`` sees, counted as :func:`tasks.selectors.task_counts` counts."""
    qs = qs.filter(task__in=Task.objects.visible_to(user).order_by().values("pk"))
    return {level: Count("pk", filter=Q(health=level)) for level in LEVELS} | {
        "overdue": Count("pk", filter=Q(overdue=True)), "total": Count("pk"),
    }, qs


def snapshot_backfill(*, today: dt.date, days: int = TREND_DAYS) -> int:
    """Snapshots for the days before `today` that have none, replayed from the tasks themselves:
    each task that had started by that day, assessed by the health rules with the reports it had
    by then, counted as done only from its closing day. Days with a snapshot are left alone (the
    sweep's reading stands). Used by the demo so that the trend starts a month back; returns the
    number of rows written."""
    first = today - dt.timedelta(days=days - 1)
    taken = set(TaskSnapshot.objects.filter(date__gte=first, date__lt=today).values_list("date", flat=True).distinct())
    missing = [first + dt.timedelta(days=n) for n in range(days - 1) if first + dt.timedelta(days=n) not in taken]
    if not missing:
        return 0
    tasks = list(Task.objects.exclude(status__in=NOT_COUNTED).prefetch_related("reports", "milestones"))
    facts = []
    for task in tasks:
        task_facts, reports, milestones = assess.facts_for(task, reports=list(task.reports.all()), milestones=list(task.milestones.all()), transitions=[])
        facts.append((task.pk, task_facts, reports, milestones))
    limits = assess.thresholds()
    rows = []
    for day in missing:
        for pk, task_facts, reports, milestones in facts:
            if task_facts.start is None or task_facts.start > day:
                continue
            if task_facts.closed_on is None or task_facts.closed_on > day:
                # Not closed yet on that day: it was being worked on.
                state = task_facts.status if task_facts.status in ACTIVE else workflow.IN_PROGRESS
                task_facts = replace(task_facts, status=state, closed_on=None, closure_requested_on=None)
            health = health_rules.assess(task_facts, [r for r in reports if r.submitted_on <= day], milestones, today=day, thresholds=limits)
            overdue = task_facts.status in ACTIVE and health.overdue_days > 0
            rows.append(TaskSnapshot(date=day, task_id=pk, health=health.level, overdue=overdue))
    TaskSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def health_trend(user, *, today: dt.date, days: int = TREND_DAYS) -> list[dict]:
    """One point per day that has a snapshot, over the tasks the viewer sees (the cards' tasks)."""
    qs = TaskSnapshot.objects.filter(date__gt=today - dt.timedelta(days=days), date__lte=today)
    counts, qs = _snapshot_counts(user, qs)
    return [
        {"date": row["date"].isoformat(), **{k: row[k] or 0 for k in counts}}
        for row in qs.order_by("date").values("date").annotate(**counts)
    ]


# --- dashboard --------------------------------------------------------------------------------


@dataclass
class Dashboard:
    today: dt.date
    counts: dict
    trend: list[dict]
    directives: list[dict]
    overdue: list[dict]
    scoreboard: dict
    indicators: dict | None
    scoped: bool
    links: dict = field(default_factory=dict)
    projects: dict | None = None  # luoshi.projects.selectors.figures
    requests: dict | None = None  # luoshi.requests.selectors.figures

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "counts": self.counts,
            "trend": self.trend,
            "directives": self.directives,
            "overdue": self.overdue,
            "scoreboard": self.scoreboard,
            "indicators": self.indicators,
            "scoped": self.scoped,
            "links": self.links,
            "projects": self.projects,
            "requests": self.requests,
        }


def health_counts(user, *, today: dt.date) -> dict:
    return selectors.task_counts(user, today)


def _by_directive(user, *, today: dt.date) -> list[dict]:
    return list(
        selectors.with_stopped_on(counted_tasks(user))
        .order_by()
        .values("directive_id", "directive__title")
        .annotate(**selectors.count_expressions(today), closed=Count("pk", filter=Q(status=workflow.CLOSED)))
    )


def completion_by_directive(user, *, today: dt.date, limit: int = 15, rows: list[dict] | None = None) -> list[dict]:
    rows = _by_directive(user, today=today) if rows is None else rows
    out = []
    for row in sorted(rows, key=lambda r: (-r["total"], r["directive_id"] or 0))[:limit]:
        total = row["total"]
        out.append(
            {
                "directive_id": row["directive_id"],
                "title": row["directive__title"] or _("未关联来源文件"),
                "total": total,
                "done": row["closed"],
                "red": row["red"],
                "overdue": row["overdue"],
                "rate": round(100 * row["closed"] / total, 1) if total else 0.0,
                "url": board_url(directive=row["directive_id"]),
            }
        )
    return out


def overdue_top(user, *, today: dt.date, limit: int = TOP_OVERDUE) -> list[dict]:
    tasks = (
        selectors.with_stopped_on(counted_tasks(user))
        .filter(selectors.overdue_q(today))
        .select_related("lead_unit")
        .order_by("deadline", "pk")
        .only("pk", "number", "code", "title", "status", "closed_on", "deadline", "health", "progress_percent", "lead_unit__name",
              "lead_unit__short_name")[:limit]
    )
    return [
        {
            "id": t.pk,
            "number": t.citation,
            "title": t.title,
            "unit": t.lead_unit.display_name if t.lead_unit else "",
            "deadline": t.deadline.isoformat(),
            "days": assess.overdue_days(t, today),
            "progress": t.progress_percent,
            "url": task_url(t.pk),
        }
        for t in tasks
    ]


def scoreboard(user, *, today: dt.date) -> dict:
    """This month's unit scoreboard (`luoshi.supervision.standings`: ranks computed over every
    unit, rows cut down to the viewer's scope). 任务数 is what the unit leads; a row links to
    those tasks on the board."""
    scope = supervision_access.scoreboard_unit_ids(user)
    out = []
    for row in standings.standings(today.replace(day=1), today):
        f = row.figures
        if scope is not None and f.unit_id not in scope:
            continue
        out.append(
            {
                "unit_id": f.unit_id,
                "unit": f.name,
                "rank": row.rank,
                "score": row.score,
                "total": f.tasks_led,
                "due": f.tasks_due,
                "done": f.tasks_done,
                "overdue": f.overdue,
                "url": board_url(unit=f.unit_id, lead=1),
            }
        )
    return {"month": today.strftime("%Y-%m"), "rows": out, "url": reverse("supervision:scoreboard")}


def indicator_summary(user) -> dict | None:
    """Our tiers and weakest indicators in the latest period of each visible indicator set. A unit
    liaison sees only the indicators their unit answers for (`may_read_indicator`)."""
    sets = list(IndicatorSet.objects.visible_to(user)[:3])
    may_read = indicator_access.may_read_indicator
    panels = []
    for indicator_set in sets:
        # The periods the set's own page reads for its latest period: the same latest period, and
        # not every period of the set decoded for one.
        ev = evaluation.evaluate(indicator_set, window=evaluation.page_window(indicator_set))
        period = ev.latest
        if period is None or ev.us is None:
            continue
        indicators = [i for i in ev.indicators if may_read(user, i)]
        if not indicators:
            continue
        set_url = reverse("indicators:set", args=[indicator_set.pk])
        tiers = []
        for row in ev.tier_summary(period, indicators):
            tiers.append(
                {
                    "label": tier_label(row["tier"]) if row["tier"] else _("暂无数据"),
                    "count": row["count"],
                    "url": set_url,
                }
            )
        cells = []
        for ind in indicators:
            cell = ev.our_cell(ind.code, period)
            # the weak ones only (the set page marks and counts the same), worst first
            if cell is not None and is_weak(cell.rank, indicator_set.flag_rank):
                cells.append((cell.rank, -(cell.score or 0), ind, cell))
        cells.sort(key=lambda c: (-c[0], -c[1]))
        weakest = [
            {
                "name": ind.label,
                "rank": rank,
                "score": None if cell.score is None else round(cell.score, 1),
                "unit": ind.responsible_unit.display_name if ind.responsible_unit else "",
                "url": reverse("indicators:indicator", args=[ind.pk]),
            }
            for rank, _s, ind, cell in cells[:5]
        ]
        panels.append(
            {
                "set": indicator_set.name,
                "period": ev.period_by_key[period].display,
                "entities": len(ev.results[period].entities),
                "tiers": tiers,
                "weakest": weakest,
                "weak_count": len(cells),
                "flag_rank": indicator_set.flag_rank,
                "url": set_url,
            }
        )
    return {"sets": panels}


def dashboard(user, *, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    # One pass over the tasks gives both the totals and the per-directive bars.
    by_directive = _by_directive(user, today=today)
    counts = {key: sum(row[key] for row in by_directive) for key in (*LEVELS, "overdue", "total")}
    links = {level: board_url(health=level) for level in LEVELS}
    links["overdue"] = board_url(overdue=1)
    links["total"] = board_url()
    links["rectification"] = board_url(kind=TaskKind.RECTIFICATION)
    return Dashboard(
        today=today,
        counts=counts,
        trend=health_trend(user, today=today),
        directives=completion_by_directive(user, today=today, rows=by_directive),
        overdue=overdue_top(user, today=today),
        scoreboard=scoreboard(user, today=today),
        indicators=indicator_summary(user),
        scoped=orgs_access.visible_unit_ids(user) is not None,
        links=links,
        projects=project_selectors.figures(user),
        requests=request_selectors.figures(user, today),
    )


# --- 督查通报 ----------------------------------------------------------------------------------


def office_name() -> str:
    """The office that signs bulletins: the configured name, else the unit its supervisors belong
    to. It does not depend on who drafts, so the page and `luoshi export` sign alike."""
    configured = getattr(settings, "LUOSHI", {}).get("BULLETIN_ISSUER")
    if configured:
        return configured
    unit = (
        Unit.objects.filter(people__role=Role.SUPERVISOR, people__is_active=True)
        .order_by("sort_order", "pk")
        .values_list("name", flat=True)
        .first()
    )
    return unit or _("督查局")


def bulletin_cc() -> str:
    return getattr(settings, "LUOSHI", {}).get("BULLETIN_CC", "")


def _number_prefix() -> str:
    return getattr(settings, "LUOSHI", {}).get("BULLETIN_NUMBER_PREFIX", _("示范督查"))


def bulletin_number(year: int, sequence: int) -> str:
    """文号 as GB/T 9704 writes it: 六角括号 around the year, no leading zeros, 号 (示范督查〔2026〕5号)."""
    return f"{_number_prefix()}〔{year}〕{sequence}号"


@dataclass
class BulletinFacts:
    """The figures a bulletin states, gathered once so the text and the tests read the same."""

    period: ReportPeriod
    as_of: dt.date
    counts: dict
    from_snapshot: bool
    reports: int
    late_reports: int
    closed_in_period: int
    lagging: list[dict]
    unreported: list[str]
    actions: dict | None
    projects: dict | None = None  # the 项目建设 section (luoshi.projects), when there are projects
    # Overdue tasks by their citable number, so a reader can look each up (at most OVERDUE_NAMED).
    overdue_tasks: list[str] = field(default_factory=list)


OVERDUE_NAMED = 10


def _period_snapshot(user, period: ReportPeriod, today: dt.date):
    """The snapshot rows of the last day in a past period that has them (the sweep may have
    missed its very last day), of the tasks the viewer sees; None for the current period."""
    if period.end >= today:
        return None
    rows = TaskSnapshot.objects.filter(date__gte=period.start, date__lte=period.end, task__in=Task.objects.visible_to(user).order_by().values("pk"))
    last = rows.order_by("-date").values_list("date", flat=True).first()
    return rows.filter(date=last) if last else None


def bulletin_facts(user, *, period: ReportPeriod, today: dt.date) -> BulletinFacts:
    """A past period is stated as it stood at its end (its last snapshot): the counts, the units
    that lagged and those that reported late in it; the current period as it stands today."""
    snapshot = _period_snapshot(user, period, today)
    if snapshot is not None:
        expressions, snapshot = _snapshot_counts(user, snapshot)
        sums = snapshot.aggregate(**expressions)
        counts, from_snapshot, as_of = {k: v or 0 for k, v in sums.items()}, True, snapshot[0].date
    else:
        counts, from_snapshot, as_of = health_counts(user, today=today), False, today
    tasks = counted_tasks(user)
    reports = ProgressReport.objects.filter(task__in=tasks.values("pk"), submitted_on__gte=period.start, submitted_on__lte=period.end)
    report_counts = reports.aggregate(n=Count("pk"), late=Count("pk", filter=Q(late=True)))
    closed = tasks.filter(status=workflow.CLOSED, closed_on__gte=period.start, closed_on__lte=period.end).count()
    overdue = selectors.overdue_q(today)
    lag_rows = (
        selectors.with_stopped_on(tasks.filter(lead_unit__isnull=False))
        .filter(Q(health="red") | overdue)
        .order_by()
        .values("lead_unit__short_name", "lead_unit__name", "lead_unit__sort_order")
        .annotate(red=Count("pk", filter=Q(health="red")), overdue=Count("pk", filter=overdue))
        .order_by("-overdue", "-red", "lead_unit__sort_order")
    )
    lagging = [
        {"unit": r["lead_unit__short_name"] or r["lead_unit__name"], "red": r["red"], "overdue": r["overdue"]} for r in lag_rows[:12]
    ]
    overdue_tasks = [
        str(t) for t in selectors.with_stopped_on(tasks).filter(overdue).order_by("deadline", "code", "pk").only("code", "number", "title")[:OVERDUE_NAMED]
    ]
    unreported: dict[str, int] = {}
    if from_snapshot:
        lagging = [
            {"unit": r["task__lead_unit__short_name"] or r["task__lead_unit__name"], "red": r["red"], "overdue": r["overdue"]}
            for r in snapshot.filter(task__lead_unit__isnull=False).filter(Q(health="red") | Q(overdue=True))
            .order_by()
            .values("task__lead_unit__short_name", "task__lead_unit__name", "task__lead_unit__sort_order")
            .annotate(red=Count("pk", filter=Q(health="red")), overdue=Count("pk", filter=Q(overdue=True)))
            .order_by("-overdue", "-red", "task__lead_unit__sort_order")[:12]
        ]
        late = snapshot.filter(overdue=True).select_related("task").order_by("task__deadline", "task__code", "task__pk")
        overdue_tasks = [str(row.task) for row in late[:OVERDUE_NAMED]]
        for unit in reports.filter(late=True, task__lead_unit__isnull=False).values_list("task__lead_unit__short_name", flat=True):
            unreported[unit] = unreported.get(unit, 0) + 1
    else:
        for unit, reasons in tasks.filter(health__in=("red", "yellow"), lead_unit__isnull=False).values_list(
            "lead_unit__short_name", "health_reasons"
        ):
            if any(is_unreported(reason) for reason in reasons or ()):
                unreported[unit] = unreported.get(unit, 0) + 1
    return BulletinFacts(
        period=period,
        as_of=as_of,
        counts=counts,
        from_snapshot=from_snapshot,
        reports=report_counts["n"],
        late_reports=report_counts["late"],
        closed_in_period=closed,
        lagging=lagging,
        unreported=sorted(unreported, key=lambda u: (-unreported[u], u)),
        actions=_action_counts(user, period),
        projects=_project_facts(user),
        overdue_tasks=overdue_tasks,
    )


def _project_facts(user) -> dict | None:
    found = project_selectors.figures(user)
    if not found["total"]:
        return None
    found["lagging"] = [
        {"name": p.name, "unit": p.task.lead_unit.display_name if p.task.lead_unit else "", "why": render_reasons(p.task.health_reasons)}
        for p in project_selectors.lagging(user)
    ]
    return found


def _project_lines(found: dict, heading: str) -> list[str]:
    stages = "，".join(_("%(stage)s%(n)d个") % {"stage": s["stage"], "n": s["n"]} for s in found["stages"] if s["n"])
    rate = _("，完成率%(rate)s%%") % {"rate": found["completion_rate"]} if found["completion_rate"] is not None else ""
    lines = [
        heading,
        _(
            "纳入调度的重点项目共%(total)d个（%(stages)s），年度计划投资%(plan).0f万元，已完成%(done).0f万元%(rate)s。"
            "其中，进度滞后（红灯）%(red)d个，需要关注（黄灯）%(yellow)d个；停滞项目%(stalled)d个、闲置项目%(idle)d个。"
        ) % {
            "total": found["total"], "stages": stages or "—", "plan": found["annual_plan"], "done": found["completed"], "rate": rate,
            "red": found["health"]["red"], "yellow": found["health"]["yellow"], "stalled": found["stalled"], "idle": found["idle"],
        },
    ]
    if found["lagging"]:
        lines.append(_("进度滞后的项目："))
        lines += [_("%(name)s（%(unit)s）：%(why)s。") % row for row in found["lagging"]]
    return lines


def _action_counts(user, period: ReportPeriod) -> dict | None:
    """督办 issued in the period, by kind."""
    Action = SupervisionAction
    qs = Action.objects.filter(issued_on__gte=period.start, issued_on__lte=period.end)
    ids = orgs_access.visible_unit_ids(user)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    kinds = dict(Action._meta.get_field("kind").choices)
    by_kind = {kinds.get(r["kind"], r["kind"]): r["n"] for r in qs.order_by().values("kind").annotate(n=Count("pk"))}
    return {"total": sum(by_kind.values()), "by_kind": by_kind, "replied": qs.exclude(replied_at=None).count()}


def bulletin_compose(facts: BulletinFacts, *, office: str, reply_by: dt.date) -> dict:
    """Title and body of a draft bulletin from its facts. The supervisor edits the text before it
    is issued; this only gives them a faithful first version."""
    c = facts.counts
    label = facts.period.label
    lines = [
        _("为推动各项重点工作落地见效，%(office)s对%(period)s重点工作任务推进情况进行了督查。现将有关情况通报如下。")
        % {"office": office, "period": label},
        _("一、总体完成情况"),
        _(
            "截至%(date)s，纳入督查的重点工作任务共%(total)d项。其中，已办结销号%(done)d项，"
            "正常推进（绿灯）%(green)d项，需要关注（黄灯）%(yellow)d项，进度滞后或逾期（红灯）%(red)d项；"
            "超过完成时限仍未办结%(overdue)d项。"
        )
        % {"date": chinese_date(facts.as_of), **{k: c.get(k) or 0 for k in ("total", "done", "green", "yellow", "red", "overdue")}},
        _("%(period)s，各单位共报送工作进展%(reports)d份，其中逾期报送%(late)d份；办结销号任务%(closed)d项。")
        % {"period": label, "reports": facts.reports, "late": facts.late_reports, "closed": facts.closed_in_period},
    ]
    if facts.actions and facts.actions["total"]:
        kinds = "、".join(f"{kind}{n}件" for kind, n in facts.actions["by_kind"].items())
        lines.append(
            _("本期共发出督办事项%(total)d件（%(kinds)s），已答复%(replied)d件。")
            % {"total": facts.actions["total"], "kinds": kinds, "replied": facts.actions["replied"]}
        )
    # With projects in scope a 项目建设 part comes second and the later parts move down one.
    if facts.projects:
        lines += _project_lines(facts.projects, _("二、项目建设情况"))
    lines.append(_("三、存在的主要问题") if facts.projects else _("二、存在的主要问题"))
    if facts.lagging:
        named = "、".join(
            f"{row['unit']}（" + "，".join(
                part
                for part in (
                    _("红灯%(n)d项") % {"n": row["red"]} if row["red"] else "",
                    _("逾期%(n)d项") % {"n": row["overdue"]} if row["overdue"] else "",
                )
                if part
            ) + "）"
            for row in facts.lagging
        )
        lines.append(_("（一）部分任务推进滞后。%(units)s等单位承担的任务进度滞后或超期未完成，需加快推进。") % {"units": named})
        if facts.overdue_tasks:
            lines.append(_("超过完成时限仍未办结的任务：%(tasks)s。") % {"tasks": "；".join(facts.overdue_tasks)})
    else:
        lines.append(_("（一）本期各单位承担的任务总体按计划推进，未发现明显滞后。"))
    if facts.unreported:
        lines.append(
            _("（二）进展报送不及时。%(units)s存在未按时报送工作进展的情况。") % {"units": "、".join(facts.unreported)}
        )
    lines += [
        _("四、下步工作要求") if facts.projects else _("三、下步工作要求"),
        _("（一）压实工作责任。各牵头单位要对照任务分解表逐项梳理，明确责任人和时间节点，确保按时保质完成。"),
        _("（二）加快滞后任务推进。亮红灯和逾期任务的牵头单位要于%(date)s前向%(office)s书面报送整改措施和完成时限。")
        % {"date": chinese_date(reply_by), "office": office},
        _("（三）按时如实报送进展。各单位要严格按照报送周期如实报送工作进展，对逾期未报送的将予以催办。"),
        _("%(office)s将持续跟踪督办，对工作推进不力、进展缓慢的单位，按程序予以通报、约谈。") % {"office": office},
    ]
    return {
        "title": _("关于%(period)s重点工作任务落实情况的通报") % {"period": label},
        "recipients": _("各责任单位："),
        "body": "\n".join(lines),
    }


@transaction.atomic
def bulletin_create(*, actor, period: str, today: dt.date | None = None) -> Bulletin:
    """Draft a bulletin for `period` (e.g. 2026-11) from the data the actor sees."""
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以起草督查通报。"))
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    today = today or timezone.localdate()
    office = office_name()
    facts = bulletin_facts(actor, period=parsed, today=today)
    text = bulletin_compose(facts, office=office, reply_by=today + dt.timedelta(days=7))
    bulletin = Bulletin(
        period_key=parsed.key,
        period_label=parsed.label,
        period_start=parsed.start,
        period_end=parsed.end,
        issuer=office,
        cc=bulletin_cc(),
        created_by=actor,
        **text,
    )
    bulletin._history_user = actor
    bulletin.save()
    return bulletin


BULLETIN_FIELDS = {"title": 200, "recipients": 300, "body": None, "issuer": 100, "cc": 300}


@transaction.atomic
def bulletin_update(*, actor, bulletin: Bulletin, expected_version: int, **changes) -> Bulletin:
    """Edit a draft (title, recipients, body, issuer). Issued bulletins are frozen."""
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以修改督查通报。"))
    unknown = set(changes) - set(BULLETIN_FIELDS)
    if unknown:
        raise Invalid(f"unknown fields: {sorted(unknown)}")
    cleaned = {}
    for name, value in changes.items():
        value = (value or "").strip()
        limit = BULLETIN_FIELDS[name]
        if name in ("title", "body", "issuer") and not value:
            raise Invalid(_("标题、正文和发文机关署名不能为空。"))
        if limit and len(value) > limit:
            raise Invalid(_("“%(field)s”过长（最多%(n)d字）。") % {"field": Bulletin._meta.get_field(name).verbose_name, "n": limit})
        cleaned[name] = value.replace("\r\n", "\n")
    _bulletin_update(bulletin, expected_version, _("已印发的通报不能修改。"), **cleaned)
    bulletin._history_user = actor
    bulletin.save(update_fields=["updated_at"])  # writes the history row with the editor
    return bulletin


ISSUE = "issue"
#: A bulletin's life: a draft is edited until the office issues it; issued, it is frozen.
BULLETIN_FLOW = StateMachine({(BulletinStatus.DRAFT, ISSUE): (BulletinStatus.ISSUED, {"supervisor"})}, states=BulletinStatus.values)


def _bulletin_update(bulletin: Bulletin, expected_version: int | None, when_issued: str, **fields) -> None:
    """A version-checked update of a draft; an issued bulletin is frozen, so a change to it is
    `Forbidden` with `when_issued`."""
    try:
        update_checked(
            bulletin, expected_version=expected_version, where={"status": BulletinStatus.DRAFT},
            conflict=_("该通报已被他人修改，请刷新页面后再保存（您的修改未保存）。"), **fields,
        )
    except Conflict:
        if Bulletin.objects.filter(pk=bulletin.pk).exclude(status=BulletinStatus.DRAFT).exists():
            raise Forbidden(when_issued) from None
        raise


def bulletin_issue(*, actor, bulletin: Bulletin, expected_version: int | None = None, today: dt.date | None = None) -> Bulletin:
    """Give the draft its 文号 and freeze it. Numbers run per year from 1; two supervisors issuing
    at once cannot get the same number (the unique constraint refuses the second, which retries)."""
    for _attempt in range(3):
        try:
            return _issue_once(actor=actor, bulletin=bulletin, expected_version=expected_version, today=today)
        except IntegrityError:
            continue
    raise Invalid(_("文号分配冲突，请重试。"))


@transaction.atomic
def _issue_once(*, actor, bulletin: Bulletin, expected_version: int | None, today: dt.date | None) -> Bulletin:
    if not orgs_access.is_supervisor(actor):
        raise Forbidden(_("只有督查员可以印发督查通报。"))
    today = today or timezone.localdate()
    year = today.year
    sequence = (Bulletin.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0) + 1
    try:
        row = BULLETIN_FLOW.check(bulletin.status, ISSUE, {"supervisor"})
    except TransitionRefused:
        raise Forbidden(_("该通报已印发。")) from None
    with transaction.atomic():
        _bulletin_update(
            bulletin, expected_version, _("该通报已印发。"),
            status=row.target, year=year, sequence=sequence, number=bulletin_number(year, sequence),
            issued_on=today, issued_by=actor,
        )
    bulletin._history_user = actor
    bulletin.save(update_fields=["updated_at"])
    return bulletin


def bulletin_document(bulletin: Bulletin):
    """The layout input for `bulletin.render_docx`."""

    return BulletinDocument(
        title=bulletin.title,
        number=bulletin.number,
        recipients=bulletin.recipients,
        paragraphs=bulletin.paragraphs,
        issuer=bulletin.issuer,
        date_text=chinese_date(bulletin.issued_on) if bulletin.issued_on else "",
        draft=not bulletin.is_issued,
        cc=bulletin.cc,
        printer=bulletin.issuer,
        print_date_text=_("%(date)s印发") % {"date": chinese_date(bulletin.issued_on)} if bulletin.issued_on else "",
    )
