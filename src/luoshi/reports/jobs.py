"""Large exports as background jobs (`luoshi.orgs.jobs`): the office spreadsheets of `exports`
and the board's streamed CSV/.xlsx. The rule is one for every export: more than EXPORT_JOB_ROWS
rows runs as a job, fewer are answered at once; either way the same function writes the file.
Exports only read, so a job that fails unexpectedly is run again (up to JOB_MAX_ATTEMPTS)."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.errors import Invalid
from luoshi.directives.models import Directive
from luoshi.orgs import access as orgs_access
from luoshi.orgs import jobs
from luoshi.orgs import services as orgs_services
from luoshi.orgs.models import JobRun, Unit, User
from luoshi.tasks import selectors
from luoshi.tasks.forms import BoardFilterForm

from . import exports, streaming

BOARD = "board"
BOARD_FORMATS = ("csv", "xlsx")
#: How often a running board export writes how far it got (rows), for the page's progress line.
PROGRESS_EVERY = 2000


def kind_label(kind: str) -> str:
    labels = {
        "decomposition": _("任务分解表"), "ledger": _("督办台账"), "rectification": _("整改台账"), "indicators": _("指标对标表"),
        "projects": _("项目台账"), "problems": _("问题台账"), BOARD: _("督办台账"),
    }
    return str(labels.get(kind, kind))


def board_filters(user, query) -> dict:
    """The board's filters from a query string, read by the board's own form."""
    if not query:
        return {}
    scope = orgs_access.visible_unit_ids(user)
    units = Unit.objects.filter(active=True)
    if scope is not None:
        units = units.filter(pk__in=scope)
    leaders = User.objects.filter(role="leader", is_active=True)
    directives = Directive.objects.visible_to(user)
    form = BoardFilterForm(query, units=units, leaders=leaders, directives=directives)
    return form.values()


def office_params(query) -> dict:
    """The parts of a query string an office export reads (the page, the API and the job agree)."""
    return {
        "directive": query.get("directive") or None,
        "period": query.get("period") or None,
        "filters": {key: query.get(key) for key in (*exports.LEDGER_FILTERS, "set") if query.get(key)},
    }


def export_rows(kind: str, *, user, query, fmt: str | None = None) -> int:
    """How many rows the export would write; raises `exports.ExportError` for a bad filter."""
    if kind == BOARD:
        return selectors.tasks_for(user, board_filters(user, query)).count()
    params = office_params(query)
    return exports.row_count(kind, user=user, directive=params["directive"], filters=params["filters"])


def is_large(rows: int) -> bool:
    return rows > settings.EXPORT_JOB_ROWS


def export_job_start(*, actor, kind: str, query: QueryDict, fmt: str | None = None) -> JobRun:
    """Start an export as a background job (the page's 后台导出 button, the API). Any size may be
    asked for; the rows are cut to the actor's scope when the job runs, as inline."""
    if kind == BOARD:
        if fmt not in BOARD_FORMATS:
            raise Invalid(_("导出格式只能是 csv 或 xlsx。"))
        params = {"fmt": fmt, "query": query.urlencode()}
        title = _("导出%(name)s（%(fmt)s）") % {"name": kind_label(kind), "fmt": fmt.upper()}
        job_kind = "export:board"
    elif kind in exports.KINDS and kind != "bulletin":
        params = {"kind": kind, **office_params(query)}
        title = _("导出%(name)s") % {"name": kind_label(kind)}
        job_kind = "export:office"
    else:
        raise Invalid(_("未知的导出类型：%(kind)s") % {"kind": kind})
    total = export_rows(kind, user=actor, query=query, fmt=fmt)
    return orgs_services.job_start(actor=actor, kind=job_kind, title=title, params=params, total=total)


def _office_job(job: JobRun) -> jobs.JobOutput:
    p = job.params
    result = exports.export(p["kind"], user=job.user, directive=p.get("directive"), period=p.get("period"), filters=p.get("filters") or {})
    return jobs.JobOutput(rows=job.total or 0, filename=result.filename, content=result.content)


def _board_job(job: JobRun) -> jobs.JobOutput:
    fmt = job.params["fmt"]
    tasks = selectors.tasks_for(job.user, board_filters(job.user, QueryDict(job.params.get("query", ""))))
    header, rows, widths = streaming.task_table(tasks)
    name = kind_label(BOARD)
    output = jobs.JobOutput(filename=f"{name}-{timezone.localdate().isoformat()}.{fmt}")

    def counted() -> Iterator[list]:
        for row in rows:
            output.rows += 1
            if output.rows % PROGRESS_EVERY == 0:
                JobRun.objects.filter(pk=job.pk).update(done=output.rows)
            yield row

    output.content = streaming.csv_chunks(header, counted()) if fmt == "csv" else streaming.xlsx_chunks(name, header, counted(), widths)
    return output


jobs.register("export:office", _office_job, retry=True)
jobs.register("export:board", _board_job, retry=True)
