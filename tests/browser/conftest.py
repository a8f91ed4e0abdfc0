"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium) against a live
server loaded with the demo data. Playwright never downloads a browser here: when /usr/bin/chromium
is absent every browser test is skipped with the reason (`.ci/run` installs the Debian package).

Loading the demo is the main cost of a browser test, so it is loaded once per test module: the tests
of one module share the data (and see each other's changes), each module starts from a fresh demo,
and the database is flushed when the module ends, so the rest of the suite starts from an empty
database as it would after a transactional test.

Screenshots (viewport-sized PNGs, so they stay small) are taken on every run; they replace the ones
in docs/screenshots/ only when LUOSHI_SCREENSHOTS=1, so a test run leaves the working tree as it was:
`LUOSHI_SCREENSHOTS=1 make test PYTEST_ARGS=tests/browser` refreshes them.

Accessibility: every HTML page a test's browser loads is checked afterwards with axe-core (vendored
under tests/browser/vendor/, from the npm package) against the WCAG 2.0/2.1 A and AA rules, the
level GB/T 37668 asks of government sites; any violation fails the test that visited the page."""

import json
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("LUOSHI_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("LUOSHI_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / f"luoshi-screenshots-{os.getpid()}"
)
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "luoshi-demo"
# The suite hashes passwords with MD5 (tests/conftest.py); the demo's users must be hashed the same
# way or the login check, which only knows the configured hashers, refuses them.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Never fetch a browser, whatever a later call might try.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    from playwright.sync_api import expect

    # An assertion waits up to 15 s (Playwright's default is 5 s) for a page of a machine running
    # the rest of the suite beside the browser; a passing assertion returns as soon as it holds.
    expect.set_options(timeout=15_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_db(django_db_setup, django_db_blocker):
    """The test database, even when only browser tests were collected.

    pytest-django creates test databases for the tests that ask for one (the `db` fixture, the
    django_db mark); these use the database through a fixture of their own, so a run of
    tests/browser alone would load and then flush the demo in the configured database itself."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if settings.DATABASES["default"]["NAME"] == connection.creation._get_test_db_name():
        yield
        return
    with django_db_blocker.unblock():
        created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=0)


@pytest.fixture(scope="module")
def demo_server(chromium, browser_db, django_db_blocker):
    """A live server over the demo data of 示范市, shared by the tests of one module.

    Not pytest-django's `live_server`: that one makes every test transactional, which flushes the
    database (and so the demo) after each test. Writes here are autocommitted, so the server thread
    and the test see the same rows on SQLite and PostgreSQL alike."""
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        open(os.devnull, "w") as devnull,
    ):
        call_command("demo", no_serve=True, stdout=devnull)
        # Playwright's sync API runs the tests in a greenlet of its own, and Django keeps one
        # connection per context: the demo's would outlive the module and keep the test database
        # from being dropped at the end of the run (PostgreSQL).
        connections.close_all()
    server = LiveServer("localhost")
    server.audited = set()
    try:
        yield server
    finally:
        _join_request_threads()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()


def _join_request_threads(timeout=10.0):
    """Wait for the server's request threads to end before the server stops.

    The browser keeps connections alive, so a request thread ends only once its context has closed
    the socket; one still running when the server stops would close a connection the stopped server
    no longer shares with it (SQLite in memory), which fails in that thread."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def site(demo_server, chromium, settings, django_db_blocker):
    """site.page(username, width=1280) → a logged-in Playwright page (Chinese UI); site.shot(page, name).

    The test may use the ORM and management commands (the live server shares the database)."""
    # The live server speaks http; secure-only cookies would never come back from the browser.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    contexts = []

    class Site:
        url = demo_server.url
        visited: list = []

        def page(self, username=None, *, width=1280, height=860):
            # The site's CSP allows only its own scripts; axe is injected by the test.
            context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN", bypass_csp=True)
            contexts.append(context)
            context.luoshi_user = username
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.on("load", lambda loaded: self.visited.append((context, loaded.url)))
            if username:
                self.login(page, username)
            return page

        def login(self, page, username):
            page.goto(f"{self.url}/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("form.stack button[type=submit]")
            page.wait_for_load_state()
            if "/login/" in page.url:
                said = page.locator(".errorlist, .messages").all_inner_texts()
                pytest.fail(f"{username} could not log in: {said or page.title()}")

        def shot(self, page, name):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            path = SCREENSHOTS / f"{name}.png"
            page.screenshot(path=str(path), full_page=False)
            return path

    demo_server._live_server_modified_settings.enable()
    try:
        with django_db_blocker.unblock():
            it = Site()
            it.visited = []
            yield it
            violations = audit(it.visited, demo_server.audited)
            for context in contexts:
                context.close()
            if violations:
                pytest.fail("axe-core finds WCAG 2.1 AA violations:\n" + "\n".join(violations))
    finally:
        demo_server._live_server_modified_settings.disable()


def audit(visited, audited: set) -> list[str]:
    """Each distinct page (by address, for one person) loaded again in the context that loaded it,
    and checked by axe; a page the module has already checked for that person is not checked again."""
    found = []
    for context, url in visited:
        key = (getattr(context, "luoshi_user", None), url)
        if key in audited or not url.startswith("http"):
            continue
        audited.add(key)
        try:
            page = context.new_page()
        except Exception:  # the test closed this context itself; its pages were checked with it gone
            audited.discard(key)
            continue
        try:
            response = page.goto(url)
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
            )
            for violation in result["violations"]:
                targets = [json.dumps(node["target"], ensure_ascii=False) for node in violation["nodes"][:3]]
                found.append(f"{url}: {violation['id']} ({violation['impact']}) {violation['help']} — {', '.join(targets)}")
        except Exception as exc:  # a download or a page that no longer exists is not a page to check
            if "Download is starting" not in str(exc):
                found.append(f"{url}: {exc}")
        finally:
            page.close()
    return found
