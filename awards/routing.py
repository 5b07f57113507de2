"""Which way an application goes at each fork of the review: the routing rules, as named predicates.

`workflows/flows.py` branches on these by name, so the flow reads as the whole procedure. Each predicate reads
only what has been recorded (the programme, the result, the inspection, the decisions in the history and the
objections), never a status chosen for the next step: the flow sets that status once it has chosen the branch.
"""

from __future__ import annotations

from awards.models import (
    Application,
    ApplicationEvent,
    NoticeKind,
    ObjectionOutcome,
    ProgramMode,
    Tier,
)

Action = ApplicationEvent.Action

FORMAL_CHECK_DECISIONS = (Action.ACCEPTED, Action.RETURNED, Action.REJECTED)
COMMITTEE_DECISIONS = (Action.COMMITTEE_APPROVED, Action.COMMITTEE_REJECTED)


def _latest_decision(application: Application, actions) -> str | None:
    return (
        application.events.filter(action__in=actions).order_by("-at", "-pk").values_list("action", flat=True).first()
    )


def enrolled(application: Application) -> bool:
    """Enrolled by the organizer (evaluation mode): graded without applying, so without a formal check."""
    return application.enrolled


# After the formal check: accepted, returned for correction, or (otherwise) rejected.


def formal_check_accepted(application: Application) -> bool:
    return _latest_decision(application, FORMAL_CHECK_DECISIONS) == Action.ACCEPTED


def formal_check_returned(application: Application) -> bool:
    return _latest_decision(application, FORMAL_CHECK_DECISIONS) == Action.RETURNED


# After the result: inspection, committee, or (otherwise) graded and done.


def recommended(application: Application) -> bool:
    """Tier A: recommended for the title."""
    return application.result.tier == Tier.A


def needs_inspection(application: Application) -> bool:
    """Recommended in an application-mode programme whose title needs an on-site inspection first."""
    program = application.program
    return recommended(application) and program.mode == ProgramMode.APPLICATION and bool(program.requires_inspection)


def proposed_for_exposure(application: Application) -> bool:
    """Tier D in an evaluation programme: proposed for the exposure list, which the committee approves too."""
    return application.result.tier == Tier.D and application.program.mode == ProgramMode.EVALUATION


def inspection_passed(application: Application) -> bool:
    return application.inspection.passed


def committee_approved(application: Application) -> bool:
    return _latest_decision(application, COMMITTEE_DECISIONS) == Action.COMMITTEE_APPROVED


# After the notice period.


def objections_pending(application: Application) -> bool:
    return application.objections.filter(outcome=ObjectionOutcome.PENDING).exists()


def objections_upheld(application: Application) -> bool:
    return application.objections.filter(outcome=ObjectionOutcome.UPHELD).exists()


def on_honours_notice(application: Application) -> bool:
    """On the recommended list (a title follows), not on the exposure list."""
    return application.notice.kind == NoticeKind.HONOURS
