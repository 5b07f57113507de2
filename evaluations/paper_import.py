"""Paper questionnaires entered in bulk from an Excel workbook: the template, the row-by-row check, the import.

One row per paper questionnaire: the enterprise's unified social credit code, the number printed on the form
(问卷编号, unique per enterprise), then one answer from 1 to 5 per question, in the columns Q1, Q2 … in the order
of the questionnaire. The file is read twice in openpyxl's streaming mode, first to check every row and then, only
when no row has an error, to import all of them in one transaction with bulk inserts: memory stays bounded by the
enterprises of the programme, not by the rows of the file.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

import openpyxl
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from evaluations import sheets
from evaluations.models import EvaluationPlan, SurveyChannel, SurveyQuestion, SurveyResponse
from evaluations.rule import response_score
from evaluations.sheets import CODE_HEADING, ImportReport
from evaluations.survey import plan_maps, plan_questions

REFERENCE_HEADING = "问卷编号"
QUESTION_HEADING = re.compile(r"\s*Q(\d+)\b", re.IGNORECASE)
BATCH = 2000


@dataclass(frozen=True)
class _Columns:
    code: int
    reference: int
    questions: tuple[tuple[int, int, str], ...]  # (column index, question id, heading)


def paper_template(plan: EvaluationPlan) -> bytes:
    """An .xlsx with the code and number columns and one column per question, headed “Q1 question text”."""
    workbook = openpyxl.Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "纸质问卷"
    questions = list(plan_questions(plan))
    sheet.append([CODE_HEADING, REFERENCE_HEADING] + [f"Q{n} {q.text}" for n, q in enumerate(questions, 1)])
    sheet.append(["91350100M000100Y43", "0001"] + [5] * len(questions))
    sheet.freeze_panes = "C2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = 22 if cell.column > 2 else 24
    for letter in ("A", "B"):
        sheet.column_dimensions[letter].number_format = "@"  # Text: keeps codes and numbers intact
    notes = workbook.create_sheet("填写说明")
    notes.append(["每行一份纸质问卷；答案填 1 至 5：5 非常满意，4 满意，3 一般，2 不满意，1 非常不满意。"])
    notes.append(["问卷编号在同一企业内不得重复；请勿删除、调换题目列。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def paper_import(*, plan: EvaluationPlan, file: BinaryIO, user) -> ImportReport:
    """Check every row; when none has an error, import them all (channel paper, entered by the user)."""
    report = ImportReport()
    enterprises = sheets.enterprise_codes(plan.program)
    seen = set(
        SurveyResponse.objects.filter(application__program=plan.program)
        .exclude(paper_reference="")
        .values_list("application_id", "paper_reference")
        .iterator(chunk_size=5000)
    )
    questions = list(plan_questions(plan))
    # What the check found correct goes to a temporary file, so that the import does not parse the workbook again.
    spool = tempfile.TemporaryFile("w+", encoding="utf-8")
    try:
        return _check_and_import(plan, file, user, enterprises, seen, questions, spool, report)
    finally:
        spool.close()


def _check_and_import(plan, file, user, enterprises, seen, questions, spool, report: ImportReport) -> ImportReport:
    try:
        rows = sheets.rows(file)
        columns = _columns(next(rows, (1, ()))[1], questions, report)
        if columns is None:
            return report
        for number, cells in rows:
            checked = _check_row(number, cells, columns, enterprises, seen, report)
            if checked and not report.error_count:
                spool.write(json.dumps(checked, ensure_ascii=False) + "\n")
    except sheets.NotAWorkbook:
        return report.file_error(sheets.not_a_workbook_message())
    if report.error_count:
        return report
    if not report.rows:
        return report.file_error(_("The file has column headings but no questionnaires. Enter one per row."))
    spool.seek(0)
    report.imported = _import(plan, spool, user)
    return report










def _columns(header: tuple, questions: list[SurveyQuestion], report: ImportReport) -> _Columns | None:
    headings = [sheets.text(cell) for cell in header]
    code = headings.index(CODE_HEADING) if CODE_HEADING in headings else None
    reference = headings.index(REFERENCE_HEADING) if REFERENCE_HEADING in headings else None
    by_number: dict[int, tuple[int, str]] = {}
    for index, heading in enumerate(headings):
        if match := QUESTION_HEADING.match(heading):
            by_number[int(match.group(1))] = (index, heading)
    for heading, found in ((CODE_HEADING, code), (REFERENCE_HEADING, reference)):
        if found is None:
            report.file_error(_("The column “%(column)s” is missing. Download the template.") % {"column": heading})
    missing = [f"Q{n}" for n in range(1, len(questions) + 1) if n not in by_number]
    if missing:
        message = _("The question columns %(columns)s are missing. Download the template again: it has every question.")
        report.file_error(message % {"columns": "、".join(missing)})
    extra = [heading for n, (_index, heading) in sorted(by_number.items()) if n > len(questions)]
    if extra:
        message = _("The questionnaire has %(count)d questions; the columns %(columns)s do not belong to it.")
        report.file_error(message % {"count": len(questions), "columns": "、".join(extra)})
    if report.error_count:
        return None
    return _Columns(
        code=code,
        reference=reference,
        questions=tuple((by_number[n][0], question.pk, by_number[n][1]) for n, question in enumerate(questions, 1)),
    )




def _check_row(
    number: int, cells: tuple, columns: _Columns, enterprises: dict, seen: set, report
) -> tuple[int, str, str] | None:
    """The row as (application id, questionnaire number, answers as digits), or None after reporting its errors."""
    report.rows += 1
    errors_before = report.error_count
    application_id = sheets.check_code(number, sheets.cell(cells, columns.code), enterprises, report)
    reference = sheets.text(sheets.cell(cells, columns.reference))
    if not reference:
        report.add(number, REFERENCE_HEADING, _("Enter the number printed on the paper questionnaire."))
    elif len(reference) > 50:
        report.add(number, REFERENCE_HEADING, _("The questionnaire number has more than 50 characters."))
    elif application_id is not None:
        if (application_id, reference) in seen:
            message = _(
                "The questionnaire number %(number)s of this enterprise has already been entered or appears twice."
            )
            report.add(number, REFERENCE_HEADING, message % {"number": reference})
        else:
            seen.add((application_id, reference))
    answers = "".join(
        str(_answer(number, sheets.cell(cells, index), heading, report)) for index, _q, heading in columns.questions
    )
    if report.error_count > errors_before:
        return None
    return application_id, reference, answers




def _answer(number: int, raw: object, heading: str, report: ImportReport | None) -> int | None:
    text = sheets.text(raw)
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    if report is not None:
        if not text:
            message = _("The answer is missing. Enter a number from 1 to 5.")
        else:
            message = _("“%(value)s” is not an answer. Enter a number from 1 (very poor) to 5 (very good).") % {
                "value": text
            }
        report.add(number, heading, message)
    return None


def _import(plan: EvaluationPlan, spool, user) -> int:
    """Insert the checked questionnaires in batches, all in one transaction."""
    aspect_of, weights = plan_maps(plan)
    question_ids = list(plan_questions(plan).values_list("pk", flat=True))
    imported = 0
    batch: list[SurveyResponse] = []
    with transaction.atomic():
        for line in spool:
            application_id, reference, digits = json.loads(line)
            answers = {question: int(digit) for question, digit in zip(question_ids, digits, strict=True)}
            aspect_scores, overall = response_score(answers, aspect_of, weights)
            batch.append(
                SurveyResponse(
                    application_id=application_id,
                    channel=SurveyChannel.PAPER,
                    answers={str(question): value for question, value in answers.items()},
                    aspect_scores={str(aspect): str(score) for aspect, score in aspect_scores.items()},
                    score=overall,
                    paper_reference=reference,
                    entered_by=user,
                )
            )
            if len(batch) >= BATCH:
                SurveyResponse.objects.bulk_create(batch)
                imported += len(batch)
                batch = []
        SurveyResponse.objects.bulk_create(batch)
        imported += len(batch)
    return imported
