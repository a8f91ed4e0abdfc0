"""Django's task framework, wherever it comes from: built in from Django 6 (`django.tasks`), the
`django-tasks` backport on 5.2. Apps declare jobs with `task` and enqueue them; which backend runs
them (the database queue and `luoshi db_worker`, or immediately) is the TASKS setting's business."""

try:
    from django.tasks import task, task_backends
    from django.tasks.base import TaskResultStatus
except ImportError:  # Django 5.2
    from django_tasks import task, task_backends
    from django_tasks.base import TaskResultStatus

__all__ = ["TaskResultStatus", "can_defer", "task", "task_backends"]


def can_defer(job) -> bool:
    """Whether the backend that runs `job` can hold it until a later time (the database queue can,
    the immediate backend cannot)."""
    return bool(job.get_backend().supports_defer)
