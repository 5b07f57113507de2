"""Submitting an application: complete, before the deadline, and nothing lost when refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from awards import services
from awards.models import ApplicationEvent, ApplicationStatus
from tests.factories import complete_draft
from workflows.services import application_submit

pytestmark = pytest.mark.django_db


def test_it_submits_a_complete_draft(alice_application, alice):
    complete_draft(alice_application)
    application = application_submit(application=alice_application, user=alice)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert application.events.filter(action=ApplicationEvent.Action.SUBMITTED, actor=alice).exists()


def test_it_lists_everything_still_missing(alice_application, alice):
    with pytest.raises(services.ApplicationError) as error:
        application_submit(application=alice_application, user=alice)
    assert len(error.value.messages) == 4  # criteria, summary, commitment, business licence
    alice_application.refresh_from_db()
    assert alice_application.status == ApplicationStatus.DRAFT


def test_a_refusal_is_kept_in_the_history(alice_application, alice):
    with pytest.raises(services.ApplicationError):
        application_submit(application=alice_application, user=alice)
    assert alice_application.events.filter(action=ApplicationEvent.Action.SUBMIT_REFUSED).exists()


def test_it_refuses_a_late_submission_and_keeps_the_draft(alice_application, alice):
    complete_draft(alice_application)
    with freeze_time(alice_application.program.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(services.ApplicationError) as error:
            application_submit(application=alice_application, user=alice)
    assert "截止" in error.value.messages[0]
    alice_application.refresh_from_db()
    assert alice_application.status == ApplicationStatus.DRAFT
    assert alice_application.summary  # nothing lost


def test_the_deadline_is_exclusive(alice_application, alice):
    complete_draft(alice_application)
    with freeze_time(alice_application.program.closes_at - datetime.timedelta(seconds=1)):
        application_submit(application=alice_application, user=alice)


def test_a_submitted_application_cannot_be_changed(alice_application, alice):
    complete_draft(alice_application)
    application_submit(application=alice_application, user=alice)
    with pytest.raises(services.ApplicationError):
        services.application_save_draft(
            application=alice_application, user=alice, summary="改", commitment_accepted=True, assessments={}
        )


def test_a_self_assessment_above_the_maximum_is_refused(alice_application, alice):
    criterion = alice_application.program.criteria.filter(is_veto=False).first()
    with pytest.raises(services.ApplicationError):
        services.application_save_draft(
            application=alice_application,
            user=alice,
            summary="",
            commitment_accepted=False,
            assessments={criterion.pk: services.AssessmentInput(points=criterion.max_points + 1)},
        )


def test_a_late_submit_through_the_page_saves_the_entries_and_says_why(client, alice_application, alice):
    complete_draft(alice_application)
    data = _form_data(alice_application, summary="截止后才写完的事迹")
    with freeze_time(alice_application.program.closes_at + datetime.timedelta(hours=1)):
        client.force_login(alice)
        response = client.post(
            reverse("awards:application_edit", args=[alice_application.pk]), data | {"submit": "1"}, follow=True
        )
    assert "截止" in response.content.decode()
    alice_application.refresh_from_db()
    assert alice_application.summary == "截止后才写完的事迹"
    assert alice_application.status == ApplicationStatus.DRAFT


def test_submitting_through_the_page(client, alice_application, alice):
    complete_draft(alice_application)
    client.force_login(alice)
    response = client.post(
        reverse("awards:application_edit", args=[alice_application.pk]), _form_data(alice_application) | {"submit": "1"}
    )
    assert response.status_code == 302
    alice_application.refresh_from_db()
    assert alice_application.status == ApplicationStatus.SUBMITTED


def test_a_wrong_number_is_shown_next_to_its_field_and_nothing_is_saved(client, alice_application, alice):
    client.force_login(alice)
    criterion = alice_application.program.criteria.filter(is_veto=False).first()
    data = _form_data(alice_application, summary="新写的") | {f"criterion_{criterion.pk}": "999"}
    response = client.post(reverse("awards:application_edit", args=[alice_application.pk]), data | {"save": "1"})
    assert response.status_code == 200
    assert f"criterion_{criterion.pk}_errors" in response.content.decode()
    alice_application.refresh_from_db()
    assert alice_application.summary == ""


def test_an_application_cannot_start_after_the_deadline(alice, program):
    with freeze_time(program.closes_at + datetime.timedelta(minutes=1)):
        with pytest.raises(services.ApplicationError):
            services.application_start(program=program, enterprise=alice.enterprise, user=alice)


def test_starting_twice_returns_the_same_draft(alice, program):
    first = services.application_start(program=program, enterprise=alice.enterprise, user=alice)
    assert services.application_start(program=program, enterprise=alice.enterprise, user=alice) == first


def test_the_applicant_sees_the_days_left(client, alice_application, alice):
    program = alice_application.program
    with freeze_time(program.closes_at - datetime.timedelta(days=2, hours=3)):
        client.force_login(alice)
        response = client.get(reverse("awards:application_detail", args=[alice_application.pk]))
    assert "还剩 3 天" in response.content.decode()
    assert timezone.localtime(program.closes_at).strftime("%Y年%-m月%-d日") in response.content.decode()


def _form_data(application, summary: str | None = None) -> dict:
    data = {"summary": summary if summary is not None else application.summary, "commitment_accepted": "on"}
    for assessment in application.self_assessments.select_related("criterion"):
        key = f"criterion_{assessment.criterion_id}"
        if assessment.criterion.is_veto:
            data[key] = "yes" if assessment.veto_applies else "no"
        else:
            data[key] = str(assessment.points)
    return data
