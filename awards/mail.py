"""E-mails to applicants and staff, rendered from subject/text/html templates and sent after the commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def applicant_addresses(application) -> list[str]:
    enterprise = application.enterprise
    addresses = [enterprise.contact_email, enterprise.account.email if enterprise.account_id else ""]
    return sorted({address for address in addresses if address})


def send_after_commit(template: str, application, context: dict, to: list[str] | None = None) -> None:
    """Send `emails/<template>_{subject,body}.txt` (and `.html` if present) once the transaction commits.

    Mail inside the transaction could announce a change that is then rolled back.
    """
    recipients = to if to is not None else applicant_addresses(application)
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    context = {"application": application, "program": application.program, **context}
    transaction.on_commit(lambda: _send(template, recipients, context))


def _send(template: str, recipients: list[str], context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        try:
            html = render_to_string(f"emails/{template}_body.html", context)
        except TemplateDoesNotExist:  # most messages need no layout of their own: wrap the text
            html = render_to_string("emails/_wrapper.html", {"subject": subject, "body": body})
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError:
        # The change itself is committed; a mail server outage must not turn it into an error page.
        logger.exception("Could not send the %s e-mail to %s", template, recipients)
