from __future__ import annotations

from accounts.roles import Role


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    return {"user_roles": {role.value for role in Role if user.has_role(role)}}
