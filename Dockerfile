# syntax=docker/dockerfile:1
#
# Attune production image. One image runs every role of docker-compose.yml: the default
# command serves the web app with gunicorn; the compose file runs the same image as the
# Celery worker, Celery beat and the one-shot `manage.py migrate` job.
#
#   docker build -t attune .
#
# Configuration comes only from environment variables at run time (docs/operations.md).

# --- Stage 1: front-end libraries from the npm registry (never a CDN) -----------------------
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- Stage 2: the application -----------------------------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=helpdesk.settings \
    ATTUNE_MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

# A fixed, unprivileged account; the code stays root-owned and read-only to it.
RUN groupadd --system --gid 10001 attune \
    && useradd --system --uid 10001 --gid attune --home-dir /home/attune --create-home \
        --shell /usr/sbin/nologin attune \
    && mkdir -p /data/media \
    && chown attune:attune /data/media

WORKDIR /app

# Dependencies first so the layer is reused while only the code changes. Every artefact is
# checked against the hash pinned in the lock file. (The lock's --find-links and local
# --extra-index-url lines point at folders that do not exist in the image; pip warns and
# installs from PyPI, still hash-checked.)
COPY requirements/base.lock requirements/base.lock
RUN pip install --require-hashes --no-cache-dir -r requirements/base.lock

COPY --from=frontend /build/node_modules/htmx.org /app/node_modules/htmx.org
COPY . /app

# Static files are collected at build time (whitenoise serves them, hashed and compressed).
# The settings refuse to load without a secret key when DEBUG is off, so the build gets a
# throwaway one; DATABASE_URL only stops the settings from creating a SQLite folder, nothing
# connects to it.
RUN DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-0123456789 \
    DJANGO_DEBUG=false \
    DATABASE_URL=postgres://build@localhost:5432/build \
    python manage.py collectstatic --noinput -v 1 \
    && python -m compileall -q /app

# Numeric, so Kubernetes runAsNonRoot and the host can verify it without /etc/passwd.
USER 10001:10001

EXPOSE 8000

# No curl in the slim image: Python asks /healthz (database and broker). The request must
# pass ALLOWED_HOSTS (the first DJANGO_ALLOWED_HOSTS entry is used as Host) and must not
# be redirected to HTTPS (X-Forwarded-Proto, as the TLS-terminating proxy would send).
HEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; h = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r = u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}); sys.exit(0 if u.urlopen(r, timeout=8).status == 200 else 1)"]

# Workers come from WEB_CONCURRENCY (default 3 above; about 2 x CPU cores + 1 is usual), each
# with 4 threads. --timeout is above the 30 s database statement timeout. The container
# port must only be reachable by the reverse proxy, which is why any forwarding address is
# trusted; access log goes to stdout, error log to stderr.
CMD ["gunicorn", "helpdesk.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--threads", "4", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--keep-alive", "5", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm", \
     "--forwarded-allow-ips", "*", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
