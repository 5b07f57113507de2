"""The titles, printing and export page is reached by links, not only by typing its address."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page(client, user, url: str) -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def test_the_programme_dashboard_links_to_its_titles_page(client, olivia, program):
    page = _page(client, olivia, reverse("workflows:dashboard", args=[program.slug]))
    assert f'href="{reverse("certificates:titles", args=[program.slug])}"' in page


def test_the_programme_list_links_to_each_titles_page(client, olivia, program):
    page = _page(client, olivia, reverse("workflows:programs"))
    assert f'href="{reverse("certificates:titles", args=[program.slug])}"' in page
