"""Uploading or removing a document on the application page saves what was typed, so nothing is lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import Attachment
from tests.factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def _licence(content: bytes | None = None) -> dict:
    return {"kind": "business_licence", "file": upload("营业执照.pdf", content or pdf_bytes(), "application/pdf")}


def _post(client, application, data: dict):
    return client.post(reverse("awards:application_edit", args=[application.pk]), data)


def test_it_saves_the_summary_typed_together_with_an_upload(client, alice, alice_application):
    client.force_login(alice)
    response = _post(client, alice_application, {"summary": "三年零投诉，明码标价。", "upload": "1"} | _licence())
    assert response.status_code == 302
    assert response["Location"].endswith("#attachments")
    alice_application.refresh_from_db()
    assert alice_application.summary == "三年零投诉，明码标价。"
    assert alice_application.attachments.current().get().original_name == "营业执照.pdf"


def test_a_refused_file_still_saves_the_summary_and_says_why(client, alice, alice_application):
    client.force_login(alice)
    response = _post(client, alice_application, {"summary": "三年零投诉。", "upload": "1"} | _licence(ELF))
    assert response.status_code == 200
    assert "id_file_errors" in response.content.decode()
    alice_application.refresh_from_db()
    assert alice_application.summary == "三年零投诉。"
    assert not Attachment.objects.exists()


def test_an_upload_with_a_wrong_entry_keeps_the_file_and_shows_the_typed_text(client, alice, alice_application):
    criterion = alice_application.program.criteria.filter(is_veto=False).first()
    client.force_login(alice)
    data = {"summary": "还没保存的事迹", f"criterion_{criterion.pk}": "999", "upload": "1"} | _licence()
    response = _post(client, alice_application, data)
    assert response.status_code == 200
    assert "还没保存的事迹" in response.content.decode()
    assert f"criterion_{criterion.pk}_errors" in response.content.decode()
    assert alice_application.attachments.current().exists()  # the browser would not have kept the file


def test_removing_a_document_saves_the_summary_typed_before(client, alice, alice_application):
    client.force_login(alice)
    _post(client, alice_application, {"summary": "", "upload": "1"} | _licence())
    attachment = Attachment.objects.get()
    response = _post(client, alice_application, {"summary": "删除前写的事迹", "remove": str(attachment.pk)})
    assert response.status_code == 302
    alice_application.refresh_from_db()
    assert alice_application.summary == "删除前写的事迹"
    assert not alice_application.attachments.current().exists()


def test_alice_cannot_remove_bobs_file_through_her_own_application(
    client, alice, alice_application, bob, bob_application
):
    client.force_login(bob)
    _post(client, bob_application, {"summary": "", "upload": "1"} | _licence())
    bobs = Attachment.objects.get(application=bob_application)
    client.force_login(alice)
    assert _post(client, alice_application, {"summary": "", "remove": str(bobs.pk)}).status_code == 404
    bobs.refresh_from_db()
    assert bobs.removed_at is None


def test_the_upload_is_a_button_of_the_application_form(client, alice, alice_application):
    client.force_login(alice)
    page = client.get(reverse("awards:application_edit", args=[alice_application.pk])).content.decode()
    forms = page.split("<form")
    application_form = next(form for form in forms if 'name="summary"' in form)
    assert 'enctype="multipart/form-data"' in application_form
    assert 'name="upload"' in application_form
    assert 'name="file"' in application_form
