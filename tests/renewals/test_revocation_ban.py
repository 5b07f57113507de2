"""A revoked enterprise may not apply again for REVOCATION_BAN_YEARS from the day the revocation took effect."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from awards import services
from awards.services import ApplicationError
from certificates import services as certificate_services
from renewals.bans import ban_end, enterprise_ban, is_banned, revocation_took_effect
from tests.factories import ProgramFactory, granted_title
from tests.renewals.conftest import revoke

REVOKED_ON = datetime.date(2027, 6, 1)


@pytest.mark.parametrize(
    ("today", "years", "banned"),
    [
        (datetime.date(2027, 5, 31), 2, False),  # before the revocation
        (datetime.date(2027, 6, 1), 2, True),  # the day it takes effect
        (datetime.date(2028, 6, 1), 2, True),
        (datetime.date(2029, 5, 31), 2, True),  # the last day of the ban
        (datetime.date(2029, 6, 1), 2, False),  # the same date two years later: free to apply
        (datetime.date(2028, 5, 31), 1, True),
        (datetime.date(2028, 6, 1), 1, False),
        (datetime.date(2027, 6, 1), 0, False),  # no ban configured
    ],
)
def test_the_ban_runs_from_the_revocation_to_the_day_before_the_same_date_years_later(today, years, banned):
    assert is_banned(REVOKED_ON, today, years) is banned


@pytest.mark.parametrize(
    ("revoked_on", "years", "end"),
    [
        (datetime.date(2027, 6, 1), 2, datetime.date(2029, 6, 1)),
        (datetime.date(2028, 2, 29), 2, datetime.date(2030, 3, 1)),  # the whole period is served
        (datetime.date(2028, 2, 29), 4, datetime.date(2032, 2, 29)),
    ],
)
def test_the_first_day_to_apply_again(revoked_on, years, end):
    assert ban_end(revoked_on, years) == end


@pytest.fixture
def revoked(alice, olivia):
    title = granted_title(alice.enterprise, valid_until=datetime.date(2029, 3, 14))
    revoke(title, olivia, REVOKED_ON)
    return title


def test_the_ban_counts_from_the_day_the_committee_revoked_the_title(revoked):
    assert revocation_took_effect(revoked) == REVOKED_ON
    ban = enterprise_ban(revoked.enterprise, today=datetime.date(2028, 1, 1))
    assert (ban.revoked_on, ban.until) == (REVOKED_ON, datetime.date(2029, 6, 1))


def test_the_enterprise_is_told_why_and_until_when_in_chinese(revoked):
    ban = enterprise_ban(revoked.enterprise, today=datetime.date(2028, 1, 1))
    assert ban.message == "贵单位的称号于2027年6月1日被撤销，2029年6月1日前不得再次申报。"


def test_a_dismissed_appeal_does_not_move_the_day_the_revocation_took_effect(revoked, olivia):
    case = revoked.cases.get()
    with freeze_time("2027-06-05 02:00"):
        certificate_services.case_appeal(case=case, appeal="处罚已撤销。")
    with freeze_time("2027-06-20 02:00"):
        certificate_services.appeal_decide(case=case, user=olivia, upheld=False, reason="维持撤销。")
    assert revocation_took_effect(revoked) == REVOKED_ON


def test_an_upheld_appeal_restores_the_title_and_lifts_the_ban(revoked, olivia):
    case = revoked.cases.get()
    with freeze_time("2027-06-05 02:00"):
        certificate_services.case_appeal(case=case, appeal="处罚已撤销。")
    certificate_services.appeal_decide(case=case, user=olivia, upheld=True, reason="处罚决定已被复议撤销。")
    revoked.refresh_from_db()
    assert revocation_took_effect(revoked) is None
    assert enterprise_ban(revoked.enterprise, today=datetime.date(2028, 1, 1)) is None


def test_starting_an_application_is_refused_during_the_ban(revoked, alice):
    with freeze_time("2029-05-31 02:00"), pytest.raises(ApplicationError) as refusal:
        program = ProgramFactory()
        services.application_start(program=program, enterprise=alice.enterprise, user=alice)
    assert refusal.value.messages == ["贵单位的称号于2027年6月1日被撤销，2029年6月1日前不得再次申报。"]


def test_the_enterprise_may_apply_again_once_the_ban_is_over(revoked, alice):
    with freeze_time("2029-06-01 02:00"):
        program = ProgramFactory()
        assert services.application_start(program=program, enterprise=alice.enterprise, user=alice).pk


def test_the_setting_sets_the_length_of_the_ban(revoked, alice, settings):
    settings.REVOCATION_BAN_YEARS = 3
    assert enterprise_ban(alice.enterprise, today=datetime.date(2030, 5, 31)).until == datetime.date(2030, 6, 1)
    settings.REVOCATION_BAN_YEARS = 0
    assert enterprise_ban(alice.enterprise, today=datetime.date(2027, 6, 2)) is None
