"""Supervision records (日常监督记录) of a sector evaluation: entered one by one or in bulk from Excel, and listed
with the deduction the plan's table gives each one.

The bulk import reads the workbook once in openpyxl's streaming mode; the rows found correct go to a temporary file
while checking, and only when no row has an error are they inserted, in batches, in one transaction. Memory stays
bounded by the enterprises of the programme and the file numbers already used, not by the rows of the file.
"""

from __future__ import annotations

import datetime
import json
import tempfile

from django.db import transaction
from django.db.models import BooleanField, Case, DecimalField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import translation
from django.utils.translation import gettext as _

from awards.models import Application
from evaluations import sheets
from evaluations.models import DeductionRule, EvaluationPlan, RecordKind, Severity, SupervisionRecord

KIND_HEADING = "类型"
SEVERITY_HEADING = "严重程度"
DATE_HEADING = "日期"
SUMMARY_HEADING = "摘要"
REFERENCE_HEADING = "文号"
HEADINGS = (sheets.CODE_HEADING, KIND_HEADING, SEVERITY_HEADING, DATE_HEADING, SUMMARY_HEADING, REFERENCE_HEADING)
BATCH = 2000
SUMMARY_MAX = 500
REFERENCE_MAX = 100


class RecordError(Exception):
    """A record that cannot be stored as asked; the message says why, in the user's language."""


def _labels(choices) -> dict[str, str]:
    """Every way a choice may be written in the file: its code, its Chinese and English labels, lower-cased."""
    found: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = value
    for value in choices.values:
        found[value] = value
    return found


def kind_labels() -> dict[str, str]:
    labels = _labels(RecordKind)
    labels.update({"投诉": RecordKind.COMPLAINT, "检查": RecordKind.INSPECTION, "处罚": RecordKind.PENALTY})
    return labels


def severity_labels() -> dict[str, str]:
    labels = _labels(Severity)
    labels.update({"较轻": Severity.MINOR, "较重": Severity.SERIOUS})
    return labels


def record_create(
    *,
    application: Application,
    kind: str,
    severity: str,
    occurred_on: datetime.date,
    summary: str,
    reference: str = "",
    user,
) -> SupervisionRecord:
    """One record about an enrolled enterprise; a file number is unique per enterprise and kind."""
    if not application.enrolled:
        raise RecordError(_("This enterprise is not enrolled in the evaluation."))
    reference = reference.strip()
    if reference and SupervisionRecord.objects.filter(application=application, kind=kind, reference=reference).exists():
        raise RecordError(
            _("A record of this kind with the file number %(number)s has already been entered for this enterprise.")
            % {"number": reference}
        )
    return SupervisionRecord.objects.create(
        application=application,
        kind=kind,
        severity=severity,
        occurred_on=occurred_on,
        summary=summary.strip(),
        reference=reference,
        recorded_by=user,
    )


def records_of(plan: EvaluationPlan) -> QuerySet[SupervisionRecord]:
    """The programme's records, each annotated with the plan's deduction (`deduction`), whether it is a veto
    (`veto`) and whether it falls inside the plan's period and so counts (`counted`)."""
    rule = DeductionRule.objects.filter(plan=plan, kind=OuterRef("kind"), severity=OuterRef("severity"))
    return (
        SupervisionRecord.objects.filter(application__program=plan.program)
        .select_related("application__enterprise__district")
        .annotate(
            deduction=Subquery(rule.values("points")[:1], output_field=DecimalField(max_digits=5, decimal_places=2)),
            veto=Subquery(rule.values("is_veto")[:1], output_field=BooleanField()),
            counted=Case(
                When(occurred_on__gte=plan.period_start, occurred_on__lte=plan.period_end, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-occurred_on", "-pk")
    )


# Excel --------------------------------------------------------------------------------------------------------------


def records_template() -> bytes:
    with translation.override("zh-hans"):
        kinds = "、".join(str(label) for label in RecordKind.labels)
        severities = "、".join(str(label) for label in Severity.labels)
        complaint, general = str(RecordKind.COMPLAINT.label), str(Severity.GENERAL.label)
    return sheets.template_workbook(
        "监督记录",
        list(HEADINGS),
        ["91350100M000100Y43", complaint, general, "2026-03-01", "销售过期农药，已责令下架", "投诉〔2026〕001号"],
        [
            _("One record per row. Kinds: %(kinds)s.") % {"kinds": kinds},
            _("Severities: %(severities)s.") % {"severities": severities},
            _("Dates as 2026-03-01; the file number may be empty, but is unique per enterprise and kind."),
        ],
    )


def records_import(*, plan: EvaluationPlan, file, user) -> sheets.ImportReport:
    """Check every row; when none has an error, insert all records in batches in one transaction."""
    report = sheets.ImportReport()
    spool = tempfile.TemporaryFile("w+", encoding="utf-8")
    try:
        try:
            _check(plan, file, spool, report)
        except sheets.NotAWorkbook:
            return report.file_error(sheets.not_a_workbook_message())
        if report.error_count:
            return report
        if not report.rows:
            return report.file_error(_("The file has column headings but no records. Enter one record per row."))
        spool.seek(0)
        report.imported = _insert(spool, user)
        return report
    finally:
        spool.close()


def _check(plan: EvaluationPlan, file, spool, report: sheets.ImportReport) -> None:
    enterprises = sheets.enterprise_codes(plan.program)
    used = set(
        SupervisionRecord.objects.filter(application__program=plan.program)
        .exclude(reference="")
        .values_list("application_id", "kind", "reference")
        .iterator(chunk_size=5000)
    )
    kinds, severities = kind_labels(), severity_labels()
    stream = sheets.rows(file)
    header = sheets.headings_index(next(stream, (1, ()))[1])
    for heading in HEADINGS[:-1]:
        if heading not in header:
            sheets.missing_column(report, heading)
    if report.error_count:
        return
    column = {heading: header.get(heading) for heading in HEADINGS}
    for number, cells in stream:
        report.rows += 1
        before = report.error_count
        application_id = sheets.check_code(number, sheets.cell(cells, column[sheets.CODE_HEADING]), enterprises, report)
        raw_kind = sheets.text(sheets.cell(cells, column[KIND_HEADING]))
        kind = kinds.get(raw_kind.lower())
        if kind is None:
            message = _("“%(value)s” is not a kind of record. Enter one of: %(choices)s.")
            report.add(number, KIND_HEADING, message % {"value": raw_kind, "choices": _choice_list(RecordKind)})
        raw_severity = sheets.text(sheets.cell(cells, column[SEVERITY_HEADING]))
        severity = severities.get(raw_severity.lower())
        if severity is None:
            message = _("“%(value)s” is not a severity. Enter one of: %(choices)s.")
            report.add(number, SEVERITY_HEADING, message % {"value": raw_severity, "choices": _choice_list(Severity)})
        raw_date = sheets.cell(cells, column[DATE_HEADING])
        occurred_on = sheets.parse_date(raw_date)
        if occurred_on is None:
            message = _("“%(value)s” is not a date. Enter it as 2026-03-01.")
            report.add(number, DATE_HEADING, message % {"value": sheets.text(raw_date)})
        summary = sheets.text(sheets.cell(cells, column[SUMMARY_HEADING]))
        if not summary:
            report.add(number, SUMMARY_HEADING, _("Enter a short summary of the record."))
        elif len(summary) > SUMMARY_MAX:
            message = _("The summary has %(length)d characters; at most %(max)d are allowed.")
            report.add(number, SUMMARY_HEADING, message % {"length": len(summary), "max": SUMMARY_MAX})
        reference = sheets.text(sheets.cell(cells, column[REFERENCE_HEADING]))
        if len(reference) > REFERENCE_MAX:
            message = _("The file number has more than %(max)d characters.")
            report.add(number, REFERENCE_HEADING, message % {"max": REFERENCE_MAX})
        elif reference and application_id is not None and kind is not None:
            key = (application_id, kind, reference)
            if key in used:
                message = _(
                    "The file number %(number)s of this enterprise and kind has already been entered or appears twice."
                )
                report.add(number, REFERENCE_HEADING, message % {"number": reference})
            used.add(key)
        if report.error_count == before and not report.error_count:
            record = [application_id, kind, severity, occurred_on.isoformat(), summary, reference]
            spool.write(json.dumps(record, ensure_ascii=False) + "\n")


def _choice_list(choices) -> str:
    return "、".join(str(label) for label in choices.labels)


def _insert(spool, user) -> int:
    inserted = 0
    batch: list[SupervisionRecord] = []
    with transaction.atomic():
        for line in spool:
            application_id, kind, severity, occurred_on, summary, reference = json.loads(line)
            batch.append(
                SupervisionRecord(
                    application_id=application_id,
                    kind=kind,
                    severity=severity,
                    occurred_on=datetime.date.fromisoformat(occurred_on),
                    summary=summary,
                    reference=reference,
                    recorded_by=user,
                )
            )
            if len(batch) >= BATCH:
                SupervisionRecord.objects.bulk_create(batch)
                inserted += len(batch)
                batch = []
        SupervisionRecord.objects.bulk_create(batch)
        inserted += len(batch)
    return inserted
