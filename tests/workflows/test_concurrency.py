"""Three reviewers submitting at the same moment produce exactly one aggregation (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.models import ApplicationStatus, ReviewResult
from tests.workflows.flow_helpers import assign, formal_check, submit
from workflows.flows import ReviewFlow

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"),
]


def test_three_simultaneous_reviews_aggregate_once(client, alice_application, olivia, reviewers):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    assign(client, olivia, application, reviewers[:3])
    tasks = {
        task.owner_id: task
        for task in Task.objects.filter(
            process__applicationprocess__application=application, flow_task=ReviewFlow.review
        )
    }
    barrier = threading.Barrier(3)
    statuses: list[int] = []

    def submit_review(reviewer) -> None:
        try:
            reviewer_client = Client()
            reviewer_client.force_login(reviewer)
            data = {"comment": "同时提交。"}
            for criterion in application.program.criteria.all():
                data[f"criterion_{criterion.pk}"] = "no" if criterion.is_veto else str(criterion.max_points)
            barrier.wait()
            response = reviewer_client.post(reverse("workflows:task", args=[tasks[reviewer.pk].pk]), data)
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit_review, args=(reviewer,)) for reviewer in reviewers[:3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302, 302]
    assert ReviewResult.objects.filter(application=application).count() == 1
    joins = Task.objects.filter(process__applicationprocess__application=application, flow_task=ReviewFlow.join_reviews)
    assert [task.status for task in joins] == [STATUS.DONE]
    assert (
        Task.objects.filter(
            process__applicationprocess__application=application, flow_task=ReviewFlow.decide_result
        ).count()
        == 1
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMMITTEE
