"""Credit repair (信用修复) of exposure-list entries: the entry, the enterprise's request, the organizer's decision,
and the public pages and lists that stop showing a repaired entry, or one past its display period, at once."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards.models import ApplicationStatus, CalendarDay, NoticeKind, ProgramMode, ReviewResult
from awards.services import ApplicationError, application_expose
from awards.services.notices import _notice_publish
from evaluations.credit_rules import add_months
from evaluations.models import CreditClass, EvaluationPlan, ExposureEvent, RepairOutcome
from evaluations.publication import evaluation_notices_conclude
from evaluations.repair import (
    displayed_exposures,
    exposure_displays_end,
    exposure_entry_classify,
    exposure_entry_open,
    repair_decide,
    repair_decision_due,
    repair_request_file,
)
from jobs.models import Job
from jobs.periodic import run_periodic_work
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgramFactory, UserFactory, pdf_bytes, upload

pytestmark = pytest.mark.django_db

Action = ExposureEvent.Action


@pytest.fixture
def sector(db):
    program = ProgramFactory(mode=ProgramMode.EVALUATION, slug="farm-2027", serial_prefix="PJ")
    today = timezone.localdate()
    EvaluationPlan.objects.create(program=program, period_start=today - datetime.timedelta(days=90), period_end=today)
    return program


@pytest.fixture
def alice_exposed(alice, sector):
    """Alice's enterprise, graded D in the sector evaluation and on its exposure list for 13 months."""
    return exposed(sector, alice.enterprise, since=timezone.now() - datetime.timedelta(days=400))


def graded_d(program, enterprise):
    application = ApplicationFactory(
        program=program, enterprise=enterprise, enrolled=True, status=ApplicationStatus.APPROVED
    )
    ReviewResult.objects.create(
        application=application, final_score=Decimal("30"), tier="D", rule_version="eval-2026.1", explanation={}
    )
    return application


def exposed(program, enterprise, *, since: datetime.datetime):
    """Exposed as the notice's conclusion does it, with the clock moved to `since` for the entry (the `now` seam)."""
    application = application_expose(application=graded_d(program, enterprise))
    exposure_entry_open(application=application, now=since)
    return application


def evidence():
    return upload("罚款缴纳凭证.pdf", pdf_bytes(), "application/pdf")


def ask_for_repair(client, application):
    return client.post(
        reverse("evaluations:repair_request", args=[application.pk]),
        {
            "correction": "已于2027年3月缴清罚款，下架全部不合格农药并建立进货查验台账。",
            "evidence": evidence(),
            "pledge_affirmed": "on",
        },
    )


def exposure_list(client, program, fmt: str, capture) -> str:
    """The published exposure list as the organizer downloads it from the web, as text."""
    Job.objects.all().delete()
    with capture(execute=True):
        client.post(reverse("certificates:export_list", args=[program.slug, fmt]), {"list": "exposure"})
    job = Job.objects.get()
    data = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    if fmt == "csv":
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the entry ------------------------------------------------------------------------------------------------------


def test_it_opens_an_entry_when_the_d_lists_notice_concludes(sector, olivia):
    application = graded_d(sector, EnterpriseFactory())
    notice = _notice_publish(program=sector, user=olivia, kind=NoticeKind.EXPOSURE)
    evaluation_notices_conclude(now=notice.closes_at + datetime.timedelta(minutes=1))
    entry = application.__class__.objects.get(pk=application.pk).exposure_entry
    assert entry.credit_class == CreditClass.SERIOUS and entry.display_months == 36
    assert list(entry.events.values_list("action", flat=True)) == [Action.LISTED]


def test_a_serious_entry_is_displayed_three_years_and_repairable_after_one(sector):
    since = timezone.make_aware(datetime.datetime(2026, 4, 10, 10))
    entry = exposed(sector, EnterpriseFactory(), since=since).exposure_entry
    assert entry.display_from == datetime.date(2026, 4, 10)
    assert entry.display_until == datetime.date(2029, 4, 9)
    assert entry.repair_from == datetime.date(2027, 4, 10)


def test_the_organizer_sets_a_period_within_the_class_and_the_dates_follow(sector, olivia):
    since = timezone.make_aware(datetime.datetime(2026, 4, 10, 10))
    entry = exposed(sector, EnterpriseFactory(), since=since).exposure_entry
    exposure_entry_classify(entry=entry, user=olivia, credit_class="general", months=6, reason="首次违法，已整改。")
    entry.refresh_from_db()
    assert (entry.display_until, entry.repair_from) == (datetime.date(2026, 10, 9), datetime.date(2026, 7, 10))
    assert entry.events.last().actor == olivia and "首次违法" in entry.events.last().note


def test_a_period_outside_the_class_is_refused_with_its_bounds(sector, olivia):
    entry = exposed(sector, EnterpriseFactory(), since=timezone.now()).exposure_entry
    with pytest.raises(ApplicationError, match="12"):
        exposure_entry_classify(entry=entry, user=olivia, credit_class="serious", months=6, reason="情节较轻")


# --- asking for repair ----------------------------------------------------------------------------------------------


def test_the_enterprise_is_told_from_when_it_may_ask_for_repair(client, alice, sector):
    application = exposed(sector, alice.enterprise, since=timezone.now())
    client.force_login(alice)
    earliest = add_months(timezone.localdate(), 12)
    response = client.get(reverse("evaluations:repair_request", args=[application.pk]))
    assert response.status_code == 200
    assert f"{earliest.year}年{earliest.month}月{earliest.day}日起方可申请信用修复" in response.content.decode()
    assert 'name="evidence"' not in response.content.decode()


def test_a_request_before_the_earliest_day_is_refused(alice, sector):
    entry = exposed(sector, alice.enterprise, since=timezone.now()).exposure_entry
    with pytest.raises(ApplicationError, match="起方可申请信用修复"):
        repair_request_file(
            entry=entry, user=alice, correction="已缴清罚款并完成整改。" * 2, evidence=None, pledge_affirmed=True
        )


def test_a_request_without_the_pledge_is_refused_next_to_the_field(client, alice, alice_exposed):
    client.force_login(alice)
    response = client.post(
        reverse("evaluations:repair_request", args=[alice_exposed.pk]),
        {"correction": "已缴清罚款并完成整改，建立台账。", "evidence": evidence()},
    )
    assert response.status_code == 200
    assert "请确认信用承诺" in response.content.decode()
    assert not alice_exposed.exposure_entry.repair_requests.exists()


def test_another_enterprise_cannot_ask_for_repair_of_an_entry(client, bob, alice_exposed):
    client.force_login(bob)
    assert ask_for_repair(client, alice_exposed).status_code == 404


def test_the_decision_is_due_a_set_number_of_working_days_after_the_request(settings):
    settings.CREDIT_REPAIR_DECISION_WORKING_DAYS = 5
    CalendarDay.objects.update_or_create(day=datetime.date(2027, 6, 14), defaults={"is_working_day": False})
    # Wednesday 9 June: 10, 11, (weekend), 15, 16, 17 — Monday 14 June is a holiday.
    assert repair_decision_due(datetime.date(2027, 6, 9)) == datetime.date(2027, 6, 17)


def test_the_organizers_queue_shows_the_due_date_and_marks_an_overdue_request(client, alice, olivia, alice_exposed):
    request = repair_request_file(
        entry=alice_exposed.exposure_entry,
        user=alice,
        correction="已缴清罚款并完成整改，建立台账。",
        evidence=_checked(evidence()),
        pledge_affirmed=True,
        now=timezone.now() - datetime.timedelta(days=30),
    )
    client.force_login(olivia)
    page = client.get(reverse("evaluations:repair_queue")).content.decode()
    assert alice_exposed.enterprise.name in page
    assert f"{request.decide_by.year}年{request.decide_by.month}月{request.decide_by.day}日" in page
    assert "已逾期" in page


def _checked(file):
    from awards.uploads import check_upload

    return check_upload(file)


# --- repair, end to end ---------------------------------------------------------------------------------------------


def test_a_repaired_entry_disappears_from_the_public_list_its_search_and_every_list_format(
    client, alice, olivia, sector, alice_exposed, django_capture_on_commit_callbacks
):
    name, code = alice_exposed.enterprise.name, alice_exposed.enterprise.uscc
    client.force_login(olivia)
    assert name in exposure_list(client, sector, "csv", django_capture_on_commit_callbacks)
    client.logout()
    assert name in client.get(reverse("evaluations:exposures")).content.decode()

    client.force_login(alice)
    detail = client.get(reverse("awards:application_detail", args=[alice_exposed.pk])).content.decode()
    assert reverse("evaluations:repair_request", args=[alice_exposed.pk]) in detail
    assert ask_for_repair(client, alice_exposed).status_code == 302
    assert (
        "等待组织单位决定" in client.get(reverse("awards:application_detail", args=[alice_exposed.pk])).content.decode()
    )

    client.force_login(olivia)
    entry = alice_exposed.exposure_entry
    response = client.post(
        reverse("evaluations:repair_entry", args=[entry.pk]),
        {"decide": "", "decision-repaired": "yes", "decision-reason": "已缴清罚款，整改到位，准予信用修复。"},
    )
    assert response.status_code == 302

    for fmt in ("csv", "xlsx", "pdf"):
        assert name not in exposure_list(client, sector, fmt, django_capture_on_commit_callbacks), fmt
    client.logout()
    assert name not in client.get(reverse("evaluations:exposures")).content.decode()
    assert name not in client.get(reverse("evaluations:exposures"), {"q": code}).content.decode()
    entry.refresh_from_db()
    assert entry.repaired_at is not None
    assert list(entry.events.values_list("action", "actor")) == [
        (Action.LISTED, None),
        (Action.REPAIR_REQUESTED, alice.pk),
        (Action.REPAIRED, olivia.pk),
    ]


def test_a_refused_repair_keeps_the_entry_on_the_list_with_the_reason(alice, olivia, alice_exposed):
    request = repair_request_file(
        entry=alice_exposed.exposure_entry,
        user=alice,
        correction="已缴清罚款并完成整改，建立台账。",
        evidence=_checked(evidence()),
        pledge_affirmed=True,
    )
    repair_decide(request=request, user=olivia, repaired=False, reason="整改材料不完整，缺少台账照片。")
    request.refresh_from_db()
    assert request.outcome == RepairOutcome.REFUSED and request.reason == "整改材料不完整，缺少台账照片。"
    assert displayed_exposures().filter(pk=alice_exposed.pk).exists()


def test_a_decision_needs_a_reason(alice, olivia, alice_exposed):
    request = repair_request_file(
        entry=alice_exposed.exposure_entry,
        user=alice,
        correction="已缴清罚款并完成整改，建立台账。",
        evidence=_checked(evidence()),
        pledge_affirmed=True,
    )
    with pytest.raises(ApplicationError):
        repair_decide(request=request, user=olivia, repaired=True, reason=" ")


# --- the end of the display period ----------------------------------------------------------------------------------


def test_an_entry_leaves_the_public_list_the_day_after_its_last_day_without_anybody_acting(
    client, olivia, sector, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    # Serious entries of 36 months: one whose last day was yesterday, one whose last day is today.
    ended = exposed(sector, EnterpriseFactory(name="淳安县过期农资店"), since=_local(add_months(today, -36)))
    last_day = exposed(
        sector,
        EnterpriseFactory(name="淳安县末日农资店"),
        since=_local(add_months(today, -36) + datetime.timedelta(days=1)),
    )
    assert ended.exposure_entry.display_until == today - datetime.timedelta(days=1)
    assert last_day.exposure_entry.display_until == today

    page = client.get(reverse("evaluations:exposures")).content.decode()
    assert "淳安县过期农资店" not in page and "淳安县末日农资店" in page
    client.force_login(olivia)
    listed = exposure_list(client, sector, "csv", django_capture_on_commit_callbacks)
    assert "淳安县过期农资店" not in listed and "淳安县末日农资店" in listed


def test_the_periodic_work_records_the_end_of_display_once(sector):
    today = timezone.localdate()
    ended = exposed(sector, EnterpriseFactory(), since=_local(add_months(today, -36))).exposure_entry
    assert not ended.events.filter(action=Action.DISPLAY_ENDED).exists()
    run_periodic_work()
    assert exposure_displays_end() == 0
    event = ended.events.get(action=Action.DISPLAY_ENDED)
    assert event.actor is None and "公示期" in event.note


def test_tomorrow_the_last_days_entry_has_ended_too(sector):
    today = timezone.localdate()
    last_day = exposed(sector, EnterpriseFactory(), since=_local(add_months(today, -36) + datetime.timedelta(days=1)))
    assert exposure_displays_end(today=today) == 0
    assert displayed_exposures(today=today + datetime.timedelta(days=1)).filter(pk=last_day.pk).exists() is False
    assert exposure_displays_end(today=today + datetime.timedelta(days=1)) == 1


def _local(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_an_entry_within_its_period_is_listed_for_everyone(client, sector):
    application = exposed(sector, EnterpriseFactory(name="淳安县公示农资店"), since=timezone.now())
    client.force_login(UserFactory())
    assert "淳安县公示农资店" in client.get(reverse("evaluations:exposures")).content.decode()
    assert application.exposure_entry.is_displayed()


def test_the_migration_gives_an_application_exposed_before_it_an_entry_from_the_day_it_was_exposed(sector):
    import importlib

    from django.apps import apps

    from awards.models import ApplicationEvent

    application = graded_d(sector, EnterpriseFactory())
    application.status = ApplicationStatus.EXPOSED
    application.save(update_fields=["status"])
    exposed_at = timezone.make_aware(datetime.datetime(2026, 5, 20, 9))
    ApplicationEvent.objects.create(application=application, action=ApplicationEvent.Action.EXPOSED, at=exposed_at)

    importlib.import_module("evaluations.migrations.0003_exposure_entries_for_exposed").forwards(apps, None)

    entry = application.__class__.objects.get(pk=application.pk).exposure_entry
    assert (entry.credit_class, entry.display_from, entry.display_until) == (
        CreditClass.SERIOUS,
        datetime.date(2026, 5, 20),
        datetime.date(2029, 5, 19),
    )
    assert entry.events.get().action == Action.LISTED


def test_the_enterprise_is_told_the_decision_and_its_reason_by_e_mail(
    alice, olivia, alice_exposed, django_capture_on_commit_callbacks, mailoutbox
):
    request = repair_request_file(
        entry=alice_exposed.exposure_entry,
        user=alice,
        correction="已缴清罚款并完成整改，建立台账。",
        evidence=_checked(evidence()),
        pledge_affirmed=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        repair_decide(request=request, user=olivia, repaired=True, reason="整改到位，准予信用修复。")
    (message,) = mailoutbox
    assert "信用修复申请办理结果" in message.subject
    assert "已完成信用修复" in message.body and "整改到位，准予信用修复。" in message.body
