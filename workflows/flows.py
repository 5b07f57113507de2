"""The review of one application, from submission (or enrolment) to a granted title, as a viewflow process."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from awards import services
from awards.models import Application, ApplicationStatus, NoticeKind
from certificates.services import certificate_grant
from workflows import task_views
from workflows.models import ApplicationProcess
from workflows.nodes import DataSplit

ORGANIZE = "awards.organize_programs"


def _status_is(*statuses: str):
    # Read from the database: the services that set the status work on their own, locked copy of the row.
    return lambda activation: Application.objects.filter(
        pk=activation.process.application_id, status__in=statuses
    ).exists()


def _open_reviews(activation) -> list[dict]:
    application = activation.process.application
    return [{"review_id": review.pk} for review in application.reviews.order_by("pk")]


def _reviewer_of(activation):
    from awards.models import Review

    return get_user_model().objects.get(reviews=Review.objects.get(pk=activation.task.data["review_id"]))


class ReviewFlow(flow.Flow):
    """Award review"""

    process_class = ApplicationProcess
    process_title = _("Award review")
    # Without a row lock, parallel reviews finishing together on PostgreSQL left the join stuck.
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.route_start)
    route_start = flow.If(lambda a: a.process.application.enrolled).Then(this.assign_reviewers).Else(this.formal_check)

    formal_check = (
        flow.View(task_views.formal_check)
        .Annotation(title=_("Formal check"))
        .Permission(ORGANIZE)
        .Next(this.formal_outcome)
    )
    formal_outcome = (
        flow.Switch()
        .Case(this.assign_reviewers, _status_is(ApplicationStatus.IN_REVIEW))
        .Case(this.correction, _status_is(ApplicationStatus.RETURNED))
        .Default(this.rejected)
    )
    # The applicant corrects on the project's own pages; resubmitting runs this handle.
    correction = (
        flow.Handle(this.resubmitted).Annotation(title=_("Correction by the applicant")).Next(this.formal_check)
    )

    assign_reviewers = (
        flow.View(task_views.assign_reviewers)
        .Annotation(title=_("Assign reviewers"))
        .Permission(ORGANIZE)
        .Next(this.split_reviews)
    )
    split_reviews = DataSplit().Next(this.review, data_source=_open_reviews)
    review = (
        flow.View(task_views.review)
        .Annotation(title=_("Score the application"))
        .Assign(_reviewer_of)
        .Next(this.join_reviews)
    )
    join_reviews = flow.Join().Next(this.decide_result)
    decide_result = flow.Function(this.aggregate).Next(this.route_result)
    route_result = (
        flow.Switch()
        .Case(this.inspection, _status_is(ApplicationStatus.INSPECTION))
        .Case(this.committee, _status_is(ApplicationStatus.COMMITTEE))
        .Default(this.graded)
    )

    inspection = (
        flow.View(task_views.inspection)
        .Annotation(title=_("On-site inspection"))
        .Permission("awards.inspect_sites")
        .Next(this.inspection_outcome)
    )
    inspection_outcome = (
        flow.If(_status_is(ApplicationStatus.COMMITTEE)).Then(this.committee).Else(this.failed_inspection)
    )

    committee = (
        flow.View(task_views.committee)
        .Annotation(title=_("Committee decision"))
        .Permission("awards.decide_awards")
        .Next(this.committee_outcome)
    )
    committee_outcome = flow.If(_status_is(ApplicationStatus.APPROVED)).Then(this.await_notice).Else(this.not_approved)

    # The organizer publishes all approved candidates of a programme at once; publishing runs this handle.
    await_notice = flow.Handle(this.published).Annotation(title=_("Awaiting publication")).Next(this.notice_period)
    notice_period = (
        flow.Timer(this.notice_closes_at).Annotation(title=_("Public notice period")).Next(this.after_notice)
    )
    after_notice = (
        flow.Switch()
        .Case(this.verify_objections, lambda a: services.objections_pending(a.process.application))
        .Case(this.remove_candidate, lambda a: services.objections_upheld(a.process.application))
        .Default(this.conclude)
    )
    verify_objections = (
        flow.View(task_views.verify_objections)
        .Annotation(title=_("Verify objections"))
        .Permission(ORGANIZE)
        .Next(this.after_notice)
    )
    remove_candidate = flow.Function(this.remove).Next(this.removed)
    conclude = (
        flow.If(lambda a: a.process.application.notice.kind == NoticeKind.HONOURS).Then(this.grant).Else(this.expose)
    )
    grant = flow.Function(this.grant_title).Next(this.granted)
    expose = flow.Function(this.publish_exposure).Next(this.exposed)

    rejected = flow.End()
    graded = flow.End()
    failed_inspection = flow.End()
    not_approved = flow.End()
    removed = flow.End()
    granted = flow.End()
    exposed = flow.End()

    def start_process(self, activation, application):
        activation.process.application = application
        return activation.process

    def resubmitted(self, activation):
        """Nothing to do: the application was resubmitted by the applicant's own page."""

    def published(self, activation):
        """Nothing to do: the notice was published by the organizer for the whole programme."""

    def notice_closes_at(self, activation):
        return activation.process.application.notice.closes_at

    def aggregate(self, activation):
        services.result_decide(application=activation.process.application)
        activation.process.application.refresh_from_db()

    def remove(self, activation):
        services.candidate_remove(application=activation.process.application)

    def grant_title(self, activation):
        certificate_grant(application=activation.process.application)

    def publish_exposure(self, activation):
        services.application_expose(application=activation.process.application)
