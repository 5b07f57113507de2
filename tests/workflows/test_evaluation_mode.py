"""Evaluation mode: the organizer enrols a sector from Excel; D-tier results go on an exposure list after notice."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import Workbook

from awards.models import Application, ApplicationStatus, Enterprise
from tests.factories import DistrictFactory, ProgramFactory, valid_uscc
from tests.workflows.flow_helpers import (
    assign,
    close_notice,
    committee_approves,
    open_task,
    publish,
    score,
)

pytestmark = pytest.mark.django_db

HEADINGS = ["企业名称", "统一社会信用代码", "所在区县", "所属行业", "联系人", "联系电话"]


@pytest.fixture
def program(db):
    DistrictFactory(code="330106", name="西湖区")
    return ProgramFactory(
        mode="evaluation", slug="catering-2027", serial_prefix="PY", title="2027年度西湖区餐饮行业诚信评议"
    )


def _workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "餐饮企业名单.xlsx"
    return out


def _rows(n: int):
    return [
        [f"杭州西湖第{i}餐饮有限公司", valid_uscc(9000 + i), "西湖区", "H", "联系人", f"1380000{i:04d}"]
        for i in range(1, n + 1)
    ]


def _upload(client, organizer, program, workbook):
    client.force_login(organizer)
    return client.post(reverse("workflows:enrol", args=[program.slug]), {"workbook": workbook})


def test_a_sector_is_enrolled_and_enters_the_flow_at_reviewer_assignment(client, olivia, program):
    response = _upload(client, olivia, program, _workbook(_rows(3)))
    assert response.status_code == 302
    applications = Application.objects.filter(program=program)
    assert applications.count() == 3
    for application in applications:
        assert application.enrolled and application.status == ApplicationStatus.IN_REVIEW
        assert open_task(application, "assign_reviewers")


def test_errors_are_reported_row_by_row_and_nothing_is_imported(client, olivia, program):
    rows = _rows(3)
    rows[1][1] = "91330106MA0000000X"  # wrong check character
    rows[2][2] = "火星区"
    response = _upload(client, olivia, program, _workbook(rows))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<td>3</td>" in content and "<td>4</td>" in content
    assert "火星区" in content
    assert not Application.objects.filter(program=program).exists()
    assert not Enterprise.objects.filter(name__startswith="杭州西湖第").exists()


def test_an_enterprise_already_enrolled_stops_the_whole_import(client, olivia, program):
    _upload(client, olivia, program, _workbook(_rows(1)))
    response = _upload(client, olivia, program, _workbook(_rows(2)))
    assert response.status_code == 200
    assert Application.objects.filter(program=program).count() == 1


def test_the_template_can_be_downloaded(client, olivia):
    client.force_login(olivia)
    response = client.get(reverse("workflows:enrolment_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_d_tier_result_is_exposed_after_the_notice(client, olivia, program, reviewers, carl):
    _upload(client, olivia, program, _workbook(_rows(1)))
    application = Application.objects.get(program=program)
    assign(client, olivia, application, reviewers[:3])
    for reviewer in reviewers[:3]:
        score(client, reviewer, application, points_share=0.3)
    application.refresh_from_db()
    assert application.result.tier == "D"
    assert application.status == ApplicationStatus.COMMITTEE
    # The enterprise is heard first (陈述申辩): the committee decides once its time to respond has passed.
    statement = application.statements.get(tier="D")
    with freeze_time(statement.due_at + datetime.timedelta(minutes=1)):
        committee_approves(client, carl, application)
    publish(client, olivia, program, kind="exposure")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE
    assert application.notice.kind == "exposure"
    close_notice(application)
    assert application.status == ApplicationStatus.EXPOSED
    assert application.exposure_entry.credit_class == "serious"  # its display period and credit repair follow
    assert not hasattr(application, "certificate")


def test_a_b_tier_result_ends_as_graded(client, olivia, program, reviewers):
    _upload(client, olivia, program, _workbook(_rows(1)))
    application = Application.objects.get(program=program)
    assign(client, olivia, application, reviewers[:3])
    for reviewer in reviewers[:3]:
        score(client, reviewer, application, points_share=0.8)
    application.refresh_from_db()
    assert application.result.tier == "B"
    assert application.status == ApplicationStatus.GRADED


def test_an_application_programme_refuses_enrolment(client, olivia):
    application_program = ProgramFactory()
    client.force_login(olivia)
    assert client.get(reverse("workflows:enrol", args=[application_program.slug])).status_code == 404
