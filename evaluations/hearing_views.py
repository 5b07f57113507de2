"""The organizer's hearing screens: the list, a new hearing with its panel, the hearing's page with the enterprises
heard and the minutes, the score grid of one enterprise, and the Excel import of scores.

Thin views: the rules live in evaluations.hearings.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.models import Application, Program, ProgramMode
from awards.widgets import DateInput
from evaluations import hearings, sheets
from evaluations.models import HearingSession, PanelRole

PANEL_ROWS = 7


class HearingForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date of the hearing"), widget=DateInput)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)


class PanelistForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Panel member"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"aria-label": gettext_lazy("Panel member")}),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[("", "—"), *PanelRole.choices],
        required=False,
        widget=forms.Select(attrs={"aria-label": gettext_lazy("Role")}),
    )

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("role"):
            self.add_error("role", _("Choose the role of this panel member."))
        return data


PanelFormSet = forms.formset_factory(PanelistForm, extra=PANEL_ROWS, max_num=30)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))


def _program(slug: str) -> Program:
    return get_object_or_404(Program, slug=slug, mode=ProgramMode.EVALUATION)


def _session(slug: str, pk: int) -> HearingSession:
    return get_object_or_404(HearingSession.objects.select_related("program"), pk=pk, program__slug=slug)


@requires(ORGANIZE_PROGRAMS)
def hearing_list(request, slug: str):
    program = _program(slug)
    context = {
        "program": program,
        "has_plan": hasattr(program, "evaluation_plan"),
        "sessions": hearings.sessions_of(program),
    }
    return render(request, "evaluations/hearings/list.html", context)


@requires(ORGANIZE_PROGRAMS)
def hearing_new(request, slug: str):
    program = _program(slug)
    form = HearingForm(request.POST or None)
    panel = PanelFormSet(request.POST or None, prefix="panel")
    if request.method == "POST" and form.is_valid() and panel.is_valid():
        try:
            session = hearings.hearing_create(
                program=program,
                held_on=form.cleaned_data["held_on"],
                place=form.cleaned_data["place"],
                panelists=[(f.cleaned_data.get("name", ""), f.cleaned_data.get("role", "")) for f in panel.forms],
                user=request.user,
            )
        except hearings.HearingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The hearing is created. Now choose the enterprises heard and enter the scores.")
            )
            return redirect("evaluations:hearing", slug=slug, pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "evaluations/hearings/new.html", {"program": program, "form": form, "panel": panel}, status=status
    )


@requires(ORGANIZE_PROGRAMS)
def hearing_detail(request, slug: str, pk: int):
    session = _session(slug, pk)
    search = request.GET.get("q", "").strip()
    context = {
        "program": session.program,
        "session": session,
        "panel": session.panelists.all(),
        "heard": hearings.heard(session),
        "search": search,
        "found": hearings.enterprise_search(session.program, search) if search else None,
        "minutes_form": UploadForm(),
    }
    return render(request, "evaluations/hearings/detail.html", context)


@requires(ORGANIZE_PROGRAMS)
@require_POST
def hearing_minutes_upload(request, slug: str, pk: int):
    session = _session(slug, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the minutes (PDF) to upload."))
    else:
        try:
            hearings.minutes_attach(session=session, upload=form.cleaned_data["file"])
        except hearings.HearingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The minutes are uploaded."))
    return redirect("evaluations:hearing", slug=slug, pk=pk)


@requires(ORGANIZE_PROGRAMS)
def hearing_minutes(request, slug: str, pk: int):
    """The minutes, for organizers only: the private storage is never served directly."""
    session = _session(slug, pk)
    if not session.minutes:
        raise Http404
    response = FileResponse(
        session.minutes.open("rb"),
        as_attachment=True,
        filename=session.minutes_name or "minutes.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(ORGANIZE_PROGRAMS)
def hearing_scores(request, slug: str, pk: int, application: int):
    """The grid of one enterprise heard: panel members × aspects, each a score from 0 to 100."""
    session = _session(slug, pk)
    enterprise = get_object_or_404(
        Application.objects.select_related("enterprise"), pk=application, program=session.program, enrolled=True
    )
    try:
        aspects = hearings.aspects_of(session.program)
    except hearings.HearingError as error:
        messages.error(request, str(error))
        return redirect("evaluations:hearing", slug=slug, pk=pk)
    panel = list(session.panelists.all())
    stored = hearings.score_grid(session, enterprise)
    fields = {
        f"s_{p.pk}_{a.pk}": forms.DecimalField(
            label=f"{p.name} · {a.title}",
            min_value=0,
            max_value=100,
            max_digits=5,
            decimal_places=2,
            initial=stored.get((p.pk, a.pk)),
            widget=forms.NumberInput(
                attrs={
                    "step": "0.01",
                    "min": "0",
                    "max": "100",
                    "class": "score",
                    "aria-label": f"{p.name} · {a.title}",
                }
            ),
        )
        for p in panel
        for a in aspects
    }
    form = type("ScoreGridForm", (forms.Form,), fields)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grid = {(p.pk, a.pk): Decimal(form.cleaned_data[f"s_{p.pk}_{a.pk}"]) for p in panel for a in aspects}
        try:
            hearings.scores_save(session=session, application=enterprise, grid=grid)
        except hearings.HearingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The scores of %(name)s are saved.") % {"name": enterprise.enterprise.name})
            return redirect("evaluations:hearing", slug=slug, pk=pk)
    rows = [(p, [form[f"s_{p.pk}_{a.pk}"] for a in aspects]) for p in panel]
    context = {
        "program": session.program,
        "session": session,
        "application": enterprise,
        "aspects": aspects,
        "rows": rows,
        "form": form,
    }
    return render(request, "evaluations/hearings/scores.html", context, status=400 if request.method == "POST" else 200)


@requires(ORGANIZE_PROGRAMS)
def hearing_template(request, slug: str, pk: int):
    session = _session(slug, pk)
    try:
        content = hearings.hearing_template(session)
    except hearings.HearingError as error:
        messages.error(request, str(error))
        return redirect("evaluations:hearing", slug=slug, pk=pk)
    response = HttpResponse(content, content_type=sheets.XLSX)
    response["Content-Disposition"] = f'attachment; filename="hearing-scores-{session.pk}.xlsx"'
    return response


@requires(ORGANIZE_PROGRAMS)
def hearing_import(request, slug: str, pk: int):
    session = _session(slug, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = hearings.hearing_import(session=session, file=form.cleaned_data["file"])
        except hearings.HearingError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            if not report.error_count:
                messages.success(request, _("%(count)d scores imported.") % {"count": report.imported})
                return redirect("evaluations:hearing", slug=slug, pk=pk)
            status = 400
    elif request.method == "POST":
        status = 400
    context = {"program": session.program, "session": session, "form": form, "report": report}
    return render(request, "evaluations/hearings/import.html", context, status=status)
