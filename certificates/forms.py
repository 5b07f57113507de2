"""Organizer forms for granted titles: a supervision record, the opening of a revocation case, the published
commitments and a follow-up visit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.widgets import DateInput
from certificates.models import SupervisionKind, SupervisionRecord, TitleCommitment, VisitKind
from certificates.services import CASE_RESPONSE_DAYS


class SupervisionRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    summary = forms.CharField(label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class CaseOpenForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    records = forms.ModelMultipleChoiceField(
        label=_("Supervision records the case rests on"),
        queryset=SupervisionRecord.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    response_days = forms.IntegerField(
        label=_("Working days for the enterprise's response"),
        min_value=1,
        max_value=60,
        initial=CASE_RESPONSE_DAYS,
    )

    def __init__(self, *args, enterprise, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = SupervisionRecord.objects.filter(enterprise=enterprise)


class CommitmentsForm(forms.Form):
    commitments = forms.CharField(
        label=_("Service commitments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One commitment per line, e.g. 七日无理由退货. They are shown on the title's verification page."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=2000,
        help_text=_("Needed when a commitment is withdrawn; kept in the title's history."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class VisitFilesField(forms.FileField):
    """Several files at once; the service checks each one like every upload (awards.uploads)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(VisitFilesField, self).clean(item, initial) for item in files]


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices, widget=forms.RadioSelect)
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput)
    commitments = forms.ModelMultipleChoiceField(
        label=_("Commitments checked"),
        queryset=TitleCommitment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the commitments the visit checked.")},
    )
    passed = forms.TypedChoiceField(
        label=_("Result"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Passed")), ("no", _("Failed"))],
        coerce=lambda value: value == "yes",
    )
    findings = forms.CharField(
        label=_("What the visit found"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the visit failed: they become the grounds of a case opened from it."),
    )
    files = VisitFilesField(
        label=_("Photos or documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf", "multiple": True}),
        help_text=_("JPG, PNG or PDF; several may be chosen at once."),
    )

    def __init__(self, *args, certificate, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitments"].queryset = certificate.commitments.published()


class VisitCaseForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
