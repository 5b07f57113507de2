"""Work that runs every PERIODIC_TASK_SECONDS on the task queue: due workflow timers, reminders, stale-job recovery.

The queue has no scheduler of its own, so the periodic task enqueues its next run itself (`run_after`). The worker
command makes sure one run is queued when it starts; a second chain, if two workers start at once, ends by itself
at its next run because it finds the other one queued.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django_tasks import TaskResultStatus, task

from jobs.queue import can_defer, enqueue_later

logger = logging.getLogger(__name__)

PERIODIC: dict[str, Callable[[], object]] = {}


def register(name: str, function: Callable[[], object]) -> None:
    """Called by the app that owns the work, from its AppConfig.ready()."""
    PERIODIC[name] = function


def interval() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.PERIODIC_TASK_SECONDS)


def run_periodic_work() -> dict[str, object]:
    """Run every registered piece of periodic work once; one that fails does not stop the others."""
    outcome = {}
    for name, function in PERIODIC.items():
        try:
            outcome[name] = function()
        except Exception:
            logger.exception("periodic work %s failed", name)
            outcome[name] = None
    return outcome


@task()
def periodic() -> dict[str, object]:
    outcome = run_periodic_work()
    if not _another_run_queued():
        enqueue_later(periodic, interval())
    return {name: value if isinstance(value, int | str | None) else str(value) for name, value in outcome.items()}


def _another_run_queued() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=periodic.module_path, status=TaskResultStatus.READY).exists()


def ensure_scheduled() -> bool:
    """Queue the periodic task unless a run is already queued; True when this call queued it."""
    if not can_defer() or _another_run_queued():
        return False
    periodic.enqueue()
    return True
