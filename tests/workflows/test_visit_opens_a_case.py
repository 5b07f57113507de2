"""After the award, through the web: the organizer publishes a title's commitments, records a failed consumer
experience check and opens a revocation case from it; the public verification page shows the title suspended."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time
from viewflow.workflow.models import Task

from certificates.models import FollowUpVisit, RevocationCase
from certificates.services import certificate_grant
from tests.factories import ApplicationFactory, ProgramFactory, png_bytes, upload
from workflows.revocation import RevocationFlow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_may_2027():
    with freeze_time("2027-05-10 10:00:00+08:00"):
        yield


@pytest.fixture
def title(alice):
    program = ProgramFactory(ceremony_date=datetime.date(2027, 3, 15))
    return certificate_grant(
        application=ApplicationFactory(program=program, enterprise=alice.enterprise, approved=True)
    )


def _publish_commitments(client, title, text="七日无理由退货\n先行赔付\n明码标价"):
    return client.post(reverse("certificates:commitments", args=[title.serial]), {"commitments": text, "reason": ""})


def _record_visit(client, title, **fields):
    checked = [c.pk for c in title.commitments.published() if c.text == "七日无理由退货"]
    data = {
        "visit-kind": "consumer_experience",
        "visit-visited_on": "2027-05-10",
        "visit-commitments": checked,
        "visit-passed": "no",
        "visit-findings": "暗访购买未拆封电饭煲，次日要求退货被拒，店员称“特价商品不退不换”。",
        "visit-files": [upload("购物小票.png", png_bytes(), "image/png")],
    }
    return client.post(reverse("certificates:visit_add", args=[title.serial]), data | fields)


@pytest.fixture
def failed_visit(client, olivia, title):
    client.force_login(olivia)
    assert _publish_commitments(client, title).status_code == 302
    assert _record_visit(client, title).status_code == 302
    return FollowUpVisit.objects.get(certificate=title)


def test_the_published_commitments_show_on_the_verification_page(client, olivia, title):
    client.force_login(olivia)
    _publish_commitments(client, title)
    client.logout()
    page = client.get(f"/verify/{title.serial}/")
    assert "服务承诺" in page.content.decode()
    assert "七日无理由退货" in page.content.decode()


def test_the_failed_visit_shows_on_the_title_page_with_its_photo_and_a_prefilled_case(client, failed_visit, title):
    page = client.get(reverse("certificates:title", args=[title.serial])).content.decode()
    assert "消费体验" in page and "未通过" in page and "特价商品不退不换" in page
    assert "购物小票.png" in page
    assert "据此回访立案" in page
    assert "2027-05-10 消费体验未通过。检查的承诺：七日无理由退货。" in page


def test_the_organizer_downloads_the_visit_photo(client, failed_visit):
    attachment = failed_visit.attachments.get()
    response = client.get(reverse("certificates:visit_attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "image/png"


def test_a_failed_visit_opens_a_case_and_the_title_shows_suspended(client, olivia, failed_visit, title):
    grounds = "消费体验发现拒绝七日无理由退货，违反公开承诺。"
    response = client.post(
        reverse("workflows:visit_case_start", args=[failed_visit.pk]), {f"visit-{failed_visit.pk}-grounds": grounds}
    )
    assert response.status_code == 302
    case = RevocationCase.objects.get(certificate=title)
    assert case.grounds == grounds
    assert list(case.visits.all()) == [failed_visit]
    client.logout()
    page = client.get(f"/verify/{title.serial}/").content.decode()
    assert 'data-status="suspended"' in page and "暂停" in page
    assert client.get(f"/verify/{title.serial}.json").json()["status"] == "suspended"


def test_the_committee_sees_the_visit_on_the_case_screen(client, olivia, carl, failed_visit):
    client.post(
        reverse("workflows:visit_case_start", args=[failed_visit.pk]),
        {f"visit-{failed_visit.pk}-grounds": "拒绝七日无理由退货。"},
    )
    task = Task.objects.get(process__revocationprocess__case__visits=failed_visit, flow_task=RevocationFlow.decide)
    client.force_login(carl)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "立案所依据的回访" in page and "特价商品不退不换" in page


def test_a_failed_visit_without_findings_is_refused_next_to_the_field(client, failed_visit, title):
    response = _record_visit(client, title, **{"visit-findings": "", "visit-files": []})
    assert response.status_code == 200
    assert "请写明未通过的情况：立案时将据此填写立案理由。" in response.content.decode()
    assert 'id="id_visit-findings_errors"' in response.content.decode()


def test_a_passed_visit_offers_no_case_and_refuses_one(client, olivia, title):
    client.force_login(olivia)
    _publish_commitments(client, title)
    _record_visit(client, title, **{"visit-passed": "yes", "visit-findings": "店员主动告知退货政策。"})
    visit = FollowUpVisit.objects.get(certificate=title)
    page = client.get(reverse("certificates:title", args=[title.serial])).content.decode()
    assert "据此回访立案" not in page
    response = client.post(
        reverse("workflows:visit_case_start", args=[visit.pk]), {f"visit-{visit.pk}-grounds": "试图立案。"}, follow=True
    )
    assert "通过的回访不能立案" in response.content.decode()
    assert not RevocationCase.objects.exists()
