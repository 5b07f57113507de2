"""The organizer's pages for granted titles: the list, background print jobs and their download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.models import PrintJob
from certificates.printing import print_job_run
from certificates.services import certificate_grant
from tests.factories import ApplicationFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def titles(program):
    return [
        certificate_grant(
            application=ApplicationFactory(program=program, enterprise=EnterpriseFactory(), approved=True)
        )
        for _ in range(3)
    ]


def test_the_organizer_sees_every_title_with_its_status(client, olivia, program, titles):
    client.force_login(olivia)
    page = client.get(reverse("workflows:titles", args=[program.slug])).content.decode()
    for certificate in titles:
        assert certificate.serial in page
    assert "有效" in page


def test_printing_starts_a_background_job(client, olivia, program, titles, monkeypatch):
    started = []
    monkeypatch.setattr("certificates.printing.subprocess.Popen", lambda *args, **kwargs: started.append(args))
    client.force_login(olivia)
    with_commit = client.post(reverse("workflows:print_start", args=[program.slug]), {"kind": "certificate"})
    job = PrintJob.objects.get()
    assert with_commit["Location"] == reverse("workflows:print_job", args=[job.pk])
    page = client.get(with_commit["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page  # the page follows the job's progress


def test_a_finished_job_offers_its_pdf(client, olivia, program, titles):
    job = PrintJob.objects.create(program=program, kind="certificate", requested_by=olivia)
    print_job_run(job.pk)
    job.refresh_from_db()
    client.force_login(olivia)
    page = client.get(reverse("workflows:print_job", args=[job.pk])).content.decode()
    assert reverse("workflows:print_job_download", args=[job.pk]) in page
    response = client.get(reverse("workflows:print_job_download", args=[job.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_applicant_cannot_download_a_print_job(client, alice, olivia, program, titles):
    job = PrintJob.objects.create(program=program, kind="certificate", requested_by=olivia)
    print_job_run(job.pk)
    client.force_login(alice)
    assert client.get(reverse("workflows:print_job_download", args=[job.pk])).status_code == 403


def test_the_published_list_downloads_from_the_titles_page(client, olivia, program, titles):
    client.force_login(olivia)
    url = reverse("workflows:export_list", args=[program.slug, "xlsx"])
    assert url in client.get(reverse("workflows:titles", args=[program.slug])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]


@pytest.mark.parametrize("command", ["print_certificates", "export_list"])
def test_the_commands_explain_themselves(command, capsys):
    from django.core.management import call_command

    with pytest.raises(SystemExit):
        call_command(command, "--help")
    assert "--program" in capsys.readouterr().out
