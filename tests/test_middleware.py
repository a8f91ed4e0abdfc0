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
