"""Serial numbers and validity of granted titles."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from certificates.serials import allocate_serial, format_serial
from certificates.services import certificate_grant, validity_end
from tests.factories import ApplicationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_serial_reads_prefix_year_and_five_digits():
    assert format_serial("CX", 2027, 7) == "CX-2027-00007"


def test_serials_follow_each_other_without_gaps():
    with transaction.atomic():
        serials = [allocate_serial(prefix="CX", year=2027)[0] for _ in range(3)]
    assert serials == ["CX-2027-00001", "CX-2027-00002", "CX-2027-00003"]


def test_each_prefix_and_year_counts_on_its_own():
    with transaction.atomic():
        allocate_serial(prefix="CX", year=2027)
        assert allocate_serial(prefix="JD", year=2027)[0] == "JD-2027-00001"
        assert allocate_serial(prefix="CX", year=2028)[0] == "CX-2028-00001"


def test_a_rolled_back_grant_leaves_no_gap():
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_serial(prefix="CX", year=2027)
        raise RuntimeError("the grant failed")
    with transaction.atomic():
        assert allocate_serial(prefix="CX", year=2027)[0] == "CX-2027-00001"


def test_many_grants_at_once_get_distinct_consecutive_serials():
    program = ProgramFactory()
    certificates = [
        certificate_grant(application=ApplicationFactory(program=program, approved=True)) for _ in range(25)
    ]
    assert [c.sequence for c in certificates] == list(range(1, 26))
    assert len({c.serial for c in certificates}) == 25


def test_granting_twice_returns_the_same_certificate():
    application = ApplicationFactory(approved=True)
    assert certificate_grant(application=application) == certificate_grant(application=application)


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (datetime.date(2027, 3, 15), 3, datetime.date(2030, 3, 14)),
        (datetime.date(2027, 3, 15), 5, datetime.date(2032, 3, 14)),
        (datetime.date(2028, 2, 29), 1, datetime.date(2029, 2, 27)),
    ],
)
def test_a_title_is_valid_until_the_day_before_the_anniversary(start, years, end):
    assert validity_end(start, years) == end


def test_the_certificate_carries_the_official_title():
    application = ApplicationFactory(program=ProgramFactory(kind="education_base", year=2027), approved=True)
    assert certificate_grant(application=application).title == "2027年度消费维权教育基地"


def test_a_title_past_its_validity_shows_as_expired():
    certificate = certificate_grant(application=ApplicationFactory(approved=True))
    assert certificate.current_status(certificate.valid_until) == "valid"
    assert certificate.current_status(certificate.valid_until + datetime.timedelta(days=1)) == "expired"


@pytest.mark.django_db(transaction=True)
def test_allocating_outside_a_transaction_is_refused():
    with pytest.raises(transaction.TransactionManagementError):
        allocate_serial(prefix="CX", year=2027)
