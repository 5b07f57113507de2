"""The organizer runs a cohort of expiring titles through review again as one batch, with an outcome per title."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Application, ApplicationStatus
from certificates.models import Certificate, CertificateStatus
from renewals.models import RenewalSource, TitleRenewal
from renewals.services import CohortOutcome, cohort_enrol, cohort_titles
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, UserFactory, granted_title
from tests.renewals.conftest import revoke
from tests.workflows.flow_helpers import has_open_task

pytestmark = pytest.mark.django_db


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _holder(name: str):
    return EnterpriseFactory(name=name, account=UserFactory())


@pytest.fixture
def old_round(db):
    return ProgramFactory(title="2024年度诚信经营示范单位评选", slug="honest-2024", year=2024, serial_prefix="CX")


@pytest.fixture
def renewal_round(db):
    return ProgramFactory(title="复评批次", slug="honest-renewal")


@pytest.fixture
def cohort(old_round, renewal_round, olivia):
    """Five titles of the old round expiring within 90 days: one valid, one suspended, one revoked, one whose
    holder is barred by another revoked title, one whose holder already applied to the renewal round."""
    titles = {
        name: granted_title(_holder(name), valid_until=_in(30 + n), program=old_round)
        for n, name in enumerate(["甲", "乙", "丙", "丁", "戊"])
    }
    Certificate.objects.filter(pk=titles["乙"].pk).update(status=CertificateStatus.SUSPENDED)
    revoke(titles["丙"], olivia, _in(-5))
    revoke(granted_title(titles["丁"].enterprise, valid_until=_in(600)), olivia, _in(-5))
    ApplicationFactory(program=renewal_round, enterprise=titles["戊"].enterprise)
    for title in titles.values():
        title.refresh_from_db()
    return titles


def test_the_cohort_is_the_titles_expiring_within_the_window(cohort, old_round):
    window = cohort_titles(expiring_from=_in(0), expiring_until=_in(32), program=old_round)
    assert list(window) == [cohort["甲"], cohort["乙"], cohort["丙"]]


def test_each_title_gets_its_outcome(cohort, old_round, renewal_round, olivia):
    titles = cohort_titles(expiring_from=_in(0), expiring_until=_in(90), program=old_round)
    results = {
        r.certificate.enterprise_name: r.outcome
        for r in cohort_enrol(certificates=titles, program=renewal_round, user=olivia)
    }
    assert results == {
        "甲": CohortOutcome.ENROLLED,
        "乙": CohortOutcome.NOT_ELIGIBLE,
        "丙": CohortOutcome.NOT_ELIGIBLE,
        "丁": CohortOutcome.BANNED,
        "戊": CohortOutcome.ALREADY_THERE,
    }


def test_an_enrolled_holder_skips_the_formal_check_and_waits_for_reviewers(cohort, old_round, renewal_round, olivia):
    cohort_enrol(certificates=[cohort["甲"]], program=renewal_round, user=olivia)
    application = Application.objects.get(program=renewal_round, enterprise=cohort["甲"].enterprise)
    assert application.enrolled and application.status == ApplicationStatus.IN_REVIEW
    assert has_open_task(application, "assign_reviewers")
    assert not has_open_task(application, "formal_check")
    assert application.summary == "诚信经营，投诉按时办结。"
    renewal = TitleRenewal.objects.get(application=application)
    assert (renewal.source, renewal.certificate, renewal.started_by) == (RenewalSource.COHORT, cohort["甲"], olivia)
    assert application.events.get(action="enrolled").note.startswith(f"称号{cohort['甲'].serial}的复评")


def test_enrolling_again_reports_the_holder_already_there(cohort, renewal_round, olivia):
    cohort_enrol(certificates=[cohort["甲"]], program=renewal_round, user=olivia)
    [again] = cohort_enrol(certificates=[cohort["甲"]], program=renewal_round, user=olivia)
    assert again.outcome == CohortOutcome.ALREADY_THERE
    assert Application.objects.filter(program=renewal_round, enterprise=cohort["甲"].enterprise).count() == 1


def test_the_organizer_enrols_the_cohort_from_the_screen(client, cohort, old_round, renewal_round, olivia):
    client.force_login(olivia)
    query = f"?program={old_round.slug}&expiring_from={_in(0)}&expiring_until={_in(90)}"
    page = client.get(reverse("renewals:cohort") + query)
    assert page.status_code == 200
    assert "期间内到期的称号5个" in page.content.decode()

    response = client.post(reverse("renewals:cohort") + query, {"target": renewal_round.slug})

    body = response.content.decode()
    assert "5个称号中已纳入1个。" in body
    assert body.count('data-outcome="enrolled"') == 1
    assert body.count('data-outcome="not_eligible"') == 2
    assert body.count('data-outcome="banned"') == 1
    assert body.count('data-outcome="already_there"') == 1
    assert "不得再次申报" in body and "称号状态为“已暂停”" in body


def test_the_cohort_screen_is_for_organizers_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("renewals:cohort")).status_code == 403
