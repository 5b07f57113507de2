"""One status rule for a title (certificates.models.title_status), at every boundary date and for each recorded
status, and the same rule as database filters (Certificate.objects.with_status and its named helpers)."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from certificates.models import Certificate, CertificateStatus, title_status
from certificates.services import certificate_grant
from tests.factories import ApplicationFactory, ProgramFactory
from workflows.services import case_open

FIRST_DAY = datetime.date(2027, 3, 15)
LAST_DAY = datetime.date(2030, 3, 14)
DAY = datetime.timedelta(days=1)

BEFORE, ON_THE_FIRST_DAY, ON_THE_LAST_DAY, AFTER = FIRST_DAY - DAY, FIRST_DAY, LAST_DAY, LAST_DAY + DAY
DAYS = {"the day before the first": BEFORE, "the first day": ON_THE_FIRST_DAY, "the last day": ON_THE_LAST_DAY,
        "the day after the last": AFTER}  # fmt: skip

PENDING, VALID, SUSPENDED, REVOKED, EXPIRED = (
    CertificateStatus.PENDING,
    CertificateStatus.VALID,
    CertificateStatus.SUSPENDED,
    CertificateStatus.REVOKED,
    CertificateStatus.EXPIRED,
)

# recorded status → its status on the day before the first, the first day, the last day and the day after the last.
RULE = {
    VALID: (PENDING, VALID, VALID, EXPIRED),
    SUSPENDED: (SUSPENDED, SUSPENDED, SUSPENDED, EXPIRED),
    REVOKED: (REVOKED, REVOKED, REVOKED, REVOKED),
}
TABLE = [
    pytest.param(recorded, day, expected, id=f"{recorded} on {name}")
    for recorded, row in RULE.items()
    for (name, day), expected in zip(DAYS.items(), row, strict=True)
]


@pytest.mark.parametrize(("recorded", "today", "expected"), TABLE)
def test_the_status_of_a_title_on_a_day(recorded, today, expected):
    assert title_status(recorded, FIRST_DAY, LAST_DAY, today) == expected


@pytest.mark.parametrize(("recorded", "today", "expected"), TABLE)
def test_a_certificate_tells_its_status_by_the_rule(recorded, today, expected):
    certificate = Certificate(status=recorded, valid_from=FIRST_DAY, valid_until=LAST_DAY)
    assert certificate.current_status(today) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("recorded", "today", "expected"), TABLE)
def test_the_database_filters_find_a_title_under_its_status_and_no_other(recorded, today, expected):
    certificate = certificate_grant(application=ApplicationFactory(program=ProgramFactory(year=2027), approved=True))
    assert (certificate.valid_from, certificate.valid_until) == (FIRST_DAY, LAST_DAY)
    Certificate.objects.filter(pk=certificate.pk).update(status=recorded)

    found = {status for status in CertificateStatus if Certificate.objects.with_status(status, today).exists()}

    assert found == {expected}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "in_force", "not_yet", "on_the_roll"),
    [
        (BEFORE, False, True, True),
        (ON_THE_FIRST_DAY, True, False, True),
        (ON_THE_LAST_DAY, True, False, True),
        (AFTER, False, False, False),
    ],
)
def test_the_honour_roll_holds_the_titles_in_force_and_those_not_yet_in_force(today, in_force, not_yet, on_the_roll):
    certificate_grant(application=ApplicationFactory(program=ProgramFactory(year=2027), approved=True))
    titles = Certificate.objects
    assert titles.currently_valid(today).exists() is in_force
    assert titles.not_yet_in_force(today).exists() is not_yet
    assert titles.on_the_honour_roll(today).exists() is on_the_roll


def test_the_rule_knows_every_status_and_nothing_else():
    assert {status for row in RULE.values() for status in row} == set(CertificateStatus)


@pytest.mark.django_db
@freeze_time("2027-03-01 02:00:00")  # two weeks before the ceremony
def test_a_title_not_yet_in_force_may_be_suspended_by_a_case(olivia):
    certificate = certificate_grant(application=ApplicationFactory(program=ProgramFactory(year=2027), approved=True))
    assert certificate.current_status() == PENDING

    case_open(certificate=certificate, user=olivia, grounds="授牌前经查存在虚假宣传。")

    certificate.refresh_from_db()
    assert certificate.current_status() == SUSPENDED
    assert certificate.cases.count() == 1
