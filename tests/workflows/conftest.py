from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.factories import staff_user


@pytest.fixture
def reviewers(db):
    """Five reviewers: Rui, Rong, Ren, Rou and Rao."""
    return [staff_user(name, Role.REVIEWER) for name in ("rui", "rong", "ren", "rou", "rao")]


@pytest.fixture
def ingrid(db):
    """Ingrid inspects education bases on site."""
    return staff_user("ingrid", Role.INSPECTOR)


@pytest.fixture
def carl(db):
    """Carl sits on the award committee."""
    return staff_user("carl", Role.COMMITTEE)


@pytest.fixture
def on_notice(client, alice_application, olivia, reviewers, carl):
    """Alice's application, approved by the committee and published on an open notice."""
    from tests.workflows.flow_helpers import committee_approves, formal_check, publish, review_by_all, submit

    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    committee_approves(client, carl, application)
    publish(client, olivia, application.program)
    application.refresh_from_db()
    client.logout()
    return application


@pytest.fixture
def in_review(client, alice_application, olivia, reviewers):
    """Alice's application, accepted and assigned to the first three reviewers."""
    from tests.workflows.flow_helpers import assign, formal_check, submit

    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    assign(client, olivia, application, reviewers[:3])
    return application
