"""Organizer screens for granted titles: the titles of a programme, one title with its supervision records and
cases, and the starting of print batches and list exports, which run as background jobs (see jobs.views)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.models import Program
from certificates import services, visits
from certificates.exports import list_export_start
from certificates.forms import CaseOpenForm, CommitmentsForm, SupervisionRecordForm, VisitCaseForm, VisitForm
from certificates.kinds import ListFormat, ListKind, PrintKind
from certificates.models import Certificate, CertificateStatus, VisitAttachment
from certificates.pdf_base import harfbuzz_subset_available
from certificates.printing import print_job_start
from jobs.models import Job

organizer_required = requires(ORGANIZE_PROGRAMS)


@organizer_required
def titles(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    certificates = program.certificates.select_related("enterprise__district").order_by(
        "enterprise__district__code", "serial"
    )
    today = timezone.localdate()
    rows = [(certificate, certificate.current_status(today)) for certificate in certificates]
    jobs = Job.objects.filter(program=program).select_related("requested_by")[:10]
    return render(
        request,
        "certificates/titles.html",
        {"program": program, "rows": rows, "jobs": jobs, "formats": ListFormat, "lists": ListKind},
    )


@organizer_required
def title_detail(request, serial: str):
    certificate = get_object_or_404(Certificate.objects.select_related("enterprise", "program"), serial=serial)
    record_form = SupervisionRecordForm(request.POST if request.method == "POST" else None, prefix="record")
    if request.method == "POST" and record_form.is_valid():
        try:
            services.supervision_record_add(
                enterprise=certificate.enterprise, user=request.user, **record_form.cleaned_data
            )
        except services.CaseError as error:
            record_form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The supervision record is saved."))
            return redirect("certificates:title", serial=serial)
    return title_page(request, certificate, record_form=record_form)


def title_page(request, certificate: Certificate, *, record_form=None, case_form=None, **followup_forms):
    """The title with its history, records and cases, and the forms to add a record and to open a case (which the
    revocation process handles: workflows.case_views.case_start); its commitments and visits (`_followup`)."""
    enterprise = certificate.enterprise
    return render(
        request,
        "certificates/title_detail.html",
        {
            "certificate": certificate,
            "status": certificate.current_status(),
            "events": visits.title_history(certificate),
            "records": enterprise.supervision_records.select_related("recorded_by"),
            "cases": certificate.cases.select_related("opened_by", "decided_by"),
            "record_form": record_form or SupervisionRecordForm(prefix="record"),
            "case_form": case_form or CaseOpenForm(enterprise=enterprise, prefix="case"),
            **_followup(certificate, **followup_forms),
        },
    )


@require_POST
@organizer_required
def print_start(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    try:
        kind = PrintKind(request.POST.get("kind", PrintKind.CERTIFICATE))
    except ValueError:
        raise Http404 from None
    if not program.certificates.exists():
        messages.error(request, _("No title of this programme has been granted yet."))
        return redirect("certificates:titles", slug=slug)
    job = print_job_start(program=program, kind=kind, user=request.user)
    return redirect("jobs:detail", pk=job.pk)


@require_POST
@organizer_required
def export_start(request, slug: str, fmt: str):
    """Start the export of the published list; a posted list=exposure asks for the exposure list."""
    try:
        fmt = ListFormat(fmt)
        which = ListKind(request.POST.get("list", ListKind.HONOURS))
    except ValueError:
        raise Http404(_("There is no such list to download.")) from None
    program = get_object_or_404(Program, slug=slug)
    if fmt == ListFormat.PDF and not harfbuzz_subset_available():
        messages.error(
            request, _("The PDF cannot be printed on this server at the moment. Download the xlsx or CSV list instead.")
        )
        return redirect("certificates:titles", slug=slug)
    job = list_export_start(program=program, fmt=fmt, which=which, user=request.user)
    return redirect("jobs:detail", pk=job.pk)


# Follow-up visits: the title's published commitments, the visits that check them, and their files.


def _followup(certificate: Certificate, *, commitment_form=None, visit_form=None, case_forms=None) -> dict:
    """The title page's commitments and visits, with a form to open a case beside each failed visit that may."""
    visit_list = list(
        certificate.visits.select_related("recorded_by", "case").prefetch_related("commitments", "attachments")
    )
    # As for a case opened on the title's page: a title in force, or granted and not yet in force.
    may_open_case = certificate.current_status() in (CertificateStatus.VALID, CertificateStatus.PENDING)
    case_forms = case_forms or {}
    for visit in visit_list:
        visit.case_form = None
        if may_open_case and not visit.passed and not visit.case_id:
            visit.case_form = case_forms.get(visit.pk) or VisitCaseForm(
                initial={"grounds": visits.visit_case_grounds(visit)}, prefix=f"visit-{visit.pk}"
            )
    return {
        "commitments": certificate.commitments.published(),
        "visits": visit_list,
        "commitment_form": commitment_form
        or CommitmentsForm(initial={"commitments": "\n".join(visits.commitments_suggested(certificate))}),
        "visit_form": visit_form or VisitForm(certificate=certificate, prefix="visit"),
    }


def _add_error(form, error: services.CaseError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.messages[0])


@require_POST
@organizer_required
def commitments_edit(request, serial: str):
    certificate = get_object_or_404(Certificate.objects.select_related("enterprise", "program"), serial=serial)
    form = CommitmentsForm(request.POST)
    if form.is_valid():
        try:
            visits.commitments_publish(
                certificate=certificate,
                user=request.user,
                texts=form.cleaned_data["commitments"].splitlines(),
                reason=form.cleaned_data["reason"],
            )
        except services.CaseError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The service commitments are published with the title."))
            return redirect("certificates:title", serial=serial)
    return title_page(request, certificate, commitment_form=form)


@require_POST
@organizer_required
def visit_add(request, serial: str):
    certificate = get_object_or_404(Certificate.objects.select_related("enterprise", "program"), serial=serial)
    form = VisitForm(request.POST, request.FILES, certificate=certificate, prefix="visit")
    if form.is_valid():
        try:
            visits.visit_record(certificate=certificate, user=request.user, **form.cleaned_data)
        except services.CaseError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("certificates:title", serial=serial)
    return title_page(request, certificate, visit_form=form)


@organizer_required
def visit_attachment(request, pk: int):
    """A visit's photo or document, for organizers only: the private storage is never served directly."""
    attachment = get_object_or_404(VisitAttachment, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
