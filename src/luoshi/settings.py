"""The one settings module. Everything that differs between a laptop demo and production comes from
environment variables; the defaults are safe (DEBUG off, secure cookies) and `make demo` opts in to
DEBUG explicitly."""

import json
import os
from pathlib import Path

import dj_database_url
import django
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_json(name: str) -> dict:
    try:
        value = json.loads(os.environ.get(name, "").strip() or "{}")
    except ValueError as exc:
        raise ValueError(f"{name} must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object")
    return value


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (blank lines and # comments skipped, quotes around a value
    dropped); {} when there is no such file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, IsADirectoryError):
        return {}
    values = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.removeprefix("export ").strip()] = value
    return values


PACKAGE_DIR = Path(__file__).resolve().parent
# A checkout (src/luoshi inside a folder with pyproject.toml) is the project; an installed wheel has
# none and keeps its data under the directory it is started from.
PROJECT_DIR = PACKAGE_DIR.parents[1] if (PACKAGE_DIR.parents[1] / "pyproject.toml").is_file() else None

# `make demo` writes the project's .env (DEBUG=1), so that `luoshi sweep`, `luoshi export` … run
# from any folder against the demo database. Variables set in the environment win over the file;
# LUOSHI_ENV_FILE names another file ("" for none).
_env_file = os.environ.get("LUOSHI_ENV_FILE", str(PROJECT_DIR / ".env") if PROJECT_DIR else "")
for _key, _value in (read_env_file(Path(_env_file)) if _env_file else {}).items():
    os.environ.setdefault(_key, _value)

# Runtime data (the SQLite file, uploads) lives in var/ of the project (of the working directory
# for an installed package), always as an absolute path, unless LUOSHI_VAR_DIR says otherwise.
VAR_DIR = Path(os.environ.get("LUOSHI_VAR_DIR") or (PROJECT_DIR or Path.cwd()) / "var").resolve()

DEBUG = env_bool("DEBUG", False)

# Required when DEBUG is off. It is not demanded at import, so that commands needing no secret
# (`luoshi parse`, `luoshi benchmark`) run anywhere; the system check luoshi.E001 and the WSGI
# entry point refuse to serve without it.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    # Only ever used with DEBUG on: a demo on one's own machine.
    SECRET_KEY = "demo-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "simple_history",
    "tree_queries",
    "ninja",
    # The job queue's table and `luoshi db_worker` (docs/deployment.md, "Workers").
    "django_tasks_db",
    "luoshi.core",
    "luoshi.orgs",
    "luoshi.directives",
    "luoshi.tasks",
    "luoshi.supervision",
    "luoshi.indicators",
    "luoshi.projects",
    "luoshi.requests",
    "luoshi.reports",
    "luoshi.api",
    "luoshi.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "luoshi.orgs.sessions.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "luoshi.core.middleware.ApiJsonErrorsMiddleware",
    "luoshi.core.middleware.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luoshi.core.middleware.ContentSecurityPolicyMiddleware",
    "luoshi.core.middleware.NoStoreDownloadsMiddleware",
    "luoshi.core.middleware.LuoshiErrorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "luoshi.supervision.context_processors.inbox",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://… or sqlite:///…); default the SQLite file var/luoshi.sqlite3.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'luoshi.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        # A persistent connection is tested before a request uses it, so the first requests after
        # a database restart reconnect instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue on
    # busy_timeout instead of one failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA busy_timeout=20000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if not os.environ.get("DATABASE_URL"):
        # SQLite creates the file but not its folder: a fresh var/ would fail with "unable to open".
        VAR_DIR.mkdir(parents=True, exist_ok=True)

# Background jobs (deliveries, the sweep's fan-out): Django's task framework — built in from
# Django 6, the django-tasks backport before — stored in the database and run by `luoshi db_worker`
# on any number of machines. TASKS_BACKEND=immediate runs each job in the process that enqueues it.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND not in {"database", "immediate"}:
    raise ValueError(f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else ("django.tasks" if django.VERSION >= (6, 0) else "django_tasks") + ".backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
if django.VERSION < (6, 0):
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db"), "django_tasks")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
# Django's ModelBackend with the person read by a statement compiled once (orgs/backends.py).
AUTHENTICATION_BACKENDS = ["luoshi.orgs.backends.Backend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Repeated login failures lock an account out for a while from the address they came from (at
# LOGIN_FAILURE_LIMIT), and from everywhere at four times that (guessing spread over many addresses).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed. The client is the
# right-most address in that header that is not itself a trusted proxy; from any other peer the
# header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# LUOSHI_MESSAGES_ROOT lets the catalogue check extract into a scratch copy of the package.
LOCALE_PATHS = [Path(os.environ.get("LUOSHI_MESSAGES_ROOT", PACKAGE_DIR)) / "locale"]

STATIC_URL = "static/"
# In production run `luoshi collectstatic` with STATIC_ROOT set: WhiteNoise then serves compressed,
# content-hashed files. Without it WhiteNoise finds files in the apps directly (WHITENOISE_USE_FINDERS).
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
# Uploaded files go through Django's storage API. One machine keeps them under MEDIA_ROOT; several
# app servers share an S3-compatible store: STORAGE_BACKEND=storages.backends.s3.S3Storage (after
# `pip install django-storages[s3]`) with its options as JSON in STORAGE_OPTIONS.
STORAGES = {
    "default": {
        # luoshi's file system storage: a full or read-only disk is a clear 503, never a partial file.
        "BACKEND": os.environ.get("STORAGE_BACKEND", "luoshi.core.storage.FileSystemStorage"),
        "OPTIONS": env_json("STORAGE_OPTIONS"),
    },
    "staticfiles": {
        # WhiteNoise's compressed manifest storage, or Django's plain one, each remembering the
        # addresses it gives (luoshi.core.staticfiles).
        "BACKEND": "luoshi.core.staticfiles.ManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", bool(STATIC_ROOT))
        else "luoshi.core.staticfiles.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Uploads: spreadsheets and directive files are read in memory up to this size; anything larger is
# refused with a message rather than half-read.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Every spreadsheet import (directory, decomposition table, indicator observations) reads at most
# this many rows per file and lists at most this many row errors.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_ERRORS = env_int("IMPORT_MAX_ERRORS", 500)
# Above these many rows an import or an export runs as a background job (luoshi.orgs.jobs) and the
# page follows its state; at or below, it runs in the request as before. One code path either way.
IMPORT_JOB_ROWS = env_int("IMPORT_JOB_ROWS", 2000)
EXPORT_JOB_ROWS = env_int("EXPORT_JOB_ROWS", 5000)
# How often an export job that failed unexpectedly is run in all (imports are never run twice).
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# A job still running after this many minutes lost its worker; the daily sweep marks it failed.
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", 180)
# A finished job's files (the upload it read, the file it wrote) are kept this many days, then the
# daily sweep deletes them from the upload store; the job's record, its summary and the files'
# names stay. Exports are made again in seconds; an import's data are in the database by then.
JOB_FILE_DAYS = env_int("JOB_FILE_DAYS", 30)
# The indicator pages' stored markup is kept this many days after it was written, then the daily
# sweep deletes it; a page opened again is written afresh (luoshi.indicators.fragments).
STORED_MARKUP_DAYS = env_int("STORED_MARKUP_DAYS", 7)
# API tokens may be created to last at most this many days (the token page and `luoshi token`).
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 3650)
# .xlsx and .docx files are zip archives: a few megabytes can declare gigabytes. Every import checks
# the archive's own directory against these limits before a spreadsheet or Word library opens it.
ARCHIVE_MAX_TOTAL_BYTES = env_int("ARCHIVE_MAX_TOTAL_BYTES", 200 * 1024 * 1024)
ARCHIVE_MAX_MEMBER_BYTES = env_int("ARCHIVE_MAX_MEMBER_BYTES", 100 * 1024 * 1024)
ARCHIVE_MAX_RATIO = env_int("ARCHIVE_MAX_RATIO", 200)
ARCHIVE_MAX_MEMBERS = env_int("ARCHIVE_MAX_MEMBERS", 2000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every API list is paged the same way: ?limit=&offset=, answered as {"items": [...], "count": N}.
NINJA_PAGINATION_PER_PAGE = env_int("API_PAGE_SIZE", 100)
NINJA_PAGINATION_MAX_LIMIT = env_int("API_MAX_PAGE_SIZE", 500)

# E-mail: SMTP when EMAIL_HOST is set, otherwise messages go to the console log.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "luoshi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Secure by default; a plain-http demo turns these off only because DEBUG is on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with the person they sign in by one hand-written statement a
# request (orgs/sessions.py, with its authentication middleware).
SESSION_ENGINE = "luoshi.orgs.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The API's documentation (/api/docs, /api/openapi.json) asks for a login unless this is on; by
# default it is open only in a DEBUG demo.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", DEBUG)
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")
# The HSTS preload flag is a choice for the operator to make, not a default to force on them.
SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# Supervision thresholds (health rules). Defaults from practice; every one can be changed here.
# The address people open the site at (https://luoshi.example.gov.cn): links in e-mails and group
# bots are made absolute with it. `check --deploy` warns when it is unset or not https (luoshi.W001/2).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

LUOSHI = {
    "HEALTH_YELLOW_BEHIND_POINTS": env_int("HEALTH_YELLOW_BEHIND_POINTS", 10),
    "HEALTH_RED_BEHIND_POINTS": env_int("HEALTH_RED_BEHIND_POINTS", 30),
    "HEALTH_DEADLINE_NEAR_DAYS": env_int("HEALTH_DEADLINE_NEAR_DAYS", 7),
    "HEALTH_RED_MISSED_PERIODS": env_int("HEALTH_RED_MISSED_PERIODS", 2),
    # Daily sweep: reminders N days ahead; escalation proposals.
    "REMIND_REPORT_DUE_DAYS": env_int("REMIND_REPORT_DUE_DAYS", 3),
    "REMIND_DEADLINE_DAYS": env_int("REMIND_DEADLINE_DAYS", 7),
    "ESCALATE_RED_DAYS": env_int("ESCALATE_RED_DAYS", 14),  # red this long → propose a 督办单
    "ESCALATE_UNANSWERED_ORDERS": env_int("ESCALATE_UNANSWERED_ORDERS", 2),  # this many 督办单 overdue → propose 约谈
    # Default reply time (days) offered when issuing each step of the ladder.
    "ACTION_REPLY_DAYS": {"remind": 3, "urge": 3, "order": 5, "circulate": 7, "interview": 7, "accountability": 10},
    # Notifications: "job" enqueues a delivery job after commit (see TASKS), "sweep" leaves
    # everything to the next sweep.
    "NOTIFY_DELIVERY": os.environ.get("NOTIFY_DELIVERY", "job"),
    "NOTIFY_TIMEOUT_SECONDS": env_int("NOTIFY_TIMEOUT_SECONDS", 5),
    "NOTIFY_MAX_ATTEMPTS": env_int("NOTIFY_MAX_ATTEMPTS", 5),
    "SITE_URL": SITE_URL,
    # Unit scoreboard: score = on-time × W + completion × W − overdue × W − weighted actions × W.
    "SCORE_WEIGHTS": {"on_time": 60, "completion": 40, "overdue": 5, "actions": 2},
    # Projects (项目台账): a stage this many months late → red; investment behind the
    # time-proportional plan by these points → yellow (inclusive) / red (exclusive).
    "PROJECT_STAGE_RED_MONTHS": env_int("PROJECT_STAGE_RED_MONTHS", 3),
    "PROJECT_INVEST_YELLOW_POINTS": env_int("PROJECT_INVEST_YELLOW_POINTS", 10),
    "PROJECT_INVEST_RED_POINTS": env_int("PROJECT_INVEST_RED_POINTS", 30),
    # Enterprise requests (万人助万企): days for the unit to propose a solution; default 办结时限
    # by difficulty; the public form's limits.
    "REQUEST_PROPOSAL_DAYS": env_int("REQUEST_PROPOSAL_DAYS", 7),
    "REQUEST_SOLVE_DAYS": {"immediate": 5, "limited": 30, "long": 180},
    "REQUEST_PUBLIC_SUBMITS_PER_HOUR": env_int("REQUEST_PUBLIC_SUBMITS_PER_HOUR", 5),
    "REQUEST_PUBLIC_LOOKUPS_PER_HOUR": env_int("REQUEST_PUBLIC_LOOKUPS_PER_HOUR", 30),
    "REQUEST_PUBLIC_MIN_SECONDS": env_int("REQUEST_PUBLIC_MIN_SECONDS", 5),
    "REQUEST_ATTACHMENT_MAX_BYTES": env_int("REQUEST_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024),
}
