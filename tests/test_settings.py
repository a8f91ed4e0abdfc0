import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from luoshi.settings import read_env_file

PROJECT = Path(__file__).resolve().parents[1]


def run_luoshi(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-m", "luoshi", *args], env=env, capture_output=True, text=True, timeout=120)


def test_it_passes_check_deploy_with_debug_off_and_real_secrets():
    result = run_luoshi(
        "check", "--deploy", "--fail-level", "WARNING",
        env_overrides={
            "SECRET_KEY": "k" * 20 + "a-real-and-long-random-secret-0123456789",
            "ALLOWED_HOSTS": "luoshi.example.org",
            "SITE_URL": "https://luoshi.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("site_url,warning", [("", "luoshi.W001"), ("http://luoshi.example.org", "luoshi.W002")])
def test_it_warns_on_check_deploy_without_an_https_site_url(site_url, warning):
    result = run_luoshi(
        "check", "--deploy", "--fail-level", "WARNING",
        env_overrides={
            "SECRET_KEY": "k" * 20 + "a-real-and-long-random-secret-0123456789",
            "ALLOWED_HOSTS": "luoshi.example.org",
            "SITE_URL": site_url,
        },
    )
    assert result.returncode != 0 and warning in result.stdout + result.stderr


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


def test_it_checks_a_kept_connection_before_reusing_it():
    # After a database restart a kept connection is dead: checked first, it is replaced rather than
    # failing the request that would have used it.
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings_seen_from(".", "DATABASES['default']['CONN_HEALTH_CHECKS']", env_overrides={"CONN_MAX_AGE": "60"}) == [True]


def test_it_defaults_to_chinese_and_shanghai_time():
    assert settings.LANGUAGE_CODE == os.environ.get("LANGUAGE_CODE", "zh-hans")
    assert settings.TIME_ZONE == os.environ.get("TIME_ZONE", "Asia/Shanghai")


def test_it_has_a_migration_for_every_model_change(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# --- the README's commands from any folder ---------------------------------------------------------


def settings_seen_from(folder, *names, env_overrides=None):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "LUOSHI_VAR_DIR", "LUOSHI_ENV_FILE"}}
    env.update(env_overrides or {})
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'luoshi.settings'\n"
        "from django.conf import settings\n"
        f"print(repr([eval('settings.' + n) for n in {list(names)!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout)


def test_it_keeps_the_sqlite_file_under_the_project_whatever_the_folder(tmp_path):
    [name] = settings_seen_from(tmp_path, "DATABASES['default']['NAME']", env_overrides={"LUOSHI_ENV_FILE": ""})
    assert Path(name) == PROJECT / "var" / "luoshi.sqlite3"


def test_it_reads_the_env_file_and_lets_the_environment_win(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# demo\nDEBUG=1\nTIME_ZONE='Asia/Urumqi'\n", encoding="utf-8")
    assert settings_seen_from(tmp_path, "DEBUG", "TIME_ZONE", env_overrides={"LUOSHI_ENV_FILE": str(env_file)}) == [True, "Asia/Urumqi"]
    overridden = settings_seen_from(tmp_path, "DEBUG", env_overrides={"LUOSHI_ENV_FILE": str(env_file), "DEBUG": "0"})
    assert overridden == [False]


def test_it_reads_env_files_as_people_write_them(tmp_path):
    path = tmp_path / ".env"
    path.write_text('# comment\n\nDEBUG=1\nexport SITE_URL="https://luoshi.example.org"\nBROKEN LINE\nEMPTY=\n', encoding="utf-8")
    assert read_env_file(path) == {"DEBUG": "1", "SITE_URL": "https://luoshi.example.org", "EMPTY": ""}
    assert read_env_file(tmp_path / "none") == {}


def test_it_runs_the_readme_commands_from_another_folder_with_the_env_file(tmp_path):
    # What `make demo` leaves behind: a .env (here naming a scratch data folder instead of var/).
    env_file = tmp_path / ".env"
    env_file.write_text(f"DEBUG=1\nLUOSHI_VAR_DIR={tmp_path / 'var'}\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "LUOSHI_VAR_DIR", "SECRET_KEY"}}
    env["LUOSHI_ENV_FILE"] = str(env_file)
    (tmp_path / "var").mkdir()
    for args in (["migrate", "-v", "0"], ["sweep", "--dry-run"]):
        result = subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "would send reminders 0" in result.stdout and " sent " not in result.stdout
    assert (tmp_path / "var" / "luoshi.sqlite3").is_file()
