"""Every response carries a request id, and every log line written while serving it names that id."""

from __future__ import annotations

import json
import os
import re
import subprocess  # nosec B404: runs this project's own Python on a fixed script
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PROXY_ID = "5f0c6a3e9b7d4c21a8e3f0b1c2d3e4f5"


def test_it_returns_the_proxys_request_id(client):
    response = client.get("/healthz/", headers={"X-Request-ID": PROXY_ID})
    assert response["X-Request-ID"] == PROXY_ID


def test_it_makes_a_request_id_when_none_comes(client):
    response = client.get("/healthz/")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.parametrize("forged", ["abc", "x" * 65, 'a1b2c3d4"} {"level": "ERROR', "a1b2c3d4\nfake line"])
def test_a_malformed_request_id_is_replaced(client, forged):
    response = client.get("/healthz/", headers={"X-Request-ID": forged})
    assert response["X-Request-ID"] != forged
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


# A request whose health check fails (the database is empty: no task table), so that the view and Django both log.
_SCRIPT = f"""
import django
django.setup()
from django.test import Client
response = Client().get("/healthz/", headers={{"X-Request-ID": "{PROXY_ID}"}}, secure=True)
print("STATUS", response.status_code, flush=True)
"""


def _serve_one_request(tmp_path, **env) -> list[str]:
    environment = {
        **{name: value for name, value in os.environ.items() if name not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        **env,
    }
    completed = subprocess.run(  # nosec B603: fixed arguments
        [sys.executable, "-c", _SCRIPT], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )
    assert "STATUS 503" in completed.stdout, completed.stderr
    return [line for line in completed.stdout.splitlines() if line and not line.startswith("STATUS")]


def test_production_logs_one_json_object_per_line_with_the_request_id(tmp_path):
    lines = _serve_one_request(tmp_path, DJANGO_ENV="production")
    entries = [json.loads(line) for line in lines]
    by_logger = {entry["logger"]: entry for entry in entries}
    assert {"config.health", "django.request"} <= set(by_logger)
    assert all(entry["request_id"] == PROXY_ID for entry in by_logger.values())
    assert by_logger["django.request"]["status"] == 503
    assert "Traceback" in by_logger["config.health"]["exception"]


def test_development_logs_stay_readable_with_the_request_id(tmp_path):
    lines = _serve_one_request(tmp_path, DJANGO_ENV="development")
    health_line = next(line for line in lines if " config.health " in line)
    assert f"[{PROXY_ID}] Health check task_queue failed" in health_line
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[0])
