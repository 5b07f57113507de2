"""No form greets its user with errors: a form is bound only to what was submitted, never on GET."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_access_walk import STAFF, walk, world  # noqa: F401  (world is a fixture)
from tests.workflows.flow_helpers import review_task

pytestmark = pytest.mark.django_db

# A field's errors, the summary above a form with any, and Django's "This field is required."
ERROR_MARKS = (b'class="errorlist', "请更正下方标出的内容".encode(), "这个字段是必填项".encode())


def test_the_scoring_screen_opens_without_errors(client, in_review, reviewers):
    client.force_login(reviewers[0])
    response = client.get(reverse("workflows:task", args=[review_task(in_review, reviewers[0]).pk]))
    assert response.status_code == 200
    assert not [mark for mark in ERROR_MARKS if mark in response.content]


@pytest.mark.parametrize("role", sorted(STAFF | {"alice"}))
def test_no_page_shows_form_errors_before_anything_was_submitted(world, role):  # noqa: F811
    shown = [
        f"{visit.path}: {mark.decode()}"
        for visit in walk(world, role)
        if visit.method == "get" and visit.status == 200
        for mark in ERROR_MARKS
        if mark in visit.body
    ]
    assert shown == []
