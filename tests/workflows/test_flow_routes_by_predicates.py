"""The flow, not the services, routes an application: services record what happened, the flow picks the branch."""

from __future__ import annotations

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards import routing, services
from awards.models import ApplicationEvent, ApplicationStatus, ProgramKind, Review, ReviewStatus, Score
from awards.services import FormalDecision
from tests.factories import ApplicationFactory, ProgramFactory
from tests.workflows.flow_helpers import formal_check, has_open_task, review_by_all, submit
from workflows.flows import ReviewFlow

pytestmark = pytest.mark.django_db


def _education_base():
    return ProgramFactory(kind=ProgramKind.EDUCATION_BASE, slug="edu-2027", serial_prefix="JD")


def _full_marks(application, reviewer) -> None:
    review = Review.objects.create(
        application=application,
        reviewer=reviewer,
        due_at=timezone.now(),
        status=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
        comment="材料翔实。",
    )
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=criterion,
            points=None if criterion.is_veto else criterion.max_points,
            veto_applies=False if criterion.is_veto else None,
        )
        for criterion in application.program.criteria.all()
    )


def _condition_names(gateway) -> set[str]:
    return {condition.__name__ for _node, condition in gateway._branches if condition}


def test_deciding_the_result_records_it_without_choosing_the_next_stage(reviewers):
    application = ApplicationFactory(program=_education_base(), status=ApplicationStatus.IN_REVIEW, enrolled=True)
    for reviewer in reviewers[:3]:
        _full_marks(application, reviewer)
    assert services.result_decide(application=application).tier == "A"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert routing.needs_inspection(application)


def test_an_a_tier_education_base_reaches_the_inspection_task_through_the_flow(client, alice, olivia, reviewers):
    application = submit(client, ApplicationFactory(program=_education_base(), enterprise=alice.enterprise))
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    assert application.status == ApplicationStatus.INSPECTION
    assert has_open_task(application, "inspection")
    assert Task.objects.filter(
        process__applicationprocess__application=application, flow_task=ReviewFlow.to_inspection, status=STATUS.DONE
    ).exists()


def test_the_formal_check_records_the_decision_and_leaves_the_stage_to_the_flow(client, alice_application, olivia):
    application = submit(client, alice_application)
    services.formal_check_decide(
        application=application, user=olivia, decision=FormalDecision.RETURN, reason="缺少营业执照副本。"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.events.filter(action=ApplicationEvent.Action.RETURNED).exists()
    assert routing.formal_check_returned(application)


def test_the_flow_returns_an_application_for_correction_when_the_check_says_so(client, alice_application, olivia):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "return", "缺少营业执照副本。")
    assert application.status == ApplicationStatus.RETURNED
    assert has_open_task(application, "correction")


def test_the_gateways_of_the_flow_branch_on_the_named_routing_rules():
    assert _condition_names(ReviewFlow.formal_outcome) == {"formal_check_accepted", "formal_check_returned"}
    assert _condition_names(ReviewFlow.route_result) == {"needs_inspection", "recommended", "proposed_for_exposure"}
    assert _condition_names(ReviewFlow.after_notice) == {"objections_pending", "objections_upheld"}
