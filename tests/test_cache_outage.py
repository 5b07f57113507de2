"""A shared cache (Redis) that is down or hangs: requests get the 503 outage page within the configured timeout."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.test import Client

from config.settings import redis_cache


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers, as a Redis stuck on a full disk or a blocked fork."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


@pytest.fixture
def hung_cache(settings, silent_redis):
    settings.REDIS_TIMEOUT_SECONDS = 0.5
    settings.CACHES = {"default": {**redis_cache(silent_redis), "OPTIONS": {"socket_timeout": 0.5}}}
    yield
    caches["default"].close()


def test_the_settings_give_redis_a_timeout():
    options = redis_cache("redis://127.0.0.1:6379/0")["OPTIONS"]
    assert options["socket_timeout"] > 0 and options["socket_connect_timeout"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "kind"), [("/verify/A2027-000001/", "text/html"), ("/verify/A2027-000001.json", "application/json")])
def test_a_hung_redis_answers_the_outage_page_instead_of_hanging(hung_cache, path, kind):
    started = time.monotonic()
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(kind)
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_a_redis_that_refuses_connections_answers_the_outage_page(settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    response = Client(raise_request_exception=False).get("/honours/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()
