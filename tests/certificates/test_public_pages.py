"""The public honour roll and the certificate verification page (the QR code's target) with its JSON twin."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from freezegun import freeze_time

from awards import services
from awards.models import Industry, ReviewResult
from awards.uploads import check_upload
from certificates import public_views
from certificates.models import Certificate, CertificateEvent, CertificateStatus
from certificates.public_cache import public_pages_changed
from certificates.services import _case_open, certificate_grant
from tests.factories import (
    ApplicationFactory,
    DistrictFactory,
    EnterpriseFactory,
    ProgramFactory,
    UserFactory,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

JSON_FIELDS = {"serial", "status", "enterprise", "uscc", "title", "program", "valid_from", "valid_until"}


@pytest.fixture(autouse=True)
def _in_june_2027():
    """The factories' programmes award their titles on 15 March 2027; look at the register a little later."""
    with freeze_time("2027-06-01 02:00:00"):  # 10:00 in Hangzhou
        yield


def _title(program, *, tier: str | None = "A", **enterprise_fields) -> Certificate:
    application = ApplicationFactory(program=program, enterprise=EnterpriseFactory(**enterprise_fields), approved=True)
    if tier:
        ReviewResult.objects.create(
            application=application, final_score=Decimal("92"), tier=tier, rule_version="test", explanation={}
        )
    return certificate_grant(application=application)


def _set_status(certificate: Certificate, status: str, reason: str) -> None:
    """What the revocation case does to a title, in one step."""
    certificate.status = status
    certificate.save(update_fields=["status"])
    CertificateEvent.objects.create(certificate=certificate, status=status, reason=reason)
    public_pages_changed()


def _zh(message: str) -> str:
    """The message as the Chinese page shows it (the English source until the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(message)


def _page(client, **params) -> str:
    response = client.get(reverse("honours"), params)
    assert response.status_code == 200
    return response.content.decode()


def _verify(client, serial: str):
    return client.get(reverse("verify", args=[serial]))


def _verify_json(client, serial: str):
    return client.get(reverse("verify_json", args=[serial]))


# The honour roll


def test_the_honour_roll_lists_every_title_in_force(client, program):
    first = _title(program, name="杭州甲商贸有限公司")
    second = _title(program, name="杭州乙商贸有限公司")
    page = _page(client)
    assert "杭州甲商贸有限公司" in page
    assert "杭州乙商贸有限公司" in page
    assert reverse("verify", args=[first.serial]) in page
    assert reverse("verify", args=[second.serial]) in page


def test_the_honour_roll_leaves_out_suspended_revoked_and_expired_titles(client, program):
    _title(program, name="有效商贸有限公司")
    _set_status(_title(program, name="暂停商贸有限公司"), CertificateStatus.SUSPENDED, "投诉调查中")
    _set_status(_title(program, name="撤销商贸有限公司"), CertificateStatus.REVOKED, "虚假宣传")
    _title(ProgramFactory(year=2023), name="过期商贸有限公司")  # valid until 14 March 2026
    page = _page(client)
    assert "有效商贸有限公司" in page
    for name in ("暂停商贸有限公司", "撤销商贸有限公司", "过期商贸有限公司"):
        assert name not in page


def test_each_row_shows_the_code_district_industry_title_tier_and_serial(client, program):
    certificate = _title(program, name="杭州甲商贸有限公司", tier="A")
    page = _page(client)
    enterprise = certificate.enterprise
    for text in (enterprise.uscc, "西湖区", "批发和零售业", "2027年度诚信经营示范单位", certificate.serial):
        assert text in page
    with translation.override("zh-hans"):
        assert str(ReviewResult(tier="A").get_tier_display()) in page


def test_a_title_without_a_recorded_tier_is_listed_with_a_dash(client, program):
    _title(program, name="杭州丙商贸有限公司", tier=None)
    page = _page(client)
    assert "杭州丙商贸有限公司" in page
    assert "—</td>" in page


def test_the_honour_roll_never_shows_a_contact_persons_name_phone_or_email(client, program):
    _title(program, contact_name="王秘书", contact_phone="13912345678", contact_email="wang@example.com")
    page = _page(client)
    for private in ("王秘书", "13912345678", "wang@example.com"):
        assert private not in page


def test_the_honour_roll_puts_the_latest_year_first_then_district_then_serial(client, program):
    older = _title(ProgramFactory(year=2026, serial_prefix="JD"), name="二〇二六年度企业")
    shangcheng = DistrictFactory(code="330102", name="上城区")
    second = _title(program, name="西湖区企业")
    first = _title(program, name="上城区企业", district=shangcheng)
    page = _page(client)
    assert page.index(first.serial) < page.index(second.serial) < page.index(older.serial)


@pytest.fixture
def two_titles(program):
    """Two titles that differ in every respect the roll filters on."""
    wanted = _title(program, name="杭州甲商贸有限公司", tier="A")
    other = _title(
        ProgramFactory(year=2026, kind="education_base", serial_prefix="JD"),
        name="杭州乙文旅有限公司",
        tier="B",
        district=DistrictFactory(code="330105", name="拱墅区"),
        industry=Industry.objects.get(edition="GB/T 4754-2017", code="H"),
    )
    return wanted, other


@pytest.mark.parametrize(
    "params",
    [
        pytest.param(lambda c: {"year": 2027}, id="year"),
        pytest.param(lambda c: {"program": c.program.slug}, id="programme by slug"),
        pytest.param(lambda c: {"program": c.program.pk}, id="programme by number"),
        pytest.param(lambda c: {"kind": "honest_business"}, id="kind"),
        pytest.param(lambda c: {"district": c.enterprise.district_id}, id="district"),
        pytest.param(lambda c: {"industry": c.enterprise.industry_id}, id="industry"),
        pytest.param(lambda c: {"tier": "A"}, id="tier"),
    ],
)
def test_the_honour_roll_filters_by(client, two_titles, params):
    wanted, other = two_titles
    page = _page(client, **params(wanted))
    assert wanted.enterprise.name in page
    assert other.enterprise.name not in page


def test_the_filters_offer_only_programmes_that_granted_titles(client, two_titles):
    ProgramFactory(title="2028年度诚信经营示范单位评选（申报中）")
    page = _page(client)
    assert "2028年度诚信经营示范单位评选（申报中）" not in page
    assert two_titles[0].program.title in page


def test_a_search_finds_an_enterprise_by_part_of_its_name(client, two_titles):
    page = _page(client, q="甲商贸")
    assert "杭州甲商贸有限公司" in page
    assert "杭州乙文旅有限公司" not in page


def test_a_search_finds_an_enterprise_by_its_code_typed_with_spaces_in_lower_case(client, two_titles):
    wanted, other = two_titles
    code = wanted.enterprise.uscc
    typed = f" {code[:6].lower()} {code[6:12]} {code[12:].lower()} "
    page = _page(client, q=typed)
    assert wanted.enterprise.name in page
    assert other.enterprise.name not in page


def test_a_search_that_matches_nothing_says_so(client, two_titles):
    page = _page(client, q="不存在的企业")
    assert "杭州甲商贸有限公司" not in page
    assert _zh("No title in force matches. Try fewer filters, or check the spelling of the name or code.") in page


def test_the_page_links_keep_the_filters(client, program, monkeypatch):
    monkeypatch.setattr(public_views, "HONOURS_PER_PAGE", 2)
    shangcheng = DistrictFactory(code="330102", name="上城区")
    titles = [_title(program, district=shangcheng) for _ in range(3)]
    outsider = _title(program, name="西湖区的企业")
    first_page = _page(client, district=shangcheng.pk)
    next_link = f"?district={shangcheng.pk}&amp;page=2"
    assert next_link in first_page
    second_page = _page(client, district=shangcheng.pk, page=2)
    assert titles[2].serial in second_page
    assert titles[0].serial not in second_page
    assert outsider.serial not in second_page
    assert f"?district={shangcheng.pk}&amp;page=1" in second_page


def _serials_on(page: str) -> list[str]:
    return re.findall(r'href="/verify/([^/"]+)/"', page)


def test_every_title_is_on_exactly_one_page_in_the_order_of_the_roll(client, program, monkeypatch):
    monkeypatch.setattr(public_views, "HONOURS_PER_PAGE", 2)
    older = ProgramFactory(year=2026, serial_prefix="JD")
    shangcheng = DistrictFactory(code="330102", name="上城区")
    titles = [
        _title(older),
        _title(program),
        _title(program, district=shangcheng),
        _title(older, district=shangcheng),
        _title(program),
    ]
    expected = [titles[2].serial, titles[1].serial, titles[4].serial, titles[3].serial, titles[0].serial]
    # Pages in the later half are read backwards: walking them all must still give the roll in order.
    assert [serial for number in (1, 2, 3) for serial in _serials_on(_page(client, page=number))] == expected


def test_a_page_number_out_of_range_shows_the_last_page(client, program, monkeypatch):
    monkeypatch.setattr(public_views, "HONOURS_PER_PAGE", 2)
    titles = [_title(program) for _ in range(3)]
    assert titles[2].serial in _page(client, page=99)
    assert titles[0].serial in _page(client, page="abc")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_honour_roll_takes_as_many_queries_for_60_titles_as_for_20(client, program):
    district = DistrictFactory()
    urls = [
        reverse("honours"),
        f"{reverse('honours')}?district={district.pk}&year=2027&program={program.slug}&tier=A&q=商贸",
    ]
    for _ in range(20):
        _title(program)
    few = [_queries(client, url) for url in urls]
    for _ in range(40):
        _title(program)
    assert [_queries(client, url) for url in urls] == few


# The verification page


@pytest.fixture
def certificate(program):
    return _title(program, name="杭州甲商贸有限公司")


def _expire(certificate: Certificate):
    return freeze_time(certificate.valid_until + datetime.timedelta(days=1))


def test_the_verification_page_shows_a_valid_title_in_green_with_its_details(client, certificate):
    response = _verify(client, certificate.serial)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="verdict valid"' in page
    assert "有效" in page
    for text in (
        "杭州甲商贸有限公司",
        certificate.enterprise.uscc,
        "2027年度诚信经营示范单位",
        certificate.program.title,
        "杭州市消费者权益保护委员会",
        "2027年3月15日",
        "2030年3月14日",
    ):
        assert text in page
    # The verdict comes before any detail.
    assert page.index("有效") < page.index("杭州甲商贸有限公司")


@pytest.mark.parametrize(
    ("status", "word", "reason"),
    [
        (CertificateStatus.SUSPENDED, "已暂停", "消费者投诉正在调查"),
        (CertificateStatus.REVOKED, "已撤销", "经查实存在虚假宣传"),
    ],
)
def test_the_verification_page_shows_a_suspension_or_revocation_with_its_reason(
    client, certificate, status, word, reason
):
    _set_status(certificate, status, reason)
    page = _verify(client, certificate.serial).content.decode()
    assert f'class="verdict {status}"' in page
    assert word in page
    assert reason in page


def test_the_verification_page_shows_the_latest_reason_only(client, certificate):
    _set_status(certificate, CertificateStatus.SUSPENDED, "第一次投诉")
    _set_status(certificate, CertificateStatus.VALID, "已恢复")
    _set_status(certificate, CertificateStatus.SUSPENDED, "第二次投诉")
    page = _verify(client, certificate.serial).content.decode()
    assert "第二次投诉" in page
    assert "第一次投诉" not in page


def test_a_restored_title_shows_no_reason(client, certificate):
    _set_status(certificate, CertificateStatus.SUSPENDED, "投诉调查中")
    _set_status(certificate, CertificateStatus.VALID, "查无实据，恢复称号")
    page = _verify(client, certificate.serial).content.decode()
    assert 'class="verdict valid"' in page
    assert "投诉调查中" not in page


def test_a_title_past_its_validity_shows_as_expired_without_anyone_acting(client, certificate):
    with _expire(certificate):
        page = _verify(client, certificate.serial).content.decode()
        assert 'class="verdict expired"' in page
        assert "已过期" in page
        assert certificate.serial not in _page(client)


def test_a_suspension_shows_at_once(client, certificate):
    assert 'class="verdict valid"' in _verify(client, certificate.serial).content.decode()
    _set_status(certificate, CertificateStatus.SUSPENDED, "投诉调查中")
    response = _verify(client, certificate.serial)
    assert 'class="verdict suspended"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert _verify_json(client, certificate.serial).json()["status"] == "suspended"


def test_a_serial_in_lower_case_or_with_spaces_is_found(client, certificate):
    typed = f" {certificate.serial.lower().replace('-', ' - ')} "
    response = _verify(client, typed)
    assert response.status_code == 200
    assert "杭州甲商贸有限公司" in response.content.decode()
    assert _verify_json(client, certificate.serial.lower()).json()["serial"] == certificate.serial


def test_an_unknown_serial_is_answered_as_never_issued(client, certificate):
    response = _verify(client, "CX-2027-99999")
    assert response.status_code == 404
    page = response.content.decode()
    assert _zh("This certificate number does not exist: it was never issued.") in page
    assert "CX-2027-99999" in page
    assert 'class="verdict unknown"' in page


# The JSON for other checkers


def _json_of(certificate: Certificate, status: str) -> dict:
    return {
        "serial": certificate.serial,
        "status": status,
        "enterprise": "杭州甲商贸有限公司",
        "uscc": certificate.enterprise.uscc,
        "title": "2027年度诚信经营示范单位",
        "program": certificate.program.title,
        "valid_from": "2027-03-15",
        "valid_until": "2030-03-14",
    }


@pytest.mark.parametrize("status", [CertificateStatus.VALID, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED])
def test_the_json_gives_exactly_the_documented_fields(client, certificate, status):
    if status != CertificateStatus.VALID:
        _set_status(certificate, status, "理由")
    response = _verify_json(client, certificate.serial)
    assert response.status_code == 200
    assert set(response.json()) == JSON_FIELDS
    assert response.json() == _json_of(certificate, status.value)


def test_the_json_of_a_title_past_its_validity_says_expired(client, certificate):
    with _expire(certificate):
        assert _verify_json(client, certificate.serial).json() == _json_of(certificate, "expired")


def test_the_json_is_readable_utf_8_for_any_site_and_never_cached(client, certificate):
    response = _verify_json(client, certificate.serial)
    assert response["Content-Type"] == "application/json"
    assert "杭州甲商贸有限公司".encode() in response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"]


def test_the_json_of_an_unknown_serial_is_a_404_saying_unknown(client):
    response = _verify_json(client, "cx-2027-99999")
    assert response.status_code == 404
    assert response.json() == {
        "serial": "CX-2027-99999",
        "status": "unknown",
        "detail": _zh("This certificate number does not exist: it was never issued."),
    }
    assert response["Access-Control-Allow-Origin"] == "*"


# Rate limiting


def test_too_many_verifications_from_one_address_are_refused_for_a_while(client, certificate, monkeypatch):
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 2)
    assert _verify(client, certificate.serial).status_code == 200
    assert _verify_json(client, certificate.serial).status_code == 200
    refused = _verify(client, certificate.serial)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    message = _zh("Too many verifications from your network. Please wait a minute and try again.")
    assert message in refused.content.decode()
    refused_json = _verify_json(client, certificate.serial)
    assert refused_json.status_code == 429
    assert refused_json.json()["detail"] == message
    other_address = client.get(reverse("verify", args=[certificate.serial]), REMOTE_ADDR="10.0.0.2")
    assert other_address.status_code == 200


def test_a_minute_later_verification_works_again(client, certificate, monkeypatch):
    monkeypatch.setattr(public_views, "VERIFICATIONS_PER_MINUTE", 1)
    assert _verify(client, certificate.serial).status_code == 200
    assert _verify(client, certificate.serial).status_code == 429
    with freeze_time("2027-06-01 02:01:30"):
        assert _verify(client, certificate.serial).status_code == 200


# The shared cache and conditional requests


def _suspend(certificate: Certificate) -> None:
    """Open a case against the title, as the organizer does: it is suspended at once."""
    _case_open(certificate=certificate, user=UserFactory(), grounds="投诉调查中")


def test_a_suspension_shows_at_once_on_the_verification_page_after_a_cached_visit(client, certificate):
    assert 'class="verdict valid"' in _verify(client, certificate.serial).content.decode()
    _suspend(certificate)
    assert 'class="verdict suspended"' in _verify(client, certificate.serial).content.decode()


def test_a_suspension_shows_at_once_in_the_json_after_a_cached_visit(client, certificate):
    assert _verify_json(client, certificate.serial).json()["status"] == "valid"
    _suspend(certificate)
    assert _verify_json(client, certificate.serial).json()["status"] == "suspended"


def test_a_suspension_takes_the_title_off_the_honour_roll_at_once_after_a_cached_visit(client, certificate):
    assert certificate.serial in _page(client)
    _suspend(certificate)
    assert certificate.serial not in _page(client)


def test_a_second_visit_is_served_from_the_cache_without_a_query_to_the_register(client, certificate):
    for url in (reverse("honours"), reverse("verify", args=[certificate.serial])):
        client.get(url)
        assert _queries(client, url) == 0


@pytest.mark.parametrize("view", ["honours", "verify", "verify_json"])
def test_a_public_page_carries_an_etag_last_modified_and_asks_to_be_revalidated(client, certificate, view):
    response = client.get(_url(view, certificate))
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("view", ["honours", "verify", "verify_json"])
def test_a_public_page_unchanged_since_the_last_visit_is_answered_304(client, certificate, view):
    etag = client.get(_url(view, certificate))["ETag"]
    assert client.get(_url(view, certificate), headers={"if-none-match": etag}).status_code == 304


@pytest.mark.parametrize("view", ["honours", "verify", "verify_json"])
def test_a_public_page_changed_since_the_last_visit_is_sent_again(client, certificate, view):
    etag = client.get(_url(view, certificate))["ETag"]
    _suspend(certificate)
    response = client.get(_url(view, certificate), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_an_approved_change_of_name_shows_at_once_on_the_verification_page(client, certificate):
    _verify(client, certificate.serial)
    enterprise = certificate.enterprise
    licence = check_upload(upload("新营业执照.pdf", pdf_bytes(), "application/pdf"))
    change = services.name_change_request(
        enterprise=enterprise, user=enterprise.account, new_name="杭州甲新名有限公司", licence=licence
    )
    services.enterprise_request_decide(request=change, user=UserFactory(), approve=True, reason="营业执照已变更")
    assert "杭州甲新名有限公司" in _verify(client, certificate.serial).content.decode()


def test_the_count_of_a_filter_is_kept_while_nothing_changes(client, program, monkeypatch):
    monkeypatch.setattr(public_views, "HONOURS_PER_PAGE", 2)
    for _ in range(3):
        _title(program)
    first = _queries(client, reverse("honours"))
    assert _queries(client, f"{reverse('honours')}?page=2") == first - 1


def _url(view: str, certificate: Certificate) -> str:
    return reverse(view) if view == "honours" else reverse(view, args=[certificate.serial])
