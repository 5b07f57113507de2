"""Who an enterprise is: a registration is a claim until an organizer checks the business licence, and the
rightful holder of a code can claim it back from an account that registered it first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards import services
from awards.models import (
    ApplicationStatus,
    Enterprise,
    EnterpriseRequest,
    EnterpriseRequestKind,
    EnterpriseRequestStatus,
    Industry,
)
from awards.services import ApplicationError, FormalDecision
from awards.uploads import check_upload
from certificates.services import certificate_grant
from tests.factories import (
    ApplicationFactory,
    DistrictFactory,
    EnterpriseFactory,
    UserFactory,
    complete_draft,
    pdf_bytes,
    upload,
    valid_uscc,
)
from workflows.services import application_submit

pytestmark = pytest.mark.django_db


def _licence():
    return upload("营业执照.pdf", pdf_bytes(), "application/pdf")


def _registration(**overrides) -> dict:
    return {
        "name": "杭州丙餐饮有限公司",
        "uscc": valid_uscc(515151),
        "legal_representative": "王五",
        "address": "杭州市西湖区曙光路2号",
        "district": DistrictFactory().pk,
        "industry": Industry.objects.get(code="H").pk,
        "contact_name": "赵六",
        "contact_phone": "13912345678",
        "contact_email": "zhao@example.com",
        "licence": _licence(),
    } | overrides


@pytest.fixture
def carol(db):
    """Carol has an account and no enterprise yet."""
    return UserFactory(username="carol@example.com")


@pytest.fixture
def squatter_enterprise(db):
    """Somebody registered a real enterprise's code first, under a name of their choosing."""
    return EnterpriseFactory(name="抢注的名字", uscc=valid_uscc(616161), verified_at=None)


# Registration


def test_a_registered_enterprise_is_unverified_and_waits_in_the_queue_with_its_licence(client, carol):
    client.force_login(carol)
    client.post(reverse("awards:enterprise_register"), _registration())
    enterprise = Enterprise.objects.get(account=carol)
    assert not enterprise.is_verified
    request = EnterpriseRequest.objects.get(enterprise=enterprise)
    assert (request.kind, request.status) == (EnterpriseRequestKind.REGISTRATION, EnterpriseRequestStatus.PENDING)
    assert request.licence.read().startswith(b"%PDF-")


def test_registering_without_the_business_licence_is_explained_next_to_the_field(client, carol):
    client.force_login(carol)
    data = _registration()
    del data["licence"]
    response = client.post(reverse("awards:enterprise_register"), data)
    assert "id_licence_errors" in response.content.decode()
    assert not Enterprise.objects.filter(account=carol).exists()


def test_the_applicant_reads_the_verification_state_in_chinese(client, carol):
    client.force_login(carol)
    client.post(reverse("awards:enterprise_register"), _registration())
    page = client.get(reverse("home")).content.decode()
    assert "等待核验" in page and "营业执照" in page


def test_an_organizer_approving_the_registration_verifies_the_enterprise(olivia, carol):
    enterprise = services.enterprise_register(
        user=carol, enterprise=_unsaved_enterprise(), licence=check_upload(_licence())
    )
    request = enterprise.requests.get()
    services.enterprise_request_decide(request=request, user=olivia, approve=True, reason="执照与代码、名称一致。")
    enterprise.refresh_from_db()
    assert enterprise.is_verified and enterprise.verified_by == olivia


def test_a_decision_without_a_reason_is_refused(olivia, carol):
    enterprise = services.enterprise_register(
        user=carol, enterprise=_unsaved_enterprise(), licence=check_upload(_licence())
    )
    with pytest.raises(ApplicationError):
        services.enterprise_request_decide(request=enterprise.requests.get(), user=olivia, approve=True, reason=" ")


def _unsaved_enterprise() -> Enterprise:
    return Enterprise(
        name="杭州丙餐饮有限公司",
        uscc=valid_uscc(525252),
        legal_representative="王五",
        address="杭州市西湖区曙光路2号",
        district=DistrictFactory(),
        industry=Industry.objects.get(code="H"),
        contact_name="赵六",
        contact_phone="13912345678",
    )


# No title without verification


def test_an_unverified_enterprise_cannot_be_granted_a_title(program):
    application = ApplicationFactory(program=program, enterprise=EnterpriseFactory(verified_at=None), approved=True)
    with pytest.raises(ApplicationError, match="营业执照|business licence"):
        certificate_grant(application=application)
    assert not hasattr(application, "certificate") or application.certificate is None


def test_accepting_an_unverified_enterprise_at_the_formal_check_needs_the_licence_confirmed(olivia, program):
    application = _submitted(program, EnterpriseFactory(verified_at=None))
    with pytest.raises(ApplicationError):
        services.formal_check_decide(application=application, user=olivia, decision=FormalDecision.ACCEPT, reason="")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_accepting_with_the_licence_confirmed_verifies_the_enterprise(olivia, program):
    enterprise = EnterpriseFactory(verified_at=None)
    application = _submitted(program, enterprise)
    services.formal_check_decide(
        application=application, user=olivia, decision=FormalDecision.ACCEPT, reason="", licence_checked=True
    )
    enterprise.refresh_from_db()
    assert enterprise.is_verified and enterprise.verified_by == olivia


def _submitted(program, enterprise):
    application = complete_draft(ApplicationFactory(program=program, enterprise=enterprise))
    return application_submit(application=application, user=enterprise.account)


# Counter-claims


def test_a_taken_code_offers_the_claim_instead_of_a_dead_end(client, carol, squatter_enterprise):
    client.force_login(carol)
    response = client.post(reverse("awards:enterprise_register"), _registration(uscc=squatter_enterprise.uscc))
    assert reverse("awards:enterprise_claim") in response.content.decode()


def test_the_rightful_holder_files_a_counter_claim_with_its_licence(client, carol, squatter_enterprise):
    client.force_login(carol)
    client.post(
        reverse("awards:enterprise_claim"),
        {"uscc": squatter_enterprise.uscc, "name_on_licence": "杭州真实商贸有限公司", "licence": _licence()},
    )
    claim = EnterpriseRequest.objects.get(kind=EnterpriseRequestKind.COUNTER_CLAIM)
    assert (claim.enterprise, claim.requested_by, claim.status) == (squatter_enterprise, carol, "pending")


def _claim(carol, enterprise) -> EnterpriseRequest:
    return services.counter_claim_file(
        user=carol, uscc=enterprise.uscc, name_on_licence="杭州真实商贸有限公司", licence=check_upload(_licence())
    )


def test_an_approved_counter_claim_transfers_the_enterprise_and_keeps_who_held_it(olivia, carol, squatter_enterprise):
    squatter = squatter_enterprise.account
    claim = _claim(carol, squatter_enterprise)
    services.enterprise_request_decide(request=claim, user=olivia, approve=True, reason="营业执照原件核对无误。")
    squatter_enterprise.refresh_from_db()
    claim.refresh_from_db()
    assert squatter_enterprise.account == carol
    assert squatter_enterprise.name == "杭州真实商贸有限公司"
    assert squatter_enterprise.is_verified
    assert (claim.previous_account, claim.previous_name) == (squatter, "抢注的名字")


def test_after_a_transfer_the_applications_follow_the_enterprise(olivia, carol, squatter_enterprise, program):
    application = ApplicationFactory(program=program, enterprise=squatter_enterprise)
    claim = _claim(carol, squatter_enterprise)
    services.enterprise_request_decide(request=claim, user=olivia, approve=True, reason="营业执照原件核对无误。")
    assert application.enterprise.__class__.objects.get(pk=squatter_enterprise.pk).account == carol


def test_a_refused_counter_claim_changes_nothing_and_tells_the_claimant_why(client, olivia, carol, squatter_enterprise):
    squatter = squatter_enterprise.account
    claim = _claim(carol, squatter_enterprise)
    services.enterprise_request_decide(request=claim, user=olivia, approve=False, reason="营业执照上的代码与登记不一致。")
    squatter_enterprise.refresh_from_db()
    assert squatter_enterprise.account == squatter
    client.force_login(carol)
    assert "营业执照上的代码与登记不一致。" in client.get(reverse("awards:enterprise_claim")).content.decode()


def test_an_account_that_speaks_for_an_enterprise_cannot_claim_another(alice, squatter_enterprise):
    with pytest.raises(ApplicationError):
        _claim(alice, squatter_enterprise)


# The organizers' queue and the licences


def test_the_queue_lists_waiting_requests_for_organizers_only(client, olivia, carol, squatter_enterprise, bob):
    _claim(carol, squatter_enterprise)
    client.force_login(olivia)
    assert squatter_enterprise.uscc in client.get(reverse("workflows:enterprise_queue")).content.decode()
    client.force_login(bob)
    assert client.get(reverse("workflows:enterprise_queue")).status_code == 403


def test_an_organizer_decides_on_the_request_screen(client, olivia, carol, squatter_enterprise):
    claim = _claim(carol, squatter_enterprise)
    client.force_login(olivia)
    url = reverse("workflows:enterprise_request", args=[claim.pk])
    response = client.post(url, {"decision": "approve", "reason": "核对无误。"})
    assert response.status_code == 302
    squatter_enterprise.refresh_from_db()
    assert squatter_enterprise.account == carol


def test_a_licence_is_downloadable_by_its_sender_and_organizers_only(client, olivia, carol, squatter_enterprise):
    claim = _claim(carol, squatter_enterprise)
    url = reverse("awards:licence_download", args=[claim.pk])
    client.force_login(squatter_enterprise.account)
    assert client.get(url).status_code == 404
    for user in (carol, olivia):
        client.force_login(user)
        assert client.get(url).status_code == 200
