"""Which way a revocation case goes at each fork, as named predicates; `workflows/revocation.py` branches on them."""

from __future__ import annotations

from certificates.models import CaseDecision, RevocationCase


def case_revoked(case: RevocationCase) -> bool:
    """The committee revoked the title (else it restored it)."""
    return case.decision == CaseDecision.REVOKE


def appeal_filed(case: RevocationCase) -> bool:
    """The enterprise appealed the revocation within its time."""
    return bool(case.appealed_at)
