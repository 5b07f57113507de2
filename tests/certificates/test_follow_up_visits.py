"""After the award: a title's published service commitments and the follow-up visits that check them (services)."""

from __future__ import annotations

import datetime

import pytest
from django.utils.translation import override
from freezegun import freeze_time

from certificates import visits
from certificates.models import CertificateStatus, FollowUpVisit, VisitKind
from certificates.services import certificate_grant
from tests.factories import ApplicationFactory, ProgramFactory, pdf_bytes, png_bytes, upload
from workflows import services as workflow_services

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 5, 10)


@pytest.fixture(autouse=True)
def in_may_2027():
    """The titles of the factory's programmes are in force from 15 March 2027."""
    with freeze_time("2027-05-10 10:00:00+08:00"):
        yield


@pytest.fixture
def title(alice):
    """Alice's title, in force since 15 March 2027 (TODAY is in May)."""
    program = ProgramFactory(ceremony_date=datetime.date(2027, 3, 15))
    return certificate_grant(
        application=ApplicationFactory(program=program, enterprise=alice.enterprise, approved=True)
    )


@pytest.fixture
def published(title, olivia):
    return visits.commitments_publish(
        certificate=title, user=olivia, texts=["七日无理由退货", "先行赔付", "明码标价"], today=TODAY
    )


def _record(title, olivia, commitments, *, passed=False, findings="店员拒绝为未拆封商品办理退货。", **extra):
    return visits.visit_record(
        certificate=title,
        user=olivia,
        kind=extra.pop("kind", VisitKind.CONSUMER_EXPERIENCE),
        visited_on=extra.pop("visited_on", TODAY),
        commitments=commitments,
        passed=passed,
        findings=findings,
        today=TODAY,
        **extra,
    )


def _refusal(call) -> str:
    with override("zh-hans"), pytest.raises(visits.VisitError) as refused:
        call()
    return refused.value.messages[0]


# Commitments.


def test_commitments_are_published_with_the_title_one_per_line(title, olivia, published):
    assert [c.text for c in title.commitments.published()] == ["七日无理由退货", "先行赔付", "明码标价"]
    assert all(c.added_by == olivia for c in published)


def test_a_changed_list_withdraws_what_it_no_longer_holds_and_keeps_it(title, olivia, published):
    visits.commitments_publish(
        certificate=title, user=olivia, texts=["七日无理由退货", "明码标价", "投诉当日响应"], reason="企业调整承诺。"
    )
    assert [c.text for c in title.commitments.published()] == ["七日无理由退货", "明码标价", "投诉当日响应"]
    withdrawn = title.commitments.get(text="先行赔付")
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_reason) == (olivia, "企业调整承诺。")


def test_withdrawing_a_commitment_needs_a_reason(title, olivia, published):
    message = _refusal(lambda: visits.commitments_publish(certificate=title, user=olivia, texts=["明码标价"]))
    assert message == "请说明撤回“七日无理由退货”的理由：核验页面将不再显示该承诺。"


def test_an_unchanged_list_is_refused(title, olivia, published):
    message = _refusal(
        lambda: visits.commitments_publish(
            certificate=title, user=olivia, texts=["七日无理由退货", "先行赔付", "明码标价 "]
        )
    )
    assert message == "服务承诺没有变化：请增加、修改或删除一项后再保存。"


def test_the_form_is_prefilled_with_the_standard_commitments_of_the_programme_kind(title):
    assert visits.commitments_suggested(title) == ["七日无理由退货", "先行赔付", "明码标价"]


def test_the_commitments_and_visits_are_in_the_title_history(title, olivia, published):
    _record(title, olivia, published[:1])
    with override("zh-hans"):
        whats = [entry.what for entry in visits.title_history(title)]
    assert whats == [
        "有效",
        "公布服务承诺：七日无理由退货",
        "公布服务承诺：先行赔付",
        "公布服务承诺：明码标价",
        "消费体验 2027-05-10 · 未通过",
    ]


# Visits.


def test_a_failed_consumer_experience_check_is_recorded_with_its_photo(title, olivia, published):
    visit = _record(title, olivia, published[:1], files=[upload("小票.png", png_bytes(), "image/png")])
    assert (visit.kind, visit.passed, visit.recorded_by) == (VisitKind.CONSUMER_EXPERIENCE, False, olivia)
    assert [c.text for c in visit.commitments.all()] == ["七日无理由退货"]
    assert visit.attachments.get().original_name == "小票.png"


def test_a_passed_return_visit_needs_no_findings(title, olivia, published):
    visit = _record(title, olivia, published, kind=VisitKind.RETURN_VISIT, passed=True, findings="")
    assert visit.passed


def test_a_failed_visit_needs_findings(title, olivia, published):
    message = _refusal(lambda: _record(title, olivia, published, findings="  "))
    assert message == "请写明未通过的情况：立案时将据此填写立案理由。"


def test_a_visit_must_check_at_least_one_commitment(title, olivia, published):
    assert _refusal(lambda: _record(title, olivia, [])) == "请选择本次检查的承诺。"


def test_a_visit_needs_published_commitments(title, olivia):
    assert _refusal(lambda: _record(title, olivia, [])) == "请先公布该称号的服务承诺：回访依据的是这些承诺。"


def test_a_visit_cannot_check_a_withdrawn_commitment(title, olivia, published):
    visits.commitments_publish(certificate=title, user=olivia, texts=["明码标价"], reason="不再承诺。", today=TODAY)
    message = _refusal(lambda: _record(title, olivia, published[:1]))
    assert message == "回访只能检查该称号现行公布的承诺。"


def test_a_visit_cannot_lie_in_the_future(title, olivia, published):
    message = _refusal(lambda: _record(title, olivia, published, visited_on=TODAY + datetime.timedelta(days=1)))
    assert message == "回访日期不能晚于今天。"


def test_a_visit_cannot_come_before_the_grant(title, olivia, published):
    message = _refusal(lambda: _record(title, olivia, published, visited_on=TODAY - datetime.timedelta(days=1)))
    assert message == "回访日期不能早于称号授予之日（2027-05-10）。"


def test_a_file_that_is_not_what_its_name_says_is_refused(title, olivia, published):
    message = _refusal(lambda: _record(title, olivia, published, files=[upload("照片.jpg", pdf_bytes(), "image/jpeg")]))
    assert message == "“照片.jpg”并非真正的 JPG 文件：文件内容与文件名不符。"
    assert not FollowUpVisit.objects.exists()


def test_a_revoked_title_is_no_longer_visited(title, olivia, published):
    title.status = CertificateStatus.REVOKED
    title.save(update_fields=["status"])
    message = _refusal(lambda: _record(title, olivia, published))
    assert message == "该称号已撤销：其服务承诺不再检查或变更。"


# Opening a case from a visit.


def test_a_failed_visit_opens_a_case_with_its_findings_as_grounds(title, olivia, published):
    visit = _record(title, olivia, published[:1])
    with override("zh-hans"):
        case = workflow_services.visit_case_open(visit=visit, user=olivia)
    assert "消费体验" in case.grounds and "店员拒绝为未拆封商品办理退货。" in case.grounds
    assert "七日无理由退货" in case.grounds
    assert list(case.visits.all()) == [visit]
    title.refresh_from_db()
    assert title.status == CertificateStatus.SUSPENDED


def test_a_passed_visit_cannot_open_a_case(title, olivia, published):
    visit = _record(title, olivia, published, passed=True, findings="")
    message = _refusal(lambda: workflow_services.visit_case_open(visit=visit, user=olivia))
    assert message == "通过的回访不能立案：只有未通过的回访才能据此立案。"
    title.refresh_from_db()
    assert title.status == CertificateStatus.VALID


def test_a_visit_opens_one_case_only(title, olivia, published):
    visit = _record(title, olivia, published)
    workflow_services.visit_case_open(visit=visit, user=olivia)
    message = _refusal(lambda: workflow_services.visit_case_open(visit=visit, user=olivia))
    assert message == "该回访已据此立案。"


def test_no_case_is_opened_against_a_title_that_is_not_valid(title, olivia, published):
    first, second = _record(title, olivia, published), _record(title, olivia, published)
    workflow_services.visit_case_open(visit=first, user=olivia)
    with override("zh-hans"), pytest.raises(visits.CaseError) as refused:
        workflow_services.visit_case_open(visit=second, user=olivia)
    assert "暂停" in refused.value.messages[0]
    assert FollowUpVisit.objects.get(pk=second.pk).case is None
