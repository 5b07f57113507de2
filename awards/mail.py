"""E-mails to applicants and staff: rendered from subject/text/html templates when the transaction commits, then
sent by a task on the queue, which tries again when the mail server fails."""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from jobs.queue import enqueue_later

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
    transaction.on_commit(lambda: _enqueue(template, recipients, context))


def _enqueue(template: str, recipients: list[str], context: dict) -> None:
    subject, body, html = render_email(template, context)
    send_email.enqueue(template=template, subject=subject, body=body, html=html, recipients=recipients)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of a message, in the interface's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
        try:
            html = render_to_string(f"emails/{template}_body.html", context)
        except TemplateDoesNotExist:  # most messages need no layout of their own: wrap the text
            html = render_to_string("emails/_wrapper.html", {"subject": subject, "body": body})
    return subject, body, html


def retry_delay(attempt: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after the attempt that failed, at most an hour: a mail server back within the hour
    gets every message."""
    return datetime.timedelta(minutes=min(60, 2 ** (attempt - 1)))


@task()
def send_email(*, template: str, subject: str, body: str, html: str, recipients: list[str], attempt: int = 1) -> str:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        if attempt < settings.MAIL_MAX_ATTEMPTS and enqueue_later(
            send_email,
            retry_delay(attempt),
            template=template,
            subject=subject,
            body=body,
            html=html,
            recipients=recipients,
            attempt=attempt + 1,
        ):
            logger.warning("Could not send the %s e-mail (attempt %d), trying again: %s", template, attempt, error)
            return "retrying"
        # The change itself is committed; losing the message is logged for the administrator to follow up.
        logger.exception("Could not send the %s e-mail to %s; giving up after %d attempts", template, recipients, attempt)
        return "failed"
    return "sent"
