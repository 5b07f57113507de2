from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Review workflow")

    def ready(self) -> None:
        from viewflow.workflow.timers import fire_due_timers

        from jobs import periodic

        # Timers (the end of a public notice, a response period) fire here even when no web request arrives.
        periodic.register("workflow timers", fire_due_timers)
