"""Uploads written to storage whose row was never committed (a killed process, a rollback) are swept away."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from awards import services
from awards.models import Attachment
from awards.orphans import GRACE, orphan_uploads_remove, orphan_uploads_sweep
from jobs.periodic import run_periodic_work
from tests.factories import ApplicationFactory, _checked, pdf_bytes, upload

pytestmark = pytest.mark.django_db

LATER = GRACE + datetime.timedelta(minutes=5)


def _add(application):
    return services.attachment_add(
        application=application,
        user=application.enterprise.account,
        kind="business_licence",
        upload=_checked(upload("营业执照.pdf", pdf_bytes(), "application/pdf")),
    )


def _orphan(name: str = "attachments/2026/11/0123456789abcdef0123456789abcdef.pdf") -> str:
    return default_storage.save(name, ContentFile(b"%PDF-1.4 half-written"))


def test_a_file_no_row_refers_to_is_removed_once_it_is_old_enough():
    name = _orphan()
    assert orphan_uploads_remove(now=timezone.now() + LATER) == 1
    assert not default_storage.exists(name)


def test_a_fresh_unreferenced_file_is_kept_while_its_upload_may_still_be_committing():
    name = _orphan()
    assert orphan_uploads_remove() == 0
    assert default_storage.exists(name)


def test_the_files_of_attachments_are_kept():
    attachment = _add(ApplicationFactory())
    assert orphan_uploads_remove(now=timezone.now() + LATER) == 0
    assert default_storage.exists(attachment.file.name)


def test_an_upload_rolled_back_after_its_file_was_written_is_removed_by_the_sweep():
    application = ApplicationFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        name = _add(application).file.name
        raise RuntimeError("the request failed after the upload")
    assert default_storage.exists(name) and not Attachment.objects.filter(file=name).exists()
    orphan_uploads_remove(now=timezone.now() + LATER)
    assert not default_storage.exists(name)


def test_licences_of_registration_requests_are_swept_too():
    name = _orphan("licences/2026/11/0123456789abcdef0123456789abcdef.pdf")
    orphan_uploads_remove(now=timezone.now() + LATER)
    assert not default_storage.exists(name)


def test_the_periodic_work_sweeps_at_most_once_an_hour():
    assert orphan_uploads_sweep() == 0
    assert orphan_uploads_sweep() is None


def test_the_sweep_is_part_of_the_periodic_work():
    assert "orphaned uploads" in run_periodic_work()


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("evaluations.HearingSession", "minutes"),
        ("evaluations.RepairRequest", "evidence"),
        ("certificates.VisitAttachment", "file"),
        ("awards.Objection", "evidence"),
    ],
)
def test_every_file_field_keeps_its_files_from_the_sweep(model, field):
    """Hearing minutes, credit-repair evidence and visit photos are uploads too: a row that refers to a file keeps it."""
    from django.apps import apps

    from awards.orphans import file_fields

    assert (apps.get_model(model), field) in file_fields()


def test_a_half_written_visit_photo_is_swept_too():
    name = _orphan("visits/2026/11/0123456789abcdef0123456789abcdef.png")
    assert orphan_uploads_remove(now=timezone.now() + LATER) == 1
    assert not default_storage.exists(name)
