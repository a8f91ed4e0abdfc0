"""Benchmark of the streamed board export (CSV and .xlsx) on PostgreSQL: how soon the first bytes
leave, how long every open task takes, and how much memory Python holds while it streams.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench \\
        .venv/bin/python bench/bench_export.py [--tasks 20000]

The CPU column is this process's CPU time (not PostgreSQL's), steadier than wall time on a busy
machine. Uses the data of bench_tasks.py (generated there on first use and kept). Each format is fetched
through the Django test client as the supervisor, the body read chunk by chunk as a browser would.
Times are taken without tracing; peak memory is tracemalloc's peak during a second download, once for the first quarter of the rows
(a filtered board) and once for all of them: flat memory means the two peaks are close.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc

import bench_tasks


def fetch(client, url: str, params: dict, trace: bool = False) -> tuple[float, float, int, int, float]:
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, params)
    first = None
    size = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return first or total, total, size, peak, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args(argv)
    # Above EXPORT_JOB_ROWS a page's export becomes a background job (bench_jobs.py measures that);
    # here the streamed response itself is measured, at every size.
    os.environ["EXPORT_JOB_ROWS"] = str(10**9)
    bench_tasks.setup()
    bench_tasks.generate(args.tasks, 10, args.seed, False)

    from django.test import Client

    from luoshi.orgs.models import User
    from luoshi.tasks.models import Task

    client = Client()
    client.force_login(User.objects.get(username="duchayuan"))
    open_tasks = Task.objects.exclude(status="closed").count()
    print(f"{open_tasks} open tasks of {Task.objects.count()}")
    print(f"{'format':<8}{'rows':>8}{'first bytes':>14}{'all rows':>11}{'CPU':>9}{'size':>10}{'peak memory':>14}")
    for fmt in ("csv", "xlsx"):
        client.get(f"/reports/export/board.{fmt}", {"health": "red"})  # warm-up
        for label, params in (("red", {"health": "red"}), ("all", {})):
            first, total, size, _, cpu = fetch(client, f"/reports/export/board.{fmt}", params)
            peak = fetch(client, f"/reports/export/board.{fmt}", params, trace=True)[3]
            print(f"{fmt:<8}{label:>8}{first * 1000:>11.0f} ms{total:>9.2f} s{cpu:>7.2f} s{size / 1e6:>8.1f} MB{peak / 1e6:>11.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
