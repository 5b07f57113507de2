"""The organizer's supervision-record screens: the list with its deductions, one record, the Excel import.

Thin views: the rules live in evaluations.records.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.models import Application, District, Program, ProgramMode
from awards.widgets import DateInput
from evaluations import records, sheets
from evaluations.import_jobs import import_belongs_on_the_queue, import_start, large_workbook_message
from evaluations.models import EvaluationPlan, RecordKind, Severity

PAGE_SIZE = 50


class RecordFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind of record"), choices=RecordKind.choices)
    severity = django_filters.ChoiceFilter(label=gettext_lazy("Severity"), choices=Severity.choices)
    district = django_filters.ModelChoiceFilter(
        label=gettext_lazy("District"), field_name="application__enterprise__district", queryset=District.objects.all()
    )


class RecordForm(forms.Form):
    uscc = forms.CharField(label=gettext_lazy("Unified social credit code of the enterprise"), max_length=18)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of record"), choices=RecordKind.choices)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Severity.choices)
    occurred_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    summary = forms.CharField(
        label=gettext_lazy("Summary of the record"), max_length=records.SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    reference = forms.CharField(
        label=gettext_lazy("File number"),
        max_length=records.REFERENCE_MAX,
        required=False,
        help_text=gettext_lazy("Optional; unique per enterprise and kind of record."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_uscc(self) -> Application:
        code = self.cleaned_data["uscc"].strip().upper()
        application = (
            Application.objects.filter(program=self.program, enrolled=True, enterprise__uscc=code)
            .select_related("enterprise")
            .first()
        )
        if application is None:
            raise forms.ValidationError(_("No enterprise with this code is enrolled in this evaluation."))
        return application


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel workbook (.xlsx)"))


def _plan(slug: str) -> EvaluationPlan:
    return get_object_or_404(
        EvaluationPlan.objects.select_related("program"), program__slug=slug, program__mode=ProgramMode.EVALUATION
    )


def _no_plan(request, slug: str):
    get_object_or_404(Program, slug=slug, mode=ProgramMode.EVALUATION)
    messages.error(request, _("This programme has no evaluation plan yet. Set up the plan before entering records."))
    return redirect("evaluations:plan", slug=slug)


@requires(ORGANIZE_PROGRAMS)
def record_list(request, slug: str):
    plan = EvaluationPlan.objects.select_related("program").filter(program__slug=slug).first()
    if plan is None:
        return _no_plan(request, slug)
    filters = RecordFilter(request.GET or None, queryset=records.records_of(plan))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"program": plan.program, "plan": plan, "filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "evaluations/records/list.html", context)


@requires(ORGANIZE_PROGRAMS)
def record_new(request, slug: str):
    plan = EvaluationPlan.objects.select_related("program").filter(program__slug=slug).first()
    if plan is None:
        return _no_plan(request, slug)
    form = RecordForm(request.POST or None, program=plan.program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            records.record_create(
                application=data["uscc"],
                kind=data["kind"],
                severity=data["severity"],
                occurred_on=data["occurred_on"],
                summary=data["summary"],
                reference=data["reference"],
                user=request.user,
            )
        except records.RecordError as error:
            form.add_error("reference", str(error))
        else:
            messages.success(request, _("The record is saved."))
            return redirect("evaluations:records", slug=slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluations/records/new.html", {"program": plan.program, "form": form}, status=status)


@requires(ORGANIZE_PROGRAMS)
def record_template(request, slug: str):
    plan = _plan(slug)
    response = HttpResponse(records.records_template(), content_type=sheets.XLSX)
    response["Content-Disposition"] = f'attachment; filename="supervision-records-{plan.program.slug}.xlsx"'
    return response


@requires(ORGANIZE_PROGRAMS)
def record_import(request, slug: str):
    plan = EvaluationPlan.objects.select_related("program").filter(program__slug=slug).first()
    if plan is None:
        return _no_plan(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid() and import_belongs_on_the_queue(form.cleaned_data["file"]):
        job = import_start(importer="records", plan=plan, upload=form.cleaned_data["file"], user=request.user)
        messages.info(request, large_workbook_message())
        return redirect("jobs:detail", pk=job.pk)
    if request.method == "POST" and form.is_valid():
        report = records.records_import(plan=plan, file=form.cleaned_data["file"], user=request.user)
        if not report.error_count:
            messages.success(request, _("%(count)d records imported.") % {"count": report.imported})
            return redirect("evaluations:records", slug=slug)
        status = 400
    elif request.method == "POST":
        status = 400
    context = {"program": plan.program, "form": form, "report": report}
    return render(request, "evaluations/records/import.html", context, status=status)
