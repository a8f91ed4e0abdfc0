import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from luoshi.core.errors import LuoshiError
from luoshi.orgs import services
from luoshi.orgs.models import Unit, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(units=None, people=None, title_row=False) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    if units is not None:
        ws = wb.create_sheet("单位")
        if title_row:
            ws.append(["示范市单位名录"])
        ws.append(["单位名称", "简称", "别名", "类别", "上级单位", "排序", "启用"])
        for row in units:
            ws.append(row)
    if units is None and people is None:
        wb.create_sheet("其他")
    if people is not None:
        ws = wb.create_sheet("人员")
        ws.append(["用户名", "姓名", "单位", "角色", "职务", "电话", "邮箱", "分管单位"])
        for row in people:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def snapshot():
    return (
        sorted(Unit.objects.values_list("name", "short_name", "aliases", "kind", "parent_id", "active")),
        sorted(User.objects.values_list("username", "name", "unit_id", "role")),
    )


GOOD_UNITS = [
    ["示范市住房和城乡建设局", "住建局", "市住建局、住建部门", "政府部门", None, 10, "是"],
    ["住建局质量安全站", "质安站", None, "其他", "示范市住房和城乡建设局", 11, "是"],
    ["北山镇", None, "北山镇政府", "镇街道", None, 20, "是"],
]
GOOD_PEOPLE = [
    ["zjj", "秦浩然", "住建局", "单位联络员", "联络员", "123", "zjj@example.invalid", None],
    ["fz", "何丽萍", None, "领导", "副主任", None, None, "住建局、北山镇"],
]


def test_it_imports_units_and_people(cast):
    report = services.directory_import(actor=cast["admin"], data=workbook(GOOD_UNITS, GOOD_PEOPLE, title_row=True))
    assert report.ok, [str(e) for e in report.errors]
    assert len(report.created) == 5
    station = Unit.objects.get(name="住建局质量安全站")
    assert station.parent.name == "示范市住房和城乡建设局"
    assert Unit.objects.get(name="示范市住房和城乡建设局").alias_list == ["市住建局", "住建部门"]
    person = User.objects.get(username="zjj")
    assert person.unit.short_name == "住建局"  # matched by short name
    assert not person.has_usable_password()
    leader = User.objects.get(username="fz")
    assert {u.name for u in leader.oversees.all()} == {"示范市住房和城乡建设局", "北山镇"}


def test_it_reimports_the_same_file_without_changes(cast):
    data = workbook(GOOD_UNITS, GOOD_PEOPLE)
    services.directory_import(actor=cast["admin"], data=data)
    before = snapshot()
    report = services.directory_import(actor=cast["admin"], data=data)
    assert report.ok and not report.created and not report.updated
    assert len(report.unchanged) == 5
    assert snapshot() == before


def test_it_reports_updates_instead_of_silently_overwriting(cast):
    services.directory_import(actor=cast["admin"], data=workbook(GOOD_UNITS))
    changed = [list(GOOD_UNITS[0]), *GOOD_UNITS[1:]]
    changed[0][1] = "住房城乡建设局"
    report = services.directory_import(actor=cast["admin"], data=workbook(changed))
    assert report.updated == ["单位 示范市住房和城乡建设局"]


BAD_ROWS = [
    (workbook([["", "x", None, "政府部门", None, 1, "是"]]), "单位名称不能为空"),
    (workbook([["甲局", None, None, "政府部门", None, 1, "是"], ["甲局", None, None, "政府部门", None, 2, "是"]]), "重复"),
    (workbook([["甲局", None, None, "部委", None, 1, "是"]]), "类别"),
    (workbook([["甲局", None, None, "政府部门", "不存在的局", 1, "是"]]), "上级单位“不存在的局”不存在"),
    (workbook([["甲局", None, None, "政府部门", None, "第一", "是"]]), "排序必须是整数"),
    (workbook([["甲局", None, None, "政府部门", None, 1, "也许"]]), "启用"),
    (workbook(None, [["u1", "张三", "没有这个单位", "单位联络员", None, None, None, None]]), "单位“没有这个单位”不存在"),
    (workbook(None, [["u1", "张三", None, "单位联络员", None, None, None, None]]), "必须填写所在单位"),
    (workbook(None, [["bad name!", "张三", "发改委", "单位联络员", None, None, None, None]]), "用户名只能包含"),
    (workbook(None, [["u1", "张三", "发改委", "皇帝", None, None, None, None]]), "角色"),
    (workbook(None, [["u1", "张三", "发改委", "单位联络员", None, None, "not-an-email", None]]), "邮箱"),
    (workbook(None, [["u1", "", "发改委", "单位联络员", None, None, None, None]]), "姓名不能为空"),
]


@pytest.mark.parametrize("data,message", BAD_ROWS)
def test_it_changes_nothing_when_a_row_is_bad(cast, data, message):
    before = snapshot()
    report = services.directory_import(actor=cast["admin"], data=data)
    assert not report.ok
    assert any(message in str(e) for e in report.errors), [str(e) for e in report.errors]
    assert snapshot() == before


def test_it_saves_nothing_when_only_the_last_row_is_bad(cast):
    before = snapshot()
    units = GOOD_UNITS + [["乙局", None, None, "无效类别", None, 1, "是"]]
    report = services.directory_import(actor=cast["admin"], data=workbook(units, GOOD_PEOPLE))
    assert [e.row for e in report.errors] == [5]
    assert snapshot() == before


def test_it_rejects_a_parent_cycle(cast, units):
    before = snapshot()
    data = workbook([["示范市财政局", "财政局", None, "政府部门", "发改委价格监测中心", 1, "是"],
                     ["示范市发展和改革委员会", "发改委", None, "政府部门", "示范市财政局", 2, "是"]])
    report = services.directory_import(actor=cast["admin"], data=data)
    assert not report.ok and "循环" in str(report.errors[0])
    assert snapshot() == before


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "空"),
        (b"this is not a spreadsheet", ".xlsx"),
        (b"PK\x03\x04broken zip" + b"\x00" * 100, ".xlsx"),
        (workbook(None, None), "工作表"),
    ],
)
def test_it_explains_a_broken_file(cast, data, message):
    before = snapshot()
    report = services.directory_import(actor=cast["admin"], data=data)
    assert not report.ok and message in str(report.errors[0]), [str(e) for e in report.errors]
    assert snapshot() == before


def test_it_explains_a_missing_header(cast):
    wb = Workbook()
    wb.active.title = "单位"
    wb.active.append(["甲", "乙"])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = services.directory_import(actor=cast["admin"], data=buffer.getvalue())
    assert "找不到表头" in str(report.errors[0])


def test_it_refuses_a_huge_upload_before_reading_it(cast, login, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    before = snapshot()
    upload = SimpleUploadedFile("big.xlsx", b"x" * 4096, content_type=XLSX)
    response = login(cast["admin"]).post(reverse("orgs:import"), {"file": upload}, follow=True)
    assert "文件过大" in response.content.decode()
    assert snapshot() == before


def test_it_imports_through_the_page_and_reports_rows(cast, login):
    client = login(cast["admin"])
    bad = SimpleUploadedFile("d.xlsx", workbook([["甲局", None, None, "部委", None, 1, "是"]]), content_type=XLSX)
    body = client.post(reverse("orgs:import"), {"file": bad}).content.decode()
    assert "未保存任何数据" in body and "部委" in body
    good = SimpleUploadedFile("d.xlsx", workbook(GOOD_UNITS), content_type=XLSX)
    response = client.post(reverse("orgs:import"), {"file": good}, follow=True)
    assert "导入完成" in response.content.decode()
    assert Unit.objects.filter(name="北山镇").exists()


def test_it_checks_without_saving_on_a_dry_run(cast, login):
    before = snapshot()
    good = SimpleUploadedFile("d.xlsx", workbook(GOOD_UNITS), content_type=XLSX)
    body = login(cast["admin"]).post(reverse("orgs:import"), {"file": good, "dry_run": "1"}).content.decode()
    assert "检查通过" in body
    assert snapshot() == before


def test_it_refuses_import_by_non_admin_in_the_service(cast):
    with pytest.raises(LuoshiError):
        services.directory_import(actor=cast["supervisor"], data=workbook(GOOD_UNITS))


def test_it_serves_a_template_that_imports_cleanly(cast, login):
    data = login(cast["admin"]).get(reverse("orgs:import_template")).content
    report = services.directory_import(actor=cast["admin"], data=data, dry_run=True)
    assert report.ok, [str(e) for e in report.errors]


def test_it_refuses_over_long_fields_with_the_limit_and_saves_nothing(cast):
    before = snapshot()
    people = [["zjj", "秦" * 51, "住建局", "单位联络员", "职" * 101, "1" * 31, None, None]]
    units = [["示范市住房和城乡建设局", "简" * 51, None, "政府部门", None, 10, "是"]]
    for dry_run in (True, False):
        report = services.directory_import(actor=cast["admin"], data=workbook(units, people), dry_run=dry_run)
        messages = " ".join(str(e) for e in report.errors)
        assert not report.ok
        for limit in ("50", "100", "30"):
            assert limit in messages
        assert snapshot() == before


def test_it_refuses_an_import_that_would_demote_the_admin_doing_it(cast):
    people = [["admin", "管理员", None, "督查员", None, None, None, None]]
    report = services.directory_import(actor=cast["admin"], data=workbook(people=people))
    assert not report.ok
    assert "自己" in " ".join(str(e) for e in report.errors)
    cast["admin"].refresh_from_db()
    assert cast["admin"].role == "admin"
