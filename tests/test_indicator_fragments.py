"""The set pages' stored markup (luoshi.indicators.fragments): served byte for byte as the page is
written afresh, for every reader and language; never stale after an import, a rescore or an edit
of what it was written from; read in the pages' own queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from luoshi.core.errors import LuoshiError
from luoshi.indicators import demo as indicators_demo
from luoshi.indicators import fragments, services
from luoshi.indicators.models import Indicator, IndicatorSet, IndicatorTask, StoredMarkup
from luoshi.orgs import demo as orgs_demo
from luoshi.orgs.models import Unit, User

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')
LANGUAGES = ("zh-hans", "en")


def get(client, url, language) -> tuple[str, int]:
    """The page's markup with the CSRF tokens blanked (they differ on every request), and the
    number of queries it made."""
    seen = []

    def count(execute, sql, *rest):
        seen.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        response = client.get(url, secure=True, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return CSRF.sub(r'\1"', response.content.decode()), len(seen)


def afresh(client, url, language, monkeypatch) -> tuple[str, int]:
    """The page written the old way: nothing stored or read."""
    with monkeypatch.context() as m:
        m.setattr(fragments, "ENABLED", False)
        return get(client, url, language)


@pytest.fixture
def demo(db, settings):
    """The demo's directory and indicator set: the set pages read nothing of the other apps' demo
    data, and loading all of it took most of these tests' time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    orgs_demo.load()
    indicators_demo.load()
    return IndicatorSet.objects.get()


def readers(s) -> list[User]:
    """Everyone in the demo who may open the set's pages, one of each kind: the admin, a
    supervisor, a leader (all read every indicator, only the first two may make tasks) and the
    liaisons of two units answering for indicators (each reads only theirs), and one answering for none."""
    people = [User.objects.filter(role=role, is_active=True).order_by("pk").first() for role in ("admin", "supervisor", "leader")]
    responsible = list(Indicator.objects.filter(indicator_set=s).exclude(responsible_unit=None)
                       .values_list("responsible_unit_id", flat=True).distinct().order_by("responsible_unit_id"))
    liaisons = [User.objects.filter(role="liaison", unit_id=u, is_active=True).order_by("pk").first() for u in responsible]
    liaisons = [u for u in liaisons if u][:2]
    assert len(liaisons) == 2
    people += liaisons
    people.append(User.objects.filter(role="liaison", is_active=True).exclude(unit_id__in=responsible).order_by("pk").first())
    assert all(people)
    return people


def urls(s) -> list[str]:
    first = s.periods.order_by("order", "pk").first().key
    code = Indicator.objects.filter(indicator_set=s).order_by("sort_order", "pk").first().code
    base = f"/indicators/{s.pk}/"
    return [base, f"{base}?period={first}&sort=-composite", base + "indicators/", f"{base}indicators/?sort=-rank",
            base + "heatmap/", f"{base}heatmap/?period={first}", base + "trend/", f"{base}trend/?indicator={code}&period={first}"]


def test_it_serves_the_stored_markup_as_the_page_was_written_for_every_reader_and_language(demo, client, monkeypatch):
    s = demo
    people = readers(s)
    # A task opened from an indicator: the table's last column shows it (written per request).
    for indicator in Indicator.objects.filter(indicator_set=s).exclude(responsible_unit=None).order_by("sort_order"):
        if IndicatorTask.objects.filter(indicator__indicator_set=s).exists():
            break
        try:
            services.indicator_task_create(actor=people[1], indicator=indicator)
        except LuoshiError:
            continue  # not weak: no task to make of it
    assert IndicatorTask.objects.filter(indicator__indicator_set=s).exists()
    for url in urls(s):
        for language in LANGUAGES:
            # The supervisor first: a reader who sees fewer indicators must not be served theirs.
            for user in people:
                client.force_login(user)
                old, old_queries = afresh(client, url, language, monkeypatch)
                stored_before = StoredMarkup.objects.count()
                first, _ = get(client, url, language)
                served, queries = get(client, url, language)
                assert first == old, (url, language, user.username)
                assert served == old, (url, language, user.username)
                assert queries == old_queries, (url, language, user.username)
                assert StoredMarkup.objects.count() >= stored_before
    # Admin and supervisor read the same markup, the leader one without the buttons to manage the
    # set; each liaison their own.
    assert StoredMarkup.objects.count() == len(urls(s)) * len(LANGUAGES) * (2 + 3)


def test_it_shows_the_figures_of_an_import_rescore_or_edit_and_never_the_stored_ones(demo, client, monkeypatch):
    s = demo
    supervisor = User.objects.filter(role="supervisor").order_by("pk").first()
    client.force_login(supervisor)
    page = f"/indicators/{s.pk}/indicators/"
    heat = f"/indicators/{s.pk}/heatmap/"
    before, _ = get(client, page, "zh-hans")
    get(client, heat, "zh-hans")
    assert StoredMarkup.objects.count() == 2

    # A re-import that changes our values: every rank and value of the latest period moves.
    period = s.periods.order_by("-order", "-pk").first()
    us = s.entities.get(is_us=True)
    lines = ["城市,指标,期间,值"] + [f"{us.name},{i.code},{period.key},{99999 if i.direction == 'higher' else 0}"
                                   for i in Indicator.objects.filter(indicator_set=s)]
    out = services.observations_import(actor=supervisor, indicator_set=s, data="\n".join(lines).encode(), filename="x.csv")
    assert out.ok and out.changed_count, out.errors
    assert not StoredMarkup.objects.exists()  # gone with the presentation it was written from
    after, _ = get(client, page, "zh-hans")
    assert after != before and after == afresh(client, page, "zh-hans", monkeypatch)[0]
    assert "99999" in after

    # A rescore without new data (the tier size) and an edit that stores nothing (a rename).
    services.set_update(actor=supervisor, indicator_set=s, tier_size=s.tier_size + 1)
    rescored, _ = get(client, heat, "zh-hans")
    assert rescored == afresh(client, heat, "zh-hans", monkeypatch)[0]
    ind = Indicator.objects.filter(indicator_set=s).order_by("sort_order").first()
    services.indicator_update(actor=supervisor, indicator=ind, name="改过的名字")
    renamed, _ = get(client, heat, "zh-hans")
    assert "改过的名字" in renamed and renamed == afresh(client, heat, "zh-hans", monkeypatch)[0]
    # A unit renamed in the directory (which knows nothing of indicators).
    unit = Unit.objects.get(pk=Indicator.objects.filter(indicator_set=s).exclude(responsible_unit=None)
                            .values_list("responsible_unit_id", flat=True).first())
    Unit.objects.filter(pk=unit.pk).update(short_name="新简称")
    table, _ = get(client, page, "zh-hans")
    assert "新简称" in table and table == afresh(client, page, "zh-hans", monkeypatch)[0]


def test_it_writes_the_markup_once_and_reads_it_in_the_pages_own_queries(demo, client, monkeypatch):
    s = demo
    client.force_login(User.objects.filter(role="supervisor").order_by("pk").first())
    for url in urls(s):
        _, old = afresh(client, url, "en", monkeypatch)
        _, first = get(client, url, "en")
        _, served = get(client, url, "en")
        assert served == old, url  # read with the presentation row
        assert first > old, url  # the first view writes it
    n = StoredMarkup.objects.count()
    for url in urls(s):
        get(client, url, "en")
    assert StoredMarkup.objects.count() == n


def test_it_writes_the_page_again_when_the_stored_markup_cannot_be_read_back(demo, client, monkeypatch):
    # Markup written by another Python's marshal (or damaged) is no reason for an error page.
    client.force_login(User.objects.filter(role="supervisor").order_by("pk").first())
    url = urls(demo)[0]
    expected, _ = afresh(client, url, "zh-hans", monkeypatch)
    get(client, url, "zh-hans")
    StoredMarkup.objects.update(markup=b"\xff not marshal")
    assert get(client, url, "zh-hans")[0] == expected
    assert StoredMarkup.objects.exclude(markup=b"\xff not marshal").exists()  # stored again


@pytest.mark.parametrize("query", ["?foo=1", "?sort=nonsense", "?period=1999", "?sort=rank&sort=entity"])
def test_it_writes_pages_with_unknown_parameters_afresh_and_stores_nothing(demo, client, monkeypatch, query):
    s = demo
    client.force_login(User.objects.filter(role="supervisor").order_by("pk").first())
    for url in (f"/indicators/{s.pk}/{query}", f"/indicators/{s.pk}/indicators/{query}"):
        page, _ = get(client, url, "zh-hans")
        assert page == afresh(client, url, "zh-hans", monkeypatch)[0]
    assert not StoredMarkup.objects.exists()


def test_it_shows_the_open_task_by_its_number_and_state(demo, client):
    s = demo
    supervisor = User.objects.filter(role="supervisor").order_by("pk").first()
    for indicator in Indicator.objects.filter(indicator_set=s).exclude(responsible_unit=None).order_by("sort_order"):
        try:
            link, _created = services.indicator_task_create(actor=supervisor, indicator=indicator)
            break
        except LuoshiError:
            continue
    task = link.task
    task.refresh_from_db()
    assert task.code and task.code != task.number  # told apart only when both are read into their places
    client.force_login(supervisor)
    page, _ = get(client, f"/indicators/{s.pk}/indicators/", "zh-hans")
    assert f'<a href="/tasks/{task.pk}/">{task.code} {task.get_status_display()}</a>' in page


def test_it_prunes_markup_no_one_has_opened_for_a_week_in_the_daily_sweep(demo, client, settings, monkeypatch):
    import datetime as dt
    import io

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    settings.STORED_MARKUP_DAYS = 7
    client.force_login(User.objects.filter(role="supervisor").order_by("pk").first())
    first, second = urls(demo)[:2]
    expected, _ = afresh(client, first, "zh-hans", monkeypatch)
    now = timezone.now()
    with time_machine.travel(now - dt.timedelta(days=8)):
        get(client, first, "zh-hans")  # written eight days ago
    get(client, second, "zh-hans")  # written today
    assert StoredMarkup.objects.count() == 2
    out = io.StringIO()
    call_command("sweep", "--dry-run", stdout=out)
    assert StoredMarkup.objects.count() == 2
    call_command("sweep", stdout=out)
    assert "stored indicator markup deleted 1" in out.getvalue()
    assert list(StoredMarkup.objects.values_list("written_at__date", flat=True)) == [timezone.localdate()]
    assert get(client, first, "zh-hans")[0] == expected  # written again on demand
    assert StoredMarkup.objects.count() == 2
