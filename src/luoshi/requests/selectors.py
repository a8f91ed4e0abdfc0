"""Reads that several places share: the ledger's rows (page, export, API) and the figures of
the dashboard. Everything is cut to what the viewer may see first."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from .models import CallBack, Request, Satisfaction, Status

OPEN = (Status.ASSIGNED, Status.PROPOSED, Status.SOLVED)


def ledger(user, filters: dict, today: dt.date):
    requests = Request.objects.visible_to(user).select_related("task", "task__lead_unit").prefetch_related("task__co_units", "callbacks")
    if filters.get("q"):
        q = filters["q"]
        requests = requests.filter(Q(company_name__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q) | Q(receipt=q.upper()) | Q(sheet_number=q))
    if filters.get("status"):
        requests = requests.filter(status=filters["status"])
    if filters.get("category"):
        requests = requests.filter(category=filters["category"])
    if filters.get("unit"):
        requests = requests.filter(task__lead_unit=filters["unit"])
    if filters.get("satisfaction"):
        requests = requests.filter(callbacks__satisfaction=filters["satisfaction"]).distinct()
    if filters.get("overdue"):
        requests = requests.filter(status__in=OPEN, solve_by__lt=today)
    if filters.get("solved"):
        requests = requests.filter(status=Status.CLOSED)
    return requests.order_by("-received_on", "-pk")


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _link(**params) -> str:
    base = reverse("requests:ledger")
    return f"{base}?{urlencode(params)}" if params else base


def figures(user, today: dt.date) -> dict:
    """受理、办结、办结率、平均办理天数、满意率, overall and by lead unit, with drill-down links.

    * received: requests taken in, less those declined (不予受理);
    * solved: requests verified and closed (销号); solve rate = solved / received;
    * average days: from receipt to 销号, over the solved ones;
    * satisfaction rate: call-backs 满意 or 基本满意 over all call-backs (a 不满意 call-back
      reopens the request and stays counted)."""
    requests = Request.objects.visible_to(user)
    counted = requests.exclude(status=Status.DECLINED)
    # The three counts of the taken-in requests in one statement.
    counts = counted.aggregate(
        received=Count("pk"), overdue=Count("pk", filter=Q(status__in=OPEN, solve_by__lt=today)),
        pending=Count("pk", filter=Q(status=Status.RECEIVED)),
    )
    received = counts["received"]
    closed = list(counted.filter(status=Status.CLOSED).values_list("received_on", "solved_on", "task__lead_unit_id"))
    callbacks = CallBack.objects.filter(request__in=requests.values("pk"))
    cb = callbacks.aggregate(n=Count("pk"), good=Count("pk", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC))))
    days = [(s - r).days for r, s, _u in closed if s]
    overdue = counts["overdue"]
    units: dict[int, dict] = {}
    for row in counted.filter(task__lead_unit__isnull=False).values("task__lead_unit", "task__lead_unit__short_name", "task__lead_unit__name").annotate(
        n=Count("pk"), solved=Count("pk", filter=Q(status=Status.CLOSED)), overdue=Count("pk", filter=Q(status__in=OPEN, solve_by__lt=today))
    ).order_by("-n", "task__lead_unit__short_name"):
        units[row["task__lead_unit"]] = {
            "unit_id": row["task__lead_unit"], "unit": row["task__lead_unit__short_name"] or row["task__lead_unit__name"],
            "received": row["n"], "solved": row["solved"], "solve_rate": _rate(row["solved"], row["n"]), "overdue": row["overdue"],
            "days": [], "link": _link(unit=row["task__lead_unit"]),
        }
    for r, s, unit_id in closed:
        if s and unit_id in units:
            units[unit_id]["days"].append((s - r).days)
    for row in callbacks.filter(request__task__lead_unit__isnull=False).values("request__task__lead_unit").annotate(
        n=Count("pk"), good=Count("pk", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC)))
    ).order_by():
        unit = units.get(row["request__task__lead_unit"])
        if unit:
            unit["satisfaction_rate"] = _rate(row["good"], row["n"])
    for unit in units.values():
        found = unit.pop("days")
        unit["average_days"] = round(sum(found) / len(found), 1) if found else None
        unit.setdefault("satisfaction_rate", None)
    return {
        "received": received,
        "solved": len(closed),
        "solve_rate": _rate(len(closed), received),
        "average_days": round(sum(days) / len(days), 1) if days else None,
        "callbacks": cb["n"],
        "satisfaction_rate": _rate(cb["good"], cb["n"]),
        "overdue": overdue,
        "pending": counts["pending"],
        "by_unit": list(units.values()),
        "links": {
            "received": _link(), "solved": _link(solved=1), "overdue": _link(overdue=1), "pending": _link(status=Status.RECEIVED),
            "unsatisfied": _link(satisfaction=Satisfaction.UNSATISFIED),
        },
    }
