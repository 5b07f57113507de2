"""The staff screens as Chromium shows them: the date picker holds its default, no screen opens with errors, the
inbox's 办理 button stays on one line."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from awards.models import Review
from awards.services import DEFAULT_REVIEW_DAYS
from tests.factories import PASSWORD, ApplicationFactory, EnterpriseFactory, ProgramFactory, complete_draft, staff_user
from workflows.demo import Staff, Stager
from workflows.services import application_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _accepted(program, enterprise, olivia, reviewers) -> tuple:
    application = ApplicationFactory(program=program, enterprise=enterprise)
    complete_draft(application)
    application_submit(application=application, user=enterprise.account)
    stager = Stager(Staff(organizer=olivia, reviewers=reviewers, inspector=None, committee=None), pdf=b"")
    stager.formal(application, "accept")
    return application, stager


@pytest.fixture
def reviewers(db):
    return [staff_user(name, Role.REVIEWER) for name in ("rui", "rong", "ren")]


def test_the_date_picker_shows_the_default_deadline_and_sends_it_back(page, alice, olivia, program, reviewers):
    application, _stager = _accepted(program, alice.enterprise, olivia, reviewers)
    due = timezone.localdate() + datetime.timedelta(days=DEFAULT_REVIEW_DAYS)

    _log_in(page, "olivia")
    page.goto("/work/")
    page.get_by_role("link", name="办理").first.click()
    assert page.locator("input[type=date]").input_value() == due.isoformat()
    page.get_by_role("button", name="分配").click()

    assert page.locator(".messages .success").is_visible()
    deadlines = {timezone.localtime(r.due_at).date() for r in Review.objects.filter(application=application)}
    assert deadlines == {due}


def test_the_scoring_screen_opens_without_errors(page, alice, olivia, program, reviewers):
    application, stager = _accepted(program, alice.enterprise, olivia, reviewers)
    stager.assign(application)

    _log_in(page, "rui")
    page.goto("/work/")
    page.get_by_role("link", name="办理").first.click()
    assert page.get_by_role("button", name="提交评审").is_visible()
    assert page.locator(".errorlist, .has-error, .form-errors").count() == 0


def test_the_open_button_stays_on_one_line_beside_long_names(page, olivia, reviewers):
    program = ProgramFactory(title="2027年度杭州市诚信经营示范单位暨放心消费示范单位评选（第一批次集中申报）")
    enterprise = EnterpriseFactory(name="杭州市西湖区文三路数码电子产品连锁经营管理有限责任公司第一分公司")
    _accepted(program, enterprise, olivia, reviewers)

    _log_in(page, "olivia")
    page.goto("/work/")
    button = page.get_by_role("link", name="办理").first
    line_height = button.evaluate("element => parseFloat(getComputedStyle(element).lineHeight)")
    assert button.bounding_box()["height"] < 2 * line_height  # one line of text and its padding, not two lines
