"""Public pages without login: open notices, objections and their outcome."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awards import services
from awards.models import Application, Notice
from awards.ratelimit import allow, client_ip, too_many_requests
from awards.uploads import check_upload

OBJECTIONS_PER_HOUR = 10


class ObjectionForm(forms.Form):
    application = forms.ModelChoiceField(
        label=gettext_lazy("Candidate objected to"),
        queryset=Application.objects.none(),
        empty_label=gettext_lazy("— choose —"),
    )
    name = forms.CharField(label=gettext_lazy("Your real name"), max_length=50)
    phone = forms.CharField(
        label=gettext_lazy("Your phone"),
        max_length=20,
        help_text=gettext_lazy("Seen only by the organizer who verifies the objection."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    statement = forms.CharField(
        label=gettext_lazy("Facts and reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (optional)"), required=False, help_text=gettext_lazy("PDF, JPG or PNG.")
    )

    def __init__(self, *args, notice: Notice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = notice.applications.select_related("enterprise").order_by(
            "enterprise__name"
        )
        self.fields["application"].label_from_instance = lambda application: application.enterprise.name

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        return check_upload(evidence) if evidence else None


def notices(request):
    open_notices = (
        Notice.objects.open()
        .select_related("program")
        .prefetch_related("applications__enterprise__district", "changes")
    )
    return render(
        request,
        "awards/public/notices.html",
        {"notices": [(notice, ObjectionForm(notice=notice, prefix=f"n{notice.pk}")) for notice in open_notices]},
    )


@require_POST
def objection_file(request, pk: int):
    notice = get_object_or_404(Notice, pk=pk)
    form = ObjectionForm(request.POST, request.FILES, notice=notice, prefix=f"n{notice.pk}")
    if not allow(f"objection:{client_ip(request)}", limit=OBJECTIONS_PER_HOUR, window_seconds=3600):
        message = _("Too many objections from your network in the last hour. Please try again later.")
        return too_many_requests(request, message, retry_after=3600)
    if form.is_valid():
        try:
            objection = services.objection_file(
                notice=notice,
                application=form.cleaned_data["application"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                statement=form.cleaned_data["statement"],
                evidence=form.cleaned_data["evidence"],
            )
        except services.ApplicationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return render(request, "awards/public/objection_filed.html", {"objection": objection})
    return render(request, "awards/public/notices.html", {"notices": [(notice, form)], "focus": notice.pk}, status=400)


def objection_lookup(request):
    number = request.GET.get("number", "")
    objection = services.objection_lookup(number) if number else None
    return render(
        request,
        "awards/public/objection_lookup.html",
        {"number": number, "objection": objection, "searched": bool(number)},
        status=404 if number and objection is None else 200,
    )
