"""After the award: supervision records and the revocation case, through every path."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from certificates.models import CertificateStatus, RevocationCase, SupervisionRecord
from certificates.services import certificate_grant
from jobs.periodic import run_periodic_work
from tests.factories import ApplicationFactory
from tests.workflows.flow_helpers import complete
from workflows.revocation import RevocationFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def title(alice, program):
    return certificate_grant(
        application=ApplicationFactory(program=program, enterprise=alice.enterprise, approved=True)
    )


def _open_case(client, olivia, title, response_days: int = 10):
    client.force_login(olivia)
    response = client.post(
        reverse("workflows:case_start", args=[title.serial]),
        {"case-grounds": "今年三次因价格欺诈被12315投诉属实。", "case-response_days": response_days, "case": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    title.refresh_from_db()
    return RevocationCase.objects.get(certificate=title)


def _task(case, node: str):
    return Task.objects.get(
        process__revocationprocess__case=case,
        flow_task=getattr(RevocationFlow, node),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def _respond(client, alice, case, text="已全部整改，并向消费者退赔。"):
    client.force_login(alice)
    return client.post(reverse("case_respond", args=[case.pk]), {"text": text})


def _decide(client, member, case, revoke: bool, reason="经审定，情节属实。", expect=302):
    return complete(
        client, member, _task(case, "decide"), {"revoke": "yes" if revoke else "no", "reason": reason}, expect=expect
    )


def test_opening_a_case_suspends_the_title_at_once(client, olivia, title):
    _open_case(client, olivia, title)
    assert title.status == CertificateStatus.SUSPENDED
    assert title.events.filter(status="suspended", actor=olivia).exists()


def test_the_committee_restores_the_title_after_the_response(client, olivia, carl, alice, title):
    case = _open_case(client, olivia, title)
    _respond(client, alice, case)
    _decide(client, carl, case, revoke=False, reason="整改到位，恢复称号。")
    title.refresh_from_db()
    assert title.status == CertificateStatus.VALID
    assert case.process.status == PROCESS.DONE


def test_the_committee_cannot_decide_before_the_response_or_its_deadline(client, olivia, carl, title):
    case = _open_case(client, olivia, title)
    response = _decide(client, carl, case, revoke=True, expect=200)
    assert "form-errors" in response.content.decode()
    title.refresh_from_db()
    assert title.status == CertificateStatus.SUSPENDED


def test_without_a_response_the_committee_decides_after_the_deadline(client, olivia, carl, title):
    case = _open_case(client, olivia, title, response_days=3)
    with freeze_time(case.response_due + datetime.timedelta(minutes=1)):
        _decide(client, carl, case, revoke=True)
    title.refresh_from_db()
    assert title.status == CertificateStatus.REVOKED


def test_a_revocation_without_appeal_is_final_after_15_days(client, olivia, carl, alice, title):
    case = _open_case(client, olivia, title)
    _respond(client, alice, case)
    _decide(client, carl, case, revoke=True)
    case.refresh_from_db()
    with freeze_time(case.appeal_due + datetime.timedelta(minutes=1)):
        run_periodic_work()
    case.refresh_from_db()
    assert case.process.status == PROCESS.DONE
    title.refresh_from_db()
    assert title.status == CertificateStatus.REVOKED


def test_an_upheld_appeal_restores_the_title(client, olivia, carl, alice, title):
    case = _open_case(client, olivia, title)
    _respond(client, alice, case)
    _decide(client, carl, case, revoke=True)
    client.force_login(alice)
    client.post(reverse("case_appeal", args=[case.pk]), {"text": "处罚决定已被行政复议撤销，附复议决定书。"})
    case.refresh_from_db()
    assert case.appealed_at is not None
    with freeze_time(case.appeal_due + datetime.timedelta(minutes=1)):
        run_periodic_work()
    complete(client, carl, _task(case, "decide_appeal"), {"upheld": "yes", "reason": "复议撤销了处罚，恢复称号。"})
    title.refresh_from_db()
    assert title.status == CertificateStatus.VALID
    case.refresh_from_db()
    assert case.process.status == PROCESS.DONE


def test_a_dismissed_appeal_confirms_the_revocation(client, olivia, carl, alice, title):
    case = _open_case(client, olivia, title)
    _respond(client, alice, case)
    _decide(client, carl, case, revoke=True)
    client.force_login(alice)
    client.post(reverse("case_appeal", args=[case.pk]), {"text": "我们不服。"})
    case.refresh_from_db()
    with freeze_time(case.appeal_due + datetime.timedelta(minutes=1)):
        run_periodic_work()
    complete(client, carl, _task(case, "decide_appeal"), {"upheld": "no", "reason": "申诉理由不成立。"})
    title.refresh_from_db()
    assert title.status == CertificateStatus.REVOKED


def test_an_appeal_after_15_days_is_refused(client, olivia, carl, alice, title):
    case = _open_case(client, olivia, title)
    _respond(client, alice, case)
    _decide(client, carl, case, revoke=True)
    case.refresh_from_db()
    with freeze_time(case.appeal_due + datetime.timedelta(hours=1)):
        client.force_login(alice)
        client.post(reverse("case_appeal", args=[case.pk]), {"text": "迟到的申诉。"})
    case.refresh_from_db()
    assert case.appealed_at is None


def test_an_enterprise_cannot_respond_to_another_enterprises_case(client, olivia, bob, title):
    case = _open_case(client, olivia, title)
    assert _respond(client, bob, case).status_code == 404
    case.refresh_from_db()
    assert case.response == ""


def test_a_suspended_title_cannot_get_a_second_case(client, olivia, title):
    _open_case(client, olivia, title)
    client.post(
        reverse("workflows:case_start", args=[title.serial]), {"case-grounds": "再次", "case-response_days": 10, "case": "1"}
    )
    assert RevocationCase.objects.filter(certificate=title).count() == 1


def test_the_organizer_records_supervision_findings(client, olivia, title):
    client.force_login(olivia)
    response = client.post(
        reverse("certificates:title", args=[title.serial]),
        {
            "record-kind": "complaint",
            "record-occurred_on": "2026-11-01",
            "record-summary": "消费者投诉缺斤短两。",
            "record-source": "12315-2027-0001",
            "record": "1",
        },
    )
    assert response.status_code == 302
    assert SupervisionRecord.objects.get(enterprise=title.enterprise).source == "12315-2027-0001"


def test_the_enterprise_sees_the_case_on_its_titles_page(client, olivia, alice, title):
    _open_case(client, olivia, title)
    client.force_login(alice)
    page = client.get(reverse("my_titles")).content.decode()
    assert "价格欺诈" in page
    assert title.serial in page
