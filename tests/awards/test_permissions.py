"""Alice applies for enterprise A, Bob for its competitor B; Olivia organizes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import Attachment
from tests.factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_attachment(client, bob, bob_application):
    client.force_login(bob)
    client.post(
        reverse("awards:attachment_upload", args=[bob_application.pk]),
        {"kind": "business_licence", "file": upload("乙营业执照.pdf", pdf_bytes(), "application/pdf")},
    )
    client.logout()
    return Attachment.objects.get(application=bob_application)


def test_alice_cannot_read_bobs_application(client, alice, bob_application):
    client.force_login(alice)
    assert client.get(reverse("awards:application_detail", args=[bob_application.pk])).status_code == 404


def test_alice_cannot_open_bobs_application_form(client, alice, bob_application):
    client.force_login(alice)
    assert client.get(reverse("awards:application_edit", args=[bob_application.pk])).status_code == 404


def test_alice_cannot_change_bobs_application(client, alice, bob_application):
    client.force_login(alice)
    response = client.post(
        reverse("awards:application_edit", args=[bob_application.pk]), {"summary": "篡改", "save": "1"}
    )
    assert response.status_code == 404
    bob_application.refresh_from_db()
    assert bob_application.summary == ""


def test_alice_cannot_upload_to_bobs_application(client, alice, bob_application):
    client.force_login(alice)
    response = client.post(
        reverse("awards:attachment_upload", args=[bob_application.pk]),
        {"kind": "supporting", "file": upload("x.pdf", pdf_bytes(), "application/pdf")},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_alice_cannot_download_bobs_file(client, alice, bob_attachment):
    client.force_login(alice)
    assert client.get(reverse("awards:attachment_download", args=[bob_attachment.pk])).status_code == 404


def test_alice_cannot_remove_bobs_file(client, alice, bob_attachment):
    client.force_login(alice)
    assert client.post(reverse("awards:attachment_remove", args=[bob_attachment.pk])).status_code == 404
    bob_attachment.refresh_from_db()
    assert bob_attachment.removed_at is None


def test_alice_does_not_see_bobs_application_in_her_list(client, alice, alice_application, bob_application):
    client.force_login(alice)
    response = client.get(reverse("awards:application_list"))
    assert response.status_code == 200
    assert reverse("awards:application_detail", args=[alice_application.pk]) in response.content.decode()
    assert reverse("awards:application_detail", args=[bob_application.pk]) not in response.content.decode()


def test_the_organizer_may_read_any_application_and_its_files(client, olivia, bob_attachment):
    client.force_login(olivia)
    assert client.get(reverse("awards:application_detail", args=[bob_attachment.application_id])).status_code == 200
    assert client.get(reverse("awards:attachment_download", args=[bob_attachment.pk])).status_code == 200


def test_the_organizer_cannot_edit_an_enterprises_application(client, olivia, bob_application):
    client.force_login(olivia)
    assert client.get(reverse("awards:application_edit", args=[bob_application.pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "awards:application_list",
        "awards:enterprise_register",
        "awards:enterprise_edit",
    ],
)
def test_anonymous_users_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_users_cannot_see_an_application(client, bob_application):
    response = client.get(reverse("awards:application_detail", args=[bob_application.pk]))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_users_cannot_download_a_file(client, bob_attachment):
    response = client.get(reverse("awards:attachment_download", args=[bob_attachment.pk]))
    assert response.status_code == 302


def test_mutations_need_post(client, alice, alice_application):
    client.force_login(alice)
    assert client.get(reverse("awards:application_start", args=[alice_application.program.slug])).status_code == 405
