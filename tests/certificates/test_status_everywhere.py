"""Every public output tells a title's status by the one rule (Certificate.current_status): the honour roll, the
verification page, its JSON and the published lists in csv, xlsx and PDF, for one title of each status."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from certificates.lists import STATUS_WORDS
from certificates.models import Certificate, CertificateEvent, CertificateStatus
from certificates.public_cache import public_pages_changed
from certificates.services import certificate_grant
from tests.certificates.test_exports import csv_rows, export, pdf_pages, xlsx_sheet
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 6, 1)
WORDS_TO_STATUS = {words: status for status, words in STATUS_WORDS.items()}


@pytest.fixture(autouse=True)
def _on_the_first_of_june_2027():
    with freeze_time("2027-06-01 02:00:00"):  # 10:00 in Hangzhou
        yield


@pytest.fixture
def program(db):
    return ProgramFactory(title="2027年度诚信经营示范单位评选", slug="honest-2027")  # in force 2027-03-15 to 2030-03-14


def _title(program, name: str, *, recorded: str = CertificateStatus.VALID, **dates) -> Certificate:
    certificate = certificate_grant(
        application=ApplicationFactory(program=program, enterprise=EnterpriseFactory(name=name), approved=True)
    )
    Certificate.objects.filter(pk=certificate.pk).update(status=recorded, **dates)
    if recorded != CertificateStatus.VALID:
        CertificateEvent.objects.create(certificate=certificate, status=recorded, reason="经查属实")
    public_pages_changed()
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def titles(program) -> dict[str, Certificate]:
    """One title of each status on 1 June 2027, keyed by its serial."""
    made = [
        _title(program, "杭州未生效商贸有限公司", valid_from=datetime.date(2027, 7, 1)),
        _title(program, "杭州有效商贸有限公司"),
        _title(program, "杭州暂停商贸有限公司", recorded=CertificateStatus.SUSPENDED),
        _title(program, "杭州撤销商贸有限公司", recorded=CertificateStatus.REVOKED),
        _title(program, "杭州过期商贸有限公司", valid_until=datetime.date(2027, 5, 31)),
    ]
    return {certificate.serial: certificate for certificate in made}


def _rule(titles) -> dict[str, str]:
    return {serial: certificate.current_status(TODAY) for serial, certificate in titles.items()}


# What each output says, as {serial: status}.


def _honour_roll(client) -> dict[str, str]:
    """The roll lists titles in force and, marked, those not yet in force; nothing else."""
    page = client.get(reverse("honours")).content.decode()
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    said = {}
    for row in body.split("<tr>")[1:]:
        serial = re.search(r'href="/verify/([^/]+)/"', row).group(1)
        said[serial] = "pending" if 'data-status="pending"' in row else "valid"
    return said


def _verification_pages(client, titles) -> dict[str, str]:
    said = {}
    for serial in titles:
        page = client.get(reverse("verify", args=[serial])).content.decode()
        status = re.search(r'<section class="verdict (\w+)"', page).group(1)
        with translation.override("zh-hans"):
            assert str(CertificateStatus(status).label) in page  # the word says what the colour says
        said[serial] = status
    return said


def _json(client, titles) -> dict[str, str]:
    return {serial: client.get(reverse("verify_json", args=[serial])).json()["status"] for serial in titles}


def _spreadsheet_rows(program, fmt: str, which: str) -> list[list]:
    data = export(program, fmt, which)
    if fmt == "csv":
        return csv_rows(data)
    return [[cell.value for cell in row] for row in xlsx_sheet(data).iter_rows()]


def _spreadsheet(program, fmt: str) -> dict[str, str]:
    """The honour list's status column, and the list of revocations for the revoked."""
    said = {}
    header, *rows = _spreadsheet_rows(program, fmt, "honours")
    serial_at, status_at = header.index("证书编号"), header.index("状态")
    for row in rows:
        if len(row) > status_at and row[status_at]:
            said[row[serial_at]] = WORDS_TO_STATUS[row[status_at].split("（")[0]]
    header, *rows = _spreadsheet_rows(program, fmt, "revoked")
    serial_at = header.index("证书编号")
    said.update({row[serial_at]: "revoked" for row in rows if len(row) > serial_at and row[serial_at]})
    return said


def _pdf(program) -> dict[str, str]:
    """In the PDF the status cell follows the serial cell (the text without the breaks of wrapped cells)."""
    honours = re.sub(r"\s+", "", "".join(pdf_pages(export(program, "pdf"))))
    said = {
        serial: WORDS_TO_STATUS[words]
        for serial, words in re.findall(r"([A-Z]+-\d{4}-\d+)(" + "|".join(WORDS_TO_STATUS) + ")", honours)
    }
    revoked = re.sub(r"\s+", "", "".join(pdf_pages(export(program, "pdf", "revoked"))))
    said.update({serial: "revoked" for serial in re.findall(r"([A-Z]+-\d{4}-\d+)\d{4}年", revoked)})
    return said


def test_every_public_output_tells_each_title_the_status_the_rule_gives(client, program, titles):
    rule = _rule(titles)
    assert sorted(rule.values()) == sorted(CertificateStatus.values)  # one title of each status

    assert _verification_pages(client, titles) == rule
    assert _json(client, titles) == rule
    assert _honour_roll(client) == {serial: status for serial, status in rule.items() if status in ("pending", "valid")}
    assert _spreadsheet(program, "csv") == rule
    assert _spreadsheet(program, "xlsx") == rule
    assert _pdf(program) == rule


def test_the_honour_roll_marks_a_title_not_yet_in_force_with_the_day_it_comes_into_force(client, titles):
    page = client.get(reverse("honours")).content.decode()

    assert "尚未生效" in page and "2027年7月1日起生效" in page
    assert "共 1 个有效称号。" in page and "另有 1 个称号已授予、尚未生效。" in page


def test_the_verification_page_of_a_title_not_yet_in_force_says_from_when(client, program):
    certificate = _title(program, "杭州未生效商贸有限公司", valid_from=datetime.date(2027, 7, 1))

    page = client.get(reverse("verify", args=[certificate.serial])).content.decode()

    assert "尚未生效" in page
    assert "该称号已授予，自 2027年7月1日 起生效，有效期至 2030年3月14日。" in page


# The e-mail of the grant


def _granted_mail(program, capture, mailoutbox) -> str:
    enterprise = EnterpriseFactory(contact_email="a@example.com")
    application = ApplicationFactory(program=program, enterprise=enterprise, approved=True)
    with capture(execute=True):
        certificate_grant(application=application)
    (message,) = mailoutbox
    return message.body


def test_the_grant_mail_of_a_title_not_yet_in_force_says_from_when_it_is_in_force(
    program, django_capture_on_commit_callbacks, mailoutbox
):
    with freeze_time("2027-03-01 02:00:00"):  # before the ceremony of 15 March
        body = _granted_mail(program, django_capture_on_commit_callbacks, mailoutbox)

    assert "该称号自 2027年3月15日 起生效，有效期至 2030年3月14日" in body
    assert "尚未生效" in body


def test_the_grant_mail_of_a_title_in_force_gives_its_validity(program, django_capture_on_commit_callbacks, mailoutbox):
    body = _granted_mail(program, django_capture_on_commit_callbacks, mailoutbox)

    assert "有效期自 2027年3月15日 至 2030年3月14日" in body
    assert "尚未生效" not in body


# The holder's and the organizer's pages


def test_the_holder_reads_on_my_titles_that_its_title_is_not_yet_in_force_and_from_when(client, alice, program):
    enterprise = alice.enterprise
    certificate_grant(application=ApplicationFactory(program=program, enterprise=enterprise, approved=True))
    Certificate.objects.update(valid_from=datetime.date(2027, 7, 1))
    client.force_login(alice)

    page = client.get(reverse("my_titles")).content.decode()

    assert 'data-status="pending"' in page and "尚未生效" in page and "2027年7月1日起生效" in page


def test_the_organizer_sees_each_title_with_the_status_of_the_rule(client, olivia, program, titles):
    client.force_login(olivia)

    page = client.get(reverse("certificates:titles", args=[program.slug])).content.decode()

    shown = dict(re.findall(r'/titles/([^/]+)/">.*?data-status="(\w+)"', page, re.DOTALL))
    assert shown == _rule(titles)


def test_a_case_may_be_opened_against_a_title_not_yet_in_force(client, olivia, program):
    certificate = _title(program, "杭州未生效商贸有限公司", valid_from=datetime.date(2027, 7, 1))
    client.force_login(olivia)

    page = client.get(reverse("certificates:title", args=[certificate.serial])).content.decode()

    assert reverse("workflows:case_start", args=[certificate.serial]) in page
