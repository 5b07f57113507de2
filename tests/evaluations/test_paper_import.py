"""Paper questionnaires from Excel: the template, the row-by-row check with Excel row and column, all or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from evaluations import survey
from evaluations.models import SurveyChannel, SurveyResponse
from evaluations.paper_import import paper_import, paper_template
from tests.evaluations.test_survey import make_evaluation
from tests.factories import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return make_evaluation()


def _workbook(plan, rows: list[list]) -> io.BytesIO:
    """The downloaded template with its example row replaced by the given rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(paper_template(plan)))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _row(application, reference: str, answers: list) -> list:
    return [application.enterprise.uscc, reference, *answers]


def _full(evaluation, value=5) -> list:
    return [value] * survey.plan_questions(evaluation.plan).count()


def test_the_template_has_the_code_number_and_one_column_per_question(evaluation):
    sheet = openpyxl.load_workbook(io.BytesIO(paper_template(evaluation.plan))).worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    questions = list(survey.plan_questions(evaluation.plan))
    assert headings[:2] == ["统一社会信用代码", "问卷编号"]
    assert headings[2:] == [f"Q{n} {question.text}" for n, question in enumerate(questions, 1)]


def test_a_correct_file_is_imported_as_paper_answers_entered_by_the_organizer(evaluation, olivia):
    first, second = evaluation.applications
    file = _workbook(
        evaluation.plan,
        [
            _row(first, "0001", _full(evaluation)),
            _row(first, "0002", _full(evaluation, 3)),
            _row(second, "0001", _full(evaluation, 1)),
        ],
    )
    report = paper_import(plan=evaluation.plan, file=file, user=olivia)
    assert report.error_count == 0 and report.imported == 3
    answers = SurveyResponse.objects.filter(application=first).order_by("paper_reference")
    assert [(a.paper_reference, a.score) for a in answers] == [("0001", 100), ("0002", 50)]
    assert {a.channel for a in SurveyResponse.objects.all()} == {SurveyChannel.PAPER}
    assert {a.entered_by for a in SurveyResponse.objects.all()} == {olivia}


def test_an_unknown_enterprise_code_is_reported_with_its_row_and_column(evaluation, olivia):
    file = _workbook(
        evaluation.plan,
        [_row(evaluation.applications[0], "1", _full(evaluation)), ["91350100M000100Y43", "2", *_full(evaluation)]],
    )
    report = paper_import(plan=evaluation.plan, file=file, user=olivia)
    assert [(e.row_number, e.column) for e in report.errors] == [(3, "统一社会信用代码")]
    assert "91350100M000100Y43" in report.errors[0].message
    assert not SurveyResponse.objects.exists()  # all or nothing


def test_an_answer_outside_one_to_five_is_reported_in_its_question_column(evaluation, olivia):
    answers = _full(evaluation)
    answers[1] = 6
    report = paper_import(
        plan=evaluation.plan,
        file=_workbook(evaluation.plan, [_row(evaluation.applications[0], "1", answers)]),
        user=olivia,
    )
    (error,) = report.errors
    assert error.row_number == 2 and error.column.startswith("Q2 ")
    assert "1" in error.message and "5" in error.message


def test_a_missing_answer_is_reported(evaluation, olivia):
    answers = _full(evaluation)
    answers[-1] = None
    report = paper_import(
        plan=evaluation.plan,
        file=_workbook(evaluation.plan, [_row(evaluation.applications[0], "1", answers)]),
        user=olivia,
    )
    (error,) = report.errors
    assert error.column.startswith(f"Q{len(answers)} ") and "缺少答案" in error.message


def test_a_number_twice_for_the_same_enterprise_is_reported_at_its_second_row(evaluation, olivia):
    first, second = evaluation.applications
    rows = [
        _row(first, "7", _full(evaluation)),
        _row(second, "7", _full(evaluation)),
        _row(first, "7", _full(evaluation)),
    ]
    report = paper_import(plan=evaluation.plan, file=_workbook(evaluation.plan, rows), user=olivia)
    assert [(e.row_number, e.column) for e in report.errors] == [(4, "问卷编号")]


def test_a_number_entered_by_an_earlier_file_is_reported(evaluation, olivia):
    application = evaluation.applications[0]
    paper_import(
        plan=evaluation.plan, file=_workbook(evaluation.plan, [_row(application, "9", _full(evaluation))]), user=olivia
    )
    report = paper_import(
        plan=evaluation.plan, file=_workbook(evaluation.plan, [_row(application, "9", _full(evaluation))]), user=olivia
    )
    assert report.error_count == 1 and "已录入" in report.errors[0].message
    assert SurveyResponse.objects.count() == 1


def test_a_file_that_is_not_a_workbook_is_refused(evaluation, olivia):
    report = paper_import(plan=evaluation.plan, file=io.BytesIO(b"not a workbook"), user=olivia)
    assert report.errors[0].row_number == 0 and "xlsx" in report.errors[0].message


def test_a_missing_question_column_is_reported_once_for_the_file(evaluation, olivia):
    workbook = openpyxl.Workbook()
    workbook.active.append(["统一社会信用代码", "问卷编号", "Q1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    report = paper_import(plan=evaluation.plan, file=buffer, user=olivia)
    assert len(report.errors) == 1 and "Q2" in report.errors[0].message


def test_the_organizer_uploads_a_file_and_sees_its_errors_in_chinese(evaluation, client, olivia):
    client.force_login(olivia)
    answers = _full(evaluation)
    answers[0] = "好"
    file = _workbook(evaluation.plan, [_row(evaluation.applications[0], "1", answers)])
    page = client.post(
        reverse("evaluations:survey_paper", args=[evaluation.program.slug]),
        {"file": upload("纸质问卷.xlsx", file.getvalue())},
    )
    assert page.status_code == 400
    assert "“好”不是有效答案" in page.content.decode()
    assert "未导入任何问卷" in page.content.decode()


def test_the_organizer_downloads_the_template(evaluation, client, olivia):
    client.force_login(olivia)
    response = client.get(reverse("evaluations:survey_paper_template", args=[evaluation.program.slug]))
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value == "统一社会信用代码"
