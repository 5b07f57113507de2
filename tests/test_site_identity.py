"""Every page says who runs the site, how to reach them and the ICP filing number, from settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ("home", "honours", "notices", "awards:program_list", "accounts:login")


@pytest.fixture
def identity(settings):
    settings.SITE_ORGANIZER_NAME = "宁波市消费者权益保护委员会"
    settings.SITE_CONTACT = "0574-87654321"
    settings.SITE_ICP_NUMBER = "浙ICP备12345678号-2"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_it_shows_the_organizer_contact_and_icp_number_on_every_public_page(client, identity, name):
    page = client.get(reverse(name)).content.decode()
    footer = page[page.index('<footer class="site">') :]
    assert "主办单位：宁波市消费者权益保护委员会" in footer
    assert "联系方式：0574-87654321" in footer
    assert "浙ICP备12345678号-2" in footer


def test_it_names_the_organizer_in_the_header(client, identity):
    page = client.get(reverse("honours")).content.decode()
    header = page[page.index('<header class="site">') : page.index("</header>")]
    assert "宁波市消费者权益保护委员会" in header


def test_the_icp_number_is_a_plain_link_to_the_miit_register(client, identity):
    page = client.get(reverse("home")).content.decode()
    assert '<a href="https://beian.miit.gov.cn/">浙ICP备12345678号-2</a>' in page


def test_nothing_is_shown_for_what_is_not_set(client, settings):
    settings.SITE_ORGANIZER_NAME = settings.SITE_CONTACT = settings.SITE_ICP_NUMBER = ""
    page = client.get(reverse("home")).content.decode()
    assert "beian.miit.gov.cn" not in page
    assert "主办单位" not in page


def _identity_in_a_new_process(env: dict) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SITE_ORGANIZER_NAME, settings.SITE_CONTACT, settings.SITE_ICP_NUMBER, sep='|')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **{key: value for key, value in os.environ.items() if not key.startswith("SITE_")},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().split("|")


def test_the_identity_is_read_from_the_environment():
    env = {"SITE_ORGANIZER_NAME": "温州市消保委", "SITE_CONTACT": "12315", "SITE_ICP_NUMBER": "浙ICP备7号"}
    assert _identity_in_a_new_process(env) == ["温州市消保委", "12315", "浙ICP备7号"]


def test_development_shows_placeholders_marked_as_a_demo():
    assert all(value.endswith("（演示）") for value in _identity_in_a_new_process({"DJANGO_ENV": "development"}))


def test_production_shows_no_demo_placeholder_unless_set(tmp_path):
    env = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "s" * 60,
        "DJANGO_ALLOWED_HOSTS": "awards.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    assert _identity_in_a_new_process(env) == ["", "", ""]
