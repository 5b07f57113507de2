from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from certificates import (
            checks,  # noqa: F401 -- registers the HarfBuzz check
            printing,
        )
        from jobs import engine

        for kind in printing.PRINT_KINDS:
            engine.register(kind, printing.HANDLER)

        from certificates import exports
        from jobs.engine import register
        from jobs.models import JobKind

        register(JobKind.LIST, exports.HANDLER)
