"""The ban on applying again after a revocation: REVOCATION_BAN_YEARS from the day the revocation took effect."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateStatus


def ban_end(revoked_on: datetime.date, years: int) -> datetime.date:
    """The first day the enterprise may apply again: the same date `years` later (29 February: 1 March)."""
    try:
        return revoked_on.replace(year=revoked_on.year + years)
    except ValueError:  # 29 February in a year without one: the whole period is served
        return datetime.date(revoked_on.year + years, 3, 1)


def is_banned(revoked_on: datetime.date, today: datetime.date, years: int) -> bool:
    """Barred from the day of the revocation up to, not including, the day `years` later."""
    return revoked_on <= today < ban_end(revoked_on, years)


@dataclass(frozen=True)
class Ban:
    certificate: Certificate
    revoked_on: datetime.date
    until: datetime.date  # the first day the enterprise may apply again

    @property
    def message(self) -> str:
        return _("Your enterprise's title was revoked on %(revoked)s; it may not apply again before %(until)s.") % {
            "revoked": date_format(self.revoked_on, "DATE_FORMAT"),
            "until": date_format(self.until, "DATE_FORMAT"),
        }


def revocation_took_effect(certificate: Certificate) -> datetime.date | None:
    """The day the revocation that stands took effect: the first of the last run of “revoked” events.

    A dismissed appeal records “revoked” again without moving that day; an upheld appeal records “valid”, and the
    title is no longer revoked at all.
    """
    if certificate.status != CertificateStatus.REVOKED:
        return None
    took_effect = None
    for event in certificate.events.order_by("at", "pk"):
        if event.status != CertificateStatus.REVOKED:
            took_effect = None
        elif took_effect is None:
            took_effect = event.at
    return timezone.localdate(took_effect) if took_effect else None


def enterprise_ban(enterprise, today: datetime.date | None = None) -> Ban | None:
    """The ban on the enterprise today, from the latest of its revoked titles still within the period, or None."""
    today = today or timezone.localdate()
    years = settings.REVOCATION_BAN_YEARS
    if years <= 0:
        return None
    bans = []
    for certificate in Certificate.objects.filter(enterprise=enterprise, status=CertificateStatus.REVOKED):
        revoked_on = revocation_took_effect(certificate)
        if revoked_on and is_banned(revoked_on, today, years):
            bans.append(Ban(certificate, revoked_on, ban_end(revoked_on, years)))
    return max(bans, key=lambda ban: ban.until, default=None)
