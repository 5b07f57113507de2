"""Renewal cycles in Chromium: the holder's 申请复评 opens the prefilled form; the organizer enrols a cohort."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from awards.models import Application
from tests.factories import PASSWORD, EnterpriseFactory, ProgramFactory, UserFactory, granted_title

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_the_holder_renews_its_title_into_a_prefilled_form(page, alice):
    title = granted_title(alice.enterprise, valid_until=_in(60))
    renewal_round = ProgramFactory(title="2027年度诚信经营示范单位评选（复评）")

    _log_in(page, "alice@example.com")
    page.goto("/titles/")
    assert page.get_by_text("还剩60天").is_visible()
    page.get_by_role("button", name=f"申请复评: {renewal_round.title}").click()

    page.wait_for_url("**/applications/*/edit/")
    assert page.locator(".messages .success").is_visible()
    assert page.get_by_label("主要事迹").input_value() == title.application.summary
    assert not page.get_by_role("checkbox").first.is_checked()
    application = Application.objects.get(program=renewal_round, enterprise=alice.enterprise)
    assert application.renewal.certificate == title


def test_the_organizer_enrols_a_cohort_of_expiring_titles(page, olivia):
    old_round = ProgramFactory(title="2024年度诚信经营示范单位评选", year=2024)
    for name in ("杭州甲商行", "杭州乙商行"):
        granted_title(EnterpriseFactory(name=name, account=UserFactory()), valid_until=_in(45), program=old_round)
    renewal_round = ProgramFactory(title="2027年度复评批次")

    _log_in(page, "olivia")
    page.goto(f"/work/programs/{old_round.slug}/titles/")
    page.get_by_role("link", name="批量复评").click()
    assert page.locator("#cohort-titles tbody tr").count() == 2
    page.get_by_label("纳入评选活动").select_option(label=str(renewal_round))
    page.get_by_role("button", name="将这2个称号的持有单位纳入复评").click()

    assert page.locator(".messages .success").is_visible()
    assert page.locator('#cohort-results tr[data-outcome="enrolled"]').count() == 2
    assert Application.objects.filter(program=renewal_round, enrolled=True).count() == 2
