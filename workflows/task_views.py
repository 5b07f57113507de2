"""The screens of the human tasks of the review flow. Each parses its form, calls one service, advances the task.

They are dispatched by `workflows.views.task_detail` after it has checked that the user may work on the task;
applicants never reach them.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from awards import services
from awards.models import (
    Application,
    Attachment,
    AttachmentKind,
    Objection,
    ObjectionOutcome,
    Review,
    ReviewStatus,
)
from awards.services.statements import result_statement
from workflows import forms
from workflows.tasks import TaskNotOpen, task_complete


def _application(task) -> Application:
    return (
        Application.objects.select_related("program", "enterprise__district", "enterprise__industry")
        .prefetch_related(
            Prefetch("self_assessments"),
            Prefetch("attachments", queryset=Attachment.objects.current()),
        )
        .get(process__pk=task.process_id)
    )


def _complete(request, task, form, action, success: str):
    """Run the action as the task's completion; on a refusal, show why next to the form and keep the input."""
    try:
        task_complete(task=task, user=request.user, action=action)
    except TaskNotOpen as error:
        messages.info(request, error.messages[0])
        return redirect("workflows:inbox")
    except services.ApplicationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    messages.success(request, success)
    return redirect("workflows:inbox")


def _render(request, template: str, task, application: Application, **context):
    return render(
        request,
        f"workflows/{template}.html",
        {
            "task": task,
            "application": application,
            "self_assessments": {a.criterion_id: a for a in application.self_assessments.all()},
            "criteria": list(application.program.criteria.all()),
            **context,
        },
    )


def _task_screen(request, task, application: Application, form, *, action, success: str, template: str, **context):
    """The common shape of a task screen: on a valid POST complete the task with the action, else show the form."""
    if request.method == "POST" and form.is_valid():
        response = _complete(request, task, form, lambda: action(form.cleaned_data), success)
        if response:
            return response
    return _render(request, template, task, application, form=form, **context)


def formal_check(request, task):
    application = _application(task)
    return _task_screen(
        request,
        task,
        application,
        forms.FormalCheckForm(request.POST or None, enterprise_verified=application.enterprise.is_verified),
        action=lambda data: services.formal_check_decide(
            application=application,
            user=request.user,
            decision=data["decision"],
            reason=data["reason"],
            licence_checked=data.get("licence_checked", False),
        ),
        success=_("The formal check of %(name)s is recorded.") % {"name": application.enterprise},
        template="formal_check",
    )


def assign_reviewers(request, task):
    application = _application(task)
    form = forms.AssignReviewersForm(
        request.POST or None,
        candidates=services.reviewer_candidates(application),
        minimum=application.program.min_reviewers,
    )
    return _task_screen(
        request,
        task,
        application,
        form,
        action=lambda data: services.reviewers_assign(
            application=application,
            user=request.user,
            reviewer_ids=[user.pk for user in data["reviewers"]],
            due_at=form.due_at(),
        ),
        success=_("Reviewers are assigned to %(name)s.") % {"name": application.enterprise},
        template="assign_reviewers",
    )


def review(request, task):
    """Blind scoring: the reviewer sees the application and their own form, never another reviewer's scores."""
    # After declaring a conflict the task stays theirs until the organizer replaces them, but the application
    # is no longer theirs to read.
    own_review = get_object_or_404(Review.objects.open(), pk=task.data["review_id"], reviewer=request.user)
    application = _application(task)
    criteria = list(application.program.criteria.all())
    # Bind only the form that was submitted: a form bound on GET would greet the reviewer with ten errors.
    posted = request.POST if request.method == "POST" else None
    declining = posted is not None and "decline" in posted
    decline_form = forms.DeclineForm(posted if declining else None)
    form = forms.ReviewForm(None if declining else posted, criteria=criteria)
    if declining and decline_form.is_valid():
        try:
            # own_review is the user's own, and task_detail let only the task's owner in.
            services.review_decline(review=own_review, reason=decline_form.cleaned_data["reason"])
        except services.ApplicationError as error:
            decline_form.add_error(None, error.messages[0])
        else:
            messages.success(
                request, _("Your conflict of interest is recorded; the organizer will assign someone else.")
            )
            return redirect("workflows:inbox")
    elif form.is_bound and form.is_valid():
        response = _complete(
            request,
            task,
            form,
            lambda: services.review_submit(
                review=own_review, scores=form.scores(), comment=form.cleaned_data["comment"]
            ),
            _("Your review of %(name)s is submitted.") % {"name": application.enterprise},
        )
        if response:
            return response
    return _render(request, "review", task, application, form=form, decline_form=decline_form, review=own_review)


def inspection(request, task):
    application = _application(task)
    return _task_screen(
        request,
        task,
        application,
        forms.InspectionForm(request.POST or None, request.FILES or None),
        action=lambda data: services.inspection_record(
            application=application,
            user=request.user,
            inspected_on=data["inspected_on"],
            passed=data["passed"],
            notes=data["notes"],
            photos=data["photos"],
        ),
        success=_("The inspection of %(name)s is recorded.") % {"name": application.enterprise},
        template="inspection",
        photos=application.attachments.current().filter(kind=AttachmentKind.INSPECTION_PHOTO),
    )


def committee(request, task):
    application = _application(task)
    return _task_screen(
        request,
        task,
        application,
        forms.CommitteeForm(request.POST or None),
        action=lambda data: services.committee_decide(
            application=application, user=request.user, approved=data["approved"], reason=data["reason"]
        ),
        success=_("The committee's decision on %(name)s is recorded.") % {"name": application.enterprise},
        template="committee",
        # The committee reads the reviewers' comments, as the review form tells the reviewers.
        reviews=application.reviews.filter(status=ReviewStatus.SUBMITTED).select_related("reviewer"),
        # A proposed D is decided beside the enterprise's statement (陈述申辩) on it.
        statement=result_statement(application),
    )


def verify_objections(request, task):
    """Verify the pending objections one by one; the task completes with the last one."""
    application = _application(task)
    pending = list(application.objections.filter(outcome=ObjectionOutcome.PENDING))
    objection = pending[0] if pending else None
    form = forms.ObjectionVerifyForm(request.POST or None, prefix=f"objection-{objection.pk}" if objection else None)
    if request.method == "POST" and objection and form.is_valid():

        def verify() -> Objection:
            return services.objection_verify(
                objection=objection,
                user=request.user,
                upheld=form.cleaned_data["upheld"],
                reason=form.cleaned_data["reason"],
            )

        if len(pending) > 1:
            try:
                verify()
            except services.ApplicationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(
                    request, _("Objection %(number)s is verified.") % {"number": objection.tracking_number}
                )
                return redirect("workflows:task", pk=task.pk)
        else:
            response = _complete(
                request,
                task,
                form,
                verify,
                _("Every objection against %(name)s is verified.") % {"name": application.enterprise},
            )
            if response:
                return response
    return _render(
        request,
        "verify_objections",
        task,
        application,
        form=form,
        objection=objection,
        objections=application.objections.select_related("verified_by"),
    )


HANDLERS = {
    "formal_check": formal_check,
    "assign_reviewers": assign_reviewers,
    "review": review,
    "inspection": inspection,
    "committee": committee,
    "verify_objections": verify_objections,
}
