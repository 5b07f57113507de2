from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalsConfig(AppConfig):
    name = "renewals"
    verbose_name = _("Renewal cycles")

    def ready(self) -> None:
        from jobs import periodic
        from renewals.reminders import expiry_reminders_send

        # The holders are reminded 90, 30 and 7 days before their titles expire, even when no web request arrives.
        periodic.register("title expiry reminders", lambda: len(expiry_reminders_send()))
