"""Who may open a task screen: not a reviewer who declared a conflict, and nobody a step without a screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import Score
from tests.workflows.flow_helpers import committee_approves, decline, formal_check, open_task, review_by_all, submit

pytestmark = pytest.mark.django_db


def test_a_reviewer_who_declined_cannot_open_the_task_any_more(client, in_review, reviewers):
    task = decline(client, reviewers[0], in_review)
    assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 404


def test_a_reviewer_who_declined_cannot_score_through_the_task(client, in_review, reviewers):
    task = decline(client, reviewers[0], in_review)
    data = {"comment": "仍然评分。", **{f"criterion_{c.pk}": "0" for c in in_review.program.criteria.all()}}
    assert client.post(reverse("workflows:task", args=[task.pk]), data).status_code == 404
    assert not Score.objects.filter(review__reviewer=reviewers[0]).exists()


def test_the_declined_review_leaves_the_reviewers_inbox(client, in_review, reviewers):
    task = decline(client, reviewers[0], in_review)
    page = client.get(reverse("workflows:inbox")).content.decode()
    assert reverse("workflows:task", args=[task.pk]) not in page


def test_the_other_reviewers_keep_their_tasks(client, in_review, reviewers):
    decline(client, reviewers[0], in_review)
    client.force_login(reviewers[1])
    page = client.get(reverse("workflows:inbox")).content.decode()
    assert in_review.enterprise.name in page


def test_the_applicants_correction_step_has_no_task_screen(client, alice_application, olivia):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "return", "请补充营业执照。")
    client.force_login(olivia)
    assert client.get(reverse("workflows:task", args=[open_task(application, "correction").pk])).status_code == 404


def test_the_wait_for_publication_has_no_task_screen(client, alice_application, olivia, reviewers, carl):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    committee_approves(client, carl, application)
    client.force_login(olivia)
    assert client.get(reverse("workflows:task", args=[open_task(application, "await_notice").pk])).status_code == 404
