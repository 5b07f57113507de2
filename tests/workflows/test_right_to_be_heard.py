"""The right to be heard (陈述申辩) through the web: before a D result goes on the exposure list, or a title is revoked,
the enterprise is told the proposed outcome with its reasons, responds with evidence within its working days, and
whoever decides reads the statement beside the proposal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.models import Application, ApplicationStatus, NoticeKind, ProgramMode, ReviewResult, Statement
from awards.services.statements import statement_due
from certificates.models import CertificateStatus, RevocationCase
from certificates.services import certificate_grant
from evaluations.models import EvaluationPlan
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, pdf_bytes, upload
from tests.workflows.flow_helpers import assign, complete, open_task, score
from workflows.revocation import RevocationFlow

pytestmark = pytest.mark.django_db

STATEMENT = "抽检不合格批次系供货商调换所致，已下架封存并全额退款，附退款凭证与整改报告。"


@pytest.fixture
def sector(db):
    program = ProgramFactory(mode=ProgramMode.EVALUATION, serial_prefix="PJ", title="2027年度农资经营单位综合评议")
    today = timezone.localdate()
    EvaluationPlan.objects.create(program=program, period_start=today - datetime.timedelta(days=90), period_end=today)
    return program


def _graded(program, enterprise, tier: str) -> Application:
    application = ApplicationFactory(
        program=program,
        enterprise=enterprise,
        enrolled=True,
        status=ApplicationStatus.APPROVED if tier in "AD" else ApplicationStatus.GRADED,
    )
    score = {"A": "95", "C": "55", "D": "30"}[tier]
    ReviewResult.objects.create(
        application=application, final_score=Decimal(score), tier=tier, rule_version="eval-2026.1", explanation={}
    )
    return application


@pytest.fixture
def alice_graded_d(sector, alice):
    _graded(sector, EnterpriseFactory(name="千岛湖镇诚信农资店"), "A")
    _graded(sector, EnterpriseFactory(name="威坪镇平价农资店"), "C")
    return _graded(sector, alice.enterprise, "D")


def _notify(client, olivia, sector):
    client.force_login(olivia)
    return client.post(reverse("awards:program_statements_notify", args=[sector.slug]), follow=True)


def _publish(client, olivia, sector):
    client.force_login(olivia)
    return client.post(reverse("evaluations:publication", args=[sector.slug]), follow=True)


def _respond(client, alice, statement, **files):
    client.force_login(alice)
    return client.post(reverse("awards:statement", args=[statement.pk]), {"text": STATEMENT, **files}, follow=True)


def test_a_d_result_is_heard_with_evidence_before_the_d_list_goes_on_notice(
    client, olivia, alice, alice_graded_d, sector, django_capture_on_commit_callbacks, mailoutbox
):
    # The organizer tells every C and D entry of its proposed result, in one action; each gets an e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        page = _notify(client, olivia, sector).content.decode()
    assert "已向2家企业告知拟评结果" in page
    statement = Statement.objects.get(application=alice_graded_d)
    assert any("拟评结果告知" in message.subject and alice.email in message.to for message in mailoutbox)

    # Alice reads the proposed result and its reasons on her application, and responds with a file.
    client.force_login(alice)
    detail = client.get(reverse("awards:application_detail", args=[alice_graded_d.pk])).content.decode()
    assert "D · 严重失信" in detail and "最终得分30.00" in detail
    assert reverse("awards:statement", args=[statement.pk]) in detail
    page = _respond(client, alice, statement, evidence=upload("整改报告.pdf", pdf_bytes())).content.decode()
    assert "您的陈述申辩已提交" in page
    evidence = statement.evidence.get()
    assert evidence.original_name == "整改报告.pdf"

    # The organizer deciding the lists reads the statement and its evidence beside the proposal.
    client.force_login(olivia)
    screen = client.get(reverse("evaluations:publication", args=[sector.slug])).content.decode()
    assert STATEMENT in screen
    assert reverse("awards:attachment_download", args=[evidence.pk]) in screen
    assert client.get(reverse("awards:attachment_download", args=[evidence.pk])).status_code == 200

    # Alice has responded, the C entry does not hold up the D list: both lists go on notice.
    _publish(client, olivia, sector)
    alice_graded_d.refresh_from_db()
    assert alice_graded_d.status == ApplicationStatus.ON_NOTICE
    assert alice_graded_d.notice.kind == NoticeKind.EXPOSURE


def test_the_d_list_is_refused_while_an_enterprise_is_within_its_time_saying_how_many_and_until_when(
    client, olivia, alice_graded_d, sector
):
    _notify(client, olivia, sector)
    due = Statement.objects.get(application=alice_graded_d).due_at
    page = _publish(client, olivia, sector).content.decode()
    assert "D级名单暂不能公示：尚有1家企业仍在陈述申辩期限内" in page
    # The last day, to 24:00, as a deadline is written (not the next day's 00:00).
    last_day = timezone.localtime(due).date() - datetime.timedelta(days=1)
    assert f"{last_day.isoformat()} 24:00" in page
    assert not sector.notices.exists()


def test_the_d_list_is_refused_before_the_entries_are_told(client, olivia, alice_graded_d, sector):
    page = _publish(client, olivia, sector).content.decode()
    assert "有1家评为D级的企业尚未收到拟评结果告知" in page
    assert not sector.notices.exists()


def test_once_the_time_has_passed_without_a_statement_the_d_list_goes_on_notice(client, olivia, alice_graded_d, sector):
    _notify(client, olivia, sector)
    due = Statement.objects.get(application=alice_graded_d).due_at
    with freeze_time(due):
        _publish(client, olivia, sector)
    assert sector.notices.filter(kind=NoticeKind.EXPOSURE).exists()


def test_a_statement_after_its_time_is_refused_on_the_form(client, olivia, alice, alice_graded_d, sector):
    _notify(client, olivia, sector)
    statement = Statement.objects.get(application=alice_graded_d)
    with freeze_time(statement.due_at + datetime.timedelta(minutes=1)):
        page = _respond(client, alice, statement).content.decode()
    assert "陈述申辩期限已于" in page
    statement.refresh_from_db()
    assert statement.responded_at is None


def test_evidence_that_is_not_what_its_name_says_is_refused_next_to_the_field(
    client, olivia, alice, alice_graded_d, sector
):
    _notify(client, olivia, sector)
    statement = Statement.objects.get(application=alice_graded_d)
    page = _respond(client, alice, statement, evidence=upload("整改报告.pdf", b"not a pdf")).content.decode()
    assert "errorlist" in page and "整改报告.pdf" in page
    statement.refresh_from_db()
    assert statement.responded_at is None


def test_telling_again_tells_nobody_twice(client, olivia, alice_graded_d, sector):
    _notify(client, olivia, sector)
    page = _notify(client, olivia, sector).content.decode()
    assert "所有C级和D级企业均已收到拟评结果告知" in page
    assert Statement.objects.filter(application__program=sector).count() == 2


def test_bob_cannot_read_or_answer_alices_statement(client, olivia, bob, alice_graded_d, sector):
    _notify(client, olivia, sector)
    statement = Statement.objects.get(application=alice_graded_d)
    client.force_login(bob)
    assert client.get(reverse("awards:statement", args=[statement.pk])).status_code == 404
    assert client.post(reverse("awards:statement", args=[statement.pk]), {"text": "x"}).status_code == 404


# The review flow of an evaluation programme without a plan: a proposed D goes to the committee.


@pytest.fixture
def evaluation_in_review(client, olivia, alice, reviewers):
    program = ProgramFactory(mode=ProgramMode.EVALUATION, min_reviewers=3)
    application = ApplicationFactory(
        program=program, enterprise=alice.enterprise, enrolled=True, status=ApplicationStatus.IN_REVIEW
    )
    from workflows.flows import ReviewFlow

    ReviewFlow.start.run(application=application)
    assign(client, olivia, application, reviewers[:3])
    for reviewer in reviewers[:3]:
        score(client, reviewer, application, points_share=0.3)
    application.refresh_from_db()
    assert application.result.tier == "D"
    return application


def test_the_committee_decides_a_proposed_d_beside_the_enterprises_statement(client, alice, carl, evaluation_in_review):
    application = evaluation_in_review
    statement = Statement.objects.get(application=application, tier="D")  # told when the flow reached the committee
    task = open_task(application, "committee")

    refused = complete(client, carl, task, {"approved": "yes", "reason": ""}, expect=200).content.decode()
    assert "仍可对拟评结果陈述申辩" in refused

    _respond(client, alice, statement, evidence=upload("退款凭证.pdf", pdf_bytes()))
    client.force_login(carl)
    screen = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "陈述申辩" in screen and STATEMENT in screen and "退款凭证.pdf" in screen
    complete(client, carl, task, {"approved": "yes", "reason": ""})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


# A revocation case: the window is counted in working days, and the response carries evidence.


@pytest.fixture
def title(alice, program):
    return certificate_grant(
        application=ApplicationFactory(program=program, enterprise=alice.enterprise, approved=True)
    )


def test_a_revocation_case_gives_working_days_and_the_committee_sees_the_evidence(client, olivia, alice, carl, title):
    with freeze_time(datetime.datetime(2026, 9, 24, 2, 0, tzinfo=datetime.UTC)):  # Thursday, 10:00 in Beijing
        client.force_login(olivia)
        client.post(
            reverse("workflows:case_start", args=[title.serial]),
            {"case-grounds": "今年三次因价格欺诈被12315投诉属实。", "case-response_days": 5, "case": "1"},
        )
        case = RevocationCase.objects.get(certificate=title)
        # 中秋 and 国庆 fall inside: the fifth working day is Friday 9 October.
        assert case.response_due == statement_due(timezone.now(), 5)
        assert timezone.localtime(case.response_due).date() == datetime.date(2026, 10, 10)
        assert case.statement.working_days == 5

        client.force_login(alice)
        titles = client.get(reverse("my_titles")).content.decode()
        assert "5个工作日" in titles
        client.post(
            reverse("case_respond", args=[case.pk]),
            {"text": STATEMENT, "evidence": upload("复议决定书.pdf", pdf_bytes())},
        )
        case.refresh_from_db()
        assert case.response == STATEMENT
        evidence = case.statement.evidence.get()

        client.force_login(carl)
        task = Task.objects.get(
            process__revocationprocess__case=case, flow_task=RevocationFlow.decide, status__in=[STATUS.NEW]
        )
        screen = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
        assert STATEMENT in screen and "复议决定书.pdf" in screen
        assert client.get(reverse("awards:attachment_download", args=[evidence.pk])).status_code == 200
        complete(client, carl, task, {"revoke": "no", "reason": "整改到位，恢复称号。"})
    title.refresh_from_db()
    assert title.status == CertificateStatus.VALID
