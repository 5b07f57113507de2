"""Tasks for the worker tests: each run leaves a line in a file, so that a test can count the runs."""

from __future__ import annotations

import os

from django_tasks import task


@task()
def note_run(path: str, number: int) -> int:
    # O_APPEND: lines written by two worker processes never overwrite each other.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(descriptor)
    return number
