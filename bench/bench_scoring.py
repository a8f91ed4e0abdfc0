"""Benchmark of luoshi.indicators.scoring.score_all (pure Python, single process).

    PYTHONPATH=src python bench/bench_scoring.py [--repeat 3] [--seed 20211215]

With ``--db`` it also times the database path the pages use: a 300 × 100 × 20 set is loaded into
the database named by DATABASE_URL (once; reused on later runs), its scores are stored
(``store_scores``: one query for all observations + score_all + writing the stored results, what
every import does), then ``luoshi.indicators.evaluation.evaluate`` (reading the stored results
back) and the set's pages are timed::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_indicators_bench \
        .venv/bin/python bench/bench_scoring.py --db

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


DB_CASE = ("数据库：县级规模", 300, 100, 20)


def db_set(seed: int = 20211215):
    """The county-scale set in the database named by DATABASE_URL (Django set up, migrated),
    loaded on first use and kept; returned with its scores stored."""
    from luoshi.indicators import models as m
    from luoshi.indicators.evaluation import store_presentation, store_scores

    _label, n_ent, n_ind, n_per = DB_CASE
    name = f"bench-{n_ent}x{n_ind}x{n_per}-seed{seed}"
    s = m.IndicatorSet.objects.filter(name=name).first()
    if s is None:
        t0 = time.perf_counter()
        specs, obs = make_data(random.Random(seed), n_ent, n_ind, n_per)
        s = m.IndicatorSet.objects.create(name=name, description="benchmark data")
        inds = m.Indicator.objects.bulk_create([
            m.Indicator(indicator_set=s, code=sp.code, name=sp.name, direction=sp.direction, weight=sp.weight, sort_order=j)
            for j, sp in enumerate(specs)])
        ents = m.Entity.objects.bulk_create([
            m.Entity(indicator_set=s, name=f"城市{i:03d}", is_us=i == 0, sort_order=i) for i in range(n_ent)])
        pers = m.Period.objects.bulk_create([
            m.Period(indicator_set=s, key=p, label=p, order=j)
            for j, p in enumerate(dict.fromkeys(o.period for o in obs))])
        ind, ent, per = ({x.code: x.pk for x in inds}, {x.name: x.pk for x in ents}, {x.key: x.pk for x in pers})
        batch = []
        for o in obs:
            batch.append(m.Observation(indicator_set_id=s.pk, entity_id=ent[o.entity], indicator_id=ind[o.indicator],
                                       period_id=per[o.period], value=o.value))
            if len(batch) == 20000:
                m.Observation.objects.bulk_create(batch)
                batch = []
        m.Observation.objects.bulk_create(batch)
        print(f"  loaded {len(obs):,} observations in {time.perf_counter() - t0:.1f} s (one-off)")
    if not m.StoredScores.objects.filter(indicator_set=s).exists():
        store_scores(s)
    elif not m.StoredPresentation.objects.filter(indicator_set=s).exists():
        # Data stored before the presentation was: what the first page would do.
        store_presentation(s)
    return s


def bench_db(args) -> bool:
    """Load the big case into the database (if not there yet) and time evaluate() and the pages."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from luoshi.indicators import models as m
    from luoshi.indicators.evaluation import evaluate, page_window, store_scores
    from luoshi.orgs.models import User

    label, n_ent, n_ind, n_per = DB_CASE
    call_command("migrate", interactive=False, verbosity=0)
    s = db_set(args.seed)
    vendor = connection.vendor
    n_obs = m.Observation.objects.filter(indicator_set=s).count()

    cpu = {}

    def best_of(fn, name=None):
        # Wall time, and this process's CPU time (less sensitive to other load on a shared machine;
        # it leaves out the database server's own work).
        best = best_cpu = float("inf")
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        cpu[name] = best_cpu
        return best

    t_store = best_of(lambda: store_scores(s), "store")
    t_full = best_of(lambda: evaluate(s), "full")
    t_window = best_of(lambda: evaluate(s, window=page_window(s)), "window")
    with CaptureQueriesContext(connection) as q:
        ev = evaluate(s)
    n_queries = len(q.captured_queries)
    user = User.objects.filter(username="bench-supervisor").first() or User.objects.create_user(
        username="bench-supervisor", password=None, role="supervisor")
    client = Client()
    client.force_login(user)
    pages = {}
    for page in ("", "indicators/", "heatmap/", "trend/"):
        url = f"/indicators/{s.pk}/{page}"

        def get():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        pages[url] = best_of(get, url)
    ok = t_store < 5.0
    print(f"{label} ({vendor}): {n_ent} entities × {n_ind} indicators × {n_per} periods = {n_obs:,} observations")
    print(f"  store_scores, all {len(ev.results)} periods (read + score_all + store; once per import): {t_store:.3f} s wall, "
          f"{cpu['store']:.3f} s CPU (target < 5 s: {'OK' if ok else 'TOO SLOW'})")
    print(f"  evaluate, all {len(ev.results)} periods (read the stored scores): {t_full:.3f} s wall, {cpu['full']:.3f} s CPU, "
          f"in {n_queries} queries")
    print(f"  evaluate, window of {page_window(s)} periods (what a one-period page reads): {t_window:.3f} s wall, "
          f"{cpu['window']:.3f} s CPU")
    for url, t in pages.items():
        print(f"  GET {url}: {t:.3f} s wall, {cpu[url]:.3f} s CPU")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"  note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s) during the run; figures are inflated")
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20211215)
    ap.add_argument("--db", action="store_true", help="also time the database path (DATABASE_URL)")
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
    if args.db:
        failed |= not bench_db(args)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
