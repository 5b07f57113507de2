"""In Chromium: an enterprise on the exposure list asks for credit repair (信用修复) from its application page with
evidence and its credit pledge; the organizer finds it in the queue with its due date, repairs it, and the public
list no longer shows it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awards.models import ApplicationStatus, ProgramMode, ReviewResult
from awards.services import application_expose
from evaluations.models import EvaluationPlan, RepairOutcome
from evaluations.repair import exposure_entry_open
from tests.factories import PASSWORD, ApplicationFactory, ProgramFactory, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def exposed(alice):
    """Alice's enterprise graded D in a sector evaluation and on its exposure list for 400 days."""
    program = ProgramFactory(mode=ProgramMode.EVALUATION, title="2027年度淳安县农资经营单位诚信综合评议")
    today = timezone.localdate()
    EvaluationPlan.objects.create(program=program, period_start=today - datetime.timedelta(days=90), period_end=today)
    application = ApplicationFactory(
        program=program, enterprise=alice.enterprise, enrolled=True, status=ApplicationStatus.APPROVED
    )
    ReviewResult.objects.create(
        application=application, final_score=Decimal("30"), tier="D", rule_version="eval-2026.1", explanation={}
    )
    application = application_expose(application=application)
    exposure_entry_open(application=application, now=timezone.now() - datetime.timedelta(days=400))
    return application


def test_an_enterprise_asks_for_repair_and_the_organizer_repairs_it(page, alice, olivia, exposed, tmp_path):
    evidence = tmp_path / "罚款缴纳凭证.pdf"
    evidence.write_bytes(pdf_bytes())

    _log_in(page, "alice@example.com")
    page.goto(f"/applications/{exposed.pk}/")
    page.get_by_role("link", name="申请信用修复").click()
    page.get_by_label("失信行为纠正情况").fill("已缴清罚款，下架不合格农药并建立进货查验台账。")
    page.get_by_label("纠正失信行为的证明材料").set_input_files(str(evidence))
    page.get_by_label("本单位确认作出上述信用承诺。").check()
    page.get_by_role("button", name="提交申请").click()
    assert page.locator(".messages .success").is_visible()
    assert page.get_by_text("等待组织单位决定").first.is_visible()
    page.get_by_role("button", name="退出").click()

    _log_in(page, "olivia")
    page.goto("/work/credit-repair/")
    row = page.get_by_role("row").filter(has_text=alice.enterprise.name).first
    due = exposed.exposure_entry.repair_requests.get().decide_by
    assert f"{due.year}年{due.month}月{due.day}日" in row.inner_text()
    row.get_by_role("link", name="办理").click()
    assert page.get_by_role("link", name="罚款缴纳凭证.pdf").is_visible()
    page.get_by_label("准予修复：立即终止公示").check()
    page.get_by_label("理由").first.fill("罚款已缴清，整改经复查合格，准予信用修复。")
    page.get_by_role("button", name="提交结论").click()
    assert page.locator(".messages .success").is_visible()
    assert page.get_by_text("已信用修复，终止公示").is_visible()
    assert exposed.exposure_entry.repair_requests.get().outcome == RepairOutcome.REPAIRED

    page.goto("/exposures/")
    assert page.get_by_text(alice.enterprise.name).count() == 0
