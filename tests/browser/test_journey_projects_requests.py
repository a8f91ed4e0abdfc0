"""Two journeys of issue 11 in a real browser, on a demo of their own:

1. 万人助万企: a company files a problem on the public form (no account) and gets a receipt
   number; the office assigns it to 发改委; the unit proposes a solution, reports progress and
   reports it solved; the office verifies it and records a 满意 call-back; the dashboard's
   satisfaction rate changes; the company's status page shows the office's reply.
2. 项目台账: the office enters a project whose 开工 is planned this month — yellow at once; the
   daily sweep run a month later keeps it yellow, run three months later turns it red; the 督查通报
   drafted then names it in its 项目建设 part.

Screenshots: docs/screenshots/requests-NN-*.png and projects-NN-*.png."""

import datetime as dt
import io
import re

import pytest

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

WIDTH, HEIGHT = 1280, 860
COMPANY = "示范云帆智能装备有限公司（演示数据）"
CODE = "91350100M000100Y43"


def message(page, level="success"):
    return page.locator(f".msg-{level}").first


def satisfaction(page) -> str:
    return page.locator("#satisfaction-rate").inner_text().strip()


def test_it_follows_a_company_problem_from_the_public_form_to_a_satisfied_call_back(site, settings):
    from luoshi.requests.models import CallBack, Request

    settings.LUOSHI = {**settings.LUOSHI, "REQUEST_PUBLIC_MIN_SECONDS": 1}

    office = site.page("duchayuan", width=WIDTH, height=HEIGHT)
    office.goto(f"{site.url}/reports/")
    before = satisfaction(office)
    good = CallBack.objects.filter(satisfaction__in=("satisfied", "basic")).count()
    total = CallBack.objects.count()
    assert before == f"{round(good * 100 / total, 1)}%"

    # 1. The company, without an account, files its problem.
    company = site.page(None, width=WIDTH, height=HEIGHT)
    company.goto(f"{site.url}/requests/public/")
    company.get_by_label("企业名称").fill(COMPANY)
    company.get_by_label("统一社会信用代码").fill(CODE)
    company.get_by_label("联系人").fill("周经理")
    company.get_by_label("联系电话").fill("13700000000")
    company.get_by_label("问题诉求").fill("新建车间需增容变压器")
    company.get_by_label("具体情况").fill("新车间设备下月进场，需将变压器由800千伏安增至2000千伏安。")
    site.shot(company, "requests-01-public-form")
    company.wait_for_timeout(1200)  # a person takes longer than the form's minimum fill time
    company.get_by_role("button", name="提交").click()
    receipt = company.locator("#receipt").inner_text().strip()
    item = Request.objects.get(receipt=receipt)
    assert item.channel == "public" and item.company_name == COMPANY
    site.shot(company, "requests-02-receipt")

    # 2. The office assigns it to 发改委.
    office.goto(f"{site.url}/requests/{item.pk}/")
    office.locator("summary", has_text="交办").first.click()
    form = office.locator("form[action$='/assign/']")
    form.get_by_label("问题类别").select_option("infrastructure")
    form.get_by_label("牵头单位").select_option(label="示范市发展和改革委员会")
    form.get_by_label("办理类型").select_option("limited")
    form.get_by_role("button", name="交办").click()
    expect(message(office)).to_contain_text("已交办")
    expect(office.locator("#request-status")).to_have_text("已交办")
    site.shot(office, "requests-03-assigned")

    # 3. The unit proposes a solution, reports progress and reports it solved.
    unit = site.page("fgw", width=WIDTH, height=HEIGHT)
    unit.goto(f"{site.url}/")
    expect(unit.locator("section", has_text="企业诉求待办").locator("a", has_text="新建车间需增容变压器")).to_have_count(1)
    unit.goto(f"{site.url}/requests/{item.pk}/")
    unit.locator("summary", has_text="提出解决方案").click()
    form = unit.locator("form[action$='/propose/']")
    form.get_by_label("解决方案").fill("协调供电公司现场勘察，两周内完成增容。")
    form.get_by_label("办理类型").select_option("limited")
    form.get_by_role("button", name="提出解决方案").click()
    expect(message(unit)).to_contain_text("解决方案已提交")
    unit.locator("summary", has_text="报送进展").click()
    form = unit.locator("form[action$='/report/']")
    form.get_by_label("完成进度（%）").fill("60")
    form.get_by_label("进展情况").fill("供电公司已完成勘察，设备已订货。")
    form.get_by_role("button", name="报送进展").click()
    expect(message(unit)).to_contain_text("进展已报送")
    unit.locator("summary", has_text="申报办结").click()
    form = unit.locator("form[action$='/solve/']")
    form.get_by_label("办结情况").fill("变压器已增容并送电。")
    form.get_by_role("button", name="申报办结").click()
    expect(unit.locator("#request-status")).to_have_text("已办结待核验")
    site.shot(unit, "requests-04-unit-solved")

    # 4. The office verifies it and records a 满意 call-back.
    office.goto(f"{site.url}/requests/{item.pk}/")
    office.locator("summary", has_text="核验销号并回访").click()
    form = office.locator("form[action$='/callback/']")
    form.get_by_label("回访情况").fill("电话回访周经理，确认已送电。")
    form.get_by_label("满意", exact=True).check()
    form.get_by_label("答复企业").fill("您反映的增容问题已解决，感谢支持。")
    form.get_by_role("button", name="核验销号并回访").click()
    expect(office.locator("#request-status")).to_have_text("已销号")
    site.shot(office, "requests-05-called-back")

    # 5. The dashboard's satisfaction rate moves: one more satisfied call-back.
    office.goto(f"{site.url}/reports/")
    after = satisfaction(office)
    assert after == f"{round((good + 1) * 100 / (total + 1), 1)}%" and after != before
    office.locator("#dash-requests").scroll_into_view_if_needed()
    site.shot(office, "requests-06-dashboard")

    # 6. The company sees its own status and the reply, nothing else.
    company.goto(f"{site.url}/requests/public/status/")
    company.get_by_label("受理编号").fill(receipt)
    company.get_by_role("button", name="查询").click()
    result = company.locator("#status-result")
    expect(result).to_contain_text("已销号")
    expect(result).to_contain_text("您反映的增容问题已解决")
    expect(result).not_to_contain_text("发改委")
    site.shot(company, "requests-07-status")
    for page in (office, unit, company):
        assert page.errors == []


def test_it_turns_a_project_yellow_then_red_when_it_misses_its_start_and_names_it_in_the_bulletin(site):
    from django.core.management import call_command
    from django.utils import timezone

    from luoshi.projects.models import Project

    today = timezone.localdate()
    name = "示范市智能网联汽车测试场（演示数据）"
    office = site.page("duchayuan", width=WIDTH, height=HEIGHT)
    office.goto(f"{site.url}/projects/new/")
    office.get_by_label("项目名称").fill(name)
    office.get_by_label("建设内容").fill("建设封闭测试道路8公里")
    office.get_by_label("责任单位", exact=True).select_option(label="示范市交通运输局")
    office.get_by_label("总投资（万元）").fill("30000")
    office.get_by_label("计划年度").fill(str(today.year))
    office.get_by_label("年度计划投资（万元）").fill("0")
    office.get_by_label("开工计划日期").fill(today.isoformat())
    office.get_by_role("button", name="保存").click()
    expect(message(office)).to_contain_text("项目已保存")
    project = Project.objects.get(name=name)
    badge = office.locator("header.task-head .badge.health-yellow, header.task-head .badge.health-red, header.task-head .badge.health-green").first
    expect(badge).to_have_text("黄灯")
    expect(office.locator("header.task-head ul.reasons")).to_contain_text("开工节点计划本月")
    site.shot(office, "projects-01-yellow")

    def month_end(months: int) -> dt.date:
        index = today.year * 12 + today.month - 1 + months
        return dt.date(index // 12, index % 12 + 1, 28)

    call_command("sweep", date=month_end(1).isoformat(), stdout=io.StringIO())
    office.goto(f"{site.url}/projects/{project.pk}/")
    expect(badge).to_have_text("黄灯")
    expect(office.locator("header.task-head ul.reasons")).to_contain_text("已滞后1个月")

    call_command("sweep", date=month_end(3).isoformat(), stdout=io.StringIO())
    office.goto(f"{site.url}/projects/{project.pk}/")
    expect(badge).to_have_text("红灯")
    expect(office.locator("header.task-head ul.reasons")).to_contain_text("已滞后3个月")
    site.shot(office, "projects-02-red")
    office.goto(f"{site.url}/projects/?health=red")
    expect(office.locator("#results")).to_contain_text(name)
    site.shot(office, "projects-03-ledger-red")

    office.goto(f"{site.url}/reports/bulletins/")
    office.get_by_role("button", name=re.compile("起草")).first.click()
    body = office.locator("textarea[name=body]")
    expect(body).to_have_value(re.compile("二、项目建设情况"))
    expect(body).to_have_value(re.compile(re.escape(name) + "（交通局）：开工节点计划"))
    site.shot(office, "projects-04-bulletin")
    assert office.errors == []
