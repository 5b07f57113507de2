"""The staff work screens, in Chinese: inbox, dashboard, committee list, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import ApplicationStatus
from tests.factories import ApplicationFactory
from tests.workflows.flow_helpers import assign, formal_check, open_task, review_by_all, submit

pytestmark = pytest.mark.django_db


def test_the_organizers_inbox_lists_the_formal_checks_waiting(client, alice_application, olivia):
    application = submit(client, alice_application)
    client.force_login(olivia)
    page = client.get(reverse("workflows:inbox")).content.decode()
    assert "我的待办" in page
    assert "形式审查" in page
    assert application.enterprise.name in page
    assert reverse("workflows:task", args=[open_task(application, "formal_check").pk]) in page


def test_a_reviewers_inbox_shows_their_review_and_flags_it_when_overdue(client, alice_application, olivia, reviewers):
    from awards.models import Review

    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    assign(client, olivia, application, reviewers[:3])
    Review.objects.filter(reviewer=reviewers[0]).update(due_at="2020-01-01T00:00:00Z")
    client.force_login(reviewers[0])
    page = client.get(reverse("workflows:inbox")).content.decode()
    assert application.enterprise.name in page
    assert "已逾期" in page


def test_the_dashboard_counts_stages_and_draws_the_charts(client, alice_application, olivia, reviewers):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    review_by_all(client, olivia, application, reviewers[:3])
    ApplicationFactory(program=application.program)  # a draft
    client.force_login(olivia)
    response = client.get(reverse("workflows:dashboard", args=[application.program.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "cdn" not in page.lower()
    assert dict(response.context["stages"])["评审委员会"] == 1 or any(
        count == 1 for _label, count in response.context["stages"]
    )
    assert response.context["tier_chart"]["total"] == 1


def test_the_committee_approves_the_whole_list_at_once_with_a_reason_for_each_rejection(
    client, olivia, reviewers, carl, program
):
    from tests.factories import EnterpriseFactory

    applications = []
    for _ in range(3):
        application = submit(client, ApplicationFactory(program=program, enterprise=EnterpriseFactory()))
        formal_check(client, olivia, application, "accept")
        review_by_all(client, olivia, application, reviewers[:3])
        applications.append(application)
    client.force_login(carl)
    url = reverse("workflows:committee", args=[program.slug])
    page = client.get(url).content.decode()
    assert all(a.enterprise.name in page for a in applications)
    data = {f"a{a.pk}-approved": "yes" for a in applications}
    data[f"a{applications[2].pk}-approved"] = "no"
    refused = client.post(url, data)
    assert refused.status_code == 200  # a rejection without a reason: nothing is recorded
    assert all(a.status == ApplicationStatus.COMMITTEE for a in _fresh(applications))
    data[f"a{applications[2].pk}-reason"] = "近期投诉较多，暂缓授予。"
    assert client.post(url, data).status_code == 302
    statuses = [a.status for a in _fresh(applications)]
    assert statuses == [ApplicationStatus.APPROVED, ApplicationStatus.APPROVED, ApplicationStatus.NOT_APPROVED]


def _fresh(applications):
    for application in applications:
        application.refresh_from_db()
    return applications


def test_the_history_page_shows_every_step_who_and_why(client, alice_application, olivia):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "return", "缺少营业执照副本。")
    client.force_login(olivia)
    page = client.get(reverse("workflows:history", args=[application.pk])).content.decode()
    assert "退回补正" in page
    assert "缺少营业执照副本。" in page
    assert str(olivia) in page


def test_only_organizers_see_a_history_page(client, alice_application, reviewers):
    application = submit(client, alice_application)
    client.force_login(reviewers[0])
    assert client.get(reverse("workflows:history", args=[application.pk])).status_code == 403
