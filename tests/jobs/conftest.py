"""Real worker processes (`manage.py worker`) against the test database, started and stopped by the tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.workflows.conftest import carl, on_notice, reviewers  # noqa: F401 -- fixtures shared with these tests

ROOT = Path(__file__).resolve().parents[2]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Workers:
    def __init__(self, tmp_path: Path, storage: Path, extra_env: dict[str, str]) -> None:
        self.tmp_path = tmp_path
        self.storage = storage
        self.extra_env = extra_env
        self.processes: list[subprocess.Popen] = []

    def environment(self) -> dict[str, str]:
        env = {**os.environ, **self.extra_env, "DJANGO_PRIVATE_MEDIA_ROOT": str(self.storage)}
        env["SIGNING_KEY_DIR"] = str(django_settings.SIGNING_KEY_DIR)  # the test run's key ring signs the printed codes
        database = connection.settings_dict
        if database["ENGINE"] == "django.db.backends.sqlite3":
            # The worker's default database is VAR_DIR/db.sqlite3: point VAR_DIR at the test database's folder.
            env["DJANGO_VAR_DIR"] = str(Path(database["NAME"]).parent)
            env.pop("DATABASE_URL", None)
        else:
            env["DATABASE_URL"] = (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
                f"/{database['NAME']}"
            )
        return env

    def start(self, name: str = "") -> subprocess.Popen:
        log = open(self.tmp_path / f"worker-{len(self.processes)}.log", "wb")  # noqa: SIM115 -- closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "worker",
                "--interval",
                "0.1",
                "--worker-id",
                name or f"w{len(self.processes)}",
            ],
            cwd=ROOT,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.tmp_path.glob("worker-*.log")))


@pytest.fixture
def workers(transactional_db, reference_data, settings, tmp_path):
    """Start worker processes with `workers.start()`; they share the test database and the test's file storage.

    The queue is the database one in this process too, so that what the test enqueues reaches the workers."""
    settings.TASKS = DATABASE_QUEUE
    storage = Path(django_settings.STORAGES["default"]["OPTIONS"]["location"])
    pool = Workers(tmp_path, storage, {"JOB_LEASE_SECONDS": "3", "PERIODIC_TASK_SECONDS": "1"})
    settings.JOB_LEASE_SECONDS = 3
    yield pool
    pool.stop_all()


def wait_until(condition: Callable[[], object], *, timeout: float, what: str, workers: Workers | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    logs = workers.logs() if workers else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs[-4000:]}")
