"""The main journey end to end in a real browser, one role after another, as PRODUCT.md tells it:

1. a supervisor pastes a speech, accepts a candidate row, fills its cells in the 任务分解表 and
   publishes it as a task;
2. the lead unit's liaison reports progress;
3. the daily sweep, run after the deadline, turns the late task red on the supervisor's board;
4. the supervisor issues a 督办单 about it;
5. the unit finds it in its inbox and replies;
6. the unit asks for closure with evidence and the supervisor verifies it (销号);
7. the leader sees it closed on the dashboard, and the indicator page draws its charts;
8. at phone width the workbench and the task page fit the screen and the menu opens and closes.

Each step leaves a 1280×800 screenshot docs/screenshots/journey-NN-<step>.png. The module has its
own demo (see conftest.py), so the steps may change data freely."""

import datetime as dt
import io
import re

import pytest

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

WIDTH, HEIGHT = 1280, 800
TITLE = "在全市年终冲刺工作推进会上的讲话（浏览器测试）"
SPEECH = f"""{TITLE}

同志们：
今天召开会议，部署年终冲刺工作。
一要抓好项目建设。发改委牵头，财政局配合，年底前完成重点项目年度投资计划，每月报送进展。
二要优化营商环境。市场监管局牵头，年底前完成涉企收费专项检查。
三要守牢安全底线。应急局牵头，年底前完成冬季安全生产大检查。
"""
ROW = "抓好项目建设"


def no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"{page.url} scrolls sideways at {width}px ({scroll}px wide)"


def after_chart_animation(page):
    # ECharts grows its bars for a second (its default animation) after drawing; a screenshot taken
    # at once shows them half grown.
    page.wait_for_timeout(1200)


def message(page, level="success"):
    return page.locator(f".msg-{level}").first


def test_it_follows_a_directive_from_the_speech_to_the_verified_closure_and_the_dashboard(site):
    from django.core.management import call_command
    from django.utils import timezone

    from luoshi.directives.models import Directive
    from luoshi.orgs.models import Unit
    from luoshi.supervision.models import SupervisionAction
    from luoshi.tasks.models import Task

    today = timezone.localdate()
    deadline = today + dt.timedelta(days=5)
    fgw_unit = Unit.objects.get(short_name="发改委")

    def shot(page, n, name):
        site.shot(page, f"journey-{n:02d}-{name}")

    # 1. The supervisor pastes the speech, accepts the row, sets its lead unit and deadline, publishes.
    sup = site.page("duchayuan", width=WIDTH, height=HEIGHT)
    sup.goto(f"{site.url}/directives/new/")
    sup.get_by_label("正文（粘贴）").fill(SPEECH)
    sup.get_by_label("讲话人/发文单位").fill("示范市党工委书记（演示数据）")
    sup.get_by_label(re.compile("我已核对日期")).check()
    sup.get_by_role("button", name="保存并解析").click()
    expect(message(sup)).to_contain_text("已解析出 3 条候选任务")
    directive = Directive.objects.get(title=TITLE)
    card = sup.locator("tr.item", has_text=ROW)
    expect(card).to_have_count(1)
    card.get_by_role("button", name="采纳", exact=True).click()
    expect(card.locator(".state-badge")).to_have_text("采纳")
    sup.locator("tr.item", has_text="守牢安全底线").get_by_role("button", name="舍弃", exact=True).click()
    expect(sup.locator("tr.item", has_text="守牢安全底线").locator(".state-badge")).to_have_text("舍弃")
    # The grid's cells save their row as soon as they change.
    with sup.expect_response(re.compile(r"/edit/$")):
        card.get_by_label("牵头单位", exact=True).select_option(label=fgw_unit.display_name)
    with sup.expect_response(re.compile(r"/edit/$")):
        card.get_by_label("完成时限", exact=True).fill(deadline.isoformat())
    card = sup.locator("tr.item", has_text=ROW)
    expect(card.get_by_label("牵头单位", exact=True)).to_have_value(str(fgw_unit.pk))
    expect(card.get_by_label("完成时限", exact=True)).to_have_value(deadline.isoformat())
    expect(card.locator(".state-badge")).to_have_text("采纳")
    shot(sup, 1, "decomposition")
    # Accepting a row by htmx leaves the counts and the (then disabled) publish button as the page
    # drew them; the supervisor reloads to publish.
    sup.reload()
    sup.get_by_role("button", name=re.compile("发布已采纳的 1 条为任务")).click()
    expect(message(sup)).to_contain_text("已发布 1 项任务")
    task = Task.objects.get(directive=directive)
    assert task.lead_unit == fgw_unit and task.deadline == deadline and task.status == "in_progress"
    assert Task.objects.filter(directive=directive).count() == 1  # only the accepted row
    link = sup.locator("tr.item", has_text=ROW).get_by_role("link", name=re.compile("已发布为任务"))
    shot(sup, 2, "published")
    link.click()
    sup.wait_for_load_state()
    assert sup.url.endswith(f"/tasks/{task.pk}/")
    expect(sup.locator(".task-head .status-in_progress")).to_have_text("推进中")
    task_url = sup.url

    # 2. The 发改委 liaison opens the task and reports progress.
    fgw = site.page("fgw", width=WIDTH, height=HEIGHT)
    fgw.goto(f"{site.url}/tasks/")
    fgw.get_by_role("link", name=re.compile(ROW)).first.click()
    fgw.wait_for_load_state()
    assert fgw.url == task_url
    report = fgw.locator("#report")
    report.get_by_label("完成进度（%）").fill("20")
    report.get_by_label("进展情况").fill("已梳理重点项目清单42个，完成年度投资计划的20%，正在逐项对账。")
    report.get_by_label("存在问题").fill("部分项目用地手续滞后。")
    report.get_by_label("下步打算").fill("每周调度一次，年底前全部完成。")
    report.get_by_role("button", name="报送").click()
    expect(message(fgw)).to_contain_text("进展已报送")
    expect(fgw.locator("ol.timeline")).to_contain_text("已梳理重点项目清单42个")
    task.refresh_from_db()
    assert task.progress_percent == 20
    shot(fgw, 3, "progress-report")

    # 3. The daily sweep, five days after the deadline, finds the task overdue and turns it red.
    assert task.health != "red"
    out = io.StringIO()
    call_command("sweep", date=(deadline + dt.timedelta(days=5)).isoformat(), stdout=out)
    assert "health updated" in out.getvalue()
    task.refresh_from_db()
    assert task.health == "red", task.health_reasons
    sup.goto(f"{site.url}/tasks/board/?health=red")
    row = sup.locator("#results tbody tr", has_text=ROW)
    expect(row).to_have_count(1)
    expect(row.locator(".badge.health-red")).to_be_visible()
    expect(row).to_contain_text("逾期5天")
    row.scroll_into_view_if_needed()
    shot(sup, 4, "board-red")

    # 4. The supervisor issues a 督办单 to 发改委 about that task.
    sup.goto(f"{site.url}/supervision/actions/new/")
    sup.get_by_label("督办方式").select_option(label="督办单")
    sup.get_by_label("督办对象").select_option(label=fgw_unit.name)
    choice = sup.locator("#task-choices").get_by_label(str(task))
    expect(choice).to_be_visible()  # the unit's tasks arrive by htmx
    choice.check()
    sup.get_by_label("督办事由").fill("该任务已逾期，请说明原因并提出整改措施，限期完成。")
    # A reply date of our own choosing (the form offers a default; see the test below).
    sup.get_by_label("答复时限").fill((today + dt.timedelta(days=3)).isoformat())
    sup.get_by_role("button", name="签发").click()
    expect(message(sup)).to_contain_text("已签发 督办〔")
    action = SupervisionAction.objects.get(tasks=task)
    assert action.kind == "order" and action.unit == fgw_unit and action.status == "issued"
    assert sup.url.endswith(f"/supervision/actions/{action.pk}/")
    expect(sup.locator("#action-state .badge")).to_have_text("待答复")
    shot(sup, 5, "order-issued")

    # 5. The liaison finds it in the inbox, opens it and replies.
    fgw.goto(f"{site.url}/supervision/inbox/")
    notice = fgw.locator("#inbox tbody tr.unread", has_text=action.number)
    expect(notice).to_have_count(1)
    shot(fgw, 6, "inbox")
    notice.get_by_role("link", name=re.compile(re.escape(action.number))).click()
    fgw.wait_for_load_state()
    assert fgw.url.endswith(f"/supervision/actions/{action.pk}/")
    fgw.get_by_label("答复内容").fill("已召开专题会研究，用地手续12月10日前办结，确保年底前完成。")
    fgw.get_by_role("button", name="提交答复").click()
    expect(fgw.locator("#action-state .badge").first).to_have_text("已答复")
    expect(fgw.locator("#action-state")).to_contain_text("用地手续12月10日前办结")
    action.refresh_from_db()
    assert action.status == "replied"
    shot(fgw, 7, "order-replied")

    # 6. The liaison asks for closure with evidence; the supervisor verifies it (销号).
    fgw.goto(task_url)
    fgw.locator("summary", has_text="申请销号").click()
    fgw.get_by_label("完成情况及佐证材料说明", exact=True).fill("重点项目年度投资计划已全部完成，附完成情况表。")
    fgw.get_by_label("佐证材料", exact=True).set_input_files(
        files=[{"name": "完成情况表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}]
    )
    fgw.get_by_role("button", name="提交销号申请").click()
    expect(message(fgw)).to_contain_text("已申请销号")
    expect(fgw.locator(".task-head .status-closure_requested")).to_have_text("申请销号")
    expect(fgw.locator("ol.timeline")).to_contain_text("完成情况表.pdf")
    shot(fgw, 8, "closure-requested")
    sup.goto(task_url)
    sup.locator("summary", has_text=re.compile(r"^销号$")).click()
    sup.get_by_label("意见（选填）").fill("经核验，佐证材料齐全，同意销号。")
    sup.get_by_role("button", name="确认销号").click()
    expect(message(sup)).to_contain_text("已销号")
    expect(sup.locator(".task-head .status-closed")).to_have_text("已销号")
    task.refresh_from_db()
    assert task.status == "closed"
    shot(sup, 9, "closed")

    # 7. The leader sees it on the dashboard; the indicator page draws its charts.
    leader = site.page("shuji", width=WIDTH, height=HEIGHT)
    leader.goto(f"{site.url}/reports/")
    leader.wait_for_selector("[data-chart][data-rendered='1']")
    line = leader.locator("section[aria-labelledby='h-directives'] tbody tr", has_text=TITLE)
    expect(line).to_have_count(1)
    cells = line.locator("td")
    total, done, rate = (cells.nth(i).inner_text() for i in range(3))  # 任务数, 已销号, 完成率
    assert (total, done, float(rate.rstrip("%"))) == ("1", "1", 100.0)
    leader.locator("#h-directives").evaluate("el => el.scrollIntoView({block: 'start'})")
    after_chart_animation(leader)
    shot(leader, 10, "dashboard")
    assert leader.errors == []
    leader.goto(f"{site.url}/indicators/")
    leader.locator("main a[href^='/indicators/']").filter(has_text=re.compile(r"\S")).first.click()
    leader.wait_for_load_state()
    charts = leader.locator("[data-chart]")
    expect(charts.first.locator("canvas")).to_have_count(1)
    for i in range(charts.count()):
        expect(charts.nth(i).locator("canvas")).to_have_count(1)
    assert leader.locator("table.chart-table").count() >= charts.count()  # fallbacks for readers and print
    assert leader.errors == []
    after_chart_animation(leader)
    shot(leader, 11, "indicators")

    # 8. Phone width: the workbench and the task page fit, the menu opens and closes.
    phone = site.page("fgw", width=390, height=844)
    phone.goto(f"{site.url}/")
    nav = phone.locator("nav.mainnav")
    expect(nav).to_be_hidden()
    no_sideways_scroll(phone, 390)
    phone.locator("label.nav-toggle-label").click()
    expect(nav).to_be_visible()
    shot(phone, 12, "phone-workbench-menu")
    phone.locator("label.nav-toggle-label").click()
    expect(nav).to_be_hidden()
    phone.goto(task_url)
    expect(phone.locator(".task-head h1")).to_contain_text(ROW)
    no_sideways_scroll(phone, 390)
    shot(phone, 13, "phone-task")
    assert phone.errors == []


def test_it_offers_the_default_reply_due_date_of_a_new_action(site):
    page = site.page("duchayuan", width=WIDTH, height=HEIGHT)
    page.goto(f"{site.url}/supervision/actions/new/?kind=order")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.get_by_label("答复时限").input_value())
