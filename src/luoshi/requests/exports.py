"""问题台账 (.xlsx) in the office layout: 企业名称, 问题诉求, 交办单位, 当前进展, 解决时限, 回访情况."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from luoshi.core.spreadsheets import Column, sheet_title, workbook_bytes, write_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _units(request) -> str:
    task = request.task
    if task is None:
        return _("待交办")
    names = [task.lead_unit.display_name] if task.lead_unit else []
    names += [u.display_name for u in task.co_units.all()]
    return "、".join(names)


def _progress(request) -> str:
    parts = [str(request.get_status_display())]
    if request.solution:
        parts.append(_("方案：%(text)s") % {"text": request.solution})
    latest = request.task.reports.filter(superseded=False).order_by("-submitted_at").first() if request.task_id else None
    if latest:
        parts.append(_("%(date)s：%(text)s") % {"date": latest.submitted_on.isoformat(), "text": latest.progress})
    return "\n".join(parts)


def _deadline(request) -> str:
    if not request.solve_by:
        return ""
    kind = request.get_difficulty_display() if request.difficulty else ""
    return f"{request.solve_by.isoformat()}（{kind}）" if kind else request.solve_by.isoformat()


def _callbacks(request) -> str:
    return "\n".join(
        f"{c.called_on.isoformat()} {c.get_satisfaction_display()}：{c.outcome}" + (f"（{c.reason}）" if c.reason else "")
        for c in request.callbacks.all()
    ) or _("未回访")


def problem_ledger(requests, *, today: dt.date) -> tuple[str, bytes]:
    from openpyxl import Workbook

    rows = list(requests)
    columns = [
        Column(_("企业名称"), 22), Column(_("问题诉求"), 36), Column(_("交办单位"), 16), Column(_("当前进展"), 40),
        Column(_("解决时限"), 16), Column(_("回访情况"), 30),
    ]
    values = (
        [r.company_name, f"{r.title}\n{r.description}", _units(r), _progress(r), _deadline(r), _callbacks(r)]
        for r in rows
    )
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(_("问题台账"))
    write_table(ws, title=_("“万人助万企”企业问题台账"), columns=columns, rows=values,
                subtitle=_("截至%(date)s　共%(n)d件") % {"date": today.isoformat(), "n": len(rows)})
    return f"问题台账-{today:%Y%m%d}.xlsx", workbook_bytes(wb)
