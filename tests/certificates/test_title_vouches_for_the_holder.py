"""A granted title keeps vouching for the enterprise it was granted to: what the enterprise edits alone never
changes what a printed QR code says, and a change of name is the organizer's decision."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from awards import services
from awards.models import EnterpriseRequestStatus, ReviewResult
from awards.uploads import check_upload
from certificates.exports import export_list
from certificates.services import certificate_grant, title_history
from tests.factories import ApplicationFactory, EnterpriseFactory, pdf_bytes, upload

pytestmark = pytest.mark.django_db

GRANTED_NAME = "杭州甲商贸有限公司"


@pytest.fixture(autouse=True)
def _in_june_2027():
    with freeze_time("2027-06-01 02:00:00"):
        yield


@pytest.fixture
def certificate(program, alice):
    alice.enterprise.name = GRANTED_NAME
    alice.enterprise.save()
    application = ApplicationFactory(program=program, enterprise=alice.enterprise, approved=True)
    ReviewResult.objects.create(
        application=application, final_score=Decimal("92"), tier="A", rule_version="test", explanation={}
    )
    return certificate_grant(application=application)


def _enterprise_form(enterprise, **overrides) -> dict:
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "legal_representative": enterprise.legal_representative,
        "address": enterprise.address,
        "district": enterprise.district_id,
        "industry": enterprise.industry_id,
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "contact_email": enterprise.contact_email,
    } | overrides


def test_the_holder_cannot_rename_a_verified_enterprise_on_its_own_page(client, alice, certificate):
    client.force_login(alice)
    client.post(reverse("awards:enterprise_edit"), _enterprise_form(alice.enterprise, name="冒名顶替有限公司"))
    alice.enterprise.refresh_from_db()
    assert alice.enterprise.name == GRANTED_NAME
    assert "冒名顶替有限公司" not in client.get(reverse("verify", args=[certificate.serial])).content.decode()


def test_the_title_keeps_the_name_and_code_as_granted_whatever_the_enterprise_record_says(client, certificate):
    # Even an organizer's correction of the record in the admin does not rewrite a granted title.
    certificate.enterprise.name = "后来的名字有限公司"
    certificate.enterprise.save()
    payload = client.get(reverse("verify_json", args=[certificate.serial])).json()
    assert (payload["enterprise"], payload["uscc"]) == (GRANTED_NAME, certificate.enterprise_uscc)
    assert GRANTED_NAME in client.get(reverse("honours")).content.decode()


def test_the_published_list_carries_the_name_as_granted(certificate):
    certificate.enterprise.name = "后来的名字有限公司"
    certificate.enterprise.save()
    out = io.BytesIO()
    export_list(certificate.program, fmt="csv", target=out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert any(GRANTED_NAME in row for row in rows)
    assert not any("后来的名字有限公司" in row for row in rows)


def test_the_printed_certificate_carries_the_name_as_granted(certificate):
    from pypdf import PdfReader

    from certificates.pdf import render_titles_pdf

    certificate.enterprise.name = "后来的名字有限公司"
    certificate.enterprise.save()
    out = io.BytesIO()
    render_titles_pdf([certificate], kind="certificate", target=out)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    assert GRANTED_NAME in text.replace(" ", "") and "后来的名字" not in text


def _name_change(alice, new_name="杭州甲商贸集团有限公司"):
    return services.name_change_request(
        enterprise=alice.enterprise,
        user=alice,
        new_name=new_name,
        licence=check_upload(upload("新营业执照.pdf", pdf_bytes(), "application/pdf")),
    )


def test_a_change_of_name_is_filed_with_the_new_licence_from_the_enterprise_page(client, alice, certificate):
    client.force_login(alice)
    client.post(
        reverse("awards:enterprise_name_change"),
        {"new_name": "杭州甲商贸集团有限公司", "licence": upload("新营业执照.pdf", pdf_bytes(), "application/pdf")},
    )
    change = alice.enterprise.requests.get()
    assert (change.name_on_licence, change.status) == ("杭州甲商贸集团有限公司", EnterpriseRequestStatus.PENDING)
    alice.enterprise.refresh_from_db()
    assert alice.enterprise.name == GRANTED_NAME


def test_a_change_of_name_without_the_new_licence_is_refused_with_a_message(client, alice, certificate):
    client.force_login(alice)
    response = client.post(reverse("awards:enterprise_name_change"), {"new_name": "杭州甲商贸集团有限公司"}, follow=True)
    assert not alice.enterprise.requests.exists()
    assert "营业执照" in response.content.decode()


def test_after_an_approved_change_the_verification_page_shows_both_names(client, alice, olivia, certificate):
    services.enterprise_request_decide(request=_name_change(alice), user=olivia, approve=True, reason="变更登记一致。")
    page = client.get(reverse("verify", args=[certificate.serial])).content.decode()
    assert GRANTED_NAME in page and "杭州甲商贸集团有限公司" in page
    assert client.get(reverse("verify_json", args=[certificate.serial])).json()["enterprise"] == GRANTED_NAME


def test_a_refused_change_of_name_changes_nothing(client, alice, olivia, certificate):
    services.enterprise_request_decide(
        request=_name_change(alice), user=olivia, approve=False, reason="新营业执照模糊不清。"
    )
    alice.enterprise.refresh_from_db()
    assert alice.enterprise.name == GRANTED_NAME
    assert "杭州甲商贸集团有限公司" not in client.get(reverse("verify", args=[certificate.serial])).content.decode()
    client.force_login(alice)
    assert "新营业执照模糊不清。" in client.get(reverse("awards:enterprise_edit")).content.decode()


def test_the_approved_change_is_in_the_titles_history_with_who_and_why(alice, olivia, certificate):
    services.enterprise_request_decide(request=_name_change(alice), user=olivia, approve=True, reason="变更登记一致。")
    last = title_history(certificate)[-1]
    assert "杭州甲商贸集团有限公司" in last.what and GRANTED_NAME in last.what
    assert (last.actor, last.reason) == (olivia, "变更登记一致。")


def test_an_unverified_enterprise_may_still_correct_its_own_name(client, carol_unverified):
    client.force_login(carol_unverified.account)
    client.post(reverse("awards:enterprise_edit"), _enterprise_form(carol_unverified, name="杭州丙餐饮有限公司"))
    carol_unverified.refresh_from_db()
    assert carol_unverified.name == "杭州丙餐饮有限公司"


@pytest.fixture
def carol_unverified(db):
    return EnterpriseFactory(name="杭州丙餐饮公司", verified_at=None)
