import datetime as dt
import io
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command

from luoshi.supervision import channels, services
from luoshi.supervision.models import Channel, Delivery, Notification
from tests.test_supervision_fixtures import TODAY, inline_delivery, make_task, task  # noqa: F401


class Hook:
    """A group bot on 127.0.0.1: records what is posted, answers as told."""

    def __init__(self):
        self.posts: list[dict] = []
        self.status = 200
        self.answer = {"errcode": 0, "errmsg": "ok"}
        self.delay = 0.0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.posts.append(json.loads(body))
                time.sleep(hook.delay)
                payload = json.dumps(hook.answer).encode()
                self.send_response(hook.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook():
    server = Hook()
    yield server
    server.close()


def issue(cast, units, task):
    return services.action_issue(
        actor=cast["supervisor"], kind="urge", unit=units["lead"], reason="请于本周内报送进展", reply_due=TODAY + dt.timedelta(days=3), tasks=[task], today=TODAY
    )


def test_it_builds_the_wecom_and_dingtalk_markdown_formats():
    wecom = channels.wecom_payload("催办〔2026〕1号", "请报送", "https://luoshi.example/supervision/actions/1/")
    assert wecom == {"msgtype": "markdown", "markdown": {"content": "**催办〔2026〕1号**\n\n请报送\n\n[查看详情](https://luoshi.example/supervision/actions/1/)"}}
    ding = channels.dingtalk_payload("催办〔2026〕1号", "请报送")
    assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == "催办〔2026〕1号"
    assert ding["markdown"]["text"] == "**催办〔2026〕1号**\n\n请报送"


@pytest.mark.parametrize("kind,field", [("wecom", "content"), ("dingtalk", "text")])
def test_it_posts_to_the_units_group_bot_after_commit(cast, units, task, hook, inline_delivery, django_capture_on_commit_callbacks, kind, field):
    Channel.objects.create(unit=units["lead"], kind=kind, url=hook.url)
    Channel.objects.create(unit=units["other"], kind=kind, url=hook.url)  # another unit's bot hears nothing
    with django_capture_on_commit_callbacks(execute=True):
        action = issue(cast, units, task)
        assert hook.posts == []  # nothing leaves before the commit
    assert len(hook.posts) == 1
    assert hook.posts[0]["msgtype"] == "markdown" and action.number in hook.posts[0]["markdown"][field]
    assert Delivery.objects.get().status == "sent"


def test_it_emails_the_people_of_the_unit(cast, units, task, inline_delivery, django_capture_on_commit_callbacks, mailoutbox):
    cast["owner"].email = "owner@example.org"
    cast["owner"].save()
    cast["member"].email = "member@example.org"  # another unit
    cast["member"].save()
    with django_capture_on_commit_callbacks(execute=True):
        action = issue(cast, units, task)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["owner@example.org"] and action.number in mailoutbox[0].subject


@pytest.mark.parametrize("failure", ["http_error", "refused_by_bot", "unreachable", "slow"])
def test_it_logs_a_failing_channel_and_never_fails_the_request(cast, units, task, hook, inline_delivery, login, django_capture_on_commit_callbacks, caplog, settings, failure):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_TIMEOUT_SECONDS": 1}
    url = hook.url
    if failure == "http_error":
        hook.status = 500
    elif failure == "refused_by_bot":
        hook.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    elif failure == "unreachable":
        url = "http://127.0.0.1:9/hook"  # the discard port: nothing listens
    else:
        hook.delay = 3
    Channel.objects.create(unit=units["lead"], kind="wecom", url=url)
    client = login(cast["supervisor"])
    form = {"kind": "urge", "unit": units["lead"].pk, "tasks": [task.pk], "reason": "请报送", "reply_due": (dt.date.today() + dt.timedelta(days=3)).isoformat()}
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="luoshi.supervision"), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/supervision/actions/new/", form)
    assert response.status_code == 302
    assert time.monotonic() - started < 2.5  # bounded by the timeout, not by the slow bot
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.last_error and delivery.attempts == 1
    assert "failed" in caplog.text


def test_it_retries_a_failed_delivery_in_the_next_sweep(cast, units, task, hook, inline_delivery, django_capture_on_commit_callbacks):
    hook.status = 502
    Channel.objects.create(unit=units["lead"], kind="dingtalk", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue(cast, units, task)
    assert Delivery.objects.get(message__kind="action").status == "failed"
    out = io.StringIO()
    call_command("sweep", "--date", TODAY.isoformat(), stdout=out)
    assert out.getvalue().endswith("notifications failed 2\n")  # the action again, and the lead unit's report reminder
    hook.status = 200
    out = io.StringIO()
    call_command("sweep", "--date", TODAY.isoformat(), stdout=out)
    assert out.getvalue().endswith("notifications failed 0\n")
    assert set(Delivery.objects.values_list("message__kind", "status", "attempts")) == {("action", "sent", 3), ("report_missing", "sent", 2)}


def test_it_gives_up_after_the_last_attempt(cast, units, task, hook, settings):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DELIVERY": "sweep", "NOTIFY_MAX_ATTEMPTS": 2}
    hook.status = 500
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    issue(cast, units, task)
    for _i in range(4):
        services.deliver_pending()
    assert Delivery.objects.get(message__kind="action").attempts == 2
    assert len(hook.posts) == 2


def test_it_leaves_deliveries_to_the_sweep_when_told(cast, units, task, hook, settings, django_capture_on_commit_callbacks):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DELIVERY": "sweep"}
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        issue(cast, units, task)
    assert hook.posts == [] and Delivery.objects.get().status == "pending"
    assert services.deliver_pending() == (1, 0)
    assert services.deliver_pending() == (0, 0)  # sent is sent
    assert len(hook.posts) == 1


def test_it_skips_an_inactive_channel(cast, units, task, hook, settings):
    settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DELIVERY": "sweep"}
    channel = Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    issue(cast, units, task)
    Channel.objects.filter(pk=channel.pk).update(active=False)
    assert services.deliver_pending() == (0, 1)
    assert hook.posts == []


def test_it_counts_unread_in_the_header(cast, units, task, login):
    client = login(cast["owner"])
    assert "health-red" not in client.get("/supervision/inbox/").content.decode().split("</header>")[0]
    issue(cast, units, task)
    header = client.get("/supervision/inbox/").content.decode().split("</header>")[0]
    assert '<span class="badge health-red" aria-label="未读">1</span>' in header
    n = Notification.objects.get(recipient=cast["owner"])
    client.post(f"/supervision/inbox/{n.pk}/read/", HTTP_HX_REQUEST="true")
    assert "aria-label=\"未读\"" not in client.get("/supervision/inbox/").content.decode().split("</header>")[0]


def test_it_links_emails_and_group_bots_absolutely_with_site_url(cast, units, task, hook, inline_delivery, django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.SITE_URL = "https://luoshi.example.org"
    cast["owner"].email = "owner@example.org"
    cast["owner"].save()
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        action = issue(cast, units, task)
    link = f"https://luoshi.example.org/supervision/actions/{action.pk}/"
    assert mailoutbox[0].body.endswith(link)
    assert f"[查看详情]({link})" in hook.posts[0]["markdown"]["content"]


def test_it_links_to_the_demo_address_in_debug_without_site_url(settings):
    settings.SITE_URL, settings.DEBUG = "", True
    settings.LUOSHI = {**settings.LUOSHI, "SITE_URL": ""}
    assert channels.absolute("/tasks/7/") == "http://127.0.0.1:8000/tasks/7/"
    settings.DEBUG = False
    assert channels.absolute("/tasks/7/") == "/tasks/7/"
