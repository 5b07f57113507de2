"""Granting titles."""

from __future__ import annotations

import datetime

from django.db import transaction

from awards.mail import send_after_commit
from awards.models import Application, ApplicationEvent, ApplicationStatus
from awards.services.applications import record_event
from certificates.models import Certificate
from certificates.serials import allocate_serial


def validity_end(valid_from: datetime.date, years: int) -> datetime.date:
    """The last day of validity: the day before the same date `years` later (29 February falls back to the 28th)."""
    try:
        anniversary = valid_from.replace(year=valid_from.year + years)
    except ValueError:
        anniversary = valid_from.replace(year=valid_from.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


@transaction.atomic
def certificate_grant(*, application: Application, user=None) -> Certificate:
    """Grant the title: a serial without gaps or duplicates, valid from the ceremony for the programme's validity."""
    application = Application.objects.select_for_update().select_related("program", "enterprise").get(pk=application.pk)
    existing = Certificate.objects.filter(application=application).first()
    if existing:
        return existing
    program = application.program
    serial, sequence = allocate_serial(prefix=program.serial_prefix, year=program.year)
    certificate = Certificate.objects.create(
        application=application,
        program=program,
        enterprise=application.enterprise,
        serial=serial,
        sequence=sequence,
        title=program.official_title,
        valid_from=program.ceremony_date,
        valid_until=validity_end(program.ceremony_date, program.validity_years),
        granted_by=user,
    )
    application.status = ApplicationStatus.GRANTED
    application.save(update_fields=["status", "updated_at"])
    record_event(application, ApplicationEvent.Action.GRANTED, user, serial)
    send_after_commit("title_granted", application, {"certificate": certificate})
    return certificate
