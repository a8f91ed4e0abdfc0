"""API tokens (luoshi.api): each person's token page (create with a name and expiry, the secret
shown once, last use, revoke), `luoshi token` (--list, --revoke, --expires-days), and the rule that
an expired or revoked token answers 401. Another person's token can be neither seen nor revoked."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from luoshi.api.models import ApiToken, hash_token
from luoshi.api.services import token_create, token_revoke
from luoshi.core.errors import Forbidden, Invalid

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)


def me(client, token):
    return client.get("/api/orgs/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_it_stops_a_token_when_it_expires(client, owner):
    with time_machine.travel(NOW, tick=False):
        record, token = token_create(user=owner, name="统计脚本", expires_days=30)
        assert record.expires_at == NOW + dt.timedelta(days=30)
        assert me(client, token).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        assert me(client, token).status_code == 401
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        assert me(client, token).status_code == 200


def test_it_stops_a_revoked_token_at_once_and_records_when(client, owner):
    record, token = token_create(user=owner, name="统计脚本")
    assert me(client, token).status_code == 200
    token_revoke(actor=owner, token=record)
    record.refresh_from_db()
    assert record.revoked and record.revoked_at is not None
    assert me(client, token).status_code == 401


def test_it_records_the_last_use(client, owner):
    record, token = token_create(user=owner, name="统计脚本")
    assert record.last_used_at is None
    with time_machine.travel(NOW, tick=False):
        me(client, token)
    record.refresh_from_db()
    assert record.last_used_at == NOW


@pytest.mark.parametrize("name, days, message", [
    ("", None, "请填写令牌名称"), ("长" * 101, None, "最多 100 个字"),
    ("脚本", 0, "有效期须为 1 至 3650 天"), ("脚本", 3651, "有效期须为 1 至 3650 天"),
])
def test_it_refuses_a_bad_name_or_expiry_and_stores_nothing(owner, name, days, message):
    with pytest.raises(Invalid, match=message):
        token_create(user=owner, name=name, expires_days=days)
    assert not ApiToken.objects.exists()


def test_it_lets_nobody_revoke_another_persons_token(owner, member):
    record, _token = token_create(user=owner, name="统计脚本")
    with pytest.raises(Forbidden):
        token_revoke(actor=member, token=record)
    assert not ApiToken.objects.get(pk=record.pk).revoked


# --- the page -------------------------------------------------------------------------------


def test_it_creates_a_token_on_the_page_and_shows_the_secret_once(client, owner, login):
    page = login(owner)
    answer = page.post(reverse("tokens:list"), {"name": "统计脚本", "expires_days": "90"})
    assert answer.status_code == 200
    secret = re.search(r"ls_[A-Za-z0-9_\-]{20,}", answer.content.decode()).group(0)
    record = ApiToken.objects.get(user=owner)
    assert record.key_hash == hash_token(secret) and record.name == "统计脚本"
    assert record.expires_at is not None and record.expires_at - timezone.now() > dt.timedelta(days=89)
    again = page.get(reverse("tokens:list")).content.decode()
    assert "统计脚本" in again and record.prefix in again and secret not in again


def test_it_refuses_a_bad_form_on_the_page_and_stores_nothing(owner, login):
    answer = login(owner).post(reverse("tokens:list"), {"name": "", "expires_days": "-1"})
    assert answer.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_lists_only_ones_own_tokens(owner, member, login):
    token_create(user=owner, name="联络员脚本")
    token_create(user=member, name="别人的脚本")
    text = login(owner).get(reverse("tokens:list")).content.decode()
    assert "联络员脚本" in text and "别人的脚本" not in text


def test_it_revokes_ones_own_token_on_the_page(client, owner, login):
    record, token = token_create(user=owner, name="统计脚本")
    answer = login(owner).post(reverse("tokens:revoke", args=[record.pk]))
    assert answer.status_code == 302
    assert ApiToken.objects.get(pk=record.pk).revoked
    client.logout()
    assert me(client, token).status_code == 401


@pytest.mark.parametrize("role", ["member", "outsider", "leader", "supervisor", "admin"])
def test_it_answers_404_for_another_persons_token(cast, owner, login, role):
    record, token = token_create(user=owner, name="统计脚本")
    answer = login(cast[role]).post(reverse("tokens:revoke", args=[record.pk]))
    assert answer.status_code == 404
    assert not ApiToken.objects.get(pk=record.pk).revoked


def test_it_refuses_revoking_by_get_and_asks_strangers_to_log_in(client, owner):
    record, _token = token_create(user=owner, name="统计脚本")
    assert client.get(reverse("tokens:list")).status_code == 302
    assert client.post(reverse("tokens:revoke", args=[record.pk])).status_code == 302
    client.force_login(owner)
    assert client.get(reverse("tokens:revoke", args=[record.pk])).status_code == 405
    assert not ApiToken.objects.get(pk=record.pk).revoked


# --- the command ----------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_it_creates_lists_and_revokes_from_the_console(client, owner, member):
    with time_machine.travel(NOW, tick=False):
        token = run("owner", "--name", "备份脚本", "--expires-days", "7").strip()
        record = ApiToken.objects.get(key_hash=hash_token(token))
        assert record.expires_at == NOW + dt.timedelta(days=7)
        token_create(user=member, name="别人的脚本")
        listing = run("owner", "--list")
        assert "备份脚本" in listing and record.prefix in listing and "别人的脚本" not in listing and "有效" in listing
        assert "别人的脚本" in run("--list")
        assert "已停用" in run("--revoke", record.prefix)
        assert me(client, token).status_code == 401
        assert "已停用" in run("owner", "--list")


@pytest.mark.parametrize("args, message", [
    (("nobody",), "没有有效用户"), (("--revoke", "ls_missing"), "找不到令牌"),
    (("owner", "--expires-days", "0"), "有效期须为"), ((), "请给出用户名"),
])
def test_it_explains_a_bad_console_request(owner, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ApiToken.objects.exists()


def test_it_explains_a_bad_console_request_in_english_too(owner):
    # Commands were once left out of the catalogue, so their messages stayed Chinese in English.
    from django.utils import translation

    with translation.override("en"), pytest.raises(CommandError, match="No active user nobody"):
        run("nobody")
