from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.roles import Role, grant_roles


@transaction.atomic
def user_register(*, identifier: str, full_name: str, password: str):
    """Create an applicant's account; the identifier is an e-mail address or a mobile number."""
    User = get_user_model()
    user = User(username=identifier, first_name=full_name)
    if "@" in identifier:
        user.email = identifier
    else:
        user.phone = identifier
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def staff_user_create(*, username: str, password: str, email: str = "", full_name: str = "", roles: tuple[Role, ...]):
    """Create or update a staff account holding the given roles (idempotent)."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.email = email
    user.first_name = full_name
    user.is_active = True
    user.set_password(password)
    user.save()
    grant_roles(user, *roles)
    return user
