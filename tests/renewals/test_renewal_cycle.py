"""A renewal cycle through the web: the reminders, 申请复评 on “My titles”, the prefilled form, and a ban refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from awards.models import Application, ApplicationStatus
from renewals.models import ExpiryReminder, RenewalSource, TitleRenewal
from renewals.reminders import expiry_reminders_send
from tests.factories import ProgramFactory, granted_title
from tests.renewals.conftest import revoke

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def expiring(alice):
    """Alice's title, granted on a filled application, expires in 100 days."""
    return granted_title(alice.enterprise, valid_until=_today() + datetime.timedelta(days=100))


@pytest.fixture
def renewal_round(db):
    """This year's honest-business programme, open for applications, with the default rubric."""
    return ProgramFactory(title="2027年度诚信经营示范单位评选（复评）", slug="honest-renewal")


def _remind(on: datetime.date, capture) -> list[int]:
    with capture(execute=True):
        return [reminder.days_before for reminder in expiry_reminders_send(today=on)]


def test_a_whole_renewal_cycle(client, alice, expiring, renewal_round, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    expiry = expiring.valid_until
    mail.outbox.clear()
    # The reminders, with the clock moved to the days before expiry.
    assert _remind(expiry - datetime.timedelta(days=91), capture) == []
    assert _remind(expiry - datetime.timedelta(days=90), capture) == [90]
    assert _remind(expiry - datetime.timedelta(days=60), capture) == []
    assert _remind(expiry - datetime.timedelta(days=30), capture) == [30]
    assert [m.to for m in mail.outbox] == [["alice@example.com", "contact@example.com"]] * 2
    assert "还剩90天。" in mail.outbox[0].body and "还剩30天。" in mail.outbox[1].body

    # Today, 100 days before expiry: “My titles” shows the coming expiry and offers the renewal.
    client.force_login(alice)
    page = client.get(reverse("my_titles"))
    assert "还剩100天" in page.content.decode()
    assert "申请复评" in page.content.decode()
    assert renewal_round.title in page.content.decode()

    response = client.post(reverse("renewals:renew", args=[expiring.serial]), {"program": renewal_round.slug})
    application = Application.objects.get(program=renewal_round, enterprise=alice.enterprise)
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards:application_edit", args=[application.pk]
    )

    renewal = TitleRenewal.objects.get(application=application)
    assert (renewal.certificate, renewal.prefilled_from, renewal.source) == (
        expiring,
        expiring.application,
        RenewalSource.APPLICANT,
    )
    form = client.get(response["Location"]).content.decode()
    assert "诚信经营，投诉按时办结。" in form  # the summary of the last application
    assert "营业执照.pdf" in form  # the licence carried over
    assert application.self_assessments.count() == renewal_round.criteria.count()
    assert not application.commitment_accepted  # to be accepted again for this round
    assert application.status == ApplicationStatus.DRAFT

    # The renewal is on the title's card, and the button is gone.
    page = client.get(reverse("my_titles")).content.decode()
    assert reverse("awards:application_detail", args=[application.pk]) in page
    assert f'value="{renewal_round.slug}"' not in page
    assert ExpiryReminder.objects.filter(certificate=expiring).count() == 2


def test_a_title_far_from_expiry_offers_no_renewal_yet(client, alice, renewal_round, settings):
    title = granted_title(alice.enterprise, valid_until=_today() + datetime.timedelta(days=400))
    client.force_login(alice)
    page = client.get(reverse("my_titles")).content.decode()
    opens = title.valid_until - datetime.timedelta(days=settings.RENEWAL_WINDOW_DAYS)
    assert f"自{opens.year}年{opens.month}月{opens.day}日起可申请复评" in page
    assert "申请复评" not in page.replace("可申请复评", "")

    response = client.post(reverse("renewals:renew", args=[title.serial]), {"program": renewal_round.slug}, follow=True)
    assert "起、在有效期内可申请复评" in response.content.decode()
    assert not Application.objects.filter(program=renewal_round).exists()


def test_only_the_holder_may_renew_its_title(client, bob, expiring, renewal_round):
    client.force_login(bob)
    response = client.post(reverse("renewals:renew", args=[expiring.serial]), {"program": renewal_round.slug})
    assert response.status_code == 404


def test_a_revoked_enterprise_is_refused_with_why_and_until_when(client, bob, olivia, renewal_round):
    revoked_on = _today() - datetime.timedelta(days=30)
    revoke(granted_title(bob.enterprise, valid_until=_today() + datetime.timedelta(days=500)), olivia, revoked_on)
    until = revoked_on.replace(year=revoked_on.year + 2)

    client.force_login(bob)
    response = client.post(reverse("awards:application_start", args=[renewal_round.slug]), follow=True)

    expected = (
        f"贵单位的称号于{revoked_on.year}年{revoked_on.month}月{revoked_on.day}日被撤销，"
        f"{until.year}年{until.month}月{until.day}日前不得再次申报。"
    )
    assert expected in response.content.decode()
    assert not Application.objects.filter(program=renewal_round, enterprise=bob.enterprise).exists()


def test_a_banned_holder_sees_the_ban_instead_of_the_renewal_button(client, alice, olivia, expiring, renewal_round):
    other = granted_title(alice.enterprise, valid_until=_today() + datetime.timedelta(days=700))
    revoke(other, olivia, _today() - datetime.timedelta(days=10))
    client.force_login(alice)
    page = client.get(reverse("my_titles")).content.decode()
    assert "不得再次申报" in page
    assert f'value="{renewal_round.slug}"' not in page
