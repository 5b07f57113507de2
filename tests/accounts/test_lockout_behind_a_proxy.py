"""Behind our reverse proxy, login lockouts count per real client, not per proxy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture
def dave(db):
    return UserFactory(username="13900001111", phone="13900001111", email="dave@example.com")


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _login(client, client_address: str, password: str = PASSWORD):
    return client.post(
        reverse("accounts:login"),
        {"username": "13900001111", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_the_client_that_failed_five_times_is_locked_out(client, dave):
    for _ in range(5):
        _login(client, "203.0.113.66", "wrong-password")
    assert _login(client, "203.0.113.66").status_code == 429


def test_another_client_behind_the_same_proxy_still_logs_in(client, dave):
    for _ in range(5):
        _login(client, "203.0.113.66", "wrong-password")
    assert _login(client, "198.51.100.5").status_code == 302
