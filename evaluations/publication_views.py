"""The organizer's publication screen of a graded sector, and the public exposure list (严重失信名单)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.permissions import ORGANIZE_PROGRAMS, requires
from awards.models import Application, ApplicationStatus, NoticeKind, Objection, ObjectionOutcome, Program
from awards.services import ApplicationError, objection_verify
from awards.services.statements import exposure_hearing_state, program_hearing
from evaluations.forms import ObjectionFindingForm
from evaluations.publication import entries_awaiting_verification, evaluation_lists_publish, graded_as_a_whole
from evaluations.repair import displayed_exposures

EXPOSURES_PER_PAGE = 50


@requires(ORGANIZE_PROGRAMS)
def publication(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_object_or_404(Program, slug=slug)
    if request.method == "POST":
        try:
            notices = evaluation_lists_publish(program=program, user=request.user)
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Published on notice: %(lists)s.") % {"lists": "、".join(notice.title for notice in notices)},
            )
        return redirect("evaluations:publication", slug=program.slug)
    by_status = dict(
        Application.objects.filter(program=program, result__tier__in=["A", "D"])
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    context = {
        "program": program,
        "graded_as_a_whole": graded_as_a_whole(program),
        "notices": program.notices.filter(kind__in=[NoticeKind.HONOURS, NoticeKind.EXPOSURE]),
        "counts": [(ApplicationStatus(status).label, count) for status, count in sorted(by_status.items())],
        "awaiting": entries_awaiting_verification(program)[:200],
        # The right to be heard (陈述申辩) of the C and D entries, before the D list goes on notice.
        "hearing": program_hearing(program),
        "hearing_state": exposure_hearing_state(program),
        "objections": [
            (objection, ObjectionFindingForm(prefix=f"objection-{objection.pk}"))
            for objection in _pending_objections(program)[:100]
        ],
    }
    return render(request, "evaluations/publication.html", context)


def _pending_objections(program: Program):
    return (
        Objection.objects.filter(notice__program=program, outcome=ObjectionOutcome.PENDING)
        .select_related("application__enterprise", "notice")
        .order_by("submitted_at", "pk")
    )


@requires(ORGANIZE_PROGRAMS)
def objection_finding(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Uphold or dismiss one objection; the entry is concluded at the next run once its notice has closed."""
    program = get_object_or_404(Program, slug=slug)
    objection = get_object_or_404(_pending_objections(program), pk=pk)
    form = ObjectionFindingForm(request.POST or None, prefix=f"objection-{objection.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            objection_verify(
                objection=objection,
                user=request.user,
                upheld=form.cleaned_data["upheld"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Objection %(number)s is verified.") % {"number": objection.tracking_number})
            return redirect("evaluations:publication", slug=program.slug)
    return render(
        request, "evaluations/objection_finding.html", {"program": program, "objection": objection, "form": form}
    )


@require_safe
def exposures(request: HttpRequest) -> HttpResponse:
    """Every enterprise on a published exposure list today (not repaired, within its display period), newest
    programme first; searchable by name or code."""
    query = request.GET.get("q", "").strip()[:50]
    entries = (
        displayed_exposures()
        .select_related("enterprise__district", "program", "notice", "exposure_entry")
        .order_by("-program__year", "program__title", "enterprise__name", "pk")
    )
    if query:
        entries = entries.filter(Q(enterprise__name__icontains=query) | Q(enterprise__uscc__iexact=query))
    page = Paginator(entries, EXPOSURES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "evaluations/public/exposures.html", {"page": page, "query": query})
