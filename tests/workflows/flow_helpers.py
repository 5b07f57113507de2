"""Drive the review flow through the web views, as the people who use it would."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.models import Application
from jobs.periodic import run_periodic_work
from tests.factories import complete_draft
from workflows.flows import ReviewFlow


def open_task(application: Application, node_name: str) -> Task:
    return Task.objects.get(
        process__applicationprocess__application=application,
        flow_task=getattr(ReviewFlow, node_name),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def has_open_task(application: Application, node_name: str) -> bool:
    return Task.objects.filter(
        process__applicationprocess__application=application,
        flow_task=getattr(ReviewFlow, node_name),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).exists()


def complete(client, user, task: Task, data: dict, *, expect: int = 302):
    client.force_login(user)
    response = client.post(reverse("workflows:task", args=[task.pk]), data)
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def submit(client, application: Application) -> Application:
    complete_draft(application)
    client.force_login(application.enterprise.account)
    data = {"summary": application.summary, "commitment_accepted": "on", "submit": "1"}
    for assessment in application.self_assessments.select_related("criterion"):
        key = f"criterion_{assessment.criterion_id}"
        data[key] = (
            ("yes" if assessment.veto_applies else "no") if assessment.criterion.is_veto else str(assessment.points)
        )
    response = client.post(reverse("awards:application_edit", args=[application.pk]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    return application


def formal_check(client, organizer, application, decision: str = "accept", reason: str = ""):
    complete(client, organizer, open_task(application, "formal_check"), {"decision": decision, "reason": reason})
    application.refresh_from_db()


def assign(client, organizer, application, reviewers):
    due = timezone.localdate() + datetime.timedelta(days=14)
    complete(
        client,
        organizer,
        open_task(application, "assign_reviewers"),
        {"reviewers": [r.pk for r in reviewers], "due_on": due.isoformat()},
    )


def score(
    client, reviewer, application, *, points_share: float, veto: bool = False, comment: str = "材料翔实，评分如上。"
):
    task = Task.objects.get(
        process__applicationprocess__application=application,
        flow_task=ReviewFlow.review,
        owner=reviewer,
        status=STATUS.ASSIGNED,
    )
    data = {"comment": comment}
    for criterion in application.program.criteria.all():
        key = f"criterion_{criterion.pk}"
        data[key] = (
            ("yes" if veto else "no")
            if criterion.is_veto
            else str(round(float(criterion.max_points) * points_share, 1))
        )
    complete(client, reviewer, task, data)


def review_by_all(client, organizer, application, reviewers, share: float = 0.95):
    assign(client, organizer, application, reviewers)
    for reviewer in reviewers:
        score(client, reviewer, application, points_share=share)
    application.refresh_from_db()


def committee_approves(client, member, application):
    complete(client, member, open_task(application, "committee"), {"approved": "yes", "reason": ""})
    application.refresh_from_db()


def publish(client, organizer, program, kind: str = "honours"):
    client.force_login(organizer)
    response = client.post(reverse("workflows:publish", args=[program.slug]), {"kind": kind})
    assert response.status_code == 302


def close_notice(application):
    """Move the clock past the end of the notice and let the due timers fire, as any page view would."""
    application.refresh_from_db()
    with freeze_time(application.notice.closes_at + datetime.timedelta(minutes=1)):
        fired = run_periodic_work()["workflow timers"]
    application.refresh_from_db()
    return fired


def review_task(application, reviewer) -> Task:
    return Task.objects.get(
        process__applicationprocess__application=application,
        flow_task=ReviewFlow.review,
        owner=reviewer,
        status=STATUS.ASSIGNED,
    )


def decline(client, reviewer, application, reason: str = "近亲属在该企业任职。") -> Task:
    """The reviewer declares a conflict of interest; return their task, which stays assigned until the replacement."""
    task = review_task(application, reviewer)
    complete(client, reviewer, task, {"decline": "1", "reason": reason})
    return task


def replace(client, organizer, application, declined_reviewer, new_reviewer):
    from awards.models import Review

    declined = Review.objects.get(application=application, reviewer=declined_reviewer)
    client.force_login(organizer)
    response = client.post(
        reverse("workflows:replace_reviewer", args=[declined.pk]), {f"r{declined.pk}-reviewer": new_reviewer.pk}
    )
    assert response.status_code == 302
