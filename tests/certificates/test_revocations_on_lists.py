"""Published lists after a revocation: the honour list leaves the revoked title out and says so under the table, with
the date; the revocations are a list of their own, with the date of each, in csv, xlsx and PDF, from the command line
and from the organizer's export buttons. Every title on a list carries its status (状态)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from certificates.lists import list_filename, list_title
from certificates.models import Certificate, CertificateEvent, CertificateStatus
from certificates.services import certificate_grant
from jobs.models import Job, JobStatus
from tests.certificates.test_exports import csv_rows, export, pdf_pages, xlsx_sheet
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PRINTED_ON = datetime.date(2027, 5, 1)
REVOKED_AT = timezone.make_aware(datetime.datetime(2027, 4, 20, 15, 0))  # Beijing time
NOTE = "截至2027年5月1日，已撤销的1个称号未列入本名单，见撤销称号名单。"


@pytest.fixture(autouse=True)
def _granted_in_march_2027():
    """The titles are granted before they are revoked, whatever day the tests run."""
    with freeze_time("2027-03-01 02:00:00"):
        yield


@pytest.fixture
def program(db):
    return ProgramFactory(title="2027年度诚信经营示范单位评选", slug="honest-2027")


def _grant(program, name: str) -> Certificate:
    enterprise = EnterpriseFactory(name=name)
    return certificate_grant(application=ApplicationFactory(program=program, enterprise=enterprise, approved=True))


def _revoke(certificate: Certificate, at: datetime.datetime = REVOKED_AT) -> None:
    """What the committee's decision records (certificates.services.case_decide), at a known moment."""
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.REVOKED)
    CertificateEvent.objects.create(certificate=certificate, status=CertificateStatus.REVOKED, at=at, reason="虚假宣传")


@pytest.fixture
def kept_and_revoked(program):
    kept = _grant(program, "杭州甲商贸有限公司")
    revoked = _grant(program, "杭州乙商贸有限公司")
    _revoke(revoked)
    return kept, revoked


def _text(data: bytes) -> str:
    """A PDF's text without the line breaks and spaces that wrapping inside a cell puts in."""
    return re.sub(r"\s+", "", "".join(pdf_pages(data)))


# The honour list


def test_the_csv_honour_list_leaves_the_revoked_title_out_and_says_so_under_the_table(program, kept_and_revoked):
    listed = csv_rows(export(program, "csv", today=PRINTED_ON))

    names = [row[2] for row in listed[1:] if len(row) > 2]
    assert names == ["杭州甲商贸有限公司"]
    assert listed[-2:] == [[], [NOTE]]


def test_the_xlsx_honour_list_leaves_the_revoked_title_out_and_says_so_under_the_table(program, kept_and_revoked):
    sheet = xlsx_sheet(export(program, "xlsx", today=PRINTED_ON))

    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[2] for row in values[1:] if len(row) > 2 and row[2]] == ["杭州甲商贸有限公司"]
    assert values[-1][0] == NOTE
    assert sheet.auto_filter.ref == "A1:I2"  # the note is outside the filtered table


def test_the_pdf_honour_list_leaves_the_revoked_title_out_and_says_so_under_the_table(program, kept_and_revoked):
    text = _text(export(program, "pdf", today=PRINTED_ON))

    assert "杭州甲商贸有限公司" in text and "杭州乙商贸有限公司" not in text
    assert NOTE in text


def test_a_list_without_revocations_has_no_note(program):
    _grant(program, "杭州甲商贸有限公司")

    assert csv_rows(export(program, "csv", today=PRINTED_ON))[-1][2] == "杭州甲商贸有限公司"
    assert "撤销" not in _text(export(program, "pdf", today=PRINTED_ON))


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (datetime.date(2027, 3, 14), "尚未生效（2027年3月15日起）"),
        (datetime.date(2027, 3, 15), "有效"),
        (datetime.date(2030, 3, 15), "已过期"),
    ],
)
def test_the_status_column_gives_the_status_on_the_day_of_printing(program, today, words):
    _grant(program, "杭州甲商贸有限公司")

    header, row = csv_rows(export(program, "csv", today=today))

    assert header[-1] == "状态" and row[-1] == words


def test_a_suspended_title_stays_on_the_list_marked_suspended(program):
    certificate = _grant(program, "杭州甲商贸有限公司")
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.SUSPENDED)

    assert csv_rows(export(program, "csv", today=PRINTED_ON))[1][-1] == "已暂停"


# The list of revocations


def test_the_list_of_revocations_names_the_revoked_titles_with_their_date_in_csv(program, kept_and_revoked):
    _kept, revoked = kept_and_revoked

    header, row, _blank, note = csv_rows(export(program, "csv", "revoked", today=PRINTED_ON))

    assert header == ["序号", "所在区县", "企业名称", "统一社会信用代码", "所属行业", "称号", "证书编号", "撤销日期"]
    assert row[2:] == [
        "杭州乙商贸有限公司",
        revoked.enterprise_uscc,
        revoked.enterprise.industry.name,
        revoked.title,
        revoked.serial,
        "2027-04-20",
    ]
    assert note == ["截至2027年5月1日，本活动共撤销1个称号。"]


def test_the_list_of_revocations_in_xlsx_has_a_real_date(program, kept_and_revoked):
    sheet = xlsx_sheet(export(program, "xlsx", "revoked", today=PRINTED_ON))

    assert sheet["C2"].value == "杭州乙商贸有限公司"
    assert sheet["H1"].value == "撤销日期"
    assert sheet["H2"].value.date() == datetime.date(2027, 4, 20)
    assert sheet.title == "撤销称号名单"


def test_the_list_of_revocations_prints_as_pdf_dated_the_day_of_printing(program, kept_and_revoked):
    _kept, revoked = kept_and_revoked

    text = _text(export(program, "pdf", "revoked", today=PRINTED_ON))

    assert "2027年度诚信经营示范单位撤销称号名单" in text
    assert "杭州乙商贸有限公司" in text and "杭州甲商贸有限公司" not in text
    assert f"{revoked.serial}2027年4月20日" in text
    assert "截至2027年5月1日，本活动共撤销1个称号。" in text


def test_the_date_of_revocation_stays_when_an_appeal_is_dismissed_later(program, kept_and_revoked):
    _kept, revoked = kept_and_revoked
    _revoke(revoked, at=REVOKED_AT + datetime.timedelta(days=20))  # the committee confirms the revocation

    assert csv_rows(export(program, "csv", "revoked", today=PRINTED_ON))[1][-1] == "2027-04-20"


def test_a_title_revoked_again_after_a_restore_is_dated_by_the_second_revocation(program, kept_and_revoked):
    _kept, revoked = kept_and_revoked
    CertificateEvent.objects.create(
        certificate=revoked, status=CertificateStatus.VALID, at=REVOKED_AT + datetime.timedelta(days=1)
    )
    _revoke(revoked, at=REVOKED_AT + datetime.timedelta(days=5))

    assert csv_rows(export(program, "csv", "revoked", today=PRINTED_ON))[1][-1] == "2027-04-25"


def test_the_list_of_revocations_has_its_own_name(program):
    assert list_title(program, "revoked") == "2027年度诚信经营示范单位撤销称号名单"
    assert list_filename(program, "pdf", "revoked") == "2027年度诚信经营示范单位评选_撤销称号名单.pdf"


def test_the_command_writes_the_list_of_revocations_when_asked(program, kept_and_revoked, tmp_path):
    path = tmp_path / "revoked.csv"

    call_command(
        "export_list", program="honest-2027", format="csv", out=str(path), list="revoked", stdout=io.StringIO()
    )

    assert csv_rows(path.read_bytes())[1][2] == "杭州乙商贸有限公司"


def test_the_command_still_writes_the_honour_list_by_default(program, kept_and_revoked, tmp_path):
    path = tmp_path / "honours.csv"

    call_command("export_list", program="honest-2027", format="csv", out=str(path), stdout=io.StringIO())

    assert csv_rows(path.read_bytes())[1][2] == "杭州甲商贸有限公司"


def test_the_organizer_downloads_the_list_of_revocations_from_the_titles_page(
    client, olivia, program, kept_and_revoked, django_capture_on_commit_callbacks
):
    client.force_login(olivia)
    page = client.get(reverse("certificates:titles", args=[program.slug])).content.decode()
    assert 'name="list" value="revoked"' in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:export_list", args=[program.slug, "csv"]), {"list": "revoked"})

    job = Job.objects.get()
    assert job.status == JobStatus.DONE
    assert job.filename == "2027年度诚信经营示范单位评选_撤销称号名单.csv"
    data = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert csv_rows(data)[1][2] == "杭州乙商贸有限公司"
