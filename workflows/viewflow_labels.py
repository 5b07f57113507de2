"""viewflow's own labels that appear on the project's pages, so that makemessages puts them in our catalogue.

viewflow 2.4 ships an empty zh_Hans catalogue; the project's LOCALE_PATHS catalogue takes precedence.
"""

from django.utils.translation import pgettext_lazy

TASK_STATUS_LABELS = (
    pgettext_lazy("STATUS", "New"),
    pgettext_lazy("STATUS", "Assigned"),
    pgettext_lazy("STATUS", "Started"),
    pgettext_lazy("STATUS", "Scheduled"),
    pgettext_lazy("STATUS", "Done"),
    pgettext_lazy("STATUS", "Canceled"),
    pgettext_lazy("STATUS", "Error"),
    pgettext_lazy("STATUS", "Revived"),
)
