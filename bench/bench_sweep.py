"""Benchmark of the daily sweep (`luoshi sweep`) on PostgreSQL, beside the bare SQL that fetches
the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench_sweep \\
        .venv/bin/python bench/bench_sweep.py [--tasks 20000] [--reports-per-task 10] [--repeat 3] [--reset] [--inline-delivery]

Data: bench/bench_tasks.py's generator (the demo org directory, N tasks with one or two co-units,
ten monthly reports per task by the lead unit: 200,000 for 20,000 tasks), generated once and kept.
Use a database of its own: the sweep rewrites health and creates messages.

Measured:
* first sweep of a day: supervision messages and proposals are cleared and every task's stored
  health is reset first, so every task is rewritten and every due reminder is created (the worst
  day: the first sweep after an import);
* repeat sweep the same day: the steady state (everything recomputed, nothing to write or send);
* the deliveries: as in production, the sweep queues one delivery job per 200 messages on the
  database queue; one worker (`db_worker --batch`) then sends them all (one e-mail per reminder
  through Django's dummy backend), timed on its own line. With --inline-delivery the jobs run
  inside the sweep (the immediate backend), as in the figures taken before the jobs existed;
* PostgreSQL's own CPU time for each run (the server process of the benchmark's connection, read
  from /proc when the server runs on this machine), beside the benchmark process's;
* bare SQL: the rows the sweep reads — active tasks with their lead unit, their non-superseded
  reports, milestones, closure transitions and co-units, the people and channels — fetched with
  a raw cursor. Ratio = sweep / bare SQL.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_tasks  # noqa: E402 - the shared generator

BARE = [
    "SELECT t.*, u.* FROM tasks_task t LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
    "WHERE t.status IN ('in_progress', 'closure_requested', 'returned') ORDER BY t.id",
    "SELECT r.id, r.task_id, r.unit_id, r.period_key, r.submitted_on, r.percent, r.superseded FROM tasks_progressreport r "
    "JOIN tasks_task t ON t.id = r.task_id WHERE r.superseded = false AND t.status IN ('in_progress', 'closure_requested', 'returned')",
    "SELECT m.* FROM tasks_milestone m JOIN tasks_task t ON t.id = m.task_id WHERE t.status IN ('in_progress', 'closure_requested', 'returned')",
    "SELECT tr.* FROM tasks_tasktransition tr JOIN tasks_task t ON t.id = tr.task_id "
    "WHERE tr.to_status = 'closure_requested' AND t.status IN ('in_progress', 'closure_requested', 'returned')",
    "SELECT c.task_id, u.* FROM tasks_task_co_units c JOIN orgs_unit u ON u.id = c.unit_id JOIN tasks_task t ON t.id = c.task_id "
    "WHERE t.status IN ('in_progress', 'closure_requested', 'returned')",
    "SELECT * FROM orgs_user WHERE is_active AND unit_id IS NOT NULL",
    "SELECT * FROM supervision_channel WHERE active",
    "SELECT key FROM supervision_message WHERE key IS NOT NULL",
]


def bare_sql() -> tuple[float, int]:
    from django.db import connection

    rows = 0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for sql in BARE:
            cur.execute(sql)
            rows += len(cur.fetchall())
    return time.perf_counter() - t0, rows


def reset_supervision_state() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE supervision_delivery, supervision_notification, supervision_message, "
            "supervision_escalationproposal_tasks, supervision_escalationproposal, django_tasks_database_dbtaskresult CASCADE"
        )
        cur.execute("UPDATE tasks_task SET health = 'none', health_reasons = '[]', health_since = NULL, health_checked_on = NULL")
        # Each run leaves a dead version of every task (the reset's and the sweep's own): without
        # a vacuum the table doubles with every run and each run is slower than the one before.
        # Production has autovacuum between one day's sweep and the next.
        cur.execute("VACUUM ANALYZE tasks_task")
        cur.execute("ANALYZE")


CPU: list[float] = []
SERVER_CPU: list[float | None] = []


def server_cpu() -> float | None:
    """The CPU seconds PostgreSQL has used so far, all its processes together: the live ones' own
    time, and the time of those that have ended (counted on the postmaster, their parent, once it
    has reaped them) — the sweep writes on a connection of its own, which ends with the sweep, and
    a worker opens its own. None unless the server runs on this machine and /proc lets us read it.
    Counts the server's background processes (checkpointer, autovacuum) too: run on a database no
    one else uses."""
    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                head, fields = f.read().rsplit(")", 1)
        except OSError:
            continue
        if head.split("(", 1)[1] != "postgres":
            continue
        found = True
        fields = fields.split()
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / tick if found else None


def timed(command: str, *args, **options) -> tuple[float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    s0 = server_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    call_command(command, *args, stdout=out, **options)
    # This process's CPU time as well: on a shared machine the wall time also counts other people's work.
    CPU.append(time.process_time() - c0)
    wall = time.perf_counter() - t0
    s1 = server_cpu()
    SERVER_CPU.append(None if s0 is None or s1 is None else s1 - s0)
    return wall, out.getvalue().strip()


def sweep(day: str) -> tuple[float, str]:
    return timed("sweep", "--date", day)


def drain() -> float:
    """One worker sends every queued delivery job, then stops."""
    return timed("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)[0]


def cpu_figures(server: list) -> str:
    known = [s for s in server if s is not None]
    return f"{statistics.median(known):6.2f} s" if known else "   n/a  "


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--reports-per-task", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--reset", action="store_true", help="drop the generated tasks and generate them again")
    ap.add_argument("--first-only", action="store_true", help="only the first sweep of the day and the bare SQL (no deliveries, no repeat sweep)")
    ap.add_argument("--inline-delivery", action="store_true", help="run the delivery jobs inside the sweep (immediate backend)")
    args = ap.parse_args(argv)
    os.environ.setdefault("TASKS_BACKEND", "immediate" if args.inline_delivery else "database")
    os.environ.setdefault("NOTIFY_DELIVERY", "sweep")
    # The demo liaisons have e-mail addresses: the sweep sends (claims, sends, records) one e-mail per
    # reminder through Django's dummy backend, so the cost of the delivery loop is in the figure.
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    bench_tasks.setup()
    bench_tasks.generate(args.tasks, args.reports_per_task, args.seed, args.reset)

    from django.db import connection
    from django.utils import timezone

    from luoshi.tasks.models import ProgressReport, Task

    day = timezone.localdate().isoformat()
    n_tasks, n_reports = Task.objects.count(), ProgressReport.objects.count()
    n_active = Task.objects.filter(status__in=["in_progress", "closure_requested", "returned"]).count()
    print(f"PostgreSQL {connection.pg_version // 10000}, {n_tasks} tasks ({n_active} active), {n_reports} reports, "
          f"{os.cpu_count()} CPU(s), sweep date {day}")

    firsts, repeats, drains, bares, lines = [], [], [], [], []
    first_cpu, repeat_cpu, drain_cpu, first_server, repeat_server, drain_server = [], [], [], [], [], []
    rows = 0
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        reset_supervision_state()
        seconds, said = sweep(day)
        *details, line = said.splitlines()
        firsts.append(seconds)
        first_cpu.append(CPU[-1])
        first_server.append(SERVER_CPU[-1])
        lines.append(line)
        if args.first_only:
            seconds, rows = bare_sql()
            bares.append(seconds)
            continue
        if not args.inline_delivery:
            drains.append(drain())
            drain_cpu.append(CPU[-1])
            drain_server.append(SERVER_CPU[-1])
        seconds, repeat_line = sweep(day)
        repeats.append(seconds)
        repeat_cpu.append(CPU[-1])
        repeat_server.append(SERVER_CPU[-1])
        assert repeat_line.startswith("sweep: health updated 0, reminders sent 0"), repeat_line
        seconds, rows = bare_sql()
        bares.append(seconds)
    first, bare = statistics.median(firsts), statistics.median(bares)
    print("                            wall      CPU (this process)  CPU (PostgreSQL)")
    print(f"first sweep of the day : {first:7.2f} s   {statistics.median(first_cpu):6.2f} s          {cpu_figures(first_server)}   ({lines[-1]})")
    if drains:
        from django.db import connection as c

        with c.cursor() as cur:
            cur.execute("SELECT status, count(*) FROM supervision_delivery GROUP BY status ORDER BY status")
            statuses = ", ".join(f"{status} {n}" for status, n in cur.fetchall())
        print(f"its deliveries, 1 worker: {statistics.median(drains):6.2f} s   {statistics.median(drain_cpu):6.2f} s          "
              f"{cpu_figures(drain_server)}   ({'; '.join(details)}; afterwards: {statuses})")
    if repeats:
        repeat = statistics.median(repeats)
        print(f"repeat sweep same day  : {repeat:7.2f} s   {statistics.median(repeat_cpu):6.2f} s          {cpu_figures(repeat_server)}   ({repeat_line})")
    print(f"bare SQL, same rows    : {bare:7.2f} s   ({rows} rows)")
    print(f"ratio first / bare     : {first / bare:7.1f}")
    if repeats:
        print(f"ratio repeat / bare    : {repeat / bare:7.1f}")
    print(f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} CPU(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
