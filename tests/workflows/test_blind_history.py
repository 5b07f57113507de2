"""The review is blind: the applicant's history names no reviewer and gives no conflict; organizers see it all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from awards.history import history_seen_by
from awards.models import ApplicationEvent
from tests.workflows.flow_helpers import assign, decline, formal_check, replace, score, submit

pytestmark = pytest.mark.django_db

Action = ApplicationEvent.Action
REVIEWER_NAMES = ["评审甲某某", "评审乙某某", "评审丙某某", "评审丁某某", "评审戊某某"]
CONFLICT = "本人配偶在该企业担任财务负责人。"


def _named(user, name: str):
    user.first_name, user.last_name = name, ""
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def reviewed(client, alice_application, olivia, reviewers):
    """Alice's application, scored by three reviewers after the first declined and was replaced by the fourth."""
    _named(olivia, "组织者欧某某")
    for reviewer, name in zip(reviewers, REVIEWER_NAMES, strict=True):
        _named(reviewer, name)
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "accept")
    assign(client, olivia, application, reviewers[:3])
    decline(client, reviewers[0], application, CONFLICT)
    replace(client, olivia, application, reviewers[0], reviewers[3])
    for reviewer in reviewers[1:4]:
        score(client, reviewer, application, points_share=0.95)
    application.refresh_from_db()
    return application


def _entry(entries, action):
    return next(entry for entry in entries if entry.action == action)


def _everything(entries) -> str:
    return " ".join(f"{entry.by} {entry.note}" for entry in entries)


def test_an_applicant_sees_the_organizer_by_role(reviewed, alice):
    entry = _entry(history_seen_by(alice, reviewed), Action.ACCEPTED)
    assert entry.by == "组织单位"


def test_an_applicant_sees_a_declining_reviewer_by_role_without_the_reason(reviewed, alice):
    entry = _entry(history_seen_by(alice, reviewed), Action.REVIEWER_DECLINED)
    assert (entry.by, entry.note) == ("评审专家", "")


def test_an_applicant_does_not_learn_who_replaced_the_reviewer(reviewed, alice):
    entry = _entry(history_seen_by(alice, reviewed), Action.REVIEWER_REPLACED)
    assert (entry.by, entry.note) == ("组织单位", "")


def test_an_applicant_reads_no_staff_name_or_conflict_anywhere_in_the_history(reviewed, alice):
    seen = _everything(history_seen_by(alice, reviewed))
    for hidden in [*REVIEWER_NAMES, "组织者欧某某", CONFLICT]:
        assert hidden not in seen


def test_an_applicant_sees_their_own_steps_under_their_own_name(reviewed, alice):
    assert _entry(history_seen_by(alice, reviewed), Action.SUBMITTED).by == str(alice)


def test_an_applicant_still_reads_why_the_application_was_returned(client, alice_application, olivia, alice):
    application = submit(client, alice_application)
    formal_check(client, olivia, application, "return", "营业执照扫描件不清晰。")
    entry = _entry(history_seen_by(alice, application), Action.RETURNED)
    assert (entry.by, entry.note) == ("组织单位", "营业执照扫描件不清晰。")


def test_another_reviewer_does_not_learn_who_declined_or_why(reviewed, reviewers):
    seen = _everything(history_seen_by(reviewers[1], reviewed))
    for hidden in [REVIEWER_NAMES[0], REVIEWER_NAMES[3], CONFLICT]:
        assert hidden not in seen


def test_an_organizer_sees_who_declined_and_why(reviewed, olivia):
    entry = _entry(history_seen_by(olivia, reviewed), Action.REVIEWER_DECLINED)
    assert (entry.by, entry.note) == ("评审甲某某", CONFLICT)


def test_an_organizer_sees_who_took_the_declined_reviewers_place(reviewed, olivia):
    entry = _entry(history_seen_by(olivia, reviewed), Action.REVIEWER_REPLACED)
    assert (entry.by, entry.note) == ("组织者欧某某", "评审丁某某")


def test_the_application_page_shows_the_applicant_roles_instead_of_names(reviewed, alice):
    client = Client()  # not the one that drove the flow, whose messages name the staff
    client.force_login(alice)
    response = client.get(reverse("awards:application_detail", args=[reviewed.pk]))
    page = response.content.decode()
    assert "评审专家" in page and "组织单位" in page
    for hidden in [*REVIEWER_NAMES, "组织者欧某某", CONFLICT]:
        assert hidden not in page


def test_the_staff_history_page_still_shows_who_declined_and_why(client, reviewed, olivia):
    client.force_login(olivia)
    page = client.get(reverse("workflows:history", args=[reviewed.pk])).content.decode()
    assert "评审甲某某" in page
    assert CONFLICT in page
