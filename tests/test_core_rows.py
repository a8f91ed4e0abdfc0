"""Reads compiled once (core/rows.py) give what the ORM gives."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.core.rows import Prepared, from_row, get_one
from luoshi.orgs.models import Unit
from luoshi.tasks import services
from luoshi.tasks.models import Task
from luoshi.tasks.timeline import HistoricalTask


def plan(task_id):
    return Task.objects.filter(pk=task_id).values(
        "pk", "title", "deadline", "target_value", "tags", "health_reasons", "lead_unit__name", "lead_leader_id", "status_changed_at",
    )


PLAN = Prepared(plan)
TWO = Prepared(lambda first, second: Task.objects.filter(pk__in=[first, second]).order_by("-pk").values("pk", "title"))
HISTORY = Prepared(lambda task_id: HistoricalTask.objects.filter(id=task_id).order_by("history_date", "history_id").values("history_date", "title"))


def test_it_gives_the_rows_the_orm_gives(cast, units):
    made = [
        services.task_create(
            actor=cast["supervisor"], title=f"任务{i}", lead_unit=units["lead"] if i else None, deadline=dt.date(2026, 12, 31) if i else None,
            target_value=Decimal("12.5000") if i else None, tags="甲,乙" if i else "",
        )
        for i in range(3)
    ]
    for task in made:
        assert PLAN.rows(task.pk) == list(plan(task.pk))
        assert HISTORY.rows(task.pk) == list(HistoricalTask.objects.filter(id=task.pk).order_by("history_date", "history_id").values("history_date", "title"))
    assert PLAN.rows(made[1].pk)[0]["target_value"] == Decimal("12.5000") and PLAN.rows(made[1].pk)[0]["deadline"] == dt.date(2026, 12, 31)
    assert [r["pk"] for r in TWO.rows(made[0].pk, made[2].pk)] == [made[2].pk, made[0].pk]
    assert PLAN.rows(-1) == []


BY_TITLE = Prepared(lambda lead, title: Task.objects.filter(lead_unit=lead, title=title).values("pk", "title"))


def test_it_puts_a_text_value_where_its_marker_was_compiled(cast, units):
    made = [services.task_create(actor=cast["supervisor"], title=title, lead_unit=units["lead"]) for title in ("甲", "-7730000002", "乙")]
    assert BY_TITLE.rows(units["lead"].pk, "乙") == [{"pk": made[2].pk, "title": "乙"}]
    # A value that reads like a marker is a value like any other.
    assert BY_TITLE.rows(units["lead"].pk, "-7730000002") == [{"pk": made[1].pk, "title": "-7730000002"}]
    assert BY_TITLE.rows(units["lead"].pk, "丙") == [] and BY_TITLE.rows(-1, "甲") == []


def test_it_compiles_once(cast, units):
    task = services.task_create(actor=cast["supervisor"], title="任务", lead_unit=units["lead"])
    PLAN.rows(task.pk)
    compiled = dict(PLAN._compiled)
    with CaptureQueriesContext(connection) as queries:
        PLAN.rows(task.pk)
    assert len(queries.captured_queries) == 1 and dict(PLAN._compiled) == compiled


def test_an_object_read_by_hand_is_the_object_the_orm_reads(units):
    unit = Unit.objects.get(pk=units["lead"].pk)
    found = get_one(Unit, "id = %s", [unit.pk], "default")
    assert found == unit and {f.attname: getattr(found, f.attname) for f in Unit._meta.concrete_fields} == {
        f.attname: getattr(unit, f.attname) for f in Unit._meta.concrete_fields
    }
    assert get_one(Unit, "id = %s", [-1], "default") is None
    assert from_row(Unit, [getattr(unit, f.attname) for f in Unit._meta.concrete_fields], connection) == unit
