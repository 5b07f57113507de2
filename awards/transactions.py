"""Transactions of the services: each is atomic on its own, and joins without a savepoint a unit that already is.

A flow step (a task completed under viewflow's process lock) commits or rolls back as a whole: the domain service
it runs and the flow's own bookkeeping go together, and a failure anywhere in it leaves the step's transaction
through the lock's atomic block. A savepoint per service inside it bought nothing but two statements (SAVEPOINT,
RELEASE) per service call: about a tenth of what one application costs through the review flow.

Inside a unit no code may catch a service's exception and go on using the database: the transaction is marked for
rollback and Django refuses every further query, so such a mistake fails loudly instead of committing half a step.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_IN_UNIT: ContextVar[bool] = ContextVar("award315_in_unit_of_work", default=False)


@contextmanager
def unit_of_work(*, savepoint: bool = True) -> Iterator[None]:
    """One transaction (a savepoint if nested) that the services called inside join without savepoints of their own.

    savepoint=False joins the enclosing atomic block as well: only for a caller whose own block ends with it.
    """
    with transaction.atomic(savepoint=savepoint):
        token = _IN_UNIT.set(True)
        try:
            yield
        finally:
            _IN_UNIT.reset(token)


def in_unit_of_work() -> bool:
    return _IN_UNIT.get()


def service_atomic(function: Callable) -> Callable:
    """`transaction.atomic` for a service: its own transaction or savepoint, unless it runs in a unit of work."""

    @functools.wraps(function)
    def atomic_service(*args, **kwargs):
        with transaction.atomic(savepoint=not _IN_UNIT.get()):
            return function(*args, **kwargs)

    return atomic_service
