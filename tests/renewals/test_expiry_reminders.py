"""Reminders 90, 30 and 7 days before a title expires: each sent once, only the most urgent one that is due."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from certificates.models import CertificateStatus
from jobs.periodic import PERIODIC, run_periodic_work
from renewals.models import ExpiryReminder
from renewals.reminders import expiry_reminders_send, reminder_due
from tests.factories import granted_title

EXPIRY = datetime.date(2027, 3, 14)


def _day(days_before: int) -> datetime.date:
    return EXPIRY - datetime.timedelta(days=days_before)


@pytest.mark.parametrize(
    ("days_before", "sent", "due"),
    [
        (120, set(), None),  # too early
        (91, set(), None),
        (90, set(), 90),
        (89, set(), 90),  # a worker down on the 90th day still sends it the day after
        (89, {90}, None),  # never twice
        (31, {90}, None),
        (30, {90}, 30),
        (30, set(), 30),  # down since before the 90th day: only the most urgent one, not 90 and 30
        (30, {30}, None),
        (8, {90, 30}, None),
        (7, {90, 30}, 7),
        (3, set(), 7),  # down for months: one reminder, the last
        (7, {7}, None),
        (0, {90, 30}, 7),  # the last day of validity
        (-1, set(), None),  # expired: too late to remind
    ],
)
def test_the_reminder_due_is_the_most_urgent_threshold_not_yet_sent(days_before, sent, due):
    assert reminder_due(EXPIRY, _day(days_before), sent) == due


@pytest.fixture
def title(alice, django_capture_on_commit_callbacks):
    return granted_title(alice.enterprise, valid_until=EXPIRY)


def _send(today, capture):
    with capture(execute=True):
        return expiry_reminders_send(today=today)


def test_the_holder_is_mailed_90_days_before_expiry(title, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    sent = _send(_day(90), django_capture_on_commit_callbacks)
    assert [(r.certificate, r.days_before) for r in sent] == [(title, 90)]
    message = mail.outbox[-1]
    assert "alice@example.com" in message.to
    assert message.subject == f"“{title.title}”称号将于2027年3月14日到期"
    assert "还剩90天。" in message.body
    assert "2027年3月14日" in message.body
    assert "/titles/" in message.body


def test_a_reminder_is_never_sent_twice(title, django_capture_on_commit_callbacks):
    _send(_day(90), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert _send(_day(90), django_capture_on_commit_callbacks) == []
    assert _send(_day(60), django_capture_on_commit_callbacks) == []
    assert mail.outbox == []
    assert ExpiryReminder.objects.filter(certificate=title).count() == 1


def test_a_worker_back_after_weeks_sends_only_the_most_urgent_reminder(title, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    sent = _send(_day(5), django_capture_on_commit_callbacks)
    assert [r.days_before for r in sent] == [7]
    assert len(mail.outbox) == 1
    assert _send(_day(4), django_capture_on_commit_callbacks) == []


def test_all_three_reminders_over_the_last_90_days(title, django_capture_on_commit_callbacks):
    for days_before in range(100, -3, -1):
        _send(_day(days_before), django_capture_on_commit_callbacks)
    reminders = ExpiryReminder.objects.filter(certificate=title).order_by("-days_before")
    assert [(r.days_before, r.sent_on) for r in reminders] == [(90, _day(90)), (30, _day(30)), (7, _day(7))]


@pytest.mark.parametrize("status", [CertificateStatus.SUSPENDED, CertificateStatus.REVOKED])
def test_a_suspended_or_revoked_title_is_not_reminded(title, status, django_capture_on_commit_callbacks):
    type(title).objects.filter(pk=title.pk).update(status=status)
    assert _send(_day(30), django_capture_on_commit_callbacks) == []


def test_the_reminders_are_periodic_work(title):
    assert "title expiry reminders" in PERIODIC
    # Today the title is more than 90 days from its expiry: the run sends nothing, and says so.
    assert run_periodic_work()["title expiry reminders"] == 0
