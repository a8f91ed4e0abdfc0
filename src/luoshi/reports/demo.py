"""Demo data for the reports: today's health snapshot and the 30 days before it, replayed from the
tasks' start dates, reports and closing days (so the trend charts show a month), and,
when there are published tasks, a draft 督查通报 of the current month for the supervisors to edit.
Also one finished export job and one finished import job (labelled 演示数据), run through the
background job code itself, so 后台任务 is not empty on a first visit. Idempotent: a second run the
same day writes nothing new."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.orgs import jobs as job_runs
from luoshi.orgs import services as orgs_services
from luoshi.orgs.models import JobRun, User
from luoshi.indicators.models import IndicatorSet
from luoshi.tasks.models import Task

from . import jobs, services
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
    if supervisor and not JobRun.objects.filter(user=supervisor).exists():
        _demo_jobs(supervisor)
    return {"bulletin": bulletin.pk if bulletin else None}


DEMO_LABEL = "（演示数据）"


def _run_now(job: JobRun) -> None:
    # Run here rather than wait for a worker (which then finds it finished and leaves it alone):
    # `luoshi demo --no-serve` starts none.
    job_runs.run_job.call(job_id=job.pk)


def _demo_jobs(supervisor) -> None:
    """The board exported as .xlsx, and the demo indicator set's own figures imported back as a
    check: every value reported unchanged, nothing saved (and confirming it changes nothing)."""
    with transaction.atomic():
        export = jobs.export_job_start(actor=supervisor, kind=jobs.BOARD, query=QueryDict(""), fmt="xlsx")
        export.title += DEMO_LABEL
        export.save(update_fields=["title"])
    _run_now(export)
    indicator_set = IndicatorSet.objects.visible_to(supervisor).filter(name__contains="演示数据").order_by("pk").first()
    if indicator_set is None:
        return
    observations = indicator_set.observations.filter(value__isnull=False).order_by("period__key", "indicator__code", "entity__name")
    lines = ["城市,指标代码,期间,数值,方向"]
    rows = observations.values_list("entity__name", "indicator__code", "period__key", "value", "indicator__direction")
    lines += [f"{e},{i},{p},{v!r},{d}" for e, i, p, v, d in rows]
    content = ("\n".join(lines) + "\n").encode("utf-8")
    with transaction.atomic():
        check = orgs_services.job_start(
            actor=supervisor, kind="import:observations", title=_("导入指标数据：%(name)s") % {"name": indicator_set.name} + _("（检查）"),
            params={"indicator_set": indicator_set.pk, "layout": "auto"}, upload=content, upload_name="指标数据（演示数据）.csv",
            dry_run=True, total=len(lines),
        )
    _run_now(check)
