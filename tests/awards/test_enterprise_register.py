"""An applicant registers the enterprise their account speaks for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import Enterprise, Industry
from tests.factories import DistrictFactory, EnterpriseFactory, UserFactory, pdf_bytes, upload, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(db):
    """Carol has just registered an account and has no enterprise yet."""
    return UserFactory(username="carol@example.com")


def _data(**overrides) -> dict:
    district = DistrictFactory()
    industry = Industry.objects.get(code="H")
    data = {
        "name": "杭州丙餐饮有限公司",
        "uscc": valid_uscc(424242),
        "legal_representative": "王五",
        "address": "杭州市西湖区曙光路2号",
        "district": district.pk,
        "industry": industry.pk,
        "contact_name": "赵六",
        "contact_phone": "13912345678",
        "contact_email": "zhao@example.com",
        "licence": upload("营业执照.pdf", pdf_bytes(), "application/pdf"),
    }
    return data | overrides


def test_it_registers_the_enterprise_for_the_account(client, carol):
    client.force_login(carol)
    response = client.post(reverse("awards:enterprise_register"), _data())
    assert response.status_code == 302
    assert Enterprise.objects.get(account=carol).name == "杭州丙餐饮有限公司"


def test_it_normalises_a_code_typed_in_full_width_with_spaces(client, carol):
    client.force_login(carol)
    code = valid_uscc(424242)
    typed = " ".join(code[i : i + 6] for i in range(0, 18, 6)).translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
    )
    client.post(reverse("awards:enterprise_register"), _data(uscc=typed.lower()))
    assert Enterprise.objects.get(account=carol).uscc == code


def test_a_wrong_check_character_gets_a_precise_message(client, carol):
    client.force_login(carol)
    code = valid_uscc(424242)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(reverse("awards:enterprise_register"), _data(uscc=wrong))
    assert response.status_code == 200
    assert "第18位" in response.content.decode() or "校验" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_code_of_the_wrong_length_says_how_long_it_was(client, carol):
    client.force_login(carol)
    response = client.post(reverse("awards:enterprise_register"), _data(uscc="9133010"))
    assert "7" in response.content.decode()
    assert "id_uscc_errors" in response.content.decode()


def test_a_19_character_code_gets_one_precise_message(client, carol):
    client.force_login(carol)
    response = client.post(reverse("awards:enterprise_register"), _data(uscc=valid_uscc(424242) + "1"))
    assert response.context["form"].errors["uscc"] == ["统一社会信用代码为 18 位，您输入了 19 位。请对照营业执照重新输入。"]


def test_a_code_longer_than_the_box_still_gets_the_precise_message(client, carol):
    client.force_login(carol)
    response = client.post(reverse("awards:enterprise_register"), _data(uscc="9" * 45))
    assert response.context["form"].errors["uscc"] == ["统一社会信用代码为 18 位，您输入了 45 位。请对照营业执照重新输入。"]


def test_the_organizer_correcting_a_code_in_the_admin_gets_one_precise_message(client, olivia, alice):
    client.force_login(olivia)
    enterprise = alice.enterprise
    response = client.post(
        reverse("admin:awards_enterprise_change", args=[enterprise.pk]),
        {"uscc": enterprise.uscc + "1"},
    )
    assert response.context["adminform"].form.errors["uscc"] == [
        "统一社会信用代码为 18 位，您输入了 19 位。请对照营业执照重新输入。"
    ]


def test_an_enterprise_cannot_be_registered_twice(client, carol):
    existing = EnterpriseFactory()
    client.force_login(carol)
    response = client.post(reverse("awards:enterprise_register"), _data(uscc=existing.uscc))
    assert response.status_code == 200
    assert "已" in response.content.decode() and "id_uscc_errors" in response.content.decode()
    assert not Enterprise.objects.filter(account=carol).exists()


def test_an_account_speaks_for_one_enterprise(client, alice):
    client.force_login(alice)
    response = client.get(reverse("awards:enterprise_register"))
    assert response["Location"] == reverse("awards:enterprise_edit")


def test_the_code_cannot_be_changed_by_the_applicant(client, alice):
    client.force_login(alice)
    original = alice.enterprise.uscc
    data = _data(uscc=valid_uscc(777), name="改名后的公司")
    client.post(reverse("awards:enterprise_edit"), data)
    alice.enterprise.refresh_from_db()
    assert alice.enterprise.uscc == original


def test_a_bad_phone_number_is_explained(client, carol):
    client.force_login(carol)
    response = client.post(reverse("awards:enterprise_register"), _data(contact_phone="电话"))
    assert "id_contact_phone_errors" in response.content.decode()
