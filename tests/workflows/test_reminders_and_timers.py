"""Review reminders and due timers fire without any extra process."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from awards import services
from awards.models import ApplicationStatus, Review
from jobs.periodic import periodic
from tests.workflows.flow_helpers import score

pytestmark = pytest.mark.django_db


def test_a_reviewer_is_reminded_once_before_the_review_falls_due(in_review, django_capture_on_commit_callbacks):
    due = Review.objects.filter(application=in_review).first().due_at
    with freeze_time(due - datetime.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        assert services.review_send_reminders() == 3
        assert services.review_send_reminders() == 0
    reminders = [m for m in mail.outbox if in_review.enterprise.name in m.subject]
    assert len(reminders) == 3
    assert {m.to[0] for m in reminders} == {r.reviewer.email for r in Review.objects.filter(application=in_review)}


def test_no_reminder_long_before_the_deadline(in_review):
    assert services.review_send_reminders(now=timezone.now()) == 0


def test_a_submitted_review_is_not_reminded(client, in_review, reviewers):
    score(client, reviewers[0], in_review, points_share=0.9)
    due = Review.objects.filter(application=in_review).first().due_at
    assert services.review_send_reminders(now=due - datetime.timedelta(hours=1)) == 2


def test_the_periodic_task_fires_the_due_notice_timer_without_any_web_request(on_notice):
    application = on_notice
    with freeze_time(application.notice.closes_at + datetime.timedelta(minutes=5)):
        periodic.call()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED


def test_the_cron_command_fires_due_timers_too(on_notice, capsys):
    application = on_notice
    with freeze_time(application.notice.closes_at + datetime.timedelta(minutes=5)):
        call_command("run_periodic", stdout=io.StringIO())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
