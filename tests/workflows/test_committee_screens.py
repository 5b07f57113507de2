"""The committee reads the reviewers' comments; organizers follow the committee list without deciding it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import ApplicationStatus
from tests.workflows.flow_helpers import assign, formal_check, open_task, score, submit

pytestmark = pytest.mark.django_db

COMMENTS = ("投诉处理机制健全，台账完整。", "价格公示规范，抽查无异常。", "售后承诺兑现及时，建议通过。")


@pytest.fixture
def at_committee(client, alice_application, olivia, reviewers):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    assign(client, olivia, application, reviewers[:3])
    for reviewer, comment in zip(reviewers[:3], COMMENTS, strict=True):
        score(client, reviewer, application, points_share=0.95, comment=comment)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMMITTEE
    client.logout()
    return application


def test_the_committee_reads_every_reviewers_comment_on_the_task_screen(client, at_committee, carl, reviewers):
    client.force_login(carl)
    page = client.get(reverse("workflows:task", args=[open_task(at_committee, "committee").pk])).content.decode()
    assert all(comment in page for comment in COMMENTS)
    assert all(str(reviewer) in page for reviewer in reviewers[:3])


def test_the_committee_reads_every_reviewers_comment_on_the_list(client, at_committee, carl):
    client.force_login(carl)
    page = client.get(reverse("workflows:committee", args=[at_committee.program.slug])).content.decode()
    assert all(comment in page for comment in COMMENTS)


def test_an_organizer_reads_the_committee_list_without_a_decision_form(client, at_committee, olivia):
    client.force_login(olivia)
    response = client.get(reverse("workflows:committee", args=[at_committee.program.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert at_committee.enterprise.name in page
    assert f'name="a{at_committee.pk}-approved"' not in page
    assert "只读" in page


def test_an_organizer_cannot_record_the_committees_decision(client, at_committee, olivia):
    client.force_login(olivia)
    url = reverse("workflows:committee", args=[at_committee.program.slug])
    assert client.post(url, {f"a{at_committee.pk}-approved": "yes"}).status_code == 403
    at_committee.refresh_from_db()
    assert at_committee.status == ApplicationStatus.COMMITTEE


def test_a_committee_member_is_not_shown_the_organizers_history_link(client, at_committee, carl):
    client.force_login(carl)
    page = client.get(reverse("workflows:committee", args=[at_committee.program.slug])).content.decode()
    assert reverse("workflows:history", args=[at_committee.pk]) not in page
