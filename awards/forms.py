from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from awards.models import APPLICANT_ATTACHMENT_KINDS, Application, Criterion, District, Enterprise, Industry
from awards.models.programs import ENTERPRISE_NAME_MAX_LENGTH
from awards.services import AssessmentInput
from awards.uploads import CheckedUpload, check_upload
from awards.uscc import normalize_uscc
from awards.validators import validate_uscc_field


class LicenceField(forms.FileField):
    """The business licence (营业执照), checked by its content like every upload."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Business licence"))
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_upload(upload) if upload else upload


def _licence_help() -> str:
    return _(
        "A scan or photo of the business licence (PDF, JPG or PNG, at most %(limit)s); the organizer checks the "
        "code and the name on it."
    ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}


class USCCField(forms.CharField):
    """A unified social credit code as typed: full-width, spaces and hyphens are folded away.

    A wrong code gets the one precise message of validate_uscc_field. Django's generic max-length check is
    left out: it would repeat the length error in less helpful words, in a second message.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 40)  # the widget's limit: room for the spaces and hyphens people type
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        )
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value) -> str:
        value = super().to_python(value)
        return normalize_uscc(value) if value else value

    def validate(self, value) -> None:
        super().validate(value)
        if value:
            validate_uscc_field(value)


class EnterpriseForm(forms.ModelForm):
    uscc = USCCField(
        label=Enterprise._meta.get_field("uscc").verbose_name,
        help_text=_("18 characters, as printed on the business licence; spaces are ignored."),
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
            if self.instance.is_verified:
                # Verified against the licence: a new name needs a new licence and the organizer's approval.
                self.fields["name"].disabled = True
                self.fields["name"].help_text = _(
                    "Verified against the business licence. To change the name, file a change request below."
                )
        else:
            self.fields["licence"] = LicenceField(help_text=_licence_help())


class CounterClaimForm(forms.Form):
    """The rightful holder of a code that another account registered first claims it."""

    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    name_on_licence = forms.CharField(label=_("Name on the business licence"), max_length=ENTERPRISE_NAME_MAX_LENGTH)
    licence = LicenceField()
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: who you are in the enterprise and how to reach you for the check."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licence"].help_text = _licence_help()

    def clean_uscc(self) -> str:
        code = normalize_uscc(self.cleaned_data["uscc"])
        validate_uscc_field(code)
        return code


class NameChangeForm(forms.Form):
    """A verified enterprise's change of name (变更), with the new business licence."""

    new_name = forms.CharField(
        label=_("New name, as on the new business licence"), max_length=ENTERPRISE_NAME_MAX_LENGTH
    )
    licence = LicenceField(label=_("New business licence"))
    explanation = forms.CharField(
        label=_("Explanation"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licence"].help_text = _licence_help()


class LicenceForm(forms.Form):
    licence = LicenceField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licence"].help_text = _licence_help()


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


class ObjectionVerifyForm(forms.Form):
    """The organizer's finding on an objection to a candidate on public notice, with the reason the objector reads."""

    upheld = forms.TypedChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[("no", _("Dismiss: the objection is unfounded")), ("yes", _("Uphold: remove the candidate"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The objector reads it when looking up the tracking number."),
    )


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several documents at once, each checked by its content like every upload (awards.uploads)."""

    MAX_FILES = 10

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Evidence"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            _MultipleFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png", "multiple": True}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[CheckedUpload]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > self.MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(max)d files.") % {"max": self.MAX_FILES}, code="too_many")
        return [check_upload(super(EvidenceField, self).clean(item, initial)) for item in files]


class StatementForm(forms.Form):
    """The enterprise's statement (陈述申辩) on a proposed outcome, with its evidence."""

    text = forms.CharField(
        label=_("Your statement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your statement: what you contest, and why.")},
    )
    evidence = EvidenceField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "Optional: up to %(max)d files (PDF, JPG or PNG, each at most %(limit)s) that support your statement."
        ) % {"max": EvidenceField.MAX_FILES, "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
