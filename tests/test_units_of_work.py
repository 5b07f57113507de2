"""A flow step is one transaction: the services it runs join it without savepoints, and a failure undoes it all."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from awards.models import ApplicationEvent
from awards.services.applications import record_event
from awards.transactions import in_unit_of_work, service_atomic, unit_of_work

pytestmark = pytest.mark.django_db


@service_atomic
def _recorded(application, fail: bool = False):
    record_event(application, ApplicationEvent.Action.SUBMITTED, None, "step")
    if fail:
        raise RuntimeError("the step failed")


def _savepoints(queries) -> int:
    return sum(query["sql"].startswith("SAVEPOINT") for query in queries.captured_queries)


def test_a_service_outside_a_unit_keeps_its_own_savepoint(alice_application):
    with CaptureQueriesContext(connection) as queries:
        _recorded(alice_application)
    assert _savepoints(queries) == 1  # inside the test's transaction


def test_a_service_inside_a_unit_joins_it_without_a_savepoint(alice_application):
    with unit_of_work(), CaptureQueriesContext(connection) as queries:
        assert in_unit_of_work()
        _recorded(alice_application)
    assert _savepoints(queries) == 0
    assert not in_unit_of_work()


def test_a_failed_service_undoes_the_whole_unit_and_nothing_else(alice_application):
    with pytest.raises(RuntimeError), unit_of_work():
        record_event(alice_application, ApplicationEvent.Action.SUBMITTED, None, "earlier in the step")
        _recorded(alice_application, fail=True)
    assert not alice_application.events.filter(note__in=["earlier in the step", "step"]).exists()


def test_catching_a_failed_service_inside_a_unit_fails_loudly_instead_of_committing_half(alice_application):
    with pytest.raises(transaction.TransactionManagementError), unit_of_work():
        try:
            _recorded(alice_application, fail=True)
        except RuntimeError:
            pass
        alice_application.events.count()


def test_a_flow_step_runs_in_a_unit_of_work(alice_application):
    from workflows.flows import ReviewFlow
    from workflows.revocation import RevocationFlow

    seen = []
    with ReviewFlow.lock_impl(ReviewFlow, 0):
        seen.append(in_unit_of_work())
    with RevocationFlow.lock_impl(RevocationFlow, 0):
        seen.append(in_unit_of_work())
    assert seen == [True, True]
