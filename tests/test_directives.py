"""Directive intake, the decomposition page (accept, edit, merge, split, drop, publish), access and
the API."""

import datetime as dt
import io
import json

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from luoshi.directives import services
from luoshi.directives.models import DecompositionItem, Directive, DirectiveKind, DirectiveStatus, ItemState
from luoshi.tasks.models import Task

SAMPLE = (
    "在示范市党工委会议上的讲话\r\n"
    "二、抓好当前重点工作\r\n"
    "一要优化营商环境。发改委要牵头开展涉企收费专项检查，年底前完成。财政局要加快资金拨付进度，月底前报送进展情况。"
    "教育局要做好学校安全检查。督查局要每月通报一次进展。\r\n"
    "二要抓好学习宣传。各部门各单位要组织专题学习。\r\n"
)
ISSUED = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def two_days_after_the_speech():
    """The rows' deadlines are typed for a speech of 10 March: read them on 12 March, whatever the
    calendar says (a row cannot be given a deadline before the day its task could start)."""
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def directive(cast):
    return services.directive_create(actor=cast["supervisor"], title="示范讲话", issued_on=ISSUED, date_confirmed=True, text=SAMPLE)


def item_with(directive, words):
    return next(i for i in directive.items.all() if words in i.source_text)


def _zip_without_word_document() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return buffer.getvalue()


def create_form(**extra):
    data = {"title": "", "kind": "speech", "issuer": "林正华", "issued_on": "2026-03-10", "date_confirmed": "on", "text": ""}
    data.update(extra)
    return data


# --- intake ----------------------------------------------------------------------------------


def test_it_creates_a_directive_from_pasted_text_with_spans_into_the_stored_text(cast, login):
    response = login(cast["supervisor"]).post(reverse("directives:create"), create_form(text=SAMPLE))
    directive = Directive.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("directives:detail", args=[directive.pk])
    assert "\r" not in directive.text and directive.title == "在示范市党工委会议上的讲话"
    assert directive.status == DirectiveStatus.DECOMPOSED and directive.date_confirmed
    items = list(directive.items.all())
    assert len(items) >= 5
    for item in items:
        assert item.source_text and directive.text[item.source_start : item.source_end] == item.source_text
    fgw = item_with(directive, "涉企收费")
    assert fgw.lead_unit.short_name == "发改委" and fgw.deadline == dt.date(2026, 12, 31)
    assert item_with(directive, "月底前").deadline == dt.date(2026, 3, 31)
    assert [h.history_change_reason for h in directive.history.order_by("history_date")][:1] == ["创建"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_txt_uploads_in_utf8_with_or_without_bom_and_gb18030(cast, login, encoding):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("讲话.txt", SAMPLE.encode(encoding), content_type="text/plain")
    response = login(cast["supervisor"]).post(reverse("directives:create"), create_form(file=upload))
    assert response.status_code == 302
    directive = Directive.objects.get()
    assert directive.text == SAMPLE.replace("\r\n", "\n").strip("\n")
    assert directive.source_filename == "讲话.txt" and directive.source_file.name


def docx_bytes(paragraphs, rows=()):
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_reads_docx_paragraphs_and_tables_in_order(cast, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = docx_bytes(
        ["关于重点工作的分工方案", "一要优化营商环境。发改委要牵头开展专项检查，年底前完成。"],
        rows=[("序号", "重点工作", "责任单位", "完成时限"), ("1", "开展营商环境评价", "财政局", "全年")],
    )
    upload = SimpleUploadedFile("方案.docx", data)
    response = login(cast["supervisor"]).post(reverse("directives:create"), create_form(file=upload))
    assert response.status_code == 302
    text = Directive.objects.get().text
    assert text.splitlines()[:2] == ["关于重点工作的分工方案", "一要优化营商环境。发改委要牵头开展专项检查，年底前完成。"]
    assert "1\t开展营商环境评价\t财政局\t全年" in text


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("坏.docx", _zip_without_word_document(), "Word 文件已损坏"),
        ("坏.docx", b"plain text pretending to be docx", "不是 .docx"),
        ("乱码.txt", bytes([0xFF, 0xFE, 0x00, 0x81, 0x30, 0xFF, 0xFF, 0x80]) * 10, "编码"),
        ("讲话.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("讲话.doc", b"\xd0\xcf\x11\xe0", ".docx"),
        ("空.txt", b"", "空"),
    ],
)
def test_it_refuses_a_bad_file_with_a_clear_message_and_saves_nothing(cast, login, name, data, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(cast["supervisor"]).post(reverse("directives:create"), create_form(file=SimpleUploadedFile(name, data)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Directive.objects.count() == 0 and DecompositionItem.objects.count() == 0


def test_it_refuses_an_upload_over_the_size_limit(cast, login, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("长.txt", ("要" * 200).encode())
    response = login(cast["supervisor"]).post(reverse("directives:create"), create_form(file=upload))
    assert response.status_code == 200 and "文件过大" in response.content.decode()
    assert Directive.objects.count() == 0


def test_it_asks_for_the_date_to_be_confirmed_and_a_valid_date(cast, login):
    client = login(cast["supervisor"])
    data = create_form(text=SAMPLE)
    del data["date_confirmed"]
    assert client.post(reverse("directives:create"), data).status_code == 200
    assert client.post(reverse("directives:create"), create_form(text=SAMPLE, issued_on="2026-02-30")).status_code == 200
    assert client.post(reverse("directives:create"), create_form(text="   ")).status_code == 200
    assert Directive.objects.count() == 0


def test_it_resolves_relative_deadlines_again_when_the_date_is_corrected(directive, cast, login):
    month_end = item_with(directive, "月底前")
    year_end = item_with(directive, "年底前")
    services.item_update(actor=cast["supervisor"], item=year_end, expected_version=year_end.version, deadline=dt.date(2026, 10, 1))
    response = login(cast["supervisor"]).post(reverse("directives:date", args=[directive.pk]), {"issued_on": "2026-05-06"})
    assert response.status_code == 302
    month_end.refresh_from_db()
    year_end.refresh_from_db()
    directive.refresh_from_db()
    assert directive.issued_on == dt.date(2026, 5, 6) and directive.date_confirmed
    assert month_end.deadline == dt.date(2026, 5, 31)
    assert year_end.deadline == dt.date(2026, 10, 1)  # typed by a person: kept


def test_it_resolves_a_table_cells_month_again_when_the_date_is_corrected(cast, login):
    # A 责任清单's 完成时限 cell says 6月 (the end of June of the document's year): read again with the
    # corrected date it moves with the year, where reading it as a sentence found no date and lost it.
    text = "重点任务分工表\n序号\t重点任务\t牵头单位\t完成时限\n1\t推进老旧小区改造\t县住建局\t6月\n2\t开展河道清淤\t县水务局\t6.30\n"
    directive = services.directive_create(actor=cast["supervisor"], title="分工表", issued_on=dt.date(2025, 3, 1), date_confirmed=True, text=text)
    rows = {i.title: i for i in directive.items.all()}
    assert (rows["推进老旧小区改造"].deadline, rows["开展河道清淤"].deadline) == (dt.date(2025, 6, 30), dt.date(2025, 6, 30))
    response = login(cast["supervisor"]).post(reverse("directives:date", args=[directive.pk]), {"issued_on": "2026-03-02"})
    assert response.status_code == 302
    got = {i.title: (i.deadline, i.deadline_text) for i in directive.items.all()}
    assert got == {"推进老旧小区改造": (dt.date(2026, 6, 30), "6月"), "开展河道清淤": (dt.date(2026, 6, 30), "6.30")}


def test_it_keeps_handled_rows_when_parsing_again(directive, cast, login):
    accepted = item_with(directive, "涉企收费")
    services.item_set_state(actor=cast["supervisor"], item=accepted, state=ItemState.ACCEPTED)
    before = directive.items.count()
    response = login(cast["supervisor"]).post(reverse("directives:parse", args=[directive.pk]))
    assert response.status_code == 302
    assert directive.items.count() == before
    accepted.refresh_from_db()
    assert accepted.state == ItemState.ACCEPTED


# --- the decomposition page --------------------------------------------------------------------


def test_it_shows_the_text_beside_the_candidates_with_their_offsets(directive, cast, login):
    response = login(cast["supervisor"]).get(reverse("directives:detail", args=[directive.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="source-text"' in body and "directives/decompose.js" in body
    item = item_with(directive, "涉企收费")
    assert f'data-start="{item.source_start}" data-end="{item.source_end}"' in body
    assert "<script>" not in body and " onclick=" not in body


def test_it_accepts_and_drops_with_partial_updates(directive, cast, login):
    client = login(cast["supervisor"])
    item = item_with(directive, "涉企收费")
    url = reverse("directives:item_state", args=[directive.pk, item.pk])
    response = client.post(url, {"state": "accepted", "version": item.version}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and f'id="item-{item.pk}"' in body
    item.refresh_from_db()
    assert item.state == ItemState.ACCEPTED
    client.post(url, {"state": "dropped", "version": item.version}, **HTMX)
    item.refresh_from_db()
    assert item.state == ItemState.DROPPED
    assert item.history.count() >= 3


def test_it_refuses_a_state_change_from_a_stale_version(directive, cast, login):
    item = item_with(directive, "涉企收费")
    stale = item.version
    services.item_update(actor=cast["supervisor"], item=item, expected_version=stale, title="别人改过")
    response = login(cast["supervisor"]).post(
        reverse("directives:item_state", args=[directive.pk, item.pk]), {"state": "dropped", "version": stale}, **HTMX
    )
    assert "已被他人修改" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.CANDIDATE and item.title == "别人改过"


def test_it_edits_a_row_with_units_leader_deadline_and_cadence(directive, cast, login, units):
    client = login(cast["supervisor"])
    item = item_with(directive, "教育局")
    url = reverse("directives:item_edit", args=[directive.pk, item.pk])
    form = client.get(url, **HTMX)
    assert form.status_code == 200 and "<html" not in form.content.decode() and 'name="co_units"' in form.content.decode()
    response = client.post(
        url,
        {
            "version": item.version,
            "title": "开展校园安全大检查",
            "measures": "全覆盖检查",
            "lead_leader": cast["leader"].pk,
            "lead_unit": units["other"].pk,
            "co_units": [units["co"].pk, units["other"].pk],
            "deadline": "2026-06-30",
            "deadline_text": "6月底前",
            "cadence": "weekly",
            "due_day": "5",
        },
        **HTMX,
    )
    assert response.status_code == 200 and "开展校园安全大检查" in response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.lead_unit, item.lead_leader, item.deadline, item.cadence, item.due_day) == (
        "开展校园安全大检查", units["other"], cast["leader"], dt.date(2026, 6, 30), "weekly", 5,
    )
    assert list(item.co_units.all()) == [units["co"]]  # the lead unit is not also a co-unit


@pytest.mark.parametrize(
    "changes, message",
    [({"title": ""}, "这个字段是必填项"), ({"cadence": "weekly", "due_day": "9"}, "1–7"), ({"deadline": "2026-13-01"}, "")],
)
def test_it_rejects_a_bad_edit_and_changes_nothing(directive, cast, login, changes, message):
    item = item_with(directive, "教育局")
    data = {"version": item.version, "title": "新标题", "cadence": "monthly", **changes}
    response = login(cast["supervisor"]).post(reverse("directives:item_edit", args=[directive.pk, item.pk]), data, **HTMX)
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    if message:
        assert message in response.content.decode() or "必填" in response.content.decode()
    fresh = DecompositionItem.objects.get(pk=item.pk)
    assert (fresh.title, fresh.version) == (item.title, item.version)


def test_it_merges_rows_into_one_spanning_both(directive, cast, login):
    first, second = item_with(directive, "涉企收费"), item_with(directive, "资金拨付")
    response = login(cast["supervisor"]).post(
        reverse("directives:merge", args=[directive.pk]), {"items": [second.pk, first.pk]}, **HTMX
    )
    assert response.status_code == 200 and 'id="items"' in response.content.decode()
    merged = DecompositionItem.objects.get(pk=first.pk)
    assert not DecompositionItem.objects.filter(pk=second.pk).exists()
    assert (merged.source_start, merged.source_end) == (first.source_start, second.source_end)
    assert "涉企收费" in merged.measures and "资金拨付" in merged.measures
    assert {u.short_name for u in merged.co_units.all()} | {merged.lead_unit.short_name} == {"发改委", "财政局"}


def test_it_refuses_to_merge_fewer_than_two_rows(directive, cast, login):
    count = directive.items.count()
    first = item_with(directive, "涉企收费")
    response = login(cast["supervisor"]).post(reverse("directives:merge", args=[directive.pk]), {"items": [first.pk]}, **HTMX)
    assert "至少选择两条" in response.content.decode()
    assert directive.items.count() == count


def test_it_splits_a_row_at_a_sentence_end(directive, cast, login):
    client = login(cast["supervisor"])
    item = item_with(directive, "抓好学习宣传")
    cut = item.source_text.index("。") + 1
    form = client.get(reverse("directives:item_split", args=[directive.pk, item.pk]), **HTMX)
    assert f'value="{cut}"' in form.content.decode()
    response = client.post(reverse("directives:item_split", args=[directive.pk, item.pk]), {"version": item.version, "at": cut}, **HTMX)
    assert response.status_code == 200 and 'id="items"' in response.content.decode()
    first = DecompositionItem.objects.get(pk=item.pk)
    second = DecompositionItem.objects.get(directive=directive, position=first.position + 1)
    assert first.source_text == "二要抓好学习宣传。"
    assert second.source_text == "各部门各单位要组织专题学习。" and second.source_start == first.source_end
    assert "专题学习" in second.title


def test_it_refuses_a_split_outside_the_row_and_changes_nothing(directive, cast, login):
    item = item_with(directive, "抓好学习宣传")
    count = directive.items.count()
    response = login(cast["supervisor"]).post(
        reverse("directives:item_split", args=[directive.pk, item.pk]),
        {"version": item.version, "at": len(item.source_text) + 5},
        **HTMX,
    )
    assert "拆分位置" in response.content.decode() and response["HX-Retarget"] == f"#item-{item.pk}"
    assert directive.items.count() == count
    assert DecompositionItem.objects.get(pk=item.pk).source_end == item.source_end


def accept(directive, cast, words, unit, deadline=dt.date(2026, 12, 31)):
    item = item_with(directive, words)
    services.item_update(actor=cast["supervisor"], item=item, expected_version=item.version, lead_unit=unit, deadline=deadline)
    services.item_set_state(actor=cast["supervisor"], item=item, state=ItemState.ACCEPTED)
    return item


@time_machine.travel(dt.datetime(2026, 3, 12, 9, 0), tick=False)
def test_it_publishes_accepted_rows_as_tasks_that_keep_their_words(directive, cast, login, units):
    heading = accept(directive, cast, "一要优化营商环境", units["lead"])
    child = accept(directive, cast, "涉企收费", units["lead"])
    other = accept(directive, cast, "资金拨付", units["co"])
    services.item_update(actor=cast["supervisor"], item=other, expected_version=other.version, co_units=[units["other"]])
    dropped = item_with(directive, "学校安全")
    services.item_set_state(actor=cast["supervisor"], item=dropped, state=ItemState.DROPPED)
    response = login(cast["supervisor"]).post(reverse("directives:publish", args=[directive.pk]))
    assert response.status_code == 302
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.PUBLISHED
    tasks = list(Task.objects.filter(directive=directive).order_by("pk"))
    assert len(tasks) == 3
    for task in tasks:
        assert task.status == "in_progress" and task.published_on == dt.date(2026, 3, 12)
        assert task.source_text == directive.text[task.source_start : task.source_end]
    by_title = {t.title: t for t in tasks}
    child_task = by_title[child.title]
    assert child_task.parent == by_title[heading.title]  # the tree directive → task → sub-task
    assert child_task.source_start == child.source_start and "涉企收费" in child_task.source_text
    assert list(by_title[other.title].co_units.all()) == [units["other"]]
    child.refresh_from_db()
    dropped.refresh_from_db()
    assert child.state == ItemState.PUBLISHED and child.task == child_task
    assert dropped.task is None and dropped.state == ItemState.DROPPED
    assert directive.history.filter(status=DirectiveStatus.PUBLISHED, history_user=cast["supervisor"]).exists()
    page = login(cast["supervisor"]).get(reverse("directives:detail", args=[directive.pk])).content.decode()
    # The row names its task by the citable number, as every list does.
    assert f"已发布为任务 {by_title[heading.title].code}" in page
    # a published row can no longer be edited from the page
    response = login(cast["supervisor"]).post(
        reverse("directives:item_state", args=[directive.pk, child.pk]), {"state": "dropped"}, **HTMX
    )
    child.refresh_from_db()
    assert child.state == ItemState.PUBLISHED


def test_it_publishes_nothing_while_an_accepted_row_is_incomplete(directive, cast, login, units):
    accept(directive, cast, "涉企收费", units["lead"])
    incomplete = item_with(directive, "学校安全")
    services.item_update(actor=cast["supervisor"], item=incomplete, expected_version=incomplete.version, lead_unit=None)
    services.item_set_state(actor=cast["supervisor"], item=incomplete, state=ItemState.ACCEPTED)
    response = login(cast["supervisor"]).post(reverse("directives:publish", args=[directive.pk]), follow=True)
    assert "未发布任何任务" in response.content.decode() and "缺少" in response.content.decode()
    assert Task.objects.count() == 0
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.DECOMPOSED


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "member", "outsider"])
def test_a_unit_liaison_can_neither_open_nor_change_nor_publish_a_directive(directive, cast, login, units, who):
    item = accept(directive, cast, "涉企收费", units["lead"])
    client = login(cast[who])
    pk = directive.pk
    for url in (
        reverse("directives:detail", args=[pk]),
        reverse("directives:export", args=[pk]),
        reverse("directives:import", args=[pk]),
        reverse("directives:item", args=[pk, item.pk]),
        reverse("directives:item_edit", args=[pk, item.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (reverse("directives:publish", args=[pk]), {}),
        (reverse("directives:parse", args=[pk]), {}),
        (reverse("directives:date", args=[pk]), {"issued_on": "2026-01-01"}),
        (reverse("directives:merge", args=[pk]), {"items": [item.pk]}),
        (reverse("directives:item_state", args=[pk, item.pk]), {"state": "dropped"}),
        (reverse("directives:item_split", args=[pk, item.pk]), {"at": 3, "version": item.version}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("directives:create")).status_code == 403
    assert "示范讲话" not in client.get(reverse("directives:list")).content.decode()
    assert Task.objects.count() == 0 and DecompositionItem.objects.get(pk=item.pk).state == ItemState.ACCEPTED


def test_a_leader_reads_published_directives_only_and_changes_nothing(directive, cast, login, units):
    item = accept(directive, cast, "涉企收费", units["lead"])
    client = login(cast["leader"])
    assert client.get(reverse("directives:detail", args=[directive.pk])).status_code == 404
    services.directive_publish(actor=cast["supervisor"], directive=directive, today=ISSUED)
    page = client.get(reverse("directives:detail", args=[directive.pk]))
    assert page.status_code == 200 and 'id="source-text"' in page.content.decode()
    assert reverse("directives:publish", args=[directive.pk]) not in page.content.decode()
    other = item_with(directive, "学校安全")
    assert client.post(reverse("directives:item_state", args=[directive.pk, other.pk]), {"state": "accepted"}).status_code == 403
    assert client.post(reverse("directives:publish", args=[directive.pk])).status_code == 403
    assert client.get(reverse("directives:create")).status_code == 403
    assert client.get(reverse("directives:export", args=[directive.pk])).status_code == 200
    assert DecompositionItem.objects.get(pk=other.pk).state == ItemState.CANDIDATE
    assert Task.objects.count() == 1 and item.pk


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_admins_open_and_decompose_drafts(directive, cast, login, who):
    client = login(cast[who])
    assert client.get(reverse("directives:detail", args=[directive.pk])).status_code == 200
    assert client.get(reverse("directives:create")).status_code == 200
    assert "示范讲话" in client.get(reverse("directives:list")).content.decode()


def _make_directives(cast, n):
    for i in range(n):
        services.directive_create(
            actor=cast["supervisor"], title=f"文件{i}", issued_on=ISSUED, text=f"一要抓好工作{i}。发改委要年底前完成。", parse_now=True
        )


def test_the_list_costs_the_same_queries_for_few_and_many_directives(cast, login, django_assert_max_num_queries):
    client = login(cast["supervisor"])
    _make_directives(cast, 2)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("directives:list"))
    _make_directives(cast, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "文件11" in client.get(reverse("directives:list")).content.decode()


def test_it_counts_each_directives_rows_and_tasks_in_the_list(directive, cast, login, units):
    accept(directive, cast, "涉企收费", units["lead"])
    services.item_set_state(actor=cast["supervisor"], item=item_with(directive, "学校安全"), state=ItemState.DROPPED)
    services.directive_publish(actor=cast["supervisor"], directive=directive, today=ISSUED)
    shown = directive.items.exclude(state=ItemState.DROPPED).count()
    page = login(cast["supervisor"]).get(reverse("directives:list")).content.decode()
    assert f"<td data-label=\"采纳/条目\">1 / {shown}</td>" in page
    assert f"<td data-label=\"已发布任务\">{Task.objects.filter(directive=directive).count()}</td>" in page


def test_it_pages_the_list_newest_first(cast, login, monkeypatch):
    from luoshi.directives import views

    monkeypatch.setattr(views, "DIRECTIVE_PAGE_SIZE", 5)
    _make_directives(cast, 7)
    client = login(cast["supervisor"])
    first = client.get(reverse("directives:list")).content.decode()
    assert "文件6" in first and "文件2" in first and "文件1" not in first and "page=2" in first
    second = client.get(reverse("directives:list") + "?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert "文件1" in second and "文件0" in second and "文件2" not in second and "<html" not in second


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_offices_first_page_is_the_page_read_through_its_scope(cast, login, monkeypatch, language):
    """The office's first page is read with a statement compiled once (its rows and the count of
    all together): the same markup as the page read through ``visible_to``, the way everyone else's
    is, with no directive, with fewer than a page and with more (the pager's links)."""
    from luoshi.directives import views
    from luoshi.directives.models import DirectiveQuerySet

    monkeypatch.setattr(views, "DIRECTIVE_PAGE_SIZE", 5)
    client = login(cast["supervisor"])

    def both(url):
        with translation.override(language):
            direct = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            with monkeypatch.context() as scoped:
                scoped.setattr(DirectiveQuerySet, "visible_to", lambda self, user: self.filter(pk__gt=0))
                through_scope = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        token = re.compile(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')
        return [token.sub(rb"\1", r.content) for r in (direct, through_scope)]

    for made in (0, 3, 4):
        _make_directives(cast, made)
        for url in (reverse("directives:list"), reverse("directives:list") + "?page=1"):
            direct, through_scope = both(url)
            assert direct == through_scope, (made, url)
    assert b"page=2" in direct and "文件3".encode() in direct


def test_the_decomposition_page_costs_the_same_queries_for_few_and_many_rows(cast, login, django_assert_max_num_queries):
    client = login(cast["supervisor"])
    small = services.directive_create(actor=cast["supervisor"], title="短", issued_on=ISSUED, text="一要抓好工作。发改委要年底前完成。")
    big = services.directive_create(actor=cast["supervisor"], title="长", issued_on=ISSUED, text=SAMPLE * 4)
    assert big.items.count() > 3 * small.items.count()
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("directives:detail", args=[small.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("directives:detail", args=[big.pk]))


# --- API ---------------------------------------------------------------------------------------


def bearer(user):
    from luoshi.api.services import token_create

    _record, token = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_creates_parses_edits_and_publishes(client, cast, units):
    auth = bearer(cast["supervisor"])
    payload = {"title": "接口讲话", "issued_on": "2026-03-10", "date_confirmed": True, "text": SAMPLE}
    created = client.post("/api/directives/directives", json.dumps(payload), content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    items = client.get(f"/api/directives/directives/{pk}/items", **auth).json()["items"]
    target = next(i for i in items if "涉企收费" in i["measures"])
    assert target["lead_unit_id"] == units["lead"].pk and target["deadline"] == "2026-12-31"
    url = f"/api/directives/directives/{pk}/items/{target['id']}"
    patch = {"version": target["version"], "state": "accepted", "co_unit_ids": [units["co"].pk], "cadence": "weekly", "due_day": 3}
    updated = client.patch(url, json.dumps(patch), content_type="application/json", **auth)
    assert updated.status_code == 200, updated.content
    assert updated.json()["state"] == "accepted" and updated.json()["co_unit_ids"] == [units["co"].pk]
    stale = client.patch(url, json.dumps({"version": target["version"], "title": "过期"}), content_type="application/json", **auth)
    assert stale.status_code == 409
    published = client.post(f"/api/directives/directives/{pk}/publish", **auth)
    assert published.status_code == 200
    (task_id,) = published.json()["task_ids"]
    task = Task.objects.get(pk=task_id)
    assert task.source_text == Directive.objects.get(pk=pk).text[task.source_start : task.source_end] and task.cadence == "weekly"


def test_the_api_parse_endpoint_returns_the_cli_shape_and_saves_nothing(client, cast, units):
    response = client.post(
        "/api/directives/parse", json.dumps({"text": SAMPLE, "issued": "2026-03-10"}), content_type="application/json", **bearer(cast["supervisor"])
    )
    data = response.json()
    assert response.status_code == 200 and set(data) >= {"outline", "tasks"}
    assert {"title", "text", "measures", "start", "end", "section", "units", "lead_unit", "deadline", "deadline_text"} <= set(data["tasks"][0])
    assert "示范市发展和改革委员会" in {u for t in data["tasks"] for u in t["units"]}
    assert Directive.objects.count() == 0


def test_the_api_enforces_access(client, directive, cast, units):
    item = accept(directive, cast, "涉企收费", units["lead"])
    for who in ("owner", "outsider"):
        auth = bearer(cast[who])
        assert client.get("/api/directives/directives", **auth).json() == {"items": [], "count": 0}
        assert client.get(f"/api/directives/directives/{directive.pk}", **auth).status_code == 404
        assert client.get(f"/api/directives/directives/{directive.pk}/items", **auth).status_code == 404
        assert client.post(f"/api/directives/directives/{directive.pk}/publish", **auth).status_code == 404
        patch = json.dumps({"version": item.version, "state": "dropped"})
        assert client.patch(f"/api/directives/directives/{directive.pk}/items/{item.pk}", patch, content_type="application/json", **auth).status_code == 404
        body = json.dumps({"issued_on": "2026-03-10", "text": SAMPLE})
        assert client.post("/api/directives/directives", body, content_type="application/json", **auth).status_code == 403
        assert client.post("/api/directives/parse", json.dumps({"text": SAMPLE}), content_type="application/json", **auth).status_code == 403
    leader = bearer(cast["leader"])
    assert client.get(f"/api/directives/directives/{directive.pk}", **leader).status_code == 404
    services.directive_publish(actor=cast["supervisor"], directive=directive, today=ISSUED)
    assert client.get(f"/api/directives/directives/{directive.pk}", **leader).status_code == 200
    assert client.post(f"/api/directives/directives/{directive.pk}/publish", **leader).status_code == 403
    assert client.get("/api/directives/directives").status_code == 401
    assert Task.objects.count() == 1


def test_the_api_rejects_bad_input_and_changes_nothing(client, directive, cast):
    auth = bearer(cast["supervisor"])
    item = item_with(directive, "涉企收费")
    url = f"/api/directives/directives/{directive.pk}/items/{item.pk}"
    for patch in ({"version": item.version, "title": ""}, {"version": item.version, "lead_unit_id": 999999},
                  {"version": item.version, "state": "published"}, {"version": item.version, "cadence": "daily"}):
        response = client.patch(url, json.dumps(patch), content_type="application/json", **auth)
        assert response.status_code == 400, patch
        assert response.json()["detail"]
    fresh = DecompositionItem.objects.get(pk=item.pk)
    assert (fresh.title, fresh.version, fresh.state) == (item.title, item.version, item.state)
    nothing = client.post(f"/api/directives/directives/{directive.pk}/publish", **auth)
    assert nothing.status_code == 400 and Task.objects.count() == 0
    bad = client.post("/api/directives/directives", json.dumps({"issued_on": "2026-02-30", "text": "x"}), content_type="application/json", **auth)
    assert bad.status_code == 422 and Directive.objects.count() == 1


def test_the_api_is_in_the_openapi_schema(client, owner):
    client.force_login(owner)  # the docs ask for a login in production
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/directives/directives", "/api/directives/parse", "/api/directives/directives/{directive_id}/publish",
            "/api/directives/directives/{directive_id}/items/{item_id}"} <= paths


def test_it_updates_the_tally_when_a_row_is_accepted_by_htmx(cast, login):
    from luoshi.directives import services as directive_services
    from luoshi.directives.models import DecompositionItem

    directive = directive_services.directive_create(
        actor=cast["supervisor"], title="测试讲话", kind="speech", issuer="", issued_on=dt.date(2026, 11, 20),
        text="一要加快推进项目建设，发改委年底前完成。\n二要抓好安全生产。", date_confirmed=True,
    )
    directive_services.directive_parse(actor=cast["supervisor"], directive=directive)
    item = DecompositionItem.objects.filter(directive=directive).first()
    response = login(cast["supervisor"]).post(
        f"/directives/{directive.pk}/items/{item.pk}/state/", {"state": "accepted", "version": item.version}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="tally"' in body and 'hx-swap-oob="true"' in body
    assert "采纳 1" in body


# --- the same text twice ------------------------------------------------------------------------


def test_it_warns_before_entering_the_same_text_again_and_creates_nothing(cast, login):
    client = login(cast["supervisor"])
    client.post(reverse("directives:create"), create_form(text=SAMPLE))
    first = Directive.objects.get()
    # The same speech pasted again, with other line breaks and a full-width indent.
    again = "\u3000\u3000" + SAMPLE.replace("\n", "\r\n\r\n")
    response = client.post(reverse("directives:create"), create_form(text=again))
    page = response.content.decode()
    assert response.status_code == 200 and Directive.objects.count() == 1
    assert f"《{first.title}》" in page and 'name="allow_duplicate"' in page


def test_it_enters_the_same_text_again_once_the_user_says_so(cast, login):
    client = login(cast["supervisor"])
    client.post(reverse("directives:create"), create_form(text=SAMPLE))
    response = client.post(reverse("directives:create"), create_form(text=SAMPLE, allow_duplicate="on"))
    assert response.status_code == 302 and Directive.objects.count() == 2


def test_it_hides_the_duplicate_checkbox_until_it_is_needed(cast, login):
    page = login(cast["supervisor"]).get(reverse("directives:create")).content.decode()
    assert 'name="allow_duplicate"' not in page


def test_it_refuses_a_duplicate_in_the_service_too(cast):
    services.directive_create(actor=cast["supervisor"], title="一", issued_on=ISSUED, text="一要抓好工作。")
    with pytest.raises(services.DuplicateText) as refused:
        services.directive_create(actor=cast["supervisor"], title="二", issued_on=ISSUED, text="一要抓好 工作。\n", refuse_duplicate=True)
    assert refused.value.existing.title == "一" and Directive.objects.count() == 1


OLD_LIST_ROWS = """{% load i18n %}{% translate '标题' as l_col0 %}{% translate '类型' as l_col1 %}{% translate '讲话人/发文单位' as l_col2 %}{% translate '日期' as l_col3 %}{% translate '状态' as l_col4 %}{% translate '采纳/条目' as l_col5 %}{% translate '已发布任务' as l_col6 %}{% for d in page %}<tr>
    <td data-label="{{ l_col0 }}"><a href="{% url 'directives:detail' d.pk %}">{{ d.title }}</a></td>
    <td data-label="{{ l_col1 }}">{{ d.get_kind_display }}</td>
    <td data-label="{{ l_col2 }}">{{ d.issuer|default:"—" }}</td>
    <td data-label="{{ l_col3 }}">{{ d.issued_on|date:"Y-m-d" }}{% if not d.date_confirmed %} <span class="badge health-yellow">{% translate "待核对" %}</span>{% endif %}</td>
    <td data-label="{{ l_col4 }}"><span class="badge status-{{ d.status }}">{{ d.get_status_display }}</span></td>
    <td data-label="{{ l_col5 }}">{{ d.accepted_count }} / {{ d.item_count }}</td>
    <td data-label="{{ l_col6 }}">{{ d.task_count }}</td>
  </tr>{% empty %}<tr><td colspan="7">{% translate "还没有可查看的来源文件。" %}</td></tr>{% endfor %}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_list_rows_as_the_template_did(cast, language):
    from django.db.models import Count, Q
    from django.template import Context, Template
    from django.utils import translation

    from luoshi.directives.templatetags.directive_list import directive_rows

    services.directive_create(actor=cast["supervisor"], title="关于<整治>“两违”&的讲话", issued_on=ISSUED, text="一要抓好工作。")
    services.directive_create(
        actor=cast["supervisor"], title="纪要", issuer="县政府办", issued_on=ISSUED, date_confirmed=True, text="发改委要年底前完成。",
        kind=DirectiveKind.MINUTES,
    )
    listed = Directive.objects.annotate(
        item_count=Count("items", distinct=True), accepted_count=Count("items", filter=Q(items__state="accepted"), distinct=True),
        task_count=Count("tasks", distinct=True),
    ).order_by("pk")
    page = list(listed)
    rows = list(listed.values("pk", "title", "kind", "issuer", "issued_on", "date_confirmed", "status", "item_count", "accepted_count", "task_count"))
    with translation.override(language):
        assert directive_rows(rows) == Template(OLD_LIST_ROWS).render(Context({"page": page}))
        assert directive_rows([]) == Template(OLD_LIST_ROWS).render(Context({"page": []}))


def test_it_takes_the_reporting_cadence_the_parser_read_onto_the_draft_row(cast):
    directive = services.directive_create(
        actor=cast["supervisor"], title="调度会讲话", kind="speech", issuer="", issued_on=ISSUED, date_confirmed=True,
        text="二、重点工作\n一要抓好项目建设。发改委要牵头推进重点项目，每月5日前报送工作进展。\n"
             "二要抓好安全生产。督查局要每周五报送排查情况。\n三要抓好学习宣传。各部门各单位要组织专题学习。\n",
    )
    services.directive_parse(actor=cast["supervisor"], directive=directive)
    projects, safety, study = (item_with(directive, words) for words in ("项目建设", "安全生产", "学习宣传"))
    assert (projects.cadence, projects.due_day) == ("monthly", 5)
    assert (safety.cadence, safety.due_day) == ("weekly", 5)
    # no cadence in the text: the row keeps the default, with no 报送日 made up
    assert (study.cadence, study.due_day) == ("monthly", None)
