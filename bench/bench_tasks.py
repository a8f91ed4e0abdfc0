"""Benchmark of the task pages on PostgreSQL: the supervisor's board (first page) and the task page,
each measured through the Django test client beside the bare SQL that fetches the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench \\
        .venv/bin/python bench/bench_tasks.py [--tasks 20000] [--reports-per-task 10] [--repeat 20] [--reset] [--board-only]

Data (generated once with bulk_create, kept for later runs unless --reset): the demo org
directory, N tasks (a fifth of them sub-tasks), one or two co-units each, health and status
spread as in a live office, and ten monthly progress reports per task (200,000 for 20,000 tasks).
Reports the median of --repeat requests (after one warm-up), wall and CPU time, and the ratio
page / bare SQL (wall); the page and its SQL are measured in turns, and the fastest of each is
printed too. On a loaded machine read the CPU time and the ratio of the fastest runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))


def setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_tasks needs DATABASE_URL=postgres://…")
    import luoshi.testing  # noqa: F401 - test-run defaults: SECRET_KEY, ALLOWED_HOSTS, no SSL redirect

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def generate(n_tasks: int, per_task: int, seed: int, reset: bool) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from luoshi.orgs import demo as orgs_demo
    from luoshi.orgs.models import Unit, User
    from luoshi.tasks.models import ProgressReport, Task, sort_key_for

    call_command("migrate", interactive=False, verbosity=0)
    orgs_demo.load()
    if reset:
        with connection.cursor() as cur:
            cur.execute(
                "TRUNCATE tasks_progressreport, tasks_attachment, tasks_tasktransition, tasks_milestone, tasks_instruction, "
                "tasks_extensionrequest, tasks_task_co_units, tasks_historicaltask, tasks_historicaltask_co_units, tasks_task CASCADE"
            )
    if Task.objects.count() >= n_tasks:
        return
    rnd = random.Random(seed)
    units = list(Unit.objects.all())
    leaders = list(User.objects.filter(role="leader"))
    liaison_of = {u.unit_id: u for u in User.objects.filter(role="liaison")}
    fallback = User.objects.get(username="duchayuan")
    today = timezone.localdate()
    healths = ["green"] * 6 + ["yellow"] * 2 + ["red"] * 2
    started = time.perf_counter()
    with transaction.atomic():
        roots = n_tasks * 4 // 5

        def make(i, parent=None, position=0):
            start = today - dt.timedelta(days=rnd.randint(30, 300))
            health = rnd.choice(healths)
            status = "closed" if rnd.random() < 0.05 else "in_progress"
            number = f"{parent.number}.{position}" if parent else str(i + 1)
            return Task(
                title=f"基准任务{i}：推进重点工作落实", measures="细化措施，压实责任。", number=number, sort_key=sort_key_for(number),
                position=position or i + 1, parent=parent, lead_unit=rnd.choice(units), lead_leader=rnd.choice(leaders),
                start_on=start, deadline=start + dt.timedelta(days=rnd.randint(60, 500)), cadence="monthly", due_day=25,
                status=status, published_on=start, health="done" if status == "closed" else health,
                health_reasons=["进度落后序时35个百分点"] if health == "red" else [], expected_percent=rnd.randint(0, 100),
                progress_percent=rnd.randint(0, 100), kind=rnd.choice(["key", "key", "project", "livelihood", "rectification"]),
            )

        tasks = Task.objects.bulk_create([make(i) for i in range(roots)], batch_size=2000)
        children = []
        for j in range(n_tasks - roots):
            parent = tasks[j % roots]
            children.append(make(roots + j, parent=parent, position=j // roots + 1))
        tasks += Task.objects.bulk_create(children, batch_size=2000)
        Through = Task.co_units.through
        links = []
        for t in tasks:
            for unit in rnd.sample(units, rnd.randint(1, 2)):
                if unit.pk != t.lead_unit_id:
                    links.append(Through(task_id=t.pk, unit_id=unit.pk))
        Through.objects.bulk_create(links, batch_size=5000)
        batch = []
        for t in tasks:
            for k in range(per_task):
                month = (today.replace(day=1) - dt.timedelta(days=31 * (per_task - k))).replace(day=1)
                submitted = month.replace(day=rnd.choice([20, 24, 25, 27]))
                batch.append(ProgressReport(
                    task_id=t.pk, unit_id=t.lead_unit_id, period_key=f"{month.year}-{month.month:02d}",
                    period_label=f"{month.year}年{month.month}月", percent=min(100, 10 * (k + 1)),
                    progress="本期按计划推进各项工作，完成既定节点。", problems="要素保障仍需加强。", next_steps="继续推进。",
                    submitted_by=liaison_of.get(t.lead_unit_id, fallback),
                    submitted_at=timezone.make_aware(dt.datetime.combine(submitted, dt.time(10))), submitted_on=submitted,
                    late=submitted.day > 25,
                ))
            if len(batch) >= 20000:
                ProgressReport.objects.bulk_create(batch)
                batch = []
        ProgressReport.objects.bulk_create(batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"generated {len(tasks)} tasks, {ProgressReport.objects.count()} reports in {time.perf_counter() - started:.1f} s")


def paired_ms(page, bare, repeat: int) -> tuple[float, float, float, float, float]:
    """The page and its bare SQL measured in turns, so both meet the same load: median wall and
    CPU of the page, median wall of the SQL, then the fastest of each (the figure least disturbed
    by other processes on a shared machine)."""
    page(), bare()
    walls, cpus, sqls = [], [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        page()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
        t0 = time.perf_counter()
        bare()
        sqls.append((time.perf_counter() - t0) * 1000)
    return statistics.median(walls), statistics.median(cpus), statistics.median(sqls), min(walls), min(sqls)


def median_ms(fn, repeat: int) -> float:
    return timed_ms(fn, repeat)[0]


def timed_ms(fn, repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``fn``: on a shared machine the wall clock mostly
    measures the other processes, the CPU clock only this one (the database's time is not in it)."""
    fn()  # warm-up: connection, caches, template loading
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(walls), statistics.median(cpus)


# The least SQL that fetches what the board's first page shows (supervisor, no filter): the total,
# the fifty rows with exactly the columns shown (number, title, lead unit, leader, deadline,
# progress, status, health and its reasons), their co-units, and the filter's option lists (units,
# leaders, source documents). The page's frame (session, user, unit, unread count) is not in it.
BOARD_SQL = """
SELECT t.id, t.title, t.code, t.number, t.health, t.health_reasons, t.status, t.deadline, t.expected_percent,
       t.progress_percent, u.name, u.short_name, l.name, l.username
FROM tasks_task t
LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id
LEFT JOIN orgs_user l ON l.id = t.lead_leader_id
ORDER BY t.health_rank, t.deadline ASC NULLS LAST, t.id
LIMIT 50
"""
BOARD_OPTIONS_SQL = (
    "SELECT id, name FROM orgs_unit WHERE active ORDER BY sort_order, id",
    "SELECT id, name, username FROM orgs_user WHERE role = 'leader' AND is_active ORDER BY sort_order, id",
    "SELECT id, title FROM directives_directive ORDER BY issued_on DESC, id DESC LIMIT 200",
)


def bare_board(cur) -> None:
    for sql in BOARD_OPTIONS_SQL:
        cur.execute(sql)
        cur.fetchall()
    cur.execute("SELECT count(*) FROM tasks_task")
    cur.fetchall()
    cur.execute(BOARD_SQL)
    ids = [row[0] for row in cur.fetchall()]
    cur.execute(
        "SELECT c.task_id, u.name, u.short_name FROM tasks_task_co_units c JOIN orgs_unit u ON u.id = c.unit_id "
        "WHERE c.task_id = ANY(%s) ORDER BY u.sort_order, u.name, u.id",
        [ids],
    )
    cur.fetchall()


def bare_task(cur, pk: int) -> None:
    cur.execute(
        "SELECT t.*, u.*, l.*, d.id, d.title FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
        "LEFT JOIN orgs_user l ON l.id = t.lead_leader_id LEFT JOIN directives_directive d ON d.id = t.directive_id WHERE t.id = %s",
        [pk],
    )
    cur.fetchall()
    for sql in (
        "SELECT u.* FROM tasks_task_co_units c JOIN orgs_unit u ON u.id = c.unit_id WHERE c.task_id = %s",
        "SELECT r.*, u.*, s.* FROM tasks_progressreport r JOIN orgs_unit u ON u.id = r.unit_id JOIN orgs_user s ON s.id = r.submitted_by_id "
        "WHERE r.task_id = %s ORDER BY r.submitted_at DESC",
        "SELECT a.* FROM tasks_attachment a WHERE a.task_id = %s",
        "SELECT tr.*, u.* FROM tasks_tasktransition tr LEFT JOIN orgs_user u ON u.id = tr.actor_id WHERE tr.task_id = %s",
        "SELECT * FROM tasks_milestone WHERE task_id = %s",
        "SELECT i.* FROM tasks_instruction i WHERE i.task_id = %s",
        "SELECT e.* FROM tasks_extensionrequest e WHERE e.task_id = %s",
        "SELECT * FROM tasks_task WHERE parent_id = %s",
    ):
        cur.execute(sql, [pk])
        cur.fetchall()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--reports-per-task", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--reset", action="store_true", help="drop the generated tasks and generate them again")
    ap.add_argument("--board-only", action="store_true", help="measure only the supervisor's board beside its bare SQL")
    args = ap.parse_args(argv)
    setup()
    generate(args.tasks, args.reports_per_task, args.seed, args.reset)

    from django.db import connection
    from django.test import Client

    from luoshi.orgs.models import User
    from luoshi.tasks.models import ProgressReport, Task

    client = Client()
    client.force_login(User.objects.get(username="duchayuan"))
    task = Task.objects.filter(parent__isnull=False, status="in_progress").order_by("pk").first()
    n_tasks, n_reports = Task.objects.count(), ProgressReport.objects.count()
    print(f"PostgreSQL {connection.pg_version // 10000}, {n_tasks} tasks, {n_reports} reports, median of {args.repeat}")

    rows = []
    pages = [
        ("督办台账 board, first page (50 rows)", "/tasks/board/", lambda cur: bare_board(cur)),
        (f"task page (task {task.pk}, {task.reports.count()} reports)", f"/tasks/{task.pk}/", lambda cur: bare_task(cur, task.pk)),
    ]
    for label, url, bare in pages[:1] if args.board_only else pages:
        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        count = []
        with connection.execute_wrapper(lambda execute, *a: count.append(1) or execute(*a)):
            page()
        with connection.cursor() as cur:
            rows.append((label, *paired_ms(page, lambda: bare(cur), args.repeat), len(count)))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':<42} {'page ms':>9} {'CPU ms':>8} {'bare SQL ms':>12} {'ratio':>7} {'min page':>9} {'min SQL':>8} {'ratio':>6} {'queries':>8}")
    for label, page_ms, page_cpu, sql_ms, page_min, sql_min, count in rows:
        print(
            f"{label:<42} {page_ms:>9.1f} {page_cpu:>8.1f} {sql_ms:>12.2f} {page_ms / sql_ms:>7.1f} "
            f"{page_min:>9.1f} {sql_min:>8.2f} {page_min / sql_min:>6.1f} {count:>8}"
        )

    if args.board_only:
        return 0
    # Every other page a person opens first, at the same size: the target is 200 ms each.
    print(f"\n{'other pages (user)':<52} {'page ms':>9} {'CPU ms':>8} {'queries':>8}")
    for username, url in (
        ("duchayuan", "/"), ("fgw", "/"), ("shuji", "/"), ("duchayuan", "/tasks/"), ("fgw", "/tasks/board/"),
        ("duchayuan", "/supervision/"), ("duchayuan", "/reports/"), ("shuji", "/reports/"), ("fgw", "/reports/"),
        ("duchayuan", "/directives/"), ("duchayuan", "/supervision/scoreboard/"),
    ):
        other = Client()
        other.force_login(User.objects.get(username=username))

        def page():
            response = other.get(url)
            assert response.status_code == 200, (url, response.status_code)

        count = []
        with connection.execute_wrapper(lambda execute, *a: count.append(1) or execute(*a)):
            page()
        page_ms, page_cpu = timed_ms(page, args.repeat)
        print(f"{url + ' (' + username + ')':<52} {page_ms:>9.1f} {page_cpu:>8.1f} {len(count):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
