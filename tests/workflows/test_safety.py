"""Who may do what in the review flow, once only, and blind."""

from __future__ import annotations

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.models import ApplicationStatus, ConflictOfInterest, Review, ReviewResult, ReviewStatus
from tests.workflows.flow_helpers import complete, formal_check, open_task, score, submit
from workflows.flows import ReviewFlow

pytestmark = pytest.mark.django_db


def _review_task(application, reviewer) -> Task:
    return Task.objects.get(
        process__applicationprocess__application=application, flow_task=ReviewFlow.review, owner=reviewer
    )


def test_a_reviewer_cannot_open_an_application_not_assigned_to_them(client, in_review, reviewers):
    outsider = reviewers[4]
    client.force_login(outsider)
    assert client.get(reverse("awards:application_detail", args=[in_review.pk])).status_code == 404
    assert client.get(reverse("workflows:task", args=[_review_task(in_review, reviewers[0]).pk])).status_code == 403


def test_a_reviewer_cannot_open_another_reviewers_task(client, in_review, reviewers):
    client.force_login(reviewers[1])
    assert client.get(reverse("workflows:task", args=[_review_task(in_review, reviewers[0]).pk])).status_code == 403


def test_an_assigned_reviewer_may_read_the_application(client, in_review, reviewers):
    client.force_login(reviewers[0])
    assert client.get(reverse("awards:application_detail", args=[in_review.pk])).status_code == 200


def test_an_applicant_cannot_open_any_staff_page(client, in_review, alice):
    client.force_login(alice)
    task = _review_task(in_review, Review.objects.filter(application=in_review).first().reviewer)
    assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 403
    assert client.get(reverse("workflows:inbox")).status_code == 403
    assert client.get(reverse("workflows:dashboard", args=[in_review.program.slug])).status_code == 403


def test_a_reviewer_cannot_take_the_organizers_tasks(client, alice_application, reviewers):
    application = submit(client, alice_application)
    client.force_login(reviewers[0])
    response = client.post(
        reverse("workflows:task", args=[open_task(application, "formal_check").pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_anonymous_users_are_sent_to_log_in(client, in_review):
    client.logout()
    response = client.get(reverse("workflows:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_task_cannot_be_completed_twice_by_a_double_post(client, alice_application, olivia):
    application = submit(client, alice_application)
    task = open_task(application, "formal_check")
    complete(client, olivia, task, {"decision": "accept", "reason": ""})
    second = complete(client, olivia, task, {"decision": "reject", "reason": "重复提交"})
    assert second["Location"] == reverse("workflows:inbox")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.events.filter(action="accepted").count() == 1
    assert not application.events.filter(action="rejected").exists()


def test_a_second_review_submission_is_refused(client, in_review, reviewers):
    score(client, reviewers[0], in_review, points_share=0.9)
    task = _review_task(in_review, reviewers[0])
    client.force_login(reviewers[0])
    response = client.post(reverse("workflows:task", args=[task.pk]), {"comment": "再改一次"})
    assert response.status_code == 302
    assert Review.objects.get(application=in_review, reviewer=reviewers[0]).scores.count() == len(
        in_review.program.criteria.all()
    )


def test_scoring_is_blind_until_submitted(client, in_review, reviewers):
    score(client, reviewers[0], in_review, points_share=0.9, comment="独家评语：服务承诺落实到位。")
    client.force_login(reviewers[1])
    page = client.get(reverse("workflows:task", args=[_review_task(in_review, reviewers[1]).pk])).content.decode()
    assert "独家评语" not in page
    assert str(reviewers[0]) not in page


def test_the_applicant_sees_the_tier_but_never_who_reviewed(client, in_review, reviewers, alice):
    for reviewer in reviewers[:3]:
        score(client, reviewer, in_review, points_share=0.95, comment=f"{reviewer.username}的评语")
    client.force_login(alice)
    page = client.get(reverse("awards:application_detail", args=[in_review.pk])).content.decode()
    assert "A" in page and str(ReviewResult.objects.get(application=in_review).final_score) in page
    for reviewer in reviewers[:3]:
        assert str(reviewer) not in page
        assert f"{reviewer.username}的评语" not in page


def test_a_reviewer_with_a_declared_conflict_is_never_offered(client, alice_application, olivia, reviewers):
    ConflictOfInterest.objects.create(
        reviewer=reviewers[0], enterprise=alice_application.enterprise, reason="曾任该企业顾问"
    )
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    client.force_login(olivia)
    page = client.get(reverse("workflows:task", args=[open_task(application, "assign_reviewers").pk])).content.decode()
    assert str(reviewers[0]) not in page
    response = complete(
        client,
        olivia,
        open_task(application, "assign_reviewers"),
        {"reviewers": [r.pk for r in reviewers[:3]], "due_on": "2099-01-01"},
        expect=200,
    )
    assert "id_reviewers_errors" in response.content.decode()
    assert not Review.objects.filter(application=application).exists()


def test_fewer_reviewers_than_the_minimum_are_refused(client, alice_application, olivia, reviewers):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    response = complete(
        client,
        olivia,
        open_task(application, "assign_reviewers"),
        {"reviewers": [r.pk for r in reviewers[:2]], "due_on": "2099-01-01"},
        expect=200,
    )
    assert "id_reviewers_errors" in response.content.decode()


def test_the_least_loaded_reviewers_are_suggested(client, alice_application, olivia, reviewers):
    from tests.factories import ApplicationFactory

    busy = ApplicationFactory(program=alice_application.program)
    for reviewer in reviewers[:2]:
        Review.objects.create(application=busy, reviewer=reviewer, due_at="2099-01-01T00:00:00Z")
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    client.force_login(olivia)
    response = client.get(reverse("workflows:task", args=[open_task(application, "assign_reviewers").pk]))
    assert set(response.context["form"].suggested) == {r.pk for r in reviewers[2:5]}


def test_a_declining_reviewer_is_replaced_and_the_flow_carries_on(client, in_review, olivia, reviewers):
    first = reviewers[0]
    client.force_login(first)
    client.post(
        reverse("workflows:task", args=[_review_task(in_review, first).pk]),
        {"decline": "1", "reason": "我曾在该企业任职。"},
    )
    declined = Review.objects.get(application=in_review, reviewer=first)
    assert declined.status == ReviewStatus.DECLINED
    assert ConflictOfInterest.objects.filter(reviewer=first, enterprise=in_review.enterprise).exists()
    client.force_login(olivia)
    response = client.post(
        reverse("workflows:replace_reviewer", args=[declined.pk]), {f"r{declined.pk}-reviewer": reviewers[3].pk}
    )
    assert response.status_code == 302
    for reviewer in (reviewers[1], reviewers[2], reviewers[3]):
        score(client, reviewer, in_review, points_share=0.95)
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.COMMITTEE
    assert len(in_review.result.explanation["totals"]) == 3
    assert not Task.objects.filter(
        process__applicationprocess__application=in_review, flow_task=ReviewFlow.join_reviews, status=STATUS.STARTED
    ).exists()


def test_the_declined_reviewer_loses_access(client, in_review, reviewers):
    first = reviewers[0]
    client.force_login(first)
    client.post(
        reverse("workflows:task", args=[_review_task(in_review, first).pk]),
        {"decline": "1", "reason": "近亲属在该企业任职。"},
    )
    assert client.get(reverse("awards:application_detail", args=[in_review.pk])).status_code == 404
