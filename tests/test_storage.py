"""A full or read-only upload store gives a clear refusal (503) and leaves no partial file."""

import datetime as dt
import errno

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.storage import filesystem
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.core.errors import LuoshiError
from luoshi.tasks import services
from luoshi.tasks.models import Attachment, ProgressReport


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_it_refuses_when_the_disk_is_full_and_leaves_no_partial_file(media, monkeypatch):
    monkeypatch.setattr(filesystem.locks, "lock", full_disk)  # the file exists by then, still empty
    with pytest.raises(LuoshiError) as refused:
        default_storage.save("tasks/x.pdf", ContentFile(b"%PDF-1.4"))
    assert refused.value.status == 503 and "存储" in refused.value.message
    assert files_in(media) == []


def test_it_refuses_when_the_store_is_read_only(media, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(filesystem.os, "makedirs", read_only)
    with pytest.raises(LuoshiError) as refused:
        default_storage.save("tasks/y.pdf", ContentFile(b"%PDF-1.4"))
    assert refused.value.status == 503
    assert files_in(media) == []


def test_it_saves_no_report_when_its_attachment_cannot_be_stored(cast, units, media, monkeypatch):
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        task = services.task_create(
            actor=cast["supervisor"], title="t", lead_unit=units["lead"], lead_leader=cast["leader"],
            start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25,
        )
        services.task_publish(actor=cast["supervisor"], task=task, today=dt.date(2026, 9, 1))
        monkeypatch.setattr(filesystem.locks, "lock", full_disk)
        upload = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        with pytest.raises(LuoshiError):
            services.report_submit(actor=cast["owner"], task=task, percent=50, progress="p", today=dt.date(2026, 11, 20), attachments=[upload])
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert files_in(media) == []
