"""A small sector evaluated end to end through the web: the plan, the enrolment from Excel, questionnaire answers
from the public page, a hearing, supervision records, the grading, the notice of both lists and their publication.

Each enterprise's figures are chosen to land it in a known place: a high questionnaire and hearing (A), low ones
(D), a questionnaire below the minimum sample (flagged, graded on the hearing alone) and a veto (D whatever the
score). Time passes through the `now` seam of the conclusion after the notice.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import Workbook

from awards.enrolment import COLUMNS
from awards.models import Application, ApplicationStatus, ProgramMode, Statement
from certificates.models import Certificate
from evaluations.publication import evaluation_notices_conclude
from evaluations.survey import plan_questions, survey_token
from tests.factories import DistrictFactory, ProgramFactory, valid_uscc

pytestmark = pytest.mark.django_db

DEALERS = {  # name: (questionnaire answer on the five-point scale, how many answer, hearing score)
    "千岛湖镇诚信农资店": (5, 2, "95"),
    "威坪镇劣质农资店": (1, 2, "20"),
    "汾口镇新开农资店": (5, 1, "70"),  # one answer: below the minimum sample of 2
    "临岐镇被罚农资店": (4, 2, "85"),  # a serious penalty: vetoed
}


def _workbook() -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([headings[0] for headings in COLUMNS.values()])
    for number, name in enumerate(DEALERS, start=1):
        sheet.append([name, valid_uscc(31500 + number), "西湖区", "F", "联系人", f"1380000{number:04d}"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "农资经营单位.xlsx"
    return out


def test_a_sector_is_planned_enrolled_evidenced_graded_noticed_and_published_through_the_web(client, olivia, tmp_path):
    DistrictFactory(code="330106", name="西湖区")
    program = ProgramFactory(mode=ProgramMode.EVALUATION, slug="farm-e2e", serial_prefix="NZ")
    slug, today = program.slug, timezone.localdate()
    client.force_login(olivia)

    # The plan: questionnaire and hearing weigh half each; a small minimum sample for a small test.
    response = client.post(
        reverse("evaluations:plan", args=[slug]),
        {
            "plan-period_start": (today - datetime.timedelta(days=60)).isoformat(),
            "plan-period_end": (today + datetime.timedelta(days=30)).isoformat(),
            "plan-questionnaire_weight": "50",
            "plan-hearing_weight": "50",
            "plan-review_weight": "0",
            "plan-min_sample": "2",
        },
    )
    assert response.status_code == 302
    plan = program.evaluation_plan

    # The sector from Excel.
    client.post(reverse("workflows:enrol", args=[slug]), {"workbook": _workbook()})
    applications = {a.enterprise.name: a for a in Application.objects.filter(program=program)}
    assert set(applications) == set(DEALERS)

    # Customers answer on the public page, each from their own phone (its own cookie jar).
    questions = list(plan_questions(plan))
    for name, (value, answers, _hearing) in DEALERS.items():
        for _ in range(answers):
            customer = Client()
            page = customer.post(
                f"/survey/{survey_token(applications[name])}/", {f"q{q.pk}": str(value) for q in questions}
            )
            assert "感谢" in page.content.decode()

    # A hearing with one consumer representative, who scores every aspect of each dealer heard.
    client.post(
        reverse("evaluations:hearing_new", args=[slug]),
        {
            "held_on": today.isoformat(),
            "place": "淳安县消保委会议室",
            "panel-TOTAL_FORMS": "1",
            "panel-INITIAL_FORMS": "0",
            "panel-0-name": "农户代表 方建华",
            "panel-0-role": "consumer",
        },
    )
    session = program.hearings.get()
    panelist = session.panelists.get()
    for name, (_value, _answers, hearing) in DEALERS.items():
        grid = {f"s_{panelist.pk}_{aspect.pk}": hearing for aspect in plan.aspects.all()}
        url = reverse("evaluations:hearing_scores", args=[slug, session.pk, applications[name].pk])
        assert client.post(url, grid).status_code == 302

    # A serious penalty, which the default deduction table makes a veto.
    client.post(
        reverse("evaluations:record_new", args=[slug]),
        {
            "uscc": applications["临岐镇被罚农资店"].enterprise.uscc,
            "kind": "penalty",
            "severity": "serious",
            "occurred_on": today.isoformat(),
            "summary": "销售假冒农药被处罚款",
            "reference": "淳市监罚〔2026〕15号",
        },
    )

    # One grading run for the whole sector.
    client.post(reverse("evaluations:grading", args=[slug]))
    tiers = {name: Application.objects.get(pk=a.pk).result.tier for name, a in applications.items()}
    assert tiers["千岛湖镇诚信农资店"] == "A"  # (100 + 95) / 2
    assert tiers["威坪镇劣质农资店"] == "D"  # (0 + 20) / 2
    assert tiers["临岐镇被罚农资店"] == "D"  # vetoed
    flagged = Application.objects.get(pk=applications["汾口镇新开农资店"].pk).result
    assert flagged.final_score == 70 and flagged.explanation["flags"] == ["small_sample"]
    breakdown = client.get(reverse("evaluations:breakdown", args=[slug, applications["临岐镇被罚农资店"].pk]))
    assert "一票否决" in breakdown.content.decode()

    # Each C and D dealer is told its proposed result (陈述申辩); the lists go out once their time has passed.
    client.post(reverse("awards:program_statements_notify", args=[slug]))
    heard_by = max(Statement.objects.filter(application__program=program).values_list("due_at", flat=True))
    with freeze_time(heard_by + datetime.timedelta(minutes=1)):
        client.force_login(olivia)  # a week later: a new session
        # Both lists on notice at once, then the notice runs its course.
        client.post(reverse("evaluations:publication", args=[slug]))
        notices = list(program.notices.all())
        assert len(notices) == 2
        assert "千岛湖镇诚信农资店" in client.get(reverse("notices")).content.decode()
    evaluation_notices_conclude(now=max(n.closes_at for n in notices) + datetime.timedelta(minutes=1))

    # Published: a title for A, the exposure list for D, in the public pages and the lists.
    title = Certificate.objects.get(application=applications["千岛湖镇诚信农资店"])
    assert client.get(reverse("verify", args=[title.serial])).status_code == 200
    exposures = Client().get(reverse("evaluations:exposures")).content.decode()
    assert "威坪镇劣质农资店" in exposures and "临岐镇被罚农资店" in exposures
    assert "千岛湖镇诚信农资店" not in exposures and "汾口镇新开农资店" not in exposures
    statuses = {name: Application.objects.get(pk=a.pk).status for name, a in applications.items()}
    assert statuses["威坪镇劣质农资店"] == ApplicationStatus.EXPOSED
    assert statuses["千岛湖镇诚信农资店"] == ApplicationStatus.GRANTED

    for which, present, absent in (
        ("exposure", "威坪镇劣质农资店", "千岛湖镇诚信农资店"),
        ("honours", "千岛湖镇诚信农资店", "威坪镇劣质农资店"),
    ):
        out = tmp_path / f"{which}.csv"
        call_command("export_list", program=slug, format="csv", out=out, list=which)
        text = out.read_text(encoding="utf-8-sig")
        assert present in text and absent not in text
