"""Organizer forms for granted titles: a supervision record, and the opening of a revocation case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.widgets import DateInput
from certificates.models import SupervisionKind, SupervisionRecord
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
        label=_("Days for the enterprise's response"), min_value=1, max_value=60, initial=CASE_RESPONSE_DAYS
    )

    def __init__(self, *args, enterprise, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = SupervisionRecord.objects.filter(enterprise=enterprise)
