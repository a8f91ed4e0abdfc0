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
    assert not LoginThrottle.objects.filter(key__startswith="user:owner|").exists()


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


# --- the lock holds for look-alike names and behind a reverse proxy ---------------------------

def via(client, username, password, *, peer="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_it_locks_look_alike_names_with_the_account_they_resolve_to(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    # full-width and mathematical bold letters are the same account after NFKC
    for name in ("owner", "ｏｗｎｅｒ", "𝐨𝐰𝐧𝐞𝐫"):
        assert attempt(client, name, "wrong").status_code == 200
    for name in ("ｏｗｎｅｒ", "𝐨𝐰𝐧𝐞𝐫", "owner"):
        assert attempt(client, name, PASSWORD).status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_it_takes_the_client_from_a_trusted_proxy_only(client, owner, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # A stranger behind the proxy tries many accounts: the office behind the same proxy is not locked.
    for name in ("owner", "member", "leader", "nobody", "owner", "member", "x", "y", "z"):
        via(client, name, "wrong", peer="10.0.0.5", forwarded="203.0.113.9")
    assert via(client, "owner", PASSWORD, peer="10.0.0.5", forwarded="198.51.100.7").status_code == 302
    client.post(reverse("logout"))
    # the stranger's own address is locked for the accounts it guessed at
    assert via(client, "member", PASSWORD, peer="10.0.0.5", forwarded="203.0.113.9").status_code == 429


def test_it_ignores_a_forwarded_header_from_an_untrusted_peer(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # a new forged header on every try does not give the guesser new tries
    via(client, "owner", "wrong", peer="203.0.113.9", forwarded="1.1.1.1")
    via(client, "owner", "wrong", peer="203.0.113.9", forwarded="2.2.2.2")
    assert via(client, "owner", PASSWORD, peer="203.0.113.9", forwarded="3.3.3.3").status_code == 429


def test_it_locks_an_account_everywhere_when_guesses_come_from_many_addresses(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for n in range(8):  # four times the limit, two per address
        via(client, "owner", "wrong", peer=f"203.0.113.{n // 2}")
    assert via(client, "owner", PASSWORD, peer="198.51.100.7").status_code == 429


def test_it_keeps_the_count_in_the_database(client, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    via(client, "ｏｗｎｅｒ", "wrong", peer="203.0.113.9")
    keys = set(LoginThrottle.objects.values_list("key", flat=True))
    assert keys == {"user:owner", "user:owner|addr:203.0.113.9"}


def test_it_sends_the_admin_login_through_the_throttled_one(client, admin_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    response = client.post("/admin/login/?next=/admin/", {"username": admin_user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get("/admin/").status_code == 302
