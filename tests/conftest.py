"""Shared fixtures. Every issue's tests reuse the same cast, in different units:

- owner:      unit liaison of 发改委 (the lead unit of the work under test)
- member:     unit liaison of 财政局 (a co-unit)
- outsider:   unit liaison of 教育局 (no part in it)
- leader:     a leader overseeing 发改委 and 财政局
- supervisor: 督查局
- admin:      the system administrator
"""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
PASSWORD = "test-password-123"


def pytest_configure(config):
    """Whatever Django deprecates for 6.0 and 6.1 fails the suite, so the code keeps running
    unchanged on Django 6 (the classes exist only on the versions that warn of them)."""
    from django.utils import deprecation

    for name in ("RemovedInDjango60Warning", "RemovedInDjango61Warning"):
        if hasattr(deprecation, name):
            config.addinivalue_line("filterwarnings", f"error::django.utils.deprecation.{name}")


# Files that take a minute or more of a worker (each loads the demo, drives a browser or runs
# commands in subprocesses). pytest-xdist hands out whole files in the order they were collected;
# started first, they run beside the many short files instead of after them, with one worker idle.
LONG_FIRST = ("tests/browser/", "tests/test_demo.py", "tests/test_settings.py", "tests/test_consistency.py")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))  # stable: order kept within each


def shared_file(relative: str) -> Path:
    """A file from ../shared; the test is skipped where that folder is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"../shared/{relative} is not present")
    return path


@pytest.fixture(autouse=True)
def fast_password_hashing(request):
    # PBKDF2 at full strength costs a third of a second a user; tests create hundreds.
    # (Pure tests also run with `-p no:django`, where there are no settings to change.)
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Delivery jobs run on the immediate backend (TASKS_BACKEND, set by luoshi.testing): in
        # the test's own thread, after commit, so nothing outlives the test.
        settings.LUOSHI = {**settings.LUOSHI, "NOTIFY_DELIVERY": "job"}
        # Cached figures are keyed on the last row ids, which a rolled-back test hands to the next
        # one: each test starts with an empty cache.
        from django.core.cache import cache

        cache.clear()
    yield
    if request.config.pluginmanager.hasplugin("django"):
        # A request in English leaves English active in the process: the next test, wherever the
        # test files fall among the workers, would read its messages in English.
        from django.utils import translation

        translation.deactivate()


@pytest.fixture
def units(db):
    from luoshi.orgs.models import Unit, UnitKind

    office = Unit.objects.create(name="示范市督查局", short_name="督查局", kind=UnitKind.PARTY, sort_order=1)
    lead = Unit.objects.create(name="示范市发展和改革委员会", short_name="发改委", aliases="发展改革委、市发改委", sort_order=2)
    co = Unit.objects.create(name="示范市财政局", short_name="财政局", aliases="市财政局", sort_order=3)
    other = Unit.objects.create(name="示范市教育局", short_name="教育局", aliases="市教育局", sort_order=4)
    sub = Unit.objects.create(name="发改委价格监测中心", short_name="价格监测中心", parent=lead, sort_order=5)
    return {"office": office, "lead": lead, "co": co, "other": other, "sub": sub}


def _person(username, role, unit=None, **extra):
    from luoshi.orgs.models import User

    user = User.objects.create_user(username=username, password=PASSWORD, name=username, role=role, unit=unit, **extra)
    return user


@pytest.fixture
def owner(units):
    return _person("owner", "liaison", units["lead"], title="联络员")


@pytest.fixture
def member(units):
    return _person("member", "liaison", units["co"], title="联络员")


@pytest.fixture
def outsider(units):
    return _person("outsider", "liaison", units["other"], title="联络员")


@pytest.fixture
def leader(units):
    user = _person("leader", "leader", None, title="副主任")
    user.oversees.set([units["lead"], units["co"]])
    return user


@pytest.fixture
def supervisor(units):
    return _person("supervisor", "supervisor", units["office"], title="督查员")


@pytest.fixture
def admin_user(units):
    return _person("admin", "admin", units["office"], is_staff=True, is_superuser=True)


@pytest.fixture
def cast(owner, member, outsider, leader, supervisor, admin_user):
    return {"owner": owner, "member": member, "outsider": outsider, "leader": leader, "supervisor": supervisor, "admin": admin_user}


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
