"""The stored form of a period's scores reads back equal to what score_all computed."""

from __future__ import annotations

import marshal
import random
import zlib

from luoshi.indicators import scorestore
from luoshi.indicators.scoring import IndicatorSpec, Observation, score_all


def _random_results(seed: int):
    rnd = random.Random(seed)
    specs = [IndicatorSpec(f"I{j}", f"指标{j}", rnd.choice(["higher", "lower"]), weight=rnd.choice([0.0, 0.5, 1.0, 2.0]),
                           frontier=rnd.choice([None, None, 100.0 if j % 2 else None]))
             for j in range(6)]
    obs = []
    for p in ("2025", "2026H1", "2026H2"):
        for s in specs:
            published = rnd.random() < 0.2
            for e in range(9):
                if rnd.random() < 0.1:
                    continue
                if published:
                    obs.append(Observation(f"城{e}", s.code, p, None, score=round(rnd.uniform(0, 100), 1)))
                else:
                    obs.append(Observation(f"城{e}", s.code, p, float(rnd.randint(0, 5)) if rnd.random() < 0.9 else None))
    return specs, score_all(obs, specs, tier_size=rnd.randint(1, 4))


def test_it_reads_back_equal_results_on_random_data():
    for seed in range(20):
        specs, results = _random_results(seed)
        by_code = {s.code: s for s in specs}
        for pr in results.values():
            back = scorestore.decode(scorestore.encode(pr), by_code)
            assert back == pr
            assert back.cell(pr.entities[0].entity, specs[0].code) == pr.cell(pr.entities[0].entity, specs[0].code)


def test_it_treats_another_format_as_absent():
    specs, results = _random_results(1)
    pr = next(iter(results.values()))
    payload = list(marshal.loads(zlib.decompress(scorestore.encode(pr))))
    payload[0] = scorestore.FORMAT + 1
    assert scorestore.decode(zlib.compress(marshal.dumps(tuple(payload))), {s.code: s for s in specs}) is None


def test_it_decodes_an_entitys_cells_only_when_they_are_read():
    specs, results = _random_results(3)
    pr = next(iter(results.values()))
    back = scorestore.decode(scorestore.encode(pr), {s.code: s for s in specs})
    first, second = back.entities[0], back.entities[1]
    assert first.indicators._cells is None
    assert first.indicators[specs[0].code] == pr.entities[0].indicators[specs[0].code]
    assert first.indicators._cells is not None and second.indicators._cells is None
    assert dict(second.indicators) == pr.entities[1].indicators and len(second.indicators) == len(specs)
