"""Office spreadsheets (任务分解表, 督办台账, 整改台账, 指标对标表): layout read back with openpyxl,
formula neutralising, scoping, the page, the API and `luoshi export`."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from luoshi.reports import exports
from luoshi.tasks.models import ProgressReport, Task

from .test_reports_world import TODAY, build, make_task


@pytest.fixture
def directive(db):
    from luoshi.directives.models import Directive

    return Directive.objects.create(title="全市优化营商环境大会讲话", issued_on=dt.date(2026, 3, 1), text="……", status="published")


@pytest.fixture
def world(cast, units, directive):
    return build(cast, units, directive=directive)


def sheet(export):
    return load_workbook(io.BytesIO(export.content)).active


def body_rows(ws, first_data_row):
    return [row for row in ws.iter_rows(min_row=first_data_row, values_only=True) if any(v is not None for v in row)]


def test_it_lays_out_the_ledger_as_offices_print_it(cast, world):
    ws = sheet(exports.ledger(user=cast["supervisor"], today=TODAY))
    assert ws["A1"].value == "重点工作督办台账"
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = ws.max_column
    from openpyxl.utils import get_column_letter

    assert f"A1:{get_column_letter(last)}1" in merged  # title across the table
    assert ws["A3"].value == "序号" and "A3:A4" in merged  # two header rows, ungrouped headers merged down
    groups = {ws.cell(row=3, column=c).value for c in range(1, last + 1)}
    assert {"责任单位", "推进情况"} <= groups
    assert {"牵头单位", "配合单位", "红黄绿灯", "最新进展"} <= {ws.cell(row=4, column=c).value for c in range(1, last + 1)}
    assert ws.freeze_panes == "A5"
    assert ws.print_title_rows.replace("$", "") == "3:4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    rows = body_rows(ws, 5)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == Task.objects.exclude(status__in=("draft", "cancelled")).count()


def test_it_puts_health_reasons_latest_progress_and_actions_in_the_ledger(cast, units, world):
    from luoshi.supervision import services as supervision

    red = world["red"]
    ProgressReport.objects.create(
        task=red, unit=units["lead"], period_key="2026-11", period_label="2026年11月", percent=40, progress="完成方案起草",
        submitted_by=cast["owner"], submitted_at=dt.datetime(2026, 11, 28, 9, tzinfo=dt.timezone.utc), submitted_on=dt.date(2026, 11, 28),
    )
    action = supervision.action_issue(actor=cast["supervisor"], kind="order", unit=units["lead"], tasks=[red], reason="逾期未完成", reply_due=dt.date(2026, 12, 7), today=TODAY)
    ws = sheet(exports.ledger(user=cast["supervisor"], today=TODAY))
    header = [ws.cell(row=4, column=c).value or ws.cell(row=3, column=c).value for c in range(1, ws.max_column + 1)]
    row = next(r for r in body_rows(ws, 5) if r[header.index("工作任务")] == red.title)
    assert row[header.index("红黄绿灯")].startswith("红灯：") and "逾期" in row[header.index("红黄绿灯")]
    assert row[header.index("最新进展")] == "【2026年11月】完成方案起草"
    assert action.number in row[header.index("督办情况")]
    assert row[header.index("完成时限")].date() == red.deadline


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_it_neutralises_text_that_would_run_as_a_formula(cast, units, text):
    make_task(cast, title=text, lead=units["lead"], start=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31), measures=text)
    for export in (exports.ledger(user=cast["supervisor"], today=TODAY),):
        ws = sheet(export)
        cells = [c for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, str) and text in c.value]
        assert cells, "the text is in the file"
        assert all(c.data_type == "s" and c.value == "'" + text for c in cells)
    raw = load_workbook(io.BytesIO(exports.ledger(user=cast["supervisor"], today=TODAY).content), data_only=False).active
    assert not any(c.data_type == "f" for row in raw.iter_rows() for c in row)


def test_it_exports_only_what_the_viewer_may_see(cast, world):
    titles = lambda user: {r[3] for r in body_rows(sheet(exports.ledger(user=user, today=TODAY)), 5)}  # noqa: E731
    assert titles(cast["outsider"]) == {world["other"].title}
    assert world["other"].title not in titles(cast["owner"])
    assert world["draft"].title not in titles(cast["supervisor"])


def test_it_filters_the_ledger_like_the_board(cast, world):
    red = body_rows(sheet(exports.ledger(user=cast["supervisor"], filters={"health": "red"}, today=TODAY)), 5)
    assert {r[3] for r in red} == {world["red"].title, world["other"].title}
    overdue = body_rows(sheet(exports.ledger(user=cast["supervisor"], filters={"overdue": "1"}, today=TODAY)), 5)
    assert len(overdue) == 2
    with pytest.raises(exports.ExportError):
        exports.ledger(user=cast["supervisor"], filters={"unit": "发改委"}, today=TODAY)


def test_it_lists_only_rectification_tasks_in_the_rectification_ledger(cast, world):
    ws = sheet(exports.rectification(user=cast["supervisor"], today=TODAY))
    assert ws["A1"].value == "问题整改台账"
    rows = body_rows(ws, 5)
    assert [r[2] for r in rows] == [world["rect"].title]
    assert "已整改销号" in rows[0] and "压缩审批环节" in rows[0]


def test_it_orders_the_decomposition_table_as_the_tree_is_numbered(cast, units, directive, world):
    parent = world["red"]
    subs = [make_task(cast, title=f"子任务{i}", lead=units["lead"], start=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31), parent=parent)
            for i in range(1, 11)]
    ws = sheet(exports.decomposition(user=cast["supervisor"], directive_id=directive.pk, today=TODAY))
    assert ws["A1"].value == "全市优化营商环境大会讲话任务分解表"
    titles = [r[1] for r in body_rows(ws, 5)]
    numbers = [t.split(" ")[0] for t in titles]
    assert numbers.index(subs[1].code) < numbers.index(subs[9].code)  # 1.2 before 1.10
    assert numbers.index(subs[9].code) < numbers.index(world["green"].code)  # 1.10 before 2
    assert "A3:A4" in {str(r) for r in ws.merged_cells.ranges} and ws.freeze_panes == "A5"


def test_it_refuses_a_decomposition_table_of_a_directive_the_viewer_may_not_see(cast, directive):
    with pytest.raises(exports.ExportError):
        exports.decomposition(user=cast["owner"], directive_id=directive.pk)
    with pytest.raises(exports.ExportError):
        exports.decomposition(user=cast["supervisor"], directive_id=None)


def test_it_writes_the_benchmark_table_through_the_indicators_app(cast, units):
    from luoshi.indicators.models import Entity, Indicator, IndicatorSet, Observation, Period

    with pytest.raises(exports.ExportError):
        exports.indicators(user=cast["supervisor"])
    s = IndicatorSet.objects.create(name="营商环境评价")
    us = Entity.objects.create(indicator_set=s, name="本市", is_us=True)
    other = Entity.objects.create(indicator_set=s, name="甲市")
    p = Period.objects.create(indicator_set=s, key="2026", order=1)
    ind = Indicator.objects.create(indicator_set=s, code="A", name="=开办企业", responsible_unit=units["lead"])
    for e, v in ((us, 1), (other, 2)):
        Observation.objects.create(indicator_set=s, entity=e, indicator=ind, period=p, value=v)
    ws = sheet(exports.indicators(user=cast["supervisor"], today=TODAY))
    assert ws["A1"].value and "对标" in ws["A1"].value
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=开办企业" in values


# --- page, API and command --------------------------------------------------------------------


@pytest.mark.parametrize("role,status", [("owner", 200), ("member", 200), ("outsider", 200), ("leader", 200), ("supervisor", 200)])
def test_it_downloads_the_ledger_for_each_role(cast, world, login, role, status):
    response = login(cast[role]).get("/reports/export/ledger.xlsx")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


@pytest.mark.parametrize("role,ok", [("owner", False), ("outsider", False), ("leader", True), ("supervisor", True)])
def test_it_downloads_a_decomposition_table_only_for_those_who_see_the_directive(cast, world, directive, login, role, ok):
    response = login(cast[role]).get(f"/reports/export/decomposition.xlsx?directive={directive.pk}")
    if ok:
        assert response.status_code == 200 and response.content[:2] == b"PK"
    else:
        assert response.status_code == 302  # back to the reports page with the message


def test_it_answers_bad_export_requests_with_a_message_and_changes_nothing(cast, world, login):
    client = login(cast["supervisor"])
    before = Task.objects.count()
    assert client.get("/reports/export/nonsense.xlsx").status_code == 404
    response = client.get("/reports/export/decomposition.xlsx?directive=abc", follow=True)
    assert response.status_code == 200 and "来源文件不存在或无权查看" in response.content.decode()
    response = client.get("/reports/export/ledger.xlsx?unit=x", follow=True)
    assert "筛选条件" in response.content.decode()
    assert Task.objects.count() == before


def test_it_exports_the_ledger_in_constant_queries(cast, units, world, login, django_assert_max_num_queries):
    client = login(cast["supervisor"])
    with django_assert_max_num_queries(40) as few:
        client.get("/reports/export/ledger.xlsx")
    for i in range(25):
        make_task(cast, title=f"批量{i}", lead=units["co"], co=[units["lead"]], start=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/reports/export/ledger.xlsx")


def test_it_serves_exports_over_the_api(cast, world, client):
    from luoshi.api.services import token_create

    _r, token = token_create(user=cast["owner"], name="t")
    response = client.get("/api/reports/exports/rectification", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get("/api/reports/exports/nothing", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_it_writes_the_same_files_from_the_shell(cast, units, world, directive, tmp_path):
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0), tick=False):
        for kind, extra in (("ledger", {}), ("rectification", {}), ("decomposition", {"directive": str(directive.pk)}),
                            ("bulletin", {"period": "2026-11"})):
            out = tmp_path / f"{kind}.{'docx' if kind == 'bulletin' else 'xlsx'}"
            call_command("export", kind, out=str(out), **extra)
            assert out.read_bytes()[:2] == b"PK", kind
        ledger = load_workbook(tmp_path / "ledger.xlsx").active
        assert len(body_rows(ledger, 5)) == Task.objects.exclude(status__in=("draft", "cancelled")).count()
        call_command("export", "ledger", out=str(tmp_path / "mine.xlsx"), username="outsider")
        assert len(body_rows(load_workbook(tmp_path / "mine.xlsx").active, 5)) == 1
    with pytest.raises(CommandError):
        call_command("export", "decomposition", out=str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError):
        call_command("export", "bulletin", period="2026-13", out=str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.docx").exists()


def test_it_forbids_caching_every_download(cast, world, client, login):
    from luoshi.api.services import token_create

    _r, token = token_create(user=cast["owner"], name="t")
    downloads = [
        client.get("/api/reports/exports/rectification", HTTP_AUTHORIZATION=f"Bearer {token}"),
        login(cast["supervisor"]).get("/reports/export/ledger.xlsx"),
        login(cast["admin"]).get("/orgs/import/template.xlsx"),
    ]
    for response in downloads:
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
