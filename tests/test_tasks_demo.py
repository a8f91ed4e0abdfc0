"""The tasks demo: every health state, a history of reports, and idempotent."""

from django.core.management import call_command

from luoshi.tasks.demo import TAG
from luoshi.tasks.models import Attachment, ExtensionRequest, Instruction, ProgressReport, Task


def test_it_loads_a_living_office_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", no_serve=True)
    tasks = Task.objects.filter(tags__contains=TAG)
    assert set(tasks.values_list("health", flat=True)) == {"red", "yellow", "green", "done", "none"}
    assert set(tasks.values_list("status", flat=True)) >= {"in_progress", "closure_requested", "closed", "returned", "suspended", "draft"}
    assert tasks.filter(kind="rectification", status="closed").exists() and tasks.filter(parent__isnull=False).exists()
    reports = ProgressReport.objects.filter(task__in=tasks)
    assert reports.filter(late=True).exists() and reports.filter(superseded=True).count() == 1
    assert ExtensionRequest.objects.filter(status="pending").exists() and Instruction.objects.exists() and Attachment.objects.exists()
    counts = (Task.objects.count(), ProgressReport.objects.count())
    call_command("demo", no_serve=True)
    assert (Task.objects.count(), ProgressReport.objects.count()) == counts
