"""The holder's renewal (申请复评 on “My titles”) and the organizer's cohort screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.models import Program
from awards.services import ApplicationError
from certificates.models import Certificate
from renewals import services
from renewals.forms import CohortEnrolForm, CohortFilterForm


@login_required
@require_POST
def renew(request, serial: str):
    # Only the holder's own account: anyone else gets a 404, which reveals nothing.
    certificate = get_object_or_404(Certificate, serial=serial, enterprise__account=request.user)
    program = get_object_or_404(Program, slug=request.POST.get("program", ""))
    try:
        application = services.renewal_start(certificate=certificate, program=program, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.messages[0])
        return redirect("my_titles")
    messages.success(
        request,
        _(
            "Your renewal application is started and prefilled from your last one: check every entry, accept the "
            "commitment letter again and submit it."
        ),
    )
    return redirect("awards:application_edit", pk=application.pk)


@requires(ORGANIZE_PROGRAMS)
def cohort(request):
    """The titles expiring within a window; one action enrols the holders of them all into a programme."""
    # The filters travel in the address, also when the enrolment is posted, so the action enrols what was listed.
    data = request.GET if "expiring_from" in request.GET else CohortFilterForm.initial_window() | request.GET.dict()
    filters = CohortFilterForm(data)
    titles = []
    if filters.is_valid():
        titles = list(services.cohort_titles(**filters.cleaned_data))
    enrol_form = CohortEnrolForm(request.POST or None)
    results = None
    if request.method == "POST" and filters.is_valid() and enrol_form.is_valid():
        try:
            results = services.cohort_enrol(
                certificates=titles, program=enrol_form.cleaned_data["target"], user=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.messages[0])
        else:
            enrolled = sum(result.outcome == services.CohortOutcome.ENROLLED for result in results)
            messages.success(request, _("%(n)d of %(total)d titles enrolled.") % {"n": enrolled, "total": len(results)})
    today = timezone.localdate()
    return render(
        request,
        "renewals/cohort.html",
        {
            "filters": filters,
            "enrol_form": enrol_form,
            "rows": [(title, title.current_status(today)) for title in titles],
            "results": results,
            "outcomes": services.CohortOutcome,
            "query": request.GET.urlencode(),
        },
    )
