"""The API refuses text longer than it would store (422, naming the limit) instead of acknowledging
it and storing it shortened; every text field of every request body declares its limit."""

import datetime as dt

import pytest
import time_machine

from luoshi.api.services import token_create
from luoshi.api.urls import api as ninja_api
from luoshi.tasks import services
from luoshi.tasks.models import ProgressReport

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _strings_without_limit(schema, components, path="", seen=None):
    seen = set() if seen is None else seen
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _strings_without_limit(components[name], components, name, seen)
    missing = []
    options = schema.get("anyOf", [])
    if {"type": "number"} in options and {"type": "string"} in options:
        return []  # a decimal: bounded by its digits (max_digits), tested below
    for key in ("anyOf", "allOf", "oneOf"):
        for option in schema.get(key, []):
            missing += _strings_without_limit(option, components, path, seen)
    # a decimal is a string with a pattern; an enum or a date is bounded by its kind
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema and "pattern" not in schema and "maxLength" not in schema:
        missing.append(path)
    for name, prop in schema.get("properties", {}).items():
        missing += _strings_without_limit(prop, components, f"{path}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        missing += _strings_without_limit(schema["items"], components, f"{path}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        missing += _strings_without_limit(schema["additionalProperties"], components, f"{path}{{}}", seen)
    return missing


def test_it_declares_a_limit_for_every_text_field_of_every_request_body():
    spec = ninja_api.get_openapi_schema()
    components = spec.get("components", {}).get("schemas", {})
    missing = []
    for url, operations in spec["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                missing += [f"{method.upper()} {url}: {p}" for p in _strings_without_limit(content["schema"], components)]
    assert missing == []


@pytest.fixture
def task(cast, units):
    with time_machine.travel(NOW, tick=False):
        task = services.task_create(
            actor=cast["supervisor"], title="优化营商环境", lead_unit=units["lead"], lead_leader=cast["leader"],
            start_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31), cadence="monthly", due_day=25,
        )
        services.task_publish(actor=cast["supervisor"], task=task, today=dt.date(2026, 9, 1))
    return task


def test_it_refuses_an_over_long_progress_report_with_422_and_the_limit(client, cast, task):
    _record, token = token_create(user=cast["owner"], name="t")
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/api/tasks/{task.pk}/reports", {"percent": 50, "progress": "进" * 5001},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 422
    assert "5000" in response.content.decode()
    assert not ProgressReport.objects.filter(task=task).exists()


def test_it_accepts_text_at_the_limit(client, cast, task):
    _record, token = token_create(user=cast["owner"], name="t")
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/api/tasks/{task.pk}/reports", {"percent": 50, "progress": "进" * 5000},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 201
    assert len(ProgressReport.objects.get(task=task).progress) == 5000


def test_it_refuses_an_amount_with_more_digits_than_its_column(client, cast, task):
    _record, token = token_create(user=cast["supervisor"], name="t")
    response = client.patch(
        f"/api/tasks/{task.pk}", {"target_value": "1" * 40, "version": task.version},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    task.refresh_from_db()
    assert task.target_value is None


def post_report(client, task, token, payload, **headers):
    return client.post(
        f"/api/tasks/{task.pk}/reports", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **headers
    )


def test_it_says_what_is_wrong_in_the_readers_language(client, cast, task):
    _record, token = token_create(user=cast["owner"], name="t")
    with time_machine.travel(NOW, tick=False):
        zh = post_report(client, task, token, {"percent": 101, "progress": "进" * 5001})
        en = post_report(client, task, token, {"percent": 50, "progress": "进" * 5001}, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 422
    messages = {tuple(e["loc"])[-1]: e["msg"] for e in zh.json()["detail"]}
    assert messages == {"progress": "最多5000个字符。", "percent": "应不大于100。"}
    assert [e["msg"] for e in en.json()["detail"]] == ["At most 5000 characters."]
    assert en.json()["detail"][0]["type"] == "string_too_long"


def test_it_answers_a_full_store_with_a_documented_503_and_saves_nothing(client, cast, task, monkeypatch):
    from luoshi.core.errors import Unavailable
    from luoshi.tasks import api as tasks_api

    def full_store(**kwargs):
        raise Unavailable("服务器的文件存储已满或不可写，文件未保存。请稍后再试或联系管理员。")

    monkeypatch.setattr(tasks_api.services, "report_submit", full_store)
    _record, token = token_create(user=cast["owner"], name="t")
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/api/tasks/{task.pk}/reports", {"percent": 50, "progress": "进展"},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 503 and "存储" in response.json()["detail"]
    assert not ProgressReport.objects.filter(task=task).exists()
    documented = ninja_api.get_openapi_schema()["paths"]["/api/tasks/{task_id}/reports"]["post"]["responses"]
    assert 503 in documented or "503" in documented
