from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards import services
from awards.enterprise_views import enterprise_of, verification_state
from awards.forms import ApplicationForm, AttachmentForm
from awards.history import history_seen_by
from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    Enterprise,
    Program,
    StatementSubject,
)
from awards.progress import application_progress
from awards.ratelimit import client_ip


def home(request):
    context = _open_programs_context(request.user)
    enterprise = context["enterprise"]
    context["applications"] = (
        Application.objects.filter(enterprise=enterprise).select_related("program") if enterprise else []
    )
    context["verification"] = verification_state(enterprise) if enterprise else None
    return render(request, "awards/home.html", context)


def _open_programs_context(user) -> dict:
    enterprise = _enterprise_of(user)
    applied = set(
        Application.objects.filter(enterprise=enterprise).values_list("program_id", flat=True) if enterprise else []
    )
    programs = Program.objects.open_for_applications().order_by("closes_at")
    return {"programs": programs, "enterprise": enterprise, "applied": applied}


def _enterprise_of(user) -> Enterprise | None:
    return enterprise_of(user)


def _get_application_for_user(request, pk: int) -> Application:
    """Fetch an application the user may see; anyone else gets a 404, which reveals nothing."""
    queryset = Application.objects.visible_to(request.user).select_related(
        "program", "enterprise", "enterprise__district", "enterprise__industry"
    )
    return get_object_or_404(queryset, pk=pk)


def _get_own_application(request, pk: int) -> Application:
    """Fetch an application the user applies with; only the enterprise itself may change it.

    Anyone else gets a 404, which reveals nothing, and the attempt is recorded.
    """
    application = Application.objects.select_related("program", "enterprise").filter(pk=pk).first()
    if application is None or application.enterprise.account_id != request.user.pk:
        services.permission_refusal_record(
            application_pk=pk,
            user=request.user,
            method=request.method,
            path=request.path,
            client_address=client_ip(request),
        )
        raise Http404
    return application


def program_list(request):
    return render(request, "awards/program_list.html", _open_programs_context(request.user))


@login_required
@require_POST
def application_start(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    enterprise = _enterprise_of(request.user)
    if enterprise is None:
        messages.info(request, _("Register your enterprise first."))
        return redirect("awards:enterprise_register")
    try:
        application = services.application_start(program=program, enterprise=enterprise, user=request.user)
    except services.ApplicationError as error:
        messages.error(request, error.messages[0])
        return redirect("awards:program_list")
    return redirect("awards:application_edit", pk=application.pk)


@login_required
def application_list(request):
    applications = Application.objects.filter(enterprise__account=request.user).select_related("program")
    return render(request, "awards/application_list.html", {"applications": applications})


@login_required
def application_detail(request, pk: int):
    # Called here, not imported at load: awards does not build on the apps above it.
    from evaluations.explanation import readable_trace

    application = _get_application_for_user(request, pk)
    return render(
        request,
        "awards/application_detail.html",
        {
            "application": application,
            "progress": application_progress(application),
            "attachments": application.attachments.current().select_related("uploaded_by"),
            "history": history_seen_by(request.user, application),
            "problems": services.submission_problems(application) if application.is_editable else [],
            "is_own": application.enterprise.account_id == request.user.pk,
            "return_reason": _return_reason(application),
            "result": getattr(application, "result", None),
            # A sector evaluation's result is explained source by source, as the organizer reads it.
            "evaluation": readable_trace(getattr(application, "result", None)),
            # The right to be heard (陈述申辩): proposed results the enterprise is told of, with its statements.
            "statements": application.statements.filter(subject=StatementSubject.RESULT).prefetch_related("evidence"),
        },
    )


@login_required
def application_edit(request, pk: int):
    application = _get_own_application(request, pk)
    if not application.is_editable:
        if request.method == "POST" and "submit" in request.POST:
            return _submit(request, application)  # a second submission is refused, and the refusal recorded
        messages.info(request, _("This application has been submitted and can no longer be changed."))
        return redirect("awards:application_detail", pk=pk)
    form = ApplicationForm(request.POST or None, application=application)
    if request.method != "POST":
        return _render_edit(request, application, form)
    # Uploading and removing a document are buttons of this same form: whatever was typed is saved with them.
    saved = _save_draft(request, application, form)
    if not saved and "submit" in request.POST:
        application.refresh_from_db()
        if not application.is_editable:  # a double click: the first click submitted it while this one waited
            return _submit(request, application)
    if "upload" in request.POST:
        return _upload(request, application, form, saved)
    if "remove" in request.POST:
        return _remove(request, application, form, saved)
    if not saved:
        return _render_edit(request, application, form)
    if "submit" in request.POST:
        return _submit(request, application)
    messages.success(request, _("Draft saved."))
    return redirect("awards:application_edit", pk=pk)


def _save_draft(request, application: Application, form: ApplicationForm) -> bool:
    """Save what the form holds, in its own transaction, so a refused submission or upload loses nothing."""
    if not form.is_valid():
        messages.error(
            request, _("Some entries need correcting; see the messages next to the fields. Nothing was saved yet.")
        )
        return False
    try:
        services.application_save_draft(
            application=application,
            user=request.user,
            summary=form.cleaned_data["summary"],
            commitment_accepted=form.cleaned_data["commitment_accepted"],
            assessments=form.assessments(),
        )
    except services.ApplicationError as error:
        form.add_error(None, error.messages)
        return False
    return True


def _upload(request, application: Application, form: ApplicationForm, saved: bool):
    """Add the chosen document whether or not the draft could be saved: the browser would not keep the file."""
    attachment_form = AttachmentForm(request.POST, request.FILES)
    uploaded = attachment_form.is_valid() and _add_attachment(request, application, attachment_form)
    if saved:
        messages.success(request, _("Draft saved."))
        if uploaded:
            return redirect(_attachments_anchor(application.pk))
    # The bound forms show what was typed, saved or not, next to what needs correcting.
    return _render_edit(request, application, form, attachment_form)


def _add_attachment(request, application: Application, attachment_form: AttachmentForm) -> bool:
    try:
        attachment = services.attachment_add(
            application=application,
            user=request.user,
            kind=attachment_form.cleaned_data["kind"],
            upload=attachment_form.cleaned_data["file"],
        )
    except services.ApplicationError as error:
        messages.error(request, error.messages[0])
        return False
    messages.success(request, _("“%(name)s” is uploaded.") % {"name": attachment.original_name})
    return True


def _remove(request, application: Application, form: ApplicationForm, saved: bool):
    number = request.POST["remove"]
    if not number.isdigit():
        raise Http404
    attachment = get_object_or_404(application.attachments.current(), pk=int(number))
    try:
        services.attachment_remove(attachment=attachment, user=request.user)
    except services.ApplicationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    if not saved:
        return _render_edit(request, application, form)
    messages.success(request, _("Draft saved."))
    return redirect(_attachments_anchor(application.pk))


def _submit(request, application: Application):
    # Submitting starts (or resumes) the review process, which lives in workflows, the app above this one. This is
    # the one place where awards reaches up, at call time, so that importing awards never imports the flows.
    from workflows.services import application_submit

    try:
        application_submit(application=application, user=request.user)
    except services.ApplicationError as error:
        if not application.is_editable:
            messages.error(request, error.messages[0])
            return redirect("awards:application_detail", pk=application.pk)
        messages.warning(request, _("Your draft is saved, but it was not submitted:"))
        for message in error.messages:
            messages.error(request, message)
        return redirect("awards:application_edit", pk=application.pk)
    messages.success(request, _("Submitted. The organizer will now check it for completeness."))
    return redirect("awards:application_detail", pk=application.pk)


def _render_edit(
    request, application: Application, form: ApplicationForm, attachment_form: AttachmentForm | None = None
):
    return render(
        request,
        "awards/application_form.html",
        {
            "application": application,
            "form": form,
            "attachment_form": attachment_form or AttachmentForm(),
            "attachments": application.attachments.current(),
            "progress": application_progress(application),
            "return_reason": _return_reason(application),
        },
    )


@login_required
@require_POST
def attachment_upload(request, pk: int):
    """A document alone; the application page's own Upload button goes through application_edit and saves the text."""
    application = _get_own_application(request, pk)
    attachment_form = AttachmentForm(request.POST, request.FILES)
    if attachment_form.is_valid() and _add_attachment(request, application, attachment_form):
        return redirect(_attachments_anchor(application.pk))
    return _render_edit(request, application, ApplicationForm(application=application), attachment_form)


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    # Permission follows the application: if the user cannot see it, the file does not exist for them.
    if not Application.objects.visible_to(request.user).filter(pk=attachment.application_id).exists():
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.current().select_related("application"), pk=pk, application__enterprise__account=request.user
    )
    try:
        services.attachment_remove(attachment=attachment, user=request.user)
    except services.ApplicationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    return redirect(_attachments_anchor(attachment.application_id))


def _return_reason(application: Application) -> str:
    if application.status != ApplicationStatus.RETURNED:
        return ""
    event = application.events.filter(action=ApplicationEvent.Action.RETURNED).order_by("at", "pk").last()
    return event.note if event else ""


def _attachments_anchor(application_pk: int) -> str:
    return reverse("awards:application_edit", args=[application_pk]) + "#attachments"
