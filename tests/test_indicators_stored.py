"""Scores are stored once per change and the pages read them: after every kind of change the stored
results equal a fresh score_all of the data, and no page scores anything."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from luoshi.api.services import token_create
from luoshi.indicators import scoring, services
from luoshi.indicators.evaluation import PRESENTATION_FORMAT, evaluate, present
from luoshi.indicators.models import Entity, Indicator, Observation, Period, StoredPresentation, StoredScores

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


# --- the stored presentation ---------------------------------------------------------------------


def assert_presented(s) -> None:
    """Every period's stored presentation answers, in both languages, as an Evaluation of the stored
    scores derives it (and those equal a fresh scoring: the tests above)."""
    s.refresh_from_db()
    ev = evaluate(s)
    assert StoredPresentation.objects.filter(indicator_set=s).count() == len(ev.periods)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for p in ev.period_keys:
                page = present(s, "overview", period=p)
                assert page.period_or_latest(p) == p and page.entity_count(p) == ev.entity_count(p)
                assert page.ranking(p) == ev.ranking(p) and page.our_row(p) == ev.our_row(p)
                for ind in ev.indicators:
                    assert page.our_cell(ind.code, p) == ev.our_cell(ind.code, p)
                    assert page.prev_rank(ind.code, p) == ev.prev_rank(ind.code, p)
                    assert page.gap(ind, p) == ev.gap(ind, p)
                assert page.flags(p) == ev.flags(p)
                assert present(s, "table", period=p).flags(p) == ev.flags(p)
            whole = present(s, "trend_indicator")
            for code in [None, *(i.code for i in ev.indicators)]:
                assert whole.rank_series(code) == ev.rank_series(code) and whole.score_series(code) == ev.score_series(code)
            assert present(s, "heatmap").rank_series(ev.indicators[0].code) == ev.rank_series(ev.indicators[0].code)
            assert present(s, "overview").period_or_latest(None) == ev.latest


@pytest.fixture
def pset(rset, supervisor):
    """The random set with 本市 (without it there are no gaps and flags to present)."""
    services.set_update(actor=supervisor, indicator_set=rset, us=Entity.objects.get(indicator_set=rset, name="城1"))
    return rset


def test_it_presents_the_scores_of_an_import_and_their_gaps_and_flags_in_both_languages(pset):
    assert_presented(pset)
    page = present(pset, "overview")
    p = page.period_or_latest(None)
    assert page.flags(p) and any(page.gap(i, p) for i in page.indicators)
    with translation.override("en"):
        english = [f.reason for f in present(pset, "overview").flags(p)]
    with translation.override("zh-hans"):
        chinese = [f.reason for f in present(pset, "overview").flags(p)]
    assert english != chinese and all("排名" not in r for r in english)


def test_it_presents_again_after_imports_through_the_page_the_api_and_a_job(pset, supervisor, login, settings,
                                                                             django_capture_on_commit_callbacks):
    before = present(pset, "trend").rank_series(None)
    data = random_csv(random.Random(9), cities=CITIES[:4] + ["新城"], periods=("2026", "2027"))
    client = login(supervisor)
    response = client.post(f"/indicators/{pset.pk}/import/", {"file": SimpleUploadedFile("b.csv", data), "layout": "auto"}, secure=True)
    assert response.status_code == 200
    assert_presented(pset)
    assert len(present(pset, "trend").rank_series(None)) == len(before) + 1
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=supervisor, name='t')[1]}"}
    data = random_csv(random.Random(10), periods=("2027",))
    response = client.post(f"/api/indicators/sets/{pset.pk}/import", {"file": SimpleUploadedFile("c.csv", data)}, secure=True, **auth)
    assert response.status_code == 200 and response.json()["ok"]
    assert_presented(pset)
    settings.IMPORT_JOB_ROWS = 2  # a large import runs as a job
    data = random_csv(random.Random(12), periods=("2028",))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/indicators/sets/{pset.pk}/import", {"file": SimpleUploadedFile("d.csv", data)}, secure=True, **auth)
    assert response.status_code == 202
    assert_presented(pset)
    assert "2028" in present(pset, "heatmap").period_keys


def test_it_presents_again_after_each_edit_of_what_the_pages_derive(pset, supervisor):
    ind = Indicator.objects.filter(indicator_set=pset).first()
    changes = [
        lambda: services.indicator_update(actor=supervisor, indicator=ind, target_rank=1),
        lambda: services.indicator_update(actor=supervisor, indicator=ind, weight=0.0),
        lambda: services.set_update(actor=supervisor, indicator_set=pset, flag_rank=2),
        lambda: services.set_update(actor=supervisor, indicator_set=pset, volatility_window=2, volatility_places=1),
        lambda: services.set_update(actor=supervisor, indicator_set=pset, tier_size=2),
        lambda: services.set_update(actor=supervisor, indicator_set=pset, us=Entity.objects.get(indicator_set=pset, name="城2")),
        lambda: services.set_update(actor=supervisor, indicator_set=pset, us=None),
    ]
    seen = [present(pset, "overview", period="2026").rows["2026"]]
    for change in changes:
        change()
        assert_presented(pset)
        seen.append(present(pset, "overview", period="2026").rows["2026"])
    assert all(a != b for a, b in zip(seen, seen[1:]))  # each change stored something new


def test_it_labels_a_renamed_indicators_flags_without_storing_again(pset, supervisor):
    page = present(pset, "overview")
    p = page.period_or_latest(None)
    code = next(f.indicator for f in page.flags(p) if f.indicator)
    ind = Indicator.objects.get(indicator_set=pset, code=code)
    with CaptureQueriesContext(connection) as q:
        services.indicator_update(actor=supervisor, indicator=ind, name="改名后")
    assert not any("indicators_storedpresentation" in x["sql"] for x in q.captured_queries)
    assert {f.label for f in present(pset, "overview").flags(p) if f.indicator == code} == {"改名后"}
    assert_presented(pset)


def test_it_presents_again_after_the_admin_changes_the_set(pset, admin_user, client):
    client.force_login(admin_user)
    ind = Indicator.objects.filter(indicator_set=pset).first()
    response = client.post(f"/admin/indicators/indicator/{ind.pk}/delete/", {"post": "yes"}, secure=True)
    assert response.status_code == 302
    assert_presented(pset)
    assert all(g is None for g in (present(pset, "table", period="2026").gap(ind, "2026"),))


def test_it_stores_the_presentation_once_for_a_set_stored_before_it(pset):
    StoredPresentation.objects.filter(indicator_set=pset).delete()
    with CaptureQueriesContext(connection) as q:
        page = present(pset, "heatmap")
    assert not any("indicators_observation" in x["sql"] for x in q.captured_queries)  # from the stored scores
    assert StoredPresentation.objects.filter(indicator_set=pset).count() == 2 and page.rank_series(None)
    StoredPresentation.objects.filter(indicator_set=pset).update(format=0)  # an older layout
    assert present(pset, "overview").period_or_latest(None) == "2026"
    assert set(StoredPresentation.objects.filter(indicator_set=pset).values_list("format", flat=True)) == {PRESENTATION_FORMAT}
    assert_presented(pset)


@pytest.mark.parametrize("page", ["", "indicators/", "heatmap/", "trend/", "trend/?indicator=指标1"])
def test_it_shows_each_page_in_as_many_queries_for_a_bigger_set(pset, supervisor, login, page):
    client = login(supervisor)
    url = f"/indicators/{pset.pk}/{page}"
    client.get(url, secure=True)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, secure=True).status_code == 200
    more = random_csv(random.Random(11), cities=[f"县{i}" for i in range(40)], codes=CODES + [f"新指标{j}" for j in range(10)],
                      periods=("2024", "2025", "2026", "2027"))
    assert services.observations_import(actor=supervisor, indicator_set=pset, data=more, filename="m.csv").ok
    client.get(url, secure=True)  # the first view writes the page's markup again (tests/test_indicator_fragments.py)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, secure=True).status_code == 200
    assert len(many) == len(few)


def test_it_presents_again_after_the_admin_reverts_the_set_to_an_earlier_version(pset, supervisor, admin_user, client):
    """The history's revert form saves the set without its inlines: what it changes (the flag
    thresholds, the tier size) is stored again all the same."""
    version = pset.history.latest().history_id
    services.set_update(actor=supervisor, indicator_set=pset, flag_rank=2, tier_size=2)
    assert_presented(pset)
    client.force_login(admin_user)
    form = {f: getattr(pset.history.get(history_id=version), f) for f in ("name", "description", "tier_size", "flag_rank",
                                                                          "volatility_window", "volatility_places")}
    response = client.post(f"/admin/indicators/indicatorset/{pset.pk}/history/{version}/", form, secure=True)
    assert response.status_code == 302
    pset.refresh_from_db()
    assert (pset.flag_rank, pset.tier_size) == (form["flag_rank"], form["tier_size"]) != (2, 2)
    assert stored(pset) == fresh(pset)
    assert_presented(pset)


def test_it_reverts_an_indicator_from_the_admin_history_with_its_scores_or_not_at_all(pset, supervisor, admin_user, client, monkeypatch):
    from luoshi.indicators import admin as indicator_admin

    indicator = pset.indicators.order_by("pk").first()
    version = indicator.history.latest().history_id
    indicator.weight = 3.0
    indicator.save()
    indicator_admin.store_scores(pset)  # as the admin's own save would
    old = indicator.history.get(history_id=version)
    form = {f: getattr(old, f) if getattr(old, f) is not None else "" for f in (
        "code", "name", "category", "direction", "measure_unit", "weight", "target_rank", "frontier", "worst", "sort_order")}
    form["indicator_set"] = pset.pk
    form["responsible_unit"] = old.responsible_unit_id or ""
    url = f"/admin/indicators/indicator/{indicator.pk}/history/{version}/"
    client.force_login(admin_user)

    def broken(_set):
        raise RuntimeError("store failed")

    monkeypatch.setattr(indicator_admin, "store_scores", broken)
    with pytest.raises(RuntimeError):
        client.post(url, form, secure=True)
    indicator.refresh_from_db()
    assert indicator.weight == 3.0, "the revert is undone with the scores it could not store"

    monkeypatch.undo()
    assert client.post(url, form, secure=True).status_code == 302
    indicator.refresh_from_db()
    assert indicator.weight == old.weight != 3.0
    assert stored(pset) == fresh(pset)
