"""指标对标表 (.xlsx) laid out as offices use it, through luoshi.core.spreadsheets.write_table
(title row, merged group headers, 序号, neutralised text)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from luoshi.core.spreadsheets import Column, sheet_title, workbook_bytes, write_table

from .evaluation import Evaluation
from .models import Indicator
from .presenters import composite_rows, indicator_rows, tier_label


def _r(x: float | None, nd: int = 2):
    return None if x is None else round(x, nd)


def benchmark_workbook(ev: Evaluation, period: str | None, visible: list[Indicator], *, today: dt.date) -> bytes:
    from openpyxl import Workbook

    s = ev.indicator_set
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(_("指标对标表"))
    label = ev.period_by_key[period].display if period else "—"
    subtitle = _("期间：%(period)s　本市：%(us)s　第一方阵：前%(k)d名　落后阈值：第%(flag)d名以后　生成日期：%(today)s") % {
        "period": label, "us": ev.us or "—", "k": s.tier_size, "flag": s.flag_rank, "today": today.isoformat()}
    ours, prev = _("本市"), _("较上期")
    target, bench = _("目标"), _("对标")
    columns = [
        Column(_("类别"), 12), Column(_("指标"), 18), Column(_("责任单位"), 12), Column(_("方向"), 9, wrap=False),
        Column(_("计量单位"), 8, wrap=False),
        Column(_("数值"), 10, ours, wrap=False), Column(_("得分"), 8, ours, wrap=False), Column(_("排名"), 7, ours, wrap=False),
        Column(_("方阵"), 10, ours, wrap=False),
        Column(_("上期排名"), 8, prev, wrap=False), Column(_("名次变化"), 8, prev, wrap=False),
        Column(_("目标排名"), 8, target, wrap=False), Column(_("目标值"), 10, target, wrap=False),
        Column(_("需变化"), 10, target, wrap=False),
        Column(_("前沿值"), 10, bench, wrap=False), Column(_("最差值"), 10, bench, wrap=False),
        Column(_("提示"), 40),
    ]
    rows = []
    if period:
        for r in indicator_rows(ev, period, visible):
            ind = r["indicator"]
            gap = r["gap"]
            b = ev.results[period].bounds.get(ind.code)
            needs = None
            if gap is not None and gap.status == "needs_change":
                needs = gap.change
            elif gap is not None and gap.already:
                needs = _("已达到")
            rows.append([
                ind.category, ind.label, r["responsible"] or "", ind.get_direction_display(), ind.measure_unit,
                r["value"], _r(r["score"]), r["rank"], tier_label(r["tier"]) if r["rank"] else "—",
                r["prev_rank"], r["rank_change"], r["target"],
                None if gap is None else gap.required_value, needs if isinstance(needs, str) else _r(needs, 4),
                None if b is None else b.frontier, None if b is None else b.worst,
                "；".join(f.reason for f in r["flags"]),
            ])
    write_table(ws, title=_("%(name)s指标对标表") % {"name": s.name}, subtitle=subtitle, columns=columns, rows=rows)

    ws2 = wb.create_sheet(sheet_title(_("综合排名")))
    comp = composite_rows(ev, period)
    write_table(
        ws2, title=_("%(name)s综合排名") % {"name": s.name}, subtitle=_("期间：%(period)s") % {"period": label},
        columns=[Column(_("排名"), 7, wrap=False), Column(_("主体"), 12), Column(_("综合得分"), 10, wrap=False),
                 Column(_("方阵"), 10, wrap=False), Column(_("有数据指标"), 10, wrap=False),
                 Column(_("上期排名"), 8, wrap=False), Column(_("名次变化"), 8, wrap=False)],
        rows=[[r["rank"], r["entity"] + (_("（本市）") if r["is_us"] else ""), _r(r["composite"]), tier_label(r["tier"]),
               f"{r['covered']}/{r['n_indicators']}", r["prev_rank"], r["change"]] for r in comp],
    )

    ws3 = wb.create_sheet(sheet_title(_("各主体分项排名")))
    group = _("分项排名")
    ranks_rows = []
    if period:
        for e in ev.results[period].entities:
            ranks_rows.append([e.entity] + [e.indicators[i.code].rank if i.code in e.indicators else None for i in visible])
    write_table(
        ws3, title=_("%(name)s各主体分项排名") % {"name": s.name}, subtitle=_("期间：%(period)s") % {"period": label},
        columns=[Column(_("主体"), 10)] + [Column(i.label, 8, group) for i in visible], rows=ranks_rows,
    )
    return workbook_bytes(wb)


__all__ = ["benchmark_workbook"]
