from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import Program
from awards.widgets import DateInput
from renewals.services import cohort_programs


class CohortFilterForm(forms.Form):
    """Which titles make the cohort: expiring within a window, of one programme or all."""

    program = forms.ModelChoiceField(
        label=_("Titles of the programme"),
        queryset=Program.objects.filter(certificates__isnull=False).distinct().order_by("-year", "title"),
        required=False,
        empty_label=_("— all programmes —"),
        to_field_name="slug",
    )
    expiring_from = forms.DateField(label=_("Expiring from"), widget=DateInput)
    expiring_until = forms.DateField(label=_("Expiring until"), widget=DateInput)

    @classmethod
    def initial_window(cls) -> dict:
        today = timezone.localdate()
        return {"expiring_from": today, "expiring_until": today + datetime.timedelta(days=settings.RENEWAL_WINDOW_DAYS)}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("expiring_from"), cleaned.get("expiring_until")
        if start and end and end < start:
            self.add_error("expiring_until", _("The end of the window must not come before its start."))
        return cleaned


class CohortEnrolForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Enrol into the programme"), queryset=Program.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = cohort_programs()
