"""Staff roles are groups; one person may hold several."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from accounts import permissions


class Role(StrEnum):
    ORGANIZER = "organizer"
    REVIEWER = "reviewer"
    INSPECTOR = "inspector"
    COMMITTEE = "committee"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ORGANIZER: _("Organizer"),
    Role.REVIEWER: _("Reviewer"),
    Role.INSPECTOR: _("Inspector"),
    Role.COMMITTEE: _("Committee member"),
}

_ORGANIZER_MODELS = ["program", "criterion", "enterprise", "application", "attachment", "district", "industry"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ORGANIZER: [
        permissions.ORGANIZE_PROGRAMS,
        *(f"awards.{action}_{model}" for model in _ORGANIZER_MODELS for action in ("view", "add", "change")),
        "awards.delete_criterion",
        permissions.VIEW_USER,
    ],
    Role.REVIEWER: [permissions.REVIEW_APPLICATIONS],
    Role.INSPECTOR: [permissions.INSPECT_SITES],
    Role.COMMITTEE: [permissions.DECIDE_AWARDS, permissions.VIEW_PROGRAM],
}


def ensure_role_groups() -> None:
    """Create the role groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def ensure_role_groups_after_migrate(sender, app_config=None, **kwargs) -> None:
    from django.apps import apps

    # post_migrate is sent once per app with models; every app's permissions exist only after the last one.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is not None and app_config is with_models[-1]:
        ensure_role_groups()


def grant_roles(user, *roles: Role) -> None:
    """Give a user roles; organizers also get into the admin, where programmes are set up."""
    from django.contrib.auth.models import Group

    ensure_role_groups()
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    if Role.ORGANIZER in roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_role_names", None)
