"""Scoring guidance edited in the admin is shown as text on the forms, never run as markup."""

from __future__ import annotations

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.flows import ReviewFlow

pytestmark = pytest.mark.django_db

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile_guidance(alice_application):
    criteria = alice_application.program.criteria
    criteria.update(guidance=HOSTILE)
    return criteria.count()


def test_the_reviewer_sees_the_guidance_as_text(client, in_review, reviewers, hostile_guidance):
    task = Task.objects.get(
        process__applicationprocess__application=in_review,
        flow_task=ReviewFlow.review,
        owner=reviewers[0],
        status=STATUS.ASSIGNED,
    )
    client.force_login(reviewers[0])
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "<img" not in page
    assert page.count(ESCAPED) == hostile_guidance


def test_the_applicant_sees_the_guidance_as_text(client, alice, alice_application, hostile_guidance):
    client.force_login(alice)
    page = client.get(reverse("awards:application_edit", args=[alice_application.pk])).content.decode()
    assert "<img" not in page
    assert page.count(ESCAPED) == hostile_guidance


def test_the_password_rules_we_write_as_a_list_still_show_as_a_list(client, db):
    page = client.get(reverse("accounts:register")).content.decode()
    assert '<div class="help" id="id_password1_helptext"><ul>' in page
    assert "&lt;li&gt;" not in page
