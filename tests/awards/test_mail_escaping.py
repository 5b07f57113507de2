"""Every e-mail the project sends keeps names, reasons and notes as text: raw in the text part, escaped in the HTML."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from awards.mail import send_after_commit
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory

HOSTILE_NAME = '<script>alert("name")</script>有限公司'
HOSTILE_TEXT = '<img src=x onerror=alert("reason")>'

TEMPLATES = sorted(
    path.name.removesuffix("_subject.txt")
    for path in (Path(settings.BASE_DIR) / "templates/emails").glob("*_subject.txt")
)


@pytest.fixture
def hostile_context(db):
    """An application and everything an e-mail may mention, each free text filled with markup."""
    application = ApplicationFactory(
        program=ProgramFactory(title=f"{HOSTILE_TEXT}评选"), enterprise=EnterpriseFactory(name=HOSTILE_NAME)
    )
    now = timezone.now()
    certificate = SimpleNamespace(
        enterprise=application.enterprise,
        title=f"{HOSTILE_TEXT}示范单位",
        serial="CX-2027-00001",
        valid_from=now.date(),
        valid_until=now.date() + datetime.timedelta(days=365),
    )
    case = SimpleNamespace(
        grounds=HOSTILE_TEXT,
        decision_reason=HOSTILE_TEXT,
        appeal_reason=HOSTILE_TEXT,
        get_decision_display=lambda: "撤销称号",
        get_appeal_decision_display=lambda: "维持撤销",
        response_due=now,
        appeal_due=now,
    )
    context = {
        "certificate": certificate,
        "case": case,
        "reason": HOSTILE_TEXT,
        "notice": SimpleNamespace(title=HOSTILE_TEXT, closes_at=now),
        "change": SimpleNamespace(reason=HOSTILE_TEXT, closes_at=now, previous_closes_at=now),
        "review": SimpleNamespace(due_at=now),
        "result": SimpleNamespace(final_score=Decimal("91.5"), get_tier_display=lambda: "A"),
    }
    return application, context


def _send(template, hostile_context, capture):
    application, context = hostile_context
    mail.outbox.clear()
    with capture(execute=True):
        send_after_commit(template, application, context, to=["someone@example.com"])
    (message,) = mail.outbox
    return message


def test_the_templates_are_enumerated():
    assert {"application_returned", "title_granted", "review_reminder"} <= set(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_html_part_shows_markup_as_escaped_text(template, hostile_context, django_capture_on_commit_callbacks):
    message = _send(template, hostile_context, django_capture_on_commit_callbacks)
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_text_part_and_the_subject_keep_the_raw_text(template, hostile_context, django_capture_on_commit_callbacks):
    message = _send(template, hostile_context, django_capture_on_commit_callbacks)
    assert HOSTILE_NAME in message.body
    assert "&lt;" not in message.body and "&quot;" not in message.body and "&#x27;" not in message.body
    assert "&lt;" not in message.subject and "&quot;" not in message.subject
