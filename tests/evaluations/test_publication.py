"""A graded sector goes on notice as a whole: the A and D lists together, each entry concluded when the notice
closes, without a review process per enterprise."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import (
    ApplicationStatus,
    NoticeKind,
    ObjectionOutcome,
    ProgramMode,
    ReviewResult,
)
from awards.services import ApplicationError, objection_file, objection_verify
from certificates.models import Certificate
from evaluations.models import EvaluationPlan
from evaluations.publication import (
    entries_awaiting_verification,
    evaluation_lists_publish,
    evaluation_notices_conclude,
)
from jobs.periodic import run_periodic_work
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, heard

pytestmark = pytest.mark.django_db


@pytest.fixture
def sector(olivia):
    program = ProgramFactory(mode=ProgramMode.EVALUATION, serial_prefix="PJ")
    today = timezone.localdate()
    EvaluationPlan.objects.create(program=program, period_start=today - datetime.timedelta(days=90), period_end=today)
    return program


def _graded(program, tier: str, **enterprise):
    application = ApplicationFactory(
        program=program,
        enterprise=EnterpriseFactory(**enterprise),
        enrolled=True,
        status=ApplicationStatus.APPROVED if tier in "AD" else ApplicationStatus.GRADED,
    )
    score = {"A": "95", "B": "80", "C": "65", "D": "30"}[tier]
    ReviewResult.objects.create(
        application=application, final_score=Decimal(score), tier=tier, rule_version="eval-2026.1", explanation={}
    )
    return heard(application) if tier == "D" else application  # the D list waits until each entry is heard


def _after_the_notice(notices):
    return max(notice.closes_at for notice in notices) + datetime.timedelta(minutes=1)


def test_the_a_list_and_the_d_list_go_on_notice_together(sector, olivia):
    honoured, exposed, _warned = _graded(sector, "A"), _graded(sector, "D"), _graded(sector, "B")
    notices = evaluation_lists_publish(program=sector, user=olivia)
    assert sorted(notice.kind for notice in notices) == sorted([NoticeKind.HONOURS, NoticeKind.EXPOSURE])
    for application in (honoured, exposed):
        application.refresh_from_db()
        assert application.status == ApplicationStatus.ON_NOTICE


def test_b_and_c_stay_off_both_lists(sector, olivia):
    _graded(sector, "A")
    warned = _graded(sector, "C")
    evaluation_lists_publish(program=sector, user=olivia)
    warned.refresh_from_db()
    assert warned.status == ApplicationStatus.GRADED and warned.notice is None


def test_publishing_before_grading_is_refused_with_a_reason(sector, olivia):
    with pytest.raises(ApplicationError, match="评议"):
        evaluation_lists_publish(program=sector, user=olivia)


def test_a_programme_without_a_plan_is_refused(olivia):
    with pytest.raises(ApplicationError):
        evaluation_lists_publish(program=ProgramFactory(mode=ProgramMode.EVALUATION), user=olivia)


def test_when_the_notice_closes_a_is_granted_and_d_exposed_without_anybody_acting(sector, olivia):
    honoured, exposed = _graded(sector, "A"), _graded(sector, "D")
    notices = evaluation_lists_publish(program=sector, user=olivia)
    outcome = evaluation_notices_conclude(now=_after_the_notice(notices))
    assert outcome == {"removed": 0, "exposed": 1, "granted": 1, "failed": 0}
    honoured.refresh_from_db(), exposed.refresh_from_db()
    assert honoured.status == ApplicationStatus.GRANTED and Certificate.objects.filter(application=honoured).exists()
    assert exposed.status == ApplicationStatus.EXPOSED


def test_nothing_is_concluded_while_the_notice_is_open(sector, olivia):
    _graded(sector, "A")
    evaluation_lists_publish(program=sector, user=olivia)
    assert sum(evaluation_notices_conclude().values()) == 0


def test_an_entry_with_a_pending_objection_waits_for_its_verification(sector, olivia):
    exposed = _graded(sector, "D")
    (notice,) = evaluation_lists_publish(program=sector, user=olivia)
    exposed.refresh_from_db()
    objection = objection_file(
        notice=notice,
        application=exposed,
        name="王小明",
        phone="13912345678",
        statement="该企业已整改完毕，投诉已全部处理。",
    )
    assert evaluation_notices_conclude(now=_after_the_notice([notice]))["exposed"] == 0
    objection_verify(objection=objection, user=olivia, upheld=False, reason="整改材料与事实不符。")
    assert evaluation_notices_conclude(now=_after_the_notice([notice]))["exposed"] == 1


def test_an_upheld_objection_removes_the_entry(sector, olivia):
    honoured = _graded(sector, "A")
    (notice,) = evaluation_lists_publish(program=sector, user=olivia)
    honoured.refresh_from_db()
    objection = objection_file(
        notice=notice,
        application=honoured,
        name="王小明",
        phone="13912345678",
        statement="该企业近期多次被投诉拒不退货。",
    )
    objection_verify(objection=objection, user=olivia, upheld=True, reason="经核实投诉属实。")
    assert objection.application.objections.get().outcome == ObjectionOutcome.UPHELD
    evaluation_notices_conclude(now=_after_the_notice([notice]))
    honoured.refresh_from_db()
    assert honoured.status == ApplicationStatus.REMOVED and not Certificate.objects.exists()


def test_an_a_entry_of_an_unverified_enterprise_waits_for_the_licence_check(sector, olivia):
    honoured = _graded(sector, "A", verified_at=None)
    notices = evaluation_lists_publish(program=sector, user=olivia)
    later = _after_the_notice(notices)
    assert evaluation_notices_conclude(now=later)["granted"] == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert list(entries_awaiting_verification(sector)) == [honoured]
    honoured.enterprise.verified_at = timezone.now()
    honoured.enterprise.save()
    assert evaluation_notices_conclude(now=later)["granted"] == 1


def test_the_periodic_work_concludes_evaluation_notices(sector, olivia):
    _graded(sector, "D")
    assert "evaluation notices" in run_periodic_work()


def test_the_organizer_publishes_both_lists_from_the_publication_screen(client, sector, olivia):
    _graded(sector, "A"), _graded(sector, "D")
    client.force_login(olivia)
    response = client.post(reverse("evaluations:publication", args=[sector.slug]), follow=True)
    assert "已公示" in response.content.decode()
    assert sector.notices.count() == 2


def test_the_publication_screen_says_why_nothing_was_published(client, sector, olivia):
    client.force_login(olivia)
    response = client.post(reverse("evaluations:publication", args=[sector.slug]), follow=True)
    assert "请先进行综合评议定级" in response.content.decode()


def test_the_public_exposure_list_shows_exposed_entries_only(client, sector, olivia):
    exposed = _graded(sector, "D", name="杭州失信示例商行")
    _graded(sector, "A", name="杭州守信示例商行")
    notices = evaluation_lists_publish(program=sector, user=olivia)
    evaluation_notices_conclude(now=_after_the_notice(notices))
    page = client.get(reverse("evaluations:exposures")).content.decode()
    assert exposed.enterprise.name in page and exposed.enterprise.uscc in page
    assert "杭州守信示例商行" not in page


def test_the_public_exposure_list_finds_an_enterprise_by_its_code(client, sector, olivia):
    exposed = _graded(sector, "D", name="杭州失信示例商行")
    _graded(sector, "D", name="杭州另一示例商行")
    evaluation_notices_conclude(now=_after_the_notice(evaluation_lists_publish(program=sector, user=olivia)))
    page = client.get(reverse("evaluations:exposures"), {"q": exposed.enterprise.uscc}).content.decode()
    assert "杭州失信示例商行" in page and "杭州另一示例商行" not in page


def test_the_review_flows_publication_refuses_a_sector_graded_as_a_whole(sector, olivia):
    from workflows.services import notice_publish

    _graded(sector, "A")
    with pytest.raises(ApplicationError, match="评议结果公示"):
        notice_publish(program=sector, user=olivia, kind=NoticeKind.HONOURS)


def test_the_organizer_verifies_an_objection_to_an_evaluation_entry_from_the_publication_screen(client, sector, olivia):
    exposed = _graded(sector, "D")
    (notice,) = evaluation_lists_publish(program=sector, user=olivia)
    exposed.refresh_from_db()
    objection = objection_file(
        notice=notice,
        application=exposed,
        name="王小明",
        phone="13912345678",
        statement="该企业已整改完毕，投诉已全部处理。",
    )
    client.force_login(olivia)
    page = client.get(reverse("evaluations:publication", args=[sector.slug])).content.decode()
    assert objection.tracking_number in page
    url = reverse("evaluations:objection_finding", args=[sector.slug, objection.pk])
    prefix = f"objection-{objection.pk}"
    client.post(url, {f"{prefix}-upheld": "yes", f"{prefix}-reason": "经核实已整改。"})
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.UPHELD
    evaluation_notices_conclude(now=_after_the_notice([notice]))
    exposed.refresh_from_db()
    assert exposed.status == ApplicationStatus.REMOVED


def test_a_finding_without_a_reason_is_refused_and_nothing_changes(client, sector, olivia):
    exposed = _graded(sector, "D")
    (notice,) = evaluation_lists_publish(program=sector, user=olivia)
    exposed.refresh_from_db()
    objection = objection_file(
        notice=notice,
        application=exposed,
        name="王小明",
        phone="13912345678",
        statement="该企业已整改完毕，投诉已全部处理。",
    )
    client.force_login(olivia)
    prefix = f"objection-{objection.pk}"
    response = client.post(
        reverse("evaluations:objection_finding", args=[sector.slug, objection.pk]), {f"{prefix}-upheld": "no"}
    )
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.PENDING
