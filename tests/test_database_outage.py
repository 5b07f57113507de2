"""With the database down, pages answer a Chinese 503 page and .json paths a JSON 503, both with Retry-After."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory

from config.outage import RETRY_AFTER_SECONDS, outage_response

SECRET = 'connection to server at "10.9.8.7", port 5432 failed: password authentication failed for user "award315"'


@pytest.fixture
def database_down(monkeypatch):
    """Every connection attempt fails, as while PostgreSQL restarts."""

    def refuse(self):
        raise OperationalError(SECRET)

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.fixture
def browser():
    # The test client re-raises a view's exception by default; a browser gets the response instead.
    return Client(raise_request_exception=False)


def test_it_answers_a_page_with_the_chinese_outage_page(database_down, browser):
    response = browser.get("/honours/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "服务暂时不可用" in response.content.decode()


def test_the_page_says_when_to_try_again(database_down, browser):
    response = browser.get("/honours/")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert f"请在 {RETRY_AFTER_SECONDS} 秒后重试" in response.content.decode()


def test_it_answers_a_json_path_with_json(database_down, browser):
    response = browser.get("/verify/A2027-000001.json")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"error": "service_unavailable", "message": "服务暂时不可用，请稍后重试。"}


@pytest.mark.parametrize("path", ["/honours/", "/verify/A2027-000001.json", "/accounts/login/"])
def test_it_shows_nothing_of_the_error(database_down, browser, path):
    body = browser.get(path).content.decode()
    assert "10.9.8.7" not in body
    assert "award315" not in body
    assert "OperationalError" not in body


def test_a_form_post_during_the_outage_also_gets_the_page(database_down, browser):
    response = browser.post("/accounts/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 503


def test_a_connection_lost_mid_request_counts_as_an_outage(monkeypatch, browser):
    def lost(self):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", lost)
    assert browser.get("/honours/").status_code == 503


def test_the_outage_page_is_never_cached(database_down, browser):
    assert browser.get("/honours/")["Cache-Control"] == "no-store"


def test_the_outage_page_keeps_the_content_security_policy(database_down, browser):
    assert "script-src 'self'" in browser.get("/honours/")["Content-Security-Policy"]


def test_other_server_errors_stay_500(monkeypatch, browser):
    def broken(self):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", broken)
    assert browser.get("/honours/").status_code == 500


def test_the_page_renders_without_any_database():
    # No django_db mark: pytest-django fails any query here, so rendering must not need one.
    response = outage_response(RequestFactory().get("/applications/7/edit/"))
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


def test_the_page_names_the_organizer_from_settings(settings):
    settings.SITE_ORGANIZER_NAME = "宁波市消费者权益保护委员会"
    page = outage_response(RequestFactory().get("/")).content.decode()
    assert "主办单位：宁波市消费者权益保护委员会" in page


def test_the_page_follows_the_language_asked_for():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "briefly unavailable" in outage_response(request).content.decode()
