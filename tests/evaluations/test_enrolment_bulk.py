"""Enrolling a sector that has an evaluation plan: in bulk, no review process per enterprise, a few queries in all."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process

from awards.enrolment import EnrolmentRow
from awards.models import Application, ApplicationEvent, ApplicationStatus, Enterprise
from awards.services import ApplicationError
from evaluations.plan import plan_create
from tests.factories import DistrictFactory, EnterpriseFactory, ProgramFactory, valid_uscc
from workflows.services import enrolment_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def sector(db):
    DistrictFactory(code="330106", name="西湖区")
    program = ProgramFactory(mode="evaluation", slug="farm-2027", title="2027年度农资经营单位综合评议")
    plan_create(program=program, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))
    return program


def rows(n: int, first: int = 1) -> list[EnrolmentRow]:
    return [
        EnrolmentRow(i + 1, f"西湖第{i}农资店", valid_uscc(7000 + i), "330106", "F", "联系人", "13800000000")
        for i in range(first, first + n)
    ]


def test_every_enterprise_is_enrolled_with_its_event_and_no_review_process(sector, olivia):
    enrolled = enrolment_import(program=sector, user=olivia, rows=rows(5))
    assert len(enrolled) == 5
    applications = Application.objects.filter(program=sector)
    assert {(a.enrolled, a.status) for a in applications} == {(True, ApplicationStatus.IN_REVIEW)}
    assert ApplicationEvent.objects.filter(application__program=sector, action="enrolled").count() == 5
    assert not Process.objects.exists()


def test_an_enterprise_already_registered_is_reused(sector, olivia):
    existing = EnterpriseFactory(uscc=valid_uscc(7001), name="已注册的农资店")
    enrolment_import(program=sector, user=olivia, rows=rows(2))
    assert Application.objects.filter(program=sector, enterprise=existing).exists()
    assert Enterprise.objects.filter(uscc=valid_uscc(7001)).count() == 1


def test_an_enterprise_enrolled_twice_is_refused_naming_its_row(sector, olivia):
    enrolment_import(program=sector, user=olivia, rows=rows(2))
    with pytest.raises(ApplicationError, match="第 3 行"):
        enrolment_import(program=sector, user=olivia, rows=rows(1, first=2))


def test_a_few_statements_enrol_hundreds_of_enterprises(sector, olivia):
    # bulk_create splits its rows to fit the database's limit of parameters (SQLite: 999), nothing per row
    with CaptureQueriesContext(connection) as captured:
        enrolment_import(program=sector, user=olivia, rows=rows(300))
    assert len(captured) < 30


def test_enterprises_new_to_the_register_are_vouched_for_by_the_enrolling_organizer(sector, olivia):
    enrolment_import(program=sector, user=olivia, rows=rows(2))
    assert {(e.is_verified, e.verified_by_id) for e in Enterprise.objects.filter(applications__program=sector)} == {
        (True, olivia.pk)
    }


def test_an_enterprise_already_registered_keeps_its_own_verification(sector, olivia):
    existing = EnterpriseFactory(uscc=valid_uscc(7001), name="已注册的农资店", verified_at=None)
    enrolment_import(program=sector, user=olivia, rows=rows(2))
    existing.refresh_from_db()
    assert not existing.is_verified
