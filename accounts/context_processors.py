from __future__ import annotations

from accounts.permissions import is_staff_member


def roles(request) -> dict:
    """Whether the user is staff, for the header's link to the work screens (the same check as those screens)."""
    user = getattr(request, "user", None)
    return {"is_staff_member": user is not None and user.is_authenticated and is_staff_member(user)}
