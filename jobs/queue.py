"""Enqueueing on the project's task queue (django-tasks, the API Django 6 ships as django.tasks)."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.base import Task


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Enqueue once the surrounding transaction commits, so that the worker finds what the task is about,
    and nothing is done for a change that is rolled back."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def can_defer() -> bool:
    """Whether the queue can hold a task until later (the database queue can; the immediate one of the tests cannot)."""
    return default_task_backend.supports_defer


def enqueue_later(task: Task, delay: datetime.timedelta, *args, **kwargs) -> bool:
    """Enqueue to run after `delay`; False where the queue cannot defer."""
    if not can_defer():
        return False
    task.using(run_after=timezone.now() + delay).enqueue(*args, **kwargs)
    return True
