"""The whole review flow driven end to end through the web views, one test per path."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from awards.models import ApplicationStatus, Objection
from certificates.models import Certificate
from tests.factories import ApplicationFactory, ProgramFactory
from tests.workflows.flow_helpers import (
    assign,
    close_notice,
    committee_approves,
    complete,
    formal_check,
    has_open_task,
    open_task,
    publish,
    review_by_all,
    score,
    submit,
)

pytestmark = pytest.mark.django_db


def _process_done(application) -> bool:
    return application.process.status == PROCESS.DONE


def test_an_accepted_application_is_granted_its_title(
    client, alice_application, olivia, reviewers, carl, django_capture_on_commit_callbacks
):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    assert application.status == ApplicationStatus.COMMITTEE
    assert application.result.tier == "A"
    committee_approves(client, carl, application)
    publish(client, olivia, application.program)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE
    with django_capture_on_commit_callbacks(execute=True):
        assert close_notice(application) == 1
    assert application.status == ApplicationStatus.GRANTED
    certificate = Certificate.objects.get(application=application)
    assert certificate.serial == "CX-2027-00001"
    assert certificate.valid_from.isoformat() == "2027-03-15"
    assert certificate.valid_until.isoformat() == "2030-03-14"
    assert _process_done(application)
    granted_mail = mail.outbox[-1]
    assert certificate.serial in granted_mail.body
    assert set(granted_mail.to) == {"contact@example.com", "alice@example.com"}


def test_a_returned_application_is_corrected_and_then_accepted(
    client, alice_application, olivia, django_capture_on_commit_callbacks
):
    application = submit(client, alice_application)
    with django_capture_on_commit_callbacks(execute=True):
        formal_check(client, olivia, application, "return", "请补充加盖公章的承诺书扫描件。")
    assert application.status == ApplicationStatus.RETURNED
    assert "请补充加盖公章的承诺书扫描件。" in mail.outbox[-1].body
    client.force_login(application.enterprise.account)
    page = client.get(reverse("awards:application_edit", args=[application.pk]))
    assert "请补充加盖公章的承诺书扫描件。" in page.content.decode()
    application = submit(client, application)
    assert application.status == ApplicationStatus.SUBMITTED
    formal_check(client, olivia, application, "accept")
    assert application.status == ApplicationStatus.IN_REVIEW
    assert has_open_task(application, "assign_reviewers")


def test_an_application_can_be_returned_more_than_once(client, alice_application, olivia):
    application = submit(client, alice_application)
    for _ in range(2):
        formal_check(client, olivia, application, "return", "材料不全。")
        application = submit(client, application)
    assert application.events.filter(action="resubmitted").count() == 2
    assert has_open_task(application, "formal_check")


def test_a_return_without_a_reason_is_refused(client, alice_application, olivia):
    application = submit(client, alice_application)
    response = complete(
        client, olivia, open_task(application, "formal_check"), {"decision": "return", "reason": ""}, expect=200
    )
    assert "id_reason_errors" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_ineligible_application_is_rejected_at_the_formal_check(client, alice_application, olivia):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "reject", "近两年受到重大行政处罚，不符合申报条件。")
    assert application.status == ApplicationStatus.REJECTED
    assert _process_done(application)
    client.force_login(application.enterprise.account)
    detail = client.get(reverse("awards:application_detail", args=[application.pk])).content.decode()
    assert "不符合申报条件" in detail


def test_a_veto_confirmed_by_a_majority_gives_tier_d(client, alice_application, olivia, reviewers):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    assign(client, olivia, application, reviewers[:3])
    score(client, reviewers[0], application, points_share=1.0, veto=True)
    score(client, reviewers[1], application, points_share=1.0, veto=True)
    score(client, reviewers[2], application, points_share=1.0, veto=False)
    application.refresh_from_db()
    assert application.result.tier == "D"
    assert application.result.veto_fired
    assert application.status == ApplicationStatus.GRADED
    assert _process_done(application)


def test_an_education_base_that_fails_the_inspection_ends_there(client, alice, olivia, reviewers, ingrid):
    program = ProgramFactory(kind="education_base", slug="edu-2027", serial_prefix="JD")
    application = submit(client, ApplicationFactory(program=program, enterprise=alice.enterprise))
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    assert application.status == ApplicationStatus.INSPECTION
    complete(
        client,
        ingrid,
        open_task(application, "inspection"),
        {"passed": "no", "inspected_on": "2026-11-20", "notes": "展陈内容陈旧，无专职讲解人员。"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FAILED_INSPECTION
    assert application.inspection.notes == "展陈内容陈旧，无专职讲解人员。"
    assert _process_done(application)


def test_an_education_base_that_passes_the_inspection_goes_to_the_committee(client, alice, olivia, reviewers, ingrid):
    program = ProgramFactory(kind="education_base", slug="edu-2027", serial_prefix="JD")
    application = submit(client, ApplicationFactory(program=program, enterprise=alice.enterprise))
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    complete(
        client,
        ingrid,
        open_task(application, "inspection"),
        {"passed": "yes", "inspected_on": "2026-11-20", "notes": "场馆设施完善。"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMMITTEE


def _object(client, application, statement="该企业去年存在虚假宣传，已被市场监管部门处罚。"):
    client.logout()
    prefix = f"n{application.notice_id}"
    response = client.post(
        reverse("objection_file", args=[application.notice_id]),
        {
            f"{prefix}-application": application.pk,
            f"{prefix}-name": "王小明",
            f"{prefix}-phone": "13912345678",
            f"{prefix}-statement": statement,
        },
    )
    assert response.status_code == 200
    return Objection.objects.get(application=application)


def test_an_upheld_objection_removes_the_candidate(client, on_notice, olivia):
    application = on_notice
    objection = _object(client, application)
    close_notice(application)
    assert application.status == ApplicationStatus.ON_NOTICE  # waits for the organizer's verification
    complete(
        client,
        olivia,
        open_task(application, "verify_objections"),
        {f"objection-{objection.pk}-upheld": "yes", f"objection-{objection.pk}-reason": "经核实，处罚属实。"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REMOVED
    assert not Certificate.objects.filter(application=application).exists()
    assert _process_done(application)
    lookup = client.get(reverse("objection_lookup"), {"number": objection.tracking_number}).content.decode()
    assert "经核实，处罚属实。" in lookup
    assert "13912345678" not in lookup


def test_a_dismissed_objection_lets_the_candidate_proceed(client, on_notice, olivia):
    application = on_notice
    objection = _object(client, application)
    close_notice(application)
    complete(
        client,
        olivia,
        open_task(application, "verify_objections"),
        {
            f"objection-{objection.pk}-upheld": "no",
            f"objection-{objection.pk}-reason": "经核实，所述处罚系另一同名企业。",
        },
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert _process_done(application)
