from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.forms import ObjectionVerifyForm  # noqa: F401 -- the review flow's objection task uses it as forms.ObjectionVerifyForm
from awards.models import Criterion
from awards.services import DEFAULT_REVIEW_DAYS, FormalDecision, ScoreInput
from awards.uploads import CheckedUpload, check_upload
from awards.widgets import DateInput


class FormalCheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (FormalDecision.ACCEPT, _("Accept: the application is complete and eligible")),
            (FormalDecision.RETURN, _("Return for correction")),
            (FormalDecision.REJECT, _("Reject as ineligible")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning or rejecting; the applicant reads it."),
    )
    licence_checked = forms.BooleanField(
        label=_(
            "I have checked the business licence: it shows the same unified social credit code and name as the "
            "registration."
        ),
        required=False,
    )

    def __init__(self, *args, enterprise_verified: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise_verified = enterprise_verified
        if enterprise_verified:
            del self.fields["licence_checked"]

    def clean(self):
        cleaned = super().clean()
        if (
            not self.enterprise_verified
            and cleaned.get("decision") == FormalDecision.ACCEPT
            and not cleaned.get("licence_checked")
        ):
            self.add_error(
                "licence_checked",
                _("The enterprise is not verified yet: check its business licence and confirm it before accepting."),
            )
        if (
            cleaned.get("decision") in (FormalDecision.RETURN, FormalDecision.REJECT)
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give the reason, so that the applicant knows what to do."))
        return cleaned


class EnterpriseRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve: the business licence matches")),
            ("refuse", _("Refuse")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads it, and it stays in the enterprise's history."),
    )


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return _("%(name)s — %(n)d open reviews") % {"name": user, "n": user.open_reviews}


class AssignReviewersForm(forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Reviewers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Least loaded first. Reviewers who declared a conflict of interest with the enterprise are not listed."
        ),
    )
    due_on = forms.DateField(label=_("Reviews due on"), widget=DateInput)

    def __init__(self, *args, candidates, minimum: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.minimum = minimum
        self.fields["reviewers"].queryset = candidates
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_REVIEW_DAYS)
        self.suggested = [user.pk for user in candidates[:minimum]]
        if not self.is_bound:
            self.initial["reviewers"] = self.suggested

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        if len(reviewers) < self.minimum:
            raise forms.ValidationError(_("Choose at least %(n)d different reviewers.") % {"n": self.minimum})
        return reviewers

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on <= timezone.localdate():
            raise forms.ValidationError(_("The review deadline must lie in the future."))
        return due_on

    def due_at(self) -> datetime.datetime:
        """Reviews are due at the end of the chosen day, Beijing time."""
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["due_on"], datetime.time(23, 59)))


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Explain your scores; the organizer and the committee read it, the applicant does not see your name."
        ),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            name = f"criterion_{criterion.pk}"
            if criterion.is_veto:
                self.fields[name] = forms.TypedChoiceField(
                    label=_("Does this apply?"),
                    choices=[("", _("— choose —")), ("no", _("No")), ("yes", _("Yes: the veto applies (tier D)"))],
                    coerce=lambda value: value == "yes",
                    help_text=criterion.guidance,
                )
            else:
                self.fields[name] = forms.DecimalField(
                    label=_("Points"),
                    min_value=Decimal(0),
                    max_value=criterion.max_points,
                    max_digits=5,
                    decimal_places=1,
                    help_text=criterion.guidance,
                    widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                )
        self.order_fields([f"criterion_{c.pk}" for c in criteria] + ["comment"])

    def criterion_rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"criterion_{criterion.pk}"]

    def scores(self) -> dict[int, ScoreInput]:
        result = {}
        for criterion in self.criteria:
            value = self.cleaned_data[f"criterion_{criterion.pk}"]
            result[criterion.pk] = ScoreInput(veto_applies=value) if criterion.is_veto else ScoreInput(points=value)
        return result


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Conflict of interest"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: I worked for this enterprise, or a close relative does. You will not be asked again."
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[CheckedUpload]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [check_upload(super(PhotosField, self).clean(item, initial)) for item in files]


class InspectionForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Passed")), ("no", _("Failed"))],
        coerce=lambda value: value == "yes",
    )
    inspected_on = forms.DateField(label=_("Date of the inspection"), widget=DateInput)
    notes = forms.CharField(label=_("Findings"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png", "multiple": True}),
        help_text=_("JPG or PNG; several may be chosen at once."),
    )


class CommitteeForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Approve")), ("no", _("Do not approve"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approved") is False and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for not approving."))
        return cleaned


class NoticePeriodForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Objections accepted until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Enter the new closing date and time."),
            "invalid": _("Enter the date and time as 2027-03-10 17:00."),
        },
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the notice's record; the candidates read it in their application's history."),
        error_messages={"required": _("Give the reason for the change; it stays on the notice's record.")},
    )


class ReplaceReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("New reviewer"), queryset=None, empty_label=_("— choose —"))

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates


class EnrolmentForm(forms.Form):
    workbook = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("One enterprise per row: name, unified social credit code, district, industry, contact, phone."),
    )
