"""Fixtures shared by the supervision tests (imported by test_supervision*.py, test_sweep*.py,
test_notifications*.py). No tests here."""

import datetime as dt

import django
import pytest

from luoshi.tasks import services as task_services

TODAY = dt.date(2026, 11, 16)
IMMEDIATE = ("django.tasks" if django.VERSION >= (6, 0) else "django_tasks") + ".backends.immediate.ImmediateBackend"


@pytest.fixture
def inline_delivery(settings):
    """Send notifications after commit as a job that runs at once, in the test's own thread."""
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DELIVERY": "job"}
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": IMMEDIATE}}
    return settings


@pytest.fixture
def make_task(cast, units):
    def make(title="优化营商环境", lead="lead", co=("co",), start=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31),
             cadence="monthly", due_day=25, publish_on=dt.date(2026, 9, 1), **extra):
        task = task_services.task_create(
            actor=cast["supervisor"], title=title, lead_unit=units[lead], co_units=[units[c] for c in co],
            lead_leader=cast["leader"], start_on=start, deadline=deadline, cadence=cadence, due_day=due_day, **extra,
        )
        task_services.task_publish(actor=cast["supervisor"], task=task, today=publish_on)
        task.refresh_from_db()
        return task

    return make


@pytest.fixture
def task(make_task):
    return make_task()


def report(user, task, percent, on, period_key=None, unit=None):
    return task_services.report_submit(actor=user, task=task, percent=percent, progress="按计划推进", period_key=period_key, unit=unit, today=on)
