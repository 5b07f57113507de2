"""The review of an application: formal check, reviewers, blind scoring, result, inspection, committee."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import REVIEW_APPLICATIONS, users_with
from awards.mail import send_after_commit
from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    ConflictOfInterest,
    Inspection,
    Review,
    ReviewResult,
    ReviewStatus,
    Score,
)
from awards.scoring import ReviewerTotal, TierRule, aggregate
from awards.services.applications import ApplicationError, record_event
from awards.services.enterprises import enterprise_verify
from awards.services.statements import result_decision_check
from awards.transactions import service_atomic
from awards.uploads import CheckedUpload

DEFAULT_REVIEW_DAYS = 14


class FormalDecision:
    ACCEPT = "accept"
    RETURN = "return"
    REJECT = "reject"


@service_atomic
def formal_check_decide(
    *, application: Application, user, decision: str, reason: str, licence_checked: bool = False
) -> Application:
    """Record the decision to accept, return for correction or reject; a return or a rejection carries its reason.

    The review flow reads the decision from the history and moves the application on (routing.formal_check_*).
    Accepting an application of an unverified enterprise is also its verification: the organizer confirms
    that the business licence matches the code and the name.
    """
    application = Application.objects.select_for_update().select_related("enterprise").get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError(_("This application is not waiting for the formal check."))
    reason = reason.strip()
    if decision in (FormalDecision.RETURN, FormalDecision.REJECT) and not reason:
        raise ApplicationError(_("Give the reason, so that the applicant knows what to do."))
    if decision == FormalDecision.ACCEPT and not application.enterprise.is_verified:
        if not licence_checked:
            raise ApplicationError(
                _(
                    "The enterprise is not verified yet: check that its business licence shows the same code and "
                    "name, and confirm it, before accepting."
                )
            )
        enterprise_verify(
            enterprise=application.enterprise, user=user, note=_("Verified at the formal check of an application.")
        )
    action = {
        FormalDecision.ACCEPT: ApplicationEvent.Action.ACCEPTED,
        FormalDecision.RETURN: ApplicationEvent.Action.RETURNED,
        FormalDecision.REJECT: ApplicationEvent.Action.REJECTED,
    }[decision]
    record_event(application, action, user, reason)
    if decision != FormalDecision.ACCEPT:
        send_after_commit(
            "application_returned" if decision == FormalDecision.RETURN else "application_rejected",
            application,
            {"reason": reason},
        )
    return application


def reviewer_candidates(application: Application):
    """Eligible reviewers, least loaded first; those who declared a conflict with the enterprise never appear."""
    return (
        users_with(REVIEW_APPLICATIONS)
        .exclude(conflicts__enterprise=application.enterprise_id)
        .exclude(reviews__application=application)
        .annotate(open_reviews=Count("reviews", filter=Q(reviews__status=ReviewStatus.ASSIGNED), distinct=True))
        .order_by("open_reviews", "pk")
        .distinct()
    )


@service_atomic
def reviewers_assign(
    *, application: Application, user, reviewer_ids: list[int], due_at: datetime.datetime
) -> list[Review]:
    """Assign at least the programme's minimum of distinct, eligible reviewers."""
    application = Application.objects.select_for_update().select_related("program").get(pk=application.pk)
    if application.status != ApplicationStatus.IN_REVIEW or application.reviews.exists():
        raise ApplicationError(_("Reviewers have already been assigned to this application."))
    ids = list(dict.fromkeys(reviewer_ids))
    minimum = application.program.min_reviewers
    if len(ids) < minimum:
        raise ApplicationError(_("Choose at least %(n)d different reviewers.") % {"n": minimum})
    eligible = set(reviewer_candidates(application).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - eligible:
        raise ApplicationError(
            _("A chosen reviewer is not eligible: they declared a conflict of interest or are not a reviewer.")
        )
    if due_at <= timezone.now():
        raise ApplicationError(_("The review deadline must lie in the future."))
    reviews = Review.objects.bulk_create(Review(application=application, reviewer_id=pk, due_at=due_at) for pk in ids)
    record_event(application, ApplicationEvent.Action.REVIEWERS_ASSIGNED, user, f"{len(ids)}")
    return reviews


@service_atomic
def review_decline(*, review: Review, reason: str) -> Review:
    """A reviewer declares a conflict of interest; the organizer then puts someone else in their place."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.ASSIGNED:
        raise ApplicationError(_("This review is no longer open."))
    if not reason.strip():
        raise ApplicationError(_("Say what the conflict of interest is."))
    ConflictOfInterest.objects.get_or_create(
        reviewer=review.reviewer, enterprise=review.application.enterprise, defaults={"reason": reason.strip()}
    )
    review.status = ReviewStatus.DECLINED
    review.save(update_fields=["status"])
    record_event(review.application, ApplicationEvent.Action.REVIEWER_DECLINED, review.reviewer, reason.strip())
    return review


@service_atomic
def _review_replace(*, review: Review, user, new_reviewer_id: int) -> Review:
    """Give a declined review to another eligible reviewer, with the same deadline or a week if it has passed.

    The domain half of `workflows.services.review_replace`, which also hands the open task over.
    """
    review = Review.objects.select_for_update().select_related("application").get(pk=review.pk)
    if review.status != ReviewStatus.DECLINED or review.replaced_by_id:
        raise ApplicationError(_("Only a declined review can be given to someone else."))
    if not reviewer_candidates(review.application).filter(pk=new_reviewer_id).exists():
        raise ApplicationError(_("This person is not an eligible reviewer for the application."))
    due_at = max(review.due_at, timezone.now() + datetime.timedelta(days=7))
    replacement = Review.objects.create(application=review.application, reviewer_id=new_reviewer_id, due_at=due_at)
    review.replaced_by = replacement
    review.save(update_fields=["replaced_by"])
    record_event(review.application, ApplicationEvent.Action.REVIEWER_REPLACED, user, str(replacement.reviewer))
    return replacement


@dataclass(frozen=True)
class ScoreInput:
    points: Decimal | None = None
    veto_applies: bool | None = None


@service_atomic
def review_submit(*, review: Review, scores: dict[int, ScoreInput], comment: str) -> Review:
    """Record a reviewer's scores for every criterion; once submitted they cannot change."""
    review = Review.objects.select_for_update().select_related("application__program").get(pk=review.pk)
    if review.status != ReviewStatus.ASSIGNED:
        raise ApplicationError(_("This review has already been submitted or declined."))
    criteria = list(review.application.program.criteria.all())
    problems = []
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if criterion.is_veto and (value is None or value.veto_applies is None):
            problems.append(_("Answer the veto item “%(title)s”.") % {"title": criterion.title})
        elif not criterion.is_veto and (value is None or value.points is None):
            problems.append(_("Score “%(title)s”.") % {"title": criterion.title})
        elif not criterion.is_veto and not (0 <= value.points <= criterion.max_points):
            problems.append(
                _("“%(title)s” takes 0 to %(max)s points.") % {"title": criterion.title, "max": criterion.max_points}
            )
    if not comment.strip():
        problems.append(_("Write a comment that explains the scores."))
    if problems:
        raise ApplicationError(*problems)
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=criterion,
            points=None if criterion.is_veto else scores[criterion.pk].points,
            veto_applies=scores[criterion.pk].veto_applies if criterion.is_veto else None,
        )
        for criterion in criteria
    )
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.comment = comment.strip()
    review.save(update_fields=["status", "submitted_at", "comment"])
    record_event(review.application, ApplicationEvent.Action.REVIEW_SUBMITTED, None)
    return review


def _reviewer_totals(application: Application) -> list[ReviewerTotal]:
    totals: dict[int, ReviewerTotal] = {}
    scores = Score.objects.filter(
        review__application=application, review__status=ReviewStatus.SUBMITTED
    ).select_related("review", "criterion")
    for score in scores:
        reviewer_id = score.review.reviewer_id
        current = totals.get(reviewer_id, ReviewerTotal(reviewer_id, Decimal(0)))
        totals[reviewer_id] = ReviewerTotal(
            reviewer_id,
            current.total + (score.points or 0),
            current.veto_criterion_ids | ({score.criterion_id} if score.veto_applies else set()),
        )
    return list(totals.values())


def tier_rule_for(program) -> TierRule:
    return TierRule(
        a_min=program.tier_a_min,
        b_min=program.tier_b_min,
        c_min=program.tier_c_min,
        spread_limit=program.score_spread_limit,
    )


@service_atomic
def result_decide(*, application: Application) -> ReviewResult:
    """Aggregate the submitted reviews into the final score and tier, keeping the trace; the flow routes on it."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "result", "enterprise__account")  # the result and the applicant's mail read these
        .get(pk=application.pk)
    )
    if hasattr(application, "result"):
        return application.result  # decided once; a second call (a retried join) changes nothing
    result = aggregate(_reviewer_totals(application), tier_rule_for(application.program))
    decided = ReviewResult.objects.create(
        application=application,
        final_score=result.final_score,
        tier=result.tier,
        spread_flagged=result.spread_flagged,
        veto_fired=bool(result.vetoes),
        rule_version=result.rule_version,
        explanation=result.explanation(),
    )
    record_event(application, ApplicationEvent.Action.RESULT_DECIDED, None, f"{result.tier} {result.final_score}")
    send_after_commit("result_decided", application, {"result": decided})
    return decided


@service_atomic
def inspection_record(
    *,
    application: Application,
    user,
    inspected_on: datetime.date,
    passed: bool,
    notes: str,
    photos: list[CheckedUpload],
) -> Inspection:
    """Record the on-site acceptance, passed or failed, with the findings; the flow routes on it."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.INSPECTION:
        raise ApplicationError(_("This application is not waiting for an on-site inspection."))
    if not notes.strip():
        raise ApplicationError(_("Write down the findings of the inspection."))
    if inspected_on > timezone.localdate():
        raise ApplicationError(_("The inspection date cannot lie in the future."))
    inspection = Inspection.objects.create(
        application=application, inspector=user, inspected_on=inspected_on, passed=passed, notes=notes.strip()
    )
    for photo in photos:
        attachment = Attachment(
            application=application,
            kind=AttachmentKind.INSPECTION_PHOTO,
            original_name=photo.original_name,
            content_type=photo.content_type,
            size=photo.size,
            sha256=photo.sha256,
            uploaded_by=user,
        )
        attachment.file.save(photo.content.name, photo.content, save=True)
    record_event(application, ApplicationEvent.Action.INSPECTED, user, notes.strip())
    return inspection


@service_atomic
def committee_decide(*, application: Application, user, approved: bool, reason: str = "") -> Application:
    """Record that the committee approves a recommended application, or rejects it with a reason."""
    # The result (read by the check of the right to be heard) comes with the locked row, in the same query.
    application = Application.objects.select_for_update(of=("self",)).select_related("result").get(pk=application.pk)
    if application.status != ApplicationStatus.COMMITTEE:
        raise ApplicationError(_("This application is not waiting for the committee."))
    result_decision_check(application)  # a proposed D is decided only once the enterprise has been heard
    if not approved and not reason.strip():
        raise ApplicationError(_("Give the reason for not approving %(name)s.") % {"name": application.enterprise})
    action = ApplicationEvent.Action.COMMITTEE_APPROVED if approved else ApplicationEvent.Action.COMMITTEE_REJECTED
    record_event(application, action, user, reason.strip())
    return application


def review_send_reminders(*, now: datetime.datetime | None = None, ahead: datetime.timedelta | None = None) -> int:
    """E-mail each reviewer whose review falls due soon, once; return how many were reminded."""
    now = now or timezone.now()
    ahead = ahead or datetime.timedelta(days=2)
    sent = 0
    for review in (
        Review.objects.open()
        .filter(reminded_at__isnull=True, due_at__lte=now + ahead)
        .select_related("reviewer", "application__program", "application__enterprise")
    ):
        with transaction.atomic():
            claimed = Review.objects.filter(pk=review.pk, reminded_at__isnull=True).update(reminded_at=now)
            if claimed:  # another process may have sent it in the meantime
                send_after_commit("review_reminder", review.application, {"review": review}, to=[review.reviewer.email])
                sent += 1
    return sent
