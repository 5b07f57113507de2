"""`manage.py demo` shows the whole product: every stage of the flow, in one idempotent command."""

from __future__ import annotations

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import User
from awards.models import Application, ApplicationStatus, Enterprise, Notice, Objection, Program
from awards.uscc import is_valid_uscc
from certificates.models import Certificate
from workflows.flows import ReviewFlow

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, signing_key_dir):
    """Load the demo once for the module, inside a transaction that is rolled back afterwards."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(SIGNING_KEY_DIR=signing_key_dir):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _counts():
    return (Program.objects.count(), Enterprise.objects.count(), Application.objects.count(), User.objects.count())


def test_the_demo_is_idempotent(demo, capsys):
    before = _counts()
    call_command("demo")
    assert _counts() == before
    output = capsys.readouterr().out
    for login in ("organizer", "reviewer1", "inspector", "committee", "applicant01"):
        assert login in output


def test_the_demo_has_a_programme_of_each_kind_and_valid_enterprises(demo):
    assert {p.kind for p in Program.objects.all()} == {"honest_business", "education_base"}
    assert Enterprise.objects.count() >= 30
    assert all(is_valid_uscc(code) for code in Enterprise.objects.values_list("uscc", flat=True))


@pytest.mark.parametrize(
    "node", ["formal_check", "assign_reviewers", "review", "inspection", "committee", "correction"]
)
def test_the_demo_leaves_work_waiting_at_every_task(demo, node):
    assert Task.objects.filter(flow_task=getattr(ReviewFlow, node), status__in=[STATUS.NEW, STATUS.ASSIGNED]).exists()


def test_the_demo_has_an_open_notice_with_an_objection_and_granted_titles(demo):
    assert Objection.objects.filter(notice__in=Notice.objects.open()).exists()
    assert Certificate.objects.filter(program__kind="honest_business").exists()
    assert Certificate.objects.filter(program__kind="education_base").exists()


def test_the_demo_shows_drafts_and_ended_applications(demo):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.DRAFT,
        ApplicationStatus.RETURNED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.GRADED,
        ApplicationStatus.FAILED_INSPECTION,
        ApplicationStatus.GRANTED,
    } <= statuses


def test_the_demo_has_a_suspended_a_revoked_and_an_expired_title(demo):
    statuses = {certificate.current_status() for certificate in Certificate.objects.all()}
    assert {"valid", "suspended", "revoked", "expired"} <= statuses


def test_the_demo_shows_a_title_not_yet_in_force_beside_titles_in_force(demo, client):
    pending = Certificate.objects.not_yet_in_force().first()
    assert pending is not None and Certificate.objects.currently_valid().exists()
    assert "尚未生效" in client.get(f"/verify/{pending.serial}/").content.decode()
    assert "尚未生效" in client.get("/honours/").content.decode()


def test_the_demo_deadlines_fall_at_five_in_the_afternoon_beijing_time(demo):
    for program in Program.objects.all():
        assert timezone.localtime(program.closes_at, ZoneInfo("Asia/Shanghai")).time() == datetime.time(17, 0)


def test_the_demo_prints_its_logins_and_roles_in_chinese_whatever_the_shells_language(demo):
    output = io.StringIO()
    with translation.override("en"):
        call_command("demo", stdout=output)
    printed = output.getvalue()
    assert "演示账号" in printed
    assert "组织单位" in printed and "申报企业" in printed
    for english in ("Applicant", "Organizer", "Demo logins", "enterprises"):
        assert english not in printed


def test_the_demo_queues_a_print_batch_and_a_list_export_for_the_worker(demo):
    from jobs.models import Job, JobKind, JobStatus

    jobs = Job.objects.filter(program__certificates__isnull=False).distinct()
    assert sorted(jobs.values_list("kind", flat=True)) == sorted([JobKind.CERTIFICATES, JobKind.LIST])
    assert set(jobs.values_list("status", flat=True)) == {JobStatus.QUEUED}


def test_the_demo_queues_its_jobs_once(demo):
    from jobs.models import Job

    before = Job.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Job.objects.count() == before


def test_the_demo_shows_a_graded_sector_with_its_a_list_on_notice_and_its_d_list_published(demo):
    sector = Program.objects.get(mode="evaluation", evaluation_plan__isnull=False)
    statuses = set(sector.applications.values_list("status", flat=True))
    assert {ApplicationStatus.ON_NOTICE, ApplicationStatus.EXPOSED, ApplicationStatus.GRADED} <= statuses


def test_the_demo_shows_a_d_dealer_heard_with_evidence_before_its_exposure_and_c_dealers_still_in_time(demo):
    from awards.models import Statement

    sector = Program.objects.get(mode="evaluation", evaluation_plan__isnull=False)
    heard = Statement.objects.get(application__program=sector, tier="D", responded_at__isnull=False)
    assert heard.evidence.count() == 1
    assert heard.responded_at < heard.application.notice.published_at  # heard before the D list went on notice
    assert Statement.objects.filter(application__program=sector, tier="C", due_at__gt=timezone.now()).exists()


def test_the_demo_shows_a_passed_return_visit_and_a_failed_consumer_experience_check_that_opened_a_case(demo):
    from certificates.models import CertificateStatus, FollowUpVisit, VisitKind

    passed = FollowUpVisit.objects.get(kind=VisitKind.RETURN_VISIT, passed=True)
    assert passed.commitments.exists() and passed.attachments.exists()
    failed = FollowUpVisit.objects.get(kind=VisitKind.CONSUMER_EXPERIENCE, passed=False)
    assert failed.case is not None and failed.case.certificate == failed.certificate
    assert failed.certificate.status == CertificateStatus.SUSPENDED


def test_the_demo_shows_a_title_due_for_renewal_with_its_reminder_sent(demo):
    from renewals.models import ExpiryReminder
    from renewals.services import in_renewal_window, renewal_offer

    today = timezone.localdate()
    due = Certificate.objects.get(valid_until__gt=today, valid_until__lte=today + datetime.timedelta(days=90))
    assert due.current_status(today) == "valid" and in_renewal_window(due, today)
    assert ExpiryReminder.objects.filter(certificate=due, days_before=90).exists()
    offer = renewal_offer(due)
    assert offer.programs and offer.ban is None  # this year's round is open for its 申请复评
    assert due.application.self_assessments.exists()  # something to prefill the renewal from


def test_the_demo_shows_an_exposure_entry_under_repair_and_one_repaired(demo, client):
    from django.urls import reverse

    from evaluations.models import ExposureEntry, RepairOutcome

    entries = ExposureEntry.objects.filter(repair_requests__isnull=False).select_related("application__enterprise")
    pending = entries.get(repair_requests__outcome=RepairOutcome.PENDING)
    repaired = entries.get(repair_requests__outcome=RepairOutcome.REPAIRED)
    assert pending.is_displayed() and pending.application.enterprise.account.username == "dealer01"
    assert repaired.repaired_at is not None and not repaired.is_displayed()
    public = client.get(reverse("evaluations:exposures")).content.decode()
    assert pending.application.enterprise.name in public
    assert repaired.application.enterprise.name not in public


def test_the_demo_prints_a_signed_code_that_verifies_offline(demo, capsys):
    from credentials import payload

    call_command("demo")
    printed = [line for line in capsys.readouterr().out.splitlines() if "verify_payload" in line]

    assert len(printed) == 1
    scanned = printed[0].split("'")[1]
    assert payload.verify(scanned).genuine


def test_the_demo_holder_downloads_a_signed_certificate_and_its_badge(demo, client):
    from credentials.pdf_signing import signed_certificate_pdf, validate_pdf

    title = Certificate.objects.currently_valid().filter(enterprise__account__isnull=False).first()
    assert title is not None

    assert validate_pdf(signed_certificate_pdf(title)).ok
    assert client.get(f"/credentials/{title.serial}/badge.svg").status_code == 200
    credential = json.loads(client.get(f"/credentials/{title.serial}.json").content)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
