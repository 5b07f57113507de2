"""Every password rule answers in Chinese: on registration, password change and password reset."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import get_default_password_validators, password_validators_help_texts
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
TOO_SHORT = "密码长度太短"
# Between them these break every configured rule, for the user below.
BAD_PASSWORDS = ["Ab1!", "abcdefghij", "12345678901", "password", "zhangsan2027", "Zhangsan2027!"]


@pytest.fixture
def erin(db):
    return UserFactory(username="erin@example.com")


def _texts_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def test_every_configured_rule_refuses_in_chinese():
    user = User(username="zhangsan2027", first_name="张三", email="zhangsan2027@example.com")
    validators = get_default_password_validators()
    refused_by, messages = set(), []
    with translation.override("zh-hans"):
        for validator in validators:
            for password in BAD_PASSWORDS:
                try:
                    validator.validate(password, user)
                except ValidationError as error:
                    refused_by.add(type(validator).__name__)
                    messages += _texts_of(error)
    assert refused_by == {type(validator).__name__ for validator in validators}
    assert [message for message in messages if ENGLISH_WORD.search(message)] == []


def test_every_rule_is_explained_in_chinese():
    with translation.override("zh-hans"):
        assert [text for text in password_validators_help_texts() if ENGLISH_WORD.search(str(text))] == []


def _assert_too_short_in_chinese(response) -> None:
    page = response.content.decode()
    assert TOO_SHORT in page
    assert "too short" not in page


def test_registration_says_a_short_password_is_too_short_in_chinese(client):
    response = client.post(
        reverse("accounts:register"),
        {"identifier": "13800138000", "full_name": "张三", "password1": "Ab1!", "password2": "Ab1!"},
    )
    _assert_too_short_in_chinese(response)


def test_password_change_says_a_short_password_is_too_short_in_chinese(client, erin):
    client.force_login(erin)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!"},
    )
    _assert_too_short_in_chinese(response)


def test_password_reset_says_a_short_password_is_too_short_in_chinese(client, erin):
    client.post(reverse("accounts:password_reset"), {"email": "erin@example.com"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Ab1!", "new_password2": "Ab1!"})
    _assert_too_short_in_chinese(response)
