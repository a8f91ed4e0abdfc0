"""Every list the API answers is paged the same way: `?limit=&offset=`, answered as
`{"items": [...], "count": N}`. The OpenAPI schema is read for every GET endpoint, so a list added
later without the pager fails here; each paged endpoint is then called with limit=1."""

import datetime as dt
import json
import re

import pytest
import time_machine

from luoshi.api.services import token_create
from luoshi.api.urls import api
from luoshi.directives import services as directive_services
from luoshi.indicators.models import IndicatorSet
from luoshi.tasks import services

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _resolve(schema, spec):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def get_operations():
    # Through JSON, as a client reads it (the schema object keys responses by int).
    spec = json.loads(json.dumps(api.get_openapi_schema()))
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        op = operations["get"]
        content = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
        body = _resolve(content.get("schema", {}), spec)
        params = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
        yield path, body, params


def paged_paths():
    return sorted(path for path, body, _params in get_operations() if set(body.get("properties", {})) >= {"items", "count"})


def test_it_pages_every_list_endpoint():
    unpaged = [path for path, body, _params in get_operations() if body.get("type") == "array"]
    assert unpaged == []
    for path, body, params in get_operations():
        if set(body.get("properties", {})) >= {"items", "count"}:
            assert {"limit", "offset"} <= params, path
    # The lists the issue names are among them (the schema reading above would pass on an empty API).
    assert {"/api/tasks/", "/api/orgs/units", "/api/supervision/actions", "/api/reports/bulletins",
            "/api/directives/directives", "/api/indicators/sets", "/api/tasks/{task_id}/reports"} <= set(paged_paths())


@pytest.fixture
def world(cast, units):
    with time_machine.travel(NOW, tick=False):
        boss = cast["supervisor"]
        ids = {}
        for title in ("一", "二"):
            task = services.task_create(
                actor=boss, title=f"任务{title}", lead_unit=units["lead"], lead_leader=cast["leader"],
                start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25,
            )
            services.task_publish(actor=boss, task=task, today=dt.date(2026, 9, 1))
            ids["task_id"] = task.pk
        for period in ("2026-09", "2026-10"):
            services.report_submit(actor=cast["owner"], task=task, percent=40, progress=period, period_key=period, today=dt.date(2026, 10, 24))
        for text in ("抓紧", "再抓紧"):
            services.instruction_add(actor=cast["leader"], task=task, text=text)
        directive = directive_services.directive_create(
            actor=boss, issued_on=dt.date(2026, 3, 1), title="讲话", text="一、市财政局牵头，2026年底前完成涉企收费清理。\n二、市发改委牵头，6月底前完成项目梳理。",
        )
        ids["directive_id"] = directive.pk
        ids["set_id"] = IndicatorSet.objects.create(name="评价一").pk
        IndicatorSet.objects.create(name="评价二")
    return ids


def test_it_answers_each_paged_list_with_items_and_count(client, cast, world):
    token = token_create(user=cast["supervisor"], name="t")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    many = []
    for path in paged_paths():
        url = re.sub(r"\{(\w+)\}", lambda m: str(world[m.group(1)]), path)
        response = client.get(url, {"limit": 1, "offset": 0}, **auth)
        assert response.status_code == 200, (url, response.content)
        body = response.json()
        assert set(body) == {"items", "count"} and len(body["items"]) <= 1 and body["count"] >= len(body["items"]), url
        if body["count"] > 1:
            many.append(path)
            second = client.get(url, {"limit": 1, "offset": 1}, **auth).json()["items"]
            assert second and second != body["items"], url
    # The world has two of these, so paging is seen to cut, not only to wrap.
    assert {"/api/tasks/", "/api/tasks/{task_id}/reports", "/api/tasks/{task_id}/instructions", "/api/indicators/sets"} <= set(many)


def test_it_refuses_a_page_larger_than_the_limit(client, cast, world, settings):
    token = token_create(user=cast["supervisor"], name="t")[1]
    response = client.get("/api/tasks/", {"limit": settings.NINJA_PAGINATION_MAX_LIMIT + 1}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
