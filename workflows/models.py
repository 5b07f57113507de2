from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from awards.models import Application


class ApplicationProcess(Process):
    """The review process of one application; a real foreign key keeps integrity and plain queries."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="process")

    class Meta:
        verbose_name = _("review process")
        verbose_name_plural = _("review processes")


class RevocationProcess(Process):
    """The process of one revocation case."""

    case = models.OneToOneField("certificates.RevocationCase", on_delete=models.PROTECT, related_name="process")

    class Meta:
        verbose_name = _("revocation process")
        verbose_name_plural = _("revocation processes")
