from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import is_mobile, normalize_login


class RegistrationForm(forms.Form):
    """An applicant registers with an e-mail address or a mainland mobile number."""

    error_messages = {
        "bad_identifier": _("Enter an e-mail address such as name@example.com or an 11-digit mobile number."),
        "taken": _("An account with this e-mail address or mobile number already exists. Log in instead."),
        "password_mismatch": _("The two passwords do not match. Type the same password twice."),
    }

    identifier = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=150,
        help_text=_("You will log in with it; password-reset messages go to the e-mail address."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_identifier(self) -> str:
        value = normalize_login(self.cleaned_data["identifier"])
        if "@" in value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(self.error_messages["bad_identifier"], code="bad_identifier") from None
        elif not is_mobile(value):
            raise forms.ValidationError(self.error_messages["bad_identifier"], code="bad_identifier")
        User = get_user_model()
        if User.objects.filter(Q(username=value) | Q(email__iexact=value) | Q(phone=value)).exists():
            raise forms.ValidationError(self.error_messages["taken"], code="taken")
        return value

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", forms.ValidationError(self.error_messages["password_mismatch"], code="password_mismatch")
            )
        if password1 and "identifier" in cleaned:
            User = get_user_model()
            candidate = User(username=cleaned["identifier"], first_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail or mobile number and the password do not match. Check both and try again."),
        "inactive": _("This account has been disabled. Contact the organizer."),
    }
