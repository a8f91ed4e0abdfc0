from django.urls import reverse

from luoshi.orgs.models import LoginThrottle
from tests.conftest import PASSWORD


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_logs_in_and_out(client, owner):
    response = attempt(client, "owner", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_it_locks_an_account_after_repeated_failures(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert attempt(client, "owner", "wrong").status_code == 200
    # now even the right password is refused, with a message saying why
    response = attempt(client, "owner", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_it_lifts_the_lock_after_the_window(client, owner, settings):
    import datetime as dt

    import time_machine

    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_SECONDS = 600
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        attempt(client, "owner", "wrong")
        attempt(client, "owner", "wrong")
        assert attempt(client, "owner", PASSWORD).status_code == 429
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 11, tzinfo=dt.timezone.utc), tick=False):
        assert attempt(client, "owner", PASSWORD).status_code == 302


def test_it_forgets_failures_after_a_success(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    attempt(client, "owner", "wrong")
    attempt(client, "owner", "wrong")
    assert attempt(client, "owner", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(key="user:owner").exists()


def test_it_changes_the_password(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-pass-2026", "new_password2": "a-new-long-pass-2026"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-new-long-pass-2026")


def test_it_speaks_chinese_by_default_and_english_on_request(client, owner):
    client.force_login(owner)
    assert "我的工作台" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "My workbench" in body and "我的工作台" not in body


def test_it_serves_a_phone_width_layout(client, owner):
    client.force_login(owner)
    body = client.get(reverse("home")).content.decode()
    assert 'name="viewport"' in body and "nav-toggle" in body


def test_it_sends_a_content_security_policy_without_inline_scripts(client, owner):
    client.force_login(owner)
    response = client.get(reverse("home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert "<script>" not in body and "onclick=" not in body
