"""Every link a staff member is shown on their work pages opens for them: no button leads to a refusal."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.factories import ApplicationFactory, EnterpriseFactory, staff_user
from tests.test_access_walk import STAFF, world  # noqa: F401  (world is a fixture)
from tests.workflows.flow_helpers import formal_check, review_by_all, submit

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture
def busy_world(world, client):  # noqa: F811
    """The access walk's world, with one more application of its programme waiting for the committee."""
    waiting = submit(client, ApplicationFactory(program=world.program, enterprise=EnterpriseFactory()))
    formal_check(client, world.users["organizer"], waiting, "accept")
    review_by_all(client, world.users["organizer"], waiting, [staff_user(f"r{n}", Role.REVIEWER) for n in range(3)])
    client.logout()
    return world


def _work_pages(program, role: str) -> list[str]:
    pages = [reverse("workflows:inbox")]
    if role == "organizer":
        pages += [reverse("workflows:programs"), reverse("workflows:dashboard", args=[program.slug])]
    return pages


@pytest.mark.parametrize("role", sorted(STAFF))
def test_every_link_on_the_work_pages_opens_for_the_role_that_sees_it(busy_world, role):
    client = Client()
    client.force_login(busy_world.users[role])
    broken = []
    for page in _work_pages(busy_world.program, role):
        response = client.get(page)
        assert response.status_code == 200, page
        for href in _links(response.content.decode()):
            status = client.get(href).status_code
            if status != 200:
                broken.append(f"{page} → {href}: {status}")
    assert broken == []


def test_the_organizer_is_shown_the_committee_list(busy_world):
    client = Client()
    client.force_login(busy_world.users["organizer"])
    page = client.get(reverse("workflows:dashboard", args=[busy_world.program.slug])).content.decode()
    assert reverse("workflows:committee", args=[busy_world.program.slug]) in page
