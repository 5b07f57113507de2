"""In Chromium: the organizer puts a graded sector's A and D lists on notice, verifies an objection to an entry,
and once the notice has run its course the public reads the list of serious breaches of trust, on a phone too."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awards.models import ApplicationStatus, ReviewResult
from awards.services import objection_file
from evaluations.models import EvaluationPlan
from evaluations.publication import evaluation_notices_conclude
from tests.factories import PASSWORD, ApplicationFactory, EnterpriseFactory, ProgramFactory, heard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _graded(program, tier: str, name: str):
    application = ApplicationFactory(
        program=program, enterprise=EnterpriseFactory(name=name), enrolled=True, status=ApplicationStatus.APPROVED
    )
    ReviewResult.objects.create(
        application=application,
        final_score=Decimal("95" if tier == "A" else "30"),
        tier=tier,
        rule_version="eval-2026.1",
        explanation={},
    )
    return heard(application) if tier == "D" else application  # the D list waits until each entry is heard


def test_both_lists_go_on_notice_an_objection_is_verified_and_the_exposure_list_is_public(
    page, phone_page, guard, olivia
):
    sector = ProgramFactory(mode="evaluation", slug="farm-2027", title="2027年度农资经营单位综合评议")
    today = timezone.localdate()
    EvaluationPlan.objects.create(program=sector, period_start=today - datetime.timedelta(days=90), period_end=today)
    _graded(sector, "A", "千岛湖镇诚信农资店")
    exposed = _graded(sector, "D", "威坪镇劣质农资店")
    objected = _graded(sector, "D", "汾口镇争议农资店")
    guard.allow_words(page, "olivia")
    _log_in(page, "olivia")

    page.goto(f"/work/evaluations/{sector.slug}/publication/")
    guard.screenshot(page, "publication before")
    page.get_by_role("button", name="公示 A 级和 D 级名单").click()
    assert page.get_by_text("已公示").first.is_visible()

    objected.refresh_from_db()
    objection = objection_file(
        notice=objected.notice,
        application=objected,
        name="王小明",
        phone="13912345678",
        statement="该店已整改，投诉均已处理完毕。",
    )
    page.reload()
    guard.screenshot(page, "objection waiting")
    form = page.locator("form", has_text=objection.tracking_number)
    form.get_by_label("成立：将该企业从名单中撤下").check()
    form.get_by_label("理由").fill("经核实，该店已全部整改。")
    form.get_by_role("button", name="记录核实结论").click()
    assert page.get_by_text(f"异议 {objection.tracking_number} 已核实。").is_visible()

    closes = max(notice.closes_at for notice in sector.notices.all())
    evaluation_notices_conclude(now=closes + datetime.timedelta(minutes=1))
    for reader in (page, phone_page):
        reader.goto("/exposures/")
        guard.screenshot(reader, "exposure list")
        assert reader.get_by_text(exposed.enterprise.name).is_visible()
        assert reader.get_by_text("汾口镇争议农资店").count() == 0
    phone_page.get_by_label("企业名称或统一社会信用代码").fill(exposed.enterprise.uscc)
    phone_page.get_by_role("button", name="搜索").click()
    assert phone_page.get_by_text("共 1 条").is_visible()
