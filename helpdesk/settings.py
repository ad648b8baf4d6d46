"""Attune settings: one module, every deploy-specific value from the environment.

Development and production differ only through environment variables (see
docs/operations.md for the full list). With nothing set, Attune runs on SQLite
with background tasks executed in-process, so `make run` works on a bare machine.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import env_bool, env_int, env_list, env_rate, env_secret, env_str, env_url

# Lets admin and queryset classes be subscripted with their model for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# A fixed development key is only acceptable when DEBUG is on; production must say.
_DEV_SECRET = "attune-insecure-development-key-do-not-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set when DJANGO_DEBUG is off."
    )
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("The development SECRET_KEY cannot be used with DJANGO_DEBUG off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("ATTUNE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "axes",
    "accounts",
    "tickets",
    "empathy",
    "surveys",
    "webhooks",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files (an SVG is active content) get CSP and frame denial too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "helpdesk.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last: it needs the authenticated user and must see every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'var' / 'attune.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
)
# Persistent connections (each gunicorn thread and Celery process keeps its own for up to
# CONN_MAX_AGE seconds), without Django's per-request health check: that check is a
# `SELECT 1` round trip before the first query of every request, ~0.5 ms of CPU per API
# ticket creation here (docs/performance.md). Without it, a connection that died between
# requests (PostgreSQL restarted or failed over) fails the one request that finds it, and
# Django drops it when that request ends; the next request connects afresh. Turn the check
# on where connections die silently and often (a pooler or firewall closing idle ones).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DJANGO_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=env_bool("DJANGO_DB_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A missing folder would make SQLite fail with an obscure "unable to open" error.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the dev server read while the in-process tasks write; IMMEDIATE avoids
    # "database is locked" on lock upgrades; NORMAL sync is safe with WAL for a dev box.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # Bound every statement so a runaway query cannot pin a web worker forever.
    _statement_timeout_ms = env_int("DJANGO_DB_STATEMENT_TIMEOUT_MS", 30_000, minimum=0)
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DJANGO_DB_CONNECT_TIMEOUT", 5, minimum=1),
        "options": f"-c statement_timeout={_statement_timeout_ms}",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))
# A frozen Redis must not hang a web request: every socket operation is bounded.
REDIS_SOCKET_TIMEOUT = env_int("ATTUNE_REDIS_SOCKET_TIMEOUT", 2, minimum=1)
# After a Redis failure each process skips Redis this long (helpdesk.resilience): one
# request per process pays the socket timeout per period, the others go straight on.
ATTUNE_REDIS_BREAKER_SECONDS = env_int("ATTUNE_REDIS_BREAKER_SECONDS", 30, minimum=1)

if REDIS_URL:
    CACHES = {
        "default": {
            # Behind the Redis circuit breaker: a dead or frozen Redis makes the cache miss
            # (rate limits and throttles fail open) instead of failing or stalling requests.
            "BACKEND": "helpdesk.resilience.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "attune",
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Without a broker, tasks run in-process so the zero-setup default still does its work.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=2)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be greater than the soft limit.")
# Redis redelivers an unacknowledged message after the visibility timeout; it must exceed
# the longest task (and any countdown/eta we use) or a slow task would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60, minimum=60)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")

# --- Auth and security ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("ATTUNE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies (load balancer, ingress) sit in front of gunicorn. Rate limits,
# login lockouts and API throttles key on the client address derived from this.
ATTUNE_TRUSTED_PROXIES = env_int("ATTUNE_TRUSTED_PROXIES", 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "helpdesk.http.client_ip"

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 12 * 60 * 60, minimum=300)
X_FRAME_OPTIONS = "DENY"
# No inline scripts and no eval anywhere: per-page JS lives in static files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list[object] = [BASE_DIR / "static"]
# Front-end libraries come from the npm registry at install time (`npm ci`), never a CDN.
if (BASE_DIR / "node_modules" / "htmx.org" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("ATTUNE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
ATTACHMENT_MAX_BYTES = env_int("ATTUNE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Requests may carry a few attachments; the per-file limit is enforced by the services.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("DJANGO_EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "Attune Support <support@attune.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Shared secret the MTA pipe presents to the inbound-mail endpoint (empty disables it).
ATTUNE_INBOUND_EMAIL_SECRET = env_secret("ATTUNE_INBOUND_EMAIL_SECRET") or ""
ATTUNE_IMAP_URL = env_url("ATTUNE_IMAP_URL", "", schemes=("imap", "imaps"))
# The authserv-id our receiving MTA writes in Authentication-Results (RFC 8601); when
# set, mail whose From it could not authenticate never joins an existing ticket.
ATTUNE_INBOUND_AUTHSERV_ID = env_str("ATTUNE_INBOUND_AUTHSERV_ID", "").strip().lower()

# --- Product behaviour ----------------------------------------------------------------------
ATTUNE_DEFAULT_QUEUE = env_str("ATTUNE_DEFAULT_QUEUE", "general")
ATTUNE_SURVEY_DELAY_SECONDS = env_int("ATTUNE_SURVEY_DELAY_SECONDS", 3600, minimum=0)
ATTUNE_SURVEY_COOLDOWN_DAYS = env_int("ATTUNE_SURVEY_COOLDOWN_DAYS", 7, minimum=0)
ATTUNE_SURVEY_EDIT_DAYS = env_int("ATTUNE_SURVEY_EDIT_DAYS", 14, minimum=1)
ATTUNE_SURVEY_REMINDER_DAYS = env_int("ATTUNE_SURVEY_REMINDER_DAYS", 3, minimum=1)
ATTUNE_SURVEY_LINK_MAX_AGE_DAYS = env_int("ATTUNE_SURVEY_LINK_MAX_AGE_DAYS", 30, minimum=1)
# Local hours in the customer's time zone when no survey mail is sent: [start, end).
ATTUNE_SURVEY_QUIET_HOURS = (
    env_int("ATTUNE_SURVEY_QUIET_START", 21, minimum=0, maximum=23),
    env_int("ATTUNE_SURVEY_QUIET_END", 8, minimum=0, maximum=23),
)
# Portal sign-in links are single-use and short-lived: a mailbox read later by someone
# else (forwarded mail, a shared inbox) must not open the customer's portal for days.
ATTUNE_MAGIC_LINK_MAX_AGE = env_int("ATTUNE_MAGIC_LINK_MAX_AGE", 30 * 60, minimum=60)
ATTUNE_PUBLIC_FORM_RATE = env_int("ATTUNE_PUBLIC_FORM_RATE", 5, minimum=1)  # per hour, per IP/email
ATTUNE_OUTBOX_SWEEP_AGE_SECONDS = env_int("ATTUNE_OUTBOX_SWEEP_AGE_SECONDS", 60, minimum=1)
# Live-coaching drafts per minute per user, counted in each web worker's memory: the editor
# asks on every pause in typing (300 ms debounce, so at most ~200/min from a fast typist).
ATTUNE_COACH_RATE = env_int("ATTUNE_COACH_RATE", 240, minimum=1)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "helpdesk.api.CreatedCursorPagination",
    "EXCEPTION_HANDLER": "helpdesk.api.error_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "helpdesk.throttling.AnonThrottle",
        "helpdesk.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("ATTUNE_API_ANON_RATE", "60/min"),
        "user": env_str("ATTUNE_API_USER_RATE", "1200/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": ATTUNE_TRUSTED_PROXIES,
}
# Failed API-token attempts per client address (accounts.bad_tokens): beyond it, 429.
ATTUNE_API_BAD_TOKEN_RATE = env_rate("ATTUNE_API_BAD_TOKEN_RATE", "20/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Attune API",
    "DESCRIPTION": "Help desk with empathy coaching.",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.choices.Status",
        "TicketPriorityEnum": "tickets.models.choices.Priority",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# --- Locale and logging ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Per-task success lines drown everything else at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"}},
}
