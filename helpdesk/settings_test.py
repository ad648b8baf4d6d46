"""Test settings: only what makes tests fast and hermetic.

The database and Redis still come from DATABASE_URL / REDIS_URL, so the suite runs
against the real PostgreSQL and Redis that `make test` points it at.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "attune-test-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from helpdesk.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tests call tasks directly or through the real worker; never eagerly by accident.
CELERY_TASK_ALWAYS_EAGER = False
AXES_ENABLED = False
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
ATTUNE_INBOUND_EMAIL_SECRET = "inbound-test-secret"  # noqa: S105
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
