"""Large imports and exports as background jobs (`luoshi.orgs.jobs`): the size rule, dry run
first, nothing changed by a bad file, the job's page and its polling part, the inbox notice, who
may see a job and who may download its file, failures, retries, the API, and the real database
queue with one worker pass."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from luoshi.core.errors import Conflict, Forbidden
from luoshi.core.spreadsheets import count_rows
from luoshi.orgs import jobs
from luoshi.orgs import services as orgs_services
from luoshi.orgs.models import JobRun, Unit
from luoshi.supervision import sweeper
from luoshi.supervision.models import Message, Notification
from luoshi.tasks.models import Task
from tests.test_directives_io import directive, edited, exported_tasks, post_import, publish_all, sheet  # noqa: F401
from tests.test_directives_io import snapshot as items_snapshot
from tests.test_orgs_import import GOOD_PEOPLE, GOOD_UNITS, XLSX, snapshot, workbook

try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover - the queue's table is always installed
    DBTaskResult = None


@pytest.fixture
def small_limits(settings):
    """Every import of more than 2 rows and every export of more than 1 row is a job."""
    settings.IMPORT_JOB_ROWS = 2
    settings.EXPORT_JOB_ROWS = 1
    return settings


@pytest.fixture
def tasks(cast, units):
    made = []
    for n in range(3):
        made.append(Task.objects.create(title=f"任务{n}", lead_unit=units["lead"], status="in_progress", created_by=cast["supervisor"]))
    return made


def upload(data: bytes, name="d.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def post_directory(client, data: bytes, *, dry_run: bool):
    fields = {"file": upload(data)}
    if dry_run:
        fields["dry_run"] = "1"
    return client.post(reverse("orgs:import"), fields)


# --- the size rule -------------------------------------------------------------------------------


def test_it_counts_rows_of_workbooks_and_text_and_zero_for_junk():
    assert count_rows(workbook(GOOD_UNITS, GOOD_PEOPLE)) == 1 + len(GOOD_UNITS) + 1 + len(GOOD_PEOPLE)
    assert count_rows(b"a,b\n1,2\n3,4") == 3
    assert count_rows(b"PK\x03\x04 not a zip") == 0


def test_it_imports_a_small_file_at_once_without_a_job(cast, login, small_limits):
    small_limits.IMPORT_JOB_ROWS = 100
    response = post_directory(login(cast["admin"]), workbook(GOOD_UNITS), dry_run=False)
    assert response.status_code == 200 and "导入完成" in response.content.decode()
    assert not JobRun.objects.exists()


# --- a large import: dry run, then confirm --------------------------------------------------------


def test_it_checks_a_large_import_in_a_job_then_saves_it_on_confirm(cast, login, small_limits, django_capture_on_commit_callbacks):
    client = login(cast["admin"])
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_directory(client, workbook(GOOD_UNITS, GOOD_PEOPLE), dry_run=True)
    check = JobRun.objects.get()
    assert response.status_code == 302 and response.url == check.get_absolute_url()
    assert check.kind == "import:directory" and check.dry_run and check.input_file and check.total == 2 + len(GOOD_UNITS) + len(GOOD_PEOPLE)
    assert check.state == "done" and check.summary["ok"] and not check.summary["errors"]
    assert snapshot() == before, "a dry run saves nothing"
    page = client.get(check.get_absolute_url()).content.decode()
    assert "检查通过（未保存）" in page and reverse("orgs:job_confirm", args=[check.pk]) in page
    notice = Notification.objects.get(recipient=cast["admin"])
    assert notice.message.kind == Message.Kind.JOB and notice.message.url == check.get_absolute_url()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:job_confirm", args=[check.pk]))
    saved = JobRun.objects.exclude(pk=check.pk).get()
    assert response.url == saved.get_absolute_url() and saved.follows == check and not saved.dry_run
    assert saved.input_file.name == check.input_file.name, "the file checked is the file saved"
    assert saved.state == "done" and saved.summary["ok"] and saved.summary["created"] == len(GOOD_UNITS) + len(GOOD_PEOPLE)
    assert Unit.objects.filter(name="北山镇").exists()
    # A second click imports nothing twice.
    assert client.post(reverse("orgs:job_confirm", args=[check.pk])).status_code == 409


def test_it_changes_nothing_when_a_large_import_has_a_bad_row(cast, login, small_limits, django_capture_on_commit_callbacks):
    client = login(cast["admin"])
    bad = [*GOOD_UNITS, ["甲局", None, None, "部委", None, 1, "是"]]
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        post_directory(client, workbook(bad), dry_run=False)
    job = JobRun.objects.get()
    assert job.state == "done" and not job.summary["ok"] and any("部委" in e for e in job.summary["errors"])
    assert snapshot() == before
    page = client.get(job.get_absolute_url()).content.decode()
    assert "未保存任何数据" in page and "部委" in page and "确认导入" not in page
    assert "有 1 处错误" in Notification.objects.get(recipient=cast["admin"]).message.body


def test_it_refuses_to_confirm_a_failed_check_or_someone_elses(cast, small_limits, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        failed = orgs_services.import_if_large(actor=cast["admin"], kind="import:directory", title="t",
                                               data=workbook([[*GOOD_UNITS[0][:3], "部委", None, 1, "是"], *GOOD_UNITS]), upload_name="d.xlsx", dry_run=True)
        fine = orgs_services.import_if_large(actor=cast["admin"], kind="import:directory", title="t",
                                             data=workbook(GOOD_UNITS), upload_name="d.xlsx", dry_run=True)
    with pytest.raises(Conflict):
        orgs_services.job_confirm_import(actor=cast["admin"], job=failed)
    with pytest.raises(Forbidden):
        orgs_services.job_confirm_import(actor=cast["supervisor"], job=fine)


def test_it_fails_visibly_when_the_importer_may_no_longer_import(cast, small_limits, django_capture_on_commit_callbacks):
    admin = cast["admin"]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = orgs_services.import_if_large(actor=admin, kind="import:directory", title="t", data=workbook(GOOD_UNITS), upload_name="d.xlsx")
    admin.role, admin.is_superuser = "liaison", False
    admin.save()
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.state == "failed" and "只有管理员可以修改组织机构" in job.error
    assert not Unit.objects.filter(name="北山镇").exists()


def test_it_imports_a_large_decomposition_table_through_a_job_and_confirms_it(speech_day, directive, cast, login, small_limits, django_capture_on_commit_callbacks):
    client = login(cast["supervisor"])
    data = sheet([
        ("建立营商环境问题台账", "逐项销号", "leader", "市发改委", "财政局、教育局", "2026-06-30"),
        ("开展财政资金绩效评价", "", "", "财政局", "", "年底前"),
    ])
    before = directive.items.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, directive, data, dry_run="on")
    check = JobRun.objects.get()
    assert response.url == check.get_absolute_url() and check.kind == "import:decomposition"
    assert check.state == "done" and check.summary["dry_run"] and check.summary["ok"], check.summary["errors"]
    assert directive.items.count() == before
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orgs:job_confirm", args=[check.pk]))
    assert JobRun.objects.latest("pk").summary["created"] == 2
    assert directive.items.count() == before + 2


def test_it_matches_an_exported_decomposition_table_row_for_row_through_a_job(
    speech_day, directive, cast, units, login, small_limits, django_capture_on_commit_callbacks
):
    tasks = publish_all(directive, cast, units)

    def add_row(ws):
        ws.append([None, "建立营商环境问题台账", "", "", "发改委", "", dt.datetime(2026, 6, 30), ""])

    data = edited(exported_tasks(directive, cast), add_row)
    before = items_snapshot(directive)
    client = login(cast["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        post_import(client, directive, data, dry_run="on")
    check = JobRun.objects.get()
    assert check.kind == "import:decomposition" and check.summary["ok"], check.summary["errors"]
    assert (check.summary["created"], check.summary["updated"], check.summary["unchanged"]) == (1, 0, len(tasks))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orgs:job_confirm", args=[check.pk]))
    after = items_snapshot(directive)
    assert {pk: after[pk] for pk in before} == before and len(after) == len(before) + 1


@pytest.fixture
def speech_day():
    """The rows' deadlines are typed for the speech of 10 March (see tests.test_directives_io)."""
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


# --- large exports ----------------------------------------------------------------------------------


def start_board_export(client, capture, fmt="csv"):
    offer = client.get(reverse("reports:board_export", args=[fmt]))
    assert offer.status_code == 200 and "后台导出" in offer.content.decode()
    with capture(execute=True):
        response = client.post(reverse("reports:export_job", args=["board"]), {"fmt": fmt, "query": ""})
    job = JobRun.objects.latest("pk")
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    return job


def test_it_offers_a_large_board_export_as_a_job_and_only_its_owner_downloads_it(
    cast, login, tasks, small_limits, client, django_capture_on_commit_callbacks
):
    job = start_board_export(login(cast["supervisor"]), django_capture_on_commit_callbacks)
    assert job.kind == "export:board" and job.total == 3 and job.state == "done" and job.done == 3
    download = client.get(reverse("orgs:job_file", args=[job.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert download.status_code == 200 and all(t.title in body for t in tasks)
    assert "任务" in Notification.objects.get(recipient=cast["supervisor"]).message.title

    # Someone else: neither the job's page, its polling part, its file nor the API show it.
    client.force_login(cast["outsider"])
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(reverse("orgs:job_file", args=[job.pk])).status_code == 404
    assert client.get(f"/api/orgs/jobs/{job.pk}").status_code == 404
    assert client.get(f"/api/orgs/jobs/{job.pk}/file").status_code == 404
    assert job not in JobRun.objects.visible_to(cast["outsider"])
    # An admin sees the job (to look into failures) but cannot download rows of someone else's scope.
    client.force_login(cast["admin"])
    assert client.get(job.get_absolute_url()).status_code == 200
    assert client.get(reverse("orgs:job_file", args=[job.pk])).status_code == 404


def test_it_exports_a_small_board_at_once(cast, login, tasks, settings):
    settings.EXPORT_JOB_ROWS = 100
    response = login(cast["supervisor"]).get(reverse("reports:board_export", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not JobRun.objects.exists()


def test_it_exports_a_large_office_ledger_as_a_job_with_the_inline_file(cast, login, tasks, small_limits, django_capture_on_commit_callbacks):
    client = login(cast["supervisor"])
    offer = client.get(reverse("reports:export", args=["ledger"]))
    assert "后台导出" in offer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_job", args=["ledger"]), {"query": ""})
    job = JobRun.objects.get()
    assert job.state == "done" and job.result_name.startswith("督办台账") and job.result_name.endswith(".xlsx")
    small_limits.EXPORT_JOB_ROWS = 100
    inline = client.get(reverse("reports:export", args=["ledger"]))
    with job.result_file.open("rb") as handle:
        from openpyxl import load_workbook

        from_job = [r for r in load_workbook(handle).active.iter_rows(values_only=True)]
    from_page = [r for r in load_workbook(io.BytesIO(inline.content)).active.iter_rows(values_only=True)]
    assert from_job == from_page, "one code path: the job's file is the page's file"


def test_it_refuses_an_unknown_export_kind_or_format(cast, login):
    client = login(cast["supervisor"])
    assert client.post(reverse("reports:export_job", args=["nonsense"]), {"query": ""}).status_code == 400
    assert client.post(reverse("reports:export_job", args=["board"]), {"fmt": "pdf", "query": ""}).status_code == 400
    assert not JobRun.objects.exists()


def test_it_shows_a_failed_job_to_its_owner_and_admins_with_the_reason(cast, login, tasks, small_limits, monkeypatch, django_capture_on_commit_callbacks):
    def broken(job):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(jobs.HANDLERS, "export:board", jobs.Handler(run=broken, retry=True))
    client = login(cast["supervisor"])
    job = start_board_export(client, django_capture_on_commit_callbacks)
    # The immediate backend cannot wait before a retry: the failure is final at once.
    assert job.state == "failed" and job.attempts == 1 and "后台任务出错" in job.error and "disk on fire" in job.detail
    page = client.get(job.get_absolute_url()).content.decode()
    assert "后台任务出错" in page and "disk on fire" not in page, "technical detail is for admins"
    client.force_login(cast["admin"])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "disk on fire" in page
    assert "失败" in client.get(reverse("orgs:jobs") + "?state=failed").content.decode()
    assert "后台任务失败" in Notification.objects.get(recipient=cast["supervisor"]).message.title


def test_it_polls_only_while_the_job_is_not_finished(cast, login):
    job = JobRun.objects.create(user=cast["supervisor"], kind="export:board", title="导出", params={"fmt": "csv"})
    client = login(cast["supervisor"])
    part = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 3s"' in part and "<html" not in part
    JobRun.objects.filter(pk=job.pk).update(state="done")
    assert "hx-trigger" not in client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()


def test_it_speaks_the_language_of_the_page_that_started_it(cast, login, tasks, small_limits, django_capture_on_commit_callbacks):
    client = login(cast["supervisor"])
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_job", args=["board"]), {"fmt": "csv", "query": ""})
    job = JobRun.objects.get()
    assert job.language == "en"
    assert Notification.objects.get(recipient=cast["supervisor"]).message.title.startswith("Background job finished")


# --- API -----------------------------------------------------------------------------------------------


def test_it_starts_an_export_job_and_reads_its_state_over_the_api(cast, login, tasks, django_capture_on_commit_callbacks):
    client = login(cast["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/reports/exports/board/jobs?fmt=xlsx")
    assert response.status_code == 202
    job_id = response.json()["id"]
    state = client.get(f"/api/orgs/jobs/{job_id}").json()
    assert state["state"] == "done" and state["done"] == 3 and state["result_url"] == f"/api/orgs/jobs/{job_id}/file"
    assert client.get(state["result_url"]).status_code == 200
    listed = client.get("/api/orgs/jobs").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == job_id
    assert client.post("/api/reports/exports/nonsense/jobs").status_code == 400
    client.force_login(cast["outsider"])
    assert client.get("/api/orgs/jobs").json()["count"] == 0


# --- the real database queue, one worker pass -------------------------------------------------------------

worker_test = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    return settings


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0, stdout=io.StringIO())


@worker_test
def test_it_runs_export_and_import_jobs_through_the_database_queue(cast, tasks, queue, small_limits):
    export = orgs_services.job_start(actor=cast["supervisor"], kind="export:board", title="导出", params={"fmt": "csv", "query": ""}, total=3)
    check = orgs_services.import_if_large(actor=cast["admin"], kind="import:directory", title="t", data=workbook(GOOD_UNITS), upload_name="d.xlsx", dry_run=True)
    assert {r.status for r in DBTaskResult.objects.all()} == {"READY"}
    assert JobRun.objects.filter(state="queued").count() == 2
    work()
    export.refresh_from_db()
    check.refresh_from_db()
    assert export.state == "done" and export.done == 3 and export.result_file
    assert check.state == "done" and check.summary["ok"] and not Unit.objects.filter(name="北山镇").exists()
    assert {r.status for r in DBTaskResult.objects.all()} == {"SUCCESSFUL"}
    assert Notification.objects.filter(message__kind="job").count() == 2


@worker_test
def test_it_retries_a_failed_export_later_but_never_an_import(cast, tasks, queue, monkeypatch):
    def broken(job):
        raise RuntimeError("database went away")

    monkeypatch.setitem(jobs.HANDLERS, "export:board", jobs.Handler(run=broken, retry=True))
    monkeypatch.setitem(jobs.HANDLERS, "import:directory", jobs.Handler(run=broken, retry=False))
    export = orgs_services.job_start(actor=cast["supervisor"], kind="export:board", title="导出", params={"fmt": "csv", "query": ""})
    imported = orgs_services.job_start(actor=cast["admin"], kind="import:directory", title="导入", upload=workbook(GOOD_UNITS), upload_name="d.xlsx")
    work()
    export.refresh_from_db()
    imported.refresh_from_db()
    assert export.state == "queued" and export.attempts == 1 and "稍后自动重试" in export.error
    later = DBTaskResult.objects.filter(status="READY").get()
    assert later.run_after is not None and later.args_kwargs["kwargs"] == {"job_id": export.pk}
    assert imported.state == "failed" and imported.attempts == 1
    assert Notification.objects.filter(recipient=cast["admin"], message__kind="job").count() == 1
    assert not Notification.objects.filter(recipient=cast["supervisor"]).exists(), "no notice before the last try"


def test_it_fails_a_job_whose_worker_died_at_the_next_sweep_and_tells_its_owner(cast, settings):
    long_ago = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    lost = JobRun.objects.create(user=cast["supervisor"], kind="export:board", title="导出", state="running", started_at=long_ago)
    busy = JobRun.objects.create(user=cast["supervisor"], kind="export:board", title="导出", state="running", started_at=timezone.now())
    assert "stale background jobs found 1" in sweeper.run(timezone.localdate(), dry_run=True).details
    assert JobRun.objects.get(pk=lost.pk).state == "running", "a dry run changes nothing"
    sweeper.run(timezone.localdate())
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.state == "failed" and "运行中断" in lost.error and busy.state == "running"
    assert Notification.objects.get(recipient=cast["supervisor"]).message.url == lost.get_absolute_url()


# --- how long a job's files are kept -------------------------------------------------------------

def finished_job(user, *, days_ago: float, result=b"", upload=b"", **fields) -> JobRun:
    job = JobRun(user=user, kind=fields.pop("kind", "export:board"), title="导出", state="done", **fields)
    if result:
        job.result_file.save("board.csv", ContentFile(result), save=False)
        job.result_name = "board.csv"
    if upload:
        job.input_file.save("d.xlsx", ContentFile(upload), save=False)
        job.input_name = "d.xlsx"
    job.finished_at = timezone.now() - dt.timedelta(days=days_ago)
    job.save()
    return job


def stored(name: str) -> bool:
    return bool(name) and JobRun._meta.get_field("result_file").storage.exists(name)


def test_it_deletes_the_files_of_old_jobs_at_the_sweep_and_keeps_their_records(cast, login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    days = settings.JOB_FILE_DAYS
    old = finished_job(cast["supervisor"], days_ago=days + 1, result=b"a,b\n")
    recent = finished_job(cast["supervisor"], days_ago=days - 1, result=b"c,d\n")
    old_name, recent_name = old.result_file.name, recent.result_file.name

    assert "job files due for deletion 1" in sweeper.run(timezone.localdate(), dry_run=True).details
    assert stored(old_name), "a dry run deletes nothing"
    assert "job files deleted 1" in sweeper.run(timezone.localdate()).details
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not stored(old_name) and not old.result_file and old.result_name == "board.csv" and old.state == "done"
    assert stored(recent_name) and recent.result_file.name == recent_name
    # Run twice, nothing more happens.
    assert not any(d.startswith("job files") for d in sweeper.run(timezone.localdate()).details)

    client = login(cast["supervisor"])
    page = client.get(old.get_absolute_url()).content.decode()
    assert "已超过保留期限被删除" in page and reverse("orgs:job_file", args=[old.pk]) not in page
    assert client.get(reverse("orgs:job_file", args=[old.pk])).status_code == 404
    assert reverse("orgs:job_file", args=[recent.pk]) in client.get(recent.get_absolute_url()).content.decode()


def test_it_keeps_an_upload_a_later_save_still_reads_and_refuses_to_confirm_a_purged_check(cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    days = settings.JOB_FILE_DAYS
    checked = {"kind": "import:directory", "dry_run": True, "summary": {"ok": True}}
    check = finished_job(cast["admin"], days_ago=days + 1, upload=b"x", **checked)
    name = check.input_file.name
    # The save that followed the check is still running: the shared upload must stay.
    saving = JobRun.objects.create(user=cast["admin"], kind="import:directory", title="导入（保存）", state="running", follows=check, input_file=name)
    assert jobs.purge_files() == 1
    check.refresh_from_db()
    assert not check.input_file and stored(name), "the running save still reads it"
    JobRun.objects.filter(pk=saving.pk).update(state="done", finished_at=timezone.now() - dt.timedelta(days=days + 1))
    assert jobs.purge_files() == 1 and not stored(name)

    lone = finished_job(cast["admin"], days_ago=days + 1, upload=b"y", **checked)
    jobs.purge_files()
    lone.refresh_from_db()
    with pytest.raises(Conflict, match="保留期限"):
        orgs_services.job_confirm_import(actor=cast["admin"], job=lone)
    assert not JobRun.objects.filter(follows=lone).exists()
