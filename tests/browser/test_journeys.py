"""The main journeys in a real browser, each step leaving a screenshot in docs/screenshots/.

Written so far: every role logs in and reads the dashboard scoped to them; the dashboard draws its
charts (ECharts) with table fallbacks and drills down to the task board; the phone-width layout
(390 px) with its menu toggle; the directory pages; a supervisor drafts, edits and issues a
督查通报 and a unit liaison reads it; the indicator page draws its charts.

The journey from a speech to a verified closure (directive → task → report → red → 督办单 → reply →
销号 → dashboard) is one test in test_journey_end_to_end.py, on a demo of its own.
"""

import html
import io
import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

ROLES = [
    ("admin", "管理员"),
    ("duchaju", "督查员"),
    ("shuji", "领导（全部）"),
    ("fuzhuren_jing", "领导（分管）"),
    ("fgw", "单位联络员"),
]


def figure(page, name: str) -> int:
    """A number from the dashboard's figure cards, by its label."""
    card = page.locator(".dash-stat", has_text=name).first
    return int(card.locator(".stat").inner_text())


def test_it_lets_every_role_log_in_and_read_a_dashboard_scoped_to_them(site):
    totals = {}
    for username, _role in ROLES:
        page = site.page(username)
        page.goto(f"{site.url}/reports/")
        page.wait_for_selector("[data-chart='health'][data-rendered='1']")
        totals[username] = figure(page, "任务总数")
        assert page.errors == [], (username, page.errors)
        if username in ("shuji", "fgw"):
            site.shot(page, f"dashboard-{username}")
        page.context.close()
    assert totals["shuji"] == totals["duchaju"] > 0
    assert totals["fgw"] < totals["shuji"]  # a liaison sees only their unit's work
    assert totals["fuzhuren_jing"] <= totals["shuji"]


def test_it_draws_each_chart_with_a_table_and_drills_down_to_the_board(site):
    page = site.page("shuji")
    page.goto(f"{site.url}/reports/")
    page.wait_for_selector("[data-chart][data-rendered='1']")
    charts = page.locator("[data-chart]")
    assert charts.count() >= 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("data-rendered") == "1"
        assert chart.locator("canvas").count() == 1
        card = chart.locator("xpath=ancestor::section[1]")
        assert card.locator("table").count() >= 1  # the fallback for screen readers and printing
    page.wait_for_timeout(1200)  # let ECharts finish growing its bars
    site.shot(page, "dashboard-charts")
    red = page.locator(".dash-stat.level-red")
    assert re.search(r"/tasks/board/\?health=red$", red.get_attribute("href"))
    red.click()
    page.wait_for_load_state()
    assert "/tasks/board/" in page.url and "health=red" in page.url
    # Printing shows the tables instead of the charts.
    page.goto(f"{site.url}/reports/")
    page.wait_for_selector("[data-chart][data-rendered='1']")
    page.emulate_media(media="print")
    assert not page.locator("[data-chart='health']").is_visible()
    assert page.locator("table", has_text="红黄绿灯分布").is_visible()


def test_it_works_at_phone_width_with_the_menu_toggle(site):
    page = site.page("fgw", width=390, height=844)
    page.goto(f"{site.url}/reports/")
    page.wait_for_selector("[data-chart][data-rendered='1']")
    nav = page.locator("nav.mainnav")
    assert not nav.is_visible()
    page.locator("label.nav-toggle-label").click()
    assert nav.is_visible()
    site.shot(page, "phone-menu")
    page.locator("label.nav-toggle-label").click()
    assert not nav.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways at phone width ({width}px)"
    site.shot(page, "phone-dashboard")


def test_it_shows_the_directory_pages(site):
    page = site.page("duchaju")
    page.goto(f"{site.url}/orgs/units/")
    assert page.locator("table.data tbody tr").count() > 20
    assert page.get_by_role("link", name="示范市发展和改革委员会").is_visible()
    site.shot(page, "directory-units")
    page.get_by_role("link", name="示范市发展和改革委员会").click()
    page.wait_for_load_state()
    assert "发改委" in page.content()
    page.goto(f"{site.url}/orgs/people/")
    page.fill("input[name=q]", "杨帆")
    expect(page.locator("#people tbody tr")).to_have_count(1)
    assert page.locator("#people tbody tr").first.inner_text().count("杨帆") == 1


def test_it_lets_a_supervisor_draft_edit_and_issue_a_bulletin_that_a_unit_then_reads(site):
    page = site.page("duchaju")
    page.goto(f"{site.url}/reports/bulletins/")
    page.fill("input[name=period]", "2026-W48")
    page.get_by_role("button", name="根据本期数据起草通报").click()
    page.wait_for_selector("textarea[name=body]")
    assert "一、总体完成情况" in page.locator("textarea[name=body]").input_value()
    page.fill("input[name=title]", "关于第48周重点工作任务落实情况的通报")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".msg-success")
    site.shot(page, "bulletin-draft")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="印发").click()
    page.wait_for_selector(".msg-success")
    number = page.locator(".bulletin-paper .number").inner_text()
    assert re.fullmatch(r".+〔\d{4}〕\d+号", number)
    assert page.locator("textarea[name=body]").count() == 0  # frozen
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 .docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    bulletin_url = page.url
    liaison = site.page("fgw")
    liaison.goto(bulletin_url)
    assert liaison.locator(".bulletin-paper .title").inner_text() == "关于第48周重点工作任务落实情况的通报"
    site.shot(liaison, "bulletin-issued")


def test_it_draws_the_indicator_pages_charts(site):
    from luoshi.indicators.models import IndicatorSet

    indicator_set = IndicatorSet.objects.first()
    if indicator_set is None:
        pytest.skip("the demo has no indicator set")
    page = site.page("shuji")
    page.goto(f"{site.url}/indicators/{indicator_set.pk}/")
    page.wait_for_selector("canvas, svg")
    assert page.errors == []
    page.wait_for_timeout(1200)  # let ECharts finish growing its bars
    site.shot(page, "indicators")
    page.goto(f"{site.url}/reports/")
    page.wait_for_selector("[data-chart='tiers'][data-rendered='1']")


def test_it_shows_citable_numbers_office_pages_and_a_searchable_unit_picker(site):
    """Issue 14: citable numbers on the board (1), the site's own pages and tidy lists (5)."""
    page = site.page("duchaju", width=1366)
    page.goto(f"{site.url}/tasks/board/")
    first = page.locator("table.board tbody tr td.num").first.inner_text()
    assert re.fullmatch(r"〔\d{4}〕(\d+|零)-\d+(\.\d+)*", first), first
    # Dates and statuses stay on one line at 1366 px.
    for cell in page.locator("table.board tbody tr td.nowrap").all()[:20]:
        # One line box per text: the cell's text is never broken (the row may be taller).
        lines = cell.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e.firstChild || e); return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size }"
        )
        assert lines <= 1, cell.inner_text()
    site.shot(page, "board-citable-numbers")
    # Searching by the number as typed finds the task.
    page.goto(f"{site.url}/tasks/board/?q={first}")
    expect(page.locator("table.board tbody tr")).to_have_count(1)
    # A task number nobody may see: the site's 404 page, not Django's.
    page.goto(f"{site.url}/tasks/999999/")
    expect(page.locator("h1")).to_have_text("未找到")
    expect(page.locator("header.topbar")).to_be_visible()
    assert page.locator("link[rel=icon]").count() == 1
    site.shot(page, "page-not-found")
    # The unit picker: type to filter, click to choose without Ctrl.
    page.goto(f"{site.url}/tasks/board/")
    page.locator("table.board tbody tr a").first.click()
    page.wait_for_load_state()
    edit = page.locator("a[href$='/edit/']").first
    if edit.count():
        edit.click()
        page.wait_for_load_state()
        picker = page.locator("input.multi-filter").first
        expect(picker).to_be_visible()
        picker.fill("财政")
        visible = page.locator("select[multiple][data-search] option:not([hidden])")
        assert visible.count() >= 1 and all("财政" in t for t in visible.all_inner_texts())
        site.shot(page, "unit-picker")
    assert page.errors == []


def test_it_draws_a_month_of_trend_on_the_dashboard(site):
    """Issue 14 (5, 6): the demo's 30 days of history make the trend chart a trend."""
    page = site.page("shuji", width=1366)
    page.goto(f"{site.url}/reports/")
    page.wait_for_selector("[data-chart='trend'][data-rendered='1']")
    rows = page.locator("table", has_text="红灯").first
    assert rows.count() == 1
    site.shot(page, "dashboard-trend-30-days")


# Every text ECharts drew, as boxes in the chart's own pixels: the legend's items and the axes'
# labels and names. Read from the chart's views, since a canvas has no elements to measure.
CHART_BOXES = """el => {
  const chart = echarts.getInstanceByDom(el);
  const model = chart.getModel();
  const boxes = (group, textOnly) => {
    const out = [];
    group.traverse(n => {
      if (n.isGroup || n.invisible || n.ignore || (textOnly && n.type !== 'text')) return;
      const r = n.getBoundingRect().clone();
      const m = n.getComputedTransform();
      if (m) r.applyTransform(m);
      if (r.width > 0 && r.height > 0) out.push({x: r.x, y: r.y, w: r.width, h: r.height, text: (n.style && n.style.text) || ''});
    });
    return out;
  };
  const legend = [], axes = [];
  model.eachComponent('legend', m => { const v = chart.getViewOfComponentModel(m); if (v) legend.push(...boxes(v.group, false)); });
  for (const kind of ['xAxis', 'yAxis', 'singleAxis', 'visualMap']) {
    model.eachComponent(kind, m => { const v = chart.getViewOfComponentModel(m); if (v) axes.push(...boxes(v.group, true)); });
  }
  return {legend, axes, width: chart.getWidth(), height: chart.getHeight()};
}"""


def overlaps(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1 and a["y"] < b["y"] + b["h"] - 1 and b["y"] < a["y"] + a["h"] - 1


def chart_problems(page, measured: list) -> list[str]:
    problems = []
    page.wait_for_timeout(1200)  # ECharts animates its first draw; measure where things end up
    for chart in page.locator("[data-chart]").all():
        name = chart.get_attribute("data-chart")
        drawn = chart.evaluate(CHART_BOXES)
        measured += [name] * bool(drawn["legend"] and drawn["axes"])
        for box in drawn["legend"] + drawn["axes"]:
            if box["x"] < -1 or box["y"] < -1 or box["x"] + box["w"] > drawn["width"] + 1 or box["y"] + box["h"] > drawn["height"] + 1:
                problems.append(f"{page.url} {name}: “{box['text']}” is clipped at the chart's edge")
        for item in drawn["legend"]:
            for label in drawn["axes"]:
                if overlaps(item, label):
                    problems.append(f"{page.url} {name}: the legend covers the axis label “{label['text']}”")
    return problems


def test_it_lays_out_board_and_charts_at_1366_by_768(site):
    """Issue 14 (5): at 1366×768 a board's dates and statuses keep to one line, and no chart's
    legend covers an axis label or loses a label at its edge."""
    from luoshi.indicators.models import Indicator, IndicatorSet

    page = site.page("duchaju", width=1366, height=768)
    page.goto(f"{site.url}/tasks/board/")
    line = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('table.board tbody td')).lineHeight)")
    cells = page.locator("table.board tbody tr td.nowrap").all()
    assert cells
    for cell in cells:
        # The text's own line boxes: one, and no taller than a line (a wrapped date would be two).
        height = cell.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect(); return b.height }")
        assert height <= line * 1.3, (cell.inner_text(), height, line)
    site.shot(page, "board-1366")
    problems, measured = [], []
    page.goto(f"{site.url}/reports/")
    page.wait_for_selector("[data-chart='trend'][data-rendered='1']")
    problems += chart_problems(page, measured)
    site.shot(page, "dashboard-charts-1366")
    indicator_set = IndicatorSet.objects.first()
    indicator = Indicator.objects.filter(indicator_set=indicator_set).first()
    for url in (f"/indicators/{indicator_set.pk}/", f"/indicators/{indicator_set.pk}/trend/", f"/indicators/{indicator_set.pk}/heatmap/",
                f"/indicators/indicator/{indicator.pk}/"):
        page.goto(f"{site.url}{url}")
        page.wait_for_selector("[data-chart] canvas")
        problems += chart_problems(page, measured)
    page.locator("[data-chart]").first.scroll_into_view_if_needed()
    site.shot(page, "indicator-charts-1366")
    assert problems == []
    assert len(measured) >= 3, measured  # charts with both a legend and axes were measured, not skipped
    assert page.errors == []


def test_it_shows_the_readme_sweep_as_a_dry_run(site):
    """Issue 14 (6): the README's `luoshi sweep --dry-run` on the demo says what it would send; its
    output is kept as a screenshot beside the pages."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("sweep", "--dry-run", stdout=out)
    said = out.getvalue().strip()
    assert said.startswith("sweep (dry run, nothing changed): would update health") and " sent" not in said
    terminal = site.page(None, width=980, height=120)
    terminal.set_content(
        "<pre style='margin:0;padding:16px;background:#1f2328;color:#f6f7f9;font:15px monospace;white-space:pre-wrap'>"
        f"$ luoshi sweep --dry-run\n{html.escape(said)}</pre>"
    )
    site.shot(terminal, "readme-sweep-dry-run")


def test_it_makes_a_large_board_export_in_the_background_and_hands_over_the_file(site, settings):
    settings.EXPORT_JOB_ROWS = 10  # the demo's board has more rows than this
    page = site.page("duchaju")
    page.goto(f"{site.url}/orgs/jobs/")
    assert page.locator("table.data tbody tr").count() >= 2, "the demo's finished jobs are listed"
    page.goto(f"{site.url}/tasks/board/")
    page.get_by_role("link", name="导出 CSV").click()
    page.wait_for_load_state()
    assert "将在后台生成" in page.content()
    page.get_by_role("button", name="后台导出").click()
    page.wait_for_load_state()
    assert "/orgs/jobs/" in page.url
    expect(page.locator("#job-state .badge")).to_have_text("已完成")
    site.shot(page, "job-export-done")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载")).click()
    assert download.value.suggested_filename.endswith(".csv")
