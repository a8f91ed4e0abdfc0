"""Directive parser timing: the seed speech (warm-up, then the median of N runs) and a ~1 MB
concatenation of the seed and the Henan report.

    python bench/bench_parser.py [--runs N]

Reads ../shared relative to the repository root; exits 0 with a note when that folder is absent.
"""

from __future__ import annotations

import argparse
import os
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from luoshi.directives.parsing import parse, read_text, segment  # noqa: E402

SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_2050f33bd5bf388b.txt"
HENAN = SHARED / "corpus" / "henan-2026-government-work-report.txt"


def _cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--big-runs", type=int, default=3)
    args = ap.parse_args(argv)
    if not SEED.exists() or not HENAN.exists():
        print(f"skipped: shared documents not found under {SHARED}")
        return 0
    seed = read_text(SEED.read_bytes())
    henan = read_text(HENAN.read_bytes())
    issued = dt.date(2021, 12, 15)

    cold = _time(lambda: segment("预热"))  # jieba dictionary load, once per process
    first = _time(lambda: parse(seed, issued=issued))
    runs = [_time(lambda: parse(seed, issued=issued)) for _ in range(args.runs)]
    cpu = [_cpu(lambda: parse(seed, issued=issued)) for _ in range(args.runs)]
    # the action model's share: the same parse with the rules alone
    rules = [_cpu(lambda: parse(seed, issued=issued, model=None)) for _ in range(args.runs)]
    r = parse(seed, issued=issued)
    print(f"jieba load (once per process): {cold * 1000:8.1f} ms")
    print(f"seed: {len(seed):,} chars / {len(seed.encode()):,} bytes, {len(r.outline)} outline items, {len(r.tasks)} candidates")
    print(f"  first parse after jieba load: {first * 1000:8.1f} ms")
    print(f"  median of {args.runs} runs:          {statistics.median(runs) * 1000:8.1f} ms "
          f"(min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f})")
    print(f"  CPU time, median of {args.runs}:     {statistics.median(cpu) * 1000:8.1f} ms "
          f"(rules alone, without the action model: {statistics.median(rules) * 1000:.1f} ms)")
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    hr = [_time(lambda: parse(henan, issued=dt.date(2026, 1, 26))) for _ in range(5)]
    print(f"henan report: {len(henan):,} chars, median of 5 runs: {statistics.median(hr) * 1000:8.1f} ms")

    unit = seed + "\n" + henan + "\n"
    big = unit
    while len(big.encode()) < 1_000_000:
        big += unit
    half = big[: len(big) // 2]
    t_half = statistics.median(_time(lambda: parse(half, issued=issued)) for _ in range(args.big_runs))
    t_big = statistics.median(_time(lambda: parse(big, issued=issued)) for _ in range(args.big_runs))
    rb = parse(big, issued=issued)
    print(f"concatenation: {len(big):,} chars / {len(big.encode()):,} bytes (seed + corpus repeated), "
          f"{len(rb.outline)} outline items, {len(rb.tasks)} candidates")
    print(f"  median of {args.big_runs} runs: {t_big * 1000:8.1f} ms  ({len(big.encode()) / t_big / 1e6:.2f} MB/s)")
    print(f"  half the size:   {t_half * 1000:8.1f} ms  (ratio full/half {t_big / t_half:.2f}; 2.0 = linear)")
    seed_ms = statistics.median(runs) * 1000
    rate = len(big.encode()) / t_big / 1e6
    print(f"targets: seed < 100 ms ({'met' if seed_ms < 100 else 'NOT met'}), "
          f">= 0.5 MB/s ({'met' if rate >= 0.5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
