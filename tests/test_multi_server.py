"""Two app servers, two sweeps and two job workers, each its own process, against one PostgreSQL:
a login made on one server holds on the other, a report filed through one is stored once and shown
by both, the sweeps together tell each reminder once, and the workers send each delivery once."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from luoshi.orgs.models import Session
from luoshi.supervision.models import Channel, Delivery, Message
from luoshi.tasks.models import ProgressReport
from tests.conftest import PASSWORD
from tests.test_notifications import hook  # noqa: F401
from tests.test_supervision_fixtures import make_task  # noqa: F401

try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover - the queue's table is always installed
    DBTaskResult = None

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def machine_env():
    """The environment every machine of the installation shares: one database, one secret."""
    if connection.vendor != "postgresql":
        pytest.skip("several machines share a PostgreSQL database (the SQLite test database is in memory)")
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DEBUG": "0", "TASKS_BACKEND": "database", "LUOSHI_ENV_FILE": "",
        # plain http on 127.0.0.1: the browser-side cookie flags would keep the test client's cookies back
        "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
    }


@pytest.fixture
def servers(machine_env):
    started = []
    for _i in range(2):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "luoshi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=machine_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        started.append((process, f"http://127.0.0.1:{port}"))
    try:
        for process, base in started:
            for _try in range(120):
                try:
                    urllib.request.urlopen(base + "/login/", timeout=10)
                    break
                except OSError:  # not listening yet, or still loading the application
                    assert process.poll() is None, process.stderr.read().decode()
                    time.sleep(0.25)
        yield [base for _p, base in started]
    finally:
        for process, _base in started:
            process.terminate()
            process.wait(timeout=30)


class Browser:
    """One person's browser: one cookie jar for every server (cookies do not tell ports apart)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, url: str, data: dict) -> int:
        status, page = self.get(url if not data.get("_form") else data.pop("_form"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=body, method="POST"), timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_twice_at_once(env, *command) -> list[str]:
    processes = [subprocess.Popen([sys.executable, "-m", "luoshi", *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def test_it_does_each_thing_once_on_two_servers_with_two_workers(servers, machine_env, make_task, cast, units, hook):
    first, second = servers
    owner = cast["owner"]
    # the servers check passwords with the production hashers, not the tests' fast one
    owner.password = PBKDF2PasswordHasher().encode(PASSWORD, "multiserver", iterations=1000)
    owner.save(update_fields=["password"])
    reported = make_task(title="两台服务器上报送的任务")
    make_task(title="由清扫提醒的任务")
    Channel.objects.create(unit=units["lead"], kind="wecom", url=hook.url)

    # a login on the first server is a session the second one knows
    browser = Browser()
    assert browser.post(first + "/login/", {"username": owner.username, "password": PASSWORD}) == 302
    assert Session.objects.count() == 1
    status, page = browser.get(f"{second}/tasks/{reported.pk}/")
    assert status == 200 and "两台服务器上报送的任务" in page

    # a report filed through the second server: stored once, shown by the first
    options = re.search(r'name="period"[^>]*>(.*?)</select>', page, re.S).group(1)
    period = re.findall(r'<option value="([^"]+)"', options)[0]
    report = {"period": period, "percent": 40, "progress": "经第二台服务器报送", "problems": "", "next_steps": ""}
    assert browser.post(f"{second}/tasks/{reported.pk}/report/", {**report, "_form": f"{second}/tasks/{reported.pk}/"}) == 302
    assert ProgressReport.objects.filter(task=reported, progress="经第二台服务器报送").count() == 1
    status, page = browser.get(f"{first}/tasks/{reported.pk}/reports/")
    assert status == 200 and "经第二台服务器报送" in page

    # two sweeps at once, as two machines' timers would fire: each reminder told once
    outputs = run_twice_at_once(machine_env, "sweep", "--date", "2026-11-23")
    told = sum(int(re.search(r"reminders sent (\d+)", out).group(1)) for out in outputs)
    reminders = Message.objects.filter(kind__in=["report_due", "report_missing"])
    assert told == reminders.count() > 0

    # two workers at once drain the queue: each delivery sent once
    run_twice_at_once(machine_env, "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload")
    deliveries = Delivery.objects.filter(via="wecom")
    assert deliveries.filter(message__in=reminders).count() == reminders.filter(unit=units["lead"]).count() > 0  # the unit with the bot
    assert len(hook.posts) == deliveries.filter(status="sent", attempts=1).count() == deliveries.count()
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
