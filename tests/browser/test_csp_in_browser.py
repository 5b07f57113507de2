"""Under the Content-Security-Policy, with no inline script or style, the pages and the admin still work in Chromium."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, ProgramFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def violations(page):
    """What Chromium refused because of the policy, as it reports it on the console."""
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


def test_the_language_switch_still_submits_itself(page, violations):
    page.goto("/")
    with page.expect_navigation():
        page.locator("select#language").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []


def test_the_admin_works_under_the_policy(page, violations):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    program = ProgramFactory()
    page.goto("/admin/login/")
    page.locator("#id_username").fill("root")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(f"/admin/awards/program/{program.pk}/change/")
    page.wait_for_load_state("load")
    assert page.locator("#program_form").is_visible()
    page.goto("/admin/awards/program/add/")
    page.wait_for_load_state("load")
    assert page.locator(".datetimeshortcuts").first.is_visible()  # drawn by the admin's own scripts
    assert violations == []
