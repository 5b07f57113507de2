from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts.roles import ensure_role_groups_after_migrate

        # Permissions only exist after every app has migrated, so the role groups are refreshed then.
        post_migrate.connect(ensure_role_groups_after_migrate, dispatch_uid="accounts.ensure_role_groups")
