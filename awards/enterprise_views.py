"""The applicant's enterprise: registering it, its verification, a counter-claim and a change of name."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ORGANIZE_PROGRAMS, has_any
from awards import services
from awards.forms import CounterClaimForm, EnterpriseForm, LicenceForm, NameChangeForm
from awards.models import Enterprise, EnterpriseRequest, EnterpriseRequestKind


def enterprise_of(user) -> Enterprise | None:
    if not user.is_authenticated:
        return None
    return Enterprise.objects.filter(account=user).select_related("district", "industry").first()


def verification_state(enterprise: Enterprise) -> dict:
    """Where the enterprise's identity stands, in the words the applicant reads on every page about it."""
    pending = {request.kind for request in enterprise.requests.pending()}
    if enterprise.is_verified:
        state, text = "verified", _(
            "Verified: the organizer has checked your business licence against the code and the name."
        )
    elif EnterpriseRequestKind.REGISTRATION in pending:
        state, text = "waiting", _(
            "Waiting for verification: the organizer will check your business licence against the code and the "
            "name. You may apply meanwhile; a title can only be granted once the enterprise is verified."
        )
    else:
        state, text = "unverified", _(
            "Not verified: send your business licence so that the organizer can check it. You may apply "
            "meanwhile; a title can only be granted once the enterprise is verified."
        )
    if EnterpriseRequestKind.NAME_CHANGE in pending:
        text += " " + _("Your change of name is waiting for the organizer.")
    return {"state": state, "text": text}


@login_required
def enterprise_register(request):
    if enterprise_of(request.user):
        return redirect("awards:enterprise_edit")
    form = EnterpriseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_register(
                user=request.user, enterprise=form.save(commit=False), licence=form.cleaned_data["licence"]
            )
        except services.ApplicationError as error:
            form.add_error("uscc", error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Your enterprise is registered and waits for the organizer to verify its business licence. "
                    "You can apply to an open programme now."
                ),
            )
            return redirect("awards:program_list")
    claim_url = ""
    if form.has_error("uscc") and Enterprise.objects.filter(uscc=form.data.get("uscc", "")).exists():
        claim_url = reverse("awards:enterprise_claim")
    return render(request, "awards/enterprise_form.html", {"form": form, "is_new": True, "claim_url": claim_url})


@login_required
def enterprise_edit(request):
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        return redirect("awards:enterprise_register")
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The enterprise's details are saved."))
        return redirect("home")
    return render(
        request,
        "awards/enterprise_form.html",
        {
            "form": form,
            "is_new": False,
            "enterprise": enterprise,
            "verification": verification_state(enterprise),
            "requests": enterprise.requests.filter(requested_by=request.user),
            "name_change_form": NameChangeForm() if enterprise.is_verified else None,
            "licence_form": None if enterprise.is_verified else LicenceForm(),
        },
    )


@login_required
@require_POST
def enterprise_name_change(request):
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise Http404
    form = NameChangeForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.name_change_request(enterprise=enterprise, user=request.user, **form.cleaned_data)
        except services.ApplicationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Your change of name is filed. The organizer checks the new licence; your titles keep their name until then."),
            )
            return redirect("awards:enterprise_edit")
    else:
        _report_form_errors(request, form)
    return redirect("awards:enterprise_edit")


@login_required
@require_POST
def enterprise_licence(request):
    """Send (again) the business licence for the verification of the registration."""
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise Http404
    form = LicenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.registration_verification_request(
                enterprise=enterprise, user=request.user, licence=form.cleaned_data["licence"]
            )
        except services.ApplicationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your business licence is sent; the organizer will verify it."))
    else:
        _report_form_errors(request, form)
    return redirect("awards:enterprise_edit")


@login_required
def enterprise_claim(request):
    """Claim a code that another account registered first."""
    own = enterprise_of(request.user)
    if own is not None:
        messages.info(request, _("Your account already speaks for an enterprise."))
        return redirect("awards:enterprise_edit")
    form = CounterClaimForm(request.POST or None, request.FILES or None, initial={"uscc": request.GET.get("uscc", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.counter_claim_file(user=request.user, **form.cleaned_data)
        except services.ApplicationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Your claim is filed. The organizer compares your business licence with the registration and "
                    "tells you the decision here."
                ),
            )
            return redirect("awards:enterprise_claim")
    claims = EnterpriseRequest.objects.filter(
        requested_by=request.user, kind=EnterpriseRequestKind.COUNTER_CLAIM
    ).select_related("enterprise")
    return render(request, "awards/enterprise_claim.html", {"form": form, "claims": claims})


@login_required
def licence_download(request, pk: int):
    """The licence of a request: for the account that sent it and for organizers, nobody else."""
    queryset = EnterpriseRequest.objects.all()
    if not has_any(request.user, ORGANIZE_PROGRAMS):
        queryset = queryset.filter(requested_by=request.user)
    enterprise_request = get_object_or_404(queryset, pk=pk)
    response = FileResponse(
        enterprise_request.licence.open("rb"),
        as_attachment=True,
        filename=enterprise_request.licence_name,
        content_type=enterprise_request.licence_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report_form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, format_html("{}{}", f"{label}：" if label else "", error))

