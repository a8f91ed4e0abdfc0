import datetime as dt

import pytest
from django.utils import translation

from luoshi.core.errors import Conflict, LuoshiError
from luoshi.tasks import access
from luoshi.tasks import services
from luoshi.tasks.models import Task

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def task(cast, units):
    task = services.task_create(
        actor=cast["supervisor"], title="优化营商环境", lead_unit=units["lead"], co_units=[units["co"]],
        lead_leader=cast["leader"], deadline=dt.date(2026, 12, 31), start_on=dt.date(2026, 11, 1),
    )
    services.task_publish(actor=cast["supervisor"], task=task, today=TODAY)
    return task


def test_it_numbers_tasks_and_subtasks(cast, units, task):
    second = services.task_create(actor=cast["supervisor"], title="第二项", lead_unit=units["co"])
    sub = services.task_create(actor=cast["supervisor"], title="子任务", parent=task, lead_unit=units["lead"])
    subsub = services.task_create(actor=cast["supervisor"], title="孙任务", parent=sub, lead_unit=units["lead"])
    assert (task.number, second.number, sub.number, subsub.number) == ("1", "2", "1.1", "1.1.1")


def test_it_scopes_tasks_to_lead_and_co_units(cast, task):
    for who, sees in {"owner": True, "member": True, "outsider": False, "leader": True, "supervisor": True}.items():
        assert (task in Task.objects.visible_to(cast[who])) is sees, who


def test_it_scopes_a_few_tasks_as_it_scopes_a_list(cast, units, task):
    """``within(scope, few=True)`` checks each task's co-units one by one instead of gathering the
    units' co-tasks: the same tasks for every kind of reader (lead, co-unit, leader, outsider,
    supervisor), drafts hidden as before."""
    from luoshi.tasks.models import task_scope

    services.task_create(actor=cast["supervisor"], title="草稿", lead_unit=units["lead"], co_units=[units["co"]])
    other = services.task_create(actor=cast["supervisor"], title="别的", lead_unit=units["other"], co_units=[units["co"], units["sub"]],
                                 deadline=TODAY + dt.timedelta(days=60))
    services.task_publish(actor=cast["supervisor"], task=other, today=TODAY)
    for who in ("owner", "member", "outsider", "leader", "supervisor"):
        scope = task_scope(cast[who])
        listed = set(Task.objects.within(scope).values_list("pk", flat=True))
        few = set(Task.objects.within(scope, few=True).values_list("pk", flat=True))
        one_by_one = {pk for pk in Task.objects.values_list("pk", flat=True) if Task.objects.within(scope, few=True).filter(pk=pk).exists()}
        assert listed == few == one_by_one, who
    assert task.pk in few and other.pk in few  # the supervisor's: every task


def test_it_hides_drafts_from_units(cast, units):
    draft = services.task_create(actor=cast["supervisor"], title="草稿", lead_unit=units["lead"])
    assert draft not in Task.objects.visible_to(cast["owner"])
    assert draft in Task.objects.visible_to(cast["supervisor"])


def test_it_gives_relationship_roles(cast, task):
    assert access.task_roles(cast["owner"], task) == {"lead_unit"}
    assert access.task_roles(cast["member"], task) == {"co_unit"}
    assert access.task_roles(cast["outsider"], task) == set()
    assert access.task_roles(cast["supervisor"], task) == {"supervisor"}


def test_it_records_every_transition(cast, task):
    services.task_transition(actor=cast["owner"], task=task, action="request_closure", evidence="已完成", today=TODAY)
    with pytest.raises(LuoshiError):
        services.task_transition(actor=cast["owner"], task=task, action="verify_closure", today=TODAY)
    with pytest.raises(LuoshiError):
        services.task_transition(actor=cast["supervisor"], task=task, action="return", reason=" ", today=TODAY)
    services.task_transition(actor=cast["supervisor"], task=task, action="verify_closure", today=TODAY)
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_on == TODAY and task.health == "done"
    assert [t.action for t in task.transitions.all()] == ["publish", "request_closure", "verify_closure"]


def test_it_refuses_to_publish_without_lead_unit_or_deadline(cast):
    task = services.task_create(actor=cast["supervisor"], title="缺牵头单位")
    with pytest.raises(LuoshiError, match="牵头单位"):
        services.task_publish(actor=cast["supervisor"], task=task)


def test_it_refuses_a_stale_edit(cast, task):
    version = task.version
    services.task_update(actor=cast["supervisor"], task=Task.objects.get(pk=task.pk), expected_version=version, title="甲改")
    with pytest.raises(Conflict):
        services.task_update(actor=cast["supervisor"], task=Task.objects.get(pk=task.pk), expected_version=version, title="乙改")
    assert Task.objects.get(pk=task.pk).title == "甲改"


def test_it_refuses_task_creation_by_units(cast, units):
    with pytest.raises(LuoshiError):
        services.task_create(actor=cast["owner"], title="x", lead_unit=units["lead"])


def test_it_keeps_the_tree_in_number_order_past_nine(cast, units, task):
    from luoshi.tasks.models import sort_key_for

    for _ in range(10):
        services.task_create(actor=cast["supervisor"], title="子任务", parent=task, lead_unit=units["lead"])
    numbers = list(Task.objects.filter(parent=task).order_by("sort_key").values_list("number", flat=True))
    assert numbers == [f"1.{i}" for i in range(1, 11)]
    assert sort_key_for("1.10") > sort_key_for("1.9") and sort_key_for("") == ""


def test_it_names_choices_as_django_does():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for name in ("status", "health", "kind"):
                field = Task._meta.get_field(name)
                for value in [v for v, _label in field.flatchoices] + ["no-such-value", ""]:
                    task = Task(**{name: value})
                    assert getattr(task, f"get_{name}_display")() == task._get_FIELD_display(field), (language, name, value)


def test_it_names_a_choice_in_the_language_of_the_moment():
    from django.utils import translation

    from luoshi.directives.models import Directive
    from luoshi.tasks.models import label_of

    task = Task(status="in_progress", health="red", kind="key")
    for _round in range(2):  # the second round reads what the first kept
        with translation.override("zh-hans"):
            assert (task.get_status_display(), task.get_health_display(), label_of(Task, "kind", "key")) == ("推进中", "红灯", "重点工作")
        with translation.override("en"):
            assert (task.get_status_display(), task.get_health_display(), label_of(Task, "kind", "key")) == ("In progress", "Red", "Key work")
    # A value outside the choices is shown as it is, and not kept.
    assert label_of(Task, "status", "gone") == "gone" and label_of(Task, "status", None) is None
    assert label_of(Directive, "status", "published") != "published"
