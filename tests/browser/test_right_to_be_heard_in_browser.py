"""In Chromium: the right to be heard (陈述申辩). The organizer tells the C and D entries of a graded sector their
proposed results and is refused the D list while they may respond; the enterprise files its statement with a file
on its phone; the organizer reads it beside the proposal and puts the lists on notice; on a revocation case the
committee reads the enterprise's statement and evidence beside the grounds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.roles import Role
from awards.models import ApplicationStatus, NoticeKind, ReviewResult
from awards.uploads import check_upload
from certificates import services as certificate_services
from certificates.services import certificate_grant
from evaluations.models import EvaluationPlan
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    EnterpriseFactory,
    ProgramFactory,
    pdf_bytes,
    staff_user,
    upload,
)
from workflows.revocation import RevocationFlow
from workflows.services import case_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

STATEMENT = "不合格批次系供货商调换所致，已下架封存并全额退款。"


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _graded(program, enterprise, tier: str):
    application = ApplicationFactory(
        program=program,
        enterprise=enterprise,
        enrolled=True,
        status=ApplicationStatus.APPROVED if tier in "AD" else ApplicationStatus.GRADED,
    )
    ReviewResult.objects.create(
        application=application,
        final_score=Decimal({"A": "95", "C": "55", "D": "30"}[tier]),
        tier=tier,
        rule_version="eval-2026.1",
        explanation={},
    )
    return application


def test_the_enterprise_files_its_statement_and_the_organizer_reads_it_before_the_d_list(
    page, phone_page, guard, olivia, alice
):
    sector = ProgramFactory(mode="evaluation", slug="farm-2027", title="2027年度农资经营单位综合评议")
    today = timezone.localdate()
    EvaluationPlan.objects.create(program=sector, period_start=today - datetime.timedelta(days=90), period_end=today)
    _graded(sector, EnterpriseFactory(name="千岛湖镇诚信农资店"), "A")
    _graded(sector, EnterpriseFactory(name="威坪镇平价农资店"), "C")
    exposed = _graded(sector, alice.enterprise, "D")
    guard.allow_words(page, "olivia")
    _log_in(page, "olivia")

    page.goto(f"/work/evaluations/{sector.slug}/publication/")
    page.get_by_role("button", name="向全部C级和D级企业告知拟评结果").click()
    assert page.get_by_text("已向2家企业告知拟评结果").is_visible()
    page.get_by_role("button", name="公示 A 级和 D 级名单").click()
    assert page.get_by_text("D级名单暂不能公示：尚有1家企业仍在陈述申辩期限内").is_visible()
    guard.screenshot(page, "refused while the enterprise may respond")

    guard.allow_words(phone_page, "alice", "example", "com", "pdf")
    _log_in(phone_page, alice.username)
    phone_page.goto(f"/applications/{exposed.pk}/")
    assert phone_page.get_by_text("拟评结果告知：您的陈述申辩权利").is_visible()
    phone_page.get_by_role("link", name="对拟评结果陈述申辩").click()
    guard.screenshot(phone_page, "statement form")
    phone_page.get_by_role("button", name="提交陈述申辩").click()  # empty: said next to the field
    assert phone_page.get_by_text("请填写陈述申辩意见：对哪些内容有异议，理由是什么。").is_visible()
    phone_page.get_by_label("陈述内容").fill(STATEMENT)
    phone_page.get_by_label("证据材料").set_input_files(
        files=[{"name": "退款凭证.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    phone_page.get_by_role("button", name="提交陈述申辩").click()
    assert phone_page.get_by_text("您的陈述申辩已提交，评审委员会将在审定前阅看。").is_visible()
    guard.screenshot(phone_page, "statement filed")

    page.reload()
    table = page.locator("table", has_text=STATEMENT)
    assert table.get_by_role("link", name="退款凭证.pdf").is_visible()
    guard.screenshot(page, "statement beside the proposal")
    page.get_by_role("button", name="公示 A 级和 D 级名单").click()
    assert page.get_by_text("已公示").first.is_visible()
    exposed.refresh_from_db()
    assert exposed.notice.kind == NoticeKind.EXPOSURE


def test_the_committee_reads_the_statement_and_evidence_beside_the_grounds_of_a_case(page, guard, olivia, alice):
    carl = staff_user("carl", Role.COMMITTEE)
    program = ProgramFactory()
    title = certificate_grant(
        application=ApplicationFactory(program=program, enterprise=alice.enterprise, approved=True)
    )
    case = case_open(certificate=title, user=olivia, grounds="今年三次因价格欺诈被12315投诉属实。")
    certificate_services.case_respond(
        case=case, response=STATEMENT, user=alice, evidence=[check_upload(upload("review.pdf", pdf_bytes()))]
    )
    task = Task.objects.get(process__revocationprocess__case=case, flow_task=RevocationFlow.decide)
    guard.allow_words(page, "carl", "review", "pdf")
    _log_in(page, carl.username)
    page.goto(f"/work/tasks/{task.pk}/")
    assert page.get_by_text("企业陈述申辩意见").is_visible()
    assert page.get_by_text(STATEMENT).is_visible()
    assert page.get_by_role("link", name="review.pdf").is_visible()
    guard.screenshot(page, "case beside the statement")
