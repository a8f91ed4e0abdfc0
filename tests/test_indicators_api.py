"""The indicator API (/api/indicators/): same access rules and services as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from luoshi.api.services import token_create
from luoshi.indicators.models import IndicatorTask, Observation
from luoshi.tasks.models import Task

from .test_indicators import ROWS_2026, bench, long_csv  # noqa: F401  (fixture)


@pytest.fixture
def headers():
    def make(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}

    return make


def test_it_requires_a_token(client, bench):
    assert client.get("/api/indicators/sets").status_code == 401


def test_it_lists_sets_and_scopes_indicators_per_user(client, bench, cast, headers):
    assert [s["name"] for s in client.get("/api/indicators/sets", **headers(cast["outsider"])).json()["items"]] == ["测试评价"]
    url = f"/api/indicators/sets/{bench.set.pk}"
    assert [i["code"] for i in client.get(url, **headers(cast["supervisor"])).json()["indicators"]] == ["开办企业", "纳税", "政务服务"]
    assert [i["code"] for i in client.get(url, **headers(cast["owner"])).json()["indicators"]] == ["开办企业"]
    assert client.get(url, **headers(cast["outsider"])).json()["indicators"] == []
    assert client.get("/api/indicators/sets/99999", **headers(cast["supervisor"])).status_code == 404


def test_it_returns_results_flags_and_the_gap(client, bench, cast, headers):
    h = headers(cast["supervisor"])
    res = client.get(f"/api/indicators/sets/{bench.set.pk}/results?period=2026", **h).json()
    us = next(e for e in res["entities"] if e["is_us"])
    assert us["entity"] == "本市" and us["composite"] == pytest.approx(140 / 3)
    assert us["indicators"]["开办企业"] == {"value": 5.0, "score": 0.0, "rank": 5, "tier": 3}
    assert client.get(f"/api/indicators/sets/{bench.set.pk}/results?period=1999", **h).status_code == 404
    flags = client.get(f"/api/indicators/sets/{bench.set.pk}/flags?period=2026", **h).json()["items"]
    assert {"kind": "drop", "indicator": "开办企业", "label": "开办企业", "reason": "较上期下降2位（第3→第5）", "ranks": [3, 5]} in flags
    gap = client.get(f"/api/indicators/indicators/{bench.ns.pk}/gap?period=2026", **h).json()
    assert (gap["required_value"], gap["change"], gap["unit"], gap["current_rank"]) == (120.0, -10.0, "小时", 4)
    gap = client.get(f"/api/indicators/indicators/{bench.ns.pk}/gap?period=2026&target_rank=1", **h).json()
    assert gap["required_value"] == 100.0
    assert client.get(f"/api/indicators/indicators/{bench.ns.pk}/gap?target_rank=0", **h).status_code == 400
    # a liaison reads the flags of their own indicators only
    owner_flags = client.get(f"/api/indicators/sets/{bench.set.pk}/flags", **headers(cast["owner"])).json()["items"]
    assert {f["indicator"] for f in owner_flags} <= {"开办企业", None}
    assert client.get(f"/api/indicators/indicators/{bench.ns.pk}/gap", **headers(cast["owner"])).status_code == 404


@time_machine.travel(dt.datetime(2026, 11, 30, 9, 0), tick=False)
def test_it_creates_a_task_once_through_the_api(client, bench, cast, headers):
    url = f"/api/indicators/indicators/{bench.kb.pk}/task"
    for who, status in {"owner": 403, "member": 404, "outsider": 404, "leader": 403}.items():
        assert client.post(url, {}, content_type="application/json", **headers(cast[who])).status_code == status, who
    assert Task.objects.count() == 0
    h = headers(cast["supervisor"])
    first = client.post(url, {"deadline": "2026-12-20"}, content_type="application/json", **h)
    assert first.status_code == 201
    body = first.json()
    assert body["created"] and body["deadline"] == "2026-12-20" and body["target_value"] == 2.0
    assert body["target_text"] == "开办企业指标排名进入前2位（当前第5位）；需由5.0天降至2.0天"
    again = client.post(url, {}, content_type="application/json", **h)
    assert again.status_code == 200 and again.json()["task_id"] == body["task_id"] and not again.json()["created"]
    assert Task.objects.count() == 1 and IndicatorTask.objects.count() == 1
    bad = client.post(f"/api/indicators/indicators/{bench.zw.pk}/task", {}, content_type="application/json", **h)
    assert bad.status_code == 400 and "责任单位" in bad.json()["detail"]


def test_it_imports_through_the_api_and_saves_nothing_on_errors(client, bench, cast, headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/indicators/sets/{bench.set.pk}/import"
    before = Observation.objects.count()
    bad = SimpleUploadedFile("bad.csv", "城市,指标,期间,值\n甲,开办企业,2027,x\n".encode())
    body = client.post(url, {"file": bad}, **headers(cast["supervisor"])).json()
    assert not body["ok"] and body["errors"][0]["row"] == 2
    assert Observation.objects.count() == before
    assert client.post(url, {"file": SimpleUploadedFile("t.csv", long_csv())}, **headers(cast["owner"])).status_code == 403
    good = SimpleUploadedFile("t.csv", long_csv({"2027": ROWS_2026}))
    body = client.post(url, {"file": good}, **headers(cast["supervisor"])).json()
    assert body["ok"] and body["created"] == 15 and body["new_periods"] == ["2027"]
    assert Observation.objects.count() == before + 15


def test_it_imports_a_large_file_through_the_api_as_a_job_and_refuses_first_who_may_not(
    client, bench, cast, headers, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.orgs.models import JobRun

    settings.IMPORT_JOB_ROWS = 2
    url = f"/api/indicators/sets/{bench.set.pk}/import"
    before = Observation.objects.count()
    refused = client.post(url, {"file": SimpleUploadedFile("t.csv", long_csv({"2027": ROWS_2026}))}, **headers(cast["owner"]))
    assert refused.status_code == 403 and not JobRun.objects.exists(), "nothing is queued for who may not import"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"file": SimpleUploadedFile("t.csv", long_csv({"2027": ROWS_2026}))}, **headers(cast["supervisor"]))
    assert answer.status_code == 202
    job = JobRun.objects.get(pk=answer.json()["id"])
    assert job.kind == "import:observations" and job.user == cast["supervisor"] and not job.dry_run
    assert job.state == "done" and job.summary["ok"] and job.summary["created"] == 15
    assert Observation.objects.count() == before + 15
    followed = client.get(f"/api/orgs/jobs/{job.pk}", **headers(cast["supervisor"])).json()
    assert followed["state"] == "done" and followed["summary"]["created"] == 15
