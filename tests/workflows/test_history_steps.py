"""The staff history page lists the steps people took, in Chinese, never the engine's own nodes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.workflows.flow_helpers import formal_check, review_by_all, submit

pytestmark = pytest.mark.django_db

# viewflow's default titles of the review flow's gateways, splits, joins and functions.
ENGINE_STEPS = (
    "Start",
    "Route Start",
    "Formal Outcome",
    "Split Reviews",
    "Join Reviews",
    "Decide Result",
    "Route Result",
)


@pytest.fixture
def reviewed(client, alice_application, olivia, reviewers):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    client.force_login(olivia)
    return application


def _history(client, application) -> str:
    return client.get(reverse("workflows:history", args=[application.pk])).content.decode()


def test_the_history_names_no_step_of_the_engine(client, reviewed):
    page = _history(client, reviewed)
    assert [step for step in ENGINE_STEPS if f"<td>{step}</td>" in page] == []


def test_the_history_lists_each_human_step_in_chinese_with_who_took_it(client, reviewed, olivia, reviewers):
    page = _history(client, reviewed)
    assert f"<td>形式审查</td><td>已完成</td><td>{olivia}</td>" in page
    assert all(f"<td>申报评分</td><td>已完成</td><td>{reviewer}</td>" in page for reviewer in reviewers[:3])
