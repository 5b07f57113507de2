from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from awards.models import APPLICANT_ATTACHMENT_KINDS, Application, Criterion, District, Enterprise, Industry
from awards.services import AssessmentInput
from awards.uploads import CheckedUpload, check_upload
from awards.uscc import normalize_uscc


class EnterpriseForm(forms.ModelForm):
    # Longer than the 18 characters stored: spaces and hyphens typed in are dropped by clean_uscc.
    uscc = forms.CharField(
        label=Enterprise._meta.get_field("uscc").verbose_name,
        max_length=40,
        help_text=_("18 characters, as printed on the business licence; spaces are ignored."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "legal_representative",
            "address",
            "district",
            "industry",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_representative"].required = True
        self.fields["address"].required = True
        self.fields["district"].queryset = District.objects.filter(is_retired=False)
        self.fields["industry"].queryset = Industry.objects.all()
        self.fields["district"].empty_label = _("— choose —")
        self.fields["industry"].empty_label = _("— choose —")
        if self.instance.pk:
            # The code identifies the enterprise; only the organizer may correct it.
            self.fields["uscc"].disabled = True

    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data["uscc"])


class ApplicationForm(forms.Form):
    """The application: a summary, a self-assessment per criterion and the commitment letter."""

    summary = forms.CharField(
        label=_("Summary of achievements"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=Application._meta.get_field("summary").help_text,
    )
    commitment_accepted = forms.BooleanField(
        label=_("I have read the commitment letter and promise that everything in this application is true."),
        required=False,
    )

    def __init__(self, *args, application: Application, **kwargs) -> None:
        self.application = application
        self.criteria: list[Criterion] = list(application.program.criteria.all())
        existing = {a.criterion_id: a for a in application.self_assessments.all()}
        initial = {"summary": application.summary, "commitment_accepted": application.commitment_accepted}
        for criterion in self.criteria:
            current = existing.get(criterion.pk)
            if current is None:
                continue
            if criterion.is_veto:
                initial[self._points_name(criterion)] = {True: "yes", False: "no"}.get(current.veto_applies, "")
            else:
                initial[self._points_name(criterion)] = current.points
            initial[self._note_name(criterion)] = current.note
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            if criterion.is_veto:
                self.fields[self._points_name(criterion)] = forms.TypedChoiceField(
                    label=_("Does this apply to your enterprise?"),
                    required=False,
                    choices=[
                        ("", _("— not answered —")),
                        ("no", _("No, this does not apply to us")),
                        ("yes", _("Yes, it applies")),
                    ],
                    coerce=lambda value: {"yes": True, "no": False}.get(value),
                    empty_value=None,
                    help_text=criterion.guidance,
                )
            else:
                self.fields[self._points_name(criterion)] = forms.DecimalField(
                    label=_("Your points"),
                    required=False,
                    min_value=Decimal("0"),
                    max_value=criterion.max_points,
                    max_digits=5,
                    decimal_places=1,
                    help_text=criterion.guidance,
                    widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                )
            self.fields[self._note_name(criterion)] = forms.CharField(
                label=_("Explanation"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
            )

    @staticmethod
    def _points_name(criterion: Criterion) -> str:
        return f"criterion_{criterion.pk}"

    @staticmethod
    def _note_name(criterion: Criterion) -> str:
        return f"criterion_{criterion.pk}_note"

    def criterion_rows(self):
        """Pairs of bound fields per criterion, for the template."""
        for criterion in self.criteria:
            yield criterion, self[self._points_name(criterion)], self[self._note_name(criterion)]

    def assessments(self) -> dict[int, AssessmentInput]:
        result = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(self._points_name(criterion))
            note = self.cleaned_data.get(self._note_name(criterion), "")
            if criterion.is_veto:
                result[criterion.pk] = AssessmentInput(veto_applies=value, note=note)
            else:
                result[criterion.pk] = AssessmentInput(points=value, note=note)
        return result


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=APPLICANT_ATTACHMENT_KINDS)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPG or PNG, at most %(limit)s.") % {
            "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
        }

    def clean_file(self) -> CheckedUpload:
        return check_upload(self.cleaned_data["file"])
