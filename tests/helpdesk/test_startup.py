"""Start-up behaviour, checked in fresh processes as a deployment would see it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "production-secret-with-enough-entropy-1234567890",
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CELERY_TASK_TIME_LIMIT", "ninety", "CELERY_TASK_TIME_LIMIT must be an integer"),
        ("DJANGO_DEBUG", "perhaps", "DJANGO_DEBUG must be a boolean"),
        ("DATABASE_URL", "mysql://db/attune", "DATABASE_URL must be a URL starting with"),
        ("CELERY_VISIBILITY_TIMEOUT", "60", "CELERY_VISIBILITY_TIMEOUT must exceed"),
    ],
)
def test_it_refuses_to_start_with_a_bad_setting(variable: str, value: str, message: str) -> None:
    result = run(["manage.py", "check"], **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set" in result.stderr


def test_it_passes_the_deployment_checklist_with_production_variables() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_it_boots_and_migrates_on_sqlite_with_no_configuration(tmp_path: Path) -> None:
    db = tmp_path / "boot.sqlite3"
    env = {"DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{db}"}
    assert run(["manage.py", "migrate", "--noinput", "-v0"], **env).returncode == 0
    count = "from tickets.models import Ticket; print(Ticket.objects.count())"
    result = run(["manage.py", "shell", "-v", "0", "-c", count], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def test_the_wsgi_application_loads_every_view_before_its_first_request() -> None:
    probe = (
        "import sys, helpdesk.wsgi; "
        "print('empathy.coaching' in sys.modules, 'tickets.views.workspace' in sys.modules)"
    )
    result = run(["-c", probe], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


# The pages of each demo role, on the zero-setup default: SQLite lacks PostgreSQL's
# arrays, DISTINCT ON and LIMIT inside a UNION, which the suite (on PostgreSQL) never sees.
DEMO_PAGES = """
from django.test import Client
from accounts.models import User
from tickets.models import Ticket
pages = {
    "helen.brandt": ["/empathy/dashboard/", "/surveys/report/", "/tickets/?view=all"],
    "nadia.karimi": [
        "/tickets/", "/tickets/search/?q=refund", "/tickets/macros/", "/empathy/me/",
        f"/tickets/{Ticket.objects.filter(queue__agents__username='nadia.karimi').first().pk}/",
    ],
    "amara.okafor@lumenrye.example": ["/portal/"],
}
client = Client()
for username, urls in pages.items():
    client.force_login(User.objects.get(username=username))
    for url in urls:
        print(url, client.get(url).status_code)
client.logout()
print("/support/new/", client.get("/support/new/").status_code)
"""


def test_the_demo_runs_on_sqlite_for_every_role(tmp_path: Path) -> None:
    env = {
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    assert run(["manage.py", "migrate", "--noinput", "-v0"], **env).returncode == 0
    loaded = run(["manage.py", "demo_data"], **env)
    assert loaded.returncode == 0, loaded.stderr

    result = run(["manage.py", "shell", "-v", "0", "-c", DEMO_PAGES], **env)

    assert result.returncode == 0, result.stderr
    statuses = dict(line.rsplit(" ", 1) for line in result.stdout.strip().splitlines())
    assert len(statuses) == 10
    assert set(statuses.values()) == {"200"}, statuses
