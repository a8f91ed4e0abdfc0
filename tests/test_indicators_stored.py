"""Scores are stored once per change and the pages read them: after every kind of change the stored
results equal a fresh score_all of the data, and no page scores anything."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.api.services import token_create
from luoshi.indicators import scoring, services
from luoshi.indicators.evaluation import evaluate
from luoshi.indicators.models import Entity, Indicator, Observation, Period, StoredScores

CITIES = [f"城{i}" for i in range(8)]
CODES = [f"指标{j}" for j in range(5)]


def random_csv(rnd: random.Random, cities=CITIES, codes=CODES, periods=("2025", "2026")) -> bytes:
    lines = ["城市,指标,期间,值,方向"]
    for p in periods:
        for c in cities:
            for j, code in enumerate(codes):
                if rnd.random() < 0.1:
                    continue
                lines.append(f"{c},{code},{p},{rnd.randint(0, 6)},{'正向' if j % 2 else '逆向'}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def fresh(s) -> dict[str, scoring.PeriodResult]:
    """score_all over the set as the database holds it now, read independently of evaluation.py."""
    s.refresh_from_db()
    specs = [i.spec() for i in Indicator.objects.filter(indicator_set=s)]
    obs = [scoring.Observation(*row) for row in Observation.objects.filter(indicator_set=s).values_list(
        "entity__name", "indicator__code", "period__key", "value", "published_score", "published_rank")]
    periods = list(Period.objects.filter(indicator_set=s).values_list("key", flat=True))
    return scoring.score_all(obs, specs, tier_size=s.tier_size, periods=periods)


def stored(s) -> dict[str, scoring.PeriodResult]:
    """What evaluate reads, asserting it reads it rather than scoring."""
    s.refresh_from_db()
    with CaptureQueriesContext(connection) as q:
        results = evaluate(s).results
    assert not any("indicators_observation" in x["sql"] for x in q.captured_queries)
    return results


@pytest.fixture
def rset(supervisor):
    s = services.set_create(actor=supervisor, name="随机评价", tier_size=3)
    out = services.observations_import(actor=supervisor, indicator_set=s, data=random_csv(random.Random(7)), filename="a.csv")
    assert out.ok, out.errors
    return s


def test_it_stores_the_scores_of_an_import(rset):
    assert StoredScores.objects.filter(indicator_set=rset).count() == 2
    assert stored(rset) == fresh(rset)


def test_it_stores_again_after_an_edited_value_a_new_entity_and_a_new_period(rset, supervisor):
    before = stored(rset)
    rnd = random.Random(8)
    data = random_csv(rnd, cities=CITIES[:3] + ["新城"], periods=("2026", "2027"))
    out = services.observations_import(actor=supervisor, indicator_set=rset, data=data, filename="b.csv")
    assert out.ok and out.changed and out.new_entities == ["新城"] and out.new_periods == ["2027"]
    after = stored(rset)
    assert after == fresh(rset) and after != before and list(after) == ["2025", "2026", "2027"]


def test_it_stores_again_after_one_value_is_edited(rset, supervisor):
    cell = Observation.objects.filter(indicator_set=rset, period__key="2026").select_related("entity", "indicator").first()
    data = f"城市,指标,期间,值\n{cell.entity.name},{cell.indicator.code},2026,{(cell.value or 0) + 50}\n".encode()
    assert services.observations_import(actor=supervisor, indicator_set=rset, data=data, filename="c.csv").changed
    assert stored(rset) == fresh(rset)
    assert stored(rset)["2026"].cell(cell.entity.name, cell.indicator.code).value == (cell.value or 0) + 50


def test_it_stores_again_after_a_weight_direction_or_tier_size_change(rset, supervisor):
    ind = Indicator.objects.filter(indicator_set=rset).first()
    before = stored(rset)
    services.indicator_update(actor=supervisor, indicator=ind, weight=0.0)
    assert stored(rset) == fresh(rset) != before
    services.indicator_update(actor=supervisor, indicator=ind, direction="higher" if ind.direction == "lower" else "lower")
    assert stored(rset) == fresh(rset)
    services.set_update(actor=supervisor, indicator_set=rset, tier_size=1)
    assert stored(rset) == fresh(rset)
    assert all(e.tier == e.rank for e in stored(rset)["2026"].entities)


def test_it_stores_again_after_an_indicator_is_deleted_in_the_admin(rset, admin_user, client):
    client.force_login(admin_user)
    ind = Indicator.objects.filter(indicator_set=rset).first()
    response = client.post(f"/admin/indicators/indicator/{ind.pk}/delete/", {"post": "yes"}, secure=True)
    assert response.status_code == 302 and not Indicator.objects.filter(pk=ind.pk).exists()
    after = stored(rset)
    assert after == fresh(rset) and ind.code not in after["2026"].bounds


def test_it_scores_and_stores_once_a_set_that_has_no_stored_scores(rset):
    StoredScores.objects.filter(indicator_set=rset).delete()
    assert evaluate(rset).results == fresh(rset)
    assert StoredScores.objects.filter(indicator_set=rset).count() == 2
    assert stored(rset) == fresh(rset)


def test_it_serves_every_indicator_page_and_api_call_without_scoring(rset, supervisor, login, monkeypatch):
    ind = Indicator.objects.filter(indicator_set=rset).first()
    Entity.objects.filter(indicator_set=rset, name="城0").update(is_us=True)

    def refuse(*args, **kwargs):
        raise AssertionError("a page scored the set instead of reading the stored scores")

    monkeypatch.setattr(scoring, "score_all", refuse)
    client = login(supervisor)
    for url in (f"/indicators/{rset.pk}/", f"/indicators/{rset.pk}/indicators/", f"/indicators/{rset.pk}/heatmap/",
                f"/indicators/{rset.pk}/trend/?indicator={ind.code}", f"/indicators/indicator/{ind.pk}/",
                f"/indicators/{rset.pk}/export.xlsx"):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url, secure=True).status_code == 200, url
        assert not any("indicators_observation" in x["sql"] for x in q.captured_queries), url
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=supervisor, name='t')[1]}"}
    for url in (f"/api/indicators/sets/{rset.pk}/results", f"/api/indicators/sets/{rset.pk}/flags",
                f"/api/indicators/indicators/{ind.pk}/gap"):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url, secure=True, **auth).status_code == 200, url
        assert not any("indicators_observation" in x["sql"] for x in q.captured_queries), url


def test_it_scores_nothing_again_when_an_edit_leaves_the_scored_fields_as_they_were(rset, supervisor):
    ind = Indicator.objects.filter(indicator_set=rset).first()
    with CaptureQueriesContext(connection) as q:
        services.indicator_update(actor=supervisor, indicator=ind, name="新名称", weight=ind.weight, direction=ind.direction)
        services.set_update(actor=supervisor, indicator_set=rset, description="说明", tier_size=rset.tier_size)
    assert not any("indicators_storedscores" in x["sql"] for x in q.captured_queries)


def test_it_keeps_the_import_records_in_the_admin(rset, admin_user, client):
    client.force_login(admin_user)
    assert client.get("/admin/indicators/observationimport/", secure=True).status_code == 200
