"""Large imports and exports as background jobs (`JobRun`), run by the task framework's worker
(`luoshi db_worker`, on any number of machines) or at once with TASKS_BACKEND=immediate.

Each app registers what its kinds of job do (`register`); the job calls the very service the
inline page calls, so a file of twenty rows and one of twenty thousand go through one code path.
When a job ends, `job_finished` is sent; the supervision app answers it with an inbox notice.

Retries: a job whose handler is marked `retry` (the exports: they only read) is queued again after
a growing delay when it fails unexpectedly, up to JOB_MAX_ATTEMPTS. Imports are never retried: the
write is one transaction, so a failure leaves nothing behind, but a worker lost between that
commit and the job's own record would import a second time on a retry (a decomposition table
creates tasks), and the same file fails the same way again anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.core.errors import LuoshiError
from luoshi.core.jobs import can_defer, task

from .models import JobRun

log = logging.getLogger(__name__)

#: Sent once a job has ended (done or failed for good), with `job`.
job_finished = Signal()


@dataclass
class JobOutput:
    """What a handler hands back: how many rows it went through, a summary for the page (an
    import's counts and errors), and a file to keep (its name and its bytes, whole or in chunks)."""

    rows: int = 0
    summary: dict = field(default_factory=dict)
    filename: str = ""
    content: bytes | Iterable[bytes] | None = None


@dataclass(frozen=True)
class Handler:
    run: Callable[[JobRun], JobOutput]
    retry: bool = False


HANDLERS: dict[str, Handler] = {}


def register(kind: str, run: Callable[[JobRun], JobOutput], *, retry: bool = False) -> None:
    HANDLERS[kind] = Handler(run=run, retry=retry)


def enqueue(job: JobRun) -> None:
    """Queue the job once the row that describes it is committed (a worker on another machine
    must find it). A queue that cannot be reached fails the job visibly rather than the page."""

    def send():
        try:
            run_job.enqueue(job_id=job.pk)
        except Exception as exc:
            log.exception("could not queue job %s", job.pk)
            with translation.override(job.language or settings.LANGUAGE_CODE):
                _fail(job.pk, _("无法提交后台任务，请稍后重试或联系管理员。"), detail=repr(exc))

    transaction.on_commit(send)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 4, 16 … minutes after the first, second, third failure."""
    return dt.timedelta(minutes=4 ** max(attempts - 1, 0))


@task()
def run_job(job_id: int) -> str:
    """Run one JobRun. Claimed with a conditional UPDATE (queued → running), so a job handed to
    two workers runs once; a finished job is left alone."""
    now = timezone.now()
    claimed = JobRun.objects.filter(pk=job_id, state=JobRun.State.QUEUED).update(state=JobRun.State.RUNNING, started_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    job = JobRun.objects.select_related("user").get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if handler is None:
            return _fail(job.pk, _("未知的后台任务类型：%(kind)s") % {"kind": job.kind})
        try:
            output = handler.run(job)
            _finish(job, output)
        except LuoshiError as exc:  # a refusal for the user (no right to it any more, a bad file): final
            return _fail(job.pk, str(exc))
        except (Http404, PermissionDenied):  # what it works on is gone, or out of the person's reach now
            return _fail(job.pk, _("要处理的对象已不存在，或您已无权访问。"))
        except Exception as exc:
            log.exception("job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
            if handler.retry and job.attempts < settings.JOB_MAX_ATTEMPTS and can_defer(run_job):
                JobRun.objects.filter(pk=job.pk).update(
                    state=JobRun.State.QUEUED, error=_("第 %(n)d 次运行出错，稍后自动重试。") % {"n": job.attempts}, detail=repr(exc)
                )
                try:
                    run_job.using(run_after=timezone.now() + retry_delay(job.attempts)).enqueue(job_id=job.pk)
                except Exception as again:  # the queue itself is gone: a job left queued would wait forever
                    return _fail(job.pk, _("后台任务出错，已记录。请稍后重试或联系管理员。"), detail=f"{exc!r}; {again!r}")
                return "retrying"
            return _fail(job.pk, _("后台任务出错，已记录。请稍后重试或联系管理员。"), detail=repr(exc))
        job.refresh_from_db()
        _announce(job)
    return job.state


def fail_stale(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Jobs left 运行中 for longer than JOB_STALE_MINUTES: the worker running them died (a job of
    20,000 rows takes seconds). Each is marked failed and its owner told, so nothing waits forever
    unseen. Run by the daily sweep; returns how many."""
    now = now or timezone.now()
    stale = JobRun.objects.filter(state=JobRun.State.RUNNING, started_at__lt=now - dt.timedelta(minutes=settings.JOB_STALE_MINUTES))
    ids = list(stale.values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    failed = 0
    for job in JobRun.objects.filter(pk__in=ids).select_related("user"):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("后台任务运行中断（处理它的进程已停止）。导出请重新提交；导入请先核对数据是否已保存，再重新提交。")
            # Conditional: a job that finished meanwhile keeps its outcome.
            if JobRun.objects.filter(pk=job.pk, state=JobRun.State.RUNNING).update(state=JobRun.State.FAILED, error=message, finished_at=now):
                job.refresh_from_db()
                _announce(job)
                failed += 1
    return failed


def purge_files(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the files of jobs finished more than JOB_FILE_DAYS ago from the upload store, so
    that exports and uploads do not pile up for ever; the records stay, with the files' names, and
    their pages say the file is gone. An upload shared by a check and the save that followed it is
    deleted only when neither still keeps it. Run by the daily sweep; returns how many jobs."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOB_FILE_DAYS)
    has_file = ~Q(result_file="") | ~Q(input_file="")
    due = list(JobRun.objects.filter(has_file, finished_at__lt=cutoff).values_list("pk", "input_file", "result_file"))
    if dry_run or not due:
        return len(due)
    ids = [pk for pk, _in, _out in due]
    kept = set(JobRun.objects.filter(has_file).exclude(pk__in=ids).values_list("input_file", flat=True))
    names = {name for _pk, name_in, name_out in due for name in (name_in, name_out) if name and name not in kept}
    # The records first: a file the store fails to delete is an orphan on disk, never a job whose
    # download link points at nothing.
    JobRun.objects.filter(pk__in=ids).update(input_file="", result_file="")
    storage = JobRun._meta.get_field("result_file").storage
    for name in sorted(names):
        try:
            storage.delete(name)
        except OSError as exc:
            log.warning("job file %s could not be deleted: %r", name, exc)
    return len(due)


def _finish(job: JobRun, output: JobOutput) -> None:
    if output.content is not None:
        if isinstance(output.content, bytes):
            job.result_file.save(output.filename, ContentFile(output.content), save=False)
        else:
            # Chunks go to a temporary file first: a 20,000-row sheet never sits whole in memory.
            with tempfile.TemporaryFile() as spool:
                for chunk in output.content:
                    spool.write(chunk)
                spool.seek(0)
                job.result_file.save(output.filename, File(spool), save=False)
        job.result_name = output.filename
    job.summary = output.summary
    job.done = output.rows
    job.state = JobRun.State.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["result_file", "result_name", "summary", "done", "state", "error", "finished_at"])


def _fail(job_id: int, message: str, *, detail: str = "") -> str:
    JobRun.objects.filter(pk=job_id).update(state=JobRun.State.FAILED, error=message, detail=detail, finished_at=timezone.now())
    job = JobRun.objects.select_related("user").get(pk=job_id)
    _announce(job)
    return job.state


def _announce(job: JobRun) -> None:
    # The job's outcome is recorded already: a notice that cannot be sent must not undo it.
    for receiver, result in job_finished.send_robust(sender=JobRun, job=job):
        if isinstance(result, Exception):
            log.error("job %s: %r could not announce its end: %r", job.pk, receiver, result)


def input_bytes(job: JobRun) -> bytes:
    """The uploaded file a job works on, read back from the upload store."""
    with job.input_file.open("rb") as handle:
        return handle.read()


def report_summary(report, *, dry_run: bool, created=None, updated=None, unchanged=None, warnings=()) -> dict:
    """An import's outcome as the job page and the notice tell it. Counts default to the lengths
    of the report's created/updated/unchanged lists (`core.spreadsheets.ImportReport`); every
    error is kept (the report already caps them, saying how many it left out)."""
    return {
        "ok": not report.errors,
        "dry_run": dry_run,
        "created": len(report.created) if created is None else created,
        "updated": len(report.updated) if updated is None else updated,
        "unchanged": len(report.unchanged) if unchanged is None else unchanged,
        "errors": [str(e) for e in report.errors],
        "warnings": [str(w) for w in warnings],
    }


def result_response(job: JobRun) -> FileResponse:
    """The job's result file as a download (the page and the API); 404 when the store has lost it."""
    try:
        handle = job.result_file.open("rb")
    except OSError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=job.result_name or job.result_file.name.rsplit("/", 1)[-1])
