"""Rows and chart data for the pages, the export and the API, built from one Evaluation (no
queries here). Sorting is server-side: ``?sort=rank`` / ``?sort=-rank``; missing values always
sort last, whatever the direction."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .evaluation import Evaluation, Presentation
from .models import Indicator
from .rules import is_weak

_CN = "一二三四五六七八九十"


def tier_label(tier: int | None) -> str:
    if tier is None:
        return _("无数据")
    # 第一方阵 in Chinese; "Tier 1" in English, where a Chinese numeral would be noise.
    chinese = (get_language() or "").startswith("zh")
    n = _CN[tier - 1] if chinese and 1 <= tier <= 10 else str(tier)
    return _("第%(n)s方阵") % {"n": n}


def sort_choice(param: str | None, allowed: dict[str, tuple[str, bool]], default: str) -> tuple[str, bool]:
    """The column `param` names (``-`` prefix flips it), `default` when it names none: (name, flip)."""
    param = param or default
    flip = param.startswith("-")
    name = param[1:] if flip else param
    return (name, flip) if name in allowed else (default, False)


def sort_rows(rows: list[dict], param: str | None, allowed: dict[str, tuple[str, bool]], default: str):
    """Sort `rows` by the column `param` names (``-`` prefix flips it). `allowed` maps a parameter
    to (row key, natural order descending?). Returns (rows, the effective parameter)."""
    name, flip = sort_choice(param, allowed, default)
    key, desc = allowed[name]
    desc = desc != flip
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: r[key], reverse=desc)
    return present + missing, ("-" if flip else "") + name


def composite_rows(ev: Evaluation | Presentation, period: str | None) -> list[dict]:
    if period is None:
        return []
    n = len(ev.indicators)
    labels: dict[int | None, str] = {}  # translated once per tier, not once per entity
    rows = []
    for r in ev.ranking(period):
        if r.tier not in labels:
            labels[r.tier] = tier_label(r.tier)
        rows.append({
            "entity": r.entity, "is_us": r.entity == ev.us, "composite": r.composite, "rank": r.rank, "tier": r.tier,
            "tier_label": labels[r.tier], "covered": r.covered, "n_indicators": n, "prev_rank": r.prev_rank,
            # places gained since the previous period (positive = moved up)
            "change": None if r.prev_rank is None or r.rank is None else r.prev_rank - r.rank,
        })
    return rows


def entity_rows(ev: Evaluation, period: str, indicator: Indicator) -> list[dict]:
    pr = ev.results[period]
    rows = []
    for e in pr.entities:
        c = e.indicators.get(indicator.code)
        if c is None:
            continue
        rows.append({"entity": e.entity, "is_us": e.entity == ev.us, "value": c.value, "score": c.score, "rank": c.rank,
                     "tier": c.tier, "tier_label": tier_label(c.tier), "source": c.source})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["entity"]))
    return rows


def entity_sort_keys(indicator: Indicator) -> dict[str, tuple[str, bool]]:
    """Sorting by value means best first: descending for higher-is-better, ascending otherwise."""
    return {"rank": ("rank", False), "entity": ("entity", False), "score": ("score", True),
            "value": ("value", indicator.direction == "higher")}


def responsible_name(ind: Indicator) -> str | None:
    return ind.responsible_unit.display_name if ind.responsible_unit else None


def indicator_rows(ev: Evaluation | Presentation, period: str, visible: list[Indicator], links: dict | None = None) -> list[dict]:
    links = links or {}
    flags = ev.flags_by_indicator(period)
    threshold = ev.indicator_set.flag_rank
    rows = []
    for ind in visible:
        c = ev.our_cell(ind.code, period)
        rank = c.rank if c else None
        prev_rank = ev.prev_rank(ind.code, period)
        gap = ev.gap(ind, period)
        target = ind.effective_target
        rows.append({
            "indicator": ind, "order": ind.sort_order, "name": ind.label, "category": ind.category,
            "responsible": responsible_name(ind),
            "value": c.value if c else None, "score": c.score if c else None, "rank": rank,
            "tier": c.tier if c else None, "tier_label": tier_label(c.tier if c else None),
            "prev_rank": prev_rank,
            "rank_change": None if rank is None or prev_rank is None else prev_rank - rank,
            "target": target, "behind": None if rank is None else max(0, rank - target),
            "gap": gap, "flags": flags.get(ind.code, []), "link": links.get(ind.pk),
            "weak": is_weak(rank, threshold),
            "may_task": is_weak(rank, threshold) or (rank is not None and rank > target),
        })
    return rows


INDICATOR_SORTS = {
    "order": ("order", False), "name": ("name", False), "rank": ("rank", False), "score": ("score", True),
    "change": ("rank_change", False), "behind": ("behind", True), "unit": ("responsible", False),
}
COMPOSITE_SORTS = {
    "rank": ("rank", False), "entity": ("entity", False), "composite": ("composite", True),
    "change": ("change", True), "covered": ("covered", True),
}


def tier_rows(ev: Evaluation | Presentation, period: str | None, visible: list[Indicator]) -> list[dict]:
    if period is None:
        return []
    rows = ev.tier_summary(period, visible)
    for r in rows:
        r["label"] = tier_label(r["tier"])
    return rows


def heatmap(ev: Evaluation | Presentation, visible: list[Indicator]) -> dict:
    """Our rank per indicator (rows) and period (columns)."""
    rows = []
    data = []
    size, flag_rank = ev.indicator_set.tier_size, ev.indicator_set.flag_rank
    for y, ind in enumerate(visible):
        cells = []
        for x, (p, r) in enumerate(zip(ev.periods, ev.rank_series(ind.code))):
            tier = None if r is None else (r + size - 1) // size
            cells.append({"period": p, "rank": r, "tier": tier, "weak": is_weak(r, flag_rank)})
            data.append([x, y, r if r is not None else "-"])
        rows.append({"indicator": ind, "cells": cells})
    n = max((ev.entity_count(k) for k in ev.period_keys), default=1)
    return {
        "rows": rows,
        "chart": {"periods": [p.display for p in ev.periods], "indicators": [i.label for i in visible], "data": data,
                  "max": max(n, 1), "tier_size": size, "flag_rank": ev.indicator_set.flag_rank},
    }


def trend(ev: Evaluation | Presentation, indicator: Indicator | None) -> dict:
    code = indicator.code if indicator else None
    ranks = ev.rank_series(code)
    scores = ev.score_series(code)
    rows = []
    for p, r, s in zip(ev.periods, ranks, scores):
        n = ev.entity_count(p.key)
        rows.append({"period": p, "rank": r, "score": s, "n": n,
                     "tier_label": tier_label(None if r is None else (r + ev.indicator_set.tier_size - 1) // ev.indicator_set.tier_size)})
    return {
        "rows": rows,
        "chart": {"periods": [p.display for p in ev.periods], "ranks": ranks,
                  "scores": [None if s is None else round(s, 2) for s in scores],
                  "max": max([r["n"] for r in rows] or [1]), "label": indicator.label if indicator else _("综合"),
                  "tier_size": ev.indicator_set.tier_size},
    }


def chart_labels() -> dict[str, str]:
    """The words the charts print, translated here because the chart script has no catalogue."""
    return {
        "composite": _("综合得分"), "count": _("指标数"), "rank": _("排名"), "score": _("得分"), "first_tier": _("第一方阵"),
        "target": _("目标值"), "higher": _("（越高越好）"), "lower": _("（越低越好）"),
        "rank_n": _("第%(n)s位") % {"n": "{n}"},
    }
