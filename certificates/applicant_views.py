"""The enterprise's own pages for its titles: status, what to share of them, and its side of a revocation case."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from awards.forms import StatementForm as CaseResponseForm
from awards.ratelimit import allow
from certificates import services
from certificates.models import Certificate, RevocationCase
from credentials import images

# Each download renders the certificate afresh (about a second of work): enough for any holder, not for a loop.
DOWNLOADS_PER_MINUTE = 20


class StatementForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your statement"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


@login_required
def my_titles(request):
    certificates = (
        Certificate.objects.filter(enterprise__account=request.user)
        .select_related("program")
        .prefetch_related("cases__statement__evidence")
        .order_by("-valid_from")
    )
    today = timezone.localdate()
    rows = []
    for certificate in certificates:
        status = certificate.current_status(today)
        refusal = images.share_refusal(certificate, status)
        snippet = "" if refusal else images.badge_snippet(certificate, status)
        rows.append((certificate, status, refusal, snippet))
    return render(
        request,
        "certificates/my_titles.html",
        {
            "rows": rows,
            "form": StatementForm(),
            "response_form": CaseResponseForm(),
            "now": timezone.now(),
        },
    )


def _own_title(request, serial: str) -> Certificate:
    """One of the enterprise's own titles; anyone else's does not exist for it."""
    return get_object_or_404(
        Certificate.objects.select_related("program"), serial=serial, enterprise__account=request.user
    )


def _share(request, serial: str, render_file, *, filename: str, content_type: str, as_attachment: bool):
    """A fresh file of one of the enterprise's own titles, or its refusal on My titles."""
    certificate = _own_title(request, serial)
    refusal = images.share_refusal(certificate, certificate.current_status())
    if refusal:
        messages.error(request, refusal)
        return redirect("my_titles")
    if not allow(f"certificate-download:{request.user.pk}", limit=DOWNLOADS_PER_MINUTE, window_seconds=60):
        messages.error(request, _("Too many downloads in a minute. Please wait a minute and try again."))
        return redirect("my_titles")
    response = FileResponse(
        io.BytesIO(render_file(certificate)),
        as_attachment=as_attachment,
        filename=filename.format(serial=certificate.serial),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not as_attachment:
        # Shown by the browser's own image viewer, whose page centres the picture with an inline style.
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@login_required
@require_safe
def certificate_pdf(request, serial: str) -> HttpResponse:
    """The certificate of one of the enterprise's titles as a PDF signed by the issuing body."""
    from credentials.pdf_signing import signed_certificate_pdf

    return _share(
        request,
        serial,
        signed_certificate_pdf,
        filename="{serial}.pdf",
        content_type="application/pdf",
        as_attachment=True,
    )


@login_required
@require_safe
def certificate_png(request, serial: str) -> HttpResponse:
    """The certificate as a picture under 200 KB, for chat apps where a PDF does not open; shown, not downloaded,
    so that a phone's browser lets the holder keep or forward it."""
    return _share(
        request, serial, images.certificate_png, filename="{serial}.png", content_type="image/png", as_attachment=False
    )


def _own_case(request, pk: int) -> RevocationCase:
    return get_object_or_404(RevocationCase, pk=pk, certificate__enterprise__account=request.user)


@login_required
@require_POST
def case_respond(request, pk: int):
    """The enterprise's statement (陈述申辩) on the case, with evidence; refusals are shown at the top of the page."""
    case = _own_case(request, pk)
    form = CaseResponseForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("my_titles")
    try:
        services.case_respond(
            case=case, response=form.cleaned_data["text"], user=request.user, evidence=form.cleaned_data["evidence"]
        )
    except services.CaseError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your response is recorded."))
    return redirect("my_titles")


@login_required
@require_POST
def case_appeal(request, pk: int):
    return _statement(request, _own_case(request, pk), services.case_appeal, "appeal", _("Your appeal is recorded."))


def _statement(request, case, action, keyword: str, success: str):
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            action(case=case, **{keyword: form.cleaned_data["text"]})
        except services.CaseError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, success)
    else:
        messages.error(request, _("Write your statement before sending it."))
    return redirect("my_titles")
