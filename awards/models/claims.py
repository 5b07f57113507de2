from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models.programs import ENTERPRISE_NAME_MAX_LENGTH, Enterprise


def licence_path(instance: EnterpriseRequest, filename: str) -> str:
    # A random name, as for attachments: the original name is user input.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"licences/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class EnterpriseRequestKind(models.TextChoices):
    REGISTRATION = "registration", _("Verification of a registration")
    COUNTER_CLAIM = "counter_claim", _("Counter-claim by the rightful holder of the code")
    NAME_CHANGE = "name_change", _("Change of name")


class EnterpriseRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organizer")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class EnterpriseRequestQuerySet(models.QuerySet):
    def pending(self) -> EnterpriseRequestQuerySet:
        return self.filter(status=EnterpriseRequestStatus.PENDING)


class EnterpriseRequest(models.Model):
    """Something only an organizer may decide about who an enterprise is, backed by its business licence.

    A registration waits here to be verified, the rightful holder of a code claims it back from an account
    that registered it first, or a verified enterprise asks to change its name (变更). The request and its
    decision are the enterprise's history: nothing is deleted or overwritten.
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="requests", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind of request"), max_length=20, choices=EnterpriseRequestKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    # The name the licence shows: the new name of a change, the claimant's name for a counter-claim.
    name_on_licence = models.CharField(_("name on the business licence"), max_length=ENTERPRISE_NAME_MAX_LENGTH)
    explanation = models.TextField(_("explanation"), blank=True, max_length=2000)
    licence = models.FileField(_("business licence"), upload_to=licence_path, max_length=200)
    licence_name = models.CharField(_("file name"), max_length=255)
    licence_content_type = models.CharField(max_length=50)
    licence_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=EnterpriseRequestStatus.choices, default=EnterpriseRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # What the enterprise was before the decision, so the history reads without guessing.
    previous_name = models.CharField(_("previous name"), max_length=ENTERPRISE_NAME_MAX_LENGTH, blank=True)
    previous_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EnterpriseRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise request")
        verbose_name_plural = _("enterprise requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EnterpriseRequestStatus.PENDING)
                | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="enterprise_request_decision_has_reason",
            ),
            # One open request of a kind per claimant and enterprise: a second click files nothing twice.
            models.UniqueConstraint(
                fields=["enterprise", "kind", "requested_by"],
                condition=Q(status=EnterpriseRequestStatus.PENDING),
                name="one_pending_enterprise_request_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"
