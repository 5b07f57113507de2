"""Each notice of a programme carries its own title, so that its batches can be told apart."""

from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory, EnterpriseFactory
from tests.workflows.flow_helpers import committee_approves, formal_check, publish, review_by_all, submit

pytestmark = pytest.mark.django_db


def _approve(client, program, olivia, reviewers, carl):
    application = submit(client, ApplicationFactory(program=program, enterprise=EnterpriseFactory()))
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    committee_approves(client, carl, application)


def test_two_notices_of_one_programme_carry_different_titles(client, program, olivia, reviewers, carl):
    for _batch in range(2):
        _approve(client, program, olivia, reviewers, carl)
        publish(client, olivia, program)
    first, second = program.notices.order_by("published_at", "pk")
    assert first.title != second.title
    assert first.title.endswith("（第1批）") and second.title.endswith("（第2批）")
