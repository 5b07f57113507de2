"""A title granted before its first day, as the public and the organizer see it in Chromium: not yet in force
(尚未生效), with the day it comes into force, on the honour roll, on its verification page and among the titles."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from certificates.services import certificate_grant
from tests.factories import PASSWORD, ApplicationFactory, EnterpriseFactory, ProgramFactory, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _granted_before_the_ceremony():
    """A title of next year's round, whose ceremony is two months ahead whatever day the test runs."""
    today = timezone.localdate()
    program = ProgramFactory(
        year=today.year + 1,
        title=f"{today.year + 1}年度诚信经营示范单位评选",
        slug="honest-next",
        ceremony_date=today + datetime.timedelta(days=60),
    )
    enterprise = EnterpriseFactory(name="杭州尚未生效商贸有限公司")
    certificate = certificate_grant(
        application=ApplicationFactory(program=program, enterprise=enterprise, approved=True)
    )
    return certificate, f"{certificate.valid_from.year}年{certificate.valid_from.month}月{certificate.valid_from.day}日"


def test_a_title_not_yet_in_force_is_marked_so_on_the_honour_roll_and_its_verification_page(phone_page, guard):
    certificate, start = _granted_before_the_ceremony()

    phone_page.goto("/honours/")
    guard.screenshot(phone_page, "honour roll")
    row = phone_page.locator("table.list tbody tr", has_text="杭州尚未生效商贸有限公司")
    assert row.locator(".badge").inner_text() == "尚未生效"
    assert f"{start}起生效" in row.inner_text()
    assert "另有 1 个称号已授予、尚未生效。" in phone_page.get_by_role("status").inner_text()

    row.get_by_role("link", name=certificate.serial).click()
    guard.screenshot(phone_page, "verification")
    verdict = phone_page.locator("section.verdict")
    assert verdict.get_attribute("data-status") == "pending"
    assert "尚未生效" in verdict.get_by_role("heading").inner_text()
    assert f"自 {start} 起生效" in verdict.inner_text()


def test_the_organizer_sees_a_title_not_yet_in_force_and_can_export_the_revocations(page, guard):
    certificate, start = _granted_before_the_ceremony()
    staff_user("olga", Role.ORGANIZER)
    guard.allow_words(page, "olga", "Excel", "PDF", "CSV")

    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill("olga")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"/work/programs/{certificate.program.slug}/titles/")
    guard.screenshot(page, "titles")

    row = page.locator("table.list tbody tr", has_text=certificate.serial)
    assert "尚未生效" in row.inner_text() and f"{start}起生效" in row.inner_text()
    revocations = page.get_by_role("group", name="撤销称号名单：")
    revocations.get_by_role("button", name="CSV").click()
    page.wait_for_url("**/jobs/**")
    guard.screenshot(page, "export job")
