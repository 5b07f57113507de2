"""Hearings (听证评议): sessions with their panel, minutes, the score grid and the Excel import of scores."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from evaluations import hearings
from evaluations.models import HearingScore, HearingSession
from evaluations.plan import plan_create
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    program = ProgramFactory(mode="evaluation", slug="farm-hearing", title="2027年度农资经营单位综合评议")
    return plan_create(program=program, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))


@pytest.fixture
def dealer(plan):
    return ApplicationFactory(program=plan.program, enrolled=True, status="in_review", enterprise__name="城关农资店")


@pytest.fixture
def session(plan, olivia):
    return hearings.hearing_create(
        program=plan.program,
        held_on=datetime.date(2026, 6, 1),
        place="县消保委会议室",
        panelists=[("张消费者", "consumer"), ("李代表", "deputy")],
        user=olivia,
    )


@pytest.fixture
def organizer(client, olivia):
    client.force_login(olivia)
    return client


def _full_grid(session, points=Decimal(80)):
    aspects = list(session.program.evaluation_plan.aspects.values_list("pk", flat=True))
    return {(p.pk, a): points for p in session.panelists.all() for a in aspects}


def _workbook(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "scores.xlsx"
    return buffer


def _header(plan):
    return ["统一社会信用代码", "评议员", *plan.aspects.values_list("title", flat=True)]


def test_a_hearing_is_created_with_its_panel(session):
    assert list(session.panelists.values_list("name", "role")) == [("张消费者", "consumer"), ("李代表", "deputy")]


def test_a_panel_member_cannot_sit_twice(plan, olivia):
    with pytest.raises(hearings.HearingError, match="张消费者"):
        hearings.hearing_create(
            program=plan.program,
            held_on=datetime.date(2026, 6, 1),
            place="会议室",
            panelists=[("张消费者", "consumer"), ("张消费者", "expert")],
            user=olivia,
        )


def test_a_hearing_needs_the_plan_first(olivia):
    program = ProgramFactory(mode="evaluation")
    with pytest.raises(hearings.HearingError):
        hearings.hearing_create(
            program=program,
            held_on=datetime.date(2026, 6, 1),
            place="会议室",
            panelists=[("甲", "expert")],
            user=olivia,
        )


def test_the_grid_stores_every_panel_members_score_and_the_mean_shows(session, dealer):
    grid = _full_grid(session)
    first = next(iter(grid))
    grid[first] = Decimal(92)
    hearings.scores_save(session=session, application=dealer, grid=grid)
    [row] = hearings.heard(session)
    assert row["application_id"] == dealer.pk
    assert row["mean"] == ((Decimal(80) * (len(grid) - 1) + 92) / len(grid)).quantize(Decimal("0.01"))


def test_saving_the_grid_again_replaces_the_scores(session, dealer):
    hearings.scores_save(session=session, application=dealer, grid=_full_grid(session, Decimal(60)))
    hearings.scores_save(session=session, application=dealer, grid=_full_grid(session, Decimal(70)))
    assert set(HearingScore.objects.values_list("points", flat=True)) == {Decimal(70)}


def test_an_incomplete_grid_is_refused(session, dealer):
    grid = _full_grid(session)
    grid.pop(next(iter(grid)))
    with pytest.raises(hearings.HearingError):
        hearings.scores_save(session=session, application=dealer, grid=grid)


def test_an_enterprise_outside_the_evaluation_cannot_be_scored(session):
    stranger = ApplicationFactory(enrolled=True)
    with pytest.raises(hearings.HearingError):
        hearings.scores_save(session=session, application=stranger, grid=_full_grid(session))


def test_the_search_finds_enrolled_enterprises_by_name_or_code(plan, dealer):
    ApplicationFactory(program=plan.program, enrolled=False, enterprise__name="城关农资二店")
    assert list(hearings.enterprise_search(plan.program, "城关")) == [dealer]
    assert list(hearings.enterprise_search(plan.program, dealer.enterprise.uscc[:10])) == [dealer]


def test_the_minutes_are_stored_as_a_pdf(session):
    hearings.minutes_attach(session=session, upload=upload("听证会纪要.pdf", pdf_bytes(), "application/pdf"))
    session.refresh_from_db()
    assert session.minutes_name == "听证会纪要.pdf"
    assert session.minutes.read().startswith(b"%PDF-")


def test_minutes_other_than_pdf_are_refused(session):
    with pytest.raises(hearings.HearingError):
        hearings.minutes_attach(session=session, upload=upload("纪要.png", png_bytes(), "image/png"))


def test_the_import_stores_every_row(plan, session, dealer):
    aspects = plan.aspects.count()
    file = _workbook(
        [
            _header(plan),
            [dealer.enterprise.uscc, "张消费者", *[85] * aspects],
            [dealer.enterprise.uscc, "李代表", *[75.5] * aspects],
        ]
    )
    report = hearings.hearing_import(session=session, file=file)
    assert report.error_count == 0
    assert report.imported == 2 * aspects
    assert hearings.heard(session)[0]["mean"] == Decimal("80.25")


def test_the_import_names_the_row_and_column_of_each_error_and_stores_nothing(plan, session, dealer):
    titles = list(plan.aspects.values_list("title", flat=True))
    good = [dealer.enterprise.uscc, "张消费者", *[85] * len(titles)]
    bad = [dealer.enterprise.uscc, "王某某", 101, *[85] * (len(titles) - 1)]
    report = hearings.hearing_import(session=session, file=_workbook([_header(plan), good, bad]))
    assert {(e.row_number, e.column) for e in report.errors} == {(3, "评议员"), (3, titles[0])}
    assert not HearingScore.objects.exists()


def test_the_import_refuses_a_panel_member_scoring_an_enterprise_twice(plan, session, dealer):
    row = [dealer.enterprise.uscc, "张消费者", *[85] * plan.aspects.count()]
    report = hearings.hearing_import(session=session, file=_workbook([_header(plan), row, row]))
    assert [(e.row_number, e.column) for e in report.errors] == [(3, "评议员")]


def test_the_import_reports_a_missing_aspect_column(plan, session):
    report = hearings.hearing_import(session=session, file=_workbook([_header(plan)[:-1]]))
    assert report.errors[0].row_number == 0
    assert plan.aspects.last().title in report.errors[0].message


def test_the_import_refuses_a_file_that_is_not_a_workbook(session):
    file = io.BytesIO(b"not excel")
    report = hearings.hearing_import(session=session, file=file)
    assert report.error_count == 1


def test_the_template_has_the_code_panel_and_aspect_columns(plan, session):
    workbook = openpyxl.load_workbook(io.BytesIO(hearings.hearing_template(session)))
    assert [c.value for c in workbook.worksheets[0][1]] == _header(plan)


# The screens --------------------------------------------------------------------------------------------------------


def test_the_organizer_creates_a_hearing_on_the_screen(organizer, plan):
    data = {
        "held_on": "2026-06-01",
        "place": "县消保委会议室",
        "panel-TOTAL_FORMS": "2",
        "panel-INITIAL_FORMS": "0",
        "panel-0-name": "张消费者",
        "panel-0-role": "consumer",
        "panel-1-name": "",
        "panel-1-role": "",
    }
    response = organizer.post(reverse("evaluations:hearing_new", args=[plan.program.slug]), data)
    session = HearingSession.objects.get()
    assert response.url == reverse("evaluations:hearing", args=[plan.program.slug, session.pk])
    assert session.panelists.get().name == "张消费者"


def test_a_panel_member_without_a_role_is_refused_in_chinese(organizer, plan):
    data = {
        "held_on": "2026-06-01",
        "place": "会议室",
        "panel-TOTAL_FORMS": "1",
        "panel-INITIAL_FORMS": "0",
        "panel-0-name": "张消费者",
        "panel-0-role": "",
    }
    response = organizer.post(reverse("evaluations:hearing_new", args=[plan.program.slug]), data)
    assert response.status_code == 400
    assert "请选择" in response.content.decode()


def test_the_grid_screen_saves_the_scores(organizer, session, dealer):
    url = reverse("evaluations:hearing_scores", args=[session.program.slug, session.pk, dealer.pk])
    data = {f"s_{p}_{a}": "88" for p, a in _full_grid(session)}
    response = organizer.post(url, data)
    assert response.status_code == 302
    assert HearingScore.objects.count() == len(data)


def test_the_grid_screen_refuses_a_score_above_100(organizer, session, dealer):
    url = reverse("evaluations:hearing_scores", args=[session.program.slug, session.pk, dealer.pk])
    data = {f"s_{p}_{a}": "88" for p, a in _full_grid(session)}
    data[next(iter(data))] = "101"
    response = organizer.post(url, data)
    assert response.status_code == 400
    assert not HearingScore.objects.exists()


def test_the_detail_page_shows_the_enterprises_heard_with_their_mean(organizer, session, dealer):
    hearings.scores_save(session=session, application=dealer, grid=_full_grid(session, Decimal("77.5")))
    response = organizer.get(reverse("evaluations:hearing", args=[session.program.slug, session.pk]))
    assert "城关农资店" in response.content.decode()
    assert "77.50" in response.content.decode()


def test_the_organizer_downloads_the_minutes(organizer, session):
    hearings.minutes_attach(session=session, upload=upload("纪要.pdf", pdf_bytes(), "application/pdf"))
    response = organizer.get(reverse("evaluations:hearing_minutes", args=[session.program.slug, session.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_applicant_cannot_download_the_minutes(client, session):
    hearings.minutes_attach(session=session, upload=upload("纪要.pdf", pdf_bytes(), "application/pdf"))
    client.force_login(UserFactory())
    response = client.get(reverse("evaluations:hearing_minutes", args=[session.program.slug, session.pk]))
    assert response.status_code == 403


def test_the_import_screen_lists_the_errors_with_row_and_column(organizer, plan, session):
    file = _workbook([_header(plan), ["123", "张消费者", *[85] * plan.aspects.count()]])
    url = reverse("evaluations:hearing_import", args=[plan.program.slug, session.pk])
    response = organizer.post(url, {"file": file})
    assert response.status_code == 400
    assert "统一社会信用代码" in response.content.decode()


def test_the_import_screen_stores_a_correct_file(organizer, plan, session, dealer):
    file = _workbook([_header(plan), [dealer.enterprise.uscc, "张消费者", *[85] * plan.aspects.count()]])
    url = reverse("evaluations:hearing_import", args=[plan.program.slug, session.pk])
    response = organizer.post(url, {"file": file})
    assert response.url == reverse("evaluations:hearing", args=[plan.program.slug, session.pk])
    assert HearingScore.objects.count() == plan.aspects.count()


def test_the_organizer_uploads_the_minutes_on_the_hearing_page(organizer, session):
    url = reverse("evaluations:hearing_minutes_upload", args=[session.program.slug, session.pk])
    organizer.post(url, {"file": upload("纪要.pdf", pdf_bytes(), "application/pdf")})
    session.refresh_from_db()
    assert session.minutes_name == "纪要.pdf"


def test_the_grid_of_an_enterprise_outside_the_evaluation_does_not_exist(organizer, session):
    stranger = ApplicationFactory(enrolled=True)
    url = reverse("evaluations:hearing_scores", args=[session.program.slug, session.pk, stranger.pk])
    assert organizer.get(url).status_code == 404


def test_the_hearing_page_finds_enterprises_to_score(organizer, session, dealer):
    url = reverse("evaluations:hearing", args=[session.program.slug, session.pk])
    page = organizer.get(url, {"q": "城关"}).content.decode()
    assert reverse("evaluations:hearing_scores", args=[session.program.slug, session.pk, dealer.pk]) in page
