"""The session store reads the session as Django's database store does (core/sessions.py)."""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luoshi.core import rows
from luoshi.core.sessions import SessionStore


def test_the_site_uses_the_store():
    assert settings.SESSION_ENGINE == "luoshi.core.sessions"


def stored(data, expires_in=dt.timedelta(hours=1)) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_it_reads_what_djangos_store_reads(db):
    key = stored({"a": 1, "名字": "张三", "nested": {"x": [1, 2]}})
    ours, theirs = SessionStore(key), django_db.SessionStore(key)
    with CaptureQueriesContext(connection) as queries:
        assert dict(ours.items()) == dict(theirs.items()) == {"a": 1, "名字": "张三", "nested": {"x": [1, 2]}}
    assert len(queries.captured_queries) == 2  # one each
    assert ours.session_key == key
    assert rows.get_one(Session, "session_key = %s", [key], "default") == Session.objects.get(session_key=key)


def test_an_expired_or_unknown_session_is_empty_and_forgotten(db):
    expired = stored({"a": 1}, expires_in=dt.timedelta(seconds=-10))
    for key in (expired, "nosuchsessionkey123"):
        ours, theirs = SessionStore(key), django_db.SessionStore(key)
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
