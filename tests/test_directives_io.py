"""The 任务分解表 (.xlsx export and import) and the `luoshi parse` / `luoshi parse-eval` commands."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from luoshi.core.spreadsheets import find_header
from luoshi.directives import services, table
from luoshi.directives.models import DecompositionItem, DirectiveStatus, ItemOrigin, ItemState

from .conftest import REPO_ROOT, shared_file

SAMPLE = (
    "在示范市党工委会议上的讲话\n"
    "二、抓好当前重点工作\n"
    "一要优化营商环境。发改委要牵头开展涉企收费专项检查，年底前完成。财政局要加快资金拨付进度，月底前报送进展情况。"
    "教育局要做好学校安全检查。督查局要每月通报一次进展。\n"
    "二要抓好学习宣传。各部门各单位要组织专题学习。\n"
)
ISSUED = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def two_days_after_the_speech():
    """The rows' deadlines are typed for a speech of 10 March: read them on 12 March, whatever the
    calendar says (a row cannot be given a deadline before the day its task could start)."""
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield
HEADERS = ["序号", "工作任务", "具体措施", "牵头领导", "牵头单位", "责任单位", "完成时限", "来源"]


@pytest.fixture
def directive(cast):
    return services.directive_create(actor=cast["supervisor"], title="示范讲话", issued_on=ISSUED, date_confirmed=True, text=SAMPLE)


def accept_all(directive, cast, units):
    for item in directive.items.all():
        services.item_update(
            actor=cast["supervisor"], item=item, expected_version=item.version, lead_unit=item.lead_unit or units["office"],
            deadline=item.deadline or dt.date(2026, 12, 31),
        )
        services.item_set_state(actor=cast["supervisor"], item=item, state=ItemState.ACCEPTED)


def rows_of(data: bytes):
    ws = load_workbook(io.BytesIO(data)).active
    return ws, [tuple(r) for r in ws.iter_rows(values_only=True)]


# --- export -------------------------------------------------------------------------------------


def test_it_exports_the_decomposition_table_with_title_merged_header_and_sources(directive, cast, login, units):
    fgw = next(i for i in directive.items.all() if "涉企收费" in i.source_text)
    services.item_update(
        actor=cast["supervisor"], item=fgw, expected_version=fgw.version, lead_leader=cast["leader"], co_units=[units["co"]]
    )
    services.item_set_state(actor=cast["supervisor"], item=fgw, state=ItemState.ACCEPTED)
    services.item_set_state(actor=cast["supervisor"], item=directive.items.exclude(pk=fgw.pk).first(), state=ItemState.ACCEPTED)
    response = login(cast["supervisor"]).get(reverse("directives:export", args=[directive.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws, rows = rows_of(response.content)
    assert rows[0][0] == "任务分解表" and "示范讲话" in rows[1][0]
    assert rows[2][0] == "序号" and rows[2][3] == "责任分工" and list(rows[3][3:6]) == ["牵头领导", "牵头单位", "责任单位"]
    # The import reads the two header rows as one, ending on the row of sub-headers.
    index, cols = find_header(rows, table.IMPORT_COLUMNS, table.REQUIRED)
    assert index == 3 and [HEADERS[cols[key]] for key in table.IMPORT_COLUMNS] == [table.IMPORT_COLUMNS[key][0] for key in table.IMPORT_COLUMNS]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:H1" in merged and "D3:F3" in merged and "A3:A4" in merged
    body = rows[4:]
    assert len(body) == 2  # accepted rows only, once something is accepted
    row = next(r for r in body if "涉企收费" in (r[2] or ""))
    fgw.refresh_from_db()
    assert row[0] == 1 or row[0] == 2
    assert (row[1], row[3], row[4], row[5]) == (fgw.title, "leader", "发改委", "财政局")
    assert row[6].date() == dt.date(2026, 12, 31)
    assert table.span_of(row[7]) == (fgw.source_start, fgw.source_end)


def test_it_neutralises_formulas_in_exported_cells(directive, cast, login):
    item = directive.items.first()
    services.item_update(actor=cast["supervisor"], item=item, expected_version=item.version, title="=HYPERLINK(\"x\")")
    _ws, rows = rows_of(login(cast["supervisor"]).get(reverse("directives:export", args=[directive.pk])).content)
    assert any(r[1] == "'=HYPERLINK(\"x\")" for r in rows[4:])


# --- import -------------------------------------------------------------------------------------


def sheet(rows, header=("工作任务", "具体措施", "牵头领导", "牵头单位", "责任单位", "完成时限")):
    wb = Workbook()
    ws = wb.active
    ws.append(["某某任务分解表"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def post_import(client, directive, data, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("directives:import", args=[directive.pk]), {"file": SimpleUploadedFile("表.xlsx", data), **extra})


def test_it_imports_a_decomposition_table_and_a_second_import_changes_nothing(directive, cast, login, units):
    client = login(cast["supervisor"])
    before = directive.items.count()
    data = sheet([
        ("建立营商环境问题台账", "逐项销号", "leader", "市发改委", "财政局、教育局", "2026-06-30"),
        ("开展财政资金绩效评价", "", "", "财政局", "", "年底前"),
    ])
    response = post_import(client, directive, data)
    assert response.status_code == 302
    imported = {i.title: i for i in directive.items.filter(origin=ItemOrigin.IMPORT)}
    assert set(imported) == {"建立营商环境问题台账", "开展财政资金绩效评价"}
    first = imported["建立营商环境问题台账"]
    assert first.state == ItemState.ACCEPTED and first.lead_unit == units["lead"] and first.lead_leader == cast["leader"]
    assert {u.pk for u in first.co_units.all()} == {units["co"].pk, units["other"].pk} and first.deadline == dt.date(2026, 6, 30)
    second = imported["开展财政资金绩效评价"]
    assert second.deadline == dt.date(2026, 12, 31) and second.deadline_text == "年底前"
    versions = {i.pk: i.version for i in directive.items.all()}
    dry = post_import(client, directive, data, dry_run="on")
    assert "未变 2 条" in dry.content.decode()
    post_import(client, directive, data)
    assert directive.items.count() == before + 2
    assert {i.pk: i.version for i in directive.items.all()} == versions


def test_it_reads_a_deadline_cell_as_a_table_of_the_parser_is_read_and_keeps_a_duty_with_no_end_as_words(directive, cast, login):
    # 2026.9 and 6.30 are what a spreadsheet holds; 长期坚持 and 立即 are words a 责任清单 writes in its
    # 完成时限 column. A file of such rows was refused whole; now they come in, and a row without a date
    # waits for one before it is published.
    client = login(cast["supervisor"])
    data = sheet([
        ("推进老旧小区改造", "", "", "发改委", "", "2026.9"),
        ("开展安全生产检查", "", "", "发改委", "", "6.30"),
        ("落实河长制巡河", "", "", "发改委", "", "长期坚持"),
        ("整改信访突出问题", "", "", "发改委", "", "立即"),
    ])
    assert post_import(client, directive, data).status_code == 302
    got = {i.title: (i.deadline, i.deadline_text) for i in directive.items.filter(origin=ItemOrigin.IMPORT)}
    assert got == {
        "推进老旧小区改造": (dt.date(2026, 9, 30), "2026.9"),
        "开展安全生产检查": (dt.date(2026, 6, 30), "6.30"),
        "落实河长制巡河": (None, "长期坚持"),
        "整改信访突出问题": (None, "立即"),
    }
    versions = {i.pk: i.version for i in directive.items.all()}
    exported = client.get(reverse("directives:export", args=[directive.pk]))
    post_import(client, directive, b"".join(exported.streaming_content) if exported.streaming else exported.content)
    assert {i.pk: i.version for i in directive.items.all()} == versions  # the words come back unchanged
    waiting = directive.items.get(title="落实河长制巡河")
    assert any("缺少" in p and "完成时限" in p for p in services.publish_problems([waiting]))


def test_it_reports_every_bad_row_and_saves_nothing(directive, cast, login):
    client = login(cast["supervisor"])
    count, versions = directive.items.count(), sorted(directive.items.values_list("version", flat=True))
    data = sheet([
        ("好的一行", "", "", "发改委", "", "2026-06-30"),
        ("", "措施", "", "发改委", "", "2026-06-30"),
        ("单位不对", "", "", "火星局", "", "2026-06-30"),
        ("日期不对", "", "", "财政局", "", "2026-02-30"),
        ("时限看不懂", "", "", "财政局", "教育局、月球办", "尽快吧"),
        ("领导不对", "", "张三", "财政局", "", "2026-06-30"),
        (None, None, None, None, None, None),
    ])
    response = post_import(client, directive, data)
    body = response.content.decode()
    assert response.status_code == 200 and "有错误，未保存任何数据" in body
    for expected in ("工作任务为空", "“火星局”不在单位名录中", "“2026-02-30”无法识别", "“尽快吧”无法识别", "“月球办”不在单位名录中", "“张三”不在通讯录"):
        assert expected in body, expected
    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data)
    assert sorted(e.row for e in report.errors) == [4, 5, 6, 7, 7, 8]
    assert directive.items.count() == count and sorted(directive.items.values_list("version", flat=True)) == versions


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a spreadsheet", "不是 .xlsx"),
        (b"", "空文件"),
        (None, "找不到表头"),
    ],
)
def test_it_refuses_an_unreadable_file_and_saves_nothing(directive, cast, login, data, message):
    if data is None:
        data = sheet([("任务", "发改委")], header=("名称", "单位"))
    count = directive.items.count()
    response = post_import(login(cast["supervisor"]), directive, data)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert directive.items.count() == count


def test_an_exported_table_imports_back_into_another_directive_with_its_spans(directive, cast, units):
    accept_all(directive, cast, units)
    data = services.export_xlsx(directive)
    copy = services.directive_create(actor=cast["supervisor"], title="副本", issued_on=ISSUED, text=SAMPLE, parse_now=False)
    report = services.decomposition_import(actor=cast["supervisor"], directive=copy, data=data)
    assert report.ok, [str(e) for e in report.errors]
    originals = {(i.title, i.source_start, i.source_end, i.lead_unit_id, i.deadline) for i in directive.items.all()}
    copies = {(i.title, i.source_start, i.source_end, i.lead_unit_id, i.deadline) for i in copy.items.all()}
    assert copies == originals
    copy.refresh_from_db()
    assert copy.status == DirectiveStatus.DECOMPOSED


def test_it_refuses_an_edited_published_row_and_saves_nothing(directive, cast, units):
    accept_all(directive, cast, units)
    services.directive_publish(actor=cast["supervisor"], directive=directive, today=ISSUED)
    item = directive.items.first()
    data = sheet([(item.title, "改过的措施", "", "教育局", "", "2027-01-01"), ("另一项新任务", "", "", "发改委", "", "2026-06-30")])
    count = directive.items.count()
    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data)
    assert not report.ok and "已发布为任务" in str(report.errors[0]) and "任务页面" in str(report.errors[0])
    item.refresh_from_db()
    assert item.lead_unit != units["other"] and item.state == ItemState.PUBLISHED and directive.items.count() == count


# --- the round trip: export, edit in Excel, import into the same directive ----------------------


def exported_tasks(directive, cast):
    from luoshi.reports import exports

    return exports.decomposition(user=cast["supervisor"], directive_id=directive.pk).content


def edited(data: bytes, change) -> bytes:
    """The workbook with ``change(ws)`` applied, saved as Excel would save it."""
    wb = load_workbook(io.BytesIO(data))
    change(wb.active)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def body_row(ws, title_part: str) -> int:
    return next(r for r in range(5, ws.max_row + 1) if title_part in str(ws.cell(r, 2).value or ""))


def snapshot(directive):
    return {i.pk: (i.version, i.state, i.title) for i in directive.items.all()}


def publish_all(directive, cast, units):
    accept_all(directive, cast, units)
    return services.directive_publish(actor=cast["supervisor"], directive=directive, today=ISSUED)


def test_it_imports_its_own_exported_table_back_with_every_row_unchanged(directive, cast, units):
    tasks = publish_all(directive, cast, units)
    data = exported_tasks(directive, cast)
    _ws, rows = rows_of(data)
    assert all(r[1].startswith(f"{t.citation} ") for r, t in zip(rows[4:], sorted(tasks, key=lambda t: t.sort_key)))
    before = snapshot(directive)
    for dry_run in (True, False):
        report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data, dry_run=dry_run)
        assert report.ok, [str(e) for e in report.errors]
        assert (report.created, report.updated, len(report.unchanged)) == ([], [], len(tasks))
    assert snapshot(directive) == before


def test_it_does_not_turn_a_sub_task_added_on_the_task_page_into_a_new_row(directive, cast, units):
    from luoshi.tasks.services import task_create

    tasks = publish_all(directive, cast, units)
    # the sub-task shares its title with a row of the table: only its number tells them apart
    task_create(
        actor=cast["supervisor"], title=tasks[-1].title, directive=directive, parent=tasks[0], lead_unit=units["other"],
        deadline=dt.date(2026, 12, 31),
    )
    data = exported_tasks(directive, cast)
    before = snapshot(directive)
    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, len(report.unchanged)) == ([], [], len(tasks) + 1)
    assert snapshot(directive) == before


def test_it_adds_exactly_one_item_for_a_new_row_in_an_exported_table(directive, cast, units, login):
    tasks = publish_all(directive, cast, units)
    before = snapshot(directive)

    def add_row(ws):
        ws.append([None, "建立营商环境问题台账", "逐项销号", "", "发改委", "财政局", dt.datetime(2026, 6, 30), ""])

    response = post_import(login(cast["supervisor"]), directive, edited(exported_tasks(directive, cast), add_row))
    assert response.status_code == 302
    after = snapshot(directive)
    assert {pk: after[pk] for pk in before} == before and len(after) == len(before) + 1
    new = directive.items.get(title="建立营商环境问题台账")
    assert new.origin == ItemOrigin.IMPORT and new.lead_unit == units["lead"] and new.deadline == dt.date(2026, 6, 30)
    assert len(tasks) == directive.items.filter(state=ItemState.PUBLISHED).count()


def test_it_updates_exactly_the_row_whose_cell_was_edited(directive, cast, units):
    accept_all(directive, cast, units)
    target = next(i for i in directive.items.all() if "涉企收费" in i.source_text)
    data = services.export_xlsx(directive)
    assert services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data).updated == []
    before = snapshot(directive)

    def new_deadline_and_unit(ws):
        r = body_row(ws, target.title)
        ws.cell(r, 5).value = "教育局"
        ws.cell(r, 7).value = dt.datetime(2026, 9, 30)

    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=edited(data, new_deadline_and_unit))
    assert report.ok and len(report.updated) == 1 and not report.created and len(report.unchanged) == len(before) - 1
    after = snapshot(directive)
    assert [pk for pk in before if after[pk] != before[pk]] == [target.pk]
    target.refresh_from_db()
    assert target.lead_unit == units["other"] and target.deadline == dt.date(2026, 9, 30)


@pytest.fixture
def exported_drafts(directive, cast, units):
    """The accepted draft rows exported, the row about 涉企收费, and the rows as they were."""
    accept_all(directive, cast, units)
    target = next(i for i in directive.items.all() if "涉企收费" in i.source_text)
    return services.export_xlsx(directive), target, snapshot(directive)


def copy_as(title: str, new_title: str):
    """A change that copies the line titled ``title`` to a new last line titled ``new_title``."""

    def change(ws):
        row = [c.value for c in ws[body_row(ws, title)]]
        row[1] = new_title
        ws.append(row)

    return change


def test_it_finds_a_draft_row_whose_title_was_retyped_by_its_source_words(directive, cast, exported_drafts):
    data, target, before = exported_drafts

    def retitle(ws):
        ws.cell(body_row(ws, target.title), 2).value = "全面清理规范涉企收费"

    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=edited(data, retitle))
    assert report.ok and not report.created and len(report.updated) == 1, [str(e) for e in report.errors]
    after = snapshot(directive)
    assert set(after) == set(before) and [pk for pk in before if after[pk] != before[pk]] == [target.pk]
    target.refresh_from_db()
    assert target.title == "全面清理规范涉企收费" and target.history.first().history_user == cast["supervisor"]


def test_it_keeps_a_row_copied_in_the_sheet_to_split_it_as_a_new_row(directive, cast, exported_drafts):
    data, target, before = exported_drafts

    copy_row = copy_as(target.title, "建立涉企收费目录清单")
    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=edited(data, copy_row))
    assert report.ok and len(report.created) == 1 and not report.updated, [str(e) for e in report.errors]
    after = snapshot(directive)
    assert {pk: after[pk] for pk in before} == before, "the original row keeps its title"
    new = directive.items.get(title="建立涉企收费目录清单")
    assert (new.source_start, new.source_end) == (target.source_start, target.source_end)

    def split_in_two(ws):
        r = body_row(ws, target.title)
        row = [c.value for c in ws[r]]
        ws.cell(r, 2).value = "清理涉企收费"
        row[1] = "公开涉企收费目录"
        ws.append(row)

    # Two lines from the same words and the old title gone: neither may claim the row.
    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=edited(data, split_in_two), dry_run=True)
    assert report.ok and len(report.created) == 2 and not report.updated


def test_it_finds_a_copy_made_to_split_a_row_when_it_is_retitled_later(directive, cast, exported_drafts):
    data, target, _before = exported_drafts

    copy_row = copy_as(target.title, "建立涉企收费目录清单")
    assert services.decomposition_import(actor=cast["supervisor"], directive=directive, data=edited(data, copy_row)).ok
    copy = directive.items.get(title="建立涉企收费目录清单")
    before = snapshot(directive)

    # The two rows now share their 来源; the copy's title retyped once more is still the copy.
    def retitle_copy(ws):
        ws.cell(body_row(ws, copy.title), 2).value = "建立并公开涉企收费目录清单"

    report = services.decomposition_import(
        actor=cast["supervisor"], directive=directive, data=edited(services.export_xlsx(directive), retitle_copy)
    )
    assert report.ok and not report.created and len(report.updated) == 1, [str(e) for e in report.errors]
    after = snapshot(directive)
    assert set(after) == set(before) and [pk for pk in before if after[pk] != before[pk]] == [copy.pk]
    copy.refresh_from_db()
    assert copy.title == "建立并公开涉企收费目录清单"


def test_it_matches_the_published_rows_of_the_pages_own_export_by_their_task_numbers(directive, cast, units, login):
    publish_all(directive, cast, units)
    client = login(cast["supervisor"])
    data = client.get(reverse("directives:export", args=[directive.pk])).content
    before = snapshot(directive)
    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data)
    assert report.ok and not report.created and not report.updated and len(report.unchanged) == len(before)
    target = directive.items.select_related("task").first()

    def retitle(ws):
        ws.cell(body_row(ws, target.title), 2).value = f"{target.task.citation} 改过的标题"

    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=edited(data, retitle))
    assert not report.ok and target.task.citation in str(report.errors[0])
    assert snapshot(directive) == before


def test_it_tells_an_english_reader_why_an_edited_published_row_was_refused(directive, cast, units):
    from django.utils import translation

    publish_all(directive, cast, units)

    def new_deadline(ws):
        ws.cell(5, 7).value = dt.datetime(2027, 3, 31)

    data = edited(exported_tasks(directive, cast), new_deadline)
    with translation.override("en"):
        report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data)
        message = str(report.errors[0])
    assert "was published as task" in message and "task page" in message


def test_it_refuses_a_title_shared_by_two_rows_rather_than_guess(directive, cast, units):
    accept_all(directive, cast, units)
    first, second = list(directive.items.all())[:2]
    services.item_update(actor=cast["supervisor"], item=second, expected_version=second.version, title=first.title)
    data = sheet([(first.title, "", "", "发改委", "", "2026-06-30")])
    before = snapshot(directive)
    report = services.decomposition_import(actor=cast["supervisor"], directive=directive, data=data)
    assert not report.ok and "同名" in str(report.errors[0])
    assert snapshot(directive) == before


def test_it_reads_a_leading_figure_as_title_unless_it_is_one_of_the_directives_task_numbers(directive, cast, units):
    assert table.split_title("1 开展检查", {"1", "2"}) == ("1", "开展检查")
    assert table.split_title("3 开展检查", {"1", "2"}) == ("", "3 开展检查")
    assert table.split_title("1", {"1"}) == ("", "1")
    assert table.title_cell("〔2026〕3-1.2", "开展检查") == "〔2026〕3-1.2 开展检查"


@pytest.mark.parametrize("who, status", [("owner", 404), ("outsider", 404), ("leader", 404)])
def test_only_supervisors_import(directive, cast, login, who, status):
    data = sheet([("新任务", "", "", "发改委", "", "2026-06-30")])
    assert post_import(login(cast[who]), directive, data).status_code == status
    assert not DecompositionItem.objects.filter(title="新任务").exists()


# --- the commands -------------------------------------------------------------------------------


def run_luoshi(*args, cwd):
    """The console command with no secret and a database that cannot be reached."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/nowhere"
    env["LUOSHI_VAR_DIR"] = str(cwd / "var-never-created")
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_parse_prints_the_json_shape_without_a_database(tmp_path):
    source = tmp_path / "讲话.txt"
    source.write_bytes(SAMPLE.encode("gb18030"))
    out = tmp_path / "表.xlsx"
    result = run_luoshi("parse", str(source), "--date", "2026-03-10", "--json", "--xlsx", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    text = SAMPLE.strip("\n")
    assert data["outline"] and data["tasks"]
    for item in data["outline"]:
        assert {"level", "label", "text", "start", "end"} <= set(item) and isinstance(item["level"], int)
        assert text[item["start"] : item["end"]] == item["text"]
    for task in data["tasks"]:
        assert {"title", "text", "measures", "start", "end", "section", "units", "lead_unit", "deadline", "deadline_text"} <= set(task)
        assert text[task["start"] : task["end"]] == task["text"]
        assert task["section"] is None or 0 <= task["section"] < len(data["outline"])
    fgw = next(t for t in data["tasks"] if "涉企收费" in t["text"])
    assert fgw["lead_unit"] == "发改委" and fgw["deadline"] == "2026-12-31" and fgw["deadline_text"] == "年底前"
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "任务分解表" and len(rows) == 4 + len(data["tasks"])
    assert not (tmp_path / "var-never-created").exists()


def test_parse_reads_the_seed_speech_from_a_clean_environment(tmp_path):
    seed = shared_file("seed/000_2050f33bd5bf388b.txt")
    result = run_luoshi("parse", str(seed), "--date", "2021-12-15", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    yao = [o for o in data["outline"] if o["label"].endswith("要") and o["label"][0] in "一二三四五六七"]
    assert len(yao) == 11
    assert any(t["deadline_text"] == "明天" and t["deadline"] == "2021-12-16" for t in data["tasks"])
    leads = {t["lead_unit"] for t in data["tasks"]}
    assert {"示范区党工委办公室", "市委党校", "宣传部门", "督查局"} <= leads


@pytest.mark.parametrize(
    "args, message",
    [(["--date", "2026-02-30"], "YYYY-MM-DD"), (["missing.txt"], "无法读取文件"), (["garbage.txt"], "编码")],
)
def test_parse_fails_with_a_clear_message_not_a_traceback(tmp_path, args, message):
    (tmp_path / "ok.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "garbage.txt").write_bytes(bytes([0xFF, 0xFE, 0x00, 0x81, 0x30, 0xFF, 0xFF, 0x80]) * 10)
    argv = ["parse", *(args if args[0] != "--date" else ["ok.txt", *args])]
    result = run_luoshi(*argv, cwd=tmp_path)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


def test_parse_eval_prints_per_document_scores(tmp_path):
    label = REPO_ROOT / "eval" / "parser" / "labels" / "shifan-county-weekly.json"
    result = run_luoshi("parse-eval", str(label), "--repo-root", str(REPO_ROOT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "recall" in result.stdout and "shifan-county-weekly" in result.stdout and "%" in result.stdout
    as_json = json.loads(run_luoshi("parse_eval", str(label), "--repo-root", str(REPO_ROOT), "--json", cwd=tmp_path).stdout)
    doc = as_json["dev"]["documents"][0]
    assert doc["name"] == "shifan-county-weekly" and 0 <= doc["recall"] <= 1


def test_the_demo_directive_is_written_for_the_demo_and_labelled():
    text = (Path(services.__file__).parent / "demo_data" / "shifan-dangongwei-speech.txt").read_text(encoding="utf-8")
    assert "演示数据" in text and "示范市" in text and "林正华" in text
