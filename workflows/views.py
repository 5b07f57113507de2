"""Staff work screens: the inbox, the task dispatcher, programme dashboards, batch decisions, history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.permissions import DECIDE_AWARDS, ORGANIZE_PROGRAMS, has_any, require, requires, staff_required
from awards import services
from awards.enrolment import enrolment_template, parse_enrolment_workbook
from awards.models import (
    Application,
    ApplicationStatus,
    District,
    Industry,
    Notice,
    NoticeKind,
    Objection,
    Program,
    ProgramMode,
    Review,
    ReviewStatus,
)
from certificates.forms import CaseOpenForm, VisitCaseForm
from certificates.models import Certificate, FollowUpVisit
from certificates.services import CaseError
from certificates.staff_views import title_page
from evaluations.publication import graded_as_a_whole
from workflows import case_views, forms, task_views
from workflows.charts import bar_chart
from workflows.flows import ReviewFlow
from workflows.revocation import RevocationFlow
from workflows.services import (
    case_open,
    enrolment_import,
    notice_period_change,
    notice_publish,
    open_task,
    review_replace,
    visit_case_open,
)
from workflows.tasks import OPEN_TASK_STATUSES, can_work_on, task_complete

FLOW_HANDLERS = {ReviewFlow: task_views.HANDLERS, RevocationFlow: case_views.HANDLERS}


def _flow_tasks():
    return Task.objects.filter(
        Q(process__flow_class=ReviewFlow) | Q(process__flow_class=RevocationFlow)
    ).select_related(
        "process__applicationprocess__application__enterprise",
        "process__applicationprocess__application__program",
        "process__revocationprocess__case__certificate__enterprise",
        "process__revocationprocess__case__certificate__program",
    )


def _task_rows(tasks) -> list[dict]:
    """What each task is about: the enterprise and programme of its application or of its revocation case."""
    rows = []
    for task in tasks:
        process = task.process
        if hasattr(process, "applicationprocess"):
            subject = process.applicationprocess.application
        else:
            subject = process.revocationprocess.case.certificate
        rows.append({"task": task, "enterprise": subject.enterprise, "program": subject.program})
    return rows


@staff_required
def inbox(request):
    """What is waiting for me, and since when; queues of my roles below."""
    # A review declined for a conflict of interest stays assigned until the organizer replaces the reviewer,
    # but it is no longer the reviewer's to open.
    declined = Task.objects.filter(
        flow_task=ReviewFlow.review,
        data__review_id__in=list(
            Review.objects.filter(reviewer=request.user, status=ReviewStatus.DECLINED).values_list("pk", flat=True)
        ),
    )
    mine = _task_rows(
        _flow_tasks()
        .filter(owner=request.user, status=STATUS.ASSIGNED)
        .exclude(pk__in=declined.values("pk"))
        .order_by("created")
    )
    permissions = list(request.user.get_all_permissions())
    queue = _task_rows(_flow_tasks().filter(status=STATUS.NEW, owner_permission__in=permissions).order_by("created"))
    overdue = set(Review.objects.overdue().filter(reviewer=request.user).values_list("pk", flat=True))
    return render(
        request,
        "workflows/inbox.html",
        {"mine": mine, "queue": queue, "overdue_review_ids": overdue, "now": timezone.now()},
    )


@staff_required
def task_detail(request, pk: int):
    task = get_object_or_404(_flow_tasks(), pk=pk)
    # Only human steps have a screen here; the others (the applicant's correction, publication, timers, joins)
    # happen elsewhere or by themselves, and have no permissions to check either.
    handler = FLOW_HANDLERS[task.flow_task.flow_class].get(task.flow_task.name)
    if handler is None:
        raise Http404
    if task.status not in OPEN_TASK_STATUSES:
        messages.info(request, _("This task has already been completed."))
        return redirect("workflows:inbox")
    if not can_work_on(task, request.user):
        raise PermissionDenied
    return handler(request, task)


@requires(ORGANIZE_PROGRAMS)
def program_list(request):
    programs = Program.objects.annotate(total=Count("applications")).order_by("-year", "title")
    return render(request, "workflows/program_list.html", {"programs": programs})


STAGES = [
    (_("Formal check"), [ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED]),
    (_("Review"), [ApplicationStatus.IN_REVIEW]),
    (_("On-site inspection"), [ApplicationStatus.INSPECTION]),
    (_("Committee"), [ApplicationStatus.COMMITTEE]),
    (_("Awaiting publication"), [ApplicationStatus.APPROVED]),
    (_("On public notice"), [ApplicationStatus.ON_NOTICE]),
    (_("Granted"), [ApplicationStatus.GRANTED]),
    (_("Exposed"), [ApplicationStatus.EXPOSED]),
    (
        _("Ended otherwise"),
        [
            ApplicationStatus.REJECTED,
            ApplicationStatus.GRADED,
            ApplicationStatus.FAILED_INSPECTION,
            ApplicationStatus.NOT_APPROVED,
            ApplicationStatus.REMOVED,
        ],
    ),
]


@requires(ORGANIZE_PROGRAMS)
def program_dashboard(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    applications = Application.objects.filter(program=program)
    by_status = dict(applications.values_list("status").annotate(n=Count("pk")))
    stages = [(label, sum(by_status.get(s, 0) for s in statuses)) for label, statuses in STAGES]
    tiers = dict(applications.filter(result__isnull=False).values_list("result__tier").annotate(n=Count("pk")))
    districts = (
        applications.exclude(status=ApplicationStatus.DRAFT)
        .values_list("enterprise__district__name")
        .annotate(n=Count("pk"))
    )
    declined = Review.objects.filter(
        application__program=program, status=ReviewStatus.DECLINED, replaced_by__isnull=True
    ).select_related("application__enterprise", "reviewer")
    replace_forms = [
        (
            review,
            forms.ReplaceReviewerForm(
                candidates=services.reviewer_candidates(review.application), prefix=f"r{review.pk}"
            ),
        )
        for review in declined
    ]
    overdue = (
        Review.objects.overdue()
        .filter(application__program=program)
        .select_related("application__enterprise", "reviewer")
    )
    waiting = {
        kind: Application.objects.filter(
            program=program, status=ApplicationStatus.APPROVED, result__tier="A" if kind == NoticeKind.HONOURS else "D"
        ).count()
        for kind in NoticeKind
    }
    return render(
        request,
        "workflows/dashboard.html",
        {
            "program": program,
            "total": applications.count(),
            "drafts": by_status.get(ApplicationStatus.DRAFT, 0),
            "stages": stages,
            "tier_chart": bar_chart([(tier, tiers.get(tier, 0)) for tier in "ABCD"]),
            "district_chart": bar_chart(sorted(districts, key=lambda row: -row[1])),
            "replace_forms": replace_forms,
            "overdue": overdue,
            "waiting_honours": waiting[NoticeKind.HONOURS],
            "waiting_exposure": waiting[NoticeKind.EXPOSURE],
            "notices": program.notices.prefetch_related("changes"),
            "committee_waiting": by_status.get(ApplicationStatus.COMMITTEE, 0),
            "is_evaluation": program.mode == ProgramMode.EVALUATION,
            "has_plan": graded_as_a_whole(program),
        },
    )


@requires(ORGANIZE_PROGRAMS)
@require_POST
def reviewer_replace(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("application__program"), pk=pk)
    form = forms.ReplaceReviewerForm(
        request.POST, candidates=services.reviewer_candidates(review.application), prefix=f"r{review.pk}"
    )
    if form.is_valid():
        try:
            review_replace(review=review, user=request.user, new_reviewer_id=form.cleaned_data["reviewer"].pk)
        except services.ApplicationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s now reviews in the declined reviewer's place.") % {"name": form.cleaned_data["reviewer"]},
            )
    else:
        messages.error(request, _("Choose the new reviewer."))
    return redirect("workflows:dashboard", slug=review.application.program.slug)


@requires(ORGANIZE_PROGRAMS)
@require_POST
def publish(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    kind = request.POST.get("kind", NoticeKind.HONOURS)
    if kind not in NoticeKind.values:
        raise Http404
    try:
        notice = notice_publish(program=program, user=request.user, kind=kind)
    except services.ApplicationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Published: %(n)d candidates on public notice until %(end)s.")
            % {
                "n": notice.applications.count(),
                "end": timezone.localtime(notice.closes_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return redirect("workflows:dashboard", slug=program.slug)


@requires(ORGANIZE_PROGRAMS)
def notice_period(request, pk: int):
    """Extend an open notice or correct its closing time, with a reason; the candidates' timers move with it."""
    notice = get_object_or_404(Notice.objects.select_related("program"), pk=pk)
    form = forms.NoticePeriodForm(request.POST or None, initial={"closes_at": timezone.localtime(notice.closes_at)})
    if request.method == "POST" and form.is_valid():
        try:
            change = notice_period_change(
                notice=notice,
                user=request.user,
                closes_at=form.cleaned_data["closes_at"],
                reason=form.cleaned_data["reason"],
            )
        except services.NoticePeriodError as error:
            form.add_error(error.field, error.messages[0])
        else:
            end = timezone.localtime(change.closes_at).strftime("%Y-%m-%d %H:%M")
            messages.success(request, _("The notice now accepts objections until %(end)s.") % {"end": end})
            return redirect("workflows:dashboard", slug=notice.program.slug)
    context = {
        "notice": notice,
        "form": form,
        "is_open": notice.is_open(),
        "earliest": services.notice_minimum_closing_time(notice),
        "changes": notice.changes.select_related("changed_by"),
    }
    return render(request, "workflows/notice_period.html", context, status=400 if form.errors else 200)


@staff_required
def committee_batch(request, slug: str):
    """The committee decides the whole recommended list on one screen, all at once if it wants.

    Organizers read the list, with the reviewers' comments, to follow the programme; only the committee decides.
    """
    require(request.user, DECIDE_AWARDS, ORGANIZE_PROGRAMS)
    if request.method == "POST":
        require(request.user, DECIDE_AWARDS)
    can_decide = has_any(request.user, DECIDE_AWARDS)
    program = get_object_or_404(Program, slug=slug)
    candidates = list(
        Application.objects.filter(program=program, status=ApplicationStatus.COMMITTEE)
        .select_related("enterprise__district", "result", "inspection")
        .prefetch_related(_submitted_reviews())
        .order_by("-result__final_score")
    )
    posted = request.POST if request.method == "POST" else None
    rows = [
        (application, forms.CommitteeForm(posted, prefix=f"a{application.pk}") if can_decide else None)
        for application in candidates
    ]
    if posted is not None and rows:
        if all(form.is_valid() for _application, form in rows):
            with transaction.atomic():
                for application, form in rows:
                    task = open_task(application, ReviewFlow.committee)
                    task_complete(
                        task=task,
                        user=request.user,
                        action=lambda application=application, form=form: services.committee_decide(
                            application=application,
                            user=request.user,
                            approved=form.cleaned_data["approved"],
                            reason=form.cleaned_data["reason"],
                        ),
                    )
            messages.success(
                request, _("The committee's decisions on %(n)d applications are recorded.") % {"n": len(rows)}
            )
            return redirect("workflows:committee", slug=program.slug)
        messages.error(request, _("Some decisions need correcting; nothing was recorded yet."))
    return render(
        request, "workflows/committee_batch.html", {"program": program, "rows": rows, "can_decide": can_decide}
    )


def _submitted_reviews() -> Prefetch:
    """The reviews the committee reads, with their reviewers' names: the committee and organizers are staff."""
    return Prefetch(
        "reviews",
        queryset=Review.objects.filter(status=ReviewStatus.SUBMITTED).select_related("reviewer"),
        to_attr="submitted_reviews",
    )


@requires(ORGANIZE_PROGRAMS)
def enrol(request, slug: str):
    """Evaluation mode: enrol a whole sector from an Excel file, every row or none."""
    program = get_object_or_404(Program, slug=slug, mode=ProgramMode.EVALUATION)
    form = forms.EnrolmentForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        rows, errors = parse_enrolment_workbook(
            form.cleaned_data["workbook"], districts=_district_lookup(), industries=_industry_lookup()
        )
        if not errors:
            try:
                enrolled = enrolment_import(program=program, user=request.user, rows=rows)
            except services.ApplicationError as error:
                form.add_error(None, error.messages[0])
            else:
                message = (
                    _("%(n)d enterprises are enrolled; collect the evidence and grade them as the plan says.")
                    if graded_as_a_whole(program)
                    else _("%(n)d enterprises are enrolled and wait for reviewers.")
                )
                messages.success(request, message % {"n": len(enrolled)})
                return redirect("workflows:dashboard", slug=program.slug)
    return render(request, "workflows/enrol.html", {"program": program, "form": form, "errors": errors})


def _district_lookup() -> dict[str, str]:
    lookup = {}
    for code, name in District.objects.values_list("code", "name"):
        lookup[code] = code
        lookup[name] = code
    return lookup


def _industry_lookup() -> dict[str, str]:
    lookup = {}
    for code, name in Industry.objects.values_list("code", "name"):
        lookup.update({code: code, name: code, f"{code} {name}": code})
    return lookup


@requires(ORGANIZE_PROGRAMS)
def enrolment_template_download(request):
    response = HttpResponse(
        enrolment_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


# The steps people take or wait for: task screens, the applicant's correction, publication and the notice period.
# The engine's own nodes (start, gateways, splits and joins, functions, ends) mean nothing to the reader.
HUMAN_STEPS = (flow.View, flow.Handle, flow.Timer)


@requires(ORGANIZE_PROGRAMS)
def history(request, pk: int):
    """Every step of an application: who, when and why, with the tasks of its review process."""
    application = get_object_or_404(Application.objects.select_related("program", "enterprise", "result"), pk=pk)
    tasks = (
        Task.objects.filter(process__applicationprocess__application=application)
        .select_related("owner")
        .order_by("created", "pk")
    )
    return render(
        request,
        "workflows/history.html",
        {
            "application": application,
            "events": application.events.select_related("actor"),
            "tasks": [task for task in tasks if isinstance(task.flow_task, HUMAN_STEPS)],
            "reviews": application.reviews.select_related("reviewer").prefetch_related("scores__criterion"),
            "objections": application.objections.select_related("verified_by"),
        },
    )


@requires(ORGANIZE_PROGRAMS)
def objection_evidence(request, pk: int):
    """The objector's evidence, for the organizer who verifies the objection; never public."""
    objection = get_object_or_404(Objection.objects.exclude(evidence=""), pk=pk)
    return FileResponse(
        objection.evidence.open("rb"), as_attachment=True, filename=objection.evidence_name or "evidence"
    )


@require_POST
@requires(ORGANIZE_PROGRAMS)
def case_start(request, serial: str):
    """Open a revocation case from the title's page: the title is suspended at once and the case's process starts."""
    certificate = get_object_or_404(Certificate.objects.select_related("enterprise", "program"), serial=serial)
    form = CaseOpenForm(request.POST, enterprise=certificate.enterprise, prefix="case")
    if form.is_valid():
        try:
            case_open(certificate=certificate, user=request.user, **form.cleaned_data)
        except CaseError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The case is opened and the title is suspended."))
            return redirect("certificates:title", serial=serial)
    return title_page(request, certificate, case_form=form)


@require_POST
@requires(ORGANIZE_PROGRAMS)
def visit_case_start(request, pk: int):
    """Open a revocation case from a failed follow-up visit, on the title's page: grounds prefilled from its findings."""
    visit = get_object_or_404(FollowUpVisit.objects.select_related("certificate__enterprise"), pk=pk)
    certificate = visit.certificate
    form = VisitCaseForm(request.POST, prefix=f"visit-{visit.pk}")
    if not form.is_valid():
        return title_page(request, certificate, case_forms={visit.pk: form})
    try:
        visit_case_open(visit=visit, user=request.user, grounds=form.cleaned_data["grounds"])
    except CaseError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The case is opened from the visit and the title is suspended."))
    return redirect("certificates:title", serial=certificate.serial)
