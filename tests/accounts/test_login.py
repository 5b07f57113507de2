"""Logging in and out, lockout after repeated failures, idle logout, password reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dave(db):
    return UserFactory(username="13900001111", phone="13900001111", email="dave@example.com")


def _login(client, username: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("identifier", ["13900001111", "139 0000 1111", "dave@example.com", "DAVE@example.com"])
def test_it_logs_in_with_the_mobile_number_or_the_e_mail(client, dave, identifier):
    response = _login(client, identifier)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == dave.pk


def test_a_wrong_password_is_explained_in_chinese(client, dave):
    response = _login(client, "13900001111", "wrong-password")
    assert response.status_code == 200
    assert "密码" in response.content.decode()


def test_five_failures_lock_the_account_from_that_address(client, dave):
    for _ in range(5):
        _login(client, "13900001111", "wrong-password")
    response = _login(client, "13900001111")
    assert response.status_code == 429
    assert "30" in response.content.decode()


def test_a_lockout_from_another_address_does_not_lock_the_applicant_out(client, dave):
    for _ in range(5):
        _login(client, "13900001111", "wrong-password", ip="10.9.9.9")
    assert _login(client, "13900001111", ip="10.0.0.1").status_code == 302


def test_spellings_of_the_same_mobile_number_share_one_lockout_counter(client, dave):
    spellings = ["139 0000 1111", "１３９００００１１１１", "139-0000-1111", "+86 13900001111", " 13900001111 "]
    for spelling in spellings:
        _login(client, spelling, "wrong-password")
    assert _login(client, "13900001111").status_code == 429


def test_spellings_of_a_staff_username_share_one_lockout_counter(client, db):
    UserFactory(username="applicant03")
    for spelling in ["applicant 03", "ａｐｐｌｉｃａｎｔ０３", "applicant-03", "app-licant 03", "applicant03"]:
        _login(client, spelling, "wrong-password")
    assert _login(client, "applicant03").status_code == 429


def test_the_e_mail_address_and_the_mobile_number_share_one_lockout_counter(client, dave):
    for identifier in ["dave@example.com", "DAVE@example.com", "13900001111", "ｄａｖｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "139 0000 1111"]:
        _login(client, identifier, "wrong-password")
    assert _login(client, "dave@example.com").status_code == 429


def test_failures_for_an_unknown_login_are_counted_under_its_normalised_form(client, db):
    for spelling in ["138 0013 8000", "１３８００１３８０００", "138-0013-8000", "13800138000", "+8613800138000"]:
        _login(client, spelling, "wrong-password")
    UserFactory(username="13800138000", phone="13800138000")
    assert _login(client, "13800138000").status_code == 429


def test_logging_out_needs_post(client, dave):
    client.force_login(dave)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_session_ends_after_30_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_the_password_reset_mail_leads_to_a_new_password(client, dave):
    client.post(reverse("accounts:password_reset"), {"email": "dave@example.com"})
    assert len(mail.outbox) == 1
    assert "密码" in mail.outbox[0].subject
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "Qiantang-River-2027"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    dave.refresh_from_db()
    assert dave.check_password(new_password)


def test_a_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0
