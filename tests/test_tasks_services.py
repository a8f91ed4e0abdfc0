"""Task services beyond the core: progress reports (periods, lateness, corrections), attachments,
closure with evidence, extension requests, instructions and milestones."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.core.errors import LuoshiError
from luoshi.tasks import periods as P
from luoshi.tasks import services
from luoshi.tasks.models import Attachment, ExtensionRequest, ProgressReport, Task

START = dt.date(2026, 9, 1)
DEADLINE = dt.date(2026, 12, 31)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def clock():
    # Services that take no `today` read the clock: fix it so no test depends on the day it runs.
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def task(cast, units):
    task = services.task_create(
        actor=cast["supervisor"], title="优化营商环境", lead_unit=units["lead"], co_units=[units["co"]], lead_leader=cast["leader"],
        start_on=START, deadline=DEADLINE, cadence="monthly", due_day=25,
    )
    services.task_publish(actor=cast["supervisor"], task=task, today=START)
    return Task.objects.get(pk=task.pk)


def pdf(name="材料.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit(cast, task, who="owner", day=dt.date(2026, 11, 20), **kw):
    kw.setdefault("percent", 50)
    kw.setdefault("progress", "按计划推进")
    return services.report_submit(actor=cast[who], task=task, today=day, **kw)


# --- reports ---------------------------------------------------------------------------------------
def test_it_reports_for_the_current_period_by_the_cadence(cast, task):
    day = dt.date(2026, 11, 20)
    report = submit(cast, task, day=day)
    period = P.period_for("monthly", 25, day)
    assert (report.period_key, report.period_label, report.late) == (period.key, period.label, False)
    assert report.unit_id == task.lead_unit_id


def test_it_marks_a_report_for_a_past_period_late(cast, task):
    day = dt.date(2026, 11, 3)
    october = P.period_for("monthly", 25, dt.date(2026, 10, 1))
    report = submit(cast, task, day=day, period_key=october.key)
    assert report.late is P.is_late(october, day) is True


def test_it_counts_the_due_day_itself_as_on_time(cast, task):
    assert submit(cast, task, day=dt.date(2026, 11, 25)).late is False
    assert submit(cast, task, who="member", day=dt.date(2026, 11, 26)).late is True


def test_it_lets_each_co_unit_report_for_itself(cast, task, units):
    lead = submit(cast, task)
    co = submit(cast, task, who="member")
    assert (lead.unit_id, co.unit_id) == (units["lead"].pk, units["co"].pk)
    with pytest.raises(LuoshiError):
        submit(cast, task, who="member", unit=units["lead"], period_key="2026-10", day=dt.date(2026, 11, 1))


@pytest.mark.parametrize("who", ["outsider", "leader", "supervisor"])
def test_it_refuses_reports_from_anyone_else(cast, task, who):
    with pytest.raises(LuoshiError):
        submit(cast, task, who=who)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    "kw", [{"percent": 101}, {"percent": -1}, {"percent": "abc"}, {"progress": "  "}, {"period_key": "2020-01"}]
)
def test_it_refuses_bad_reports_and_writes_nothing(cast, task, kw):
    with pytest.raises(LuoshiError):
        submit(cast, task, **kw)
    assert not ProgressReport.objects.exists()


def test_it_refuses_a_second_report_for_the_same_period(cast, task):
    submit(cast, task)
    with pytest.raises(LuoshiError, match="更正"):
        submit(cast, task, percent=60)
    assert ProgressReport.objects.count() == 1


def test_it_refuses_reports_on_a_suspended_task(cast, task):
    services.task_transition(actor=cast["supervisor"], task=task, action="suspend", reason="暂缓")
    with pytest.raises(LuoshiError, match="已暂停"):
        submit(cast, task)


def test_it_corrects_by_superseding_never_by_editing(cast, task):
    first = submit(cast, task, percent=40, progress="原报")
    new = services.report_correct(actor=cast["owner"], report=first, percent=45, progress="更正", today=dt.date(2026, 11, 21))
    first.refresh_from_db()
    assert (first.superseded, first.percent, first.progress) == (True, 40, "原报")
    assert (new.supersedes_id, new.period_key, new.superseded, new.percent) == (first.pk, first.period_key, False, 45)
    task.refresh_from_db()
    assert task.progress_percent == 45  # health follows the correction
    with pytest.raises(LuoshiError, match="已被更正"):
        services.report_correct(actor=cast["owner"], report=first, percent=50, progress="再改")
    assert ProgressReport.objects.count() == 2


def test_it_keeps_the_original_lateness_on_a_correction(cast, task):
    late = submit(cast, task, day=dt.date(2026, 11, 3), period_key="2026-10")
    new = services.report_correct(actor=cast["owner"], report=late, percent=60, progress="更正", today=dt.date(2026, 11, 4))
    assert new.late is True


def test_it_lets_only_the_reporting_unit_correct(cast, task):
    report = submit(cast, task)
    for who in ("member", "supervisor", "leader"):
        with pytest.raises(LuoshiError):
            services.report_correct(actor=cast[who], report=report, percent=1, progress="x")
    assert ProgressReport.objects.count() == 1


def test_it_refreshes_health_after_a_report(cast, task):
    day = dt.date(2026, 11, 20)
    submit(cast, task, day=day, percent=5)
    task.refresh_from_db()
    assert task.health == "red" and task.progress_percent == 5


# --- attachments -----------------------------------------------------------------------------------
def test_it_stores_attachments_under_media_root_with_a_random_name(cast, task, media):
    report = submit(cast, task, attachments=[pdf("进展 报告.pdf")])
    attachment = report.attachments.get()
    assert attachment.name == "进展 报告.pdf" and attachment.size == len(PDF)
    assert attachment.file.path.startswith(str(media)) and "进展" not in attachment.file.name


def test_it_keeps_attachments_in_the_configured_storage_not_on_disk(cast, task, media, settings):
    # Several app servers share an object store (STORAGE_BACKEND): nothing may go around the storage API.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    report = submit(cast, task, attachments=[pdf("进展.pdf")])
    attachment = Attachment.objects.get(report=report)
    assert default_storage.exists(attachment.file.name) and not media.exists()
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream"), "类型不允许"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00binary", content_type="application/pdf"), "不符"),
        (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "空文件"),
    ],
)
def test_it_refuses_bad_attachments_and_writes_nothing(cast, task, upload, message, media):
    with pytest.raises(LuoshiError, match=message):
        submit(cast, task, attachments=[upload])
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert not (media / "tasks").exists()


def test_it_refuses_an_attachment_over_the_size_limit(cast, task, settings):
    settings.TASK_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(LuoshiError, match="过大"):
        submit(cast, task, attachments=[pdf(content=PDF + b"0" * 1000)])
    assert not ProgressReport.objects.exists()


def test_it_refuses_too_many_attachments(cast, task):
    with pytest.raises(LuoshiError, match="最多"):
        submit(cast, task, attachments=[pdf(f"{i}.pdf") for i in range(services.MAX_ATTACHMENTS + 1)])


# --- closure ---------------------------------------------------------------------------------------
def test_it_requests_closure_with_evidence_and_files(cast, task):
    record = services.closure_request(actor=cast["owner"], task=task, evidence="已完成", attachments=[pdf()])
    task.refresh_from_db()
    assert task.status == "closure_requested" and record.evidence == "已完成" and record.attachments.count() == 1


def test_it_refuses_closure_without_evidence(cast, task):
    with pytest.raises(LuoshiError, match="完成情况"):
        services.closure_request(actor=cast["owner"], task=task, evidence=" ")
    task.refresh_from_db()
    assert task.status == "in_progress"


def test_it_closes_rectification_only_on_files_and_a_supervisors_check(cast, task):
    Task.objects.filter(pk=task.pk).update(kind="rectification")
    task.refresh_from_db()
    with pytest.raises(LuoshiError, match="整改"):
        services.closure_request(actor=cast["owner"], task=task, evidence="已整改")
    services.closure_request(actor=cast["owner"], task=task, evidence="已整改", attachments=[pdf()])
    with pytest.raises(LuoshiError):
        services.closure_verify(actor=cast["owner"], task=task)
    services.closure_verify(actor=cast["supervisor"], task=task, note="核验通过")
    task.refresh_from_db()
    assert task.status == "closed" and task.health == "done"


def test_it_returns_a_closure_request_with_a_reason(cast, task):
    services.closure_request(actor=cast["owner"], task=task, evidence="已完成")
    with pytest.raises(LuoshiError, match="理由"):
        services.closure_return(actor=cast["supervisor"], task=task, reason="")
    services.closure_return(actor=cast["supervisor"], task=task, reason="材料不全")
    task.refresh_from_db()
    assert task.status == "returned"
    assert task.transitions.last().reason == "材料不全"


# --- extensions ------------------------------------------------------------------------------------
def test_it_moves_the_deadline_when_an_extension_is_approved(cast, task):
    ext = services.extension_request(
        actor=cast["owner"], task=task, reason="用地指标晚到", new_deadline=dt.date(2027, 1, 31), today=dt.date(2026, 12, 1)
    )
    version = Task.objects.get(pk=task.pk).version
    services.extension_decide(actor=cast["supervisor"], extension=ext, approve=True)
    task.refresh_from_db()
    assert task.deadline == dt.date(2027, 1, 31) and task.version == version + 1
    assert task.history.first().history_user == cast["supervisor"]
    ext.refresh_from_db()
    assert (ext.status, ext.decided_by, ext.old_deadline) == ("approved", cast["supervisor"], DEADLINE)
    with pytest.raises(LuoshiError, match="已处理"):
        services.extension_decide(actor=cast["supervisor"], extension=ext, approve=False, note="不")


def test_it_refuses_an_extension_with_a_reason_and_keeps_the_deadline(cast, task):
    ext = services.extension_request(actor=cast["owner"], task=task, reason="r", new_deadline=dt.date(2027, 1, 31), today=dt.date(2026, 12, 1))
    with pytest.raises(LuoshiError, match="理由"):
        services.extension_decide(actor=cast["supervisor"], extension=ext, approve=False, note="")
    services.extension_decide(actor=cast["supervisor"], extension=ext, approve=False, note="不符合条件")
    task.refresh_from_db()
    assert task.deadline == DEADLINE and ExtensionRequest.objects.get().status == "refused"


@pytest.mark.parametrize(
    "who, new_deadline, today, message",
    [
        ("owner", dt.date(2027, 1, 31), dt.date(2027, 1, 1), "完成时限"),  # after the deadline
        ("owner", dt.date(2026, 12, 30), dt.date(2026, 12, 1), "晚于"),  # not later
        ("member", dt.date(2027, 1, 31), dt.date(2026, 12, 1), "牵头单位"),
        ("supervisor", dt.date(2027, 1, 31), dt.date(2026, 12, 1), "牵头单位"),
    ],
)
def test_it_refuses_bad_extension_requests(cast, task, who, new_deadline, today, message):
    with pytest.raises(LuoshiError, match=message):
        services.extension_request(actor=cast[who], task=task, reason="r", new_deadline=new_deadline, today=today)
    assert not ExtensionRequest.objects.exists()


def test_it_allows_one_pending_extension_at_a_time(cast, task):
    services.extension_request(actor=cast["owner"], task=task, reason="r", new_deadline=dt.date(2027, 1, 31), today=dt.date(2026, 12, 1))
    with pytest.raises(LuoshiError, match="待审批"):
        services.extension_request(actor=cast["owner"], task=task, reason="r", new_deadline=dt.date(2027, 2, 28), today=dt.date(2026, 12, 1))


def test_it_lets_only_supervisors_decide_extensions(cast, task):
    ext = services.extension_request(actor=cast["owner"], task=task, reason="r", new_deadline=dt.date(2027, 1, 31), today=dt.date(2026, 12, 1))
    with pytest.raises(LuoshiError):
        services.extension_decide(actor=cast["leader"], extension=ext, approve=True)
    assert ExtensionRequest.objects.get().status == "pending"


# --- instructions, milestones ------------------------------------------------------------------------
@pytest.mark.parametrize("who, allowed", [("leader", True), ("supervisor", True), ("owner", False), ("member", False), ("outsider", False)])
def test_it_takes_instructions_from_leaders_and_supervisors(cast, task, who, allowed):
    if allowed:
        assert services.instruction_add(actor=cast[who], task=task, text="抓紧推进").author == cast[who]
    else:
        with pytest.raises(LuoshiError):
            services.instruction_add(actor=cast[who], task=task, text="抓紧推进")
        assert not task.instructions.exists()


def test_it_replans_health_when_a_milestone_is_added(cast, task):
    submit(cast, task, percent=55, day=dt.date(2026, 11, 20))
    services.milestone_add(actor=cast["supervisor"], task=task, due_on=dt.date(2026, 10, 1), description="完成九成", planned_percent=90)
    task.refresh_from_db()
    assert task.expected_percent > 90 and task.health == "red"
    with pytest.raises(LuoshiError):
        services.milestone_add(actor=cast["owner"], task=task, due_on=dt.date(2026, 10, 1), description="x", planned_percent=10)
    services.milestone_remove(actor=cast["supervisor"], milestone=task.milestones.get())
    task.refresh_from_db()
    assert task.milestones.count() == 0 and task.expected_percent < 90


def test_it_offers_the_current_and_recent_owed_periods(cast, task):
    keys = [p.key for p in services.reportable_periods(task, dt.date(2026, 11, 20))]
    assert keys == ["2026-11", "2026-10", "2026-09"]
