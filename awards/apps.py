from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Award programmes")

    def ready(self) -> None:
        # django-axes names its admin section "Axes"; organizers read it in their own language.
        from django.apps import apps
        from django.utils.translation import gettext_lazy

        from awards import checks  # noqa: F401 -- registers the shared-cache checks
        from awards.orphans import orphan_uploads_sweep
        from awards.services import review_send_reminders
        from jobs import periodic

        periodic.register("review reminders", review_send_reminders)
        periodic.register("orphaned uploads", orphan_uploads_sweep)

        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = gettext_lazy("Login lockouts")
        for config in apps.get_app_configs():
            if config.name == "viewflow.workflow":
                config.verbose_name = gettext_lazy("Review processes")
