"""/healthz/: is this web process able to serve? For the load balancer, systemd and the monitoring.

Four probes, each a few milliseconds: the database answers, the shared cache keeps a value, the file storage keeps a
file, and the task queue is being worked off (its oldest ready task is younger than TASK_QUEUE_MAX_AGE_SECONDS).
The answer is 200 when all pass and 503 otherwise. The body names each probe and its outcome and nothing more:
exception texts carry hostnames, ports and paths, so they go to the log, never to whoever asks.

We do not use django-health-check 4.8 (which supports Django 5.2): it answers 500 rather than 503 when a check fails,
has no task-queue check for django-tasks, needs dnspython, and runs as an async view whose synchronous checks go to
executor threads, each of which opens and keeps a database connection of its own behind a WSGI server. Four probes
and the view are this module.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)


class Unhealthy(Exception):
    """A probe that ran and found its service wanting; the message is safe to show."""


def _now() -> datetime:
    return timezone.now()


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise Unhealthy("unexpected answer")
    return {}


def shared_cache() -> dict:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise Unhealthy("value not kept")
    finally:
        cache.delete(key)
    return {}


def file_storage() -> dict:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as stored:
            if stored.read() != b"ok":
                raise Unhealthy("file not kept")
    finally:
        default_storage.delete(name)
    return {}


def task_queue() -> dict:
    """How many tasks wait for a worker, and since when; too old a backlog means no worker is taking them."""
    now = _now()
    # A task deferred to a later time waits from that time on, not from when it was queued.
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=Greatest("enqueued_at", "run_after"))
    backlog = DBTaskResult.objects.ready().aggregate(ready=Count("pk"), oldest=Min(due_since))
    oldest_seconds = max(0, int((now - backlog["oldest"]).total_seconds())) if backlog["oldest"] else 0
    figures = {"ready": backlog["ready"], "oldest_seconds": oldest_seconds}
    if oldest_seconds > settings.TASK_QUEUE_MAX_AGE_SECONDS:
        raise Unhealthy("backlog too old", figures)
    return figures


CHECKS: dict[str, Callable[[], dict]] = {
    "database": database,
    "cache": shared_cache,
    "storage": file_storage,
    "task_queue": task_queue,
}


def _run(name: str, check: Callable[[], dict]) -> dict:
    try:
        return {"ok": True, **check()}
    except Unhealthy as failure:
        logger.warning("Health check %s failed: %s", name, failure.args[0])
        return {"ok": False, "error": failure.args[0], **(failure.args[1] if len(failure.args) > 1 else {})}
    except Exception:
        logger.exception("Health check %s failed", name)
        return {"ok": False, "error": "unavailable"}


@never_cache
@require_GET
def healthz(request):
    """Run every probe; 200 when all pass, else 503."""
    results = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": results}, status=200 if healthy else 503)
