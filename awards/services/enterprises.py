"""Who an enterprise is: registration, verification against the business licence, counter-claims and changes of name.

An account's word about an enterprise is a claim. It counts once an organizer has checked the business licence
against the code and the name; only a verified enterprise can be granted a title, and the name on a granted
title changes only through an approved change request.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Enterprise,
    EnterpriseRequest,
    EnterpriseRequestKind,
    EnterpriseRequestStatus,
)
from awards.services.applications import ApplicationError
from awards.transactions import service_atomic
from awards.uploads import CheckedUpload

logger = logging.getLogger("awards.security")


def enterprise_register(*, user, enterprise: Enterprise, licence: CheckedUpload | None = None) -> Enterprise:
    """Register the enterprise that the applicant's account speaks for; it stays unverified until an organizer checks.

    With the business licence, the registration also waits in the organizers' verification queue.
    """
    if Enterprise.objects.filter(account=user).exists():
        raise ApplicationError(_("Your account already speaks for an enterprise."))
    enterprise.account = user
    enterprise.verified_at = None
    enterprise.verified_by = None
    enterprise.full_clean()
    try:
        with transaction.atomic():
            enterprise.save()
            if licence is not None:
                _file_request(
                    enterprise=enterprise,
                    user=user,
                    kind=EnterpriseRequestKind.REGISTRATION,
                    name_on_licence=enterprise.name,
                    licence=licence,
                )
    except IntegrityError:
        raise ApplicationError(
            _(
                "This unified social credit code is already registered by another account. If the code is your "
                "enterprise's, claim it with your business licence."
            )
        ) from None
    return enterprise


def _file_request(
    *, enterprise: Enterprise, user, kind: str, name_on_licence: str, licence: CheckedUpload, explanation: str = ""
) -> EnterpriseRequest:
    request = EnterpriseRequest(
        enterprise=enterprise,
        kind=kind,
        requested_by=user,
        name_on_licence=name_on_licence.strip(),
        explanation=explanation.strip(),
        licence_name=licence.original_name,
        licence_content_type=licence.content_type,
        licence_sha256=licence.sha256,
    )
    request.licence.save(licence.content.name, licence.content, save=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        request.licence.delete(save=False)  # no unreferenced file is left behind
        raise ApplicationError(
            _("A request of this kind is already waiting for the organizer; you will be told the decision.")
        ) from None
    return request


def registration_verification_request(*, enterprise: Enterprise, user, licence: CheckedUpload) -> EnterpriseRequest:
    """The applicant sends (or sends again) the business licence so that an organizer can verify the registration."""
    if enterprise.account_id != user.pk:
        raise ApplicationError(_("Only the account that registered the enterprise can ask for its verification."))
    if enterprise.is_verified:
        raise ApplicationError(_("Your enterprise is already verified."))
    return _file_request(
        enterprise=enterprise,
        user=user,
        kind=EnterpriseRequestKind.REGISTRATION,
        name_on_licence=enterprise.name,
        licence=licence,
    )


def counter_claim_file(
    *, user, uscc: str, name_on_licence: str, licence: CheckedUpload, explanation: str = ""
) -> EnterpriseRequest:
    """The rightful holder of a code that another account registered first claims it, with its business licence."""
    if Enterprise.objects.filter(account=user).exists():
        raise ApplicationError(_("Your account already speaks for an enterprise."))
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise ApplicationError(_("No enterprise is registered with this code; register it instead of claiming it."))
    if not name_on_licence.strip():
        raise ApplicationError(_("Enter the enterprise's name exactly as the business licence shows it."))
    logger.info("Counter-claim for %s by account %s", uscc, user.pk)
    return _file_request(
        enterprise=enterprise,
        user=user,
        kind=EnterpriseRequestKind.COUNTER_CLAIM,
        name_on_licence=name_on_licence,
        licence=licence,
        explanation=explanation,
    )


def name_change_request(
    *, enterprise: Enterprise, user, new_name: str, licence: CheckedUpload, explanation: str = ""
) -> EnterpriseRequest:
    """A verified enterprise asks to change its name (变更) with the new business licence."""
    if enterprise.account_id != user.pk:
        raise ApplicationError(_("Only the enterprise's own account can ask to change its name."))
    new_name = new_name.strip()
    if not new_name:
        raise ApplicationError(_("Enter the new name exactly as the new business licence shows it."))
    if new_name == enterprise.name:
        raise ApplicationError(_("The new name is the same as the current one."))
    return _file_request(
        enterprise=enterprise,
        user=user,
        kind=EnterpriseRequestKind.NAME_CHANGE,
        name_on_licence=new_name,
        licence=licence,
        explanation=explanation,
    )


def enterprise_verify(*, enterprise: Enterprise, user, note: str) -> Enterprise:
    """An organizer has checked the business licence against the code and the name."""
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if enterprise.is_verified:
            return enterprise
        now = timezone.now()
        enterprise.verified_at = now
        enterprise.verified_by = user
        enterprise.save(update_fields=["verified_at", "verified_by", "updated_at"])
        EnterpriseRequest.objects.pending().filter(
            enterprise=enterprise, kind=EnterpriseRequestKind.REGISTRATION
        ).update(
            status=EnterpriseRequestStatus.APPROVED,
            decided_by=user,
            decided_at=now,
            decision_reason=note,
            previous_name=enterprise.name,
        )
    return enterprise


@service_atomic
def enterprise_request_decide(*, request: EnterpriseRequest, user, approve: bool, reason: str) -> EnterpriseRequest:
    """Approve or refuse a request, always with the reason the applicant will read."""
    request = EnterpriseRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != EnterpriseRequestStatus.PENDING:
        raise ApplicationError(_("This request has already been decided."))
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Give the reason for the decision; the applicant reads it."))
    enterprise = Enterprise.objects.select_for_update().get(pk=request.enterprise_id)
    now = timezone.now()
    request.previous_name = enterprise.name
    request.previous_account_id = enterprise.account_id
    if approve:
        {
            EnterpriseRequestKind.REGISTRATION: _approve_registration,
            EnterpriseRequestKind.COUNTER_CLAIM: _approve_counter_claim,
            EnterpriseRequestKind.NAME_CHANGE: _approve_name_change,
        }[request.kind](request, enterprise, user, now, reason)
    request.status = EnterpriseRequestStatus.APPROVED if approve else EnterpriseRequestStatus.REFUSED
    request.decided_by = user
    request.decided_at = now
    request.decision_reason = reason
    request.save()
    return request


def _approve_registration(request, enterprise, user, now, reason) -> None:
    if request.requested_by_id != enterprise.account_id:
        raise ApplicationError(_("The enterprise has changed hands since this request; it cannot be approved."))
    if request.name_on_licence != enterprise.name:
        raise ApplicationError(
            _("The enterprise's name has changed since the licence was sent (now “%(name)s”); refuse and ask again.")
            % {"name": enterprise.name}
        )
    enterprise.verified_at = now
    enterprise.verified_by = user
    enterprise.save(update_fields=["verified_at", "verified_by", "updated_at"])


def _approve_counter_claim(request, enterprise, user, now, reason) -> None:
    """Transfer the enterprise to the rightful holder; the applications and titles stay the enterprise's."""
    if Enterprise.objects.filter(account=request.requested_by_id).exists():
        raise ApplicationError(_("The claimant's account now speaks for another enterprise; it cannot take this one."))
    logger.warning(
        "Enterprise %s transferred from account %s to account %s by %s",
        enterprise.uscc,
        enterprise.account_id,
        request.requested_by_id,
        user.pk,
    )
    enterprise.account_id = request.requested_by_id
    enterprise.name = request.name_on_licence
    enterprise.verified_at = now
    enterprise.verified_by = user
    enterprise.save(update_fields=["account", "name", "verified_at", "verified_by", "updated_at"])
    # What the previous account asked about this enterprise is moot now.
    EnterpriseRequest.objects.pending().filter(enterprise=enterprise).exclude(pk=request.pk).update(
        status=EnterpriseRequestStatus.REFUSED,
        decided_by=user,
        decided_at=now,
        decision_reason=_("The enterprise was transferred to the holder of its business licence."),
    )


def _approve_name_change(request, enterprise, user, now, reason) -> None:
    # The titles keep the name they were granted under; their history reads the approved request (title_history).
    if request.requested_by_id != enterprise.account_id:
        raise ApplicationError(_("The enterprise has changed hands since this request; it cannot be approved."))
    enterprise.name = request.name_on_licence
    enterprise.save(update_fields=["name", "updated_at"])
    # The verification pages show the holder's new name beside the name as granted.
    from certificates.public_cache import public_pages_changed  # certificates builds on awards, not the reverse

    public_pages_changed()
