"""One truth per fact, checked on the demo: loaded on Monday 16 November 2026, swept a week later on
Monday 23 November, and read that day through every door a user has — the board, the workbench,
the task page, the dashboard, the scoreboard, the API, the 督办台账 (.xlsx) and the 督查通报
(.docx). For every task and every unit, the overdue days, the health, the score and the counts must
read the same wherever they appear. Nothing here recomputes a rule: each figure is compared with the
same figure read from another place."""

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from docx import Document
from openpyxl import load_workbook

from luoshi.site.management.commands.demo import LOADERS
from luoshi.orgs.models import Unit, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOADED = dt.date(2026, 11, 16)
TODAY = dt.date(2026, 11, 23)
LEVEL_LABELS = {"红灯": "red", "黄灯": "yellow", "绿灯": "green", "已销号": "done", "不评价": "none"}
COUNTED = ("red", "yellow", "green", "done", "none", "total", "overdue")


@contextmanager
def on(day: dt.date, hour: int = 10):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour)).replace(tzinfo=SHANGHAI), tick=False):
        yield


def get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def html(client, url: str):
    return lxml.html.fromstring(get(client, url).content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def overdue_in(reasons: str) -> int:
    """The N of 逾期N天 in a health reason; 0 when the reasons do not say overdue."""
    match = re.search(r"逾期(\d+)天", reasons or "")
    return int(match.group(1)) if match else 0


def load_demo():
    """What `luoshi demo --no-serve` loads, without its migrate step (the test database is migrated)."""
    context: dict = {}
    for label, module in LOADERS:
        result = module.load(**context)
        if isinstance(result, dict):
            context.update({f"{label}_{k}": v for k, v in result.items()})


@pytest.fixture(scope="module")
def swept_demo(django_db_setup, django_db_blocker):
    """The demo, loaded and swept once for the module inside a transaction rolled back at its end
    (each test runs in a savepoint within it, as in a TestCase's setUpTestData)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cache.clear()
            with on(LOADED):
                load_demo()
            with on(TODAY, hour=1):
                call_command("sweep", "--date", TODAY.isoformat(), stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def demo(swept_demo, db, client):
    cache.clear()
    with on(TODAY):
        yield client
    cache.clear()


def login(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


# -- readers: each returns what one place says -------------------------------------------------


def api_tasks(client) -> dict[int, dict]:
    """Every task the API lists, page by page (a page holds at most 500)."""
    tasks, offset = {}, 0
    while True:
        page = get(client, f"/api/tasks/?limit=500&offset={offset}").json()
        tasks.update({t["id"]: t for t in page["items"]})
        offset += 500
        if offset >= page["count"]:
            return tasks


def board_rows(client, query: str = "") -> dict[int, dict]:
    rows = {}
    page = 1
    while True:
        tree = html(client, f"/tasks/board/?{query}&page={page}" if query else f"/tasks/board/?page={page}")
        for tr in tree.xpath("//tr[@data-task]"):
            reasons = tr.xpath('.//*[@data-field="reasons"]')
            rows[int(tr.get("data-task"))] = {"health": tr.get("data-health"), "reasons": text(reasons[0]) if reasons else ""}
        if not tree.xpath('//a[contains(@href, "page=%d")]' % (page + 1)):
            return rows
        page += 1


def ledger_rows(client, query: str = "") -> list[dict]:
    book = load_workbook(io.BytesIO(get(client, f"/reports/export/ledger.xlsx?{query}").content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    # two header rows: group headings (责任单位, 推进情况) above the columns they span
    header_at = next(i for i, row in enumerate(rows) if row and "红黄绿灯" in row)
    header = [low or high for high, low in zip(rows[header_at - 1], rows[header_at])]
    out = []
    for row in rows[header_at + 1:]:
        cells = dict(zip(header, row))
        if not cells.get("工作任务"):
            continue
        health_text = str(cells["红黄绿灯"] or "")
        label = health_text.split("：", 1)[0]
        out.append({"number": str(cells["编号"]), "title": cells["工作任务"], "health": LEVEL_LABELS.get(label, label),
                    "overdue": overdue_in(health_text), "unit": cells["牵头单位"]})
    return out


def bulletin_text(client) -> str:
    response = client.post("/reports/bulletins/", {"period": TODAY.strftime("%Y-%m")})
    assert response.status_code == 302, response.content.decode()[:300]
    pk = int(re.search(r"/bulletins/(\d+)/", response["Location"]).group(1))
    document = Document(io.BytesIO(get(client, f"/reports/bulletins/{pk}/docx/").content))
    return "\n".join(p.text for p in document.paragraphs)


def dashboard_cards(client) -> dict[str, int]:
    tree = html(client, "/reports/")
    return {a.get("data-count"): int(text(a.xpath('.//*[@class="stat"]')[0])) for a in tree.xpath("//a[@data-count]")}


# -- per task ----------------------------------------------------------------------------------


def test_it_gives_every_task_one_health_everywhere(demo):
    client = login(demo, "duchayuan")
    api = api_tasks(client)
    board = board_rows(client)
    ledger = {(r["number"], r["title"]): r["health"] for r in ledger_rows(client)}
    workbench: dict[int, dict[str, str]] = defaultdict(dict)
    for liaison in User.objects.filter(role="liaison", is_active=True):
        for tr in html(login(client, liaison.username), "/").xpath("//tr[@data-task]"):
            workbench[int(tr.get("data-task"))][f"workbench of {liaison.username}"] = tr.get("data-health")
    login(client, "duchayuan")
    disagreements = []
    for pk, task in api.items():
        seen = {"api": task["health"], "board": board[pk]["health"], **workbench.get(pk, {})}
        seen["task page"] = html(client, f"/tasks/{pk}/").xpath("//*[@data-task]")[0].get("data-health")
        if task["status"] not in ("draft", "cancelled"):  # the ledger lists the work being done
            seen["ledger"] = ledger.get((task["code"] or task["number"], task["title"]))
        if len(set(seen.values())) > 1:
            disagreements.append((pk, task["title"], seen))
    assert disagreements == []


def test_it_gives_every_task_one_overdue_figure_everywhere(demo):
    client = login(demo, "duchayuan")
    api = api_tasks(client)
    board = board_rows(client)
    ledger = {(r["number"], r["title"]): r["overdue"] for r in ledger_rows(client)}
    dashboard = {row["id"]: row["days"] for row in get(client, "/api/reports/dashboard").json()["overdue"]}
    workbench: dict[int, dict[str, int]] = defaultdict(dict)
    for liaison in User.objects.filter(role="liaison", is_active=True):
        tree = html(login(client, liaison.username), "/")
        for tr in tree.xpath("//tr[@data-task]"):
            reasons = tr.xpath('.//*[@data-field="reasons"]')
            workbench[int(tr.get("data-task"))][f"workbench reason ({liaison.username})"] = overdue_in(text(reasons[0]) if reasons else "")
        for li in tree.xpath('//li[@data-kind="deadline"]'):
            workbench[int(li.get("data-task"))][f"workbench deadline ({liaison.username})"] = max(0, -int(li.get("data-days")))
    login(client, "duchayuan")
    disagreements = []
    for pk, task in api.items():
        if task["status"] in ("draft", "cancelled", "closed", "suspended"):
            continue
        seen = {
            "api reason": overdue_in(" ".join(task["health_reasons"])),
            "board reason": overdue_in(board[pk]["reasons"]),
            "ledger": ledger.get((task["code"] or task["number"], task["title"])),
            **workbench.get(pk, {}),
        }
        # The dashboard lists only the most overdue tasks (逾期前十); each one it lists must agree.
        if pk in dashboard:
            seen["dashboard"] = dashboard[pk]
        span = html(client, f"/tasks/{pk}/").xpath("//*[@data-overdue-days]")
        seen["task page"] = int(span[0].get("data-overdue-days")) if span else 0
        if len(set(seen.values())) > 1:
            disagreements.append((pk, task["title"], seen))
    assert disagreements == []


# -- counts --------------------------------------------------------------------------------------


def test_it_counts_the_same_tasks_on_the_dashboard_board_ledger_and_bulletin(demo):
    client = login(demo, "duchayuan")
    cards = dashboard_cards(client)
    data = get(client, "/api/reports/dashboard").json()
    api = api_tasks(client)
    counted = [t for t in api.values() if t["status"] not in ("draft", "cancelled")]
    by_health = Counter(t["health"] for t in counted)
    ledger = ledger_rows(client)
    places = {
        "dashboard cards": {k: cards[k] for k in ("red", "yellow", "green", "done", "total", "overdue")},
        "dashboard api": {k: data["counts"][k] for k in ("red", "yellow", "green", "done", "total", "overdue")},
        "api list": {**{k: by_health[k] for k in ("red", "yellow", "green", "done")}, "total": len(counted),
                     "overdue": sum(1 for t in counted if overdue_in(" ".join(t["health_reasons"])) > 0)},
        "board": {**{k: len(board_rows(client, f"health={k}")) for k in ("red", "yellow", "green", "done")},
                  "total": len([t for t in board_rows(client) if api[t]["status"] not in ("draft", "cancelled")]),
                  "overdue": len(board_rows(client, "overdue=on"))},
        "ledger": {**{k: sum(1 for r in ledger if r["health"] == k) for k in ("red", "yellow", "green", "done")},
                   "total": len(ledger), "overdue": len(ledger_rows(client, "overdue=1"))},
    }
    point = next(p for p in data["trend"] if p["date"] == TODAY.isoformat())
    places["trend (today)"] = {k: point[k] for k in ("red", "yellow", "green", "done", "total", "overdue")}
    words = bulletin_text(client)
    match = re.search(r"共(\d+)项。其中，已办结销号(\d+)项，正常推进（绿灯）(\d+)项，需要关注（黄灯）(\d+)项，进度滞后或逾期（红灯）(\d+)项；超过完成时限仍未办结(\d+)项", words)
    assert match, words[:400]
    total, done, green, yellow, red, overdue = (int(g) for g in match.groups())
    places["bulletin"] = {"red": red, "yellow": yellow, "green": green, "done": done, "total": total, "overdue": overdue}
    home = html(client, "/")
    places["workbench"] = {k: int(text(home.xpath(f'//*[@data-count="{k}"]')[0])) for k in ("red", "yellow", "green")}
    reference = places["dashboard api"]
    differing = {name: {k: (v, reference[k]) for k, v in figures.items() if v != reference[k]} for name, figures in places.items()}
    assert {name: d for name, d in differing.items() if d} == {}


def test_it_draws_each_viewers_trend_from_the_tasks_on_their_cards(demo):
    differing = {}
    for viewer in User.objects.filter(is_active=True, role__in=("liaison", "leader", "supervisor")).order_by("username"):
        data = get(login(demo, viewer.username), "/api/reports/dashboard").json()
        point = next((p for p in data["trend"] if p["date"] == TODAY.isoformat()), None)
        cards = {k: data["counts"][k] for k in ("red", "yellow", "green", "done", "total", "overdue")}
        trend = {k: point[k] for k in cards} if point else dict.fromkeys(cards, 0)
        if trend != cards:
            differing[viewer.username] = {"cards": cards, "trend": trend}
    assert differing == {}


def test_it_lists_the_same_tasks_for_a_unit_on_the_board_in_the_api_and_in_the_ledger(demo):
    client = login(demo, "duchayuan")
    api = api_tasks(client)
    differing = {}
    for unit_id in sorted({t["lead_unit_id"] for t in api.values() if t["lead_unit_id"]}):
        board = {api[pk]["title"] for pk in board_rows(client, f"unit={unit_id}")}
        listed = {t["title"] for t in get(client, f"/api/tasks/?limit=500&unit={unit_id}").json()["items"]}
        ledger = {r["title"] for r in ledger_rows(client, f"unit={unit_id}")}
        # the ledger leaves out drafts and cancelled tasks (not anybody's work): so must the others
        board = {t for t in board if any(a["title"] == t and a["status"] not in ("draft", "cancelled") for a in api.values())}
        listed = {t for t in listed if any(a["title"] == t and a["status"] not in ("draft", "cancelled") for a in api.values())}
        if not board == listed == ledger:
            differing[unit_id] = {"board": sorted(board), "api": sorted(listed), "ledger": sorted(ledger)}
    assert differing == {}


# -- per unit ----------------------------------------------------------------------------------


def test_it_gives_every_unit_one_score_and_one_task_count(demo):
    client = login(demo, "duchayuan")
    api = api_tasks(client)
    month = TODAY.strftime("%Y-%m")
    scoreboard_api = {r["unit_id"]: r for r in get(client, f"/api/supervision/scoreboard?month={month}").json()["rows"]}
    page = html(client, f"/supervision/scoreboard/?month={month}")
    scoreboard_page = {int(tr.get("data-unit")): {f: text(tr.xpath(f'.//*[@data-field="{f}"]')[0]) for f in ("rank", "score")}
                       for tr in page.xpath("//tr[@data-unit]")}
    dashboard = html(client, "/reports/")
    dashboard_rows = {int(tr.get("data-unit")): {f: text(tr.xpath(f'.//*[@data-field="{f}"]')[0]) for f in ("rank", "score", "total", "overdue")}
                      for tr in dashboard.xpath("//tr[@data-unit]")}
    dashboard_api = {r["unit_id"]: r for r in get(client, "/api/reports/dashboard").json()["scoreboard"]["rows"]}
    led = Counter(t["lead_unit_id"] for t in api.values() if t["status"] not in ("draft", "cancelled"))
    differing = {}
    for unit_id, row in scoreboard_api.items():
        seen = {
            "scoreboard api": (str(row["rank"]), f"{row['score']:.1f}"),
            "scoreboard page": (scoreboard_page[unit_id]["rank"], scoreboard_page[unit_id]["score"]),
            "dashboard page": (dashboard_rows[unit_id]["rank"], dashboard_rows[unit_id]["score"]),
            "dashboard api": (str(dashboard_api[unit_id]["rank"]), f"{dashboard_api[unit_id]['score']:.1f}"),
        }
        counts = {"tasks it leads (api)": str(led[unit_id]), "dashboard page": dashboard_rows[unit_id]["total"]}
        if len(set(seen.values())) > 1 or len(set(counts.values())) > 1:
            differing[unit_id] = {"score": seen, "task count": counts}
    assert differing == {}


def test_it_names_the_same_lagging_units_in_the_bulletin_as_on_the_dashboard(demo):
    client = login(demo, "duchayuan")
    api = api_tasks(client)
    words = bulletin_text(client)
    named = {}
    for unit, figures in re.findall(r"([^、（）。]+?)（((?:红灯\d+项)?，?(?:逾期\d+项)?)）", words.split("（一）部分任务推进滞后。", 1)[-1].split("等单位", 1)[0]):
        red = re.search(r"红灯(\d+)项", figures)
        overdue = re.search(r"逾期(\d+)项", figures)
        named[unit] = (int(red.group(1)) if red else 0, int(overdue.group(1)) if overdue else 0)
    units = {u.pk: u.display_name for u in Unit.objects.all()}
    order = {u.display_name: u.sort_order for u in Unit.objects.all()}
    counted = [t for t in api.values() if t["status"] not in ("draft", "cancelled") and t["lead_unit_id"]]
    expected = {}
    for t in counted:
        red = t["health"] == "red"
        overdue = overdue_in(" ".join(t["health_reasons"])) > 0
        if red or overdue:
            r, o = expected.get(units[t["lead_unit_id"]], (0, 0))
            expected[units[t["lead_unit_id"]]] = (r + red, o + overdue)
    # The bulletin names the twelve most lagging units, most overdue first, then most red.
    ranked = sorted(expected, key=lambda name: (-expected[name][1], -expected[name][0], order[name]))[:12]
    assert named == {name: expected[name] for name in ranked}
