"""Demo data for the reports: today's health snapshot and the 30 days before it, replayed from the
tasks' start dates, reports and closing days (so the trend charts show a month), and,
when there are published tasks, a draft 督查通报 of the current month for the supervisors to edit.
Idempotent: a second run the same day writes nothing new."""

from __future__ import annotations

from django.utils import timezone
from luoshi.orgs.models import User
from luoshi.tasks.models import Task

from . import services
from .models import Bulletin, TaskSnapshot
from .periods import current_month


def load(**_context) -> dict:
    today = timezone.localdate()
    if not TaskSnapshot.objects.filter(date=today).exists():
        services.snapshot_take(today=today)
    services.snapshot_backfill(today=today, days=services.TREND_DAYS)
    bulletin = None
    supervisor = User.objects.filter(username="duchaju").first()
    period = current_month(today)
    has_tasks = Task.objects.exclude(status__in=services.NOT_COUNTED).exists()
    if supervisor and has_tasks and not Bulletin.objects.filter(period_key=period.key).exists():
        bulletin = services.bulletin_create(actor=supervisor, period=period.key, today=today)
    return {"bulletin": bulletin.pk if bulletin else None}
