"""Every first page a person opens, beside the bare SQL that fetches what the page shows, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench \\
        .venv/bin/python bench/bench_pages.py [--tasks 20000] [--repeat 10] [--page task] [--show-sql PAGE]

The task data are bench_tasks.py's (generated there once and kept; ``--tasks 100000`` for the
province size). On first use this benchmark adds, once, what those data lack for its pages: one
published directive per 100 tasks, each root task (with its sub-tasks) filed under one of them, and
the county-scale indicator set of bench_scoring.py (300 entities × 100 indicators × 20 periods,
scores stored). Each page is requested through the Django test client, signed in as the person
who opens it first (median of --repeat after one warm-up, each run of the page followed by one of its
bare SQL; ``--sequential``: all runs of the page, then all of its SQL), and its queries counted.

The bare SQL of a page is written by hand as the fewest plain statements that return the rows the
page shows, including the counts and option lists it displays, run on a psycopg cursor with no
model objects (each definition is below, beside its page). Every page's header shows the user's
name and the unread-notification count, so every bare set starts with those two (FRAME); the
session lookup is not counted as a row shown. The ratio is page wall time / bare SQL wall time (medians; the
target is judged on it), printed again from the best runs, which a shared machine disturbs least;
CPU time (this process's only, the database's work is not in it) is printed beside the wall time. The targets: board first page 2×, every other page 3×.
Before measuring, the database is vacuumed and analysed, as autovacuum would have done after the
last sweep (``--no-vacuum``: measure the tables as they are).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_scoring  # noqa: E402
import bench_tasks  # noqa: E402

ACTIVE = ["in_progress", "returned", "closure_requested"]
NOT_COUNTED = ["draft", "cancelled"]
TERMINAL = ["closed", "cancelled"]

# The header of every page: who is signed in (name, unit) and how many notifications are unread.
FRAME = [
    "SELECT u.id, u.name, u.role, u.unit_id, n.name FROM orgs_user u LEFT JOIN orgs_unit n ON n.id = u.unit_id WHERE u.id = %(user)s",
    "SELECT count(*) FROM supervision_notification WHERE recipient_id = %(user)s AND read_at IS NULL",
]

# What a unit sees: the tasks its unit leads or works on.
UNIT_TASKS = (
    "(t.lead_unit_id = %(unit)s OR t.id IN (SELECT task_id FROM tasks_task_co_units WHERE unit_id = %(unit)s))"
)

TASK_ROW = "t.id, t.number, t.code, t.title, t.status, t.health, t.deadline, t.progress_percent, t.expected_percent, t.lead_unit_id"

# 我的工作台, supervisor: unit and people counts, the health counts, closures to verify, extension
# requests to decide, red tasks, tasks due within the week, the projects and requests panels.
WORKBENCH_OFFICE = FRAME + [
    "SELECT (SELECT count(*) FROM orgs_unit), (SELECT count(*) FROM orgs_user WHERE is_active)",
    "SELECT count(*) FILTER (WHERE health = 'red'), count(*) FILTER (WHERE health = 'yellow'), "
    "count(*) FILTER (WHERE health = 'green') FROM tasks_task WHERE status <> ALL(%(not_counted)s)",
    f"SELECT {TASK_ROW}, u.short_name, u.name FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    "WHERE t.status = 'closure_requested' ORDER BY t.status_changed_at, t.id LIMIT 50",
    "SELECT e.id, e.new_deadline, e.created_at, t.id, t.number, t.title, u.short_name FROM tasks_extensionrequest e "
    "JOIN tasks_task t ON t.id = e.task_id JOIN orgs_unit u ON u.id = e.unit_id WHERE e.status = 'pending' ORDER BY e.created_at LIMIT 50",
    f"SELECT {TASK_ROW}, u.short_name, u.name FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    "WHERE t.status = ANY(%(active)s) AND t.health = 'red' ORDER BY t.deadline NULLS LAST, t.id LIMIT 50",
    f"SELECT {TASK_ROW}, u.short_name, u.name FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    "WHERE t.status IN ('in_progress', 'returned') AND t.deadline >= %(today)s AND t.deadline < %(week)s ORDER BY t.deadline, t.id LIMIT 50",
    "SELECT count(*) FROM projects_project",
    "SELECT r.id, r.receipt, r.company_name, r.status, r.solve_by FROM requests_request r "
    "WHERE r.status NOT IN ('solved', 'closed', 'declined') ORDER BY r.solve_by NULLS LAST, r.id LIMIT 50",
]

# 我的工作台, unit liaison: the unit's active tasks (the first 200 by deadline, with lead unit and
# co-units), the reports they already sent for those tasks (to tell what is owed), the panels.
WORKBENCH_UNIT = FRAME + [
    "SELECT (SELECT count(*) FROM orgs_unit WHERE id = %(unit)s), "
    "(SELECT count(*) FROM orgs_user WHERE (unit_id = %(unit)s OR id = %(user)s) AND is_active)",
    f"SELECT {TASK_ROW}, t.cadence, t.due_day, t.start_on, t.published_on, u.short_name, u.name, "
    "array(SELECT c.unit_id FROM tasks_task_co_units c WHERE c.task_id = t.id) "
    f"FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id WHERE t.status = ANY(%(active)s) AND {UNIT_TASKS} "
    "ORDER BY t.deadline, t.id LIMIT 200",
    "SELECT r.task_id, r.period_key FROM tasks_progressreport r WHERE r.unit_id = %(unit)s AND NOT r.superseded AND r.task_id IN "
    f"(SELECT t.id FROM tasks_task t WHERE t.status = ANY(%(active)s) AND {UNIT_TASKS} ORDER BY t.deadline, t.id LIMIT 200)",
    # More tasks than those judged for the week (200): the count of all and the first fifty in the
    # board's order over all of them.
    f"SELECT count(*) FROM tasks_task t WHERE t.status = ANY(%(active)s) AND {UNIT_TASKS}",
    f"SELECT {TASK_ROW}, u.short_name, u.name FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    f"WHERE t.status = ANY(%(active)s) AND {UNIT_TASKS} ORDER BY t.health_rank, t.deadline NULLS LAST, t.id LIMIT 50",
    f"SELECT count(*) FROM projects_project p JOIN tasks_task t ON t.id = p.task_id WHERE {UNIT_TASKS}",
    "SELECT r.id, r.receipt, r.company_name, r.status, r.solve_by FROM requests_request r JOIN tasks_task t ON t.id = r.task_id "
    "WHERE t.lead_unit_id = %(unit)s AND r.status NOT IN ('solved', 'closed', 'declined') ORDER BY r.solve_by NULLS LAST, r.id LIMIT 50",
]

# 我的工作台, leader: counts, the units they oversee, red and yellow tasks, the tasks they lead.
WORKBENCH_LEADER = FRAME + [
    "SELECT (SELECT count(*) FROM orgs_unit), (SELECT count(*) FROM orgs_user WHERE is_active)",
    "SELECT u.id, u.name, u.short_name FROM orgs_unit u JOIN orgs_user_oversees o ON o.unit_id = u.id WHERE o.user_id = %(user)s "
    "ORDER BY u.sort_order, u.name",
    "SELECT count(*) FILTER (WHERE health = 'red'), count(*) FILTER (WHERE health = 'yellow'), "
    "count(*) FILTER (WHERE health = 'green') FROM tasks_task WHERE status <> ALL(%(not_counted)s)",
    f"SELECT {TASK_ROW}, u.short_name, u.name FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    "WHERE t.status = ANY(%(active)s) AND t.health IN ('red', 'yellow') ORDER BY t.health, t.deadline NULLS LAST, t.id LIMIT 50",
    f"SELECT {TASK_ROW}, u.short_name, u.name FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    "WHERE t.lead_leader_id = %(user)s AND t.status <> ALL(%(terminal)s) AND t.status <> 'draft' ORDER BY t.deadline, t.id LIMIT 50",
    "SELECT count(*) FROM projects_project",
    "SELECT r.id, r.receipt, r.company_name, r.status, r.solve_by FROM requests_request r "
    "WHERE r.status NOT IN ('solved', 'closed', 'declined') ORDER BY r.solve_by NULLS LAST, r.id LIMIT 50",
]

# 督办台账, first page of 50 (supervisor): the count for the pager, the 50 rows with unit, leader
# and directive, their co-units, and the filter form's options (units, leaders, directives).
BOARD = FRAME + [
    "SELECT count(*) FROM tasks_task WHERE status <> ALL(%(not_counted)s)",
    "SELECT t.*, u.name, u.short_name, l.name, d.title FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    "LEFT JOIN orgs_user l ON l.id = t.lead_leader_id LEFT JOIN directives_directive d ON d.id = t.directive_id "
    "WHERE t.status <> ALL(%(not_counted)s) ORDER BY t.health_rank, t.deadline NULLS LAST, t.id LIMIT 50",
    "SELECT c.task_id, u.short_name, u.name FROM tasks_task_co_units c JOIN orgs_unit u ON u.id = c.unit_id WHERE c.task_id IN "
    "(SELECT t.id FROM tasks_task t WHERE t.status <> ALL(%(not_counted)s) ORDER BY t.health_rank, t.deadline NULLS LAST, t.id LIMIT 50)",
    "SELECT id, name FROM orgs_unit WHERE active ORDER BY sort_order, id",
    "SELECT id, name FROM orgs_user WHERE role = 'leader' AND is_active ORDER BY sort_order, id",
    "SELECT id, title FROM directives_directive WHERE status = 'published' ORDER BY issued_on DESC, id DESC LIMIT 200",
]

# 任务 tree, first page of 100 (supervisor): the count for the pager, the rows in tree order with
# their directive's title and lead unit, and their co-units.
TREE = FRAME + [
    "SELECT count(*) FROM tasks_task",
    "SELECT t.id, t.parent_id, t.number, t.code, t.title, t.kind, t.status, t.health, t.deadline, t.progress_percent, t.sort_key, "
    "t.directive_id, d.title, u.short_name, u.name FROM tasks_task t LEFT JOIN directives_directive d ON d.id = t.directive_id "
    "LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id ORDER BY t.directive_id, t.sort_key, t.id LIMIT 100",
    "SELECT c.task_id, u.short_name, u.name FROM tasks_task_co_units c JOIN orgs_unit u ON u.id = c.unit_id WHERE c.task_id IN "
    "(SELECT t.id FROM tasks_task t ORDER BY t.directive_id, t.sort_key, t.id LIMIT 100)",
]

# The task page (supervisor, a sub-task with its reports): the task with its directive, units and
# people; co-units; reports with unit, author and attachments; state changes with actor and
# attachments; instructions; extension requests; milestones; sub-tasks; ancestors; the plan's
# edit history; supervision actions and escalation proposals naming the task; its project.
TASK = FRAME + [
    "SELECT t.*, d.title, u.name, u.short_name, l.name, p.name FROM tasks_task t LEFT JOIN directives_directive d ON d.id = t.directive_id "
    "LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id LEFT JOIN orgs_user l ON l.id = t.lead_leader_id "
    "LEFT JOIN orgs_user p ON p.id = t.responsible_person_id WHERE t.id = %(task)s",
    "SELECT u.id, u.name, u.short_name FROM tasks_task_co_units c JOIN orgs_unit u ON u.id = c.unit_id WHERE c.task_id = %(task)s "
    "ORDER BY u.sort_order, u.name",
    "SELECT r.*, u.name, u.short_name, s.name, a.id, a.name, a.size FROM tasks_progressreport r JOIN orgs_unit u ON u.id = r.unit_id "
    "JOIN orgs_user s ON s.id = r.submitted_by_id LEFT JOIN tasks_attachment a ON a.report_id = r.id "
    "WHERE r.task_id = %(task)s ORDER BY r.submitted_at DESC, r.id DESC",
    "SELECT tr.*, u.name, a.id, a.name, a.size FROM tasks_tasktransition tr LEFT JOIN orgs_user u ON u.id = tr.actor_id "
    "LEFT JOIN tasks_attachment a ON a.transition_id = tr.id WHERE tr.task_id = %(task)s ORDER BY tr.created_at, tr.id",
    "SELECT i.*, u.name FROM tasks_instruction i JOIN orgs_user u ON u.id = i.author_id WHERE i.task_id = %(task)s ORDER BY i.created_at DESC",
    "SELECT e.*, r.name, d.name FROM tasks_extensionrequest e JOIN orgs_user r ON r.id = e.requested_by_id "
    "LEFT JOIN orgs_user d ON d.id = e.decided_by_id WHERE e.task_id = %(task)s ORDER BY e.created_at DESC",
    "SELECT * FROM tasks_milestone WHERE task_id = %(task)s ORDER BY due_on, id",
    f"SELECT {TASK_ROW}, u.short_name FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id WHERE t.parent_id = %(task)s "
    "ORDER BY t.position, t.id",
    # The ancestors' numbers are the task's own number's prefixes (1.2.3 → 1, 1.2), as the page reads them.
    "SELECT id, number, title FROM tasks_task WHERE directive_id = %(directive)s AND number = ANY(%(prefixes)s)",
    "SELECT h.*, u.name FROM tasks_historicaltask h LEFT JOIN orgs_user u ON u.id = h.history_user_id WHERE h.id = %(task)s "
    "ORDER BY h.history_date, h.history_id",
    "SELECT h.*, u.name FROM tasks_historicalmilestone h LEFT JOIN orgs_user u ON u.id = h.history_user_id "
    "WHERE h.task_id = %(task)s AND h.history_type IN ('+', '-') ORDER BY h.history_date DESC",
    "SELECT a.*, u.name FROM supervision_supervisionaction a JOIN supervision_supervisionaction_tasks x ON x.supervisionaction_id = a.id "
    "JOIN orgs_unit u ON u.id = a.unit_id WHERE x.task_id = %(task)s ORDER BY a.issued_at DESC",
    "SELECT p.*, u.name FROM supervision_escalationproposal p JOIN supervision_escalationproposal_tasks x ON x.escalationproposal_id = p.id "
    "JOIN orgs_unit u ON u.id = p.unit_id WHERE x.task_id = %(task)s ORDER BY p.proposed_on DESC",
    "SELECT id FROM projects_project WHERE task_id = %(task)s LIMIT 1",
]

# 单位考评 (supervisor, this month): per unit, the figures a score is made of, read as aggregates
# over the unit's tasks, its reports for the month and the actions it received in the month.
SCOREBOARD_FIGURES = [
    "SELECT id, name, short_name FROM orgs_unit WHERE active ORDER BY sort_order, id",
    "SELECT lead_unit_id, count(*), count(*) FILTER (WHERE deadline <= %(month_end)s AND (closed_on IS NULL OR closed_on >= %(month)s)), "
    "count(*) FILTER (WHERE closed_on BETWEEN %(month)s AND %(month_end)s), "
    "count(*) FILTER (WHERE status = ANY(%(active)s) AND deadline < %(today)s) FROM tasks_task WHERE status <> ALL(%(not_counted)s) "
    "GROUP BY lead_unit_id",
    "SELECT unit_id, count(*), count(*) FILTER (WHERE NOT late) FROM tasks_progressreport WHERE period_key = %(month_key)s "
    "AND NOT superseded GROUP BY unit_id",
    "SELECT unit_id, kind, count(*) FROM supervision_supervisionaction WHERE issued_on BETWEEN %(month)s AND %(month_end)s "
    "GROUP BY unit_id, kind",
]
SCOREBOARD = FRAME + SCOREBOARD_FIGURES

# 督查指令 list (supervisor): the first page of 50 directives with their item and task counts, and
# the number of directives the pager shows.
DIRECTIVES = FRAME + [
    "SELECT count(*) FROM directives_directive",
    "SELECT d.id, d.title, d.kind, d.issuer, d.issued_on, d.status, d.year, d.sequence, c.name, "
    "(SELECT count(*) FROM directives_decompositionitem i WHERE i.directive_id = d.id AND i.state <> 'dropped'), "
    "(SELECT count(*) FROM directives_decompositionitem i WHERE i.directive_id = d.id AND i.state IN ('accepted', 'published')), "
    "(SELECT count(*) FROM tasks_task t WHERE t.directive_id = d.id) "
    "FROM directives_directive d LEFT JOIN orgs_user c ON c.id = d.created_by_id "
    "ORDER BY d.issued_on DESC, d.id DESC LIMIT 50",
]

# An indicator set's pages: the set, its indicators, entities and periods, and what the pages show
# of the scores as it is stored for them (one row a period, evaluation.StoredPresentation), with
# the markup of the page's content as its first view stored it (StoredMarkup): for the
# overview and the indicator table the latest period's row, for the heat map and the trend every
# period's (their number of entities, our composite); the indicator table also the tasks opened
# from its indicators. Served from the markup, a page reads none of the rows' packed columns
# (ranking, cells, gaps and flags): the markup holds what they hold. The dashboard's panel reads
# the stored scores of the volatility window (WINDOW_SCORES).
SET_READ = [
    "SELECT * FROM indicators_indicatorset WHERE id = %(set)s",
    "SELECT * FROM indicators_indicator WHERE indicator_set_id = %(set)s ORDER BY sort_order, id",
    "SELECT * FROM indicators_entity WHERE indicator_set_id = %(set)s ORDER BY sort_order, id",
    "SELECT * FROM indicators_period WHERE indicator_set_id = %(set)s ORDER BY \"order\", id",
]
# The set's own pages read of the entities only which one is us (the others are in the stored
# rows), and show each indicator's responsible unit.
INDICATOR_BASE = FRAME + [
    SET_READ[0],
    "SELECT i.*, u.name, u.short_name FROM indicators_indicator i LEFT JOIN orgs_unit u ON u.id = i.responsible_unit_id "
    "WHERE i.indicator_set_id = %(set)s ORDER BY i.sort_order, i.id",
    "SELECT * FROM indicators_entity WHERE indicator_set_id = %(set)s AND is_us",
    SET_READ[3],
]
WINDOW_SCORES = (
    "SELECT s.period_id, s.data FROM indicators_storedscores s JOIN indicators_period p ON p.id = s.period_id "
    "WHERE s.indicator_set_id = %(set)s ORDER BY p.\"order\" DESC LIMIT %(window)s"
)


# The markup of the page's content (the set's header and all below it) as stored for the page
# (StoredMarkup, written by its first view: main() reads the slot it was written under), read with
# the presentation rows as the page reads it.
MARKUP = "(SELECT m.markup FROM indicators_storedmarkup m WHERE m.presentation_id = s.id AND m.slot = %(slot)s)"


def latest_presented(columns: str) -> str:
    return (f"SELECT s.period_id, {columns}, {MARKUP} FROM indicators_storedpresentation s JOIN indicators_period p ON p.id = s.period_id "
            "WHERE s.indicator_set_id = %(set)s AND s.entity_count > 0 ORDER BY p.\"order\" DESC LIMIT 1")


def every_presented(columns: str) -> str:
    return f"SELECT s.period_id, {columns}, {MARKUP} FROM indicators_storedpresentation s WHERE s.indicator_set_id = %(set)s"


INDICATOR_OVERVIEW = INDICATOR_BASE + [latest_presented("s.entity_count, s.our_rank, s.our_composite")]
INDICATOR_TABLE = INDICATOR_BASE + [
    latest_presented("s.entity_count, s.our_rank, s.our_composite"),
    "SELECT l.*, t.status FROM indicators_indicatortask l JOIN tasks_task t ON t.id = l.task_id JOIN indicators_indicator i "
    "ON i.id = l.indicator_id WHERE i.indicator_set_id = %(set)s AND t.status <> ALL(%(terminal)s)",
]
INDICATOR_HEATMAP = INDICATOR_BASE + [every_presented("s.entity_count")]
INDICATOR_TREND = INDICATOR_BASE + [every_presented("s.entity_count, s.our_rank, s.our_composite")]
INDICATOR_TREND_ONE = INDICATOR_TREND

# 领导驾驶舱 (supervisor): health by directive, the trend of daily snapshots, the tasks it lists,
# the unit standings (as the scoreboard), the projects and requests figures, the indicator panel
# (the one set's latest period, read as its page reads it), the directives of the export menu and
# the latest bulletins.
DASHBOARD = FRAME + [
    "SELECT t.directive_id, d.title, count(*) FILTER (WHERE t.health = 'red'), count(*) FILTER (WHERE t.health = 'yellow'), "
    "count(*) FILTER (WHERE t.health = 'green'), count(*) FILTER (WHERE t.health = 'done'), count(*) "
    "FROM tasks_task t LEFT JOIN directives_directive d ON d.id = t.directive_id WHERE t.status <> ALL(%(not_counted)s) "
    "GROUP BY t.directive_id, d.title ORDER BY t.directive_id",
    "SELECT date, count(*) FILTER (WHERE health = 'red'), count(*) FILTER (WHERE health = 'yellow'), count(*) FILTER (WHERE health = 'green') "
    "FROM reports_tasksnapshot WHERE date >= %(quarter)s GROUP BY date ORDER BY date",
    f"SELECT {TASK_ROW} FROM tasks_task t WHERE t.status = ANY(%(active)s) AND t.health = 'red' "
    "ORDER BY t.expected_percent - t.progress_percent DESC, t.id LIMIT 10",
    *SCOREBOARD_FIGURES,
    "SELECT p.stage_id, count(*), sum(p.total_investment), sum(p.annual_plan), count(*) FILTER (WHERE p.stalled), "
    "count(*) FILTER (WHERE p.idle) FROM projects_project p GROUP BY p.stage_id",
    "SELECT id, name, position FROM projects_stage WHERE active ORDER BY position, id",
    "SELECT sum(amount) FROM projects_monthlyreport",
    "SELECT t.lead_unit_id, count(*), count(*) FILTER (WHERE r.status = 'received'), "
    "count(*) FILTER (WHERE r.solve_by < %(today)s AND r.status IN ('assigned', 'proposed', 'solved')) "
    "FROM requests_request r LEFT JOIN tasks_task t ON t.id = r.task_id WHERE r.status <> 'declined' GROUP BY t.lead_unit_id",
    "SELECT count(*), count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basic')) FROM requests_callback",
    *SET_READ,
    WINDOW_SCORES,
    "SELECT id, title FROM directives_directive ORDER BY issued_on DESC, id DESC LIMIT 50",
    "SELECT id, title, issued_on FROM reports_bulletin ORDER BY id DESC LIMIT 5",
]



def add_directives(n_tasks: int) -> None:
    """One published directive per 100 tasks, each root task and its sub-tasks filed under one (once)."""
    from django.db import connection, transaction

    from luoshi.directives.models import Directive
    from luoshi.orgs.models import User

    if Directive.objects.exists():
        return
    rnd = random.Random(20261201)
    author = User.objects.get(username="duchayuan")
    today = dt.date.today()
    with transaction.atomic():
        made = Directive.objects.bulk_create([
            Directive(title=f"基准督查指令{i}：关于推进重点工作的部署", kind="speech", issuer="市委书记",
                      issued_on=today - dt.timedelta(days=rnd.randint(30, 700)), date_confirmed=True,
                      text="会议要求，各单位要压实责任，细化措施，确保各项任务按期完成。", status="published", created_by=author,
                      year=2026, sequence=i + 1)
            for i in range(max(1, n_tasks // 100))
        ])
        ids = [d.pk for d in made]
        with connection.cursor() as cur:
            cur.execute("UPDATE tasks_task SET directive_id = (%s::int[])[1 + id %% %s] WHERE parent_id IS NULL", [ids, len(ids)])
            cur.execute("UPDATE tasks_task c SET directive_id = p.directive_id FROM tasks_task p WHERE c.parent_id = p.id")
    with connection.cursor() as cur:
        cur.execute("ANALYZE tasks_task")
        cur.execute("ANALYZE directives_directive")
    print(f"added {len(ids)} directives (one-off)")


def pages(n_tasks: int):
    """(name, user, url, bare statements, parameters) for every page, in the order printed."""
    from django.utils import timezone

    from luoshi.indicators.evaluation import page_window
    from luoshi.indicators.models import IndicatorSet
    from luoshi.orgs.models import User
    from luoshi.tasks.models import Task

    today = timezone.localdate()
    month = today.replace(day=1)
    month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    task = Task.objects.filter(parent__isnull=False, status="in_progress").order_by("pk").first()
    users = {u.username: u for u in User.objects.filter(username__in=["duchayuan", "fgw", "shuji"])}
    own = Task.objects.filter(parent__isnull=False, status="in_progress", lead_unit_id=users["fgw"].unit_id).order_by("pk").first()

    def of_task(t):
        return {"task": t.pk, "directive": t.directive_id,
                "prefixes": [t.number.rsplit(".", k)[0] for k in range(1, t.number.count(".") + 1)]}
    s = bench_scoring.db_set()
    common = {
        "today": today, "week": today + dt.timedelta(days=7), "month": month, "month_end": month_end,
        "month_key": f"{month.year}-{month.month:02d}", "quarter": today - dt.timedelta(days=90),
        "active": ACTIVE, "not_counted": NOT_COUNTED, "terminal": TERMINAL, "set": s.pk, **of_task(task),
        "window": page_window(IndicatorSet.objects.get(pk=s.pk)),
    }

    def params(username):
        user = users[username]
        return {**common, "user": user.pk, "unit": user.unit_id}

    yield "workbench / (supervisor)", "duchayuan", "/", WORKBENCH_OFFICE, params("duchayuan")
    yield "workbench / (liaison fgw)", "fgw", "/", WORKBENCH_UNIT, params("fgw")
    yield "workbench / (leader shuji)", "shuji", "/", WORKBENCH_LEADER, params("shuji")
    yield "board /tasks/board/ first 50", "duchayuan", "/tasks/board/", BOARD, params("duchayuan")
    yield "tree /tasks/ first 100", "duchayuan", "/tasks/", TREE, params("duchayuan")
    yield f"task page /tasks/{task.pk}/", "duchayuan", f"/tasks/{task.pk}/", TASK, params("duchayuan")
    # The same kind of task as the lead unit's liaison sees it: the page adds the report form, whose
    # open periods and units come from the rows above.
    yield f"task page /tasks/{own.pk}/ (liaison fgw)", "fgw", f"/tasks/{own.pk}/", TASK, {**params("fgw"), **of_task(own)}
    yield "dashboard /reports/", "duchayuan", "/reports/", DASHBOARD, params("duchayuan")
    yield "scoreboard /supervision/scoreboard/", "duchayuan", "/supervision/scoreboard/", SCOREBOARD, params("duchayuan")
    yield "directives /directives/", "duchayuan", "/directives/", DIRECTIVES, params("duchayuan")
    yield "indicator set overview", "duchayuan", f"/indicators/{s.pk}/", INDICATOR_OVERVIEW, params("duchayuan")
    yield "indicator table", "duchayuan", f"/indicators/{s.pk}/indicators/", INDICATOR_TABLE, params("duchayuan")
    yield "indicator heat map", "duchayuan", f"/indicators/{s.pk}/heatmap/", INDICATOR_HEATMAP, params("duchayuan")
    yield "indicator trend", "duchayuan", f"/indicators/{s.pk}/trend/", INDICATOR_TREND, params("duchayuan")
    code = s.indicators.order_by("sort_order", "pk").values_list("code", flat=True).first()
    yield "indicator trend, one indicator", "duchayuan", f"/indicators/{s.pk}/trend/?indicator={code}", INDICATOR_TREND_ONE, params("duchayuan")


def timed(fn, repeat: int) -> tuple[float, float, float]:
    """Median wall, median CPU and best wall milliseconds of ``fn`` after one warm-up. The best
    wall time is the one least disturbed by other processes on a shared machine."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(walls), statistics.median(cpus), min(walls)


def timed_side_by_side(page, bare, repeat: int):
    """:func:`timed` of ``page`` and of ``bare``, their runs interleaved (page, bare, page, …): the
    machine's state (other work, the processor's clock) drifts over the seconds a page is measured,
    and measured one after the other, the page and its SQL met different machines."""
    page(), bare()
    measured = ([], [], []), ([], [], [])
    for _ in range(repeat):
        for fn, (walls, cpus, _unused) in zip((page, bare), measured):
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
    return tuple((statistics.median(walls), statistics.median(cpus), min(walls)) for walls, cpus, _unused in measured)


def run_bare(cur, statements, params) -> None:
    for sql in statements:
        cur.execute(sql, params)
        cur.fetchall()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--reports-per-task", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--page", action="append", default=[], help="only the pages whose name contains this (repeatable)")
    ap.add_argument("--show-sql", action="store_true", help="print each page's queries (after the warm-up) and stop")
    ap.add_argument("--sequential", action="store_true",
                    help="measure the page --repeat times, then its bare SQL --repeat times (not interleaved)")
    ap.add_argument("--no-vacuum", action="store_true", help="measure the tables as they are (dead rows of a sweep included)")
    args = ap.parse_args(argv)
    bench_tasks.setup()
    bench_tasks.generate(args.tasks, args.reports_per_task, args.seed, reset=False)
    add_directives(args.tasks)
    bench_scoring.db_set()

    from django.db import connection
    from django.test import Client

    from luoshi.orgs.models import User
    from luoshi.tasks.models import ProgressReport, Task

    if not args.no_vacuum:
        # What autovacuum does within a minute or two of the sweep rewriting every task's health: on
        # a machine whose PostgreSQL has it off, pages read right after `bench_sweep.py` meet the
        # rewritten table's dead rows (the board's count fetched 35,000 heap pages instead of using
        # the index alone: 2.9× its bare SQL instead of 1.7×).
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    n_tasks, n_reports = Task.objects.count(), ProgressReport.objects.count()
    print(f"PostgreSQL {connection.pg_version // 10000}, {n_tasks} tasks, {n_reports} reports, median of {args.repeat} after one warm-up")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    from luoshi.indicators.models import StoredMarkup

    rows = []
    for name, username, url, bare, params in pages(args.tasks):
        if args.page and not any(p in name for p in args.page):
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))

        def page():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        if name.startswith("indicator"):
            # The first view writes the page's markup: the newest row is this page's.
            StoredMarkup.objects.all().delete()
            page()
            params = {**params, "slot": StoredMarkup.objects.order_by("-pk").values_list("slot", flat=True).first()}
            assert params["slot"]
        page()
        queries = []

        def count(execute, sql, *rest):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            page()
        if args.show_sql:
            print(f"== {name}: {len(queries)} queries")
            print("\n".join(f"  {sql}" for sql in queries))
            print(f"-- bare SQL, ms each (median of {args.repeat}):")
            with connection.cursor() as cur:
                for sql in bare:
                    ms = timed(lambda: run_bare(cur, [sql], params), args.repeat)[0]
                    print(f"  {ms:7.2f}  {sql}")
            continue
        with connection.cursor() as cur:
            if args.sequential:
                page_ms, page_cpu, page_best = timed(page, args.repeat)
                sql_ms, _cpu, sql_best = timed(lambda: run_bare(cur, bare, params), args.repeat)
            else:
                (page_ms, page_cpu, page_best), (sql_ms, _cpu, sql_best) = timed_side_by_side(
                    page, lambda: run_bare(cur, bare, params), args.repeat
                )
        rows.append((name, page_ms, page_cpu, sql_ms, page_best, sql_best, len(queries), len(bare)))
        print(f"  {name}: {page_ms:.1f} ms", file=sys.stderr, flush=True)
    if args.show_sql:
        return 0
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{'page':<36} {'page ms':>8} {'CPU ms':>7} {'bare ms':>8} {'ratio':>6} {'best':>6} {'bare':>6} {'ratio':>6} "
          f"{'target':>9} {'queries':>7} {'bare q':>6}")
    print(f"{'':<36} {'median':>8} {'median':>7} {'median':>8} {'':>6} {'page':>6} {'best':>6} {'best':>6}")
    for name, page_ms, page_cpu, sql_ms, page_best, sql_best, count, n_bare in rows:
        target = 2 if name.startswith("board") else 3
        ratio = page_ms / sql_ms
        verdict = "met" if ratio <= target else "NOT met"
        print(f"{name:<36} {page_ms:>8.1f} {page_cpu:>7.1f} {sql_ms:>8.2f} {ratio:>6.1f} {page_best:>6.1f} {sql_best:>6.2f} "
              f"{page_best / sql_best:>6.1f} {f'{target}× ' + verdict:>9} {count:>7} {n_bare:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
