"""The review of one application, from submission (or enrolment) to a granted title, as a viewflow process.

This is the whole procedure, its forks included: each gateway branches on a named predicate of `awards.routing`,
and the `to_*` steps after it move the application into the stage of the chosen branch. The services called by
the steps record what happened (a decision, a result, an inspection) and never pick the next step.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from accounts.permissions import DECIDE_AWARDS, INSPECT_SITES, ORGANIZE_PROGRAMS
from awards import routing, services
from awards.models import Application, ApplicationStatus, Notice, Review
from awards.services.statements import result_statement_open
from certificates.services import certificate_grant
from evaluations.repair import exposure_entry_open
from workflows import task_views
from workflows.locks import step_lock
from workflows.models import ApplicationProcess
from workflows.nodes import DataSplit


def _on(predicate):
    """A gateway condition: the routing predicate, asked of the application as recorded now."""

    def condition(activation) -> bool:
        # Read afresh, once per gateway (a Switch asks several): the step before recorded its outcome through its
        # own, locked copy of the row.
        application = getattr(activation, "_routing_application", None)
        if application is None:
            application = activation._routing_application = routing.prepared(activation.process.application_id)
        return predicate(application)

    condition.__name__ = predicate.__name__
    return condition


def _enter(status: str):
    """A step that moves the application into the stage of the branch the flow has chosen."""

    def enter(activation) -> None:
        process = activation.process
        services.application_route(application_id=process.application_id, to=status)
        if ApplicationProcess.application.is_cached(process):  # a later step may be handed this copy
            process.application.status = status

    return enter


def _application_of(activation) -> Application:
    # The services called by the steps read the row afresh under their own lock, so its key is all they are given:
    # loading the process's application first would be one more query per step.
    return Application(pk=activation.process.application_id)


def _open_reviews(activation) -> list[dict]:
    reviews = Review.objects.filter(application=activation.process.application_id).order_by("pk")
    return [{"review_id": pk, "reviewer_id": reviewer} for pk, reviewer in reviews.values_list("pk", "reviewer_id")]


def _reviewer_of(activation):
    data = activation.task.data
    if "reviewer_id" in data:  # the task only stores its owner's key: no need to load the user
        return get_user_model()(pk=data["reviewer_id"])
    return get_user_model().objects.get(reviews=data["review_id"])  # a task split before the reviewer was noted


class ReviewFlow(flow.Flow):
    """Award review"""

    process_class = ApplicationProcess
    process_title = _("Award review")
    # Without a row lock, parallel reviews finishing together on PostgreSQL left the join stuck.
    lock_impl = step_lock

    start = flow.StartHandle(this.start_process).Next(this.route_start)
    # Enrolled applications are created in review (workflows.services.enrolment_import): no formal check.
    route_start = flow.If(this.enrolled).Then(this.assign_reviewers).Else(this.formal_check)

    formal_check = (
        flow.View(task_views.formal_check)
        .Annotation(title=_("Formal check"))
        .Permission(ORGANIZE_PROGRAMS)
        .Next(this.formal_outcome)
    )
    formal_outcome = (
        flow.Switch()
        .Case(this.to_review, _on(routing.formal_check_accepted))
        .Case(this.to_correction, _on(routing.formal_check_returned))
        .Default(this.to_rejected)
    )
    to_review = flow.Function(_enter(ApplicationStatus.IN_REVIEW)).Next(this.assign_reviewers)
    to_correction = flow.Function(_enter(ApplicationStatus.RETURNED)).Next(this.correction)
    to_rejected = flow.Function(_enter(ApplicationStatus.REJECTED)).Next(this.rejected)
    # The applicant corrects on the project's own pages; resubmitting runs this handle.
    correction = (
        flow.Handle(this.resubmitted).Annotation(title=_("Correction by the applicant")).Next(this.formal_check)
    )

    assign_reviewers = (
        flow.View(task_views.assign_reviewers)
        .Annotation(title=_("Assign reviewers"))
        .Permission(ORGANIZE_PROGRAMS)
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
    # Tier A goes to the inspection first where the programme needs one, else to the committee; so does tier D
    # of an evaluation programme, proposed for the exposure list. Any other result is graded, and that is all.
    route_result = (
        flow.Switch()
        .Case(this.to_inspection, _on(routing.needs_inspection))
        .Case(this.to_committee, _on(routing.recommended))
        .Case(this.to_committee, _on(routing.proposed_for_exposure))
        .Default(this.to_graded)
    )
    to_inspection = flow.Function(_enter(ApplicationStatus.INSPECTION)).Next(this.inspection)
    to_graded = flow.Function(_enter(ApplicationStatus.GRADED)).Next(this.graded)

    inspection = (
        flow.View(task_views.inspection)
        .Annotation(title=_("On-site inspection"))
        .Permission(INSPECT_SITES)
        .Next(this.inspection_outcome)
    )
    inspection_outcome = flow.If(_on(routing.inspection_passed)).Then(this.to_committee).Else(this.to_failed_inspection)
    to_failed_inspection = flow.Function(_enter(ApplicationStatus.FAILED_INSPECTION)).Next(this.failed_inspection)

    # A proposed D is heard first (陈述申辩): the enterprise is told and may respond before the committee decides.
    to_committee = flow.Function(this.enter_committee).Next(this.committee)
    committee = (
        flow.View(task_views.committee)
        .Annotation(title=_("Committee decision"))
        .Permission(DECIDE_AWARDS)
        .Next(this.committee_outcome)
    )
    committee_outcome = flow.If(_on(routing.committee_approved)).Then(this.to_approved).Else(this.to_not_approved)
    to_approved = flow.Function(_enter(ApplicationStatus.APPROVED)).Next(this.await_notice)
    to_not_approved = flow.Function(_enter(ApplicationStatus.NOT_APPROVED)).Next(this.not_approved)

    # The organizer publishes all approved candidates of a programme at once; publishing runs this handle.
    await_notice = flow.Handle(this.published).Annotation(title=_("Awaiting publication")).Next(this.notice_period)
    notice_period = (
        flow.Timer(this.notice_closes_at).Annotation(title=_("Public notice period")).Next(this.after_notice)
    )
    after_notice = (
        flow.Switch()
        .Case(this.verify_objections, _on(routing.objections_pending))
        .Case(this.remove_candidate, _on(routing.objections_upheld))
        .Default(this.conclude)
    )
    verify_objections = (
        flow.View(task_views.verify_objections)
        .Annotation(title=_("Verify objections"))
        .Permission(ORGANIZE_PROGRAMS)
        .Next(this.after_notice)
    )
    remove_candidate = flow.Function(this.remove).Next(this.removed)
    conclude = flow.If(_on(routing.on_honours_notice)).Then(this.grant).Else(this.expose)
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

    def enrolled(self, activation) -> bool:
        # Set when the application is created and never changed: the copy the process was started with answers.
        return routing.enrolled(activation.process.application)

    def resubmitted(self, activation):
        """Nothing to do: the application was resubmitted by the applicant's own page."""

    def published(self, activation):
        """Nothing to do: the notice was published by the organizer for the whole programme."""

    def notice_closes_at(self, activation):
        return Notice.objects.values_list("closes_at", flat=True).get(applications=activation.process.application_id)

    def enter_committee(self, activation):
        _enter(ApplicationStatus.COMMITTEE)(activation)
        result_statement_open(application=_application_of(activation))

    def aggregate(self, activation):
        services.result_decide(application=_application_of(activation))

    def remove(self, activation):
        services.candidate_remove(application=_application_of(activation))

    def grant_title(self, activation):
        certificate_grant(application=_application_of(activation))

    def publish_exposure(self, activation):
        exposure_entry_open(application=services.application_expose(application=_application_of(activation)))
