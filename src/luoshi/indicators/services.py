"""Changes to indicator sets. Views, the API, the demo and tests all come through here.

Import rules (decided here, shown to the user on the import page):
- the whole file is checked first (:func:`luoshi.indicators.tabular.read_observations`); one bad
  row and nothing is saved;
- a cell already in the set with the same value, published score and rank is *unchanged*;
  re-importing the same file therefore changes nothing and writes no import record;
- a cell with a different value is *overwritten* — a newly published correction is the normal
  case — and the report lists every such cell old → new (the import record keeps the list), so no
  value is ever replaced silently;
- cells of the set that the file does not mention are left alone;
- indicators, entities and periods the file introduces are created and listed in the report; an
  existing indicator keeps its settings (direction, weight, unit …), and where the file states a
  different one the report says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


from luoshi.core.errors import Forbidden, Invalid, LuoshiError
from luoshi.core.numbers import figure
from luoshi.core.spreadsheets import RowError, apply_import, length_problems
from luoshi.orgs import jobs
from luoshi.orgs import services as orgs_services
from luoshi.orgs.access import require_actor
from luoshi.tasks import workflow
from luoshi.tasks import services as tasks
from luoshi.tasks.models import Task

from . import access, scoring, tabular
from .evaluation import evaluate, page_window, store_presentation, store_scores
from .models import Entity, Indicator, IndicatorSet, IndicatorTask, Observation, ObservationImport, Period
from .rules import is_weak

MAX_LISTED_CHANGES = 2000
SET_FIELDS = {"name", "description", "tier_size", "flag_rank", "volatility_window", "volatility_places"}
INDICATOR_FIELDS = {
    "name", "category", "direction", "measure_unit", "weight", "responsible_unit", "target_rank", "frontier", "worst", "sort_order",
}
# What score_all reads of a set and of an indicator: a new value in one of them stores the scores
# again (the edit forms send every field, so an edit of a name alone re-scores nothing).
SET_SCORED_FIELDS = ("tier_size",)
INDICATOR_SCORED_FIELDS = ("direction", "weight", "frontier", "worst")
# What the stored presentation derives from them besides the scores (the flags and the gaps):
# a new value stores the presentation again.
SET_PRESENTED_FIELDS = ("flag_rank", "volatility_window", "volatility_places")
INDICATOR_PRESENTED_FIELDS = ("target_rank",)




def _require_manager(actor) -> None:
    require_actor(actor)
    if not access.may_manage_indicators(actor):
        raise Forbidden(_("只有督查员或管理员可以修改指标对标数据。"))


# -- sets and indicators -------------------------------------------------------------------------


@transaction.atomic
def set_create(*, actor, name: str, description: str = "", tier_size: int = 6, flag_rank: int = 10,
               volatility_window: int = 4, volatility_places: int = 5) -> IndicatorSet:
    _require_manager(actor)
    name = (name or "").strip()
    if not name:
        raise Invalid(_("名称不能为空。"))
    if IndicatorSet.objects.filter(name=name).exists():
        raise Invalid(_("已有同名的指标体系。"))
    s = IndicatorSet(name=name, description=description, tier_size=tier_size, flag_rank=flag_rank,
                     volatility_window=volatility_window, volatility_places=volatility_places, created_by=actor)
    _full_clean(s)
    s._history_user = actor
    s.save()
    return s


@transaction.atomic
def set_update(*, actor, indicator_set: IndicatorSet, us: Entity | None | bool = False, **changes) -> IndicatorSet:
    """Change a set's settings; ``us`` (an entity of the set, or None for nobody) moves 本市."""
    _require_manager(actor)
    unknown = set(changes) - SET_FIELDS
    if unknown:
        raise Invalid(f"unknown fields: {sorted(unknown)}")
    scored_before = [getattr(indicator_set, f) for f in SET_SCORED_FIELDS]
    presented_before = [getattr(indicator_set, f) for f in SET_PRESENTED_FIELDS]
    for k, v in changes.items():
        setattr(indicator_set, k, v)
    _full_clean(indicator_set)
    indicator_set._history_user = actor
    indicator_set.save()
    rescore = [getattr(indicator_set, f) for f in SET_SCORED_FIELDS] != scored_before
    represent = [getattr(indicator_set, f) for f in SET_PRESENTED_FIELDS] != presented_before
    if us is not False:
        if us is not None and us.indicator_set_id != indicator_set.pk:
            raise Invalid(_("本市必须是该指标体系中的对标主体。"))
        for e in Entity.objects.filter(indicator_set=indicator_set, is_us=True).exclude(pk=getattr(us, "pk", None)):
            e.is_us = False
            e._history_user = actor
            e.save(update_fields=["is_us"])
            represent = True
        if us is not None and not us.is_us:
            us.is_us = True
            us._history_user = actor
            us.save(update_fields=["is_us"])
            represent = True
    # After 本市 has moved: the presentation is ours.
    if rescore:
        store_scores(indicator_set)
    elif represent:
        store_presentation(indicator_set)
    return indicator_set


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **changes) -> Indicator:
    _require_manager(actor)
    unknown = set(changes) - INDICATOR_FIELDS
    if unknown:
        raise Invalid(f"unknown fields: {sorted(unknown)}")
    scored_before = [getattr(indicator, f) for f in INDICATOR_SCORED_FIELDS]
    presented_before = [getattr(indicator, f) for f in INDICATOR_PRESENTED_FIELDS]
    for k, v in changes.items():
        setattr(indicator, k, v)
    _full_clean(indicator, exclude=["indicator_set"])
    indicator._history_user = actor
    indicator.save()
    if [getattr(indicator, f) for f in INDICATOR_SCORED_FIELDS] != scored_before:
        store_scores(indicator.indicator_set)
    elif [getattr(indicator, f) for f in INDICATOR_PRESENTED_FIELDS] != presented_before:
        store_presentation(indicator.indicator_set)
    return indicator


def _full_clean(obj, exclude=None) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        raise Invalid("；".join(m for ms in exc.message_dict.values() for m in ms)) from exc


# -- import ----------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import did (or, with ``dry_run``, would do). ``errors`` non-empty → nothing saved."""

    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    changed: list[dict] = field(default_factory=list)
    unchanged: int = 0
    new_indicators: list[str] = field(default_factory=list)
    new_entities: list[str] = field(default_factory=list)
    new_periods: list[str] = field(default_factory=list)
    layout: str = ""
    dry_run: bool = False
    record: ObservationImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed_count(self) -> int:
        return len(self.changed)

    @property
    def saved_anything(self) -> bool:
        return self.ok and not self.dry_run and bool(self.created or self.changed or self.new_indicators
                                                      or self.new_entities or self.new_periods)


def _cell(value, score, rank) -> dict:
    return {"value": value, "score": score, "rank": rank}


@transaction.atomic
def observations_import(*, actor, indicator_set: IndicatorSet, data: bytes, filename: str = "",
                        layout: str = "auto", dry_run: bool = False,
                        max_rows: int | None = None) -> ImportOutcome:
    """Import a long or wide .csv/.xlsx file into a set (see the module docstring for the rules)."""
    _require_manager(actor)
    read = tabular.read_observations(data, filename=filename or None, layout=layout, max_rows=max_rows)
    out = ImportOutcome(errors=list(read.errors), warnings=list(read.warnings), layout=read.layout, dry_run=dry_run)
    if read.errors:
        return out

    indicators = {i.code: i for i in Indicator.objects.filter(indicator_set=indicator_set)}
    entities = {e.name: e for e in Entity.objects.filter(indicator_set=indicator_set)}
    periods = {p.key: p for p in Period.objects.filter(indicator_set=indicator_set)}

    # Indicator properties stated by the file: for a new indicator they are its settings; for an
    # existing one, the set's settings win and a disagreement is reported.
    labels = {"direction": _("方向"), "weight": _("权重"), "unit": _("计量单位"), "name": _("指标名称"), "target_rank": _("目标排名")}
    model_field = {"direction": "direction", "weight": "weight", "unit": "measure_unit", "name": "name", "target_rank": "target_rank"}
    for code, spec in read.specs.items():
        ind = indicators.get(code)
        if ind is None:
            out.new_indicators.append(code)
            continue
        for fld in sorted(read.given.get(code, ())):
            file_value = getattr(spec, fld)
            have = getattr(ind, model_field[fld])
            if fld == "name" and not file_value:
                continue
            if (float(have) if fld == "weight" else have) != file_value:
                out.warnings.append(
                    _("指标“%(code)s”的%(what)s在文件中为“%(file)s”，与系统设置“%(have)s”不同，已按系统设置计算。")
                    % {"code": code, "what": labels[fld], "file": _show(file_value), "have": _show(have)}
                )
    seen_entities = list(dict.fromkeys(o.entity for o in read.observations))
    seen_periods = list(dict.fromkeys(o.period for o in read.observations))
    out.new_entities = [e for e in seen_entities if e not in entities]
    out.new_periods = [p for p in seen_periods if p not in periods]
    # Names the file introduces must fit their columns: found here, a dry run fails as the import would.
    candidates = [(Indicator, {"code": c, "name": read.specs[c].name, "measure_unit": read.specs[c].unit}) for c in out.new_indicators]
    candidates += [(Entity, {"name": n}) for n in out.new_entities]
    candidates += [(Period, {"key": k}) for k in out.new_periods]
    for model, fields in candidates:
        for message, column in length_problems(model, fields):
            out.errors.append(RowError(None, message, column=column))
    if out.errors:
        return out

    existing = {}
    if indicators and entities and periods:
        ind_code = {i.pk: c for c, i in indicators.items()}
        ent_name = {e.pk: n for n, e in entities.items()}
        per_key = {p.pk: k for k, p in periods.items()}
        for pk, e, i, p, v, s, r in Observation.objects.filter(indicator_set=indicator_set).values_list(
            "pk", "entity_id", "indicator_id", "period_id", "value", "published_score", "published_rank"
        ).iterator(chunk_size=20000):
            existing[(ent_name[e], ind_code[i], per_key[p])] = (pk, v, s, r)

    to_create: list[scoring.Observation] = []
    to_update: list[tuple[int, scoring.Observation]] = []
    for o in read.observations:
        have = existing.get((o.entity, o.indicator, o.period))
        if have is None:
            to_create.append(o)
        elif (have[1], have[2], have[3]) == (o.value, o.score, o.rank):
            out.unchanged += 1
        else:
            to_update.append((have[0], o))
            out.changed.append({"entity": o.entity, "indicator": o.indicator, "period": o.period,
                                "old": _cell(*have[1:]), "new": _cell(o.value, o.score, o.rank)})
    out.created = len(to_create)
    if not (to_create or to_update or out.new_indicators or out.new_entities or out.new_periods):
        return out

    def write(out: ImportOutcome) -> None:
        order = max((i.sort_order for i in indicators.values()), default=0)
        for code in out.new_indicators:
            spec = read.specs[code]
            order += 10
            indicators[code] = Indicator.objects.create(
                indicator_set=indicator_set, code=code, name=spec.name, direction=spec.direction, weight=spec.weight,
                measure_unit=spec.unit, target_rank=spec.target_rank, sort_order=order,
            )
        order = max((e.sort_order for e in entities.values()), default=0)
        for name in out.new_entities:
            order += 10
            entities[name] = Entity.objects.create(indicator_set=indicator_set, name=name, sort_order=order)
        for key in out.new_periods:
            periods[key] = Period.objects.create(indicator_set=indicator_set, key=key, label=key)
        if out.new_periods:
            _renumber_periods(indicator_set)

        Observation.objects.bulk_create(
            [Observation(indicator_set=indicator_set, entity=entities[o.entity], indicator=indicators[o.indicator],
                         period=periods[o.period], value=o.value, published_score=o.score, published_rank=o.rank)
             for o in to_create],
            batch_size=5000,
        )
        if to_update:
            Observation.objects.bulk_update(
                [Observation(pk=pk, value=o.value, published_score=o.score, published_rank=o.rank) for pk, o in to_update],
                ["value", "published_score", "published_rank"],
                batch_size=2000,
            )
        out.record = ObservationImport.objects.create(
            indicator_set=indicator_set, actor=actor, filename=(filename or "")[:255],
            sha256=hashlib.sha256(data).hexdigest(), created_count=out.created, changed_count=len(out.changed),
            unchanged_count=out.unchanged, changes=out.changed[:MAX_LISTED_CHANGES],
        )
        IndicatorSet.objects.filter(pk=indicator_set.pk).update(updated_at=timezone.now())
        store_scores(indicator_set)

    return apply_import(out, write, dry_run=dry_run)


def _renumber_periods(indicator_set: IndicatorSet) -> None:
    """Keep periods in natural order of their keys (2024H2 < 2025H1 < 2025H2)."""
    periods = sorted(Period.objects.filter(indicator_set=indicator_set), key=lambda p: scoring.period_sort_key(p.key))
    for n, p in enumerate(periods, start=1):
        if p.order != n * 10:
            p.order = n * 10
            p.save(update_fields=["order"])


def _show(v) -> str:
    if v == scoring.HIGHER:
        return _("越高越好")
    if v == scoring.LOWER:
        return _("越低越好")
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# -- weak indicator → task --------------------------------------------------------------------------


def fmt_number(x: float | None) -> str:
    """A value as people write it: 3.5, 12, 0.25 (no float noise)."""
    return figure(x)


def _fmt1(x: float) -> str:
    """At least one decimal, as evaluations print days: 5.0天, 3.5天."""
    s = fmt_number(x)
    return s if "." in s else f"{s}.0"


def task_target(indicator: Indicator, gap: scoring.Gap) -> tuple[str, float | None]:
    """The task's target text and value, e.g. ``开办企业指标排名进入前6位（当前第14位）；需由5.0天降至3.5天``."""
    k = gap.target_rank
    unit = indicator.measure_unit
    text = _("%(name)s指标排名进入前%(k)d位") % {"name": indicator.label, "k": k}
    if gap.current_rank is not None:
        text += _("（当前第%(rank)d位）") % {"rank": gap.current_rank}
    if gap.status == "needs_change" and gap.required_value is not None:
        verb = _("升至") if gap.change > 0 else _("降至")
        text += _("；需由%(cur)s%(unit)s%(verb)s%(req)s%(unit)s") % {
            "cur": _fmt1(gap.current_value), "req": _fmt1(gap.required_value), "unit": unit, "verb": verb,
        }
    elif gap.status == "no_current_value" and gap.required_value is not None:
        bound = _("不低于") if indicator.direction == scoring.HIGHER else _("不高于")
        text += _("；数值需%(bound)s%(req)s%(unit)s") % {"bound": bound, "req": _fmt1(gap.required_value), "unit": unit}
    return text, gap.required_value


def end_of_year(today: dt.date) -> dt.date:
    return dt.date(today.year, 12, 31)


def existing_task_link(indicator: Indicator) -> IndicatorTask | None:
    """The indicator's task that is still open (not 已销号 / 已撤销), if any."""

    return (IndicatorTask.objects.filter(indicator=indicator).exclude(task__status__in=workflow.TERMINAL_STATES)
            .select_related("task").first())


@transaction.atomic
def indicator_task_create(*, actor, indicator: Indicator, period: str | None = None, deadline: dt.date | None = None,
                          target_rank: int | None = None, today: dt.date | None = None) -> tuple[IndicatorTask, bool]:
    """Turn a weak indicator into a published task for its responsible unit, target filled in.

    Returns ``(link, created)``. If the indicator already has an open task, that one is returned
    with ``created=False`` and nothing is created (the caller shows it). Refused when the indicator
    has no responsible unit, we have no rank on it, or it already meets its target and is not weak.
    """


    _require_manager(actor)
    # Serialise concurrent clicks on the same indicator: the second waits, then finds the first task.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    link = existing_task_link(indicator)
    if link is not None:
        return link, False
    if indicator.responsible_unit_id is None:
        raise Invalid(_("请先为该指标设置责任单位。"))
    today = today or timezone.localdate()
    deadline = deadline or end_of_year(today)
    if deadline < today:
        raise Invalid(_("完成时限不能早于今天。"))
    ev = evaluate(indicator.indicator_set, period=period, window=page_window(indicator.indicator_set))
    period = ev.period_or_latest(period)
    if period is None or ev.us is None:
        raise Invalid(_("该指标体系没有数据或未指定本市。"))
    cell = ev.our_cell(indicator.code, period)
    if cell is None or cell.rank is None:
        raise Invalid(_("本市在该期间没有此指标的排名，无法生成任务。"))
    k = target_rank or indicator.effective_target
    weak = is_weak(cell.rank, indicator.indicator_set.flag_rank)
    if cell.rank <= k and not weak:
        raise Invalid(_("该指标当前第%(rank)d位，已达到目标第%(k)d位，无需生成任务。") % {"rank": cell.rank, "k": k})
    gap = ev.gap(indicator, period, k)
    if gap is not None:
        target_text, target_value = task_target(indicator, gap)
    else:  # only a published rank: the target is the rank itself
        target_text = _("%(name)s指标排名进入前%(k)d位（当前第%(rank)d位）") % {"name": indicator.label, "k": k, "rank": cell.rank}
        target_value = None
    reasons = [f.reason for f in ev.flags(period) if f.indicator == indicator.code]
    period_label = ev.period_by_key[period].display
    measures = _("依据%(set)s（%(period)s）：%(reasons)s。") % {
        "set": indicator.indicator_set.name, "period": period_label, "reasons": "；".join(reasons) or "—",
    }
    try:
        task = tasks.task_create(
            actor=actor,
            title=_("提升%(name)s指标排名") % {"name": indicator.label},
            lead_unit=indicator.responsible_unit,
            measures=measures,
            deadline=deadline,
            start_on=today,
            kind="key",
            tags=_("指标对标"),
            target_text=target_text,
            target_value=None if target_value is None else Decimal(fmt_number(target_value)),
        )
        tasks.task_publish(actor=actor, task=task, today=today)
    except LuoshiError as exc:
        raise Invalid(str(exc)) from exc
    link = IndicatorTask.objects.create(indicator=indicator, task=Task.objects.get(pk=task.pk), period_key=period,
                                        rank_at_creation=cell.rank, created_by=actor)
    return link, True


def observations_import_or_queue(*, actor, indicator_set: IndicatorSet, data: bytes, filename: str = "",
                                 layout: str = "auto", dry_run: bool = False):
    """The one rule for an import of observations, from the page and the API alike: a file of more
    than IMPORT_JOB_ROWS rows is queued as a background job (the `JobRun` is returned), a smaller
    one is imported at once (its `ImportOutcome`). Refused before anything is queued when the
    actor may not change the set."""
    _require_manager(actor)
    job = orgs_services.import_if_large(
        actor=actor, kind="import:observations", title=_("导入指标数据：%(name)s") % {"name": indicator_set.name},
        data=data, upload_name=filename, dry_run=dry_run, params={"indicator_set": indicator_set.pk, "layout": layout},
    )
    if job is not None:
        return job
    return observations_import(actor=actor, indicator_set=indicator_set, data=data, filename=filename, layout=layout, dry_run=dry_run)


def _observations_job(job) -> jobs.JobOutput:
    """A large observations import, run by a background job through the same service as the page."""
    indicator_set = access.get_indicator_set_for_user(job.user, job.params["indicator_set"], write=True)
    out = observations_import(actor=job.user, indicator_set=indicator_set, data=jobs.input_bytes(job), filename=job.input_name,
                              layout=job.params.get("layout", "auto"), dry_run=job.dry_run)
    summary = jobs.report_summary(out, dry_run=job.dry_run, created=out.created, updated=out.changed_count, unchanged=out.unchanged,
                                  warnings=out.warnings)
    return jobs.JobOutput(rows=job.total or 0, summary=summary)


jobs.register("import:observations", _observations_job)
