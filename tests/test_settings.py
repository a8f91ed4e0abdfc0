import os
import subprocess
import sys

from django.conf import settings


def run_luoshi(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-m", "luoshi", *args], env=env, capture_output=True, text=True, timeout=120)


def test_it_passes_check_deploy_with_debug_off_and_real_secrets():
    result = run_luoshi(
        "check", "--deploy", "--fail-level", "WARNING",
        env_overrides={"SECRET_KEY": "k" * 20 + "a-real-and-long-random-secret-0123456789", "ALLOWED_HOSTS": "luoshi.example.org"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_check_without_a_secret_key():
    result = run_luoshi("check", env_overrides={"ALLOWED_HOSTS": "luoshi.example.org"})
    assert result.returncode != 0
    assert "luoshi.E001" in result.stderr + result.stdout


def test_it_fails_check_deploy_with_debug_on():
    result = run_luoshi("check", "--deploy", "--fail-level", "WARNING", env_overrides={"DEBUG": "1"})
    assert result.returncode != 0


def test_it_uses_immediate_transactions_and_a_busy_timeout_on_sqlite():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "busy_timeout" in db["OPTIONS"]["init_command"]


def test_it_defaults_to_chinese_and_shanghai_time():
    assert settings.LANGUAGE_CODE == os.environ.get("LANGUAGE_CODE", "zh-hans")
    assert settings.TIME_ZONE == os.environ.get("TIME_ZONE", "Asia/Shanghai")


def test_it_has_a_migration_for_every_model_change(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
