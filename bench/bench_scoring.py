"""Benchmark of luoshi.indicators.scoring.score_all (pure Python, single process).

    PYTHONPATH=src python bench/bench_scoring.py [--repeat 3] [--seed 20211215]

Data are deterministic (random.Random(seed)): values uniform with ~5 % missing and some ties
(values rounded to 1 decimal), directions and weights random. Reports the best of ``--repeat``
runs of ``score_all`` (building the Observation objects is timed separately, it is not scoring),
plus the targets: 18×21×40 < 1 s, 300×100×20 < 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

from luoshi.indicators.scoring import IndicatorSpec, Observation, compute_flags, score_all  # noqa: E402

CASES = [
    ("省级营商环境评价规模", 18, 21, 40, 1.0),
    ("大规模", 300, 100, 20, 5.0),
]


def make_data(rnd: random.Random, n_ent: int, n_ind: int, n_per: int):
    specs = [
        IndicatorSpec(f"I{j:03d}", f"指标{j}", rnd.choice(["higher", "lower"]), weight=rnd.choice([0.5, 1.0, 1.0, 2.0]))
        for j in range(n_ind)
    ]
    periods = [f"{2000 + p // 4}Q{p % 4 + 1}" for p in range(n_per)]
    entities = [f"城市{i:03d}" for i in range(n_ent)]
    obs = []
    for p in periods:
        for s in specs:
            for e in entities:
                v = None if rnd.random() < 0.05 else round(rnd.uniform(0, 100), 1)
                obs.append(Observation(e, s.code, p, v))
    return specs, obs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20211215)
    args = ap.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), best of {args.repeat}")
    failed = False
    for label, n_ent, n_ind, n_per, budget in CASES:
        rnd = random.Random(args.seed)
        t0 = time.perf_counter()
        specs, obs = make_data(rnd, n_ent, n_ind, n_per)
        t_build = time.perf_counter() - t0
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            res = score_all(obs, specs)
            best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        last = list(res)[-1]
        for e in res[last].entities:
            compute_flags(res, e.entity)
        t_flags = time.perf_counter() - t0
        ok = best < budget
        failed |= not ok
        print(f"{label}: {n_ent} entities × {n_ind} indicators × {n_per} periods = {len(obs):,} observations")
        print(f"  score_all: {best:.3f} s (target < {budget:.0f} s: {'OK' if ok else 'TOO SLOW'}); "
              f"building observations: {t_build:.3f} s; flags for all {n_ent} entities (last period): {t_flags:.3f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
