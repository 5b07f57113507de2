"""After the award: a case against a granted title, as a viewflow process.

Opening the case suspends the title at once; the enterprise may respond on its own pages; the committee
restores or revokes; after a revocation the enterprise may appeal within 15 days and the committee decides it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from accounts.permissions import DECIDE_AWARDS
from certificates import routing
from certificates.models import RevocationCase
from workflows import case_views
from workflows.locks import step_lock
from workflows.models import RevocationProcess


def _case(activation) -> RevocationCase:
    # Read afresh: the committee's and the enterprise's steps record on their own, locked copy of the case.
    return RevocationCase.objects.get(pk=activation.process.case_id)


def _on(predicate):
    """A gateway condition: the routing predicate, asked of the case as recorded now."""

    def condition(activation) -> bool:
        return predicate(_case(activation))

    condition.__name__ = predicate.__name__
    return condition


class RevocationFlow(flow.Flow):
    """Revocation case"""

    process_class = RevocationProcess
    process_title = _("Revocation case")
    lock_impl = step_lock

    start = flow.StartHandle(this.start_case).Next(this.decide)
    decide = (
        flow.View(case_views.decide)
        .Annotation(title=_("Decide the revocation case"))
        .Permission(DECIDE_AWARDS)
        .Next(this.route_decision)
    )
    route_decision = flow.If(_on(routing.case_revoked)).Then(this.appeal_period).Else(this.restored)
    appeal_period = flow.Timer(this.appeal_due).Annotation(title=_("Appeal period")).Next(this.route_appeal)
    route_appeal = flow.If(_on(routing.appeal_filed)).Then(this.decide_appeal).Else(this.revoked)
    decide_appeal = (
        flow.View(case_views.decide_appeal)
        .Annotation(title=_("Decide the appeal"))
        .Permission(DECIDE_AWARDS)
        .Next(this.appeal_decided)
    )

    restored = flow.End()
    revoked = flow.End()
    appeal_decided = flow.End()

    def start_case(self, activation, case):
        activation.process.case = case
        return activation.process

    def appeal_due(self, activation):
        return _case(activation).appeal_due
