"""The process lock of the project's flows: viewflow's row lock, holding a unit of work (awards.transactions)."""

from __future__ import annotations

from contextlib import contextmanager

from viewflow.workflow.lock import SelectForUpdateLock

from awards.transactions import unit_of_work


class StepLock(SelectForUpdateLock):
    """Lock the process row; whatever runs under it (the step's service, the next nodes) is one transaction."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        # The lock's own atomic block encloses exactly this one: a failure leaves through both.
        with super().__call__(flow_class, process_pk), unit_of_work(savepoint=False):
            yield


step_lock = StepLock()
