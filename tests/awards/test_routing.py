"""The routing rules of the review, one predicate at a time, read from what was recorded."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awards import routing
from awards.models import (
    ApplicationEvent,
    Inspection,
    Notice,
    NoticeKind,
    Objection,
    ObjectionOutcome,
    ProgramKind,
    ProgramMode,
    ReviewResult,
)
from tests.factories import ApplicationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

Action = ApplicationEvent.Action


def _graded(tier: str, *, mode: str = ProgramMode.APPLICATION, kind: str = ProgramKind.HONEST_BUSINESS):
    application = ApplicationFactory(program=ProgramFactory(mode=mode, kind=kind))
    ReviewResult.objects.create(
        application=application,
        final_score={"A": Decimal(95), "B": Decimal(80), "C": Decimal(50), "D": Decimal(20)}[tier],
        tier=tier,
        rule_version="test",
        explanation={},
    )
    return application


def _decided(*actions: str):
    application = ApplicationFactory()
    for action in actions:
        ApplicationEvent.objects.create(application=application, action=action)
    return application


@pytest.mark.parametrize(
    ("tier", "mode", "kind", "expected"),
    [
        ("A", ProgramMode.APPLICATION, ProgramKind.EDUCATION_BASE, True),
        ("A", ProgramMode.APPLICATION, ProgramKind.HONEST_BUSINESS, False),
        ("A", ProgramMode.EVALUATION, ProgramKind.EDUCATION_BASE, False),
        ("B", ProgramMode.APPLICATION, ProgramKind.EDUCATION_BASE, False),
    ],
)
def test_only_tier_a_of_an_application_programme_that_requires_it_needs_the_inspection(tier, mode, kind, expected):
    assert routing.needs_inspection(_graded(tier, mode=mode, kind=kind)) is expected


@pytest.mark.parametrize(("tier", "expected"), [("A", True), ("B", False), ("C", False), ("D", False)])
def test_tier_a_is_recommended(tier, expected):
    assert routing.recommended(_graded(tier)) is expected


@pytest.mark.parametrize(
    ("tier", "mode", "expected"),
    [
        ("D", ProgramMode.EVALUATION, True),
        ("D", ProgramMode.APPLICATION, False),
        ("C", ProgramMode.EVALUATION, False),
        ("A", ProgramMode.EVALUATION, False),
    ],
)
def test_tier_d_of_an_evaluation_programme_is_proposed_for_exposure(tier, mode, expected):
    assert routing.proposed_for_exposure(_graded(tier, mode=mode)) is expected


def test_an_enrolled_application_skips_the_formal_check():
    assert routing.enrolled(ApplicationFactory(enrolled=True))
    assert not routing.enrolled(ApplicationFactory())


@pytest.mark.parametrize(
    ("actions", "accepted", "returned"),
    [
        ((Action.ACCEPTED,), True, False),
        ((Action.RETURNED,), False, True),
        ((Action.REJECTED,), False, False),
        ((Action.RETURNED, Action.RESUBMITTED, Action.ACCEPTED), True, False),
    ],
)
def test_the_latest_formal_check_decision_routes_the_application(actions, accepted, returned):
    application = _decided(*actions)
    assert routing.formal_check_accepted(application) is accepted
    assert routing.formal_check_returned(application) is returned


@pytest.mark.parametrize("passed", [True, False])
def test_the_recorded_inspection_says_whether_it_passed(passed, olivia):
    application = ApplicationFactory()
    Inspection.objects.create(
        application=application, inspector=olivia, inspected_on=timezone.localdate(), passed=passed, notes="现场核验。"
    )
    assert routing.inspection_passed(application) is passed


@pytest.mark.parametrize(
    ("action", "expected"), [(Action.COMMITTEE_APPROVED, True), (Action.COMMITTEE_REJECTED, False)]
)
def test_the_committee_decision_in_the_history_says_whether_it_approved(action, expected):
    assert routing.committee_approved(_decided(action)) is expected


def _on_notice(olivia, kind: str = NoticeKind.HONOURS):
    application = ApplicationFactory()
    now = timezone.now()
    application.notice = Notice.objects.create(
        program=application.program,
        kind=kind,
        title="公示",
        published_at=now,
        closes_at=now + datetime.timedelta(days=7),
        working_days=5,
        published_by=olivia,
    )
    application.save()
    return application


@pytest.mark.parametrize(("kind", "expected"), [(NoticeKind.HONOURS, True), (NoticeKind.EXPOSURE, False)])
def test_an_application_on_the_recommended_list_is_on_an_honours_notice(olivia, kind, expected):
    assert routing.on_honours_notice(_on_notice(olivia, kind)) is expected


@pytest.mark.parametrize(
    ("outcome", "pending", "upheld"),
    [
        (None, False, False),
        (ObjectionOutcome.PENDING, True, False),
        (ObjectionOutcome.UPHELD, False, True),
        (ObjectionOutcome.DISMISSED, False, False),
    ],
)
def test_objections_hold_the_candidate_or_remove_it(olivia, outcome, pending, upheld):
    application = _on_notice(olivia)
    if outcome is not None:
        verified = outcome != ObjectionOutcome.PENDING
        Objection.objects.create(
            notice=application.notice,
            application=application,
            objector_name="王五",
            objector_phone="13800138000",
            statement="该企业曾多次拒绝退货。",
            outcome=outcome,
            outcome_reason="核实。" if verified else "",
            verified_at=timezone.now() if verified else None,
        )
    assert routing.objections_pending(application) is pending
    assert routing.objections_upheld(application) is upheld
