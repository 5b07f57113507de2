from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """Certificates anyone can check without trusting the network: signed QR codes, signed PDFs, Open Badges."""

    name = "credentials"
    verbose_name = _("verifiable credentials")

    def ready(self) -> None:
        from credentials import checks, pdf_signing  # noqa: F401  (register the system checks)
