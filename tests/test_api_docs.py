"""The API's documentation asks for a login in production (API_DOCS_PUBLIC off, the default when
DEBUG is off)."""

import pytest

from luoshi.api.services import token_create


@pytest.mark.parametrize("url", ["/api/docs", "/api/openapi.json"])
def test_it_hides_the_docs_from_strangers(client, settings, url):
    settings.API_DOCS_PUBLIC = False
    response = client.get(url)
    assert response.status_code in (302, 401)
    assert b"paths" not in response.content


@pytest.mark.parametrize("url", ["/api/docs", "/api/openapi.json"])
def test_it_shows_the_docs_after_a_login_or_with_a_token(client, cast, settings, url):
    settings.API_DOCS_PUBLIC = False
    _r, token = token_create(user=cast["owner"], name="t")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(cast["owner"])
    assert client.get(url).status_code == 200


def test_it_can_publish_the_docs(client, settings):
    settings.API_DOCS_PUBLIC = True
    assert client.get("/api/openapi.json").status_code == 200
