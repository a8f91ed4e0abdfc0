"""Deliveries as jobs of the task framework (database queue, `luoshi db_worker`), their retries,
and a sender killed half-way: what it sent is never sent again, what it did not send is."""

import datetime as dt
import io
import os
import subprocess
import sys
import textwrap

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from luoshi.supervision import channels, services
from luoshi.supervision.models import Channel, Delivery, Message
from tests.test_notifications import hook, issue  # noqa: F401
from tests.test_supervision_fixtures import TODAY, make_task, task  # noqa: F401

try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover - the queue's table is always installed
    DBTaskResult = None


@pytest.fixture
def queue(settings):
    """The production backend: jobs wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    return settings


# The worker commits as it goes, as it does in production: these tests run outside a test transaction.
worker_test = pytest.mark.django_db(transaction=True)


def work():
    """One worker run that takes every job that is due, then stops."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0, stdout=io.StringIO())


@worker_test
def test_it_queues_a_delivery_job_after_commit_and_a_worker_sends_it(cast, units, task, hook, queue, django_capture_on_commit_callbacks):
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue(cast, units, task)
    job = DBTaskResult.objects.get()
    assert job.task_path.endswith("services.deliver_job") and job.status == "READY"
    assert hook.posts == [] and Delivery.objects.get().status == "pending"
    work()
    assert len(hook.posts) == 1 and Delivery.objects.get().status == "sent"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_it_queues_nothing_before_commit(cast, units, task, hook, queue, django_capture_on_commit_callbacks):
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    with django_capture_on_commit_callbacks(execute=False):
        issue(cast, units, task)
    assert not DBTaskResult.objects.exists()


@worker_test
def test_it_retries_a_failure_later_with_a_growing_delay(cast, units, task, hook, queue, django_capture_on_commit_callbacks):
    hook.status = 502
    Channel.objects.create(unit=units["lead"], kind="dingtalk", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue(cast, units, task)
    before = timezone.now()
    work()
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 1, "HTTP 502")
    retry = DBTaskResult.objects.get(status="READY")
    assert before + dt.timedelta(minutes=1) <= retry.run_after <= timezone.now() + dt.timedelta(minutes=1)
    work()  # not yet due
    assert len(hook.posts) == 1
    hook.status = 200
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    work()
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, "")
    assert len(hook.posts) == 2 and not DBTaskResult.objects.filter(status="READY").exists()


@worker_test
def test_it_stops_retrying_after_the_last_attempt(cast, units, task, hook, queue, settings, django_capture_on_commit_callbacks):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_MAX_ATTEMPTS": 2}
    hook.status = 500
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue(cast, units, task)
    for _i in range(3):
        work()
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    assert len(hook.posts) == 2 and Delivery.objects.get().status == "failed"
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_it_waits_longer_after_each_failure():
    assert [services.retry_delay(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert services.retry_delay(40) == dt.timedelta(days=1)


@worker_test
def test_it_shows_failed_deliveries_with_their_error_to_the_admin(cast, units, task, hook, queue, login, django_capture_on_commit_callbacks):
    hook.status = 502
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue(cast, units, task)
    work()
    page = login(cast["admin"]).get("/admin/supervision/delivery/?status__exact=failed").content.decode()
    assert "HTTP 502" in page
    assert login(cast["owner"]).get("/admin/supervision/delivery/").status_code == 302  # not for a liaison


@worker_test
def test_it_fans_the_sweeps_deliveries_out_as_jobs(make_task, cast, units, hook, queue, settings):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DELIVERY": "sweep"}
    make_task()
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    out = io.StringIO()
    call_command("sweep", "--date", "2026-11-23", stdout=out)
    assert "delivery jobs queued 1\n" in out.getvalue() and hook.posts == []
    call_command("sweep", "--date", "2026-11-23", stdout=io.StringIO())  # again: a second job, nothing twice
    work()
    assert len(hook.posts) == Delivery.objects.filter(status="sent").count() == Delivery.objects.count() > 0


# --- a sender killed half-way ------------------------------------------------------------------
def _outbox(n: int) -> list[str]:
    message = Message.objects.create(kind="action", title="督办提醒")
    Delivery.objects.bulk_create([Delivery(message=message, via="wecom", target=f"bot-{i:02d}") for i in range(n)])
    return [f"bot-{i:02d}" for i in range(n)]


class Killed(BaseException):
    """What a worker's shutdown looks like from inside the send: not an Exception, never caught
    as a failed send."""


def test_it_resends_only_what_a_killed_sender_had_not_sent(db, monkeypatch):
    targets = _outbox(12)
    sent: list[str] = []

    def dies_after_five(via, target, *args, **kwargs):
        if len(sent) == 5:
            raise Killed
        sent.append(target)

    monkeypatch.setattr(channels, "send", dies_after_five)
    with pytest.raises(Killed):
        services.deliver_pending()
    assert sorted(Delivery.objects.filter(status="sent").values_list("target", flat=True)) == sent == targets[:5]
    # the one in flight stays claimed (it may have gone out); the untouched ones are handed back
    assert list(Delivery.objects.filter(status="sending").values_list("target", flat=True)) == [targets[5]]

    monkeypatch.setattr(channels, "send", lambda via, target, *a, **k: sent.append(target))
    assert services.deliver_pending() == (6, 0)
    assert services.deliver_pending(now=timezone.now() + services.CLAIM_STALE + dt.timedelta(minutes=1)) == (1, 0)
    assert sorted(sent) == targets  # each exactly once
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)} | {("sent", 2)}


@pytest.mark.django_db(transaction=True)
def test_it_resends_only_the_unsent_after_a_sender_process_dies(tmp_path):
    """A real process, ended by os._exit halfway through: no handler runs, no claim is handed back."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database a second process can open (the SQLite test database is in memory)")
    targets = _outbox(15)
    log = tmp_path / "sent.txt"
    child = textwrap.dedent(
        """
        import os, sys
        import django
        django.setup()
        from luoshi.supervision import channels, services
        log, limit, count = open(sys.argv[1], "a"), int(sys.argv[2]), [0]
        def send(via, target, *args, **kwargs):
            if count[0] == limit:
                os._exit(9)
            log.write(target + "\\n"); log.flush(); os.fsync(log.fileno())
            count[0] += 1
        channels.send = send
        services.deliver_pending()
        """
    )
    db = connection.settings_dict
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "luoshi.settings", "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    done = subprocess.run([sys.executable, "-c", child, str(log), "7"], env=env, timeout=120, capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    first = log.read_text().split()
    assert first == targets[:7]
    assert sorted(Delivery.objects.filter(status="sent").values_list("target", flat=True)) == first

    again: list[str] = []
    original = channels.send
    channels.send = lambda via, target, *a, **k: again.append(target)
    try:
        assert services.deliver_pending() == (0, 0)  # the dead sender's claim still holds
        later = timezone.now() + services.CLAIM_STALE + dt.timedelta(minutes=1)
        assert services.deliver_pending(now=later) == (8, 0)
        assert services.deliver_pending(now=later) == (0, 0)
    finally:
        channels.send = original
    assert again == targets[7:] and sorted(first + again) == targets


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL session setting")
def test_it_records_sends_without_waiting_for_the_disk_and_then_waits_again(db, monkeypatch):
    targets = _outbox(3)
    seen: list[str] = []

    def send(via, target, *args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])

    monkeypatch.setattr(channels, "send", send)
    assert services.deliver_pending() == (3, 0)
    assert seen == ["off"] * len(targets)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the session's other work waits for the disk again
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0




def test_it_queues_the_sweeps_jobs_together_and_keeps_the_others_when_one_cannot_be_queued(cast, units, task, queue, monkeypatch):
    """The sweep queues its jobs in one transaction; a job whose row the database refuses must
    cost only that job, not the transaction of all the others."""
    from django_tasks_db.backend import DatabaseBackend

    channel = Channel.objects.create(unit=units["lead"], kind="wecom", url="http://127.0.0.1:9/hook")
    for i in range(5):
        message = Message.objects.create(key=f"k:{i}", kind="deadline", unit=units["lead"], title=f"第{i}条")
        Delivery.objects.create(message=message, via="wecom", channel=channel, target=channel.url)
    store, calls = DatabaseBackend._task_to_db_task, []

    def refused_once(backend, job, args, kwargs):
        calls.append(kwargs["message_ids"])
        if len(calls) == 2:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO no_such_queue VALUES (1)")
        return store(backend, job, args, kwargs)

    monkeypatch.setattr(DatabaseBackend, "_task_to_db_task", refused_once)
    assert services.deliver_due(batch=2) == (0, 0, 2)
    assert len(calls) == 3
    queued = sorted(row.args_kwargs["kwargs"]["message_ids"] for row in DBTaskResult.objects.all())
    assert queued == sorted([calls[0], calls[2]])
