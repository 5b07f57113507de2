from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Award programmes")

    def ready(self) -> None:
        from awards import checks  # noqa: F401 -- registers the shared-cache checks
