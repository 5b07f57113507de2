"""Programmes, enterprises, applications, their review and public notice."""

from awards.models.applications import (
    APPLICANT_ATTACHMENT_KINDS,
    EDITABLE_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationQuerySet,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    SelfAssessment,
    attachment_path,
)
from awards.models.claims import EnterpriseRequest, EnterpriseRequestKind, EnterpriseRequestStatus
from awards.models.notices import CalendarDay, Notice, NoticeChange, NoticeKind, Objection, ObjectionOutcome
from awards.models.programs import (
    DEFAULT_VALIDITY_YEARS,
    Criterion,
    District,
    Enterprise,
    Industry,
    Program,
    ProgramKind,
    ProgramMode,
)
from awards.models.reviews import ConflictOfInterest, Inspection, Review, ReviewResult, ReviewStatus, Score, Tier
from awards.models.statements import Statement, StatementQuerySet, StatementSubject

__all__ = [
    "APPLICANT_ATTACHMENT_KINDS",
    "DEFAULT_VALIDITY_YEARS",
    "EDITABLE_STATUSES",
    "Application",
    "ApplicationEvent",
    "ApplicationQuerySet",
    "ApplicationStatus",
    "Attachment",
    "AttachmentKind",
    "CalendarDay",
    "ConflictOfInterest",
    "Criterion",
    "District",
    "Enterprise",
    "EnterpriseRequest",
    "EnterpriseRequestKind",
    "EnterpriseRequestStatus",
    "Industry",
    "Inspection",
    "Notice",
    "NoticeChange",
    "NoticeKind",
    "Objection",
    "ObjectionOutcome",
    "Program",
    "ProgramKind",
    "ProgramMode",
    "Review",
    "ReviewResult",
    "ReviewStatus",
    "Score",
    "SelfAssessment",
    "Statement",
    "StatementQuerySet",
    "StatementSubject",
    "Tier",
    "attachment_path",
]
