"""The honour roll's search finds a name however its brackets, spaces and letters were typed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from freezegun import freeze_time

from awards.models import Enterprise
from certificates.models import Certificate
from certificates.services import certificate_grant
from tests.factories import ApplicationFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

GROUP = "杭州某某（集团）有限公司"


@pytest.fixture(autouse=True)
def _in_june_2027():
    """The factories' programmes award their titles on 15 March 2027; look at the register a little later."""
    with freeze_time("2027-06-01 02:00:00"):
        yield


def _title(program, name: str) -> Certificate:
    application = ApplicationFactory(program=program, enterprise=EnterpriseFactory(name=name), approved=True)
    return certificate_grant(application=application)


def _found(client, typed: str, name: str = GROUP) -> bool:
    """Whether the roll lists `name` (its list, after the count) when `typed` is searched."""
    response = client.get(reverse("honours"), {"q": typed})
    assert response.status_code == 200
    return name in response.content.decode().split('role="status"', 1)[1]


def test_half_width_brackets_find_a_name_granted_with_full_width_ones(client, program):
    _title(program, GROUP)
    assert _found(client, "杭州某某(集团)有限公司")


def test_full_width_brackets_find_a_name_granted_with_half_width_ones(client, program):
    _title(program, "杭州某某(集团)有限公司")
    assert _found(client, "某某（集团）", "杭州某某(集团)有限公司")


def test_spaces_typed_in_the_search_do_not_matter(client, program):
    _title(program, GROUP)
    assert _found(client, "杭州某某\u3000(集团) 有限")  # an ideographic space and an ordinary one


def test_a_name_stored_with_spaces_is_found_as_typed_with_them(client, program):
    _title(program, "杭州 ABC Trading（集团）有限公司")
    assert _found(client, "ABC Trading(集团)", "杭州 ABC Trading（集团）有限公司")


def test_full_width_letters_typed_find_a_name_in_ascii(client, program):
    _title(program, "杭州ABC电器（集团）有限公司")
    assert _found(client, "ＡＢＣ电器(集团)", "杭州ABC电器（集团）有限公司")


def test_ascii_letters_typed_find_a_name_in_full_width_letters(client, program):
    _title(program, "杭州ＡＢＣ电器（集团）有限公司")
    assert _found(client, "abc电器(集团)", "杭州ＡＢＣ电器（集团）有限公司")


def test_the_search_reads_the_name_the_title_was_granted_to(client, program):
    certificate = _title(program, GROUP)
    Enterprise.objects.filter(pk=certificate.enterprise_id).update(name="杭州改名后有限公司")
    assert _found(client, "某某(集团)")


def test_a_different_name_is_not_found(client, program):
    _title(program, GROUP)
    assert not _found(client, "某某(控股)")
