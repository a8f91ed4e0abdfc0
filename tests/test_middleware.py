"""The site's own pages for refusals and errors, the favicon."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory

from luoshi.core.middleware import LuoshiErrorMiddleware


def handled(exception, path="/tasks/1/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return LuoshiErrorMiddleware(lambda r: None).process_exception(request, exception)


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("exception,status,heading", [(PermissionDenied(), 403, "无权操作"), (Http404(), 404, "未找到")])
def test_it_answers_a_refused_object_with_the_sites_page_even_in_debug(settings, debug, exception, status, heading):
    settings.DEBUG = debug
    response = handled(exception)
    page = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page and 'class="topbar"' in page and 'lang="zh-hans"' in page


def test_it_leaves_the_api_and_the_admin_to_their_own_handlers():
    assert handled(Http404(), "/api/tasks/1") is None
    assert handled(PermissionDenied(), "/admin/") is None


def test_it_has_a_chinese_500_page_in_the_sites_layout():
    page = render_to_string("500.html")
    assert "系统出错" in page and 'class="topbar"' in page


def test_it_shows_a_refused_task_as_the_sites_404_in_a_debug_demo(settings, cast, login):
    from luoshi.tasks import services as task_services

    settings.DEBUG = True
    task = task_services.task_create(actor=cast["supervisor"], title="保密任务", lead_unit=cast["owner"].unit)
    response = login(cast["outsider"]).get(f"/tasks/{task.pk}/")
    assert response.status_code == 404
    assert "<h1>未找到</h1>" in response.content.decode() and "Technical" not in response.content.decode()


def test_it_links_a_favicon_from_every_page_and_answers_favicon_ico(client):
    page = client.get("/login/").content.decode()
    assert 'rel="icon"' in page and "luoshi/favicon" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


# --- input no database can take, and the API's errors as JSON ----------------------------------

@pytest.fixture
def token(cast):
    from luoshi.api.services import token_create

    _record, key = token_create(user=cast["supervisor"], name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("query", ["q=a%00b", "page=99999999999999999999999", "page=-1", "a%00=1"])
def test_it_refuses_what_no_database_takes_in_a_pages_query(client, cast, query):
    client.force_login(cast["supervisor"])
    response = client.get(f"/tasks/board/?{query}")
    assert response.status_code == 400
    assert "无法处理" in response.content.decode()


def test_it_refuses_a_nul_byte_in_a_form_field_and_changes_nothing(client, cast):
    from luoshi.directives.models import Directive

    client.force_login(cast["supervisor"])
    response = client.post("/directives/new/", {"title": "讲话\x00", "kind": "speech", "issued_on": "2026-11-01", "text": "一、抓好落实。"})
    assert response.status_code == 400
    assert not Directive.objects.exists()


@pytest.mark.parametrize("query", ["offset=9223372036854775808", "offset=-1", "limit=" + "9" * 30, "q=%00"])
def test_it_refuses_what_no_database_takes_in_an_api_query_as_json(client, token, query):
    response = client.get(f"/api/tasks/?{query}", **token)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


@pytest.mark.parametrize("body", ['{"progress": "a\\u0000b", "percent": 1}', '{"progress": "a\\ud800b", "percent": 1}'])
def test_it_refuses_a_nul_or_a_lone_surrogate_in_json(client, token, body):
    response = client.post("/api/tasks/1/reports", body, content_type="application/json", **token)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_it_answers_every_api_error_as_json(client, token, monkeypatch):
    from luoshi.tasks import selectors

    assert client.get("/api/no-such-thing", **token).json()["detail"]
    response = client.delete("/api/tasks/", **token)
    assert response.status_code == 405 and response.json()["detail"]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "tasks_for", broken)
    client.raise_request_exception = False
    response = client.get("/api/tasks/", **token)
    assert response.status_code == 500
    assert response.json()["detail"] and "boom" not in response.content.decode()
