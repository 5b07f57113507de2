"""In Chromium: the organizer sets up a sector evaluation's plan, runs the grading and opens an enterprise's
breakdown."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from awards.models import ReviewResult
from evaluations.models import SupervisionRecord, SurveyResponse
from tests.factories import PASSWORD, ApplicationFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_the_organizer_sets_up_the_plan_grades_the_sector_and_reads_a_breakdown(page, guard, olivia):
    sector = ProgramFactory(mode="evaluation", slug="farm-2027", title="2027年度农资经营单位综合评议")
    dealers = [ApplicationFactory(program=sector, enrolled=True, status="in_review") for _n in range(3)]
    for dealer, score in zip(dealers, (95, 75, 30), strict=True):
        SurveyResponse.objects.bulk_create(
            [SurveyResponse(application=dealer, channel="paper", answers={}, aspect_scores={}, score=score)] * 5
        )
    today = datetime.date.today()
    guard.allow_words(page, "olivia")
    _log_in(page, "olivia")

    page.goto(f"/work/evaluations/{sector.slug}/plan/")
    guard.screenshot(page, "empty plan")
    page.get_by_label("评议期自").fill(f"{today.year}-01-01")
    page.get_by_label("评议期至").fill(f"{today.year}-12-31")
    page.get_by_label("问卷最低样本量").fill("5")
    page.get_by_role("button", name="制定评议方案").click()
    guard.screenshot(page, "plan set up")
    assert page.get_by_text("评议方案已制定").is_visible()
    assert page.get_by_label("第 1 项评议内容：名称").input_value() == "主体资格"

    page.get_by_label("行政处罚 严重：一票否决").check()
    page.get_by_role("button", name="保存扣分表").click()
    assert page.get_by_text("扣分表已保存").is_visible()

    SupervisionRecord.objects.create(
        application=dealers[0],
        kind="complaint",
        severity="serious",
        occurred_on=datetime.date(today.year, 1, 15),
        summary="销售过期农药被投诉",
        recorded_by=olivia,
    )
    page.get_by_role("link", name="等级评定").first.click()
    page.get_by_role("button", name="开始评定").click()
    guard.screenshot(page, "graded")
    assert page.get_by_text("已评定 3 家企业").is_visible()
    assert ReviewResult.objects.get(application=dealers[0]).final_score == Decimal("90.00")

    page.goto(f"/work/evaluations/{sector.slug}/grading/{dealers[0].pk}/")
    guard.screenshot(page, "breakdown")
    assert page.get_by_role("heading", name=dealers[0].enterprise.name).is_visible()
    assert page.get_by_text("消费投诉").is_visible()
