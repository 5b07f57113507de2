"""Applicants register themselves with an e-mail address or a mobile number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Xihu-Longjing-2027"


def _register(client, identifier: str, password: str = GOOD_PASSWORD, again: str | None = None):
    return client.post(
        reverse("accounts:register"),
        {"identifier": identifier, "full_name": "张三", "password1": password, "password2": again or password},
    )


def test_it_registers_with_an_e_mail_address_and_logs_in(client):
    response = _register(client, "Zhang.San@Example.com")
    assert response["Location"] == reverse("awards:enterprise_register")
    user = User.objects.get()
    assert user.email == "zhang.san@example.com"
    assert client.get(reverse("awards:enterprise_register")).status_code == 200


def test_it_registers_with_a_mobile_number(client):
    _register(client, "138 0013 8000")
    assert User.objects.get().phone == "13800138000"


def test_a_mobile_number_typed_in_full_width_is_accepted(client):
    _register(client, "１３８００１３８０００")
    assert User.objects.get().phone == "13800138000"


@pytest.mark.parametrize("identifier", ["zhangsan", "12345", "23800138000", "a@b"])
def test_a_bad_identifier_is_explained(client, identifier):
    response = _register(client, identifier)
    assert response.status_code == 200
    assert "id_identifier_errors" in response.content.decode()
    assert not User.objects.exists()


def test_the_same_identifier_cannot_register_twice(client):
    _register(client, "13800138000")
    client.logout()
    response = _register(client, "13800138000")
    assert "已" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "password",
    [
        "Ab1!",  # too short
        "abcdefghij",  # one kind of character
        "abcdefgh12",  # two kinds
        "12345678901",  # digits only
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, password):
    response = _register(client, "13800138000", password)
    assert "id_password1_errors" in response.content.decode()
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client):
    response = _register(client, "13800138000", GOOD_PASSWORD, GOOD_PASSWORD + "x")
    assert "id_password2_errors" in response.content.decode()
    assert "两次" in response.content.decode()
