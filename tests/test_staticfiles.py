"""Static files' addresses remembered per storage (luoshi.core.staticfiles)."""

from unittest import mock

from django.contrib.staticfiles.storage import StaticFilesStorage as DjangoStaticFilesStorage
from django.test import override_settings

from luoshi.core import staticfiles


def test_it_gives_the_addresses_djangos_storage_gives():
    ours, django = staticfiles.StaticFilesStorage(base_url="/static/"), DjangoStaticFilesStorage(base_url="/static/")
    for name in ("luoshi/app.css", "vendor/htmx/htmx.min.js", "a b/c#d.css", "luoshi/app.css"):
        assert ours.url(name) == django.url(name)


def test_it_asks_the_storage_once_per_name_and_every_time_in_debug():
    storage = staticfiles.StaticFilesStorage(base_url="/static/")
    with mock.patch.object(DjangoStaticFilesStorage, "url", autospec=True, side_effect=lambda self, name: f"/s/{name}") as asked:
        assert [storage.url("x.css") for _ in range(3)] == ["/s/x.css"] * 3
        assert storage.url("y.js") == "/s/y.js"
        assert asked.call_count == 2
        with override_settings(DEBUG=True):
            storage.url("x.css")
            storage.url("x.css")
        assert asked.call_count == 4
        other = staticfiles.StaticFilesStorage(base_url="/static/")  # a new storage (new settings) starts afresh
        other.url("x.css")
        assert asked.call_count == 5


def test_it_keeps_at_most_so_many_names(monkeypatch):
    monkeypatch.setattr(staticfiles, "MOST_REMEMBERED", 2)
    storage = staticfiles.StaticFilesStorage(base_url="/static/")
    for name in ("a", "b", "c", "d"):
        assert storage.url(name) == f"/static/{name}"
    assert sorted(storage._remembered_urls) == ["a", "b"]


def test_it_forgets_the_addresses_when_collectstatic_writes_a_manifest(tmp_path):
    (tmp_path / "app.css").write_text("body { color: red }")
    storage = staticfiles.ManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")
    storage.manifest_strict = False  # no manifest yet: the name is hashed from the file
    first = storage.url("app.css")
    assert first.startswith("/static/app.") and first.endswith(".css") and first != "/static/app.css"
    assert storage._remembered_urls == {"app.css": first}
    list(storage.post_process({}, dry_run=True))
    assert "_remembered_urls" not in storage.__dict__
    assert storage.url("app.css") == first
