"""The organizer's pages for granted titles: the list, and the print batches and list exports it starts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.services import certificate_grant
from jobs.models import Job, JobKind, JobStatus
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
    page = client.get(reverse("certificates:titles", args=[program.slug])).content.decode()
    for certificate in titles:
        assert certificate.serial in page
    assert "有效" in page


def test_printing_starts_a_background_job_and_shows_its_page(client, olivia, program, titles):
    client.force_login(olivia)

    response = client.post(reverse("certificates:print_start", args=[program.slug]), {"kind": "plaque"})

    job = Job.objects.get()
    assert (job.kind, job.status, job.program) == (JobKind.PLAQUES, JobStatus.QUEUED, program)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "data-job-refresh" in page  # the page follows the job's progress


def test_printing_an_unknown_kind_is_not_found(client, olivia, program, titles):
    client.force_login(olivia)

    assert client.post(reverse("certificates:print_start", args=[program.slug]), {"kind": "poster"}).status_code == 404


def test_printing_nothing_says_no_title_is_granted_yet(client, olivia, program):
    client.force_login(olivia)

    response = client.post(reverse("certificates:print_start", args=[program.slug]), follow=True)

    assert "本评选活动尚未授予任何称号。" in response.content.decode()
    assert not Job.objects.exists()


def test_the_titles_page_offers_each_format_of_the_list_as_a_button(client, olivia, program, titles):
    client.force_login(olivia)

    page = client.get(reverse("certificates:titles", args=[program.slug])).content.decode()

    for fmt in ("pdf", "xlsx", "csv"):
        assert f'action="{reverse("certificates:export_list", args=[program.slug, fmt])}"' in page
    assert 'name="list" value="honours"' in page and 'value="exposure"' not in page


def test_the_titles_page_lists_the_programmes_recent_jobs(client, olivia, program, titles):
    job = Job.objects.create(kind=JobKind.LIST, program=program, requested_by=olivia, status=JobStatus.FAILED)
    client.force_login(olivia)

    page = client.get(reverse("certificates:titles", args=[program.slug])).content.decode()

    assert reverse("jobs:detail", args=[job.pk]) in page and "失败" in page


@pytest.mark.parametrize("command", ["print_certificates", "export_list"])
def test_the_commands_explain_themselves(command, capsys):
    from django.core.management import call_command

    with pytest.raises(SystemExit):
        call_command(command, "--help")
    assert "--program" in capsys.readouterr().out
