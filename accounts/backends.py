from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from accounts.identifiers import normalize_login


def find_account(identifier: str):
    """Return the account an identifier, however spelled, logs into, or None."""
    login = normalize_login(identifier)
    User = get_user_model()
    return User.objects.filter(Q(username=login) | Q(email__iexact=login) | Q(phone=login)).order_by("pk").first()


def lockout_username(request, credentials: dict | None) -> str:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE).

    Failures count per account, not per spelling: `138 0013 8000`, its full-width form and the account's
    e-mail address all reach the same account, so they must share one lockout counter. An identifier
    that reaches no account is counted under its normalised form.
    """
    identifier = (credentials or {}).get("username")
    if identifier is None and request is not None:
        identifier = getattr(request, "data", request.POST).get("username")
    if not identifier:
        return ""
    account = find_account(identifier)
    return account.get_username() if account is not None else normalize_login(identifier)


class EmailOrPhoneBackend(ModelBackend):
    """Log in with the e-mail address or the mobile number given at registration."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal which accounts exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
