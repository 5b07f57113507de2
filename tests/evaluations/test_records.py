"""Supervision records (日常监督记录): one by one, in bulk from Excel, and listed with the plan's deduction."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from evaluations import records
from evaluations.models import SupervisionRecord
from evaluations.plan import plan_create
from tests.factories import ApplicationFactory, DistrictFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "类型", "严重程度", "日期", "摘要", "文号"]


@pytest.fixture
def plan(db):
    program = ProgramFactory(mode="evaluation", slug="farm-records", title="2027年度农资经营单位综合评议")
    return plan_create(program=program, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))


@pytest.fixture
def dealer(plan):
    return ApplicationFactory(program=plan.program, enrolled=True, status="in_review", enterprise__name="城关农资店")


@pytest.fixture
def organizer(client, olivia):
    client.force_login(olivia)
    return client


def _workbook(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "records.xlsx"
    return buffer


def _record(dealer, user, **fields):
    values = {
        "kind": "complaint",
        "severity": "general",
        "occurred_on": datetime.date(2026, 3, 1),
        "summary": "销售过期农药",
        "reference": "",
    }
    values.update(fields)
    return records.record_create(application=dealer, user=user, **values)


def test_a_record_is_entered(dealer, olivia):
    record = _record(dealer, olivia, reference="投诉〔2026〕1号")
    assert record.reference == "投诉〔2026〕1号"


def test_a_file_number_is_entered_once_per_enterprise_and_kind(dealer, olivia):
    _record(dealer, olivia, reference="A-1")
    with pytest.raises(records.RecordError):
        _record(dealer, olivia, reference="A-1")


def test_the_same_file_number_may_serve_another_kind(dealer, olivia):
    _record(dealer, olivia, reference="A-1")
    assert _record(dealer, olivia, kind="penalty", reference="A-1")


def test_a_record_inside_the_period_deducts_the_tables_points(plan, dealer, olivia):
    _record(dealer, olivia, kind="complaint", severity="general")
    record = records.records_of(plan).get()
    assert (record.deduction, record.veto, record.counted) == (Decimal(3), False, True)


def test_a_serious_penalty_is_a_veto(plan, dealer, olivia):
    _record(dealer, olivia, kind="penalty", severity="serious")
    assert records.records_of(plan).get().veto is True


def test_a_record_outside_the_period_does_not_count(plan, dealer, olivia):
    _record(dealer, olivia, occurred_on=datetime.date(2025, 12, 31))
    assert records.records_of(plan).get().counted is False


def test_the_import_accepts_chinese_labels_and_dates_as_written(plan, dealer, olivia):
    rows = [
        HEADER,
        [dealer.enterprise.uscc, "消费投诉", "一般", "2026-03-01", "价格欺诈", "投诉1号"],
        [dealer.enterprise.uscc, "回访", "轻微", datetime.datetime(2026, 4, 2), "回访整改情况", None],
        [dealer.enterprise.uscc, "消费体验", "严重", "2026年5月3日", "体验发现以次充好", ""],
    ]
    report = records.records_import(plan=plan, file=_workbook(rows), user=olivia)
    assert (report.error_count, report.imported) == (0, 3)
    assert list(SupervisionRecord.objects.order_by("occurred_on").values_list("kind", "severity", "occurred_on")) == [
        ("complaint", "general", datetime.date(2026, 3, 1)),
        ("follow_up", "minor", datetime.date(2026, 4, 2)),
        ("mystery_shopping", "serious", datetime.date(2026, 5, 3)),
    ]


def test_the_import_names_the_row_and_column_of_each_error_and_stores_nothing(plan, dealer, olivia):
    rows = [
        HEADER,
        [dealer.enterprise.uscc, "消费投诉", "一般", "2026-03-01", "价格欺诈", ""],
        ["91330106MA00000000", "投诉", "很严重", "明天", "", ""],
    ]
    report = records.records_import(plan=plan, file=_workbook(rows), user=olivia)
    assert {(e.row_number, e.column) for e in report.errors} == {
        (3, "统一社会信用代码"),
        (3, "严重程度"),
        (3, "日期"),
        (3, "摘要"),
    }
    assert not SupervisionRecord.objects.exists()


def test_the_import_refuses_a_file_number_used_twice(plan, dealer, olivia):
    _record(dealer, olivia, reference="A-1")
    rows = [HEADER, [dealer.enterprise.uscc, "消费投诉", "一般", "2026-03-01", "价格欺诈", "A-1"]]
    report = records.records_import(plan=plan, file=_workbook(rows), user=olivia)
    assert [(e.row_number, e.column) for e in report.errors] == [(2, "文号")]


def test_the_import_reports_a_missing_column(plan, olivia):
    report = records.records_import(plan=plan, file=_workbook([HEADER[:3]]), user=olivia)
    assert all(e.row_number == 0 for e in report.errors)
    assert report.error_count == 2  # 日期 and 摘要; 文号 may be left out


def test_the_import_stores_many_rows_in_batches(plan, dealer, olivia, django_assert_max_num_queries):
    rows = [HEADER] + [
        [dealer.enterprise.uscc, "消费投诉", "轻微", "2026-03-01", f"投诉{n}", f"T{n}"] for n in range(5000)
    ]
    file = _workbook(rows)
    with django_assert_max_num_queries(5000 // 50):
        report = records.records_import(plan=plan, file=file, user=olivia)
    assert report.imported == 5000


def test_the_template_has_the_columns_of_the_import():
    workbook = openpyxl.load_workbook(io.BytesIO(records.records_template()))
    assert [c.value for c in workbook.worksheets[0][1]] == HEADER


# The screens --------------------------------------------------------------------------------------------------------


def test_the_organizer_enters_a_record_on_the_screen(organizer, plan, dealer):
    data = {
        "uscc": dealer.enterprise.uscc,
        "kind": "inspection",
        "severity": "minor",
        "occurred_on": "2026-05-01",
        "summary": "台账不全",
        "reference": "",
    }
    response = organizer.post(reverse("evaluations:record_new", args=[plan.program.slug]), data)
    assert response.status_code == 302
    assert SupervisionRecord.objects.get().kind == "inspection"


def test_a_code_not_enrolled_is_refused_next_to_the_field(organizer, plan):
    data = {"uscc": "91330106MA00000000", "kind": "inspection", "severity": "minor", "occurred_on": "2026-05-01"}
    data["summary"] = "台账不全"
    response = organizer.post(reverse("evaluations:record_new", args=[plan.program.slug]), data)
    assert response.status_code == 400
    assert "没有" in response.content.decode()


def test_the_list_shows_deduction_veto_and_records_not_counted(organizer, plan, dealer, olivia):
    _record(dealer, olivia, summary="计入的投诉")
    _record(dealer, olivia, kind="penalty", severity="serious", summary="吊销许可")
    _record(dealer, olivia, occurred_on=datetime.date(2025, 1, 1), summary="期外投诉")
    page = organizer.get(reverse("evaluations:records", args=[plan.program.slug])).content.decode()
    assert "−3.00" in page
    assert "一票否决" in page
    assert "不计入" in page


def test_the_list_filters_by_kind(organizer, plan, dealer, olivia):
    _record(dealer, olivia, summary="一条投诉")
    _record(dealer, olivia, kind="penalty", summary="一条处罚")
    page = organizer.get(reverse("evaluations:records", args=[plan.program.slug]), {"kind": "penalty"})
    assert "一条处罚" in page.content.decode()
    assert "一条投诉" not in page.content.decode()


def test_a_reviewer_cannot_see_the_records(client, plan):
    from accounts.roles import Role
    from tests.factories import staff_user

    client.force_login(staff_user("rita", Role.REVIEWER))
    assert client.get(reverse("evaluations:records", args=[plan.program.slug])).status_code == 403


def test_the_import_screen_stores_a_correct_file(organizer, plan, dealer):
    file = _workbook([HEADER, [dealer.enterprise.uscc, "行政处罚", "严重", "2026-03-01", "无证经营", "罚字1号"]])
    response = organizer.post(reverse("evaluations:record_import", args=[plan.program.slug]), {"file": file})
    assert response.url == reverse("evaluations:records", args=[plan.program.slug])
    assert SupervisionRecord.objects.get().kind == "penalty"


def test_the_import_screen_lists_the_errors_with_row_and_column(organizer, plan, dealer):
    file = _workbook([HEADER, [dealer.enterprise.uscc, "表扬", "一般", "2026-03-01", "无证经营", ""]])
    response = organizer.post(reverse("evaluations:record_import", args=[plan.program.slug]), {"file": file})
    assert response.status_code == 400
    assert "“表扬”不是有效的记录类型" in response.content.decode()


def test_the_list_filters_by_district(organizer, plan, dealer, olivia):
    other = ApplicationFactory(
        program=plan.program,
        enrolled=True,
        enterprise__name="东乡农资店",
        enterprise__district=DistrictFactory(code="330108", name="滨江区"),
    )
    _record(dealer, olivia, summary="城关的投诉")
    _record(other, olivia, summary="东乡的投诉")
    url = reverse("evaluations:records", args=[plan.program.slug])
    page = organizer.get(url, {"district": dealer.enterprise.district_id}).content.decode()
    assert "城关的投诉" in page
    assert "东乡的投诉" not in page


def test_the_records_screens_send_the_organizer_to_the_plan_first(organizer):
    program = ProgramFactory(mode="evaluation")
    response = organizer.get(reverse("evaluations:records", args=[program.slug]))
    assert response.url == reverse("evaluations:plan", args=[program.slug])
