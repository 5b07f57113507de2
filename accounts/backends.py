from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from accounts.identifiers import normalize_login


class EmailOrPhoneBackend(ModelBackend):
    """Log in with the e-mail address or the mobile number given at registration."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        login = normalize_login(username)
        User = get_user_model()
        user = User.objects.filter(Q(username=login) | Q(email__iexact=login) | Q(phone=login)).order_by("pk").first()
        if user is None:
            # Spend the same time as a real check, so timing does not reveal which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
