"""In Chromium: the organizer creates a hearing with its panel, enters an enterprise's scores on the grid, and enters
a supervision record, which the records list shows with its deduction."""

from __future__ import annotations

import datetime

import pytest

from evaluations.models import HearingScore, SupervisionRecord
from evaluations.plan import plan_create
from tests.factories import PASSWORD, ApplicationFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_the_organizer_holds_a_hearing_scores_an_enterprise_and_enters_a_record(page, guard, olivia):
    sector = ProgramFactory(mode="evaluation", slug="farm-hearing-2027", title="2027年度农资经营单位综合评议")
    year = datetime.date.today().year
    plan = plan_create(program=sector, period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31))
    dealer = ApplicationFactory(program=sector, enrolled=True, status="in_review", enterprise__name="城关农资经营部")
    aspects = list(plan.aspects.values_list("title", flat=True))
    guard.allow_words(page, "olivia")
    _log_in(page, "olivia")

    page.goto(f"/work/evaluations/{sector.slug}/hearings/")
    page.get_by_role("link", name="新建听证会").click()
    page.get_by_label("听证日期").fill(f"{year}-06-01")
    page.get_by_label("地点").fill("县消保委会议室")
    page.get_by_label("评议员").nth(0).fill("张消费者")
    page.get_by_label("身份").nth(0).select_option(label="消费者代表")
    page.get_by_label("评议员").nth(1).fill("李专家")
    page.get_by_label("身份").nth(1).select_option(label="专家")
    guard.screenshot(page, "new hearing")
    page.get_by_role("button", name="创建听证会").click()
    assert page.get_by_text("听证会已创建").is_visible()

    page.get_by_label("添加受评企业：企业名称或统一社会信用代码").fill("城关")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="录入评分").click()
    for panelist, points in (("张消费者", "90"), ("李专家", "80")):
        for title in aspects:
            page.get_by_label(f"{panelist} · {title}").fill(points)
    guard.screenshot(page, "score grid")
    page.get_by_role("button", name="保存评分").click()
    guard.screenshot(page, "hearing with its enterprise")
    assert page.get_by_text("城关农资经营部 的评分已保存").is_visible()
    assert page.get_by_role("cell", name="85.00").is_visible()
    assert HearingScore.objects.count() == 2 * len(aspects)

    page.get_by_role("link", name="监督记录").first.click()
    page.get_by_role("link", name="录入记录").click()
    page.get_by_label("企业统一社会信用代码").fill(dealer.enterprise.uscc)
    page.get_by_label("记录类型").select_option(label="消费投诉")
    page.get_by_label("严重程度").select_option(label="一般")
    page.get_by_label("日期").fill(f"{year}-03-01")
    page.get_by_label("摘要").fill("销售过期农药被投诉")
    page.get_by_label("文号").fill("投诉〔2027〕1号")
    guard.screenshot(page, "new record")
    page.get_by_role("button", name="保存记录").click()
    guard.screenshot(page, "records")
    assert page.get_by_text("记录已保存").is_visible()
    assert page.get_by_role("cell", name="−3.00").is_visible()
    assert SupervisionRecord.objects.get().reference == "投诉〔2027〕1号"
