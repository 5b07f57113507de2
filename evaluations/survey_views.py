"""Screens of the questionnaire survey: the public questionnaire of one enterprise, and the organizer's screens
for the questions, the links and QR codes, the counts, and the paper questionnaires from Excel."""

from __future__ import annotations

import io
import zipfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.ratelimit import allow, client_ip, too_many_requests
from evaluations import survey
from evaluations.import_jobs import import_belongs_on_the_queue, import_start, large_workbook_message
from evaluations.models import Aspect, EvaluationPlan, SurveyQuestion
from evaluations.paper_import import paper_import, paper_template

organizer_required = requires(ORGANIZE_PROGRAMS)
ANSWERS_PER_HOUR = 60  # per client address: a shop's customers may share one Wi-Fi
ENTERPRISES_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SCALE = (
    ("5", gettext_lazy("Very satisfied")),
    ("4", gettext_lazy("Satisfied")),
    ("3", gettext_lazy("Neutral")),
    ("2", gettext_lazy("Dissatisfied")),
    ("1", gettext_lazy("Very dissatisfied")),
)


class QuestionnaireForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Your mobile number (optional)"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Only used to make sure each person answers once; the number itself is not stored."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=SCALE,
                widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Choose one answer.")},
            )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        try:
            return survey.normalise_phone(phone)
        except survey.SurveyError as error:
            raise forms.ValidationError(error.message) from None

    def answers(self) -> dict[int, int]:
        return {question.pk: int(self.cleaned_data[f"q{question.pk}"]) for question in self.questions}

    def groups(self) -> list[tuple[Aspect, list]]:
        grouped: dict[int, tuple[Aspect, list]] = {}
        for question in self.questions:
            grouped.setdefault(question.aspect_id, (question.aspect, []))[1].append(self[f"q{question.pk}"])
        return list(grouped.values())


class QuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Question"), max_length=300)


class PaperUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel workbook (.xlsx)"))


# The public questionnaire ------------------------------------------------------------------------------------------


def _application_or_404(token: str):
    application = survey.application_for_token(token)
    if application is None or not hasattr(application.program, "evaluation_plan"):
        raise Http404(_("There is no questionnaire at this address. Scan the QR code again."))
    return application


def _with_device(request, response: HttpResponse, device_id: str) -> HttpResponse:
    if request.COOKIES.get(survey.DEVICE_COOKIE) != device_id:
        response.set_cookie(
            survey.DEVICE_COOKIE,
            device_id,
            max_age=survey.DEVICE_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def questionnaire(request, token: str):
    application = _application_or_404(token)
    plan = application.program.evaluation_plan
    device_id = request.COOKIES.get(survey.DEVICE_COOKIE) or survey.new_device_id()
    questions = list(survey.plan_questions(plan))
    context = {"application": application, "plan": plan, "state": survey.survey_state(plan)}
    if not questions and context["state"] == survey.SurveyState.OPEN:
        context["state"] = survey.SurveyState.NOT_YET  # the organizer has not set the questions yet
    if context["state"] != survey.SurveyState.OPEN:
        return render(request, "evaluations/survey/closed.html", context)
    if survey.device_has_answered(application, device_id):
        return render(request, "evaluations/survey/answered.html", context)
    form = QuestionnaireForm(request.POST if request.method == "POST" else None, questions=questions)
    status = 200
    if request.method == "POST":
        if not allow(f"survey:{client_ip(request)}", limit=ANSWERS_PER_HOUR, window_seconds=3600):
            message = _("Too many answers from your network in the last hour. Please try again later.")
            return too_many_requests(request, message, retry_after=3600)
        if form.is_valid():
            try:
                survey.survey_submit(
                    application=application,
                    answers=form.answers(),
                    device_id=device_id,
                    phone=form.cleaned_data["phone"],
                )
            except survey.SurveyError as error:
                context["refusal"] = error.message
                return _with_device(
                    request, render(request, "evaluations/survey/answered.html", context, status=409), device_id
                )
            response = render(request, "evaluations/survey/thanks.html", context)
            return _with_device(request, response, device_id)
        status = 400
    context.update(form=form, questions=questions)
    return _with_device(
        request, render(request, "evaluations/survey/questionnaire.html", context, status=status), device_id
    )


# The organizer's screens -------------------------------------------------------------------------------------------


def _plan(slug: str) -> EvaluationPlan:
    return get_object_or_404(EvaluationPlan.objects.select_related("program"), program__slug=slug)


@organizer_required
def questions(request, slug: str):
    plan = _plan(slug)
    if request.method == "POST":
        if request.POST.get("action") == "defaults":
            created = survey.survey_questions_default(plan)
            messages.success(request, _("%(count)d default questions added.") % {"count": len(created)})
            return redirect("evaluations:survey_questions", slug=slug)
        aspect = get_object_or_404(Aspect, plan=plan, pk=request.POST.get("aspect"))
        form = QuestionForm(request.POST)
        if form.is_valid():
            survey.question_add(aspect=aspect, text=form.cleaned_data["text"])
            messages.success(request, _("The question is added."))
            return redirect("evaluations:survey_questions", slug=slug)
        messages.error(request, _("Enter the question (at most 300 characters)."))
    aspects = plan.aspects.prefetch_related("questions")
    return render(request, "evaluations/survey/questions.html", {"plan": plan, "aspects": aspects})


@require_POST
@organizer_required
def question_edit(request, slug: str, pk: int):
    plan = _plan(slug)
    question = get_object_or_404(SurveyQuestion, pk=pk, aspect__plan=plan)
    try:
        if request.POST.get("action") == "remove":
            survey.question_remove(question=question)
            messages.success(request, _("The question is removed."))
        else:
            form = QuestionForm(request.POST)
            if not form.is_valid():
                raise survey.SurveyError(_("Enter the question (at most 300 characters)."))
            survey.question_change(question=question, text=form.cleaned_data["text"])
            messages.success(request, _("The question is changed."))
    except survey.SurveyError as error:
        messages.error(request, error.message)
    return redirect("evaluations:survey_questions", slug=slug)


@organizer_required
def enterprises(request, slug: str):
    plan = _plan(slug)
    page = _page(request, plan)
    samples = survey.survey_samples(plan, page.object_list)
    return render(
        request,
        "evaluations/survey/enterprises.html",
        {"plan": plan, "page": page, "samples": samples, "search": request.GET.get("q", "")},
    )


def _page(request, plan: EvaluationPlan):
    """One page of the enterprise list, as the organizer sees it (with their search)."""
    applications = survey.enrolled_applications(plan.program, request.GET.get("q", ""))
    return Paginator(applications, ENTERPRISES_PER_PAGE).get_page(request.GET.get("page"))


def _qr(application) -> object:
    import segno

    return segno.make(survey.survey_url(application), error="m")


@organizer_required
def qr_code(request, slug: str, pk: int, fmt: str):
    if fmt not in ("png", "svg"):
        raise Http404
    plan = _plan(slug)
    application = get_object_or_404(survey.enrolled_applications(plan.program), pk=pk)
    buffer = io.BytesIO()
    if fmt == "png":
        _qr(application).save(buffer, kind="png", scale=10, border=2)
        content_type = "image/png"
    else:
        _qr(application).save(buffer, kind="svg", scale=10, border=2)
        content_type = "image/svg+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="survey-{application.enterprise.uscc}.{fmt}"'
    return response


@organizer_required
def qr_zip(request, slug: str):
    """The QR codes (PNG) of one page of enterprises, named by code and name, in one zip."""
    plan = _plan(slug)
    page = _page(request, plan)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for application in page.object_list:
            image = io.BytesIO()
            _qr(application).save(image, kind="png", scale=10, border=2)
            name = f"{application.enterprise.uscc}-{application.enterprise.name}.png".replace("/", "_")
            archive.writestr(name, image.getvalue())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="survey-qr-{plan.program.slug}-{page.number}.zip"'
    return response


@organizer_required
def qr_posters(request, slug: str):
    """One A4 poster per enterprise of one page of the list, with its QR code, as one PDF to print."""
    from certificates.pdf import qr_svg
    from certificates.pdf_base import MONO_FONT, SANS_FONT, PDFUnavailable, html_to_pdf

    plan = _plan(slug)
    page = _page(request, plan)
    posters = [
        {"name": application.enterprise.name, "url": url, "qr": qr_svg(url)}
        for application in page.object_list
        for url in [survey.survey_url(application)]
    ]
    html = render_to_string(
        "evaluations/pdf/survey_posters.html", {"plan": plan, "posters": posters, "font": SANS_FONT, "mono": MONO_FONT}
    )
    try:
        pdf = html_to_pdf(html)
    except PDFUnavailable:
        messages.error(
            request, _("The PDF cannot be printed on this server at the moment. Download the PNG codes instead.")
        )
        return redirect("evaluations:survey_enterprises", slug=slug)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-posters-{plan.program.slug}-{page.number}.pdf"'
    return response


@organizer_required
def paper_template_download(request, slug: str):
    plan = _plan(slug)
    response = HttpResponse(paper_template(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="paper-questionnaires-{plan.program.slug}.xlsx"'
    return response


@organizer_required
def paper_upload(request, slug: str):
    plan = _plan(slug)
    form = PaperUploadForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid() and import_belongs_on_the_queue(form.cleaned_data["file"]):
        job = import_start(importer="paper", plan=plan, upload=form.cleaned_data["file"], user=request.user)
        messages.info(request, large_workbook_message())
        return redirect("jobs:detail", pk=job.pk)
    if request.method == "POST" and form.is_valid():
        report = paper_import(plan=plan, file=form.cleaned_data["file"], user=request.user)
        if not report.error_count:
            messages.success(request, _("%(count)d paper questionnaires imported.") % {"count": report.imported})
            return redirect("evaluations:survey_enterprises", slug=slug)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request, "evaluations/survey/paper.html", {"plan": plan, "form": form, "report": report}, status=status
    )
