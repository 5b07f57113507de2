"""Fire due workflow timers (and review reminders) from the web processes themselves.

In the embedded default no cron or worker runs, so the application does the sweep after a response, at most
once per interval per process. Sweeps are safe to run from several processes at once: each timer is re-checked
under its flow lock, and each reminder is claimed by an atomic update. Production may also run
`manage.py workflow_timers` from cron.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class DueTimersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.interval = getattr(settings, "WORKFLOW_TIMER_SWEEP_SECONDS", 30)
        self._next_sweep = 0.0
        self._lock = threading.Lock()

    def __call__(self, request):
        response = self.get_response(request)
        if self.interval >= 0 and self._due():
            sweep()
        return response

    def _due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._next_sweep:
                return False
            self._next_sweep = now + self.interval
            return True


def sweep() -> tuple[int, int]:
    """Fire due timers and send due review reminders; return how many of each."""
    from viewflow.workflow.timers import fire_due_timers

    from awards.services import review_send_reminders

    try:
        return fire_due_timers(), review_send_reminders()
    except Exception:  # a failing sweep must never break the page that triggered it
        logger.exception("The sweep of due timers failed")
        return 0, 0
