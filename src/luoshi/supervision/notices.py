"""Delivers the facts that apps beside this one (projects, requests) announce through the task
layer's `notice` signal: into the inbox, by e-mail and to the unit's group bots."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _

from luoshi.orgs.jobs import job_finished
from luoshi.orgs.models import JobRun

from luoshi.tasks.signals import notice

from . import services
from .models import Message


@receiver(notice, dispatch_uid="luoshi.supervision.notice")
def deliver(sender, *, kind, title, body="", url="", key=None, unit=None, to_office=False, task=None, **extra):
    services.notify(
        kind=kind, title=title, body=body, url=url, key=key, task=task,
        unit=None if to_office else unit, recipients=services.supervisors() if to_office else None,
    )


@receiver(job_finished, dispatch_uid="luoshi.supervision.job_finished")
def job_notice(sender, *, job: JobRun, **extra):
    """Tells the person who started a large import or export that it has ended: in the inbox and
    by e-mail, in the language of the page they started it from (the job runs in it)."""
    if job.state == JobRun.State.FAILED:
        title = _("后台任务失败：%(title)s") % {"title": job.title}
        body = job.error
    else:
        title = _("后台任务已完成：%(title)s") % {"title": job.title}
        summary = job.summary or {}
        if summary.get("errors"):
            body = _("有 %(n)d 处错误，未保存任何数据。") % {"n": len(summary["errors"])}
        elif summary:
            body = _("新增 %(c)d 条，更新 %(u)d 条，未变 %(n)d 条。") % {
                "c": summary.get("created", 0), "u": summary.get("updated", 0), "n": summary.get("unchanged", 0)}
        else:
            body = _("结果文件可以下载了：%(name)s") % {"name": job.result_name}
    services.notify(kind=Message.Kind.JOB, title=title, body=body, url=job.get_absolute_url(), key=f"job:{job.pk}", recipients=[job.user])
