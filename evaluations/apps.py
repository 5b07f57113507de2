from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Sector evaluations")

    def ready(self) -> None:
        from evaluations import import_jobs
        from evaluations.publication import evaluation_notices_conclude
        from evaluations.repair import exposure_displays_end
        from jobs import periodic
        from jobs.engine import register
        from jobs.models import JobKind

        register(JobKind.IMPORT, import_jobs.HANDLER)

        # A whole sector's entries are concluded here when its notice closes, even when no web request arrives.
        periodic.register("evaluation notices", lambda: sum(evaluation_notices_conclude().values()))
        # Entries past their display period have already left the public pages; this records it in their history.
        periodic.register("exposure display ends", lambda: exposure_displays_end())
