"""Forms of the plan screens: field-level checks here, the plan's own rules in evaluations.plan."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.forms import modelformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from awards.forms import ObjectionVerifyForm
from awards.uploads import CheckedUpload, check_upload
from evaluations.models import Aspect, CreditClass, DeductionRule, EvaluationPlan


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    class Meta:
        model = EvaluationPlan
        fields = ["period_start", "period_end", "questionnaire_weight", "hearing_weight", "review_weight", "min_sample"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}
        error_messages = {
            "period_start": {"invalid": _("Enter a date such as 2027-01-01.")},
            "period_end": {"invalid": _("Enter a date such as 2027-12-31.")},
        }

    def _post_clean(self) -> None:
        # The plan's rules (period order, weights adding up to 100 %) are checked by evaluations.plan with a
        # message of their own; the model's constraints would only repeat them.
        opts = self._meta
        try:
            self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class AspectForm(forms.ModelForm):
    """One row of the aspects table; its inputs are named for screen readers by the aspect's position."""

    class Meta:
        model = Aspect
        fields = ["title", "weight"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.instance.position
        self.fields["title"].widget.attrs["aria-label"] = _("Aspect %(n)d: title") % {"n": position}
        self.fields["weight"].widget.attrs["aria-label"] = _("Aspect %(n)d: weight") % {"n": position}


AspectFormSet = modelformset_factory(Aspect, form=AspectForm, extra=0, can_delete=False)


class AspectAddForm(forms.Form):
    title = forms.CharField(label=_("New aspect"), max_length=100)
    weight = forms.IntegerField(label=_("weight"), min_value=1, max_value=100, initial=1)


class DeductionForm(forms.ModelForm):
    class Meta:
        model = DeductionRule
        fields = ["points", "is_veto"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rule = str(self.instance)
        self.fields["points"].widget.attrs["aria-label"] = _("%(rule)s: points deducted") % {"rule": rule}
        self.fields["is_veto"].widget.attrs["aria-label"] = _("%(rule)s: veto") % {"rule": rule}


DeductionFormSet = modelformset_factory(DeductionRule, form=DeductionForm, extra=0, can_delete=False)


class GradingForm(forms.Form):
    """Nothing to fill in: the button confirms the run."""


class ObjectionFindingForm(ObjectionVerifyForm):
    """The organizer's finding on an objection to an entry of an evaluation's lists (an A or a D entry)."""

    upheld = forms.TypedChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            ("no", _("Dismiss: the objection is unfounded")),
            ("yes", _("Uphold: remove the entry from the list")),
        ],
        coerce=lambda value: value == "yes",
    )


class RepairRequestForm(forms.Form):
    """The enterprise's request for credit repair (信用修复): its correction, evidence and credit pledge."""

    correction = forms.CharField(
        label=_("How the breach of trust was corrected"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was put right, when, and which obligations (fines, compensation) have been fulfilled."),
    )
    evidence = forms.FileField(
        label=_("Evidence of correction"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    pledge_affirmed = forms.BooleanField(
        label=_("We affirm the credit pledge above."),
        error_messages={"required": _("Affirm the credit pledge; repair is not granted without it.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "For example the receipt of the fine paid or the rectification report; PDF, JPG or PNG, at most %(limit)s."
        ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}

    def clean_evidence(self) -> CheckedUpload:
        return check_upload(self.cleaned_data["evidence"])


class RepairDecisionForm(forms.Form):
    """The organizer's decision on a request for credit repair, with the reason the enterprise reads."""

    repaired = forms.TypedChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Repair: remove the entry from the public list now")), ("no", _("Refuse the repair"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The enterprise reads it on its application page."),
    )


class ExposureClassForm(forms.Form):
    """The organizer's class and display period of an exposure-list entry, within the class's bounds."""

    credit_class = forms.ChoiceField(label=_("Class of breach"), choices=CreditClass.choices)
    months = forms.IntegerField(label=_("Display period (months)"), min_value=1, max_value=36)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
