"""Who may read and change indicator benchmarking (指标对标). An evaluation's results (composite
rank, tiers) concern the whole city, so every signed-in member of staff may read an indicator set.
Supervisors, admins and leaders read every indicator in it; a unit liaison reads only the
indicators their unit (or a sub-unit) is responsible for — that is the work they answer for, and
a liaison has no business reading another unit's weak spots. Only supervisors and admins import,
edit, or turn an indicator into a task. The read rules are the `visible_to` querysets in models."""

from __future__ import annotations

from django.http import Http404

from luoshi.core.rows import Prepared, attnames, sees_every
from luoshi.orgs.access import get_object_for_user, is_supervisor

from .models import Indicator, IndicatorSet, indicator_unit_scope


def may_manage_indicators(user) -> bool:
    return is_supervisor(user)


def readable_indicators(user, indicators) -> list[Indicator]:
    """Those of ``indicators`` that ``user`` may read (the scope worked out once, not per indicator)."""
    scope = indicator_unit_scope(user)
    return [i for i in indicators if scope is None or i.responsible_unit_id in scope]


def may_read_indicator(user, indicator) -> bool:
    return bool(readable_indicators(user, [indicator]))


# A set read by its id, compiled once: the set's pages open with it.
_SET = Prepared(lambda pk: IndicatorSet.objects.filter(pk=pk).values(*attnames(IndicatorSet)))


def get_indicator_set_for_user(user, pk, write: bool = False) -> IndicatorSet:
    every = IndicatorSet.objects.all()
    if not write and isinstance(pk, int) and sees_every(every, user):
        # Whoever may read every set (visible_to leaves the queryset as it is): the set by its id.
        rows = _SET.rows(pk, using=every.db)
        if not rows:
            raise Http404
        return IndicatorSet.from_db(every.db, list(rows[0]), list(rows[0].values()))
    return get_object_for_user(every, user, pk, write=write, may_write=lambda u, o: may_manage_indicators(u))


def get_indicator_for_user(user, pk, write: bool = False) -> Indicator:
    return get_object_for_user(
        Indicator.objects.select_related("indicator_set", "responsible_unit"),
        user,
        pk,
        write=write,
        may_write=lambda u, o: may_manage_indicators(u),
    )
