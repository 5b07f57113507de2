"""Run a background worker: the database task queue's worker, with the periodic task scheduled.

Any number of workers may run on any number of hosts against one PostgreSQL database; each task runs once.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.periodic import ensure_scheduled


class Command(BaseCommand):
    help = "Run a background worker (print batches, list exports, e-mail, timers and reminders)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--worker-id", default=None, help="A name unique among the workers (default: random).")

    def handle(self, *args, interval: float, batch: bool, worker_id: str | None, verbosity: int, **options) -> None:
        ensure_scheduled()
        arguments = {"interval": interval, "batch": batch, "reload": False, "verbosity": verbosity}
        if worker_id:
            arguments["worker_id"] = worker_id
        call_command("db_worker", **arguments)
