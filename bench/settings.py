"""Settings for the benchmark: production-like (DEBUG off), pointed at the bench database.

Only what a benchmark needs differs from helpdesk.settings: a fixed secret, plain HTTP on
loopback, no login lockout, static files served from the finders, and a Redis database of
its own (12) so no test worker ever takes a bench task or the other way round.
"""

import os
import warnings

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "attune-bench-secret-key-not-for-production-0123456789abcdef"
)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/attune_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
# The default 1200/min per user would cap the intake benchmark (one API user) at 20/s;
# the benchmark measures the server, so the throttle is lifted (docs/performance.md).
os.environ.setdefault("ATTUNE_API_USER_RATE", "1000000/min")
os.environ.setdefault("ATTUNE_COACH_RATE", "1000000")  # likewise for live coaching

from helpdesk.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_ENABLED = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# No collectstatic for a benchmark: WhiteNoise serves from the finders, quietly.
warnings.filterwarnings("ignore", message="No directory at: ")
