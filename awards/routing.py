"""Which way an application goes at each fork of the review: the routing rules, as named predicates.

`workflows/flows.py` branches on these by name, so the flow reads as the whole procedure. Each predicate reads
only what has been recorded (the programme, the result, the inspection, the decisions in the history and the
objections), never a status chosen for the next step: the flow sets that status once it has chosen the branch.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery

from awards.models import (
    Application,
    ApplicationEvent,
    NoticeKind,
    Objection,
    ObjectionOutcome,
    ProgramMode,
    Tier,
)

Action = ApplicationEvent.Action

FORMAL_CHECK_DECISIONS = (Action.ACCEPTED, Action.RETURNED, Action.REJECTED)
COMMITTEE_DECISIONS = (Action.COMMITTEE_APPROVED, Action.COMMITTEE_REJECTED)


def _decisions(actions):
    return ApplicationEvent.objects.filter(action__in=actions).order_by("-at", "-pk").values_list("action", flat=True)


def _objections(outcome: str):
    return Objection.objects.filter(outcome=outcome)


def prepared(pk: int) -> Application:
    """The application with all that the predicates read, in one query: the flow asks them of this row."""
    return (
        Application.objects.select_related("program", "result", "inspection", "notice")
        .annotate(
            routing_formal_decision=Subquery(_decisions(FORMAL_CHECK_DECISIONS).filter(application=OuterRef("pk"))[:1]),
            routing_committee_decision=Subquery(_decisions(COMMITTEE_DECISIONS).filter(application=OuterRef("pk"))[:1]),
            routing_objections_pending=Exists(_objections(ObjectionOutcome.PENDING).filter(application=OuterRef("pk"))),
            routing_objections_upheld=Exists(_objections(ObjectionOutcome.UPHELD).filter(application=OuterRef("pk"))),
        )
        .get(pk=pk)
    )


_UNPREPARED = object()


def _read(application: Application, prepared_as: str, query):
    """The value `prepared()` annotated, or else the answer of the query (an application from anywhere else)."""
    value = getattr(application, prepared_as, _UNPREPARED)
    return query() if value is _UNPREPARED else value


def _latest_decision(application: Application, actions, prepared_as: str) -> str | None:
    return _read(application, prepared_as, lambda: _decisions(actions).filter(application=application).first())


def enrolled(application: Application) -> bool:
    """Enrolled by the organizer (evaluation mode): graded without applying, so without a formal check."""
    return application.enrolled


# After the formal check: accepted, returned for correction, or (otherwise) rejected.


def formal_check_accepted(application: Application) -> bool:
    return _latest_decision(application, FORMAL_CHECK_DECISIONS, "routing_formal_decision") == Action.ACCEPTED


def formal_check_returned(application: Application) -> bool:
    return _latest_decision(application, FORMAL_CHECK_DECISIONS, "routing_formal_decision") == Action.RETURNED


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
    return _latest_decision(application, COMMITTEE_DECISIONS, "routing_committee_decision") == Action.COMMITTEE_APPROVED


# After the notice period.


def objections_pending(application: Application) -> bool:
    return _read(
        application,
        "routing_objections_pending",
        lambda: application.objections.filter(outcome=ObjectionOutcome.PENDING).exists(),
    )


def objections_upheld(application: Application) -> bool:
    return _read(
        application,
        "routing_objections_upheld",
        lambda: application.objections.filter(outcome=ObjectionOutcome.UPHELD).exists(),
    )


def on_honours_notice(application: Application) -> bool:
    """On the recommended list (a title follows), not on the exposure list."""
    return application.notice.kind == NoticeKind.HONOURS
