"""Organizer pages for granted titles: supervision records, revocation cases, print jobs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awards.models import Program
from certificates import services as certificate_services
from certificates.models import Certificate, PrintJob, SupervisionKind, SupervisionRecord
from workflows.forms import DateInput
from workflows.services import case_open
from workflows.views import staff_required

ORGANIZE = "awards.organize_programs"


class SupervisionRecordForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SupervisionKind.choices)
    occurred_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    summary = forms.CharField(
        label=gettext_lazy("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=gettext_lazy("Source"), max_length=200, required=False)


class CaseOpenForm(forms.Form):
    grounds = forms.CharField(label=gettext_lazy("Grounds"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    records = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Supervision records the case rests on"),
        queryset=SupervisionRecord.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    response_days = forms.IntegerField(
        label=gettext_lazy("Days for the enterprise's response"),
        min_value=1,
        max_value=60,
        initial=certificate_services.CASE_RESPONSE_DAYS,
    )

    def __init__(self, *args, enterprise, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = SupervisionRecord.objects.filter(enterprise=enterprise)


@staff_required
@permission_required(ORGANIZE, raise_exception=True)
def titles(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    certificates = program.certificates.select_related("enterprise__district").order_by(
        "enterprise__district__code", "serial"
    )
    today = timezone.localdate()
    rows = [(certificate, certificate.current_status(today)) for certificate in certificates]
    return render(
        request,
        "workflows/titles.html",
        {"program": program, "rows": rows, "jobs": program.print_jobs.select_related("requested_by")[:10]},
    )


@staff_required
@permission_required(ORGANIZE, raise_exception=True)
def title_detail(request, serial: str):
    certificate = get_object_or_404(Certificate.objects.select_related("enterprise", "program"), serial=serial)
    enterprise = certificate.enterprise
    record_form = SupervisionRecordForm(request.POST if "record" in request.POST else None, prefix="record")
    case_form = CaseOpenForm(request.POST if "case" in request.POST else None, enterprise=enterprise, prefix="case")
    if request.method == "POST" and "record" in request.POST and record_form.is_valid():
        try:
            certificate_services.supervision_record_add(
                enterprise=enterprise, user=request.user, **record_form.cleaned_data
            )
        except certificate_services.CaseError as error:
            record_form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The supervision record is saved."))
            return redirect("workflows:title", serial=serial)
    if request.method == "POST" and "case" in request.POST and case_form.is_valid():
        try:
            case_open(certificate=certificate, user=request.user, **case_form.cleaned_data)
        except certificate_services.CaseError as error:
            case_form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The case is opened and the title is suspended."))
            return redirect("workflows:title", serial=serial)
    return render(
        request,
        "workflows/title_detail.html",
        {
            "certificate": certificate,
            "status": certificate.current_status(),
            "events": certificate_services.title_history(certificate),
            "records": enterprise.supervision_records.select_related("recorded_by"),
            "cases": certificate.cases.select_related("opened_by", "decided_by"),
            "record_form": record_form,
            "case_form": case_form,
        },
    )


@staff_required
@permission_required(ORGANIZE, raise_exception=True)
@require_POST
def print_start(request, slug: str):
    from certificates.printing import print_job_start

    program = get_object_or_404(Program, slug=slug)
    kind = request.POST.get("kind", "certificate")
    if kind not in ("certificate", "plaque"):
        raise Http404
    if not program.certificates.exists():
        messages.error(request, _("No title of this programme has been granted yet."))
        return redirect("workflows:titles", slug=slug)
    job = print_job_start(program=program, kind=kind, user=request.user)
    return redirect("workflows:print_job", pk=job.pk)


@staff_required
@permission_required(ORGANIZE, raise_exception=True)
def print_job(request, pk: int):
    job = get_object_or_404(PrintJob.objects.select_related("program"), pk=pk)
    return render(request, "workflows/print_job.html", {"job": job})


@staff_required
@permission_required(ORGANIZE, raise_exception=True)
def print_job_download(request, pk: int):
    job = get_object_or_404(PrintJob, pk=pk, status="done")
    name = f"{job.program.slug}-{job.kind}.pdf"
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
