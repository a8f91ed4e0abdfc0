"""Indicator benchmarking in the database: import, scoring from the DB, pages, export, the
weak-indicator → task action and access. The pure maths is in test_scoring.py.

The hand-computed set used throughout (tier size 2, weak = worse than 3rd; us = 本市):

    2026     开办企业 (天, lower)   纳税 (小时, lower)   政务服务 (分, higher)
    甲            1.0                  100                  90
    乙            2.0                  120                  80
    丙            3.5                  120                  70
    丁            4.0                  150                  60
    本市          5.0  → 5th, score 0   130 → 4th, score 40   95 → 1st, score 100

    composite 本市 = (0 + 40 + 100) / 3 = 46.67. 2025: 开办企业 本市 2.5 → 3rd (so 2026 is a drop of 2).
    Gap to 2nd on 开办企业: the 2nd best peer is 2.0 → 5.0 must fall by 3.0.
    Gap to 2nd on 纳税: peers 100, 120, 120, 150 → 120 (equalling a tied peer shares 2nd) → −10.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.db import connection

from luoshi.core.errors import LuoshiError
from luoshi.indicators import services
from luoshi.indicators.evaluation import evaluate, store_scores
from luoshi.indicators.models import Entity, Indicator, IndicatorSet, IndicatorTask, Observation, ObservationImport, Period
from luoshi.tasks.models import Task

TODAY = dt.date(2026, 11, 30)

ROWS_2026 = {"甲": (1.0, 100, 90), "乙": (2.0, 120, 80), "丙": (3.5, 120, 70), "丁": (4.0, 150, 60), "本市": (5.0, 130, 95)}
ROWS_2025 = {"甲": (1.0, 100, 90), "乙": (2.0, 110, 80), "丙": (3.0, 140, 70), "丁": (6.0, 150, 60), "本市": (2.5, 105, 85)}
CODES = ("开办企业", "纳税", "政务服务")
META = {"开办企业": ("逆向", "天"), "纳税": ("逆向", "小时"), "政务服务": ("正向", "分")}


def long_csv(rows_by_period=None) -> bytes:
    rows_by_period = rows_by_period or {"2025": ROWS_2025, "2026": ROWS_2026}
    lines = ["城市,指标,期间,值,方向,计量单位"]
    for period, rows in rows_by_period.items():
        for city, values in rows.items():
            for code, v in zip(CODES, values):
                lines.append(f"{city},{code},{period},{v},{META[code][0]},{META[code][1]}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def bench(cast, units):
    sup = cast["supervisor"]
    s = services.set_create(actor=sup, name="测试评价", tier_size=2, flag_rank=3)
    out = services.observations_import(actor=sup, indicator_set=s, data=long_csv(), filename="t.csv")
    assert out.ok, out.errors
    ind = {i.code: i for i in Indicator.objects.filter(indicator_set=s)}
    services.indicator_update(actor=sup, indicator=ind["开办企业"], responsible_unit=units["lead"], target_rank=2)
    services.indicator_update(actor=sup, indicator=ind["纳税"], responsible_unit=units["co"], target_rank=2)
    services.set_update(actor=sup, indicator_set=s, us=Entity.objects.get(indicator_set=s, name="本市"))
    return SimpleNamespace(set=s, kb=ind["开办企业"], ns=ind["纳税"], zw=ind["政务服务"], sup=sup)


def counts(s):
    return (Observation.objects.filter(indicator_set=s).count(), Entity.objects.filter(indicator_set=s).count(),
            Indicator.objects.filter(indicator_set=s).count(), Period.objects.filter(indicator_set=s).count(),
            ObservationImport.objects.filter(indicator_set=s).count())


def values(s):
    return sorted(Observation.objects.filter(indicator_set=s).values_list("entity__name", "indicator__code", "period__key", "value"))


# --- import -----------------------------------------------------------------------------------


def test_it_imports_a_long_file_and_scores_it_from_the_database(bench):
    s = bench.set
    assert counts(s) == (30, 5, 3, 2, 1)
    assert bench.kb.direction == "lower" and bench.kb.measure_unit == "天"
    assert list(Period.objects.filter(indicator_set=s).values_list("key", flat=True)) == ["2025", "2026"]
    ev = evaluate(s)
    us = ev.results["2026"].entity("本市")
    assert [us.indicators[c].rank for c in CODES] == [5, 4, 1]
    assert [round(us.indicators[c].score, 6) for c in CODES] == [0, 40, 100]
    assert us.composite == pytest.approx((0 + 40 + 100) / 3)
    assert ev.results["2025"].cell("本市", "开办企业").rank == 3


EMPTY_CELLS = "城市,指标,期间,值,方向\n甲,A,2026,3,逆向\n乙,A,2026,,逆向\n丙,A,2026,5,逆向\n丁,A,2026,-,逆向\n"


def test_it_imports_empty_value_cells_as_missing_and_warns_with_the_row(cast):
    s = services.set_create(actor=cast["supervisor"], name="空值", tier_size=1, flag_rank=1)
    out = services.observations_import(actor=cast["supervisor"], indicator_set=s, data=EMPTY_CELLS.encode(), filename="t.csv")
    assert out.ok and out.errors == []
    assert "第3行的值为空，按缺失值处理（同“-”或“无”）" in out.warnings
    assert values(s) == [("丁", "A", "2026", None), ("丙", "A", "2026", 5.0), ("乙", "A", "2026", None), ("甲", "A", "2026", 3.0)]
    # Lower is better: 甲 (3) first, 丙 (5) second; the two without a figure are not ranked.
    ranks = {e: evaluate(s).results["2026"].cell(e, "A").rank for e in ("甲", "乙", "丙", "丁")}
    assert ranks == {"甲": 1, "乙": None, "丙": 2, "丁": None}


def test_it_agrees_with_the_benchmark_command_on_empty_cells(cast, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(EMPTY_CELLS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("benchmark", str(path), "--json", stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    assert "第3行的值为空，按缺失值处理（同“-”或“无”）" in report["warnings"]
    cells = {e["entity"]: e["indicators"]["A"] for e in report["periods"][0]["entities"]}
    assert {e: c["rank"] for e, c in cells.items()} == {"甲": 1, "乙": None, "丙": 2, "丁": None}
    assert cells["乙"]["value"] is None and cells["丁"]["value"] is None


def test_it_saves_nothing_when_any_row_is_wrong(bench):
    before, vals = counts(bench.set), values(bench.set)
    bad = (long_csv().decode() + "新城,开办企业,2027,abc,逆向,天\n戊,纳税,2026,,逆向,小时\n").encode()
    out = services.observations_import(actor=bench.sup, indicator_set=bench.set, data=bad, filename="bad.csv")
    assert not out.ok
    rows = sorted(e.row for e in out.errors)
    assert rows == [32]  # row 33's empty value is a missing value now, warned about, not an error
    assert "abc" in str(out.errors[0]) and "第32行" in str(out.errors[0])
    assert counts(bench.set) == before and values(bench.set) == vals


def test_it_changes_nothing_when_the_same_file_is_imported_again(bench):
    before, vals = counts(bench.set), values(bench.set)
    out = services.observations_import(actor=bench.sup, indicator_set=bench.set, data=long_csv(), filename="t.csv")
    assert out.ok and (out.created, out.changed_count, out.unchanged) == (0, 0, 30)
    assert not out.saved_anything and out.record is None
    assert counts(bench.set) == before and values(bench.set) == vals


def test_it_reports_each_changed_value_old_to_new(bench):
    rows = {k: dict(v) for k, v in {"2026": ROWS_2026}.items()}
    rows["2026"]["本市"] = (4.5, 130, 95)
    rows["2026"]["戊"] = (9.0, 160, 50)
    out = services.observations_import(actor=bench.sup, indicator_set=bench.set, data=long_csv(rows), filename="fix.csv")
    assert out.ok and out.created == 3 and out.unchanged == 14 and out.new_entities == ["戊"]
    assert out.changed == [{"entity": "本市", "indicator": "开办企业", "period": "2026",
                            "old": {"value": 5.0, "score": None, "rank": None}, "new": {"value": 4.5, "score": None, "rank": None}}]
    assert Observation.objects.get(entity__name="本市", indicator=bench.kb, period__key="2026").value == 4.5
    record = ObservationImport.objects.filter(indicator_set=bench.set).first()
    assert (record.filename, record.created_count, record.changed_count, record.actor) == ("fix.csv", 3, 1, bench.sup)
    assert record.changes[0]["old"]["value"] == 5.0


def test_it_checks_without_saving_on_a_dry_run(bench):
    before = counts(bench.set)
    rows = {"2027": ROWS_2026}
    out = services.observations_import(actor=bench.sup, indicator_set=bench.set, data=long_csv(rows), filename="x.csv", dry_run=True)
    assert out.ok and out.created == 15 and out.new_periods == ["2027"]
    assert counts(bench.set) == before


def test_it_imports_a_wide_workbook_and_warns_about_a_disagreeing_direction(bench):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "2027"
    ws.append(["城市", "开办企业", "纳税"])
    ws.append(["方向", "正向", "逆向"])
    ws.append(["甲", 1.5, 90])
    ws.append(["本市", 2.5, None])
    buf = io.BytesIO()
    wb.save(buf)
    out = services.observations_import(actor=bench.sup, indicator_set=bench.set, data=buf.getvalue(), filename="w.xlsx")
    assert out.ok and out.layout == "wide" and out.created == 3 and out.new_periods == ["2027"]
    assert any("开办企业" in w and "方向" in w for w in out.warnings)
    bench.kb.refresh_from_db()
    assert bench.kb.direction == "lower"  # the set's setting wins over the file's


def test_it_refuses_imports_by_anyone_but_supervisors(bench, cast):
    before = counts(bench.set)
    for who in ("owner", "leader", "outsider"):
        with pytest.raises(LuoshiError):
            services.observations_import(actor=cast[who], indicator_set=bench.set, data=long_csv({"2027": ROWS_2026}))
    assert counts(bench.set) == before


def test_it_shows_the_row_by_row_report_on_the_upload_page(bench, login):
    client = login(bench.sup)
    before = counts(bench.set)
    bad = "城市,指标,期间,值\n甲,开办企业,2027,3.5天\n乙,开办企业,2027,2\n".encode()
    response = client.post(f"/indicators/{bench.set.pk}/import/", {"file": _upload("bad.csv", bad), "layout": "auto"})
    html = response.content.decode()
    assert response.status_code == 200 and "未保存任何数据" in html and "3.5天" in html and "<td data-label=\"行\">2</td>" in html
    assert counts(bench.set) == before
    response = client.post(f"/indicators/{bench.set.pk}/import/", {"file": _upload("t.csv", long_csv()), "layout": "auto"})
    assert "新增 0 个，修改 0 个，未变 30 个" in response.content.decode()


@pytest.mark.parametrize("name,data,message", [
    ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "Excel"),
    ("empty.csv", b"", "文件"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ("utf16.csv", "城市,指标,期间,值\n".encode("utf-16"), "UTF-16"),
])
def test_it_explains_a_broken_file_and_saves_nothing(bench, login, name, data, message):
    before = counts(bench.set)
    response = login(bench.sup).post(f"/indicators/{bench.set.pk}/import/", {"file": _upload(name, data), "layout": "auto"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts(bench.set) == before


def test_it_refuses_a_huge_upload_with_a_message(bench, login, monkeypatch):
    from luoshi.indicators import views

    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 1000)
    before = counts(bench.set)
    response = login(bench.sup).post(f"/indicators/{bench.set.pk}/import/", {"file": _upload("big.csv", b"x" * 5000), "layout": "auto"})
    assert response.status_code == 200 and "文件过大" in response.content.decode()
    assert counts(bench.set) == before


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# --- settings and history ---------------------------------------------------------------------


def test_it_keeps_history_of_indicator_changes_and_refuses_bad_bounds(bench):
    services.indicator_update(actor=bench.sup, indicator=bench.kb, weight=2.0)
    latest = bench.kb.history.first()
    assert latest.weight == 2.0 and latest.history_user == bench.sup
    with pytest.raises(LuoshiError):
        services.indicator_update(actor=bench.sup, indicator=Indicator.objects.get(pk=bench.kb.pk), frontier=9.0, worst=1.0)
    assert Indicator.objects.get(pk=bench.kb.pk).frontier is None


def test_it_moves_us_to_exactly_one_entity(bench):
    jia = Entity.objects.get(indicator_set=bench.set, name="甲")
    services.set_update(actor=bench.sup, indicator_set=bench.set, us=jia)
    assert list(Entity.objects.filter(indicator_set=bench.set, is_us=True).values_list("name", flat=True)) == ["甲"]


# --- pages --------------------------------------------------------------------------------------


def _chart(response):
    import json
    import re

    html = response.content.decode()
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "chart data element missing"
    return json.loads(match.group(1))


def test_it_renders_the_overview_with_chart_data_and_its_table(bench, login):
    response = login(bench.sup).get(f"/indicators/{bench.set.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    data = _chart(response)
    assert data["composite"]["us"] == "本市"
    assert data["composite"]["scores"][data["composite"]["entities"].index("本市")] == round(140 / 3, 2)
    # the table under the chart holds the same numbers
    assert "46.7" in html and 'data-chart="composite"' in html and "<script>" not in html
    # tiers of our three indicators: 政务服务 1st → 第一方阵; 纳税 4th → 第二方阵; 开办企业 5th → 第三方阵
    assert data["tiers"]["counts"] == [1, 1, 1, 0]
    assert "开办企业" in html and "较上期下降2位（第3→第5）" in html


def test_it_sorts_tables_on_the_server(bench, login):
    client = login(bench.sup)
    html = client.get(f"/indicators/{bench.set.pk}/?sort=entity").content.decode()
    order = [html.index(f">{n}<") if f">{n}<" in html else html.index(n) for n in ("丁", "丙", "乙", "本市", "甲")]
    assert order == sorted(order)
    html = client.get(f"/indicators/{bench.set.pk}/indicators/?sort=-rank").content.decode()
    assert html.index("开办企业") < html.index("纳税") < html.index("政务服务")
    html = client.get(f"/indicators/{bench.set.pk}/indicators/?sort=rank").content.decode()
    assert html.index("政务服务") < html.index("纳税") < html.index("开办企业")
    assert client.get(f"/indicators/{bench.set.pk}/indicators/?sort=nonsense&period=nowhere").status_code == 200


def test_it_renders_the_heatmap_trend_and_indicator_detail(bench, login):
    client = login(bench.sup)
    heat = _chart(client.get(f"/indicators/{bench.set.pk}/heatmap/"))
    assert heat["indicators"] == ["开办企业", "纳税", "政务服务"] and heat["periods"] == ["2025", "2026"]
    assert [1, 0, 5] in heat["data"] and [0, 0, 3] in heat["data"]
    trend = _chart(client.get(f"/indicators/{bench.set.pk}/trend/?indicator=开办企业"))
    assert trend["ranks"] == [3, 5]
    response = client.get(f"/indicators/indicator/{bench.kb.pk}/")
    detail = _chart(response)
    assert detail["bar"]["required"] == 2.0 and detail["bar"]["values"][-1] == 5.0
    html = response.content.decode()
    assert "−3 天" in html and "需由 5 天 达到 2 天" in html


def _queries(client, url) -> int:
    """The queries a GET of ``url`` makes, counted as they run (a capture of the query log can
    miss a request's queries here)."""
    seen = []

    def count(execute, sql, *rest):
        seen.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        assert client.get(url, secure=True).status_code == 200
    return len(seen)


def test_it_scores_the_set_in_a_constant_number_of_queries(bench, login):
    client = login(bench.sup)
    url = f"/indicators/{bench.set.pk}/indicators/"
    client.get(url, secure=True)
    few = _queries(client, url)
    period = Period.objects.get(indicator_set=bench.set, key="2026")
    more = Entity.objects.bulk_create([Entity(indicator_set=bench.set, name=f"城{i}") for i in range(60)])
    Observation.objects.bulk_create([
        Observation(indicator_set=bench.set, entity=e, indicator=ind, period=period, value=10 + i)
        for i, e in enumerate(more) for ind in (bench.kb, bench.ns, bench.zw)
    ])
    store_scores(bench.set)  # what every service that writes observations does
    client.get(url, secure=True)  # the first view writes the page's markup again (tests/test_indicator_fragments.py)
    assert few > 0 and _queries(client, url) == few
    with CaptureQueriesContext(connection) as q:
        store_scores(bench.set)
    assert sum("indicators_observation" in x["sql"] for x in q.captured_queries) == 1
    with CaptureQueriesContext(connection) as q:
        evaluate(bench.set)
    assert not any("indicators_observation" in x["sql"] for x in q.captured_queries)


# --- export --------------------------------------------------------------------------------------


def test_it_exports_the_benchmark_table_as_an_office_spreadsheet(bench, login):
    from openpyxl import load_workbook

    services.indicator_update(actor=bench.sup, indicator=bench.zw, name="=SUM(A1)")
    response = login(bench.sup).get(f"/indicators/{bench.set.pk}/export.xlsx?period=2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["指标对标表"]
    assert ws["A1"].value == "测试评价指标对标表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:R1" in merged
    header = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=4)]
    assert header[0][0] == "序号" and "本市" in header[0] and "数值" in header[1]
    start = header[0].index("本市") + 1
    from openpyxl.utils import get_column_letter

    assert f"{get_column_letter(start)}3:{get_column_letter(start + 3)}3" in merged
    rows = {r[2]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["开办企业"][6] == 5.0 and rows["开办企业"][8] == 5 and rows["开办企业"][14] == -3.0
    assert "'=SUM(A1)" in rows  # neutralised: stays text, never runs as a formula
    comp = [r for r in wb["综合排名"].iter_rows(min_row=4, values_only=True)]
    assert ("本市（本市）" in [r[2] for r in comp])


# --- weak indicator → task ------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 30, 9, 0), tick=False)
def test_it_turns_a_weak_indicator_into_one_published_task(bench, login, units):
    client = login(bench.sup)
    response = client.post(f"/indicators/indicator/{bench.kb.pk}/task/", {"period": "2026"})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.lead_unit == units["lead"] and task.status == "in_progress" and task.deadline == dt.date(2026, 12, 31)
    assert task.target_text == "开办企业指标排名进入前2位（当前第5位）；需由5.0天降至2.0天"
    assert float(task.target_value) == 2.0
    assert "较上期下降2位" in task.measures
    link = IndicatorTask.objects.get()
    assert (link.indicator, link.task, link.rank_at_creation, link.period_key) == (bench.kb, task, 5, "2026")
    # a second click creates nothing and points at the existing task
    response = client.post(f"/indicators/indicator/{bench.kb.pk}/task/", {"period": "2026"}, follow=True)
    assert Task.objects.count() == 1 and IndicatorTask.objects.count() == 1
    assert "未重复生成" in response.content.decode()
    link2, created = services.indicator_task_create(actor=bench.sup, indicator=bench.kb)
    assert (link2.pk, created) == (link.pk, False)


@time_machine.travel(dt.datetime(2026, 11, 30, 9, 0), tick=False)
def test_it_fills_in_a_tied_target_for_the_task(bench):
    link, created = services.indicator_task_create(actor=bench.sup, indicator=bench.ns)
    assert created and link.task.target_text == "纳税指标排名进入前2位（当前第4位）；需由130.0小时降至120.0小时"


@time_machine.travel(dt.datetime(2026, 11, 30, 9, 0), tick=False)
def test_it_refuses_a_task_without_unit_on_target_or_for_non_supervisors(bench, cast, login):
    with pytest.raises(LuoshiError, match="责任单位"):
        services.indicator_task_create(actor=bench.sup, indicator=bench.zw)
    services.indicator_update(actor=bench.sup, indicator=bench.zw, responsible_unit=bench.kb.responsible_unit)
    with pytest.raises(LuoshiError, match="已达到目标"):
        services.indicator_task_create(actor=bench.sup, indicator=Indicator.objects.get(pk=bench.zw.pk))
    with pytest.raises(LuoshiError, match="不能早于"):
        services.indicator_task_create(actor=bench.sup, indicator=bench.kb, deadline=dt.date(2026, 1, 1))
    for who, status in {"owner": 403, "member": 404, "outsider": 404, "leader": 403}.items():
        assert login(cast[who]).post(f"/indicators/indicator/{bench.kb.pk}/task/", {}).status_code == status, who
    response = login(bench.sup).post(f"/indicators/indicator/{bench.kb.pk}/task/", {"deadline": "2026-13-45"}, follow=True)
    assert "不是有效日期" in response.content.decode()
    assert Task.objects.count() == 0 and IndicatorTask.objects.count() == 0


# --- access -----------------------------------------------------------------------------------------

# Indicator sets are read by every member of staff; a liaison reads only the indicators of their own
# unit (开办企业 → 发改委 = owner, 纳税 → 财政局 = member); only supervisors/admins change anything.
ACCESS = {
    #                 overview  kb   ns   zw   import  edit-set  edit-kb
    "owner":      (200, 200, 404, 404, 403, 403, 403),
    "member":     (200, 404, 200, 404, 403, 403, 404),
    "outsider":   (200, 404, 404, 404, 403, 403, 404),
    "leader":     (200, 200, 200, 200, 403, 403, 403),
    "supervisor": (200, 200, 200, 200, 200, 200, 200),
    "admin":      (200, 200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("who", list(ACCESS))
def test_it_applies_the_access_table_to_every_page(bench, cast, login, who):
    client = login(cast[who])
    s = bench.set.pk
    urls = [f"/indicators/{s}/", f"/indicators/indicator/{bench.kb.pk}/", f"/indicators/indicator/{bench.ns.pk}/",
            f"/indicators/indicator/{bench.zw.pk}/", f"/indicators/{s}/import/", f"/indicators/{s}/edit/",
            f"/indicators/indicator/{bench.kb.pk}/edit/"]
    assert tuple(client.get(u).status_code for u in urls) == ACCESS[who]
    for u in (f"/indicators/{s}/indicators/", f"/indicators/{s}/heatmap/", f"/indicators/{s}/trend/", f"/indicators/{s}/export.xlsx", "/indicators/"):
        assert client.get(u).status_code == 200, u
    html = client.get(f"/indicators/{s}/indicators/").content.decode()
    sees = {"开办企业": ACCESS[who][1] == 200, "纳税": ACCESS[who][2] == 200}
    for name, visible in sees.items():
        assert (f">{name}</a>" in html) is visible, name


def test_it_keeps_the_pages_from_anonymous_visitors_and_unknown_sets(client, bench, login):
    assert client.get(f"/indicators/{bench.set.pk}/").status_code == 302
    assert login(bench.sup).get("/indicators/99999/").status_code == 404


@pytest.mark.parametrize("page", ["", "indicators/", "heatmap/", "trend/", "export.xlsx"])
def test_it_keeps_every_set_page_from_a_person_without_a_role(bench, login, page):
    from luoshi.orgs.models import User

    nobody = User.objects.create_user(username="无角色", password="x-long-enough-1", role="")
    assert login(nobody).get(f"/indicators/{bench.set.pk}/{page}", secure=True).status_code == 404
    assert login(bench.sup).get(f"/indicators/{bench.set.pk}/{page}", secure=True).status_code == 200


def test_it_refuses_edits_that_break_the_rules_and_changes_nothing(bench, login):
    client = login(bench.sup)
    response = client.post(f"/indicators/indicator/{bench.kb.pk}/edit/", {
        "name": "开办企业", "direction": "lower", "weight": "-1", "sort_order": 10})
    assert response.status_code == 200
    assert Indicator.objects.get(pk=bench.kb.pk).weight == 1.0
    response = client.post(f"/indicators/{bench.set.pk}/edit/", {"name": "", "tier_size": "0", "flag_rank": "3",
                                                                 "volatility_window": 4, "volatility_places": 5})
    assert response.status_code == 200
    assert IndicatorSet.objects.get(pk=bench.set.pk).tier_size == 2


# --- demo ---------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 30, 9, 0), tick=False)
def test_it_loads_the_demo_set_as_the_seed_speech_describes_it(db):
    from luoshi.indicators import demo
    from luoshi.orgs import demo as orgs_demo

    orgs_demo.load()
    assert demo.load() == {"indicator_sets": 1, "observations": 18 * 21 * 4}
    assert demo.load() == {"indicator_sets": 0}
    s = IndicatorSet.objects.get(name=demo.DEMO_NAME)
    assert "演示数据" in s.name and "演示数据" in s.description
    ev = evaluate(s)
    assert (len(ev.entities), len(ev.indicators), len(ev.periods), ev.us) == (18, 21, 4, "济源")
    assert [p.key for p in ev.periods] == ["2024H2", "2025H1", "2025H2", "2026H1"]
    latest = ev.latest
    ranks = {i.code: ev.our_cell(i.code, latest).rank for i in ev.indicators}
    assert sum(r > 10 for r in ranks.values()) == 11 and {17, 18} <= set(ranks.values())
    assert sum(f.kind == "volatile" for f in ev.flags(latest)) >= 5  # 过山车
    kb = ev.by_code["开办企业"]
    assert (kb.direction, kb.measure_unit, kb.responsible_unit.short_name) == ("lower", "天", "市场监管局")
    assert ev.by_code["纳税"].responsible_unit.short_name == "财政局"
    gap = ev.gap(kb, latest)
    assert (gap.current_value, gap.required_value, gap.change) == (5.0, 3.5, -1.5)
    assert all(i.responsible_unit_id for i in ev.indicators)


def test_it_scores_a_window_of_periods_exactly_as_the_whole_history(bench):
    later = {"甲": (1.2, 100, 90), "乙": (2.0, 125, 85), "丙": (3.0, 120, 75), "丁": (4.5, 150, 65), "本市": (1.5, 110, 70)}
    assert services.observations_import(actor=bench.sup, indicator_set=bench.set, data=long_csv({"2027": later})).ok
    full = evaluate(bench.set)
    part = evaluate(bench.set, period="2026", window=2)
    assert [p.key for p in part.periods] == ["2025", "2026"] and len(part.all_periods) == 3
    assert part.observation_count == 30 and full.observation_count == 45
    for key in ("2025", "2026"):
        assert [(e.entity, e.rank, e.composite) for e in part.results[key].entities] == \
               [(e.entity, e.rank, e.composite) for e in full.results[key].entities]
    assert [f.reason for f in part.flags("2026")] == [f.reason for f in full.flags("2026")]
    assert [p.key for p in evaluate(bench.set, window=2).periods] == ["2026", "2027"]


def test_it_refuses_over_long_names_alike_on_a_dry_run_and_on_import(bench):
    before = counts(bench.set)
    csv = "\n".join([
        "城市,指标,期间,值,方向,计量单位",
        f"{'城' * 101},开办企业,2026,1.0,逆向,天",
        f"甲,{'指' * 101},2026,1.0,逆向,{'单' * 31}",
    ]).encode("utf-8")
    for dry_run in (True, False):
        out = services.observations_import(actor=bench.sup, indicator_set=bench.set, data=csv, filename="x.csv", dry_run=dry_run)
        assert not out.ok
        text = " ".join(str(e) for e in out.errors)
        assert "100" in text and "30" in text
        assert counts(bench.set) == before
