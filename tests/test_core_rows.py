"""Reads compiled once (core/rows.py) give what the ORM gives."""

import datetime as dt
from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.core.rows import Prepared, from_row, get_one, objects, whole_objects
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


DUE_BETWEEN = Prepared(
    lambda start, end, lead: Task.objects.filter(deadline__gte=start, deadline__lt=end, lead_unit=lead).order_by("deadline").values("pk", "deadline"),
    dates=("start", "end"),
)


def test_it_puts_a_date_where_its_marker_was_compiled(cast, units):
    made = [
        services.task_create(actor=cast["supervisor"], title=f"任务{i}", lead_unit=units["lead"], deadline=dt.date(2026, 12, 1) + dt.timedelta(days=i))
        for i in range(5)
    ]
    for start, end in ((dt.date(2026, 12, 2), dt.date(2026, 12, 4)), (dt.date(2026, 11, 1), dt.date(2027, 1, 1)), (dt.date(2027, 1, 1), dt.date(2027, 2, 1))):
        expected = list(Task.objects.filter(deadline__gte=start, deadline__lt=end, lead_unit=units["lead"]).order_by("deadline").values("pk", "deadline"))
        assert DUE_BETWEEN.rows(start, end, units["lead"].pk) == expected
    assert [r["pk"] for r in DUE_BETWEEN.rows(dt.date(2026, 12, 2), dt.date(2026, 12, 4), units["lead"].pk)] == [made[1].pk, made[2].pk]
    with pytest.raises(ValueError):
        Prepared(lambda start: Task.objects.filter(deadline=start).values("pk"), dates=("stop",))


def test_it_builds_the_objects_only_and_select_related_would_load(cast, units):
    with_unit = services.task_create(actor=cast["supervisor"], title="有牵头单位", lead_unit=units["lead"], deadline=dt.date(2026, 12, 31))
    services.task_create(actor=cast["supervisor"], title="无牵头单位")
    columns = ("title", "lead_unit__short_name", "pk", "deadline", "lead_unit_id", "lead_unit__name", "lead_unit__id")  # in no field order
    rows = list(Task.objects.order_by("pk").values(*columns))
    built = objects(Task, rows, related=("lead_unit",))
    loaded = list(Task.objects.order_by("pk").select_related("lead_unit").only("title", "deadline", "lead_unit__name", "lead_unit__short_name"))
    with CaptureQueriesContext(connection) as queries:
        for b, o in zip(built, loaded, strict=True):
            assert (b.pk, b.title, b.deadline, b.lead_unit_id) == (o.pk, o.title, o.deadline, o.lead_unit_id)
            assert (b.lead_unit and (b.lead_unit.pk, b.lead_unit.display_name)) == (o.lead_unit and (o.lead_unit.pk, o.lead_unit.display_name))
    assert not queries.captured_queries
    assert built[0].pk == with_unit.pk and built[1].lead_unit is None
    assert built[0].get_deferred_fields() == {f.attname for f in Task._meta.concrete_fields} - {"id", "title", "deadline", "lead_unit_id"}
    with CaptureQueriesContext(connection) as queries:
        assert built[0].cadence == Task.objects.get(pk=with_unit.pk).cadence  # a column not read is read when asked for
    assert objects(Task, []) == []
    with pytest.raises(ValueError):
        objects(Task, [{"pk": 1, "no_such_column": 2}])


def test_it_loads_through_init_when_something_listens_to_it(cast, units):
    from django.db.models import signals

    services.task_create(actor=cast["supervisor"], title="有牵头单位", lead_unit=units["lead"])
    rows = list(Task.objects.values("pk", "title", "lead_unit_id", "lead_unit__id", "lead_unit__name"))
    seen = []

    def listen(sender, instance, **kwargs):
        seen.append(type(instance).__name__)

    signals.post_init.connect(listen, sender=Unit)
    try:
        [task] = objects(Task, rows, related=("lead_unit",))
    finally:
        signals.post_init.disconnect(listen, sender=Unit)
    assert seen == ["Unit"] and task.lead_unit.name == units["lead"].name
    assert (task._state.adding, task._state.db, task.lead_unit._state.adding) == (False, "default", False)


def test_it_saves_only_the_columns_read_as_a_deferred_object_does(cast, units):
    made = services.task_create(actor=cast["supervisor"], title="原标题", lead_unit=units["lead"], measures="具体措施")
    [task] = objects(Task, list(Task.objects.filter(pk=made.pk).values("pk", "title")))
    task.title = "新标题"
    task.save()
    made.refresh_from_db()
    assert (made.title, made.measures, made.lead_unit_id) == ("新标题", "具体措施", units["lead"].pk)


def test_it_builds_whole_objects_as_the_orm_loads_them(cast, units):
    for i in range(3):
        services.task_create(actor=cast["supervisor"], title=f"任务{i}", lead_unit=units["lead"] if i else None, deadline=dt.date(2026, 12, 1 + i),
                             target_value=Decimal("1.5") if i else None, tags="甲" if i else "")
    queryset = Task.objects.order_by("pk")
    built, loaded = whole_objects(queryset), list(queryset)
    columns = [f.attname for f in Task._meta.concrete_fields]
    assert [[getattr(t, c) for c in columns] for t in built] == [[getattr(t, c) for c in columns] for t in loaded]
    assert all(t.get_deferred_fields() == set() and not t._state.adding for t in built)
    assert whole_objects(Task.objects.none()) == []


def test_it_tells_who_sees_every_row_once_per_model_and_person(cast, monkeypatch):
    from luoshi.core.rows import sees_every
    from luoshi.orgs.models import forget
    from luoshi.tasks.models import ProgressReport, TaskQuerySet

    expected = {"supervisor": True, "admin": True, "owner": False, "member": False, "outsider": False, "leader": False}
    asked = []
    real = TaskQuerySet.visible_to
    monkeypatch.setattr(TaskQuerySet, "visible_to", lambda self, user: asked.append(user.username) or real(self, user))
    for role, answer in expected.items():
        person = cast[role]
        assert [sees_every(Task.objects.all(), person) for _ in range(3)] == [answer] * 3, role
        assert sees_every(Task.objects.filter(pk__gt=0), person) is answer
    assert sorted(asked) == sorted(cast[role].username for role in expected)  # once each
    for role, answer in expected.items():  # other models answer for themselves
        assert sees_every(ProgressReport.objects.all(), cast[role]) is answer
    # A role changed on the same object: forgotten with the person's other scopes.
    leader = cast["leader"]
    leader.role = "supervisor"
    forget(leader)
    assert sees_every(Task.objects.all(), leader) is True


def test_it_counts_as_the_orm_counts(cast, units):
    from luoshi.core.rows import Prepared, count_of
    from luoshi.orgs.models import Unit

    everything = Prepared(lambda: count_of(Unit.objects.all()))
    active = Prepared(lambda: count_of(Unit.objects.filter(active=True).order_by("name")))
    assert everything.rows() == [{"total": Unit.objects.count()}]
    Unit.objects.filter(pk=units["other"].pk).update(active=False)
    assert active.rows() == [{"total": Unit.objects.filter(active=True).count()}] and active.rows()[0]["total"] < Unit.objects.count()


def test_rows_pointing_to_the_same_object_share_it(cast, units):
    for title in ("甲", "乙"):
        services.task_create(actor=cast["supervisor"], title=title, lead_unit=units["lead"])
    services.task_create(actor=cast["supervisor"], title="丙", lead_unit=units["co"])
    rows = list(Task.objects.order_by("pk").values("pk", "title", "lead_unit_id", "lead_unit__id", "lead_unit__name"))
    a, b, c = objects(Task, rows, related=("lead_unit",))
    assert a.lead_unit is b.lead_unit and a.lead_unit.pk == units["lead"].pk and c.lead_unit.pk == units["co"].pk
    assert c.lead_unit is not a.lead_unit
