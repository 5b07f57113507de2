"""The kinds of print and of published list, and the formats of a list: the values are in URLs and stored jobs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    PLAQUE = "plaque", _("Plaque")


class ListKind(models.TextChoices):
    HONOURS = "honours", _("Honour roll")
    REVOKED = "revoked", _("Revoked titles")
    EXPOSURE = "exposure", _("List of serious breaches of trust")


class ListFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"
    CSV = "csv", "CSV"
