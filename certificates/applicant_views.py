"""The enterprise's own pages for its titles: status, and its side of a revocation case (with evidence)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awards.forms import StatementForm as CaseResponseForm
from certificates import services
from certificates.models import Certificate, RevocationCase


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
    return render(
        request,
        "certificates/my_titles.html",
        {
            "rows": [(c, c.current_status(today)) for c in certificates],
            "form": StatementForm(),
            "response_form": CaseResponseForm(),
            "now": timezone.now(),
        },
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
