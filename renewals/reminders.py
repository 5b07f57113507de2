"""Reminders to a title's holder 90, 30 and 7 days before the title expires, each sent once."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from awards.mail import applicant_addresses, send_after_commit
from certificates.models import Certificate, CertificateStatus
from renewals.models import ExpiryReminder

REMINDER_DAYS = (90, 30, 7)


def reminder_due(valid_until: datetime.date, today: datetime.date, sent: set[int]) -> int | None:
    """The threshold to remind of today, or None.

    Only the most urgent threshold reached is sent: a worker that was down for weeks sends one reminder, not all
    the ones it missed; a threshold already sent, or one less urgent than a reminder already sent, is not sent.
    """
    days_left = (valid_until - today).days
    if days_left < 0:
        return None
    reached = [days for days in REMINDER_DAYS if days_left <= days]
    if not reached:
        return None
    most_urgent = min(reached)
    if any(days <= most_urgent for days in sent):
        return None
    return most_urgent


def expiry_reminders_send(*, today: datetime.date | None = None) -> list[ExpiryReminder]:
    """Send the reminders due today to the holders of valid titles; the periodic work calls this."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    titles = (
        Certificate.objects.filter(
            status=CertificateStatus.VALID, valid_from__lte=today, valid_until__gte=today, valid_until__lte=horizon
        )
        .select_related("application__program", "enterprise__account")
        .prefetch_related("expiry_reminders")
        .order_by("valid_until", "pk")
    )
    sent = []
    for certificate in titles:
        days = reminder_due(certificate.valid_until, today, {r.days_before for r in certificate.expiry_reminders.all()})
        if days is not None and (reminder := _send(certificate, days, today)):
            sent.append(reminder)
    return sent


def _send(certificate: Certificate, days: int, today: datetime.date) -> ExpiryReminder | None:
    application = certificate.application
    application.enterprise = certificate.enterprise  # the addresses read the holder's account
    try:
        with transaction.atomic():
            reminder = ExpiryReminder.objects.create(
                certificate=certificate,
                days_before=days,
                sent_on=today,
                recipients=", ".join(applicant_addresses(application))[:500],
            )
            send_after_commit(
                "title_expiry_reminder",
                application,
                {
                    "certificate": certificate,
                    "days_left": (certificate.valid_until - today).days,
                    "renewal_url": _my_titles_url(),
                },
            )
    except IntegrityError:  # another worker recorded (and sends) this reminder
        return None
    return reminder


def _my_titles_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("my_titles")
