"""/healthz/: 200 when the database, cache, file storage and task queue work, 503 when one does not, no internals."""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404: runs this project's settings in a fresh interpreter
import sys
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from awards.storage import PrivateFileSystemStorage
from config import health
from jobs.periodic import periodic

pytestmark = pytest.mark.django_db

# What a failing service says in real life: a host, a port, a path. None of it may reach the answer.
SECRET_DETAIL = 'connection to server at "db-internal.example" (10.0.0.7), port 5432 failed: /srv/award315/var'


def _get(client):
    response = client.get("/healthz/")
    return response, json.loads(response.content)


def _queue_task(enqueued_ago: timedelta) -> DBTaskResult:
    result = periodic.using(backend="database").enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - enqueued_ago)
    return DBTaskResult.objects.get(pk=result.id)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {**settings.TASKS, "database": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_it_answers_200_when_everything_works(client):
    response, body = _get(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: result["ok"] for name, result in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "storage": True,
        "task_queue": True,
    }


def test_it_needs_no_login_and_is_never_cached(client):
    response, _ = _get(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_reports_the_backlog_and_the_age_of_the_oldest_ready_task(client, database_queue):
    _queue_task(timedelta(seconds=120))
    _queue_task(timedelta(seconds=5))
    response, body = _get(client)
    assert response.status_code == 200
    assert body["checks"]["task_queue"]["ready"] == 2
    assert 120 <= body["checks"]["task_queue"]["oldest_seconds"] < 180


def test_it_answers_503_when_the_oldest_ready_task_waited_longer_than_the_threshold(client, settings, database_queue):
    settings.TASK_QUEUE_MAX_AGE_SECONDS = 60
    _queue_task(timedelta(seconds=120))
    response, body = _get(client)
    assert response.status_code == 503
    queue = body["checks"]["task_queue"]
    assert (queue["ok"], queue["error"], queue["ready"]) == (False, "backlog too old", 1)
    assert 120 <= queue["oldest_seconds"] < 180


def test_a_task_deferred_to_later_is_not_counted_as_waiting(client, settings, database_queue):
    settings.TASK_QUEUE_MAX_AGE_SECONDS = 60
    result = periodic.using(backend="database", run_after=timezone.now() + timedelta(minutes=5)).enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(hours=1))
    response, body = _get(client)
    assert response.status_code == 200
    assert body["checks"]["task_queue"]["ready"] == 0


def _broken(*args, **kwargs):
    raise OperationalError(SECRET_DETAIL)


@pytest.mark.parametrize(
    ("target", "attribute", "failing"),
    [
        # The task queue lives in the database too, so it fails with it.
        (connection, "cursor", ["database", "task_queue"]),
        (cache, "set", ["cache"]),
        (PrivateFileSystemStorage, "save", ["storage"]),
        (DBTaskResult.objects, "ready", ["task_queue"]),
    ],
    ids=["database", "cache", "storage", "task_queue"],
)
def test_it_answers_503_naming_the_failed_service_without_its_error_text(client, monkeypatch, target, attribute, failing):
    monkeypatch.setattr(target, attribute, _broken)
    response, body = _get(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert {name: result for name, result in body["checks"].items() if not result["ok"]} == {
        name: {"ok": False, "error": "unavailable"} for name in failing
    }
    for internal in ("db-internal", "10.0.0.7", "5432", "/srv/", "OperationalError", "Traceback"):
        assert internal not in response.content.decode()


def test_a_cache_that_loses_values_is_unhealthy(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response, body = _get(client)
    assert response.status_code == 503
    assert body["checks"]["cache"] == {"ok": False, "error": "value not kept"}


def test_the_storage_probe_leaves_no_file_behind(client):
    _get(client)
    assert default_storage.listdir("healthz")[1] == []


def test_the_check_costs_two_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert health.database() == {}
        health.task_queue()


def test_the_threshold_comes_from_the_environment():
    completed = subprocess.run(  # nosec B603: fixed arguments
        [sys.executable, "-c", "from django.conf import settings; print(settings.TASK_QUEUE_MAX_AGE_SECONDS)"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "TASK_QUEUE_MAX_AGE_SECONDS": "42"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert completed.stdout.strip() == "42"
