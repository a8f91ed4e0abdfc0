import pytest

from luoshi.api.services import token_create, token_revoke


@pytest.fixture
def token_for():
    def make(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}

    return make


def test_it_requires_a_token(client, units):
    assert client.get("/api/orgs/units").status_code == 401
    assert client.get("/api/orgs/units", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_it_scopes_units_and_people_by_token(client, cast, units, token_for):
    headers = token_for(cast["owner"])
    names = {u["name"] for u in client.get("/api/orgs/units", **headers).json()["items"]}
    assert names == {"示范市发展和改革委员会", "发改委价格监测中心"}
    assert client.get(f"/api/orgs/units/{units['other'].pk}", **headers).status_code == 404
    assert client.get(f"/api/orgs/people/{cast['outsider'].pk}", **headers).status_code == 404
    people = {p["username"] for p in client.get("/api/orgs/people", **headers).json()["items"]}
    assert people == {"owner"}


def test_it_refuses_a_revoked_token(client, cast):
    record, token = token_create(user=cast["owner"], name="t")
    token_revoke(actor=cast["owner"], token=record)
    assert client.get("/api/orgs/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_it_publishes_the_openapi_schema(client, cast, login):
    schema = login(cast["owner"]).get("/api/openapi.json").json()
    assert "/api/orgs/units" in schema["paths"]
