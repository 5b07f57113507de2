"""Credit repair (信用修复) screens: the enterprise's request, the organizer's queue and decision, the evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.permissions import ORGANIZE_PROGRAMS, has_any, requires
from awards.services import ApplicationError
from evaluations.forms import ExposureClassForm, RepairDecisionForm, RepairRequestForm
from evaluations.models import ExposureEntry, RepairOutcome, RepairRequest
from evaluations.repair import (
    PLEDGE_TEXT,
    exposure_entry_classify,
    repair_decide,
    repair_queue,
    repair_refusal,
    repair_request_file,
)


def _get_own_entry(request: HttpRequest, pk: int) -> ExposureEntry:
    """The exposure entry of the user's own application; anyone else's does not exist for them."""
    return get_object_or_404(
        ExposureEntry.objects.select_related("application__program", "application__enterprise"),
        application__pk=pk,
        application__enterprise__account=request.user,
    )


@login_required
def repair_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise asks for credit repair of its entry, from its application page."""
    entry = _get_own_entry(request, pk)
    refusal = repair_refusal(entry)
    form = RepairRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            repair_request_file(
                entry=entry,
                user=request.user,
                correction=form.cleaned_data["correction"],
                evidence=form.cleaned_data["evidence"],
                pledge_affirmed=form.cleaned_data["pledge_affirmed"],
            )
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request for credit repair has been received."))
            return redirect("awards:application_detail", pk=pk)
    context = {"entry": entry, "application": entry.application, "refusal": refusal, "form": form}
    return render(request, "evaluations/repair/request.html", context | {"pledge": PLEDGE_TEXT})


@require_safe
@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence of a repair request, for the organizers and the enterprise that sent it."""
    repair = get_object_or_404(RepairRequest.objects.select_related("entry__application__enterprise"), pk=pk)
    if not (
        has_any(request.user, ORGANIZE_PROGRAMS) or repair.entry.application.enterprise.account_id == request.user.pk
    ):
        raise Http404
    response = FileResponse(
        repair.evidence.open("rb"), as_attachment=True, filename=repair.evidence_name, content_type=repair.evidence_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(ORGANIZE_PROGRAMS)
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Requests for credit repair awaiting a decision, with the day each is due; overdue ones first and marked."""
    today = timezone.localdate()
    displayed = (
        ExposureEntry.objects.displayed(today)
        .select_related("application__enterprise", "application__program")
        .order_by("repair_from", "pk")
    )
    context = {"requests": repair_queue()[:200], "entries": displayed[:200], "today": today}
    return render(request, "evaluations/repair/queue.html", context)


@requires(ORGANIZE_PROGRAMS)
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One exposure entry: its class and period, the pending request with its evidence, the decision, the history."""
    entry = get_object_or_404(
        ExposureEntry.objects.select_related("application__program", "application__enterprise"), pk=pk
    )
    pending = entry.repair_requests.filter(outcome=RepairOutcome.PENDING).first()
    decision = RepairDecisionForm(request.POST if "decide" in request.POST else None, prefix="decision")
    classify = ExposureClassForm(
        request.POST if "classify" in request.POST else None,
        prefix="class",
        initial={"credit_class": entry.credit_class, "months": entry.display_months},
    )
    if request.method == "POST":
        done = None
        try:
            if "decide" in request.POST and pending is not None and decision.is_valid():
                repair_decide(request=pending, user=request.user, **decision.cleaned_data)
                done = _("The decision is recorded.")
            elif "classify" in request.POST and classify.is_valid():
                exposure_entry_classify(entry=entry, user=request.user, **classify.cleaned_data)
                done = _("The class and the display period are recorded.")
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
        if done:
            messages.success(request, done)
            return redirect("evaluations:repair_entry", pk=entry.pk)
    context = {
        "entry": entry,
        "pending": pending,
        "decision": decision,
        "classify": classify,
        "displayed": entry.is_displayed(),
        "today": timezone.localdate(),
        "requests": entry.repair_requests.select_related("submitted_by", "decided_by"),
        "events": entry.events.select_related("actor"),
    }
    return render(request, "evaluations/repair/entry.html", context)
