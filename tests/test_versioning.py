"""The one version-checked update (luoshi.core.versioning)."""

import datetime as dt

import pytest

from luoshi.core.errors import Conflict
from luoshi.core.versioning import update_checked
from luoshi.tasks import services
from luoshi.tasks.models import Task


@pytest.fixture
def task(cast, units):
    return services.task_create(actor=cast["supervisor"], title="原题", lead_unit=units["lead"], deadline=dt.date(2026, 12, 31))


def test_it_writes_and_moves_the_version_on(task):
    read_at = task.version
    update_checked(task, conflict="冲突", title="新题")
    assert (task.title, task.version) == ("新题", read_at + 1)
    assert Task.objects.get(pk=task.pk).title == "新题"


def test_it_refuses_a_stale_version_and_changes_nothing(task):
    stale = Task.objects.get(pk=task.pk)
    update_checked(task, conflict="冲突", title="甲改")
    with pytest.raises(Conflict, match="冲突"):
        update_checked(stale, conflict="冲突", title="乙改")
    assert Task.objects.get(pk=task.pk).title == "甲改"


def test_it_checks_the_version_the_caller_read(task):
    with pytest.raises(Conflict):
        update_checked(task, expected_version=task.version + 5, conflict="冲突", title="乙改")


def test_it_claims_on_a_condition_without_a_version(task):
    read_at = task.version
    update_checked(task, bump=False, where={"status": "draft"}, conflict="已处理", title="认领")
    assert (task.title, task.version) == ("认领", read_at)
    with pytest.raises(Conflict, match="已处理"):
        update_checked(task, bump=False, where={"status": "closed"}, conflict="已处理", title="再认领")
