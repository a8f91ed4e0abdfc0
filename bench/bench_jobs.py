"""Benchmark of large exports and imports run as background jobs on PostgreSQL: each job is queued
in the database (the production backend), then one worker pass (`luoshi db_worker --batch`) runs
it in this process, as a worker would.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench \\
        .venv/bin/python bench/bench_jobs.py [--tasks 20000] [--rows 20000]

Exports: the board as CSV and .xlsx and the 督办台账 (.xlsx) of every task, as the supervisor.
Import: an indicator set's observations, `--rows` lines of long-format CSV (entities × indicators ×
periods), first checked (dry run), then saved, then saved again (every value unchanged).
Printed per job: rows, the worker pass's wall time and this process's CPU time (PostgreSQL's
own CPU is not in it), the result's size, and the load average before and after.
"""

from __future__ import annotations

import argparse
import io
import os
import time

os.environ.setdefault("TASKS_BACKEND", "database")

import bench_tasks  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def work() -> tuple[float, float]:
    from django.core.management import call_command

    started, cpu = time.perf_counter(), time.process_time()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0, stdout=io.StringIO())
    return time.perf_counter() - started, time.process_time() - cpu


def report(label: str, job, wall: float, cpu: float, before: str) -> None:
    job.refresh_from_db()
    size = job.result_file.size if job.result_file else 0
    summary = job.summary or {}
    counts = f"created {summary.get('created')}, changed {summary.get('updated')}, unchanged {summary.get('unchanged')}" if summary else ""
    print(f"| {label} | {job.state} | {job.done:,} | {wall:.2f} s | {cpu:.2f} s | {size / 1e6:.1f} MB | {before} → {load()} | {counts} {job.error}")


def observations_csv(rows: int) -> bytes:
    entities = 20
    periods = 10
    indicators = max(1, rows // (entities * periods))
    lines = ["城市,指标代码,期间,数值,方向"]
    for p in range(periods):
        for i in range(indicators):
            for e in range(entities):
                lines.append(f"城市{e:02d},指标{i:03d},{2017 + p},{(e * 37 + i * 11 + p * 5) % 1000 / 10},正向")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args(argv)
    bench_tasks.setup()
    bench_tasks.generate(args.tasks, 10, args.seed, False)

    from django.conf import settings
    from django.db import transaction
    from django.http import QueryDict

    from luoshi.indicators import services as indicator_services
    from luoshi.indicators.models import IndicatorSet
    from luoshi.orgs import services as orgs_services
    from luoshi.orgs.models import User
    from luoshi.reports import jobs as export_jobs
    from luoshi.tasks.models import Task

    assert settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."), "the benchmark measures the database queue"
    supervisor = User.objects.get(username="duchayuan")
    admin = User.objects.filter(role="admin").first() or supervisor
    print(f"{Task.objects.count():,} tasks; load average {load()} (2 cores)")
    print("| job | state | rows | worker pass (wall) | CPU (this process) | file | load before → after | outcome |")
    print("|---|---|---|---|---|---|---|---|")
    for label, kind, fmt in (("board CSV", "board", "csv"), ("board .xlsx", "board", "xlsx"), ("督办台账 .xlsx", "ledger", None)):
        before = load()
        with transaction.atomic():
            job = export_jobs.export_job_start(actor=supervisor, kind=kind, query=QueryDict(""), fmt=fmt)
        wall, cpu = work()
        report(f"export {label}", job, wall, cpu, before)

    name = f"bench-jobs-{int(time.time())}"
    indicator_set = indicator_services.set_create(actor=admin, name=name)
    data = observations_csv(args.rows)
    lines = data.count(b"\n") - 1
    for label, dry_run in (("import check (dry run)", True), ("import save", False), ("import again (unchanged)", False)):
        before = load()
        with transaction.atomic():
            job = orgs_services.import_if_large(actor=admin, kind="import:observations", title=label, data=data, upload_name="bench.csv",
                                                params={"indicator_set": indicator_set.pk, "layout": "auto"}, dry_run=dry_run)
        assert job is not None, "the file is above IMPORT_JOB_ROWS"
        wall, cpu = work()
        report(f"{label}, {lines:,} lines", job, wall, cpu, before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
