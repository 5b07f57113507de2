from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from certificates import services as certificate_services
from workflows import services as workflow_services


def revoke(certificate, organizer, on: datetime.date):
    """Revoke the title through its case (opened, answered, decided), the decision taken on `on`."""
    with freeze_time(datetime.datetime.combine(on, datetime.time(10)) - datetime.timedelta(hours=8)):
        case = workflow_services.case_open(certificate=certificate, user=organizer, grounds="虚假宣传，被罚款。")
        certificate_services.case_respond(case=case, response="无异议。")
        certificate_services.case_decide(case=case, user=organizer, revoke=True, reason="受到重大行政处罚。")
    certificate.refresh_from_db()
    return case


@pytest.fixture
def committee_member(db):
    from accounts.roles import Role
    from tests.factories import staff_user

    return staff_user("carl", Role.COMMITTEE)
