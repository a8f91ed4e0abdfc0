"""The session store reads the session as Django's database store does, with the person it signs in
(orgs/sessions.py)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db as django_db
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luoshi.core import rows
from luoshi.orgs import sessions
from luoshi.orgs.models import Session
from luoshi.orgs.sessions import SessionStore


# Django's own database store, reading the site's table. Named as the site's store is: the data are
# signed with the store's class name.
DjangoStore = type("SessionStore", (django_db.SessionStore,), {"get_model_class": classmethod(lambda cls: Session)})


def test_the_site_uses_the_store():
    assert settings.SESSION_ENGINE == "luoshi.orgs.sessions"


def stored(data, expires_in=dt.timedelta(hours=1)) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_it_reads_what_djangos_store_reads(db):
    key = stored({"a": 1, "名字": "张三", "nested": {"x": [1, 2]}})
    ours, theirs = SessionStore(key), DjangoStore(key)
    with CaptureQueriesContext(connection) as queries:
        assert dict(ours.items()) == dict(theirs.items()) == {"a": 1, "名字": "张三", "nested": {"x": [1, 2]}}
    assert len(queries.captured_queries) == 2  # one each
    assert ours.session_key == key
    assert rows.get_one(Session, "session_key = %s", [key], "default") == Session.objects.get(session_key=key)


def test_an_expired_or_unknown_session_is_empty_and_forgotten(db):
    expired = stored({"a": 1}, expires_in=dt.timedelta(seconds=-10))
    for key in (expired, "nosuchsessionkey123"):
        ours, theirs = SessionStore(key), DjangoStore(key)
        assert dict(ours.items()) == dict(theirs.items()) == {}
        assert ours.session_key is None and theirs.session_key is None


def test_the_expiry_is_compared_with_now(db):
    key = stored({"a": 1})
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert dict(SessionStore(key).items()) == {}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(seconds=30))
    assert dict(SessionStore(key).items()) == {"a": 1}


def test_a_signed_in_page_still_knows_who_is_signed_in_and_a_stale_cookie_does_not(cast, client):
    client.force_login(cast["owner"])
    page = client.get("/")
    assert page.status_code == 200 and page.context["user"] == cast["owner"]
    Session.objects.all().update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/").status_code == 302


def test_the_person_is_read_as_djangos_model_backend_reads_them(cast):
    from django.contrib.auth.backends import ModelBackend

    from luoshi.orgs.backends import Backend

    assert settings.AUTHENTICATION_BACKENDS == ["luoshi.orgs.backends.Backend"]
    ours, theirs = Backend(), ModelBackend()
    for person in cast.values():
        a, b = ours.get_user(person.pk), theirs.get_user(person.pk)
        assert [getattr(a, f.attname) for f in a._meta.concrete_fields] == [getattr(b, f.attname) for f in b._meta.concrete_fields]
        assert a.get_deferred_fields() == set() and not a._state.adding and a.get_session_auth_hash() == b.get_session_auth_hash()
    for unknown in (-1, 10**6, "x", None):
        assert ours.get_user(unknown) is None
    gone = cast["owner"]
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    assert ours.get_user(gone.pk) is None and theirs.get_user(gone.pk) is None


def test_someone_signed_in_through_djangos_model_backend_stays_signed_in(cast, client):
    """Sessions stored before the backend was replaced name Django's ModelBackend: their people are
    still signed in; a session naming a backend that is not configured is not."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    person = cast["owner"]
    for path, signed_in in (("django.contrib.auth.backends.ModelBackend", True), ("luoshi.orgs.backends.Backend", True),
                            ("django.contrib.auth.backends.RemoteUserBackend", False)):
        key = stored({SESSION_KEY: str(person.pk), BACKEND_SESSION_KEY: path, HASH_SESSION_KEY: person.get_session_auth_hash()})
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        page = client.get("/")
        assert (page.status_code == 200 and page.context["user"] == person) is signed_in, path
        # Reading it changed nothing stored.
        assert SessionStore(key).get(BACKEND_SESSION_KEY) in (path, "luoshi.orgs.backends.Backend")
        assert Session.objects.get(session_key=key).get_decoded()[BACKEND_SESSION_KEY] == path


def test_signing_in_stores_the_sites_backend(cast, client):
    from django.contrib.auth import BACKEND_SESSION_KEY

    person = cast["owner"]
    person.set_password("an-ok-password-2026")
    person.save()
    client.post(reverse("login"), {"username": person.username, "password": "an-ok-password-2026"})
    assert client.session[BACKEND_SESSION_KEY] == "luoshi.orgs.backends.Backend"
    assert client.get("/").context["user"] == person


def test_it_keeps_the_person_the_data_name_beside_them(cast):
    person = cast["owner"]
    key = stored({SESSION_KEY: str(person.pk), "x": 1})
    assert Session.objects.get(session_key=key).user_id == person.pk
    assert Session.objects.get(session_key=stored({"x": 1})).user_id is None
    assert Session.objects.get(session_key=stored({SESSION_KEY: "not a number"})).user_id is None


def test_a_page_reads_the_session_the_person_and_their_unit_with_one_statement(cast, client):
    person = cast["owner"]
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/password/done/")
    assert page.status_code == 200 and page.context["user"] == person
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("orgs_session" in s for s in sql) == 1 and "orgs_user" in sql[0] and "orgs_unit" in sql[0]
    # the header's unread count is read with them
    assert len(sql) == 1 and "supervision_notification" in sql[0], sql
    assert person.unit.display_name in page.content.decode()


def test_the_person_read_with_the_session_is_checked_as_djangos_backend_checks_them(cast, client):
    person = cast["owner"]
    client.force_login(person)
    assert client.get("/").status_code == 200
    # a changed password signs out every other session (the session's hash no longer matches)
    person.set_password("a-new-password-2026")
    person.save()
    assert client.get("/").status_code == 302
    client.force_login(person)
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    assert client.get("/").status_code == 302


def test_a_session_whose_column_names_someone_else_signs_in_whom_its_data_name(cast, client):
    """Only the data decide who is signed in: a column that disagrees (or is empty, as in sessions
    carried over) makes the backend read the person itself."""
    person, other = cast["owner"], cast["outsider"]
    client.force_login(person)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    for column in (other.pk, None):
        Session.objects.filter(session_key=key).update(user_id=column)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/password/done/")
        assert page.status_code == 200 and page.context["user"] == person
        assert any('FROM "orgs_user"' in q["sql"] and "orgs_session" not in q["sql"] for q in queries.captured_queries)


def test_the_preloaded_person_is_only_seen_while_the_session_is_read(cast, client):
    person = cast["owner"]
    client.force_login(person)
    assert client.get("/").status_code == 200
    assert sessions.user_read_with_session(person.pk) is None


def test_deleting_a_person_deletes_their_sessions(cast, client):
    person = cast["outsider"]
    client.force_login(person)
    assert Session.objects.filter(user_id=person.pk).count() == 1
    person.delete()
    assert not Session.objects.filter(user_id=person.pk).exists()


def test_the_sessions_of_djangos_table_are_carried_over(cast, db):
    """Whoever was signed in when the site's own table arrived stays signed in."""
    import importlib

    from django.apps import apps
    from django.contrib.sessions.models import Session as DjangoSession

    person = cast["owner"]
    live, expired = DjangoStore(), DjangoStore()
    for store, data in ((live, {SESSION_KEY: str(person.pk), "a": 1}), (expired, {"b": 2})):
        store.update(data)
    migration = importlib.import_module("luoshi.orgs.migrations.0003_session")
    old = [
        DjangoSession(session_key="k" * 32, session_data=live.encode({SESSION_KEY: str(person.pk), "a": 1}),
                      expire_date=timezone.now() + dt.timedelta(hours=1)),
        DjangoSession(session_key="e" * 32, session_data=expired.encode({"b": 2}), expire_date=timezone.now() - dt.timedelta(hours=1)),
    ]
    DjangoSession.objects.bulk_create(old)

    class Editor:
        connection = connection

    migration.carry_over_sessions(apps, Editor())
    carried = Session.objects.get(session_key="k" * 32)
    assert carried.user_id == person.pk and carried.get_decoded() == {SESSION_KEY: str(person.pk), "a": 1}
    assert not Session.objects.filter(session_key="e" * 32).exists()


def test_the_admin_never_shows_a_session_key(cast, rf):
    """Deleting a person lists their sessions by name: the key is the cookie that signs them in."""
    from django.contrib.admin.sites import site
    from django.contrib.admin.utils import get_deleted_objects

    person = cast["outsider"]
    key = stored({SESSION_KEY: str(person.pk)})
    request = rf.get("/")
    request.user = cast["admin"]
    listed, _counts, _perms, _protected = get_deleted_objects([person], request, site)
    assert key not in repr(listed) and key not in str(Session.objects.get(session_key=key))
    assert "会话" in repr(listed) or "session" in repr(listed).lower()


def test_the_daily_sweep_deletes_expired_sessions_and_no_other(cast):
    from luoshi.supervision import sweeper

    live, gone = stored({"a": 1}), stored({"b": 2}, expires_in=dt.timedelta(seconds=-10))
    assert "expired sessions due for deletion 1" in sweeper.run(timezone.localdate(), dry_run=True).details
    assert Session.objects.filter(session_key=gone).exists()
    assert "expired sessions deleted 1" in sweeper.run(timezone.localdate()).details
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert not any(d.startswith("expired sessions") for d in sweeper.run(timezone.localdate()).details)
