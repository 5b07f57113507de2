"""Exposure-list entries and their credit repair (信用修复), after 国家发展改革委《信用修复管理办法》.

An application exposed after its notice gets an entry with a class and a display period (evaluations.credit_rules).
From the earliest repair day on, its enterprise may ask for repair with evidence of the correction and a credit
pledge; the organizer decides within CREDIT_REPAIR_DECISION_WORKING_DAYS working days, with the reason. A repaired
entry leaves every public page and list at once; an entry past its last display day leaves them by itself, because
every reader filters by today's date (displayed_exposures), and the periodic work only records the end in the
history. Nothing is deleted.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awards.mail import send_after_commit
from awards.models import Application, ApplicationStatus, Program
from awards.services import ApplicationError
from awards.services.notices import calendar_overrides
from awards.transactions import service_atomic
from awards.uploads import CheckedUpload
from awards.workdays import add_working_days
from certificates.public_cache import public_pages_changed
from evaluations import credit_rules
from evaluations.models import (
    CreditClass,
    ExposureEntry,
    ExposureEvent,
    RepairOutcome,
    RepairRequest,
    displayed_on,
)

Action = ExposureEvent.Action

# The credit pledge (信用承诺) the enterprise affirms with its request: an official document's wording, hence Chinese.
PLEDGE_TEXT = (
    "本单位郑重承诺：已纠正失信行为、履行相关义务，所提交的信用修复申请材料真实、准确、完整；"
    "今后将依法诚信经营，自觉接受社会监督。如有虚假，自愿承担相应责任，并接受撤销信用修复决定、"
    "重新公示失信信息等处理。"
)


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _record(entry: ExposureEntry, action: str, user, note: str = "", now: datetime.datetime | None = None) -> None:
    ExposureEvent.objects.create(entry=entry, action=action, actor=user, note=note, at=now or timezone.now())


# --- what the public reads ------------------------------------------------------------------------------------------


def displayed_exposures(program: Program | None = None, today: datetime.date | None = None) -> QuerySet[Application]:
    """The applications on the public exposure list on `today`: every page, list and export reads this.

    An exposed application whose entry is repaired, or outside its display period, is left out; one without an
    entry (none after migration 0003; only if one were exposed some other way) stays listed rather than vanish
    without a record.
    """
    applications = Application.objects.filter(still_displayed(today), status=ApplicationStatus.EXPOSED)
    return applications.filter(program=program) if program is not None else applications


def still_displayed(today: datetime.date | None = None) -> Exists:
    """The condition on an exposed application that it is still on the public list on `today`."""
    hidden = ExposureEntry.objects.filter(application=OuterRef("pk")).exclude(displayed_on(today))
    return ~Exists(hidden)


# --- the entry ------------------------------------------------------------------------------------------------------


def _dated(entry: ExposureEntry) -> ExposureEntry:
    entry.display_until = credit_rules.last_display_day(entry.display_from, entry.display_months)
    entry.repair_from = credit_rules.earliest_repair_day(entry.display_from, entry.credit_class)
    return entry


@service_atomic
def exposure_entry_open(*, application: Application, now: datetime.datetime | None = None) -> ExposureEntry:
    """The exposed application's entry, with the default class of its tier and that class's default period."""
    existing = ExposureEntry.objects.filter(application=application).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    tier = getattr(getattr(application, "result", None), "tier", "D")
    credit_class = credit_rules.default_class(tier)
    entry = _dated(
        ExposureEntry(
            application=application,
            credit_class=credit_class,
            display_months=credit_rules.CLASS_RULES[credit_class].default_months,
            display_from=timezone.localdate(now),
            created_at=now,
        )
    )
    entry.save()
    _record(
        entry,
        Action.LISTED,
        None,
        _("%(class)s, displayed from %(start)s to %(end)s; credit repair may be asked for from %(repair)s.")
        % {
            "class": entry.get_credit_class_display(),
            "start": _day(entry.display_from),
            "end": _day(entry.display_until),
            "repair": _day(entry.repair_from),
        },
        now,
    )
    public_pages_changed()
    return entry


@service_atomic
def exposure_entry_classify(
    *, entry: ExposureEntry, user, credit_class: str, months: int, reason: str
) -> ExposureEntry:
    """The organizer sets the class and the display period, within the class's bounds, with the reason."""
    entry = ExposureEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.repaired_at is not None:
        raise ApplicationError(_("This entry has been repaired; its display period can no longer be changed."))
    if credit_class not in CreditClass.values:
        raise ApplicationError(_("Choose the class of the breach of trust."))
    rule = credit_rules.CLASS_RULES[credit_class]
    if not credit_rules.period_allowed(credit_class, months):
        raise ApplicationError(
            _("A %(class)s entry is displayed for %(shortest)d to %(longest)d months.")
            % {
                "class": CreditClass(credit_class).label,
                "shortest": rule.shortest_months,
                "longest": rule.longest_months,
            }
        )
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the class and the period; it stays in the history."))
    entry.credit_class, entry.display_months = credit_class, months
    _dated(entry).save(update_fields=["credit_class", "display_months", "display_until", "repair_from"])
    _record(
        entry,
        Action.CLASSIFIED,
        user,
        _("%(class)s, %(months)d months: displayed until %(end)s; repair from %(repair)s. %(reason)s")
        % {
            "class": entry.get_credit_class_display(),
            "months": months,
            "end": _day(entry.display_until),
            "repair": _day(entry.repair_from),
            "reason": reason.strip(),
        },
    )
    public_pages_changed()
    return entry


# --- repair ---------------------------------------------------------------------------------------------------------


def repair_refusal(entry: ExposureEntry, today: datetime.date | None = None) -> str | None:
    """Why the enterprise cannot ask for repair of this entry today, or None if it can."""
    today = today or timezone.localdate()
    if entry.repaired_at is not None:
        return _("This entry has already been repaired and is no longer published.")
    if today > entry.display_until:
        return _("The display period of this entry ended on %(end)s; it is no longer published.") % {
            "end": _day(entry.display_until)
        }
    if today < entry.repair_from:
        return _(
            "Credit repair can be asked for from %(date)s on: the shortest display period of a %(class)s entry "
            "must have run first."
        ) % {"date": _day(entry.repair_from), "class": entry.get_credit_class_display()}
    if entry.repair_requests.filter(outcome=RepairOutcome.PENDING).exists():
        return _("Your request for credit repair is awaiting the organizer's decision.")
    return None


def repair_decision_due(submitted_on: datetime.date) -> datetime.date:
    """The last day for the organizer's decision: the set number of working days after the request."""
    return add_working_days(submitted_on, settings.CREDIT_REPAIR_DECISION_WORKING_DAYS, calendar_overrides())


@service_atomic
def repair_request_file(
    *,
    entry: ExposureEntry,
    user,
    correction: str,
    evidence: CheckedUpload,
    pledge_affirmed: bool,
    now: datetime.datetime | None = None,
) -> RepairRequest:
    """The enterprise asks for credit repair, with how it corrected the breach, evidence and its credit pledge."""
    now = now or timezone.now()
    entry = ExposureEntry.objects.select_for_update().select_related("application__enterprise").get(pk=entry.pk)
    if entry.application.enterprise.account_id != user.pk:
        raise ApplicationError(_("Only the enterprise on the list may ask for its credit repair."))
    refusal = repair_refusal(entry, timezone.localdate(now))
    if refusal:
        raise ApplicationError(refusal)
    problems = []
    if len(correction.strip()) < 10:
        problems.append(_("Describe how the breach of trust was corrected (at least 10 characters)."))
    if not pledge_affirmed:
        problems.append(_("Affirm the credit pledge; repair is not granted without it."))
    if problems:
        raise ApplicationError(*problems)
    request = RepairRequest(
        entry=entry,
        correction=correction.strip(),
        evidence_name=evidence.original_name,
        evidence_type=evidence.content_type,
        evidence_sha256=evidence.sha256,
        pledge=PLEDGE_TEXT,
        submitted_by=user,
        submitted_at=now,
        decide_by=repair_decision_due(timezone.localdate(now)),
    )
    request.evidence.save(evidence.content.name, evidence.content, save=False)
    request.save()
    _record(
        entry,
        Action.REPAIR_REQUESTED,
        user,
        _("Decision due by %(due)s.") % {"due": _day(request.decide_by)},
        now,
    )
    return request


@service_atomic
def repair_decide(
    *, request: RepairRequest, user, repaired: bool, reason: str, now: datetime.datetime | None = None
) -> RepairRequest:
    """The organizer repairs the entry (it leaves the public list at once) or refuses, with the reason."""
    now = now or timezone.now()
    request = (
        RepairRequest.objects.select_for_update()
        .select_related("entry__application__program", "entry__application__enterprise")
        .get(pk=request.pk)
    )
    if request.outcome != RepairOutcome.PENDING:
        raise ApplicationError(_("This request has already been decided."))
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the decision; the enterprise reads it."))
    request.outcome = RepairOutcome.REPAIRED if repaired else RepairOutcome.REFUSED
    request.reason, request.decided_by, request.decided_at = reason.strip(), user, now
    request.save(update_fields=["outcome", "reason", "decided_by", "decided_at"])
    if repaired:
        ExposureEntry.objects.filter(pk=request.entry_id).update(repaired_at=now)
    _record(request.entry, Action.REPAIRED if repaired else Action.REPAIR_REFUSED, user, reason.strip(), now)
    send_after_commit(
        "credit_repair_decided", request.entry.application, {"repaired": repaired, "reason": request.reason}
    )
    public_pages_changed()
    return request


def repair_queue() -> QuerySet[RepairRequest]:
    """Requests awaiting a decision, the most urgent first."""
    return (
        RepairRequest.objects.filter(outcome=RepairOutcome.PENDING)
        .select_related("entry__application__enterprise", "entry__application__program")
        .order_by("decide_by", "submitted_at", "pk")
    )


# --- the end of display ---------------------------------------------------------------------------------------------


def exposure_displays_end(today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """The periodic work: record in the history the end of every display period that has run out.

    The entries have already left the public pages (they filter by today's date); this only writes it down, once.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    ended = ExposureEntry.objects.filter(
        Q(display_until__lt=today), repaired_at__isnull=True, display_ended_at__isnull=True
    )
    count = sum(_display_end_record(entry, now) for entry in ended.iterator(chunk_size=500))
    if count:
        public_pages_changed()
    return count


@service_atomic
def _display_end_record(entry: ExposureEntry, now: datetime.datetime) -> bool:
    if not ExposureEntry.objects.filter(pk=entry.pk, display_ended_at__isnull=True).update(display_ended_at=now):
        return False  # another worker recorded it first
    _record(
        entry,
        Action.DISPLAY_ENDED,
        None,
        _("The display period ended on %(end)s; the entry left the public list by itself.")
        % {"end": _day(entry.display_until)},
        now,
    )
    return True
