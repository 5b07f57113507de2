"""Hearings (听证评议) of a sector evaluation: sessions, their panel, minutes, and the panel's scores per aspect.

Plain functions called by the hearing screens and usable by the demo and the benchmark. An enterprise is “heard” in a
session once a panel member of that session has scored it: the hearing has no separate list of enterprises heard.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from awards.models import Application, Program
from awards.uploads import check_upload
from evaluations import sheets
from evaluations.models import Aspect, EvaluationPlan, HearingPanelist, HearingScore, HearingSession, PanelRole

PANELIST_HEADING = "评议员"
BATCH = 2000
POINTS_MAX = Decimal(100)


class HearingError(Exception):
    """A hearing that cannot be created or changed as asked; the message says why, in the user's language."""


def plan_of(program: Program) -> EvaluationPlan:
    plan = EvaluationPlan.objects.filter(program=program).first()
    if plan is None:
        raise HearingError(_("This programme has no evaluation plan yet. Set up the plan and its aspects first."))
    return plan


def hearing_create(
    *, program: Program, held_on: datetime.date, place: str, panelists: list[tuple[str, str]], user
) -> HearingSession:
    """A hearing with its panel: (name, role) pairs, names unique, at least one."""
    plan_of(program)
    cleaned = [(name.strip(), role) for name, role in panelists if name.strip()]
    if not cleaned:
        raise HearingError(_("Enter at least one panel member."))
    names = [name for name, _role in cleaned]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise HearingError(_("Each panel member once: %(names)s appears twice.") % {"names": "、".join(duplicates)})
    if any(role not in PanelRole.values for _name, role in cleaned):
        raise HearingError(_("Choose the role of every panel member."))
    with transaction.atomic():
        session = HearingSession.objects.create(program=program, held_on=held_on, place=place.strip(), created_by=user)
        HearingPanelist.objects.bulk_create(
            [HearingPanelist(session=session, name=name, role=role) for name, role in cleaned]
        )
    return session


def minutes_attach(*, session: HearingSession, upload) -> HearingSession:
    """Store the minutes (a PDF, checked like every upload) in the private storage, replacing earlier minutes."""
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise HearingError(error.messages[0]) from error
    if checked.content_type != "application/pdf":
        raise HearingError(_("The minutes must be a PDF file."))
    old = session.minutes.name if session.minutes else ""
    session.minutes.save(checked.original_name, checked.content, save=False)
    session.minutes_name = checked.original_name
    session.save(update_fields=["minutes", "minutes_name"])
    if old:
        session.minutes.storage.delete(old)
    return session


def enterprise_search(program: Program, query: str, limit: int = 20) -> QuerySet[Application]:
    """Enrolled enterprises of the programme whose name contains the query or whose code starts with it."""
    query = query.strip()
    applications = Application.objects.filter(program=program, enrolled=True).select_related("enterprise")
    if not query:
        return applications.none()
    return applications.filter(
        Q(enterprise__name__icontains=query) | Q(enterprise__uscc__istartswith=query.upper())
    ).order_by("enterprise__name")[:limit]


def heard(session: HearingSession) -> list[dict]:
    """The enterprises heard in the session, each with its mean score over all panel members and aspects."""
    rows = (
        HearingScore.objects.filter(panelist__session=session)
        .values("application_id", "application__enterprise__name", "application__enterprise__uscc")
        .annotate(mean=Avg("points"), scores=Count("pk"))
        .order_by("application__enterprise__name")
    )
    return [
        {
            "application_id": row["application_id"],
            "name": row["application__enterprise__name"],
            "uscc": row["application__enterprise__uscc"],
            "mean": Decimal(row["mean"]).quantize(Decimal("0.01")),
            "scores": row["scores"],
        }
        for row in rows
    ]


def score_grid(session: HearingSession, application: Application) -> dict[tuple[int, int], Decimal]:
    """The stored scores of one enterprise in the session: (panelist id, aspect id) → points."""
    return {
        (panelist, aspect): points
        for panelist, aspect, points in HearingScore.objects.filter(
            panelist__session=session, application=application
        ).values_list("panelist_id", "aspect_id", "points")
    }


def scores_save(*, session: HearingSession, application: Application, grid: dict[tuple[int, int], Decimal]) -> int:
    """Replace the enterprise's scores in this session by the grid; every panel member scores every aspect."""
    if application.program_id != session.program_id or not application.enrolled:
        raise HearingError(_("This enterprise is not enrolled in the evaluation of this hearing."))
    panelists = list(session.panelists.values_list("pk", flat=True))
    aspects = list(plan_of(session.program).aspects.values_list("pk", flat=True))
    expected = {(p, a) for p in panelists for a in aspects}
    if set(grid) != expected:
        raise HearingError(_("Enter a score from 0 to 100 for every panel member and every aspect."))
    for points in grid.values():
        if not Decimal(0) <= points <= POINTS_MAX:
            raise HearingError(_("Scores are from 0 to 100."))
    with transaction.atomic():
        HearingScore.objects.filter(panelist__session=session, application=application).delete()
        HearingScore.objects.bulk_create(
            [
                HearingScore(panelist_id=p, application=application, aspect_id=a, points=points)
                for (p, a), points in grid.items()
            ]
        )
    return len(grid)


# Excel --------------------------------------------------------------------------------------------------------------


def hearing_template(session: HearingSession) -> bytes:
    """An .xlsx with the code and panel member columns, then one column per aspect, headed by the aspect's title."""
    aspects = list(plan_of(session.program).aspects.values_list("title", flat=True))
    first = session.panelists.first()
    return sheets.template_workbook(
        "听证评分",
        [sheets.CODE_HEADING, PANELIST_HEADING, *aspects],
        ["91350100M000100Y43", first.name if first else "", *([90] * len(aspects))],
        [
            _("One row per panel member and enterprise heard; the panel member's name as entered for the hearing."),
            _("One score from 0 to 100 per aspect column; do not rename or delete the aspect columns."),
            _("A row for a panel member and enterprise already scored replaces those scores."),
        ],
    )


def _points(value: object) -> Decimal | None:
    raw = sheets.text(value)
    if not raw:
        return None
    try:
        points = Decimal(raw)
    except InvalidOperation:
        return None
    if not points.is_finite() or not Decimal(0) <= points <= POINTS_MAX or points != points.quantize(Decimal("0.01")):
        return None
    return points.quantize(Decimal("0.01"))


def hearing_import(*, session: HearingSession, file) -> sheets.ImportReport:
    """Check every row; when none has an error, store all the scores (replacing the same panel member's and
    enterprise's earlier scores in this session) in one transaction."""
    report = sheets.ImportReport()
    plan = plan_of(session.program)
    aspects = list(plan.aspects.values_list("pk", "title"))
    panelists = dict(session.panelists.values_list("name", "pk"))
    enterprises = sheets.enterprise_codes(session.program)
    checked: list[tuple[int, int, tuple[Decimal, ...]]] = []
    seen: set[tuple[int, int]] = set()
    try:
        stream = sheets.rows(file)
        header = sheets.headings_index(next(stream, (1, ()))[1])
        for heading in (sheets.CODE_HEADING, PANELIST_HEADING, *(title for _pk, title in aspects)):
            if heading not in header:
                sheets.missing_column(report, heading)
        if report.error_count:
            return report
        columns = [(pk, title, header[title]) for pk, title in aspects]
        for number, cells in stream:
            report.rows += 1
            application_id = sheets.check_code(
                number, sheets.cell(cells, header[sheets.CODE_HEADING]), enterprises, report
            )
            name = sheets.text(sheets.cell(cells, header[PANELIST_HEADING]))
            panelist_id = panelists.get(name)
            if not name:
                report.add(number, PANELIST_HEADING, _("Enter the panel member's name."))
            elif panelist_id is None:
                message = _("%(name)s is not on the panel of this hearing. Panel: %(panel)s.")
                report.add(number, PANELIST_HEADING, message % {"name": name, "panel": "、".join(panelists)})
            elif application_id is not None:
                if (panelist_id, application_id) in seen:
                    message = _("%(name)s scores this enterprise in an earlier row too. Keep one row.")
                    report.add(number, PANELIST_HEADING, message % {"name": name})
                seen.add((panelist_id, application_id))
            points = []
            for _pk, title, index in columns:
                value = _points(sheets.cell(cells, index))
                if value is None:
                    raw = sheets.text(sheets.cell(cells, index))
                    if raw:
                        message = _("“%(value)s” is not a score. Enter a number from 0 to 100 (at most two decimals).")
                        report.add(number, title, message % {"value": raw})
                    else:
                        report.add(number, title, _("The score is missing. Enter a number from 0 to 100."))
                points.append(value)
            if not report.error_count:
                checked.append((panelist_id, application_id, tuple(points)))
    except sheets.NotAWorkbook:
        return report.file_error(sheets.not_a_workbook_message())
    if report.error_count:
        return report
    if not report.rows:
        return report.file_error(_("The file has column headings but no scores. Enter one row per panel member."))
    report.imported = _store(checked, [pk for pk, _title in aspects])
    return report


def _store(checked: list[tuple[int, int, tuple[Decimal, ...]]], aspect_ids: list[int]) -> int:
    by_panelist: dict[int, list[int]] = {}
    for panelist_id, application_id, _points_row in checked:
        by_panelist.setdefault(panelist_id, []).append(application_id)
    stored = 0
    with transaction.atomic():
        for panelist_id, application_ids in by_panelist.items():
            for start in range(0, len(application_ids), 500):
                HearingScore.objects.filter(
                    panelist_id=panelist_id, application_id__in=application_ids[start : start + 500]
                ).delete()
        batch: list[HearingScore] = []
        for panelist_id, application_id, points_row in checked:
            for aspect_id, points in zip(aspect_ids, points_row, strict=True):
                batch.append(
                    HearingScore(
                        panelist_id=panelist_id, application_id=application_id, aspect_id=aspect_id, points=points
                    )
                )
            if len(batch) >= BATCH:
                HearingScore.objects.bulk_create(batch)
                stored += len(batch)
                batch = []
        HearingScore.objects.bulk_create(batch)
        stored += len(batch)
    return stored


def sessions_of(program: Program) -> QuerySet[HearingSession]:
    """The programme's hearings with the size of their panel and the number of enterprises heard."""
    return HearingSession.objects.filter(program=program).annotate(
        panel_size=Count("panelists", distinct=True),
        heard_count=Count("panelists__scores__application", distinct=True),
    )


def aspects_of(program: Program) -> list[Aspect]:
    return list(plan_of(program).aspects.all())
