"""What an application's history shows to whom: the review is blind, so only organizers learn who did what."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.permissions import ORGANIZE_PROGRAMS, has_any
from accounts.roles import Role
from awards.models import Application, ApplicationEvent

Action = ApplicationEvent.Action

# The role in which staff perform each action; everyone but an organizer sees this instead of a name.
ACTION_ROLES: dict[str, Role] = {
    Action.ENROLLED: Role.ORGANIZER,
    Action.ACCEPTED: Role.ORGANIZER,
    Action.RETURNED: Role.ORGANIZER,
    Action.REJECTED: Role.ORGANIZER,
    Action.REVIEWERS_ASSIGNED: Role.ORGANIZER,
    Action.REVIEWER_REPLACED: Role.ORGANIZER,
    Action.NOTICE_PUBLISHED: Role.ORGANIZER,
    Action.NOTICE_PERIOD_CHANGED: Role.ORGANIZER,
    Action.OBJECTION_UPHELD: Role.ORGANIZER,
    Action.OBJECTION_DISMISSED: Role.ORGANIZER,
    Action.GRANTED: Role.ORGANIZER,
    Action.STATEMENT_INVITED: Role.ORGANIZER,
    Action.REVIEWER_DECLINED: Role.REVIEWER,
    Action.REVIEW_SUBMITTED: Role.REVIEWER,
    Action.INSPECTED: Role.INSPECTOR,
    Action.COMMITTEE_APPROVED: Role.COMMITTEE,
    Action.COMMITTEE_REJECTED: Role.COMMITTEE,
}

# Notes the applicant may read. Listed rather than excluded, so that a new kind of event keeps its note to the
# organizers until someone decides otherwise: a declined reviewer's note is their conflict of interest, a
# replacement's note names the new reviewer.
NOTES_FOR_EVERYONE = frozenset(
    {
        Action.SUBMIT_REFUSED,
        Action.ATTACHMENT_ADDED,
        Action.ATTACHMENT_REMOVED,
        Action.RETURNED,
        Action.REJECTED,
        Action.REVIEWERS_ASSIGNED,  # how many, not who
        Action.RESULT_DECIDED,
        Action.INSPECTED,
        Action.COMMITTEE_APPROVED,
        Action.COMMITTEE_REJECTED,
        Action.NOTICE_PUBLISHED,
        Action.NOTICE_PERIOD_CHANGED,  # the new closing time and the organizer's reason
        Action.OBJECTION_UPHELD,
        Action.OBJECTION_DISMISSED,
        Action.GRANTED,
        Action.STATEMENT_INVITED,  # the proposed outcome and until when the enterprise may respond
        Action.STATEMENT_FILED,
    }
)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    action: str
    label: str
    by: str  # empty when nobody in particular acted (the system)
    note: str


def history_seen_by(viewer, application: Application) -> list[HistoryEntry]:
    """The application's events as the viewer may see them: in full for organizers, else without staff names.

    Applicants, reviewers, inspectors and the committee see staff by their role, never who reviewed, who
    declined, or why.
    """
    events = application.events.select_related("actor")
    if has_any(viewer, ORGANIZE_PROGRAMS):
        return [_entry(event, by=str(event.actor or ""), note=event.note) for event in events]
    account_id = application.enterprise.account_id
    return [
        _entry(
            event,
            by=_role_of(event) if event.actor_id and event.actor_id != account_id else str(event.actor or ""),
            note=event.note if event.action in NOTES_FOR_EVERYONE else "",
        )
        for event in events
    ]


def _entry(event: ApplicationEvent, *, by: str, note: str) -> HistoryEntry:
    return HistoryEntry(at=event.at, action=event.action, label=event.get_action_display(), by=by, note=note)


def _role_of(event: ApplicationEvent) -> str:
    role = ACTION_ROLES.get(event.action) or next((role for role in Role if event.actor.has_role(role)), None)
    return role.label if role else ""
