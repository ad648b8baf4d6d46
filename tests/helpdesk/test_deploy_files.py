"""The deployment files keep the production shape that docs/operations.md describes.

No Docker engine is needed: docker-compose.yml is read with PyYAML (anchors and merge keys
resolved, as Compose does) and the Dockerfile as text.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SETTINGS_FILE = ROOT / "helpdesk" / "settings.py"

APP_SERVICES = ("web", "worker", "beat", "migrate")
ENV_READERS = {"env_bool", "env_int", "env_list", "env_secret", "env_str", "env_url", "env_choice"}
# These readers go through env_secret, so NAME_FILE is honoured for them.
SECRET_READERS = {"env_secret", "env_url"}
# Sample .env values for the variables Compose requires.
SAMPLE_DOTENV = {
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
    "ATTUNE_SITE_URL": "https://help.example.com",
    "POSTGRES_PASSWORD": "0123456789abcdef",
    "DJANGO_EMAIL_HOST": "smtp.example.com",
    "DJANGO_DEFAULT_FROM_EMAIL": "Example Support <support@example.com>",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def app_env(compose: dict[str, Any]) -> dict[str, str]:
    return compose["x-app-env"]


def settings_env_reads() -> dict[str, str]:
    """Every environment variable settings.py reads: name -> the env_* reader used."""
    reads: dict[str, str] = {}
    for node in ast.walk(ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ENV_READERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            reads[node.args[0].value] = node.func.id
    return reads


def command_args(service: dict[str, Any]) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else [str(arg) for arg in command]


def option_value(args: list[str], *names: str) -> str | None:
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                return args[index + 1]
            if name.startswith("--") and arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
    return None


def interpolate(value: str, dotenv: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, for the sample .env."""

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3) or ""
        if dotenv.get(name):
            return dotenv[name]
        if operator == ":?":
            raise AssertionError(f"{name} is required by docker-compose.yml but not sampled")
        return argument if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", replace, value)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    instructions = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


# --- docker-compose.yml ---------------------------------------------------------------------


def test_it_defines_the_production_services(services: dict[str, dict[str, Any]]) -> None:
    assert {"web", "worker", "beat", "migrate", "db", "redis"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert any(":/var/lib/postgresql/data" in volume for volume in services["db"]["volumes"])


def test_it_runs_exactly_one_beat(services: dict[str, dict[str, Any]]) -> None:
    beats = [
        name
        for name, service in services.items()
        if "beat" in command_args(service)
        or {"-B", "--beat"} & set(command_args(service))  # a worker with an embedded beat
    ]
    assert beats == ["beat"]
    assert command_args(services["beat"])[:4] == ["celery", "-A", "helpdesk", "beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_it_only_sets_variables_that_settings_read(app_env: dict[str, str]) -> None:
    reads = settings_env_reads()
    assert len(reads) > 30, "the settings parser found too few env_* calls"
    unknown = []
    for name in app_env:
        base = name.removesuffix("_FILE")
        if name in reads or (name != base and reads.get(base) in SECRET_READERS):
            continue
        unknown.append(name)
    assert unknown == [], f"settings.py does not read {unknown}"


def test_it_configures_the_essentials_with_secrets_as_files(app_env: dict[str, str]) -> None:
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_SECRET_KEY_FILE",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_CSRF_TRUSTED_ORIGINS",
        "ATTUNE_SITE_URL",
        "ATTUNE_MEDIA_ROOT",
        "ATTUNE_INBOUND_EMAIL_SECRET_FILE",
        "DJANGO_EMAIL_HOST",
    } <= set(app_env)
    assert str(app_env["DJANGO_DEBUG"]).lower() == "false"
    assert app_env["DATABASE_URL"].startswith("postgres://")
    assert app_env["REDIS_URL"].startswith("redis://redis:")
    # A secret is never given both ways (the settings refuse that) nor inline.
    assert "DJANGO_SECRET_KEY" not in app_env
    assert "ATTUNE_INBOUND_EMAIL_SECRET" not in app_env


def test_it_gives_every_app_service_the_settings_and_secrets(
    compose: dict[str, Any], services: dict[str, dict[str, Any]], app_env: dict[str, str]
) -> None:
    files = {name: path for name, path in app_env.items() if name.endswith("_FILE")}
    for service_name in APP_SERVICES:
        service = services[service_name]
        assert service["environment"].items() >= app_env.items(), service_name
        mounted = {s if isinstance(s, str) else s["source"] for s in service["secrets"]}
        for name, path in files.items():
            secret = path.removeprefix("/run/secrets/")
            assert path.startswith("/run/secrets/"), name
            assert secret in mounted, f"{service_name} lacks the secret behind {name}"
            assert secret in compose["secrets"], f"no top-level secret {secret}"


def test_it_puts_attachments_on_a_volume_for_web_and_worker(
    compose: dict[str, Any], services: dict[str, dict[str, Any]], app_env: dict[str, str]
) -> None:
    media_root = app_env["ATTUNE_MEDIA_ROOT"]
    for service_name in ("web", "worker"):
        volume = next(v for v in services[service_name]["volumes"] if v.endswith(media_root))
        assert volume.split(":")[0] in compose["volumes"]


def test_it_starts_web_and_worker_after_migrations_and_healthy_backends(
    services: dict[str, dict[str, Any]],
) -> None:
    for service_name in ("web", "worker", "beat"):
        depends_on = services[service_name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy", service_name
        assert depends_on["redis"]["condition"] == "service_healthy", service_name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    migrate = services["migrate"]
    assert command_args(migrate)[-3:] == ["manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"


def test_it_health_checks_db_redis_web_and_worker(services: dict[str, dict[str, Any]]) -> None:
    def check(name: str) -> str:
        healthcheck = services[name]["healthcheck"]
        assert not healthcheck.get("disable"), name
        return " ".join(healthcheck["test"])

    assert "pg_isready" in check("db")
    assert "redis-cli ping" in check("redis")
    assert "/healthz" in check("web")
    # $$ is Compose's escape: the container's shell expands $HOSTNAME to its own node.
    assert "celery -A helpdesk inspect ping -d celery@$$HOSTNAME" in check("worker")
    for name in ("web", "worker", "beat", "db", "redis"):
        assert services[name]["restart"] in {"always", "unless-stopped"}, name


def test_it_runs_a_worker_for_every_queue_the_code_sends_to(
    services: dict[str, dict[str, Any]],
) -> None:
    from helpdesk.celery import app
    from tickets.models import EventKind
    from tickets.outbox import handlers_for

    used = {app.conf.task_default_queue}
    used |= {route["queue"] for route in app.conf.task_routes.values()}
    used |= {handler.queue for kind in EventKind for handler in handlers_for(kind)}
    args = command_args(services["worker"])
    consumed = set((option_value(args, "-Q", "--queues") or "").split(","))
    assert used <= consumed
    assert consumed == {"default", "mail", "scoring", "surveys"}
    assert option_value(args, "--max-tasks-per-child") is not None


def test_it_configures_a_valid_production_site_from_the_compose_environment(
    app_env: dict[str, str], tmp_path: Path
) -> None:
    """The anchor, filled in from a sample .env, passes the deploy security checks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    for name, value in app_env.items():
        value = interpolate(str(value), SAMPLE_DOTENV)
        if value.startswith("/run/secrets/"):
            secret = tmp_path / value.removeprefix("/run/secrets/")
            secret.write_text(f"sample-{secret.name}-" + "x" * 50 + "\n", encoding="utf-8")
            value = str(secret)
        env[name] = value
    env["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from django.core.management import call_command; "
        "call_command('check', tags=['security'], deploy=True, fail_level='WARNING'); "
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, str(s.MEDIA_ROOT), s.EMAIL_PORT]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    debug, hosts, engine, broker, eager, media_root, email_port = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert debug is False
    assert hosts == ["help.example.com"]
    assert engine == "django.db.backends.postgresql"
    assert broker.startswith("redis://redis:")
    assert eager is False
    assert media_root == app_env["ATTUNE_MEDIA_ROOT"]
    assert email_port == 587


# --- Dockerfile -----------------------------------------------------------------------------


def test_it_installs_the_locked_requirements_with_hashes() -> None:
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    pip = [args for args in runs if "pip install" in args]
    assert pip, "no pip install in the Dockerfile"
    assert all("--require-hashes" in args for args in pip)
    assert any("-r requirements/base.lock" in args for args in pip)
    assert any("collectstatic --noinput" in args for args in runs)


def test_it_does_not_run_as_root() -> None:
    instructions = dockerfile_instructions()
    final_stage = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    users = [args for keyword, args in instructions[final_stage:] if keyword == "USER"]
    assert users, "the final stage has no USER line"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_it_serves_gunicorn_on_8000_with_a_health_check() -> None:
    stages = [args for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert stages[0].startswith("node:20-slim")
    assert stages[-1].startswith("python:3.11-slim")
    instructions = dict(dockerfile_instructions())  # the last of each kind
    assert "8000" in instructions["EXPOSE"].split()
    assert "/healthz" in instructions["HEALTHCHECK"]
    cmd = json.loads(instructions["CMD"])
    assert cmd[:2] == ["gunicorn", "helpdesk.wsgi:application"]
    assert "--forwarded-allow-ips" in cmd
    assert option_value(cmd, "--access-logfile") == "-"


def test_it_keeps_local_state_and_secrets_out_of_the_build_context() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "node_modules", "var", "staticfiles", ".env", "secrets"} <= ignored
