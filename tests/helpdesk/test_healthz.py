import shutil
import socket
import subprocess
import time

import pytest
from django.test import Client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, so stopping it disturbs nothing else."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


@pytest.mark.django_db
def test_it_reports_healthy_when_database_and_broker_answer(
    client: Client, settings, own_redis
) -> None:
    _, url = own_redis
    settings.REDIS_URL = url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_it_answers_503_once_redis_is_stopped(client: Client, settings, own_redis) -> None:
    process, url = own_redis
    settings.REDIS_URL = url
    process.terminate()
    process.wait()
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"
    # A dead broker must not hang the probe beyond the configured socket timeout.
    assert time.monotonic() - started < settings.REDIS_SOCKET_TIMEOUT * 2 + 1
