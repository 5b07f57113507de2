"""Who may do what: every permission name the project checks, and the one way to check it.

Roles are groups (accounts.roles) that carry these permissions; code asks for a permission, never for a group,
so that a permission granted to one person, or a superuser, counts the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

ORGANIZE_PROGRAMS = "awards.organize_programs"
REVIEW_APPLICATIONS = "awards.review_applications"
INSPECT_SITES = "awards.inspect_sites"
DECIDE_AWARDS = "awards.decide_awards"
VIEW_PROGRAM = "awards.view_program"
VIEW_USER = "accounts.view_user"

# Holding any of these makes a person staff: they get the work screens; applicants hold none.
STAFF_PERMISSIONS = (ORGANIZE_PROGRAMS, REVIEW_APPLICATIONS, INSPECT_SITES, DECIDE_AWARDS)


def has_any(user, *perms: str) -> bool:
    """Does the user hold at least one of the permissions (inactive and anonymous users hold none)."""
    return user.is_active and any(user.has_perm(perm) for perm in perms)


def is_staff_member(user) -> bool:
    return has_any(user, *STAFF_PERMISSIONS)


def require(user, *perms: str) -> None:
    """Raise PermissionDenied unless the user holds at least one of the permissions."""
    if not has_any(user, *perms):
        raise PermissionDenied


def requires(*perms: str) -> Callable:
    """View decorator: anonymous users log in; a logged-in user without one of the permissions gets a 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            require(request.user, *perms)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Staff pages: anonymous users log in; applicants, who hold no staff permission, are refused.
staff_required = requires(*STAFF_PERMISSIONS)


def users_with(perm: str) -> QuerySet:
    """Active users who hold the permission through a group or directly (superusers are not counted in)."""
    from django.contrib.auth.models import Permission

    app_label, codename = perm.split(".")
    matching = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    User = get_user_model()
    through_group = User.groups.through.objects.filter(group__permissions__in=matching).values("user_id")
    direct = User.user_permissions.through.objects.filter(permission__in=matching).values("user_id")
    return User.objects.filter(Q(pk__in=through_group) | Q(pk__in=direct), is_active=True)
