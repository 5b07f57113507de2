"""A reviewer scores in Chromium, the committee approves, and the organizer publishes the notice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.roles import Role
from awards.models import ApplicationStatus
from tests.factories import PASSWORD, ApplicationFactory, complete_draft, staff_user
from workflows.demo import Staff, Stager
from workflows.services import application_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _log_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()


def test_a_reviewer_scores_and_the_organizer_publishes_the_notice(page, alice, olivia, program):
    reviewers = [staff_user(name, Role.REVIEWER) for name in ("rui", "rong", "ren")]
    carl = staff_user("carl", Role.COMMITTEE)
    application = ApplicationFactory(program=program, enterprise=alice.enterprise)
    complete_draft(application)
    application_submit(application=application, user=alice)
    stager = Stager(Staff(organizer=olivia, reviewers=reviewers, inspector=None, committee=carl), pdf=b"")
    stager.formal(application, "accept")
    stager.assign(application)
    for reviewer in reviewers[1:]:
        stager.score(application, reviewer, Decimal("0.95"))

    _log_in(page, "rui")
    page.get_by_role("link", name="我的待办").first.click()
    page.get_by_role("link", name="办理").first.click()
    for field in page.locator("input[type=number]").all():
        field.fill(field.get_attribute("max") or "0")
    for select in page.locator("fieldset.criterion select").all():
        select.select_option("no")
    page.get_by_label("评审意见").fill("诚信经营制度健全，投诉处理及时。")
    page.get_by_role("button", name="提交评审").click()
    assert page.locator(".messages .success").is_visible()
    _log_out(page)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMMITTEE
    stager.decide(application)

    _log_in(page, "olivia")
    page.goto(f"/work/programs/{program.slug}/")
    page.get_by_role("button", name="公示").first.click()
    assert page.locator(".messages .success").is_visible()
    page.goto("/notices/")
    assert page.get_by_text(alice.enterprise.name).first.is_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE
