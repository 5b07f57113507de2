"""Refused submissions survive their rolled-back transaction: in the history, and in the security log.

Driven through the applicant's page, which submits with the one submit action (workflows.services.application_submit).
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.urls import reverse
from freezegun import freeze_time

from awards.models import ApplicationEvent, ApplicationStatus
from tests.factories import complete_draft
from tests.workflows.flow_helpers import has_open_task

pytestmark = pytest.mark.django_db

REFUSED = ApplicationEvent.Action.SUBMIT_REFUSED


def _submit(client, user, application):
    client.force_login(user)
    data = {"summary": application.summary or "诚信经营。", "commitment_accepted": "on", "submit": "1"}
    for assessment in application.self_assessments.select_related("criterion"):
        data[f"criterion_{assessment.criterion_id}"] = (
            ("yes" if assessment.veto_applies else "no") if assessment.criterion.is_veto else str(assessment.points)
        )
    return client.post(reverse("awards:application_edit", args=[application.pk]), data)


def test_submitting_through_the_page_starts_the_review_process(client, alice, alice_application):
    complete_draft(alice_application)
    _submit(client, alice, alice_application)
    assert has_open_task(alice_application, "formal_check")


def test_a_late_submission_is_kept_in_the_history(client, alice, alice_application):
    complete_draft(alice_application)
    with freeze_time(alice_application.program.closes_at + datetime.timedelta(minutes=1)):
        response = _submit(client, alice, alice_application)
    assert response.status_code == 302
    refusal = alice_application.events.get(action=REFUSED)
    assert refusal.actor == alice
    assert "截止" in refusal.note
    alice_application.refresh_from_db()
    assert alice_application.status == ApplicationStatus.DRAFT


def test_a_second_submission_is_refused_and_kept_in_the_history(client, alice, alice_application):
    complete_draft(alice_application)
    assert _submit(client, alice, alice_application).status_code == 302
    response = _submit(client, alice, alice_application)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:application_detail", args=[alice_application.pk])
    refusal = alice_application.events.get(action=REFUSED)
    assert refusal.actor == alice
    assert "已提交" in refusal.note
    assert alice_application.events.filter(action=ApplicationEvent.Action.SUBMITTED).count() == 1


def test_a_double_click_whose_first_click_submits_while_the_second_waits_is_refused_and_recorded(
    client, alice, alice_application, monkeypatch
):
    from awards import views

    complete_draft(alice_application)
    assert _submit(client, alice, alice_application).status_code == 302
    # The second click read the application before the first one committed: it still looked like a draft.
    stale = type(alice_application).objects.get(pk=alice_application.pk)
    stale.status = ApplicationStatus.DRAFT
    monkeypatch.setattr(views, "_get_own_application", lambda request, pk: stale)
    response = _submit(client, alice, alice_application)
    assert response["Location"] == reverse("awards:application_detail", args=[alice_application.pk])
    assert alice_application.events.filter(action=REFUSED).count() == 1
    assert alice_application.events.filter(action=ApplicationEvent.Action.SUBMITTED).count() == 1


def test_another_account_submitting_someone_elses_application_is_refused_and_recorded(
    client, alice_application, bob, caplog
):
    complete_draft(alice_application)
    with caplog.at_level(logging.WARNING, logger="awards.security"):
        response = _submit(client, bob, alice_application)
    assert response.status_code == 404
    alice_application.refresh_from_db()
    assert alice_application.status == ApplicationStatus.DRAFT
    refusal = alice_application.events.get(action=REFUSED)
    assert refusal.actor == bob
    assert "无权限" in refusal.note
    (record,) = [r for r in caplog.records if r.name == "awards.security"]
    assert record.levelno == logging.WARNING
    assert str(bob.pk) in record.getMessage() and str(alice_application.pk) in record.getMessage()


def test_a_refusal_for_an_application_that_does_not_exist_goes_to_the_security_log(client, bob, caplog):
    client.force_login(bob)
    with caplog.at_level(logging.WARNING, logger="awards.security"):
        response = client.post(reverse("awards:application_edit", args=[999999]), {"submit": "1"})
    assert response.status_code == 404
    assert any(r.name == "awards.security" and "999999" in r.getMessage() for r in caplog.records)
    assert not ApplicationEvent.objects.filter(action=REFUSED).exists()


def test_only_looking_at_someone_elses_edit_page_is_logged_but_not_put_in_their_history(
    client, alice_application, bob, caplog
):
    client.force_login(bob)
    with caplog.at_level(logging.WARNING, logger="awards.security"):
        response = client.get(reverse("awards:application_edit", args=[alice_application.pk]))
    assert response.status_code == 404
    assert any(r.name == "awards.security" for r in caplog.records)
    assert not alice_application.events.filter(action=REFUSED).exists()


def test_the_security_log_is_configured(settings):
    assert "awards.security" in settings.LOGGING["loggers"]


def test_the_applicant_reads_the_refusal_without_the_name_of_who_tried(client, alice, alice_application, bob):
    complete_draft(alice_application)
    _submit(client, bob, alice_application)
    client.force_login(alice)
    page = client.get(reverse("awards:application_detail", args=[alice_application.pk])).content.decode()
    assert "无权限" in page
    assert bob.username not in page and bob.get_full_name() not in page
