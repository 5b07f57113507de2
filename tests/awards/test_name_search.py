"""Enterprise names compare alike however their brackets, spaces and letters were typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.names import name_search_key
from tests.factories import ApplicationFactory, EnterpriseFactory


@pytest.mark.parametrize(
    "typed",
    [
        "杭州某某(集团)有限公司",
        "杭州某某（集团）有限公司",
        "杭州某某 （集团） 有限公司",
        "杭州某某\u3000(集团)有限公司",
        " 杭州某某(集团)有限公司\n",
    ],
)
def test_bracket_width_and_spaces_fold_to_one_key(typed):
    assert name_search_key(typed) == "杭州某某(集团)有限公司"


def test_full_width_letters_and_digits_fold_to_ascii():
    assert name_search_key("杭州ＡＢＣ１２３有限公司") == "杭州ABC123有限公司"


def test_other_characters_are_kept():
    assert name_search_key("杭州𡃁仔记〔2027〕") == "杭州𡃁仔记〔2027〕"


@pytest.mark.django_db
def test_the_admin_finds_an_enterprise_typed_with_half_width_brackets(client, olivia):
    EnterpriseFactory(name="杭州某某（集团）有限公司")
    client.force_login(olivia)
    response = client.get(reverse("admin:awards_enterprise_changelist"), {"q": "某某(集团)"})
    assert "杭州某某（集团）有限公司" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_finds_an_application_by_its_enterprise_typed_with_half_width_brackets(client, olivia):
    ApplicationFactory(enterprise=EnterpriseFactory(name="杭州某某（集团）有限公司"))
    client.force_login(olivia)
    response = client.get(reverse("admin:awards_application_changelist"), {"q": "某某(集团)"})
    assert "杭州某某（集团）有限公司" in response.content.decode()
