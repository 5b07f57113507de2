"""What the database itself refuses, whatever code tries it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from awards.models import Application, ApplicationStatus, Criterion, Enterprise, Program, SelfAssessment
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _refused(action) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_one_application_per_enterprise_and_program(alice_application):
    _refused(
        lambda: Application.objects.create(program=alice_application.program, enterprise=alice_application.enterprise)
    )


def test_an_enterprise_may_apply_to_different_programmes(alice_application):
    other = ProgramFactory()
    assert Application.objects.create(program=other, enterprise=alice_application.enterprise).pk


def test_the_credit_code_is_unique():
    first = EnterpriseFactory()
    _refused(lambda: EnterpriseFactory(uscc=first.uscc))


def test_the_credit_code_has_18_characters():
    enterprise = EnterpriseFactory()
    _refused(lambda: Enterprise.objects.filter(pk=enterprise.pk).update(uscc="91330106"))


def test_the_deadline_comes_after_the_opening(program):
    _refused(
        lambda: Program.objects.filter(pk=program.pk).update(closes_at=program.opens_at - datetime.timedelta(days=1))
    )


@pytest.mark.parametrize(
    "tiers",
    [
        (Decimal(90), Decimal(90), Decimal(40)),
        (Decimal(101), Decimal(70), Decimal(40)),
        (Decimal(90), Decimal(70), Decimal(0)),
    ],
)
def test_tier_thresholds_fall_from_a_to_c(program, tiers):
    a, b, c = tiers
    _refused(lambda: Program.objects.filter(pk=program.pk).update(tier_a_min=a, tier_b_min=b, tier_c_min=c))


def test_a_veto_item_carries_no_points(program):
    _refused(lambda: Criterion.objects.create(program=program, aspect="否决", title="x", is_veto=True, max_points=5))


def test_a_scored_item_carries_points(program):
    _refused(lambda: Criterion.objects.create(program=program, aspect="质量", title="x", is_veto=False, max_points=0))


def test_a_self_assessment_is_never_negative(alice_application):
    criterion = alice_application.program.criteria.filter(is_veto=False).first()
    _refused(lambda: SelfAssessment.objects.create(application=alice_application, criterion=criterion, points=-1))


def test_one_self_assessment_per_criterion(alice_application):
    criterion = alice_application.program.criteria.first()
    SelfAssessment.objects.create(application=alice_application, criterion=criterion, points=1)
    _refused(lambda: SelfAssessment.objects.create(application=alice_application, criterion=criterion, points=2))


def test_a_submitted_application_has_an_accepted_commitment(alice_application):
    _refused(
        lambda: Application.objects.filter(pk=alice_application.pk).update(
            status=ApplicationStatus.SUBMITTED, commitment_accepted=False
        )
    )


def test_an_enterprise_with_applications_cannot_be_deleted(alice_application):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        alice_application.enterprise.delete()


def test_a_new_programme_takes_the_defaults_of_its_kind():
    program = ProgramFactory(kind="education_base", year=2028)
    assert program.ceremony_date == datetime.date(2028, 3, 15)
    assert program.validity_years == 5
    assert program.requires_inspection is True
    honest = ProgramFactory(kind="honest_business")
    assert honest.validity_years == 3 and honest.requires_inspection is False


@pytest.mark.parametrize("kind", ["honest_business", "education_base"])
def test_the_default_rubric_is_worth_100_points_with_a_veto_item(kind):
    program = ProgramFactory(kind=kind)
    assert program.rubric_total() == 100
    assert program.criteria.filter(is_veto=True).count() == 1


def test_the_rubric_is_copied_so_editing_it_leaves_other_programmes_alone():
    first, second = ProgramFactory(), ProgramFactory()
    first.criteria.filter(is_veto=False).update(max_points=1)
    assert second.rubric_total() == 100


def test_a_second_enterprise_needs_its_own_code():
    assert valid_uscc(1) != valid_uscc(2)
    assert ApplicationFactory().enterprise.uscc != ApplicationFactory().enterprise.uscc
