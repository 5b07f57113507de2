"""The organizers' verification queue: registrations, counter-claims and changes of name, each against a licence."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards import services
from awards.models import Application, ApplicationStatus, Enterprise, EnterpriseRequest
from workflows.forms import EnterpriseRequestDecisionForm


@requires(ORGANIZE_PROGRAMS)
def enterprise_queue(request):
    """What waits for an organizer's check of a business licence, oldest first."""
    pending = EnterpriseRequest.objects.pending().select_related("enterprise", "requested_by").order_by("requested_at")
    # Enterprises that applied without sending a licence are verified at their formal check instead.
    unverified_applying = (
        Enterprise.objects.filter(verified_at__isnull=True, account__isnull=False)
        .filter(applications__status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED])
        .exclude(requests__status="pending")
        .distinct()
    )
    return render(
        request,
        "workflows/enterprise_queue.html",
        {"pending": pending, "unverified_applying": unverified_applying, "now": timezone.now()},
    )


@requires(ORGANIZE_PROGRAMS)
def enterprise_request(request, pk: int):
    item = get_object_or_404(
        EnterpriseRequest.objects.select_related("enterprise__account", "requested_by", "decided_by"), pk=pk
    )
    form = EnterpriseRequestDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_request_decide(
                request=item,
                user=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except services.ApplicationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("workflows:enterprise_queue")
    enterprise = item.enterprise
    return render(
        request,
        "workflows/enterprise_request.html",
        {
            "item": item,
            "enterprise": enterprise,
            "form": form,
            "history": enterprise.requests.exclude(pk=item.pk).select_related("requested_by", "decided_by"),
            "applications": Application.objects.filter(enterprise=enterprise).select_related("program"),
        },
    )
