"""The project ledger: services, health on the backing task, pages, access, API, spreadsheets."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from luoshi.core.errors import LuoshiError
from luoshi.projects import services
from luoshi.projects.models import MonthlyReport, Project, ProjectStage, Stage
from luoshi.tasks.assess import health_refresh
from luoshi.tasks.models import ProgressReport, Task

TODAY = dt.date(2026, 11, 10)


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False) as traveller:
        yield traveller


def stage(name):
    return Stage.objects.get(name=name)


@pytest.fixture
def project(cast, units, clock):
    # 开工 planned for this month, 投产 next year; 谋划 and 签约 reached.
    dates = {
        stage("谋划").pk: (dt.date(2026, 1, 15), dt.date(2026, 1, 10)),
        stage("签约").pk: (dt.date(2026, 4, 30), dt.date(2026, 4, 20)),
        stage("开工").pk: (dt.date(2026, 11, 20), None),
        stage("投产").pk: (dt.date(2027, 9, 30), None),
    }
    return services.project_create(
        actor=cast["supervisor"], name="示范新材料产业园", lead_unit=units["lead"], co_units=[units["co"]], plan_year=2026,
        content="建设标准化厂房12万平方米", total_investment=50000, annual_plan=Decimal("1200"), stage_dates=dates, today=TODAY,
    )


def test_it_backs_a_project_with_a_published_monthly_task_of_kind_project(project, units):
    task = project.task
    assert (task.kind, task.status, task.cadence) == ("project", "in_progress", "monthly")
    assert task.lead_unit == units["lead"] and list(task.co_units.all()) == [units["co"]]
    assert (task.start_on, task.deadline) == (dt.date(2026, 1, 1), dt.date(2027, 9, 30))
    assert project.stage.name == "签约"  # the last stage reached


def test_it_turns_yellow_when_a_stage_is_due_this_month_and_red_three_months_later(project, clock):
    task = Task.objects.get(pk=project.task_id)
    # 10 completed months, nothing invested: 83.3 points behind → red already; report to isolate the stage rule
    for month in range(1, 11):
        MonthlyReport.objects.create(project=project, year=2026, month=month, amount=100, image_progress="按计划", submitted_by=project.task.created_by)
    health_refresh(task=task, today=TODAY)
    task.refresh_from_db()
    assert task.health == "yellow"
    assert task.health_reasons[0]["m"] == "%(stage)s节点计划本月（%(year)s年%(month)s月）完成，尚未完成"
    # 2027-02: three calendar months after November 2026 (reports owed since are missing too)
    health_refresh(task=task, today=dt.date(2027, 2, 1))
    task.refresh_from_db()
    assert task.health == "red"
    assert task.health_reasons[0]["n"] == 3


def test_it_files_a_monthly_report_as_the_tasks_progress_report(project, owner, clock):
    # October, before the project entered the ledger: kept as history, owed by nobody
    early = services.monthly_report_submit(actor=owner, project=project, year=2026, month=10, amount="300", image_progress="主体封顶", today=TODAY)
    assert early.report_id is None
    row = services.monthly_report_submit(actor=owner, project=project, year=2026, month=11, amount="60", image_progress="二层施工", today=TODAY)
    report = ProgressReport.objects.get(pk=row.report_id)
    # (300 + 60) / 1200 = 30%
    assert (report.period_key, report.percent, report.progress) == ("2026-11", 30, "二层施工")
    with pytest.raises(LuoshiError, match="已报送"):
        services.monthly_report_submit(actor=owner, project=project, year=2026, month=10, amount="1", image_progress="x", today=TODAY)
    with pytest.raises(LuoshiError, match="未来月份"):
        services.monthly_report_submit(actor=owner, project=project, year=2026, month=12, amount="1", image_progress="x", today=TODAY)


def test_it_records_a_stage_reached_and_moves_the_current_stage(project, owner, clock):
    services.stage_reach(actor=owner, project=project, stage=stage("开工"), actual_on=dt.date(2026, 11, 8), today=TODAY)
    project.refresh_from_db()
    assert project.stage.name == "开工"
    with pytest.raises(LuoshiError, match="晚于今天"):
        services.stage_reach(actor=owner, project=project, stage=stage("投产"), actual_on=dt.date(2026, 12, 1), today=TODAY)


def test_it_refuses_bad_plans_in_the_users_language(cast, units, clock):
    with pytest.raises(LuoshiError, match="项目名称不能为空"):
        services.project_create(actor=cast["supervisor"], name=" ", lead_unit=units["lead"], plan_year=2026)
    with pytest.raises(LuoshiError, match="只有督查员"):
        services.project_create(actor=cast["owner"], name="x", lead_unit=units["lead"], plan_year=2026)
    with pytest.raises(LuoshiError, match="须为数字"):
        services.project_create(actor=cast["supervisor"], name="x", lead_unit=units["lead"], plan_year=2026, annual_plan="很多")
    assert Project.objects.count() == 0 and Task.objects.count() == 0


# --- access: every role × page, refused writes change nothing -------------------------------
ROLES = ("owner", "member", "outsider", "leader", "supervisor", "admin")


def snapshot(project):
    project.refresh_from_db()
    return (
        project.stalled, project.revival_note, project.version, MonthlyReport.objects.count(),
        list(ProjectStage.objects.filter(project=project).values_list("actual_on", flat=True).order_by("pk")), Project.objects.count(),
    )


PAGES = [
    ("ledger", "get", lambda p: "/projects/", None, (200, 200, 200, 200, 200, 200)),
    ("detail", "get", lambda p: f"/projects/{p.pk}/", None, (200, 200, 404, 200, 200, 200)),
    ("stage", "post", lambda p: f"/projects/{p.pk}/stage/", lambda p: {"stage": stage("开工").pk, "actual_on": "2026-11-09"}, (302, 403, 404, 403, 302, 302)),
    ("report", "post", lambda p: f"/projects/{p.pk}/report/", lambda p: {"month": 10, "amount": "50", "image_progress": "基础施工"}, (302, 403, 404, 403, 403, 403)),
    ("flags", "post", lambda p: f"/projects/{p.pk}/flags/", lambda p: {"stalled": "on", "revival_note": "专班推进"}, (403, 403, 404, 403, 302, 302)),
    ("edit", "get", lambda p: f"/projects/{p.pk}/edit/", None, (403, 403, 403, 403, 200, 200)),
    ("new", "post", lambda p: "/projects/new/", lambda p: {"name": "新项目", "lead_unit": p.task.lead_unit_id, "total_investment": 1, "plan_year": 2026, "annual_plan": 1},
     (403, 403, 403, 403, 302, 302)),
    ("import", "get", lambda p: "/projects/import/", None, (403, 403, 403, 403, 200, 200)),
]


@pytest.mark.parametrize("name, method, url, data, expected", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_it_applies_the_access_table(project, cast, login, name, method, url, data, expected, role_index):
    client = login(cast[ROLES[role_index]])
    before = snapshot(project)
    response = getattr(client, method)(url(project), data(project) if data else None)
    assert response.status_code == expected[role_index]
    if method == "post" and response.status_code != 302:
        assert snapshot(project) == before


def test_it_lists_only_the_projects_a_liaison_may_see(project, cast, units, login, clock):
    other = services.project_create(actor=cast["supervisor"], name="教育园区", lead_unit=units["other"], plan_year=2026, today=TODAY)
    page = login(cast["owner"]).get("/projects/").content.decode()
    assert project.name in page and other.name not in page
    api = login(cast["outsider"]).get("/api/projects/")
    assert [p["name"] for p in api.json()["items"]] == ["教育园区"]
    assert login(cast["outsider"]).get(f"/api/projects/{project.pk}").status_code == 404


def test_it_reports_a_month_through_the_api_with_the_same_rules(project, cast, login, clock):
    client = login(cast["owner"])
    created = client.post(f"/api/projects/{project.pk}/months", {"month": 9, "amount": "120", "image_progress": "土方完成"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["amount"] == "120.00"
    refused = login(cast["member"]).post(f"/api/projects/{project.pk}/months", {"month": 8, "amount": "1", "image_progress": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert MonthlyReport.objects.count() == 1


def test_it_shows_projects_on_the_workbench_and_the_board(project, cast, login, clock):
    health_refresh(task=project.task, today=TODAY)
    assert "重点项目（1）" in login(cast["owner"]).get("/").content.decode()
    assert project.name in login(cast["supervisor"]).get("/tasks/board/?kind=project").content.decode()
    assert "项目台账" in login(cast["owner"]).get(f"/tasks/{project.task_id}/").content.decode()


# --- spreadsheets ------------------------------------------------------------------------------
def test_it_exports_the_ledger_in_the_office_layout(project, owner, cast, login, clock):
    services.monthly_report_submit(actor=owner, project=project, year=2026, month=9, amount="300", image_progress="x", today=TODAY)
    response = login(cast["supervisor"]).get("/projects/export/")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "2026年重点项目建设台账"
    headers = [c.value for c in ws[3]] + [c.value for c in ws[4]]
    for text in ("序号", "项目名称", "建设内容", "投资情况（万元）", "总投资", "年度计划", "1–9月完成", "完成率", "当前阶段", "责任单位", "责任领导", "存在问题"):
        assert text in headers
    row = [c.value for c in ws[5]]
    # 300 of 1200 = 25.0%
    assert row[:2] == [1, "示范新材料产业园"] and row[5] == 300 and row[6] == "25.0%" and row[7] == "签约"
    assert ws.freeze_panes == "A5" and ws.page_setup.orientation == "landscape"


def _xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2026年重点项目建设台账"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEADER = ["序号", "项目名称", "建设内容", "总投资", "年度计划", "当前阶段", "责任单位", "责任领导", "存在问题", "开工计划日期"]


def test_it_imports_all_or_nothing_with_row_errors(cast, units, clock):
    from luoshi.projects.tabular import import_ledger

    bad = _xlsx([HEADER, [1, "甲项目", "", 100, 50, "开工", "发改委", "", "", "2026-12-31"], [2, "乙项目", "", "很多", 50, "建设", "无此单位", "", "", "2026-13-01"]])
    report = import_ledger(actor=cast["supervisor"], data=bad, plan_year=2026)
    messages = [str(e) for e in report.errors]
    assert any("第4行" in m and "找不到单位" in m for m in messages)
    assert Project.objects.count() == 0

    good = _xlsx([HEADER, [1, "甲项目", "厂房", 100, 50, "签约", "发改委", "", "用地未批", "2026-12-31"]])
    dry = import_ledger(actor=cast["supervisor"], data=good, plan_year=2026, dry_run=True)
    assert dry.ok and dry.created == ["甲项目"] and Project.objects.count() == 0
    done = import_ledger(actor=cast["supervisor"], data=good, plan_year=2026, today=TODAY)
    assert done.ok
    project = Project.objects.get()
    assert (project.stage.name, project.problems, project.annual_plan) == ("签约", "用地未批", Decimal("50.00"))
    assert project.stages.get(stage__name="开工").planned_on == dt.date(2026, 12, 31)
    again = import_ledger(actor=cast["supervisor"], data=good, plan_year=2026, today=TODAY)
    assert (again.updated, again.unchanged) == ([], ["甲项目"]) and Project.objects.count() == 1


def test_it_puts_a_project_section_in_the_bulletin_and_figures_on_the_dashboard(project, cast, login, clock):
    from luoshi.reports.services import bulletin_create

    health_refresh(task=project.task, today=dt.date(2027, 2, 1))  # 开工 three months late, nothing invested → red
    bulletin = bulletin_create(actor=cast["supervisor"], period="2026-11", today=TODAY)
    body = bulletin.body
    assert "二、项目建设情况" in body and "三、存在的主要问题" in body and "四、下步工作要求" in body
    assert "纳入调度的重点项目共1个（签约1个）" in body
    assert "示范新材料产业园（发改委）：开工节点计划2026年11月完成，已滞后3个月" in body
    page = login(cast["leader"]).get("/reports/").content.decode()
    assert "重点项目建设" in page and "/projects/?health=red" in page


def test_the_dashboard_counts_projects_and_their_flags(project, cast):
    from luoshi.projects import selectors

    Project.objects.filter(pk=project.pk).update(stalled=True, idle=True, total_investment=Decimal("100"), annual_plan=Decimal("40"))
    figures = selectors.figures(cast["supervisor"])
    assert (figures["total"], figures["stalled"], figures["idle"]) == (1, 1, 1)
    assert (figures["total_investment"], figures["annual_plan"]) == (100.0, 40.0)
    Project.objects.filter(pk=project.pk).update(idle=False)
    assert selectors.figures(cast["supervisor"])["idle"] == 0 and selectors.figures(cast["outsider"])["total"] == 0


def test_it_follows_a_project_that_misses_its_start_from_yellow_to_red_into_the_bulletin(cast, units, login, clock):
    """The browser journey's steps through the pages and the sweep command."""
    from django.core.management import call_command

    office = login(cast["supervisor"])
    start = stage("开工")
    response = office.post("/projects/new/", {
        "name": "智能网联汽车测试场", "lead_unit": units["lead"].pk, "total_investment": "30000", "plan_year": 2026,
        "annual_plan": "0", f"planned_{start.pk}": "2026-11-10",
    })
    project = Project.objects.get(name="智能网联汽车测试场")
    assert response.status_code == 302
    page = office.get(f"/projects/{project.pk}/").content.decode()
    assert "黄灯" in page and "开工节点计划本月（2026年11月）完成，尚未完成" in page
    call_command("sweep", date="2026-12-28", stdout=io.StringIO())
    page = office.get(f"/projects/{project.pk}/").content.decode()
    assert "黄灯" in page and "已滞后1个月" in page
    call_command("sweep", date="2027-02-28", stdout=io.StringIO())
    assert "已滞后3个月" in office.get(f"/projects/{project.pk}/").content.decode()
    assert project.name in office.get("/projects/?health=red").content.decode()
    response = office.post("/reports/bulletins/", {"period": "2026-11"})
    body = office.get(response["Location"]).content.decode()
    assert "二、项目建设情况" in body and "智能网联汽车测试场（发改委）：开工节点计划2026年11月完成，已滞后3个月" in body


def test_it_checks_an_upload_on_the_import_page_and_saves_nothing_on_a_dry_run(cast, units, login, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = login(cast["supervisor"])
    bad = SimpleUploadedFile("台账.xlsx", _xlsx([HEADER, [1, "乙项目", "", 1, 1, "", "无此单位", "", "", ""]]))
    response = office.post("/projects/import/", {"file": bad, "plan_year": 2026, "dry_run": "on"})
    assert response.status_code == 400 and "第3行，“责任单位”列：找不到单位“无此单位”" in response.content.decode()
    good = SimpleUploadedFile("台账.xlsx", _xlsx([HEADER, [1, "甲项目", "", 1, 1, "", "发改委", "", "", ""]]))
    response = office.post("/projects/import/", {"file": good, "plan_year": 2026, "dry_run": "on"})
    assert response.status_code == 200 and "检查通过" in response.content.decode()
    assert Project.objects.count() == 0
    not_xlsx = SimpleUploadedFile("台账.xlsx", b"not a workbook")
    assert office.post("/projects/import/", {"file": not_xlsx, "plan_year": 2026}).status_code == 400


def test_it_shows_a_projects_reasons_in_the_readers_language(project, clock):
    from django.utils import translation

    from luoshi.tasks.health import render_reason

    health_refresh(task=project.task, today=dt.date(2027, 2, 1))
    project.task.refresh_from_db()
    with translation.override("en"):
        assert render_reason(project.task.health_reasons[0]) == "开工 was planned for 11/2026: 3 months late"


# --- export → import round trip ----------------------------------------------------------------
def _edit(data, cell, value):
    """The workbook as an office saves it after changing one cell in Excel."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    wb.active[cell] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def two_projects(project, cast, units, clock):
    other = services.project_create(
        actor=cast["supervisor"], name="城东污水处理厂", lead_unit=units["co"], lead_leader=cast["leader"], plan_year=2026,
        location="城东", industry="环保", content="日处理5万吨", total_investment=8000, annual_plan=3000,
        problems="-管网未接通（导出时加引号以免被当作公式）", today=TODAY,
    )
    return [project, other]


def _state(projects):
    return [
        (p.name, p.content, p.location, p.industry, p.total_investment, p.annual_plan, p.problems, p.stage_id, p.version,
         p.task.lead_unit_id, p.task.lead_leader_id, sorted((s.stage_id, s.planned_on, s.actual_on) for s in p.stages.all()))
        for p in Project.objects.select_related("task").order_by("pk")
    ]


def test_it_imports_an_exported_ledger_back_unchanged(two_projects, cast, clock):
    from luoshi.projects.tabular import export_ledger, import_ledger

    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    before = _state(two_projects)
    dry = import_ledger(actor=cast["supervisor"], data=data, plan_year=2026, dry_run=True, today=TODAY)
    assert [str(e) for e in dry.errors] == []
    assert (dry.created, dry.updated, sorted(dry.unchanged)) == ([], [], ["城东污水处理厂", "示范新材料产业园"])
    report = import_ledger(actor=cast["supervisor"], data=data, plan_year=2026, today=TODAY)
    assert report.ok and (report.created, report.updated) == ([], []) and len(report.unchanged) == 2
    assert _state(two_projects) == before


def test_it_updates_exactly_the_project_whose_cell_was_edited_after_export(two_projects, cast, clock):
    from luoshi.projects.tabular import export_ledger, import_ledger

    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    before = {p.name: p.version for p in Project.objects.all()}
    # Row 5 is the first project under the title, subtitle and two header rows; E is 年度计划.
    edited = _edit(data, "E5", 1500)
    report = import_ledger(actor=cast["supervisor"], data=edited, plan_year=2026, today=TODAY)
    assert report.ok and (report.created, report.updated, report.unchanged) == ([], ["示范新材料产业园"], ["城东污水处理厂"])
    first, second = Project.objects.order_by("pk")
    assert first.annual_plan == Decimal("1500.00") and first.version == before[first.name] + 1
    assert second.version == before[second.name] and second.location == "城东" and second.industry == "环保"
    assert Project.objects.count() == 2


def test_it_renames_the_project_its_number_names_and_refuses_numbers_it_cannot_tell(two_projects, cast, clock):
    from luoshi.projects.tabular import export_ledger, import_ledger

    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    first, second = Project.objects.order_by("pk")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["L3"].value == "任务编号" and sheet["L5"].value == first.task.citation
    before = _state(two_projects)
    # B is 项目名称: the first project retyped under a new name is the same project, renamed.
    renamed = _edit(data, "B5", "示范新材料产业园（一期）")
    report = import_ledger(actor=cast["supervisor"], data=renamed, plan_year=2026, today=TODAY)
    assert report.ok and (report.created, report.updated) == ([], ["示范新材料产业园（一期）"])
    assert Project.objects.count() == 2 and Project.objects.get(pk=first.pk).name == "示范新材料产业园（一期）"

    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    before = _state(two_projects)
    for cell, value, message in (
        ("L5", "2099-9", "不是2026年台账中的项目"),          # a number that is none of the year's projects
        ("B5", "城东污水处理厂", "已是另一个项目"),            # a rename onto the other project's name
        ("L6", first.task.citation, "任务编号重复"),           # two rows with one number
    ):
        report = import_ledger(actor=cast["supervisor"], data=_edit(data, cell, value), plan_year=2026, today=TODAY)
        assert any(message in str(e) for e in report.errors), (cell, [str(e) for e in report.errors])
        assert _state(two_projects) == before
    # Renamed in its own row and still named as it is in another row without a number: one project twice.
    twice = _edit(_edit(_edit(data, "B5", "新材料产业园"), "B6", "示范新材料产业园（一期）"), "L6", None)
    report = import_ledger(actor=cast["supervisor"], data=twice, plan_year=2026, today=TODAY)
    assert any("同一个项目" in str(e) for e in report.errors) and _state(two_projects) == before


def test_it_refuses_a_bad_row_in_an_exported_ledger_and_changes_nothing(two_projects, cast, clock):
    from django.utils import translation

    from luoshi.projects.tabular import export_ledger, import_ledger

    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    before = _state(two_projects)
    edited = _edit(_edit(data, "E5", 1500), "D6", "八千")
    report = import_ledger(actor=cast["supervisor"], data=edited, plan_year=2026, today=TODAY)
    assert [str(e) for e in report.errors] == ["第6行，“总投资”列：“八千”不是数字（单位：万元）"]
    with translation.override("en"):
        english = import_ledger(actor=cast["supervisor"], data=edited, plan_year=2026, today=TODAY)
        assert [str(e) for e in english.errors] == ["row 6, column “Total investment”: “八千” is not a number (10k yuan)"]
    assert _state(two_projects) == before


def test_it_refuses_edits_the_ledger_cannot_take_and_says_why(two_projects, owner, cast, clock):
    from luoshi.projects.tabular import export_ledger, import_ledger

    services.monthly_report_submit(actor=owner, project=two_projects[0], year=2026, month=9, amount="300", image_progress="x", today=TODAY)
    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    before = _state(two_projects)
    # F is 1–9月完成 (from the monthly reports), H 当前阶段 (the first project is at 签约).
    report = import_ledger(actor=cast["supervisor"], data=_edit(_edit(data, "F5", 999), "H5", "谋划"), plan_year=2026, today=TODAY)
    assert [str(e) for e in report.errors] == [
        "第5行，“当前阶段”列：当前阶段不能退回（项目已到“签约”阶段）",
        "第5行，“1–9月完成”列：完成投资来自各单位的月报（现为300.00万元），不能在台账中修改，请在项目页面更正月报",
    ]
    assert _state(two_projects) == before


def test_it_creates_a_row_added_to_an_exported_ledger_once(two_projects, cast, clock):
    from openpyxl import load_workbook

    from luoshi.projects.tabular import export_ledger, import_ledger

    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    wb = load_workbook(io.BytesIO(data))
    wb.active.append([3, "北区物流园", "仓储", 2000, 500, None, None, "开工", "发改委", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = import_ledger(actor=cast["supervisor"], data=buffer.getvalue(), plan_year=2026, today=TODAY)
    assert report.ok and (report.created, report.updated, len(report.unchanged)) == (["北区物流园"], [], 2)
    again = import_ledger(actor=cast["supervisor"], data=buffer.getvalue(), plan_year=2026, today=TODAY)
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 3)
    assert Project.objects.get(name="北区物流园").stage.name == "开工" and Project.objects.count() == 3


def test_it_round_trips_a_large_ledger_through_a_background_job(two_projects, cast, login, settings, clock, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.orgs.models import JobRun
    from luoshi.projects.tabular import export_ledger

    settings.IMPORT_JOB_ROWS = 2
    office = login(cast["supervisor"])
    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    before = _state(two_projects)
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post("/projects/import/", {"file": SimpleUploadedFile("台账.xlsx", data), "plan_year": 2026, "dry_run": "on"})
    check = JobRun.objects.get()
    assert response.status_code == 302 and check.kind == "import:projects" and check.state == "done"
    assert check.summary["ok"] and (check.summary["created"], check.summary["updated"], check.summary["unchanged"]) == (0, 0, 2)
    with django_capture_on_commit_callbacks(execute=True):
        office.post("/projects/import/", {"file": SimpleUploadedFile("台账.xlsx", _edit(data, "D6", 9000)), "plan_year": 2026})
    saved = JobRun.objects.exclude(pk=check.pk).get()
    assert saved.state == "done" and (saved.summary["updated"], saved.summary["unchanged"]) == (1, 1)
    assert Project.objects.get(name="城东污水处理厂").total_investment == Decimal("9000.00")
    assert _state(two_projects)[0] == before[0]


def test_it_finds_a_project_by_its_number_as_people_retype_it(two_projects, cast, clock):
    from luoshi.projects.tabular import export_ledger, import_ledger

    _name, data = export_ledger(Project.objects.all(), today=TODAY)
    first = Project.objects.order_by("pk").first()
    # 〔2026〕零-1 retyped with ASCII brackets, a half-width hyphen and spaces around it, and the name changed
    typed = " " + first.task.citation.replace("〔", "[").replace("〕", "] ") + " "
    assert typed.strip() != first.task.citation
    report = import_ledger(actor=cast["supervisor"], data=_edit(_edit(data, "L5", typed), "B5", "新材料产业园"), plan_year=2026,
                           today=TODAY)
    assert [str(e) for e in report.errors] == [] and report.updated == ["新材料产业园"]
    assert Project.objects.get(pk=first.pk).name == "新材料产业园" and Project.objects.count() == 2
