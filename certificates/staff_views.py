"""Organizer screens for granted titles: the titles of a programme, one title with its supervision records and
cases, and the starting of print batches and list exports, which run as background jobs (see jobs.views)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.models import Program
from certificates import services
from certificates.exports import list_export_start
from certificates.forms import CaseOpenForm, SupervisionRecordForm
from certificates.kinds import ListFormat, ListKind, PrintKind
from certificates.models import Certificate
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


def title_page(request, certificate: Certificate, *, record_form=None, case_form=None):
    """The title with its history, records and cases, and the forms to add a record and to open a case (which the
    revocation process handles: workflows.case_views.case_start)."""
    enterprise = certificate.enterprise
    return render(
        request,
        "certificates/title_detail.html",
        {
            "certificate": certificate,
            "status": certificate.current_status(),
            "events": services.title_history(certificate),
            "records": enterprise.supervision_records.select_related("recorded_by"),
            "cases": certificate.cases.select_related("opened_by", "decided_by"),
            "record_form": record_form or SupervisionRecordForm(prefix="record"),
            "case_form": case_form or CaseOpenForm(enterprise=enterprise, prefix="case"),
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
