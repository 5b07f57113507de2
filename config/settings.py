"""Settings, read from the environment with safe local defaults.

Development (the default) runs on SQLite with a generated secret key and mail to the console.
Production sets DJANGO_ENV=production, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        if PRODUCTION and len(key) < 50:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters in production")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    # Development: generate once and keep it, so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # Only the workflow engine: its Material frontend ("viewflow") would expose every process to any
    # holder of the model-wide view permission (viewflow issue #505), so staff use the project's own pages.
    "viewflow.workflow",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "jobs",
    "awards",
    "workflows",
    "certificates",
    "credentials",
    "evaluations",
    "renewals",
    "backups",
]

MIDDLEWARE = [
    # First, so that every line logged while a request is served carries its id.
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may query the database (sessions, accounts, lockouts), inside the headers.
    "config.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "config.context_processors.site_identity",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL says otherwise.
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # IMMEDIATE serialises writers instead of failing with "database is locked".
            # WAL lets the web server read while the worker writes; NORMAL syncs at checkpoints, safe with WAL.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory, so that the tests' worker processes share it (they get this folder as their
            # DJANGO_VAR_DIR); one folder per test run, so that runs side by side do not meet.
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"award315-test-{os.getpid()}" / "db.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits count in the cache, so every web process must share it, or each process multiplies the limits:
# Redis when REDIS_URL is set; else, in production, a table in the database (`manage.py createcachetable`).
# Only development keeps it in-process; `manage.py check` refuses a process-local cache in production.
# A Redis that hangs must not hang every web process with it: each call gives up after REDIS_TIMEOUT_SECONDS and
# the request answers the outage page (config.outage), as for a database that is down.
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "2"))


def redis_cache(url: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
    }


if os.environ.get("REDIS_URL"):
    CACHES = {"default": redis_cache(os.environ["REDIS_URL"])}
elif PRODUCTION:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "award315_cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How many reverse proxies of our own stand in front of the application: the client's address is then the
# Nth from the right in X-Forwarded-For. 0 (no proxy) uses REMOTE_ADDR; never count proxies you do not run.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
# Login lockouts (django-axes) take the same client address, so that behind a proxy each real client counts alone.
AXES_CLIENT_IP_CALLABLE = "awards.ratelimit.client_ip"

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.EmailOrPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": env_int("PASSWORD_MIN_CHARACTER_CLASSES", 3)},
    },
]
# 等保 level 2 practice: lock username + IP (so a competitor cannot lock an applicant out on deadline day).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per account, however the login was spelled (full-width, spaces, e-mail or mobile).
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
# Idle logout after 30 minutes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Language and time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Django's own zh_Hans DATE_INPUT_FORMATS use the invalid directive %n; ours accept 2027年3月15日.
FORMAT_MODULE_PATH = ["config.formats"]

# Static files are served by the application itself through WhiteNoise; never from a CDN.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Development serves straight from the source folders; production from STATIC_ROOT after `collectstatic`.
WHITENOISE_USE_FINDERS = DEBUG

# Uploaded files are private: stored outside any public path and served only through views that
# check permission. There is deliberately no MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {
        "BACKEND": "awards.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024
# The right to be heard (陈述申辩): working days an enterprise has to respond to a proposed C or D result or a
# revocation, counted on the official calendar from the day after it is told, to 24:00 of the last day.
STATEMENT_WORKING_DAYS = env_int("STATEMENT_WORKING_DAYS", 5)
# Credit repair (信用修复): the organizer decides on a request within this many working days (evaluations.repair).
CREDIT_REPAIR_DECISION_WORKING_DAYS = env_int("CREDIT_REPAIR_DECISION_WORKING_DAYS", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# Mail: the console in development.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@award315.local")

# Security
# Scripts and styles only from our own static files: no inline <script>, style="" or on…= handler anywhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to stdout (systemd's journal or the container's log collector keeps them): one JSON object per line in
# production, readable lines in development; every line written while a request is served names its request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.json_log.JsonFormatter"},
        "readable": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json" if PRODUCTION else "readable",
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        # Django's own handlers (stderr in development, mail to ADMINS) give way to the one above.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "awards": {"level": "INFO"},
        # Refused attempts (another account's application, for instance); keep these logs 180 days or more.
        "awards.security": {"level": "INFO"},
        "certificates": {"level": "INFO"},
        "jobs": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

VIEWFLOW = {"AUTOREGISTER": False}

# Background work runs on Django's Tasks API (django-tasks) with the queue in the database: `manage.py worker`
# runs a worker; any number of them may run on any number of hosts against one PostgreSQL database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Due workflow timers, review reminders and the recovery of stale jobs run this often.
PERIODIC_TASK_SECONDS = env_int("PERIODIC_TASK_SECONDS", 30)
# A job step whose worker has not reported for this long is taken to be dead and is queued again, at most
# JOB_MAX_ATTEMPTS times in all; then the job fails with the reason.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# /healthz/ answers 503 when the oldest task waiting for a worker has waited longer than this: no worker is working
# off the queue, or too few for the load.
TASK_QUEUE_MAX_AGE_SECONDS = env_int("TASK_QUEUE_MAX_AGE_SECONDS", 900)
# An e-mail the mail server refuses or cannot take is tried again, with growing pauses, this many times in all.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5)

# Renewal cycles (复评): a title may be renewed from this many days before it expires, and a revoked enterprise may
# not apply again for this many years from the day the revocation took effect (0: no ban).
RENEWAL_WINDOW_DAYS = env_int("RENEWAL_WINDOW_DAYS", 180)
REVOCATION_BAN_YEARS = env_int("REVOCATION_BAN_YEARS", 2)

# The public address of the site: the QR code on every certificate points at SITE_URL/verify/<serial>/.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The issuer's signing keys: the Ed25519 key ring that signs QR codes and Open Badges (ed25519/), and the issuing
# bodies' certificates that sign PDFs (pdf/). Secret, and never in the database: keep it out of the web root and back
# it up apart from the database. `manage.py signing_keys` creates and rotates the Ed25519 keys.
SIGNING_KEY_DIR = Path(os.environ.get("SIGNING_KEY_DIR", VAR_DIR / "keys"))

SITE_TITLE = _("3·15 Consumer Rights Awards")

# Who runs the site, in the header and footer of every page: the organizer, a contact and the ICP filing number
# (ICP备案号) that a site hosted in mainland China must show, linked to the MIIT register. Development shows
# placeholders marked as a demo; production shows only what is set.
SITE_ORGANIZER_NAME = os.environ.get("SITE_ORGANIZER_NAME", "" if PRODUCTION else "杭州市消费者权益保护委员会（演示）")
SITE_CONTACT = os.environ.get("SITE_CONTACT", "" if PRODUCTION else "0571-00000000（演示）")
SITE_ICP_NUMBER = os.environ.get("SITE_ICP_NUMBER", "" if PRODUCTION else "浙ICP备00000000号（演示）")
